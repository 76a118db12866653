/* store.h -- a message as mail.local keeps it before appending it to mailboxes.
 * Reads the message (from stdin, or an LMTP DATA section) and writes its mailbox form to a
 * temporary file: the "From sender date" line, the input with CRLF turned into LF, an
 * existing Content-Length header dropped, a first line beginning "From " escaped as ">From ",
 * a newline added to an unterminated last line, and a blank line at the end.  The
 * Content-Length header (8.17's Debian build writes one) is not in the file: the caller
 * inserts it at header_len when it copies the file into a mailbox.
 * Input is taken in pieces of at most STORE_PIECE bytes, as 8.17 does: a piece that
 * continues a longer line is never taken for a header, a blank line or a dot line. */
#ifndef STORE_H
#define STORE_H
#include <stdio.h>
#include <sys/types.h>

#define STORE_PIECE 2047

struct stored {
	off_t header_len;	/* bytes before the Content-Length header goes in */
	long long body_len;	/* its value */
};

enum store_result {
	STORE_OK,
	STORE_EOF_IN_DATA,	/* LMTP: input ended before the lone dot */
	STORE_READ_ERROR,
	STORE_WRITE_ERROR,
};

/* Read the message from in and write its mailbox form to out (which must be empty).
 * lmtp: the input is an SMTP DATA section (dot-stuffed, ending with a lone dot line).
 * from_line: the complete "From ..." line, with its newline. */
enum store_result store_message(FILE *in, FILE *out, const char *from_line, int lmtp, struct stored *st);

#endif
