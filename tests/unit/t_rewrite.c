/* t_rewrite.c -- the rule engine on a small configuration: matching, $: and $@, classes
 * (including phrases of several tokens), subroutines, $&, loop and recursion limits. */
#include <stdio.h>
#include "conf.h"
#include "fixture.h"
#include "mta.h"
#include "rewrite.h"
#include "tap.h"

static const char cf[] =
	"V10/Berkeley\n"
	"O OperatorChars=.:%@!^/[]+\n"
	"Cwlocalhost mail.example.com\n"
	"S3\n"
	"R$* < $* > $*\t\t$2\n"
	"R$* @ $*\t\t$: $1 < @ $2 >\n"
	"SCheck\n"
	"R$* < @ $=w > $*\t\t$#local $: $1\n"
	"R$* < @ $+ > $*\t\t$#smtp $@ $2 $: $1 < @ $2 >\n"
	"R$*\t\t\t$#error $@ 5.1.1 $: \"550 bad\"\n"
	"SOnce\n"
	"R$+\t\t\t$: x $1\n"
	"SReturn\n"
	"R$+\t\t\t$@ r $1\n"
	"R$*\t\t\tnot reached\n"
	"SLoop\n"
	"R$* y\t\t\t$1 y\n"
	"SCall\n"
	"R$+ | $+\t\t\t$>Once $1 $>Return $2\n"
	"SDeferred\n"
	"R$*\t\t\t$: $&z $1\n"
	"SNotClass\n"
	"R$~w\t\t\t$: not-ours\n"
	"SDeep\n"
	"R$*\t\t\t$@ $>Deep $1\n"
	"SBacktrack\n"
	"R$* . $* . $*\t\tfirst = $1 middle = $2 last = $3\n";

int main(void)
{
	int st;

	fixture_init();
	tap_is_int(fixture_readcf(cf), 0, "the configuration reads without errors");
	tap_is_str(fixture_rewrite("3", "<user@localhost>", &st), "user < @ localhost >",
		   "ruleset 3 focuses the host part");
	tap_is_str(fixture_rewrite("3,Check", "user@localhost", &st), "$# local $: user",
		   "a class member resolves locally");
	tap_is_str(fixture_rewrite("3,Check", "user@mail.example.com", &st), "$# local $: user",
		   "a class member of several tokens matches");
	tap_is_str(fixture_rewrite("3,Check", "user@remote.example.net", &st),
		   "$# smtp $@ remote . example . net $: user < @ remote . example . net >",
		   "others go to smtp with host and user");
	tap_is_str(fixture_rewrite("Check", "nothing", &st), "$# error $@ 5 . 1 . 1 $: \"550 bad\"",
		   "an error triple");
	tap_is_str(fixture_rewrite("Once", "a", &st), "x a", "$: applies a rule once");
	tap_is_str(fixture_rewrite("Return", "a", &st), "r a", "$@ returns at once");
	tap_is_str(fixture_rewrite("Call", "a | b", &st), "x a r b",
		   "subroutine calls run on the rest of the workspace");
	tap_is_str(fixture_rewrite("NotClass", "elsewhere", &st), "not-ours", "$~ matches a non-member");
	tap_is_str(fixture_rewrite("NotClass", "localhost", &st), "localhost", "and not a member");
	tap_is_str(fixture_rewrite("Backtrack", "a.b.c.d", &st), "first = a middle = b last = c . d",
		   "$* takes the shortest match first");
	printf("# the next lines print the engine's error messages\n");
	tap_is_str(fixture_rewrite("Loop", "y", &st), "y", "a rule that always matches stops after 100 times");
	fixture_rewrite("Deep", "a", &st);
	tap_is_int(st, EX_CONFIG, "runaway recursion stops with a configuration error");
	return tap_done();
}
