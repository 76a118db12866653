/* sbuf.h -- the project's one string-buffer type.
 * A growable byte string, always NUL-terminated after its length, that may also hold NUL
 * bytes inside.  All text built from outside data is built in one of these; nothing in the
 * project writes into a fixed-size array it does not own the bounds of. */
#ifndef SBUF_H
#define SBUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct sbuf {
	char *s;	/* always valid after sb_init; s[len] == '\0' */
	size_t len;
	size_t cap;
} sbuf;

#define SBUF_INIT { NULL, 0, 0 }

void sb_init(sbuf *b);
void sb_free(sbuf *b);
void sb_reset(sbuf *b);			/* length 0, keeps the storage */
void sb_reserve(sbuf *b, size_t extra);	/* room for `extra` more bytes */
void sb_putc_slow(sbuf *b, int c);
void sb_put_slow(sbuf *b, const void *p, size_t n);
void sb_puts(sbuf *b, const char *s);
void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(sbuf *b, const char *fmt, va_list ap);
void sb_truncate(sbuf *b, size_t len);
const char *sb_str(sbuf *b);		/* the contents, NUL-terminated */
char *sb_steal(sbuf *b);		/* hand the storage to the caller; b is reset */

/* the common cases, appending with room to spare, inline */
static inline void sb_put(sbuf *b, const void *p, size_t n)
{
	if (n < b->cap - b->len && b->cap != 0) {
		__builtin_memcpy(b->s + b->len, p, n);
		b->len += n;
		b->s[b->len] = '\0';
	} else
		sb_put_slow(b, p, n);
}

static inline void sb_putc(sbuf *b, int c)
{
	if (b->len + 1 < b->cap) {
		b->s[b->len++] = (char)c;
		b->s[b->len] = '\0';
	} else
		sb_putc_slow(b, c);
}

#endif
