/* map_regex.c -- the "regex" map class: POSIX regular expressions.
 *
 *   Kname regex [-n] [-f] [-b] [-s[N,M,...]] [-d<delim>] [-a<app>] [-m] [-q] [-D] pattern
 *
 * Everything after the flags is the pattern, spaces included.  Extended syntax and case
 * insensitive matching unless -b (basic) or -f (case sensitive); -n inverts the match.  A
 * match returns the empty string, or with -s the listed subexpressions (all of them for a
 * bare -s) joined by the -d string (default: the $| metasymbol byte), or with -m the key.
 * Unknown flags are ignored, as 8.17 does.
 *
 * A quirk of 8.17 kept here: when the lookup is given arguments ($@), the first argument
 * replaces the -s list ("2,1" picks subexpressions 2 and 1) for that lookup. */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "map.h"
#include "xalloc.h"

#define DEFAULT_DELIM	"\233"	/* CONDELSE, the $| metasymbol */

struct regex_state {
	regex_t re;
	bool compiled;
	bool have_subs;		/* -s given */
};

/* Parse "N,M,..." into a -1 terminated list, checking each against the number of
 * subexpressions; NULL after reporting one out of range. */
static int *parse_fields(const char *text, int nsub)
{
	size_t n = 1, i = 0;
	const char *p;
	int *list;

	for (p = text; *p != '\0'; p++)
		if (*p == ',')
			n++;
	list = xreallocarray(NULL, n + 1, sizeof(int));
	p = text;
	for (;;) {
		int v = atoi(p);
		if (v < 0 || v > nsub) {
			syserr("field (%d) out of range, only %d substrings in pattern", v, nsub + 1);
			free(list);
			return NULL;
		}
		list[i++] = v;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		p++;
	}
	list[i] = -1;
	return list;
}

static bool regex_parse(MAP *map, char *p)
{
	struct regex_state *rs = xcalloc(1, sizeof *rs);
	int cflags = REG_EXTENDED | REG_ICASE;
	const char *subs = NULL;
	char *delim = NULL;
	int rc;

	map->mflags |= MF_TRY0NULL | MF_TRY1NULL;
	map->db = rs;
	for (;;) {
		char *w;
		while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
			p++;
		if (*p != '-')
			break;
		w = ++p;
		while (*p != '\0' && !(isascii((unsigned char)*p) && isspace((unsigned char)*p)))
			p++;
		if (*p != '\0')
			*p++ = '\0';
		switch (*w) {
		case 'n': map->mflags |= MF_REGEX_NOT; break;
		case 'f': cflags &= ~REG_ICASE; break;
		case 'b': cflags &= ~REG_EXTENDED; break;
		case 's': subs = w + 1; rs->have_subs = true; break;
		case 'd': delim = w + 1; break;
		case 'a': map->app = xstrdup(w + 1); break;
		case 'T': map->tapp = xstrdup(w + 1); break;
		case 'm': map->mflags |= MF_MATCHONLY; break;
		case 'q': map->mflags |= MF_KEEPQUOTES; break;
		case 'D': map->mflags |= MF_DEFER; break;
		case 'o': map->mflags |= MF_OPTIONAL; break;
		case 't': map->mflags |= MF_NODEFER; break;
		default: break;	/* ignored */
		}
	}
	map->file = xstrdup(p);
	map->regexdelim = xstrdup(delim != NULL ? delim : DEFAULT_DELIM);
	rc = regcomp(&rs->re, map->file, cflags);
	if (rc != 0) {
		size_t n = regerror(rc, &rs->re, NULL, 0);
		char *msg = xmalloc(n + 1);
		regerror(rc, &rs->re, msg, n + 1);
		syserr("pattern-compile-error: %s", msg);
		free(msg);
		return false;
	}
	rs->compiled = true;
	map->regex_nsub = (int)rs->re.re_nsub;
	if (rs->have_subs) {
		if (*subs == '\0') {
			int i;
			map->regex_subs = xreallocarray(NULL, (size_t)map->regex_nsub + 2, sizeof(int));
			for (i = 0; i <= map->regex_nsub; i++)
				map->regex_subs[i] = i;
			map->regex_subs[i] = -1;
		} else {
			map->regex_subs = parse_fields(subs, map->regex_nsub);
			if (map->regex_subs == NULL)
				return false;
		}
	}
	return true;
}

static const char *regex_lookup(MAP *map, const char *key, char **av, int *stat)
{
	struct regex_state *rs = map->db;
	size_t nmatch = (size_t)map->regex_nsub + 1;
	regmatch_t *pm;
	bool matched;
	const char *r;
	int *list, *ip;
	sbuf b = SBUF_INIT;

	*stat = EX_OK;
	if (rs == NULL || !rs->compiled)
		return NULL;
	pm = xreallocarray(NULL, nmatch, sizeof *pm);
	matched = regexec(&rs->re, key, nmatch, pm, 0) == 0;
	if (map->mflags & MF_REGEX_NOT)
		matched = !matched;
	if (!matched) {
		free(pm);
		return NULL;
	}
	if (map->mflags & MF_MATCHONLY) {
		free(pm);
		return map_rewrite(map, key, strlen(key), NULL);
	}
	if (map->regex_subs == NULL || (map->mflags & MF_REGEX_NOT)) {
		free(pm);
		return map_rewrite(map, "", 0, av);
	}
	list = map->regex_subs;
	if (av != NULL && av[0] != NULL && av[1] != NULL) {
		list = parse_fields(av[1], map->regex_nsub);
		if (list == NULL) {
			free(pm);
			return NULL;
		}
	}
	sb_init(&b);
	for (ip = list; *ip >= 0; ip++) {
		if (ip != list)
			sb_puts(&b, map->regexdelim);
		if (pm[*ip].rm_so >= 0 && pm[*ip].rm_eo >= pm[*ip].rm_so)
			sb_put(&b, key + pm[*ip].rm_so, (size_t)(pm[*ip].rm_eo - pm[*ip].rm_so));
	}
	r = map_rewrite(map, b.s, b.len, av);
	sb_free(&b);
	if (list != map->regex_subs)
		free(list);
	free(pm);
	return r;
}

static const MAPCLASS regex_class = { "regex", NULL, MCF_OPTFILE, regex_parse, NULL,
				      regex_lookup, NULL };

void map_regex_init(void)
{
	mapclass_register(&regex_class);
}
