/* xalloc.c -- checked allocation and size arithmetic (see xalloc.h). */
#include "xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EX_OSERR 71

static void nomem(size_t n)
{
	fprintf(stderr, "out of memory (wanted %zu bytes)\n", n);
	exit(EX_OSERR);
}

size_t size_add(size_t a, size_t b)
{
	size_t r;
	if (__builtin_add_overflow(a, b, &r)) {
		fprintf(stderr, "size overflow\n");
		abort();
	}
	return r;
}

size_t size_mul(size_t a, size_t b)
{
	size_t r;
	if (__builtin_mul_overflow(a, b, &r)) {
		fprintf(stderr, "size overflow\n");
		abort();
	}
	return r;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		nomem(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		nomem(size_mul(n, size));
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		nomem(n);
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	return xrealloc(p, size_mul(n, size));
}

char *xstrdup(const char *s)
{
	return xmemdup(s, strlen(s) + 1);
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(size_add(len, 1));
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *xmemdup(const void *p, size_t n)
{
	void *q = xmalloc(n);
	if (n)
		memcpy(q, p, n);
	return q;
}
