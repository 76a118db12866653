/* address.h -- turning an address into a delivery triple (mailer, host, user), and the
 * rewriting of addresses for a given mailer (remotename).  The "crack" of an address
 * separates the address proper from the comments and phrase around it. */
#ifndef ADDRESS_H
#define ADDRESS_H
#include "mailer.h"
#include "mta.h"

#define RF_SENDERADDR	0x001	/* a sender address */
#define RF_HEADERADDR	0x002	/* a header address */
#define RF_CANONICAL	0x004	/* strip comment information */
#define RF_ADDDOMAIN	0x008	/* OK to do domain extension */
#define RF_COPYPARSE	0x010
#define RF_COPYPADDR	0x020
#define RF_COPYNONE	0
#define RF_RM_ADDR	0x040

enum qstate { QS_OK = 0, QS_BADADDR, QS_QUEUEUP };

typedef struct address {
	const char *paddr;	/* the address as given */
	char *user;
	char *host;
	MAILER *mailer;
	enum qstate state;
	const char *status;	/* DSN status, e.g. "5.1.1" */
	const char *qgroup;	/* queue group chosen by the queuegroup ruleset, or NULL */
	int exitstat;
} ADDRESS;

/* Parse addr: rulesets 3 and 0, then buildaddr.  NULL if the address cannot be tokenized
 * (the error has been reported).  Strings are allocated in Scratch. */
ADDRESS *parseaddr(char *addr, ADDRESS *a, int flags, int delim, const char **delimptr,
		   bool isrcpt);
/* A triple from a rewritten vector ($# mailer $@ host $: user); $#error reports its text
 * through usrerr. */
ADDRESS *buildaddr(char **tv, ADDRESS *a, int flags);
/* The "From:"-style template of an address: the address itself replaced by $g. */
char *crackaddr(const char *addr);
/* Rewrite name for mailer m (rulesets 3, 1 or 2, the mailer's S= or R=, 4) and put the
 * comments back.  *pstat becomes EX_TEMPFAIL if a map failed temporarily. */
char *remotename(const char *name, MAILER *m, int flags, int *pstat);

extern const char *MustQuoteChars;

#endif
