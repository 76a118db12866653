/* t_macro.c -- macro names, definitions, conditionals and expansion. */
#include <string.h>
#include "fixture.h"
#include "mta.h"
#include "macro.h"
#include "sbuf.h"
#include "tap.h"

static const char *ex(const char *text)
{
	static sbuf t, out;
	translate_dollars(text, &t);
	expand(t.s, &out);
	return out.s;
}

int main(void)
{
	int a, b;

	fixture_init();
	ConfigLevel = 10;
	macdefine('x', "Full Name");
	macdefine('g', "user@example.com");
	tap_is_str(ex("$?x$x <$g>$|$g$."), "Full Name <user@example.com>", "conditional, macro set");
	macdefine('x', NULL);
	tap_is_str(ex("$?x$x <$g>$|$g$."), "user@example.com", "conditional, macro unset");
	macdefine('x', "");
	tap_is_str(ex("$?xyes$|no$."), "no", "an empty macro counts as unset");
	tap_is_str(ex("cost $$5"), "cost $5", "$$ is a dollar sign");
	a = macid("{client_addr}");
	b = macid("{client_addr}");
	tap_ok(a >= 0240 && a == b, "a long name gets one id in the long-name range");
	tap_is_str(macname(a), "client_addr", "and keeps its name");
	macdefine(a, "10.1.2.3");
	tap_is_str(ex("[${client_addr}]"), "[10.1.2.3]", "long names expand");
	tap_is_int(macid("{q}"), 'q', "${q} is the same macro as $q");
	tap_is_str(macvalue('n'), "MAILER-DAEMON", "$n is predefined");
	macdefine('y', "a");
	tap_is_str(ex("$?y$?xboth$|y-only$.$|none$."), "y-only", "conditionals nest");
	tap_is_str(ex("text # comment"), "text", "a # starts a comment at level 3 and up");
	tap_is_str(ex("a\\#b"), "a#b", "an escaped # is kept");
	return tap_done();
}
