/* t_token.c -- the address tokenizer: operators, atoms, quoted strings, comments,
 * unbalanced brackets, limits, and the printing of metasymbols. */
#include <stdio.h>
#include <string.h>
#include "fixture.h"
#include "mta.h"
#include "sbuf.h"
#include "tap.h"
#include "token.h"

static const char *show(const char *tok)
{
	static sbuf b;
	sb_reset(&b);
	xputs_sb(&b, tok);
	return b.s;
}

int main(void)
{
	sbuf big = SBUF_INIT;
	int i;
	char metas[3];

	fixture_init();
	token_set_operators(".:%@!^/[]+");

	tap_is_str(fixture_tokens("first.last+tag@remote.example.net"),
		   "first . last + tag @ remote . example . net", "operator characters split atoms");
	tap_is_str(fixture_tokens("Full Name <user@remote.example.net>"),
		   "Full Name < user @ remote . example . net >", "phrase and angle brackets");
	tap_is_str(fixture_tokens("user@remote.example.net (Full Name)"),
		   "user @ remote . example . net", "comments are dropped from external addresses");
	tap_is_str(fixture_tokens("user (comment (nested)) @ remote.example.net"),
		   "user @ remote . example . net", "comments nest");
	tap_is_str(fixture_tokens("\"quoted user\"@remote.example.net"),
		   "\"quoted user\" @ remote . example . net", "a quoted string is one token");
	tap_is_str(fixture_tokens("\"user\\\"quote\"@x"), "\"user\\\"quote\" @ x",
		   "an escaped quote stays inside the quoted string");
	tap_is_str(fixture_tokens("a $| b"), "a $| b", "a typed $| is plain text, not the operator");
	tap_is_str(fixture_tokens("group: a@b, c@d;"), "group : a @ b , c @ d ;",
		   "comma and semicolon are always operators");

	printf("# the next lines print the tokenizer's error messages\n");
	tap_is_str(fixture_tokens("<user@remote"), "< user @ remote >",
		   "an unclosed < is closed (and reported)");
	tap_is_str(fixture_tokens("user@remote>"), "user @ remote",
		   "a stray > is dropped (and reported)");
	tap_is_str(fixture_tokens("\"open"), "\"open\"", "an unclosed quote is closed");

	sb_init(&big);
	for (i = 0; i < 1001; i++)
		sb_puts(&big, "a.");
	tap_ok(fixture_tokens(big.s) == NULL, "more than 1000 tokens is refused");
	sb_reset(&big);
	for (i = 0; i < 300; i++)
		sb_putc(&big, 'x');
	tap_ok(fixture_tokens(big.s) == NULL, "a token over 256 bytes is refused");
	sb_free(&big);

	metas[1] = 'w';
	metas[2] = '\0';
	metas[0] = (char)MATCHCLASS;
	tap_is_str(show(metas), "$=w", "class match prints as $=w");
	metas[0] = (char)MATCHREPL;
	metas[1] = '3';
	tap_is_str(show(metas), "$3", "replacement prints as $3");
	metas[0] = (char)CANONNET;
	metas[1] = '\0';
	tap_is_str(show(metas), "$#", "$# prints as itself");
	tap_is_str(show("a\tb\nc"), "a\\tb\\nc", "control characters print escaped");
	return tap_done();
}
