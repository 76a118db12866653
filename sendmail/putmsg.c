/* putmsg.c -- the message text for one mailer (see putmsg.h). */
#include "putmsg.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "address.h"
#include "conf.h"
#include "headers.h"
#include "macro.h"
#include "mime8to7.h"
#include "mta.h"
#include "token.h"
#include "xalloc.h"

struct render {
	const char *eol;
	size_t eollen;
	bool dots;		/* double a leading dot */
	bool escfrom;		/* ">From " */
	size_t limit;		/* L=, 0: none */
};

#define MAXLINE		2048	/* 8.17's line buffer */
#define HDRLINE		(MAXLINE + 256 - 1)	/* the most of a header line it puts out */

/* A piece of a line as 8.17's putxline puts it out: while it is longer than the mailer's
 * L=, L-1 characters (L-2 after the first break), "!", the line end and a blank.  first:
 * the piece starts a line (a leading dot is doubled, "From " escaped); eol: it ends it. */
static void put_piece(sbuf *out, const char *l, size_t n, const struct render *r, bool first,
		      bool eol, bool body)
{
	size_t slop = 0;

	if (first) {
		if (r->dots && n > 0 && l[0] == '.')
			sb_putc(out, '.');
		if (body && r->escfrom && n >= 5 && memcmp(l, "From ", 5) == 0)
			sb_putc(out, '>');
	}
	while (r->limit > 0 && n + slop > r->limit) {
		size_t chunk = r->limit - slop - 1;
		sb_put(out, l, chunk);
		sb_putc(out, '!');
		sb_put(out, r->eol, r->eollen);
		sb_putc(out, ' ');
		l += chunk;
		n -= chunk;
		slop = 1;
	}
	sb_put(out, l, n);
	if (eol)
		sb_put(out, r->eol, r->eollen);
}

/* one line (without its end).  8.17 reads a body line in pieces of MAXLINE-1 characters
 * and breaks each piece on its own, so the lines after the first break of a long body line
 * are longer than L=; a header line is one piece. */
static void put_line(sbuf *out, const char *l, size_t n, const struct render *r, bool body)
{
	bool first = true;

	if (!body || r->limit == 0) {
		put_piece(out, l, n, r, true, true, body);
		return;
	}
	while (n >= MAXLINE - 1) {
		put_piece(out, l, MAXLINE - 1, r, first, false, body);
		l += MAXLINE - 1;
		n -= MAXLINE - 1;
		first = false;
	}
	put_piece(out, l, n, r, first, true, body);
}

static void put_text(sbuf *out, const char *s, size_t n, const struct render *r, bool body)
{
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t l = nl != NULL ? (size_t)(nl - s) : n;
		put_line(out, s, l, r, body);
		if (nl == NULL)
			break;
		n -= l + 1;
		s = nl + 1;
	}
}

/* an ordinary header: "Name:" and the value, each of its lines cut at HDRLINE characters
 * and a continuation line that does not start with a blank given one */
static void put_vanilla(sbuf *out, const char *name, const char *v, const struct render *r)
{
	sbuf l = SBUF_INIT;

	sb_init(&l);
	sb_printf(&l, "%.200s:", name);
	for (;;) {
		const char *nl = strchr(v, '\n');
		size_t n = nl != NULL ? (size_t)(nl - v) : strlen(v);
		size_t room = l.len < HDRLINE ? HDRLINE - l.len : 0;
		sb_put(&l, v, n < room ? n : room);
		put_line(out, l.s, l.len, r, false);
		if (nl == NULL)
			break;
		v = nl + 1;
		sb_reset(&l);
		if (*v != ' ' && *v != '\t')
			sb_putc(&l, ' ');
	}
	sb_free(&l);
}

bool header_cond_met(const struct qheader *h, const MAILER *m)
{
	const char *c = h->cond;

	if (c == NULL || *c == '\0')
		return true;
	if (c[0] == '$') {
		/* ?${macro}?: only when the macro has a value */
		const char *ep, *v;
		int id = macid_parse(c + 1, &ep);
		v = id > 0 ? macvalue(id) : NULL;
		return v != NULL && *v != '\0';
	}
	for (; *c != '\0'; c++)
		if (m != NULL && bitnset((unsigned char)*c, m->flags))
			return true;
	return false;
}

static bool header_wanted(const struct qheader *h, MAILER *m)
{
	if (strcasecmp(h->name, "Bcc") == 0 || strcasecmp(h->name, "Resent-Bcc") == 0)
		return false;
	return header_cond_met(h, m);
}

void put_file_body(const sbuf *body, sbuf *out)
{
	size_t i = 0;

	while (i < body->len) {
		const char *nl = memchr(body->s + i, '\n', body->len - i);
		size_t n = nl != NULL ? (size_t)(nl - (body->s + i)) + 1 : body->len - i;
		if (FileMailer != NULL && bitnset('E', FileMailer->flags) && n >= 5 &&
		    memcmp(body->s + i, "From ", 5) == 0)
			sb_putc(out, '>');
		sb_put(out, body->s + i, n);
		i += n;
	}
	if (body->len > 0 && body->s[body->len - 1] != '\n')
		sb_putc(out, '\n');
}

