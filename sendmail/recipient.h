/* recipient.h -- recipient expansion: from the addresses of an envelope to the list of final
 * recipients, each with its delivery triple (mailer, host, user), as 8.17 expands them.
 *
 * Every address goes through parseaddr (rulesets 3, 0).  A recipient of a mailer with F=A is
 * looked up in the alias maps; what an alias names is expanded in turn (up to
 * MaxAliasRecursion levels), as are :include: files and, for mailers with F=w, the user's
 * forward files (ForwardPath).  owner-LIST aliases give the recipients of LIST their own
 * envelope sender.  Duplicates (same mailer, host and user, and for programs and files the
 * same controlling user) are suppressed.
 *
 * The result is a flat list in the order 8.17 builds it: every address that was looked at,
 * with its state.  Only RS_OK entries are delivered; RS_EXPANDED entries were replaced by
 * their children (their `parent` index points back), RS_DUP ones were suppressed, RS_BAD
 * ones failed (status/rstatus say why: they are what a bounce reports), RS_QUEUEUP ones
 * failed temporarily (a map was down) and stay queued unexpanded.
 *
 * The delivery engine: rcpt_expand_envelope(e, &rl, 0); deliver every RS_OK entry (grouping
 * by `owner` for the envelope sender); write the qf with the undelivered RS_OK and
 * RS_QUEUEUP entries (rcpt_qrcpt gives their R and C records, flags A for alias children,
 * NOTIFY and ORCPT inherited, the controlling user for programs and files). */
#ifndef RECIPIENT_H
#define RECIPIENT_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "mailer.h"
#include "queue.h"
#include "sbuf.h"

enum rstate {
	RS_OK = 0,	/* deliver to it */
	RS_EXPANDED,	/* an alias, :include: or .forward: replaced by its children */
	RS_DUP,		/* the same as an earlier recipient: not delivered again */
	RS_BAD,		/* failed permanently (status, rstatus, exitstat) */
	RS_QUEUEUP,	/* failed temporarily: keep it queued, try again later */
};

/* where an entry came from */
enum rsource {
	RSRC_ENVELOPE = 0,	/* the envelope (or the command line) */
	RSRC_ALIAS,		/* the value of an alias */
	RSRC_INCLUDE,		/* a :include: file */
	RSRC_FORWARD,		/* a user's forward file */
};

struct rcpt {
	char *paddr;		/* the address as written ("user", "|prog", "/file", ...) */
	MAILER *mailer;		/* NULL only when it could not be parsed at all */
	char *host;		/* NULL for mailers without hosts */
	char *user;
	enum rstate state;
	enum rsource source;
	unsigned qflags;	/* QR_* letters for the R record (QR_PRIMARY for envelope ones) */
	const char *status;	/* DSN status ("5.1.1"), NULL when fine */
	char *rstatus;		/* the reply text of a failure ("550 5.1.1 User unknown") */
	int exitstat;		/* EX_* of a failure */
	long parent;		/* index of the entry this one was expanded from, -1: none */
	long orig;		/* index in the envelope's rcpts of its original, -1: none */
	char *orcpt;		/* DSN ORCPT (inherited from the original) */
	char *finalrcpt;	/* DSN final recipient (inherited) */
	char *owner;		/* envelope sender for this recipient ("owner-list"), NULL: the
				 * message's own sender */
	char *qgroup;		/* queue group from the queuegroup ruleset, or NULL */
	/* the controlling user: who a program runs as, who owns a file written to, whose
	 * forward file or :include: file named this recipient */
	bool hasctl;		/* the next three are set */
	uid_t uid;
	gid_t gid;
	char *ctluser;		/* user name of the controlling user (NULL: none known) */
	char *home;		/* home folder of a local user (F=w lookups) */
	char *ruser;		/* the user's login name as the password file spells it */
	unsigned iflags;	/* internal RI_* flags below */
	long seq;		/* while expanding: when it was taken up (-1: not yet) */
};

/* internal flags */
#define RI_SELFREF	0x01	/* an alias naming itself: delivered as well as expanded */
#define RI_NOALIAS	0x02	/* \user: no alias or forward lookup */
#define RI_UNSAFE	0x04	/* named from an unsafe :include: or forward file: no programs
				 * or files */
