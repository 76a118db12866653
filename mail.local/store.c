/* store.c -- a message into its mailbox form (see store.h). */
#include "store.h"
#include <string.h>
#include <strings.h>
#include "sbuf.h"

static const char content_length[] = "Content-Length:";

/* One piece: up to and including a newline, at most STORE_PIECE bytes.  CRLF becomes LF,
 * also when the CR ends a full piece and the LF starts the next.  Returns 0 at end of input
 * with nothing read, -1 on a read error. */
static int read_piece(FILE *in, sbuf *p, int *complete)
{
	int c = EOF;

	sb_reset(p);
	*complete = 0;
	while (p->len < STORE_PIECE && (c = getc(in)) != EOF) {
		sb_putc(p, c);
		if (c == '\n')
			break;
	}
	if (ferror(in))
		return -1;
	if (p->len == 0)
		return 0;
	if (p->s[p->len - 1] == '\n') {
		if (p->len >= 2 && p->s[p->len - 2] == '\r') {
			p->s[p->len - 2] = '\n';
			sb_truncate(p, p->len - 1);
		}
		*complete = 1;
	} else if (p->s[p->len - 1] == '\r') {
		c = getc(in);
		if (c == '\n') {
			p->s[p->len - 1] = '\n';
			*complete = 1;
		} else if (c != EOF)
			ungetc(c, in);
	}
	return 1;
}

enum store_result store_message(FILE *in, FILE *out, const char *from_line, int lmtp, struct stored *st)
{
	sbuf p = SBUF_INIT;
	int complete = 1, prev_complete, first = 1, in_headers = 1, r;
	/* 8.17 adds a newline when the last piece it read holds none before a NUL (also when that
	 * piece was a dropped Content-Length header) */
	int last_has_newline = 0;
	enum store_result res = STORE_OK;
	long long end;

	st->header_len = 0;
	st->body_len = 0;
	sb_init(&p);
	if (fputs(from_line, out) == EOF) {
		res = STORE_WRITE_ERROR;
		goto out;
	}
	for (;;) {
		prev_complete = complete;
		r = read_piece(in, &p, &complete);
		if (r < 0) {
			res = STORE_READ_ERROR;
			goto out;
		}
		if (r == 0) {
			if (lmtp)
				res = STORE_EOF_IN_DATA;
			break;
		}
		if (lmtp && prev_complete && p.s[0] == '.') {
			if (p.len == 2 && p.s[1] == '\n')
				goto dot;
			memmove(p.s, p.s + 1, p.len);
			p.len--;
		}
		if (prev_complete && p.len == 1 && p.s[0] == '\n' && in_headers) {
			in_headers = 0;
			st->header_len = ftello(out);
			first = 0;
		} else {
			int escape = first && p.len >= 5 && memcmp(p.s, "From ", 5) == 0;

			first = 0;
			if (prev_complete && in_headers && p.len >= sizeof content_length - 1 &&
			    strncasecmp(p.s, content_length, sizeof content_length - 1) == 0) {
				last_has_newline = 0;
				continue;
			}
			if (escape)
				putc('>', out);
		}
		fwrite(p.s, 1, p.len, out);
		last_has_newline = memchr(p.s, '\n', strnlen(p.s, p.len)) != NULL;
		if (ferror(out)) {
			res = STORE_WRITE_ERROR;
			goto out;
		}
	}
	if (res != STORE_OK)
		goto out;
	if (!last_has_newline)
		putc('\n', out);
dot:
	end = ftello(out);
	if (in_headers) {
		st->header_len = end;
		st->body_len = 0;
	} else
		st->body_len = end - st->header_len - 1;
	putc('\n', out);
	if (fflush(out) == EOF || ferror(out))
		res = STORE_WRITE_ERROR;
out:
	sb_free(&p);
	return res;
}
