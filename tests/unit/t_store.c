/* t_store.c -- unit tests of mail.local's message store (mail.local/store.c): the mailbox
 * form of a message, with the Content-Length header put where the copy puts it.  Expected
 * values are what sendmail 8.17's mail.local (Debian) writes for the same input, as
 * tests/maillocal-diff.t checks against the program itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "../../mail.local/store.h"

static const char from[] = "From x Mon Jan  1 00:00:00 2024\n";

/* the mailbox bytes: the stored file with "Content-Length: N\n" inserted at header_len */
static char *render(const char *in, size_t inlen, int lmtp, enum store_result *res)
{
	FILE *i = fmemopen((void *)in, inlen, "r"), *o = tmpfile();
	struct stored st;
	long size;
	char *buf, *out;

	*res = store_message(i, o, from, lmtp, &st);
	fclose(i);
	size = ftell(o);
	buf = calloc(1, (size_t)size + 1);
	rewind(o);
	if (fread(buf, 1, (size_t)size, o) != (size_t)size)
		buf[0] = '\0';
	fclose(o);
	out = calloc(1, (size_t)size + 64);
	memcpy(out, buf, (size_t)st.header_len);
	sprintf(out + st.header_len, "Content-Length: %lld\n", st.body_len);
	memcpy(out + strlen(out), buf + st.header_len, (size_t)(size - st.header_len));
	free(buf);
	return out;
}

static void check(const char *in, int lmtp, const char *want_after_from, const char *name)
{
	enum store_result r;
	char *got = render(in, strlen(in), lmtp, &r);
	char *want = malloc(strlen(from) + strlen(want_after_from) + 1);

	strcpy(want, from);
	strcat(want, want_after_from);
	tap_ok(r == STORE_OK, "%s: stored", name);
	tap_is_str(got, want, "%s", name);
	free(got);
	free(want);
}

int main(void)
{
	check("Subject: hello\n\nline\n", 0, "Subject: hello\nContent-Length: 5\n\nline\n\n", "plain");
	check("", 0, "\nContent-Length: 0\n\n", "empty");
	check("\n", 0, "Content-Length: 0\n\n\n", "blank line only");
	check("S: a\nX: b\n", 0, "S: a\nX: b\nContent-Length: 0\n\n", "headers only");
	check("From evil\nS: x\n\nFrom me\n", 0, ">From evil\nS: x\nContent-Length: 8\n\nFrom me\n\n",
	      "only the first line is escaped");
	check("\nFrom x\n", 0, "Content-Length: 7\n\nFrom x\n\n", "blank first line");
	check("Content-Length: 5\nS: a\ncontent-length:9\n\nContent-Length: 1\n", 0,
	      "S: a\nContent-Length: 18\n\nContent-Length: 1\n\n", "Content-Length headers dropped");
	check("S: a\nContent-Length: 5\n", 0, "S: a\n\nContent-Length: 0\n\n", "dropped as the last line");
	check("S: a\r\n\r\nb\r\nc\rd\r\n", 0, "S: a\nContent-Length: 6\n\nb\nc\rd\n\n", "CRLF");
	check("S: a\n\nbody", 0, "S: a\nContent-Length: 5\n\nbody\n\n", "unterminated last line");
	check("S: a\n\n..x\n.y\n.\nafter\n", 1, "S: a\nContent-Length: 5\n\n.x\ny\n\n", "LMTP dot");
	check(".From x\r\n\r\nb\r\n.\r\n", 1, ">From x\nContent-Length: 2\n\nb\n\n", "LMTP unstuffed first line");
	{
		enum store_result r;
		char *got = render("S: a\n\nb\n", 8, 1, &r);

		tap_ok(r == STORE_EOF_IN_DATA, "LMTP: end of input before the dot");
		free(got);
	}
	{
		/* a Content-Length header longer than a piece: only the first piece goes */
		char in[3000], want[3000];
		enum store_result r;
		char *got;

		memset(in, '7', sizeof in);
		memcpy(in, "Content-Length: ", 16);
		memcpy(in + 2990, "\n\nb\n", 5);
		got = render(in, strlen(in), 0, &r);
		snprintf(want, sizeof want, "%s%.*s\nContent-Length: 2\n\nb\n\n", from, 2990 - STORE_PIECE,
			 in + STORE_PIECE);
		tap_is_str(got, want, "long Content-Length header, %d-byte pieces", STORE_PIECE);
		free(got);
	}
	return tap_done();
}