#define RI_BOGUSSHELL	0x08	/* the controlling user's shell is not in /etc/shells */
#define RI_GOODUID	0x10	/* uid/gid come from the password file */
#define RI_MANY		0x20	/* an alias with NOTIFY=SUCCESS that named several addresses:
				 * its receipt says so and lists nobody (8.17) */

struct rcptlist {
	struct rcpt *v;
	size_t n, cap;
	int nbad;		/* entries that failed permanently */
	char *lastmsg;		/* the last error, as 8.17 keeps it for the qf's M record
				 * ("User unknown", "a@@b... Invalid route address"), or NULL */
	sbuf transcript;	/* the errors reported, one "550 5.1.1 addr... text" line each */
};

/* expansion flags */
#define RX_NOALIAS	0x01	/* -n: no alias expansion (forward files still) */
#define RX_VERIFY	0x02	/* -bv: messages for each step as 8.17 prints them */
#define RX_HUSH		0x08	/* submission with ErrorMode=q: errors kept, not shown */
#define RX_QUIET	0x04	/* no messages at all (background delivery: errors go in the
				 * list, the bounce reports them) */

void rcptlist_init(struct rcptlist *rl);
void rcptlist_free(struct rcptlist *rl);

/* Expand the recipients of e (its R records) into rl; e->sender is the envelope sender
 * (needed for MeToo and self references).  Returns the number of RS_OK entries. */
size_t rcpt_expand_envelope(struct envelope *e, struct rcptlist *rl, unsigned flags);

/* Expand one comma-separated list of addresses (the command line of -bv or of a submission)
 * as originals; qflags are their R flags (QR_PRIMARY and the NOTIFY bits).  Returns the
 * number of addresses added. */
size_t rcpt_add_list(struct rcptlist *rl, const char *list, unsigned qflags, const char *sender,
		     unsigned flags);

/* Submission (command line, SMTP): lists expanded one after the other into one list, as
 * 8.17 builds its send queue (duplicates across lists dropped, sorted by host, then in the
 * order taken up).  Errors are reported as they are found (unless RX_QUIET) and kept in
 * rl->lastmsg and rl->transcript.  rcpt_end returns the exit status 8.17 gives (the first
 * failure's) and frees s. */
struct rcpt_session;
struct rcpt_session *rcpt_begin(struct rcptlist *rl, const char *sender, unsigned flags);
size_t rcpt_list(struct rcpt_session *s, const char *list, unsigned qflags);
int rcpt_end(struct rcpt_session *s);

/* The number of recipients 8.17 counts for the priority of a submission (every address it
 * took up that was not an alias, a duplicate, or refused while being parsed). */
size_t rcpt_count(const struct rcptlist *rl);

/* The C record 8.17 writes before the R record of entry i when queueing a submission: the
 * controlling user of an alias, :include: or forward child ("user:uid:gid:parent", or
 * ":parent" for root and unknown users); 8.17 writes none for an original or for the same
 * user as the last one, so the one in force is returned again (queue.c writes a C record
 * only when it changes, an empty one when an original follows).  *last keeps that state (start with it zeroed); NULL: none yet,
 * else a string the caller frees. */
struct ctlstate {
	bool set;
	long uid, gid;
	char *user;
	char *text;		/* the record in force */
};
char *rcpt_qf_ctladdr(const struct rcptlist *rl, size_t i, struct ctlstate *last);
void ctlstate_free(struct ctlstate *last);

/* The qf record of entry i: address, R flags, ORCPT, final recipient and the C record
 * ("user:uid:gid:addr" for programs and files and the recipients of forward and :include:
 * files, as 8.17 writes it; NULL when none).  The strings are rl's. */
void rcpt_qrcpt(const struct rcptlist *rl, size_t i, struct qrcpt *out);

/* The controlling address text of entry i as the log's "ctladdr=" shows it, or NULL. */
const char *rcpt_ctladdr_text(const struct rcptlist *rl, size_t i, sbuf *out);

/* sendmail -bv: verify each operand; the exit status. */
int verify_addresses(char **args, int nargs);

/* Is entry i a member of an alias of several with NOTIFY=SUCCESS (RI_MANY above it)?  Its
 * success is then not reported (8.17 writes "Successfully delivered" for a mailbox in the
 * transcript all the same, and nothing for a relay). */
bool rcpt_unreported(const struct rcptlist *rl, size_t i);

#endif