/* An address header for m: each address of the list rewritten, "Name: a, b, ..." folded
 * before column omax with ",\n" and eight spaces (8.17's commaize). */
static void address_header(const char *name, const char *value, MAILER *m, bool sender, sbuf *out)
{
	const char *p = value;
	size_t opos, omax;
	bool first = true;
	int flags = RF_HEADERADDR | RF_ADDDOMAIN | (sender ? RF_SENDERADDR : 0);
	long lim = (long)m->linelimit - 2;

	size_t linestart = out->len;

	omax = lim < 0 || lim > 78 ? 78 : (size_t)lim;
	sb_printf(out, "%s: ", name);
	opos = strlen(name) + 2;
	if (opos > 201)
		opos = 201;
	while (*p != '\0') {
		const char *start, *end = NULL;
		char *pvbuf[MAXATOM + 1], *one;
		const char *rn;
		int status = EX_OK;
		size_t len;

		while (isspace((unsigned char)*p) || *p == ',')
			p++;
		if (*p == '\0')
			break;
		start = p;
		if (prescan(p, ',', pvbuf, Scratch, &end, TT_EXTERNAL, false) == NULL || end == NULL ||
		    end <= start)
			end = start + strcspn(start, ",");
		if (end <= start)
			end = start + 1;
		p = end;
		while (end > start && (isspace((unsigned char)end[-1]) || end[-1] == ','))
			end--;
		if (end == start)
			continue;
		one = xstrndup(start, (size_t)(end - start));
		rn = remotename(one, m, flags, &status);
		if (*rn == '\0') {
			free(one);
			continue;
		}
		len = strlen(rn);
		opos += len;
		if (!first)
			opos += 2;
		if (opos > omax && !first) {
			sb_puts(out, ",\n");
			linestart = out->len;
			sb_puts(out, "        ");
			opos = 8 + len;
		} else if (!first)
			sb_puts(out, ", ");
		/* a newline inside one address becomes a blank (denlstring); a line holds
		 * MAXLINE characters at most */
		for (; *rn != '\0' && out->len - linestart < MAXLINE; rn++)
			sb_putc(out, *rn == '\n' ? ' ' : *rn);
		first = false;
		free(one);
	}
}

/* one header field as m gets it */
static void put_header(sbuf *out, const char *name, const char *value, MAILER *m, const struct render *r)
{
	sbuf x = SBUF_INIT, l = SBUF_INIT;
	unsigned info = header_info(name);

	sb_init(&x);
	sb_init(&l);
	if (strchr(value, '\201') != NULL) {
		expand(value, &x);
		value = x.s;
	}
	if (info & (HI_FROM | HI_RCPT)) {
		/* the rulesets see ${addr_type} "h s" / "h r" here; what it was before is put
		 * back, as later parsing (a queue run's next message) reads it */
		int at = macid("{addr_type}");
		const char *old = macvalue(at);
		char *saved = old != NULL ? xstrdup(old) : NULL;
		address_header(name, value, m, (info & HI_FROM) != 0, &l);
		macdefine(at, saved);
		free(saved);
		put_text(out, l.s, l.len, r, false);
	} else
		put_vanilla(out, name, value, r);
	sb_free(&x);
	sb_free(&l);
}

void put_message(const struct envelope *e, MAILER *m, bool smtp, bool cvt8to7, const sbuf *body,
		 sbuf *out)
{
	struct render r;
	sbuf x = SBUF_INIT, conv = SBUF_INIT;
	struct mhdr *mh = NULL;
	size_t i, nmh = 0;
	bool converted;

	sb_init(&x);
	sb_init(&conv);
	r.eol = smtp ? "\r\n" : (m->eol != NULL ? m->eol : "\n");
	r.eollen = strlen(r.eol);
	r.dots = smtp || bitnset('X', m->flags);
	r.escfrom = bitnset('E', m->flags);
	r.limit = m->linelimit > 0 ? (size_t)m->linelimit : 0;
	if (!smtp && !bitnset('n', m->flags)) {
		const char *fl = option_value("UnixFromLine");
		sbuf t = SBUF_INIT;
		sb_init(&t);
		translate_dollars(fl != NULL ? fl : "From $g $d", &t);
		expand(t.s, &x);
		put_line(out, x.s, x.len, &r, false);
		sb_free(&t);
	}
	converted = cvt8to7 && mime8to7(e, body, &mh, &nmh, &conv);
	if (converted) {
		for (i = 0; i < nmh; i++) {
			struct qheader q = { NULL, mh[i].name, mh[i].value };
			if (mh[i].orig != NULL ? header_wanted(mh[i].orig, m) : header_wanted(&q, m))
				put_header(out, mh[i].name, mh[i].value, m, &r);
		}
	} else {
		for (i = 0; i < e->nhdrs; i++)
			if (header_wanted(&e->hdrs[i], m))
				put_header(out, e->hdrs[i].name, e->hdrs[i].value, m, &r);
	}
	put_line(out, "", 0, &r, false);
	if (converted)
		put_text(out, conv.s, conv.len, &r, true);
	else
		put_text(out, body->s, body->len, &r, true);
	mhdrs_free(mh, nmh);
	sb_free(&x);
	sb_free(&conv);
}
