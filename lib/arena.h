/* arena.h -- a region allocator for short-lived strings.
 * Address rewriting makes many small token strings whose lifetime is one address (or one
 * -bt command); they come from an arena that is emptied in one step afterwards, which is
 * both faster than malloc/free per token and leak-proof. */
#ifndef ARENA_H
#define ARENA_H
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void *arena_alloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_reset(arena *a);	/* free everything allocated so far (keeps the first block) */
void arena_free(arena *a);

#endif
