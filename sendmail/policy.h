/* policy.h -- the configuration's policy rulesets as the SMTP server calls them (check_relay,
 * check_mail, check_rcpt, check_data, check_eoh, check_eom, check_etrn, check_expn,
 * check_vrfy, srv_features, greet_pause), and the macros 8.17 defines at each stage of a
 * session, so the rulesets see what they see under 8.17. */
#ifndef POLICY_H
#define POLICY_H
#include <stdbool.h>
#include "sbuf.h"

/* rscheck results (PS_: policy status) */
#define PS_OK		0	/* no ruleset, or it said nothing against */
#define PS_REJECT	1	/* $#error (or a map's temporary failure): reply holds the answer */
#define PS_DISCARD	2	/* $#discard: accept and throw the message away */
#define PS_QUARANTINE	3	/* $#error $@ quarantine $: reason (reason in reply) */

/* Run ruleset rwset on "p1" or "p1 $| p2".  addr, if not NULL, prefixes the error text
 * ("addr... text") as it does for MAIL and RCPT.  The full reply line (code, enhanced code,
 * text, no CRLF) goes to reply.  The outcome is logged as 8.17 logs it
 * ("ruleset=..., arg1=..., relay=..., reject=...") with the queue id in $i. */
int rscheck(const char *rwset, const char *p1, const char *p2, const char *addr, sbuf *reply);
/* true if the configuration has the named ruleset */
bool have_ruleset(const char *rwset);
/* Run ruleset rwset on key and return the resulting tokens joined without spaces
 * (srv_features, greet_pause); false if no ruleset or nothing came back.  $#error
 * results are given as the error's text (*iserror set). */
bool rsquery(const char *rwset, const char *key, sbuf *out, bool *iserror);

/* macros */
void setmac(const char *name, const char *value);
void setmac_long(const char *name, long value);

#endif
