/* t_dsn.c -- the DSN module's formatting helpers: intervals as 8.17 words them in warning
 * subjects and transcripts, RFC 822 dates, xtext (RFC 3461) decoding, the texts of the exit
 * statuses, the timeout lines and $g for Return-Path.  (Whole notices are compared with
 * sendmail 8.17's in tests/dsn-diff.t.) */
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include "conf.h"
#include "dsn.h"
#include "mailexec.h"
#include "fixture.h"
#include "tap.h"

static const char *interval(long s)
{
	static sbuf b;
	sb_init(&b);
	dsn_interval(s, &b);
	return b.s;
}

static const char *xtext(const char *s)
{
	static sbuf b;
	sb_init(&b);
	dsn_xtext_decode(s, &b);
	return b.s;
}

static const char *retpath(const char *sender)
{
	static sbuf b;
	struct envelope e;
	env_init(&e);
	e.sender = (char *)sender;
	sb_init(&b);
	dsn_return_path(&e, &b);
	return b.s;
}

int main(void)
{
	sbuf b = SBUF_INIT;

	fixture_init();
	tap_is_str(interval(0), "zero seconds", "0 seconds");
	tap_is_str(interval(1), "1 second", "1 second, singular");
	tap_is_str(interval(4 * 3600), "4 hours", "Timeout.queuewarn's default");
	tap_is_str(interval(5 * 86400), "5 days", "Timeout.queuereturn's default");
	tap_is_str(interval(3600 + 1800), "1 hour, 30 minutes", "two units");
	tap_is_str(interval(8 * 86400 + 61), "1 week, 1 day, 1 minute, 1 second",
		   "weeks, zero units left out");

	tap_is_str(xtext("env+2B1"), "env+1", "xtext +2B");
	tap_is_str(xtext("rfc822;orig+40x.example"), "rfc822;orig@x.example", "xtext +40");
	tap_is_str(xtext("a+zz+4"), "a+zz+4", "a + without two hex digits stays");

	tap_is_str(exit_message(EX_NOUSER), "User unknown", "EX_NOUSER text");
	tap_is_str(exit_message(EX_TEMPFAIL), "Deferred", "EX_TEMPFAIL text");
	tap_ok(exit_message(12345) == NULL, "no text for an unknown status");
	tap_is_str(exit_status(EX_NOUSER), "5.1.1", "EX_NOUSER status");
	tap_is_str(exit_status(EX_TEMPFAIL), "4.0.0", "EX_TEMPFAIL status");

	tap_is_str(retpath("<>"), "", "null sender: empty $g");
	tap_is_str(retpath("<a@b.example>"), "a@b.example", "brackets taken off");
	tap_is_str(retpath("daemon"), "daemon", "a bare local sender as it is");

	setenv("TZ", "UTC", 1);
	tzset();
	sb_init(&b);
	dsn_arpadate(1795252741, &b);
	tap_is_str(b.s, "Sat, 21 Nov 2026 09:19:01 GMT", "RFC 822 date in UTC");
	setenv("TZ", "America/New_York", 1);
	tzset();
	sb_reset(&b);
	dsn_arpadate(1795252741, &b);
	tap_is_str(b.s, "Sat, 21 Nov 2026 04:19:01 -0500 (EST)", "RFC 822 date with a zone");

	sb_reset(&b);
	dsn_timeout_lines(DSN_WARNING, &b);
	tap_is_str(b.s, "Warning: message still undelivered after 4 hours\n"
			"Will keep trying until message is 5 days old\n", "warning lines, default timeouts");
	setoption_long("Timeout.queuereturn", "3d", false, true);
	sb_reset(&b);
	dsn_timeout_lines(DSN_RETURN, &b);
	tap_is_str(b.s, "Message could not be delivered for 3 days\nMessage will be deleted from queue\n",
		   "return lines follow Timeout.queuereturn");
	sb_reset(&b);
	dsn_timeout_lines(DSN_ERROR, &b);
	tap_is_str(b.s, "", "no timeout lines for a plain error");
	sb_free(&b);
	return tap_done();
}
