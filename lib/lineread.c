/* lineread.c -- read lines of unbounded length (see lineread.h). */
#include "lineread.h"
#include <errno.h>

int lr_getline(FILE *fp, sbuf *b, int flags)
{
	int c;

	sb_reset(b);
	errno = 0;
	while ((c = getc_unlocked(fp)) != EOF) {
		if (c == '\n') {
			if ((flags & LR_STRIP_CR) && b->len > 0 && b->s[b->len - 1] == '\r')
				sb_truncate(b, b->len - 1);
			return 1;
		}
		sb_putc(b, c);
	}
	if (ferror(fp))
		return -1;
	return b->len > 0 ? 1 : 0;
}
