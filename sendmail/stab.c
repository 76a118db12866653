/* stab.c -- the symbol table (see stab.h). */
#include "stab.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "xalloc.h"

#define STABSIZE 2003

static STAB *table[STABSIZE];

/* The buckets above give the order 8.17 lists entries in; lookups go through a second,
 * open-addressing index with a cheaper hash, since class tests run for every token of
 * every rule. */
static STAB **fast;
static size_t fastcap, fastcount;

static size_t fasthash(const char *name, int type, bool exact)
{
	size_t h = 2166136261u ^ (size_t)type;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p != '\0'; p++)
		h = (h ^ (size_t)(exact ? *p : lower_c(*p))) * 16777619u;
	return h;
}

static bool exact_type(int type)
{
	return type == ST_MACRO || type == ST_RULESET || type == ST_NAMECANON;
}

static void fast_insert(STAB *s)
{
	size_t i, mask;

	if ((fastcount + 1) * 2 > fastcap) {
		STAB **old = fast;
		size_t oldcap = fastcap, j;
		fastcap = fastcap ? fastcap * 2 : 1024;
		fast = xcalloc(fastcap, sizeof *fast);
		fastcount = 0;
		for (j = 0; j < oldcap; j++)
			if (old[j] != NULL)
				fast_insert(old[j]);
		free(old);
	}
	mask = fastcap - 1;
	for (i = s->hash & mask; fast[i] != NULL; i = (i + 1) & mask)
		;
	fast[i] = s;
	fastcount++;
}

static STAB *fast_find(const char *name, int type)
{
	size_t i, mask, h;
	bool exact = exact_type(type);
	STAB *s;

	if (fast == NULL)
		return NULL;
	mask = fastcap - 1;
	h = fasthash(name, type, exact);
	for (i = h & mask; (s = fast[i]) != NULL; i = (i + 1) & mask)
		if (s->hash == h && s->type == type &&
		    (exact ? strcmp(name, s->name) == 0 : strcasecmp(name, s->name) == 0))
			return s;
	return NULL;
}

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
	STAB **pp;
	STAB *s = fast_find(name, type);

	if (s != NULL || op == ST_FIND)
		return s;
	for (pp = &table[hash(name, type)]; *pp != NULL; pp = &(*pp)->next)
		;
	s = xcalloc(1, sizeof *s);
	s->name = xstrdup(name);
	s->type = type;
	if (type == ST_RULESET)
		s->v.ruleset = -1;
	*pp = s;
	s->hash = fasthash(s->name, type, exact_type(type));
	fast_insert(s);
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

size_t ClassWordMax;

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
	if (strlen(word) > ClassWordMax)
		ClassWordMax = strlen(word);
}

void setclass_words(int cl, char *p)
{
	while (*p != '\0') {
		char *w, save;
		while (*p != '\0' && isascii((unsigned char)*p) && isspace((unsigned char)*p))
			p++;
		w = p;
		while (*p != '\0' && !(isascii((unsigned char)*p) && isspace((unsigned char)*p)))
			p++;
		save = *p;
		*p = '\0';
		if (w[0] != '\0')
			setclass(cl, w);
		*p = save;
	}
}

bool wordinclass(const char *word, int cl)
{
	STAB *s = stab(word, ST_CLASS, ST_FIND);
	return s != NULL && bitnset(cl, s->v.classes);
}
