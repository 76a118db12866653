/* mime8to7.c -- 8-bit MIME made 7-bit for a peer without 8BITMIME (see mime8to7.h). */
#include "mime8to7.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "conf.h"
#include "macro.h"
#include "xalloc.h"

struct hlist {
	struct mhdr *v;
	size_t n;
};

static void hl_add(struct hlist *h, const char *name, size_t nl, const char *value, size_t vl,
		   const struct qheader *orig)
{
	h->v = xreallocarray(h->v, h->n + 1, sizeof *h->v);
	h->v[h->n].name = xstrndup(name, nl);
	h->v[h->n].value = xstrndup(value, vl);
	h->v[h->n].orig = orig;
	h->n++;
}

static void hl_drop(struct hlist *h, size_t i)
{
	free(h->v[i].name);
	free(h->v[i].value);
	memmove(&h->v[i], &h->v[i + 1], (h->n - i - 1) * sizeof *h->v);
	h->n--;
}

void mhdrs_free(struct mhdr *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(h[i].name);
		free(h[i].value);
	}
	free(h);
}

static long hl_find(const struct hlist *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcasecmp(h->v[i].name, name) == 0)
			return (long)i;
	return -1;
}

static size_t high_bytes(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] & 0x80)
			k++;
	return k;
}

/* the value of parameter name of a Content-Type (quotes taken off), or NULL */
static char *ct_param(const char *v, const char *name)
{
	size_t nl = strlen(name);
	const char *p = v;

	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (isspace((unsigned char)*p))
			p++;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == '=') {
			const char *s = p + nl + 1, *e;
			if (*s == '"') {
				s++;
				e = strchr(s, '"');
				if (e == NULL)
					e = s + strlen(s);
			} else
				e = s + strcspn(s, "; \t\r\n");
			return xstrndup(s, (size_t)(e - s));
		}
	}
	return NULL;
}

/* "type/subtype" of a Content-Type value, lower case */
static char *ct_type(const char *v)
{
	const char *s = v, *e;
	char *t;
	size_t i;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strcspn(s, "; \t\r\n(");
	t = xstrndup(s, (size_t)(e - s));
	for (i = 0; t[i] != '\0'; i++)
		t[i] = (char)tolower((unsigned char)t[i]);
	return t;
}

static void qp_encode(const char *s, size_t n, sbuf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, linelen = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char tok[4];
		size_t tl;
		if (c == '\n') {
			sb_putc(out, '\n');
			linelen = 0;
			continue;
		}
		if (((c == ' ' || c == '\t') && i + 1 < n && s[i + 1] == '\n') || c == '=' || c > 126 ||
		    (c < 32 && c != '\t')) {
			tok[0] = '=';
			tok[1] = hex[c >> 4];
			tok[2] = hex[c & 15];
			tl = 3;
		} else {
			tok[0] = (char)c;
			tl = 1;
		}
		if (linelen > 72) {
			sb_puts(out, "=\n");
			linelen = 0;
		}
		sb_put(out, tok, tl);
		linelen += tl;
	}
}

/* base64 of the text with its line ends as CRLF, 72 characters a line, no final newline */
static void b64_encode(const char *s, size_t n, sbuf *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	sbuf t = SBUF_INIT;
	size_t i, col = 0;
	const unsigned char *u;

	sb_init(&t);
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			sb_putc(&t, '\r');
		sb_putc(&t, s[i]);
	}
	u = (const unsigned char *)t.s;
	for (i = 0; i < t.len; i += 3) {
		size_t k = t.len - i < 3 ? t.len - i : 3;
		unsigned v = (unsigned)u[i] << 16 | (k > 1 ? (unsigned)u[i + 1] << 8 : 0) |
			     (k > 2 ? u[i + 2] : 0);
		if (col >= 72) {
			sb_putc(out, '\n');
			col = 0;
		}
		sb_putc(out, tab[v >> 18 & 63]);
		sb_putc(out, tab[v >> 12 & 63]);
		sb_putc(out, k > 1 ? tab[v >> 6 & 63] : '=');
		sb_putc(out, k > 2 ? tab[v & 63] : '=');
		col += 4;
	}
	sb_free(&t);
}

static bool convert(struct hlist *h, const char *body, size_t blen, bool top, sbuf *out);

/* a part's raw text: its header into a list, the rest as its body */
static bool convert_part(const char *p, size_t n, sbuf *out)
{
	struct hlist h = { NULL, 0 };
	size_t i = 0, k;
	sbuf b = SBUF_INIT;
	bool changed;

	sb_init(&b);
	while (i < n && p[i] != '\n') {
		size_t s = i, colon;
		const char *c;
		/* a field and its continuation lines */
		do {
			const char *nl = memchr(p + i, '\n', n - i);
			i = nl != NULL ? (size_t)(nl - p) + 1 : n;
		} while (i < n && (p[i] == ' ' || p[i] == '\t'));
		c = memchr(p + s, ':', i - s);
		if (c == NULL) {
			/* not a header: leave the whole part alone */
			mhdrs_free(h.v, h.n);
			sb_free(&b);
			return false;
		}
		colon = (size_t)(c - p);
		k = i > s && p[i - 1] == '\n' ? i - 1 : i;
		hl_add(&h, p + s, colon - s, p + colon + 1, k > colon ? k - colon - 1 : 0, NULL);
	}
	if (i < n)
		i++;		/* the blank line */
	changed = convert(&h, p + i, n - i, false, &b);
	if (changed) {
		for (k = 0; k < h.n; k++)
			sb_printf(out, "%s:%s\n", h.v[k].name, h.v[k].value);
		sb_putc(out, '\n');
		sb_put(out, b.s, b.len);
	}
	mhdrs_free(h.v, h.n);
	sb_free(&b);
	return changed;
}

