/* xalloc.h -- allocation that cannot fail silently, and size arithmetic checked for overflow.
 * Every allocation in the project goes through here: on exhaustion the program says so and
 * exits (EX_OSERR), so callers never carry half-built state on a NULL. */
#ifndef XALLOC_H
#define XALLOC_H
#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);

/* size_t arithmetic: abort the program rather than wrap. */
size_t size_add(size_t a, size_t b);
size_t size_mul(size_t a, size_t b);

#endif
