/* mime8to7.h -- a MIME message with 8-bit text made 7-bit for a peer that does not offer
 * 8BITMIME, as 8.17 converts it at delivery.
 *
 * Every leaf part (the message itself if it is not multipart) whose body has 8-bit bytes
 * and whose Content-Transfer-Encoding is 8bit, binary or absent is encoded: in base64 when
 * more than one byte in eight is 8-bit (line ends as CRLF, 72 characters a line), else in
 * quoted-printable (=XX for 8-bit bytes, '=' and blanks before a line end; soft breaks once
 * a line is past 72 characters).  Its Content-Transfer-Encoding header moves to the end of
 * the part's header with the new value, followed by "X-MIME-Autoconverted: from 8bit to
 * quoted-printable by $j id $i".  A multipart's own Content-Transfer-Encoding is dropped;
 * its parts are converted in turn, preamble, boundaries and epilogue kept.  A message
 * without MIME-Version or Content-Type gets "MIME-Version: 1.0" and "Content-Type:
 * text/plain; charset=" DefaultCharSet (unknown-8bit).  Parts with no 8-bit byte are left
 * exactly as they are. */
#ifndef MIME8TO7_H
#define MIME8TO7_H
#include <stdbool.h>
#include "queue.h"
#include "sbuf.h"

/* One header field of the converted message, in output order. */
struct mhdr {
	char *name;
	char *value;		/* after the colon, as put out ("Name:value") */
	const struct qheader *orig;	/* the qf header it is (its ?flags? apply), or NULL */
};

/* Convert e's top-level headers and body: *hdrs (malloc'd, *nhdrs of them) are the
 * headers to put out, *body the new body (LF line ends).  False when nothing had to
 * change (the message is put out as it is). */
bool mime8to7(const struct envelope *e, const sbuf *body, struct mhdr **hdrs, size_t *nhdrs,
	      sbuf *out);
void mhdrs_free(struct mhdr *h, size_t n);

#endif
