/* stab.h -- the symbol table: classes, macros' long names, rulesets' names, mailers, maps.
 * One hash table, keyed by (type, name).  Its bucket order is the order in which 8.17 lists
 * a class for `$=X` in address test mode, so the hash function and the chaining (new
 * entries at the end of their bucket) follow the reference's observable ordering. */
#ifndef STAB_H
#define STAB_H
#include "mta.h"

enum stab_type {
	ST_UNDEF = 0,
	ST_CLASS = 1,		/* a word; value: bitmap of the classes it belongs to */
	ST_MAILER = 3,
	ST_MAP = 6,
	ST_MACRO = 9,		/* long macro name -> id */
	ST_RULESET = 10,	/* ruleset name -> number */
	ST_SERVICE = 11,	/* service switch entry */
	ST_NAMECANON = 8,	/* host map results, per name */
	ST_ALIAS = 4,		/* an alias read from a text alias file */
	ST_MAPCLASS = 5,
};

struct mailer;
struct map;
struct mapclass;
struct namecanon;

typedef struct stab {
	struct stab *next;
	char *name;
	int type;
	size_t hash;		/* of the fast lookup index */
	union {
		bitmap256 classes;
		struct mailer *mailer;
		struct map *map;
		const struct mapclass *mapclass;
		int macro;
		int ruleset;
		char **service;
		struct namecanon *namecanon;
		char *alias;
	} v;
} STAB;

enum stab_op { ST_FIND, ST_ENTER };

/* Look NAME up; with ST_ENTER, create it (zeroed) if absent.  Names compare without case
 * except for macros and rulesets. */
STAB *stab(const char *name, int type, enum stab_op op);
/* Call fn on every entry, in table order. */
void stab_apply(void (*fn)(STAB *s, void *arg), void *arg);

/* classes */
void setclass(int cl, const char *word);
/* add each white-space separated word of text to the class */
void setclass_words(int cl, char *text);
extern size_t ClassWordMax;	/* the longest word in any class */
bool wordinclass(const char *word, int cl);

#endif
