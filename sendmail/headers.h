/* headers.h -- a message's header block as 8.17 handles it on the way into the queue, shared
 * by SMTP DATA and command-line submission.
 *
 * Two jobs.  The parser splits the lines at the top of a message into fields (a field is a
 * "Name:" line and its continuation lines); it says where the header ends (an empty line,
 * which belongs to neither part, or the first line that is not a field, which is the body's
 * first line).  The envelope builder then lays out the qf's H records as 8.17 writes them:
 * the configuration's H lines first (expanded, with their ?flags? / ?${macro}? conditions,
 * Resent- ones only for a resent message, a default the message supplies itself left out),
 * then the X-Authentication-Warning lines, then the message's own fields in their order,
 * values kept byte for byte. */
#ifndef HEADERS_H
#define HEADERS_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "queue.h"
#include "sbuf.h"

/* what a field name means (8.17's header semantics, by name, case-insensitive) */
#define HI_FROM		0x0001	/* an originator field */
#define HI_RCPT		0x0002	/* a destination field (-t reads these) */
#define HI_BCC		0x0004	/* Bcc: / Resent-Bcc: */
#define HI_RESENT	0x0008	/* its presence makes the message a resent one */
#define HI_TRACE	0x0010	/* counts as a hop */
#define HI_FORCE	0x0020	/* a configured default of this name stays even if the message has one */
#define HI_ACHECK	0x0040	/* the message's field takes the conditions of the default it replaces */
#define HI_BINDLATE	0x0080	/* the default is kept unexpanded in the qf (Return-Path) */
#define HI_EOH		0x0100	/* "Message:" / "Text:": the header ends here */
unsigned header_info(const char *name);

struct hfield {
	char *name;		/* as written (trailing blanks before the colon dropped) */
	char *value;		/* everything after the colon; continuation lines joined with '\n' */
};

struct hparse {
	struct hfield *f;
	size_t n;
	bool done;		/* the header is over */
};

/* results of hp_line */
#define HP_FIELD	0	/* the line is (part of) a field */
#define HP_END		1	/* an empty line: the header is over, the line belongs to neither part */
#define HP_BODY		2	/* not a field: the header is over, the line is the body's first */
#define HP_EOH		3	/* a field that ends the header: 8.17 puts it at the top of the body,
			 * without its line end */

void hp_init(struct hparse *p);
void hp_free(struct hparse *p);
/* Feed one line (without its line end).  NUL bytes are allowed (the field stops there). */
int hp_line(struct hparse *p, const char *line, size_t len);
/* The length of the field name at the start of line if it is a field line, else 0. */
size_t hp_isheader(const char *line, size_t len, size_t *colon);

/* the value of the first field of that name, or NULL */
const char *hp_value(const struct hparse *p, const char *name);

/* What the envelope builder needs besides the message's fields. */
struct hdrctx {
	const char **warnings;	/* X-Authentication-Warning values (without the leading blank) */
	size_t nwarnings;
	const char *norcpt_action; /* NoRecipientAction, or NULL */
	const char **rcpts;	/* for add-to / add-apparently-to: the recipients as written */
	size_t nrcpts;
};

/* Is the message a resent one (it has a Resent- field of 8.17's list)? */
bool hp_resent(const struct hparse *p);
/* The hops: trace fields in the message, plus the one we add. */
int hp_hopcount(const struct hparse *p);
/* The message has a To:, Cc: or similar (not Bcc): Bcc: is removed on delivery (flag b). */
bool hp_has_visible_rcpt(const struct hparse *p);

/* Add the H records to e, as 8.17 does; macros ($g, $x, $i, $b, ...) must be set. */
void headers_to_envelope(struct envelope *e, const struct hparse *msg, const struct hdrctx *ctx);

/* A full name as 8.17 puts it in $x: in double quotes if it has a character of
 * MustQuoteChars outside comments and quoted strings, or unbalanced parentheses. */
char *fullname_quote(const char *name);

/* The address proper of a recipient or sender as written ("Joe <a@b>" -> "a@b", comments
 * and a group's "name:" and ";" dropped). */
char *bare_address(const char *addr);

/* Split an address list at its top-level commas (quotes, comments and <> respected); the
 * elements are trimmed and empty ones dropped.  Returns the count; *out is malloc'd. */
size_t split_addrlist(const char *list, char ***out);

/* bare with "@$j" added if it has no domain */
char *qualify_addr(const char *bare);
/* a recipient's r record: "RFC822; user@domain" */
char *final_rcpt(const char *paddr);
/* $x for a sender: only for a local one; the given name (-F) or the gecos one, quoted as
 * fullname_quote says; NULL if none.  (A Full-Name: field of the message overrides it.) */
char *sender_fullname(const char *sender, const char *given);
/* the same for a sender already known to go to the local mailer as user */
char *local_fullname(const char *user, const char *given);
/* $a (the date of a UNIX From line if given and readable, else now), $b, $i, $t */
void header_macros(const char *id, time_t now, const char *fromdate);
/* RFC 822 date as 8.17 writes it ("Sat, 21 Nov 2026 09:06:51 GMT", "... -0500 (EST)") */
struct tm;
void arpadate_tm(const struct tm *tm, sbuf *out);
/* msgsize + RecipientFactor * nrcpts - ClassFactor * the Precedence class; a negative class
 * adds EF_NO_BODY_RETN to *eflags */
long message_priority(const struct hparse *h, long msgsize, size_t nrcpts, unsigned *eflags);

#endif
