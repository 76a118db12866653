/* smtpclient.h -- the [IPC] delivery agent: SMTP, ESMTP and LMTP to another host.
 *
 * The host comes from the address ($h): a name (its MX hosts, best first, then their
 * A/AAAA addresses), an address literal "[1.2.3.4]" or "[name]" (no MX lookup), or a
 * colon-separated list of those tried in order.  The port is the third word of the
 * mailer's A= ("TCP $h 2600"), else 25.  Connections stay open after a transaction
 * (ConnectionCacheSize, ConnectionCacheTimeout) so that one process sends many messages to
 * a busy host over one connection; a cached connection the peer has closed is replaced
 * without a failure. */
#ifndef SMTPCLIENT_H
#define SMTPCLIENT_H
#include <stdbool.h>
#include "mailer.h"
#include "sbuf.h"

struct smtp_rcpt {
	const char *addr;	/* the RCPT TO address, without angle brackets */
	const char *notify;	/* NOTIFY= value, or NULL */
	const char *orcpt;	/* ORCPT= value (xtext), or NULL */
	const char *paddr;	/* the address as the transcript names it, or NULL: addr */
	/* results */
	int stat;		/* EX_OK, EX_TEMPFAIL or a permanent EX_* */
	char *dsn;		/* "2.0.0", "4.3.0", ... (malloc) */
	char *text;		/* the reply or our own error text (malloc) */
	char *rcptreply;	/* the reply to its RCPT (malloc), or NULL */
	bool noted;		/* its line is in the transcript */
};

struct smtp_job {
	MAILER *m;
	const char *host;	/* $h */
	const char *sender;	/* MAIL FROM address without angle brackets ("" for <>) */
	bool body8bitmime;	/* BODY=8BITMIME */
	const char *envid;	/* ENVID= (xtext) or NULL */
	const char *ret;	/* RET= value or NULL */
	const char *auth;	/* AUTH= value or NULL */
	const sbuf *data;	/* the message: CRLF line ends, dot-stuffed, no final "." */
	const sbuf *data7;	/* the same made 7-bit, for a peer without 8BITMIME (NULL: send
				 * data as it is) */
	struct smtp_rcpt *r;
	size_t nr;
	sbuf *xs;		/* the session transcript as 8.17 keeps it for bounces (refused
				 * commands, the host's replies, each recipient's outcome), or NULL */
	/* results */
	char *relay;		/* "name. [addr]" of the host that answered (malloc), or NULL */
	bool peerdsn;		/* the host offered DSN (NOTIFY went on: no success notice) */
	bool xsintro;		/* "... while talking to" written */
};

/* Deliver the job; every recipient gets its result.  Returns EX_OK when at least one
 * recipient was accepted, else the status of the first. */
int smtp_deliver(struct smtp_job *j);
void smtp_job_free(struct smtp_job *j);
/* Close (with QUIT) cached connections idle longer than maxidle seconds (0: all). */
void smtp_cache_close(long maxidle);

#endif
