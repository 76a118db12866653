/* tap.h -- a minimal Test Anything Protocol emitter for the C unit tests, run by prove.
 * Each check prints "ok N - name" or "not ok N - name" with the values that differed;
 * tap_done() prints the plan and returns the exit status. */
#ifndef TAP_H
#define TAP_H
#include <stddef.h>

void tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_is_str(const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tap_is_int(long got, long want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tap_done(void);

#endif
