/* map.h -- maps (K lines): named lookup tables of many classes behind one interface.
 *
 * A map is declared `Kname class [flags] [argument]`; map_parseargs() reads the common flags,
 * the class's parse function the rest.  Maps open lazily on first use (as 8.17 does in
 * address test mode); a map that fails to open is either marked invalid (optional maps, -o:
 * lookups then find nothing) or "bogus" (lookups fail temporarily, EX_TEMPFAIL).
 *
 * A lookup returns the value (after %0..%9 substitution from av and the -a suffix, see
 * map_rewrite) in storage that stays valid until the next lookup in that map or the end of
 * the current command (Scratch arena), or NULL when not found; *stat gets EX_OK, or
 * EX_TEMPFAIL / EX_UNAVAILABLE / ... on failure. */
#ifndef MAP_H
#define MAP_H
#include "mta.h"

/* map flags */
#define MF_VALID	0x00000001	/* declared and usable */
#define MF_INCLNULL	0x00000002	/* -N: keys include the trailing NUL */
#define MF_OPTIONAL	0x00000004	/* -o: a missing map is not an error */
#define MF_NOFOLDCASE	0x00000008	/* -f: keys are not folded to lower case */
#define MF_MATCHONLY	0x00000010	/* -m: return the key, not the value */
#define MF_OPEN		0x00000020
#define MF_WRITABLE	0x00000040
#define MF_ALIAS	0x00000080	/* an alias map */
#define MF_TRY0NULL	0x00000100	/* try keys without a NUL */
#define MF_TRY1NULL	0x00000200	/* try keys with a NUL */
#define MF_APPEND	0x00000400	/* -A: merge duplicate keys when building */
#define MF_KEEPQUOTES	0x00000800	/* -q: don't dequote the key */
#define MF_NODEFER	0x00001000	/* -t: temporary failure is "not found" */
#define MF_REGEX_NOT	0x00002000	/* regex -n */
#define MF_DEFER	0x00004000	/* -D: no lookups in defer delivery mode */
#define MF_SINGLEMATCH	0x00008000	/* ldap -1 */
#define MF_OPENBOGUS	0x00010000	/* opening failed: lookups fail temporarily */
#define MF_KEEPXFMT	0x00020000	/* keep the internal format of the result */
#define MF_IMPL_HASH	0x00040000	/* implicit: hash tried */
#define MF_FILECLASS	0x00080000	/* used to fill a class (F@map) */
#define MF_SECURE	0x00100000
#define MF_OPTFAILED	0x00200000	/* -o map whose opening failed: set aside until maps_reset */

#define MCF_ALIASOK	0x01	/* can be an alias map */
#define MCF_ALIASONLY	0x02	/* only an alias map */
#define MCF_REBUILDABLE	0x04	/* newaliases can write it */
#define MCF_OPTFILE	0x08	/* its file argument is optional */
#define MCF_NOTPERSIST	0x10	/* no open state worth keeping */

struct map;

typedef struct mapclass {
	const char *name;
	const char *ext;	/* file name extension (".db") or NULL */
	int cflags;
	/* parse the arguments after the class name (default: map_parseargs) */
	bool (*parse)(struct map *map, char *args);
	/* open for reading; false on failure (after reporting it unless optional) */
	bool (*open)(struct map *map, int mode);
	const char *(*lookup)(struct map *map, const char *key, char **av, int *stat);
	void (*close)(struct map *map);
} MAPCLASS;

typedef struct map {
	const MAPCLASS *class;
	const MAPCLASS *orgclass;	/* before it was made bogus */
	char *mname;			/* the map's name */
	unsigned mflags;
	char *file;			/* file name, or spec (class dependent) */
	char *keycolnm;			/* -k */
	char *valcolnm;			/* -v */
	int keycolno, valcolno;
	char coldelim;			/* -z */
	char *app;			/* -a */
	char *tapp;			/* -T */
	int spacesub;			/* -S */
	char *domain;			/* -d / dns base domain etc. */
	long timeout;			/* -d<time> for host/dns/socket */
	int retry;			/* -r */
	char *rebuild;			/* -R etc. (class dependent text) */
	char **args;			/* class-specific extra words (program argv, regex pattern) */
	struct map *stack[MAXMAPSTACK];	/* sequence / switch members */
	void *db;			/* class-private state */
	long mtime;			/* file time when opened (reopen on change) */
	int dnstype;			/* dns -R */
	int sizelimit;			/* dns -Z */
	char *regexdelim;		/* regex -d */
	int regex_nsub;
	int *regex_subs;		/* regex -s list, -1 terminated */
	int loglevel;			/* syslog -L */
} MAP;

/* declare a map from the text of a K line (after the K); false after reporting an error */
bool makemapentry(const char *line);
/* find a map by name */
MAP *map_find(const char *name);
/* open if not open yet; false if it can't be used (optional and missing) */
bool map_openmap(MAP *map);
/* the lookup as the rewriting engine does it: open, dequote the key (unless -q), look up,
 * apply -T on temporary failure.  NULL if not found (or failed; *stat says). */
const char *map_lookup(MAP *map, char *key, char **av, int *stat);
/* substitute %0..%9 from av in the found value s (slen bytes) and append -a */
const char *map_rewrite(MAP *map, const char *s, size_t slen, char **av);
/* the common flag parser: -o -N -O -a -T -k -v -z -f -m -q -t -D -S -A -d -r ... and the file */
bool map_parseargs(MAP *map, char *args);
/* Classes with flag parsers of their own: the letter of the next "-x" at *pp, with *pp
 * moved past it (a lone "-" at the end gives '\0'), or -1 when no flag comes next. */
int map_next_flag(char **pp);
/* register a map class (called by each map_*.c's init) */
void mapclass_register(const MAPCLASS *mc);
const MAPCLASS *mapclass_find(const char *name);
void maps_init(void);		/* register every class and the built-in maps */
/* a built-in map declared by the program (host, dequote, ...) if the cf did not declare it */
MAP *map_declare(const char *name, const char *classname, const char *args);
/* close every open map */
void maps_close(void);
/* maps_close, and the maps whose opening failed are tried again at their next use, as in a
 * fresh process (the daemon's session processes, between two connections) */
void maps_reset(void);
/* fold a key to lower case in place, as 8.17 does */
void makelower(char *s);

/* registration functions of the classes in the other map_*.c files */
void map_db_init(void);		/* hash, btree, implicit */
void map_host_init(void);	/* host */
void map_text_init(void);	/* text */
void map_dns_init(void);	/* dns, bestmx */
void map_regex_init(void);	/* regex */
void map_misc_init(void);	/* stab, null, dequote, macro, arith, syslog, program, user, arpa, ... */

#endif
