/* dsn.h -- delivery status notifications (RFC 3461/3464) as sendmail 8.17 writes them:
 * bounces, delay warnings, returns after Timeout.queuereturn, success notices, the
 * postmaster's copies and double bounces; and the Return-Path header of final delivery.
 *
 * A notice is a new message queued in the original's queue folder (8.17 queues it, then
 * delivers it at once): sender MAILER-DAEMON ($n), flag r (a response), one recipient (the
 * original sender, or DoubleBounceAddress for the bounce of a bounce), the headers 8.17
 * gives it (From: Mail Delivery Subsystem <MAILER-DAEMON>, To, Subject, Auto-Submitted,
 * MIME-Version, Content-Type multipart/report with the boundary "<id>.<time>/<$j>") and a
 * body of three parts: the text for people, message/delivery-status, and the original
 * message (message/rfc822) or its headers (text/rfc822-headers: RET=HDRS, PostmasterCopy).
 * With SendMimeErrors=False the body is plain text with the original after it.
 *
 * For the delivery engine (deliver.c):
 *
 *   struct dsn_rcpt r[] = one per recipient to report: its action, status, reply text...
 *   struct dsn_report rep = { .reason = DSN_ERROR, .rcpts = r, .nrcpts = n,
 *                             .transcript = the session transcript (xf) text };
 *   char **ids = NULL; size_t nids = 0;
 *   dsn_send(q, e, &rep, &ids, &nids, &err);
 *
 * dsn_send picks the recipients a notice is due for (NOTIFY: a recipient with N and no F
 * gets no failure notice, no D no warning, S for success notices), chooses where it goes
 * (the sender; postmaster when the sender is <> or the message is itself a notice; dropped
 * with a log line when DoubleBounceAddress is empty or the message is the postmaster's own
 * notice), queues it, and queues the postmaster's
 * copy (PostmasterCopy) of failures.  The notices are committed and unlocked; their ids are
 * returned for the caller to deliver at once, as 8.17 does (deliver_queued).  e is only
 * read.  For warnings the caller sets EF_WARNING on e afterwards (and rewrites its qf).
 *
 * At final delivery: the qf's "H?P?Return-Path: <$g>" header is written for mailers with
 * F=P with $g set to dsn_return_path(e) (the envelope sender without angle brackets, "<>"
 * giving an empty $g). */
#ifndef DSN_H
#define DSN_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "mailer.h"
#include "queue.h"
#include "sbuf.h"

enum dsn_action {
	DSN_FAILED = 0,		/* Action: failed */
	DSN_DELAYED,		/* Action: delayed (warnings) */
	DSN_DELIVERED,		/* Action: delivered (success notices) */
	DSN_RELAYED,		/* Action: relayed (to a mailer that does not speak DSN) */
	DSN_EXPANDED,		/* an alias of several with NOTIFY=SUCCESS: it calls for a receipt,
				 * which (as 8.17's) lists it nowhere but in the transcript */
};

enum dsn_reason {
	DSN_ERROR = 0,		/* failures of this attempt (and successes, if any notify) */
	DSN_WARNING,		/* Timeout.queuewarn passed: delay warning */
	DSN_RETURN,		/* Timeout.queuereturn passed: the message is given up */
	DSN_RECEIPT,		/* success notices only */
};

struct dsn_rcpt {
	const char *paddr;	/* the address as given (R record): the text part lists it */
	const char *alias;	/* the address it was expanded from ("(expanded from: ...)"), or
				 * NULL */
	enum dsn_action action;
	unsigned qflags;	/* its QR_* bits: QR_HASNOTIFY and the NOTIFY bits */
	const char *status;	/* "5.1.1"; NULL: from exitstat */
	const char *rstatus;	/* the reply of the failure ("550 5.1.1 User unknown"), or NULL */
	int exitstat;		/* EX_*: reason and Diagnostic-Code when there is no rstatus */
	const char *finalrcpt;	/* the r record ("RFC822; user@host"), or NULL */
	const char *orcpt;	/* the Q record (ORCPT, xtext), or NULL */
	MAILER *mailer;		/* the mailer it went to (T= types, "to mailbox"), or NULL */
	const char *user;	/* the mailer's user ($u): X-Actual-Recipient, or NULL: none */
	const char *remotemta;	/* the host that answered (Remote-MTA), or NULL */
	time_t statdate;	/* when the status was set (Last-Attempt-Date); 0: now */
};

struct dsn_report {
	enum dsn_reason reason;
	const struct dsn_rcpt *rcpts;
	size_t nrcpts;
	const char *transcript;	/* the session transcript, lines ending in \n; NULL: none */
	long msgsize;		/* the original's size as 8.17 counts it (received bytes); 0:
				 * from its queue files, as a queue run counts it */
	time_t now;		/* 0: time(NULL) */
	const char *received_from;	/* the client's host name ("localhost") when the notice
				 * comes from the delivery that follows the message's receipt
				 * over SMTP (8.17 then writes Received-From-MTA); NULL in queue
				 * runs, where 8.17 no longer knows it */
};

/* Queue the notices rep calls for (see above).  Returns the number queued, -1 on an error
 * (err says which; nothing half-written is left).  *ids (malloc'd strings, appended to)
 * are their queue ids. */
int dsn_send(const struct queue *q, const struct envelope *e, const struct dsn_report *rep,
	     char ***ids, size_t *nids, sbuf *err);

/* The lines 8.17 adds to the transcript when a message times out: for DSN_WARNING "Warning:
 * message still undelivered after 4 hours" / "Will keep trying until message is 5 days old",
 * for DSN_RETURN "Message could not be delivered for 5 days" / "Message will be deleted
 * from queue". */
void dsn_timeout_lines(enum dsn_reason reason, sbuf *transcript);

/* Timeout.queuewarn / Timeout.queuereturn in seconds (8.17's defaults: 4 hours, 5 days). */
long dsn_queuewarn(void);
long dsn_queuereturn(void);

/* $g for the Return-Path header at final delivery: the sender without its angle brackets
 * ("" for the null sender).  The result is out's. */
const char *dsn_return_path(const struct envelope *e, sbuf *out);

/* formatting helpers (exported for the unit tests) */
void dsn_interval(long secs, sbuf *out);	/* "4 hours", "1 hour, 30 minutes", "zero seconds" */
void dsn_arpadate(time_t t, sbuf *out);		/* "Sat, 21 Nov 2026 09:19:01 GMT" */
void dsn_xtext_decode(const char *s, sbuf *out);	/* "a+2Bb" -> "a+b" */

#endif