static bool is_boundary(const char *l, size_t n, const char *b, size_t bl, bool *last)
{
	if (n < bl + 2 || l[0] != '-' || l[1] != '-' || memcmp(l + 2, b, bl) != 0)
		return false;
	l += bl + 2;
	n -= bl + 2;
	*last = n >= 2 && l[0] == '-' && l[1] == '-';
	if (*last) {
		l += 2;
		n -= 2;
	}
	while (n > 0 && (*l == ' ' || *l == '\t' || *l == '\r'))
		l++, n--;
	return n == 0;
}

static bool convert_multipart(const char *body, size_t blen, const char *bnd, sbuf *out)
{
	size_t bl = strlen(bnd), pos = 0, pstart = 0;
	bool inpart = false, changed = false, done = false;

	/* pstart: where the current part's text begins; the line end before a boundary
	 * belongs to the boundary */
	while (pos < blen && !done) {
		const char *nl = memchr(body + pos, '\n', blen - pos);
		size_t ll = nl != NULL ? (size_t)(nl - body) - pos : blen - pos, next;
		bool last;
		next = pos + ll + (nl != NULL);
		if (is_boundary(body + pos, ll, bnd, bl, &last)) {
			if (inpart) {
				size_t pend = pos > pstart ? pos - 1 : pstart;
				sbuf part = SBUF_INIT;
				sb_init(&part);
				if (convert_part(body + pstart, pend - pstart, &part)) {
					sb_put(out, part.s, part.len);
					changed = true;
				} else
					sb_put(out, body + pstart, pend - pstart);
				sb_free(&part);
				sb_put(out, body + pend, next - pend);
			} else
				sb_put(out, body + pstart, next - pstart);
			pstart = next;
			inpart = !last;
			done = last;
		}
		pos = next;
	}
	sb_put(out, body + pstart, blen - pstart);
	return changed;
}

static bool convert(struct hlist *h, const char *body, size_t blen, bool top, sbuf *out)
{
	long ict = hl_find(h, "Content-Type"), icte = hl_find(h, "Content-Transfer-Encoding");
	char *type = ict >= 0 ? ct_type(h->v[ict].value) : xstrdup("text/plain");
	char *cte = NULL;
	size_t high, i;
	bool changed = false;
	const char *enc;

	if (icte >= 0) {
		const char *s = h->v[icte].value;
		while (isspace((unsigned char)*s))
			s++;
		cte = xstrndup(s, strcspn(s, " \t\r\n;("));
		for (i = 0; cte[i] != '\0'; i++)
			cte[i] = (char)tolower((unsigned char)cte[i]);
	}
	if (strncmp(type, "multipart/", 10) == 0) {
		char *bnd = ict >= 0 ? ct_param(h->v[ict].value, "boundary") : NULL;
		if (bnd != NULL && *bnd != '\0') {
			changed = convert_multipart(body, blen, bnd, out);
			if (changed && icte >= 0)
				hl_drop(h, (size_t)icte);
			free(bnd);
			goto out;
		}
		free(bnd);
	}
	if (strncmp(type, "message/", 8) == 0)
		goto out;
	high = high_bytes(body, blen);
	if (high == 0 || (cte != NULL && strcmp(cte, "7bit") != 0 && strcmp(cte, "8bit") != 0 &&
			  strcmp(cte, "binary") != 0))
		goto out;
	if (blen / 8 < high) {
		enc = "base64";
		b64_encode(body, blen, out);
	} else {
		enc = "quoted-printable";
		qp_encode(body, blen, out);
	}
	if (icte >= 0)
		hl_drop(h, (size_t)icte);
	if (top && hl_find(h, "MIME-Version") < 0)
		hl_add(h, "MIME-Version", 12, " 1.0", 4, NULL);
	if (ict < 0) {
		const char *cs = option_value("DefaultCharSet");
		sbuf v = SBUF_INIT;
		sb_init(&v);
		sb_printf(&v, " text/plain; charset=%s", cs != NULL && *cs != '\0' ? cs : "unknown-8bit");
		hl_add(h, "Content-Type", 12, v.s, v.len, NULL);
		sb_free(&v);
	}
	{
		sbuf v = SBUF_INIT;
		const char *j = macvalue('j'), *id = macvalue('i');
		sb_init(&v);
		sb_printf(&v, " %s", enc);
		hl_add(h, "Content-Transfer-Encoding", 25, v.s, v.len, NULL);
		sb_reset(&v);
		sb_printf(&v, " from %s to %s by %s id %s", cte != NULL ? cte : "8bit", enc,
			  j != NULL ? j : "", id != NULL ? id : "");
		hl_add(h, "X-MIME-Autoconverted", 20, v.s, v.len, NULL);
		sb_free(&v);
	}
	changed = true;
out:
	free(type);
	free(cte);
	return changed;
}

bool mime8to7(const struct envelope *e, const sbuf *body, struct mhdr **hdrs, size_t *nhdrs,
	      sbuf *out)
{
	struct hlist h = { NULL, 0 };
	size_t i;

	for (i = 0; i < e->nhdrs; i++)
		hl_add(&h, e->hdrs[i].name, strlen(e->hdrs[i].name), e->hdrs[i].value,
		       strlen(e->hdrs[i].value), &e->hdrs[i]);
	if (!convert(&h, body->s, body->len, true, out)) {
		mhdrs_free(h.v, h.n);
		*hdrs = NULL;
		*nhdrs = 0;
		return false;
	}
	*hdrs = h.v;
	*nhdrs = h.n;
	return true;
}
