/* sbuf.c -- growable string buffer (see sbuf.h). */
#include "sbuf.h"
#include "xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty[1];

void sb_init(sbuf *b)
{
	b->s = empty;
	b->len = 0;
	b->cap = 0;
}

void sb_free(sbuf *b)
{
	if (b->cap)
		free(b->s);
	sb_init(b);
}

void sb_reset(sbuf *b)
{
	if (b->s == NULL)
		sb_init(b);
	b->len = 0;
	if (b->cap)
		b->s[0] = '\0';
}

void sb_reserve(sbuf *b, size_t extra)
{
	size_t need, cap;

	if (b->s == NULL)
		sb_init(b);
	need = size_add(size_add(b->len, extra), 1);
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 32;
	while (cap < need)
		cap = size_mul(cap, 2);
	if (b->cap) {
		b->s = xrealloc(b->s, cap);
	} else {
		char *s = xmalloc(cap);
		memcpy(s, b->s, b->len);
		b->s = s;
	}
	b->cap = cap;
	b->s[b->len] = '\0';
}

void sb_putc_slow(sbuf *b, int c)
{
	sb_reserve(b, 1);
	b->s[b->len++] = (char)c;
	b->s[b->len] = '\0';
}

void sb_put_slow(sbuf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	sb_reserve(b, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_puts(sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_vprintf(sbuf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n <= 0)
		return;
	sb_reserve(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sb_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

void sb_truncate(sbuf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->s[len] = '\0';
	}
}

const char *sb_str(sbuf *b)
{
	if (b->s == NULL)
		sb_init(b);
	return b->s;
}

char *sb_steal(sbuf *b)
{
	char *s = b->cap ? b->s : xstrdup("");
	sb_init(b);
	return s;
}
