/* collect.h -- reading a message from a local program (stdin) as 8.17 does: lines ended by
 * LF or CRLF (the CR dropped; a lone CR kept), a line holding one dot ends the message unless
 * IgnoreDots (and a leading ".." loses a dot), the header block parsed into fields, the body
 * streamed to the caller (the df) as it comes, its size and 8-bit bytes noted. */
#ifndef COLLECT_H
#define COLLECT_H
#include <stdbool.h>
#include <stdio.h>
#include "headers.h"

struct collected {
	struct hparse hdr;	/* the header's fields */
	long msgsize;		/* bytes of header and body as stored (LF line ends) */
	bool has8bit;		/* a byte with the high bit, in header or body */
	bool toobig;		/* over maxsize (the body stops being passed on) */
	bool unixfrom;		/* a first line "From ..." was taken off */
	char *fromdate;		/* its date part (ctime form), or NULL */
};

/* Read fp to its end (or the dot).  put receives the body bytes (LF line ends); it returns
 * false on a write error, which stops the passing on (collect then returns false). */
bool collect(FILE *fp, bool ignoredots, long maxsize, struct collected *c,
	     bool (*put)(void *arg, const void *p, size_t n), void *arg);
void collected_free(struct collected *c);

/* The same line by line, for SMTP DATA (which does its own dot handling): feed each line
 * without its line end (nl: it had one), then collector_done (false: a write failed). */
struct collector {
	struct collected *c;
	bool (*put)(void *arg, const void *p, size_t n);
	void *arg;
	long maxsize;
	bool ok, inhdr, first, stop;
};
void collector_init(struct collector *k, struct collected *c, long maxsize,
		    bool (*put)(void *arg, const void *p, size_t n), void *arg);
void collector_line(struct collector *k, const char *line, size_t len, bool nl);
bool collector_done(struct collector *k);

#endif
