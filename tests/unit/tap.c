/* tap.c -- TAP output for the unit tests (see tap.h). */
#include "tap.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int count, failed;

static void result(int cond, const char *fmt, va_list ap)
{
	count++;
	if (!cond)
		failed++;
	printf("%sok %d - ", cond ? "" : "not ", count);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

void tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	result(cond, fmt, ap);
	va_end(ap);
}

void tap_is_str(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	int same = (got == NULL && want == NULL) ||
		   (got != NULL && want != NULL && strcmp(got, want) == 0);
	va_start(ap, fmt);
	result(same, fmt, ap);
	va_end(ap);
	if (!same)
		printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)", want ? want : "(null)");
}

void tap_is_int(long got, long want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	result(got == want, fmt, ap);
	va_end(ap);
	if (got != want)
		printf("#   got:  %ld\n#   want: %ld\n", got, want);
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int tap_done(void)
{
	printf("1..%d\n", count);
	return failed ? 1 : 0;
}
