/* putmsg.h -- a queued message as one mailer gets it, written as 8.17 writes it at delivery.
 *
 * The UNIX From line unless F=n (not for SMTP); the qf's headers whose ?flags? the mailer
 * has (?${macro}? ones when the macro is set), Bcc dropped, macros expanded; the address
 * headers (From, To, Cc, Sender, Reply-To, ... see headers.h) taken apart at their commas,
 * each address rewritten for the mailer (rulesets 3, 1 for senders or 2, the mailer's
 * header S= or R= ruleset, 4), and put back "Name: a, b" folded before column 78 (or the
 * mailer's L= less two) with ",\n" and eight spaces; then the body with ">From " escaping
 * (F=E), dots doubled (SMTP, F=X), the mailer's line ends (E=), and lines longer than its
 * L= broken as 8.17 breaks them: L-1 characters and "!", then " " and L-2 characters and
 * "!", ..., then " " and the rest. */
#ifndef PUTMSG_H
#define PUTMSG_H
#include <stdbool.h>
#include "mailer.h"
#include "queue.h"
#include "sbuf.h"

/* The whole message for mailer m into out; body is the df's bytes.  smtp: for the SMTP
 * client (CRLF, dots doubled, no From line); cvt8to7: for a peer without 8BITMIME, 8-bit
 * MIME parts encoded (mime8to7.h).  $g, $h, $u are the caller's to set. */
void put_message(const struct envelope *e, MAILER *m, bool smtp, bool cvt8to7, const sbuf *body,
		 sbuf *out);

/* Whether a header's ?cond? lets it through to mailer m (NULL: only unconditional ones and
 * ?${macro}? with a value). */
bool header_cond_met(const struct qheader *h, const MAILER *m);
/* The body as the file mailer writes it (its F=E: '>' before "From " at a line start),
 * ending with a newline. */
void put_file_body(const sbuf *body, sbuf *out);

#endif
