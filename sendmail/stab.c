/* stab.c -- the symbol table (see stab.h). */
#include "stab.h"
#include <string.h>
#include <strings.h>
#include "xalloc.h"

#define STABSIZE 2003

static STAB *table[STABSIZE];

static unsigned hash(const char *name, int type)
{
	unsigned h = (unsigned)type;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p != '\0'; p++)
		h = ((h << 1) ^ (unsigned)lower_c(*p)) % STABSIZE;
	return h;
}

STAB *stab(const char *name, int type, enum stab_op op)
{
	STAB **pp = &table[hash(name, type)];
	STAB *s;
	bool exact = (type == ST_MACRO || type == ST_RULESET);

	for (; (s = *pp) != NULL; pp = &s->next) {
		if (s->type != type)
			continue;
		if (exact ? strcmp(name, s->name) == 0 : strcasecmp(name, s->name) == 0)
			return s;
	}
	if (op == ST_FIND)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->name = xstrdup(name);
	s->type = type;
	if (type == ST_RULESET)
		s->v.ruleset = -1;
	*pp = s;
	return s;
}

void stab_apply(void (*fn)(STAB *s, void *arg), void *arg)
{
	size_t i;
	STAB *s;

	for (i = 0; i < STABSIZE; i++)
		for (s = table[i]; s != NULL; s = s->next)
			fn(s, arg);
}

struct copyarg { int from, to; };

static void copy_one(STAB *s, void *arg)
{
	struct copyarg *c = arg;
	if (s->type == ST_CLASS && bitnset(c->from, s->v.classes))
		setbitn(c->to, s->v.classes);
}

void setclass(int cl, const char *word)
{
	STAB *s;

	if ((unsigned char)word[0] == MATCHCLASS) {
		/* "$=Y" among the words: every member of class Y */
		struct copyarg c = { (unsigned char)word[1], cl };
		if (c.from != 0)
			stab_apply(copy_one, &c);
		return;
	}
	s = stab(word, ST_CLASS, ST_ENTER);
	setbitn(cl, s->v.classes);
}

bool wordinclass(const char *word, int cl)
{
	STAB *s = stab(word, ST_CLASS, ST_FIND);
	return s != NULL && bitnset(cl, s->v.classes);
}
