/* arena.c -- region allocator (see arena.h). */
#include "arena.h"
#include "xalloc.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct block {
	struct block *next;
	size_t size, used;
	max_align_t data[];
};

struct arena {
	struct block *head;
};

#define BLOCK_MIN 16384

static struct block *block_new(size_t want)
{
	size_t size = want > BLOCK_MIN ? want : BLOCK_MIN;
	struct block *b = xmalloc(size_add(sizeof(struct block), size));
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

arena *arena_new(void)
{
	arena *a = xmalloc(sizeof *a);
	a->head = block_new(BLOCK_MIN);
	return a;
}

void *arena_alloc(arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	struct block *b = a->head;
	size_t off = (b->used + align - 1) & ~(align - 1);

	if (off > b->size || b->size - off < n) {
		struct block *nb = block_new(size_add(n, align));
		nb->next = b;
		a->head = nb;
		b = nb;
		off = 0;
	}
	b->used = size_add(off, n);
	return (char *)b->data + off;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, size_add(n, 1));
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_reset(arena *a)
{
	struct block *b = a->head;

	while (b->next != NULL) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	b->used = 0;
	a->head = b;
}

void arena_free(arena *a)
{
	arena_reset(a);
	free(a->head);
	free(a);
}
