/* lineread.h -- the project's one way to read a line of text from a stream.
 * Lines of any length (the buffer grows); the newline is removed, and a CR before it too
 * when asked.  NUL bytes are kept in the buffer (callers that cannot carry them check
 * strlen(b->s) != b->len). */
#ifndef LINEREAD_H
#define LINEREAD_H
#include <stdio.h>
#include "sbuf.h"

#define LR_STRIP_CR	0x1	/* remove a CR before the LF */

/* Read one line into b (replacing its contents).  Returns 1 on a line (possibly the last,
 * unterminated one), 0 at end of file with nothing read, -1 on a read error (errno set). */
int lr_getline(FILE *fp, sbuf *b, int flags);

#endif
