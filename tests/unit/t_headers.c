/* t_headers.c -- the header parser and the address helpers of headers.c (RFC 5322 section
 * 2.2 for fields and folding; the layout rules themselves are checked against 8.17 in
 * tests/submit-diff.t). */
#include <stdlib.h>
#include <string.h>
#include "fixture.h"
#include "headers.h"
#include "tap.h"

static int feed(struct hparse *p, const char *line)
{
	return hp_line(p, line, strlen(line));
}

int main(void)
{
	struct hparse p;
	char **v;
	size_t n, i, colon;
	char *s;

	fixture_init();

	hp_init(&p);
	tap_is_int(feed(&p, "Subject: hello"), HP_FIELD, "a field");
	tap_is_int(feed(&p, "  world"), HP_FIELD, "a continuation line");
	tap_is_int(feed(&p, "\tagain"), HP_FIELD, "a continuation with a tab");
	tap_is_int(feed(&p, "X-Empty:"), HP_FIELD, "an empty value");
	tap_is_int(feed(&p, "Subject : spaced"), HP_FIELD, "blanks before the colon");
	tap_is_int(feed(&p, ""), HP_END, "an empty line ends the header");
	tap_is_int(feed(&p, "To: x"), HP_BODY, "and what follows is body");
	tap_is_int((long)p.n, 3, "three fields");
	tap_is_str(p.f[0].name, "Subject", "name");
	tap_is_str(p.f[0].value, " hello\n  world\n\tagain", "value kept byte for byte with its folds");
	tap_is_str(p.f[1].value, "", "empty value");
	tap_is_str(p.f[2].name, "Subject", "name without the blanks before the colon");
	tap_is_str(p.f[2].value, " spaced", "value after the colon");
	tap_is_str(hp_value(&p, "subject"), " hello\n  world\n\tagain", "lookup is case-insensitive, first wins");
	hp_free(&p);

	hp_init(&p);
	tap_is_int(feed(&p, "This is not a header"), HP_BODY, "a line without a colon is body");
	tap_is_int((long)p.n, 0, "no fields");
	hp_free(&p);

	hp_init(&p);
	tap_is_int(feed(&p, " leading blank: x"), HP_BODY, "a first line with a leading blank is body");
	hp_free(&p);

	hp_init(&p);
	tap_is_int(feed(&p, "A: 1"), HP_FIELD, "field");
	tap_is_int(feed(&p, "Message: x"), HP_EOH, "Message: ends the header");
	hp_free(&p);

	tap_is_int((long)hp_isheader(":x", 2, &colon), 0, "an empty name is no field");
	tap_is_int((long)hp_isheader("N\xe9: x", 5, &colon), 0, "an 8-bit name is no field");
	tap_is_int((long)hp_isheader("X-A\0B: x", 8, &colon), 0, "a NUL in the name is no field");
	tap_is_int((long)hp_isheader("Key:v", 5, &colon), 3, "name length");
	tap_is_int((long)colon, 3, "colon position");

	hp_init(&p);
	feed(&p, "Received: a");
	feed(&p, "Via: b");
	feed(&p, "X-Received: c");
	feed(&p, "Bcc: d");
	tap_is_int(hp_hopcount(&p), 3, "trace fields and ours count as hops");
	tap_ok(!hp_has_visible_rcpt(&p), "Bcc alone is not a visible recipient field");
	tap_ok(!hp_resent(&p), "not resent");
	feed(&p, "Resent-To: e");
	tap_ok(!hp_has_visible_rcpt(&p), "nor is Resent-To (8.17 keeps Bcc: then)");
	tap_ok(hp_resent(&p), "a Resent- field makes it resent");
	feed(&p, "cc: f");
	tap_ok(hp_has_visible_rcpt(&p), "Cc: is");
	hp_free(&p);

	n = split_addrlist("a@x, \"b, c\" <b@y>, (c, d) e@z ,, f:g@h;", &v);
	tap_is_int((long)n, 4, "four addresses (quotes and comments hide commas, empties dropped)");
	if (n == 4) {
		tap_is_str(v[0], "a@x", "first");
		tap_is_str(v[1], "\"b, c\" <b@y>", "quoted phrase");
		tap_is_str(v[2], "(c, d) e@z", "comment");
		tap_is_str(v[3], "f:g@h;", "group kept as written");
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);

	s = bare_address("Joe <joe@x.org>");
	tap_is_str(s, "joe@x.org", "angle address");
	free(s);
	s = bare_address("root (Root User)");
	tap_is_str(s, "root", "comment dropped");
	free(s);
	s = bare_address("group: d@x.org");
	tap_is_str(s, "d@x.org", "group name dropped");
	free(s);
	s = bare_address("e@x.org;");
	tap_is_str(s, "e@x.org", "group end dropped");
	free(s);

	s = fullname_quote("Joe Public");
	tap_is_str(s, "Joe Public", "plain name");
	free(s);
	s = fullname_quote("Dr. X");
	tap_is_str(s, "\"Dr. X\"", "a dot asks for quotes");
	free(s);
	s = fullname_quote("Joe (x)");
	tap_is_str(s, "Joe (x)", "a comment does not");
	free(s);
	s = fullname_quote("Joe (x");
	tap_is_str(s, "\"Joe (x\"", "an unbalanced one does");
	free(s);
	return tap_done();
}
