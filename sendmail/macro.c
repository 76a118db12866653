/* macro.c -- macro names, values and expansion (see macro.h). */
#include "macro.h"
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include "diag.h"
#include "stab.h"
#include "xalloc.h"

#define FIRST_LONG_ID	0240
#define MAX_MACRO_RECURSION 10
#define EXPAND_LIMIT	4096	/* 8.17 truncates an expansion at this many bytes */

static char *values[256];
static const char *longnames[256];
static int next_id = FIRST_LONG_ID;

/* the metasymbols that the one-character macros stand for */
static const struct { char name; unsigned char code; } metamacros[] = {
	{ '*', MATCHZANY }, { '+', MATCHANY }, { '-', MATCHONE }, { '=', MATCHCLASS },
	{ '~', MATCHNCLASS }, { '#', CANONNET }, { '@', CANONHOST }, { ':', CANONUSER },
	{ '>', CALLSUBR }, { '?', CONDIF }, { '|', CONDELSE }, { '.', CONDFI },
	{ '[', HOSTBEGIN }, { ']', HOSTEND }, { '(', LOOKUPBEGIN }, { ')', LOOKUPEND },
	{ '&', MACRODEXPAND },
};

void macros_init(void)
{
	char buf[3];
	size_t i;
	int c;

	for (i = 0; i < sizeof metamacros / sizeof metamacros[0]; i++) {
		buf[0] = (char)metamacros[i].code;
		buf[1] = '\0';
		macdefine((unsigned char)metamacros[i].name, buf);
	}
	buf[0] = (char)MATCHREPL;
	buf[2] = '\0';
	for (c = '0'; c <= '9'; c++) {
		buf[1] = (char)c;
		macdefine(c, buf);
	}
	macdefine('n', "MAILER-DAEMON");
}

/* a name that could not be given an id: 8.17 says so a second time */
static int unassigned(void)
{
	syserr("Unable to assign macro/class ID (mid = 0x%x)", 0xffffffffu);
	return 0;
}

int macid_parse(const char *p, const char **ep)
{
	const char *start;
	size_t len;
	char name[MAXMACNAMELEN + 1];
	STAB *s;

	if (ep != NULL)
		*ep = p;
	if (*p == '\0') {
		syserr("Name required for macro/class");
		return 0;
	}
	if (*p != '{') {
		if (ep != NULL)
			*ep = p + 1;
		return (unsigned char)*p;
	}
	start = ++p;
	len = 0;
	for (; *p != '\0' && *p != '}' && len < MAXMACNAMELEN; p++) {
		if (isascii((unsigned char)*p) && (isalnum((unsigned char)*p) || *p == '_'))
			name[len++] = *p;
		else
			syserr("Invalid macro/class character %c", *p);
	}
	name[len] = '\0';
	(void)start;
	if (*p == '\0') {
		syserr("Unbalanced { on %s", name);
		if (ep != NULL)
			*ep = p;
		return unassigned();
	}
	if (*p != '}') {
		syserr("Macro/class name ({%s}) too long (%d chars max)", name, MAXMACNAMELEN);
		if (ep != NULL)
			*ep = p;
		return unassigned();
	}
	p++;
	if (ep != NULL)
		*ep = p;
	if (len == 1 && (unsigned char)name[0] >= 0x20)
		return (unsigned char)name[0];
	s = stab(name, ST_MACRO, ST_ENTER);
	if (s->v.macro != 0)
		return s->v.macro > 0 ? s->v.macro : unassigned();
	if (next_id > MAXMACROID) {
		syserr("Macro/class {%s}: too many long names", name);
		s->v.macro = -1;
		return unassigned();
	}
	longnames[next_id] = s->name;
	s->v.macro = next_id;
	return next_id++;
}

/* Callers name macros with string constants, some thousands of times a message: the id a
 * name pointer got last time is tried first (checked against the name: a pointer may be
 * reused for another one). */
#define IDCACHE 64
static struct { const char *p; int id; } idcache[IDCACHE];

static bool cached_name_is(const char *p, int id)
{
	const char *n = longnames[id];
	size_t len;

	if (n == NULL || p[0] != '{')
		return false;
	len = strlen(n);
	return strncmp(p + 1, n, len) == 0 && p[len + 1] == '}' && p[len + 2] == '\0';
}

int macid(const char *p)
{
	const char *ep;
	size_t slot = ((uintptr_t)p >> 3) % IDCACHE;
	int id;

	if (idcache[slot].p == p && cached_name_is(p, idcache[slot].id))
		return idcache[slot].id;
	id = macid_parse(p, &ep);
	if (id >= FIRST_LONG_ID) {
		idcache[slot].p = p;
		idcache[slot].id = id;
	}
	return id;
}

const char *macname(int id)
{
	static char one[2];

	id &= 0xff;
	if (id >= FIRST_LONG_ID) {
		if (longnames[id] != NULL)
			return longnames[id];
		return "***UNDEFINED MACRO***";
	}
	one[0] = (char)id;
	one[1] = '\0';
	return one;
}

void macdefine(int id, const char *value)
{
	id &= 0xff;
	free(values[id]);
	values[id] = value != NULL ? xstrdup(value) : NULL;
}

/* The daemon's session processes serve one connection after another: each session must
 * start from the values the process had before its first one. */
static char *checkpoint[256];
static bool checkpointed;

void macros_checkpoint(void)
{
	int i;

	for (i = 0; i < 256; i++) {
		free(checkpoint[i]);
		checkpoint[i] = values[i] != NULL ? xstrdup(values[i]) : NULL;
	}
	checkpointed = true;
}

void macros_rollback(void)
{
	int i;

	if (!checkpointed)
		return;
	for (i = 0; i < 256; i++) {
		if (values[i] == checkpoint[i] ||
		    (values[i] != NULL && checkpoint[i] != NULL && strcmp(values[i], checkpoint[i]) == 0))
			continue;
		free(values[i]);
		values[i] = checkpoint[i] != NULL ? xstrdup(checkpoint[i]) : NULL;
	}
}

const char *macvalue(int id)
{
	return values[id & 0xff];
}

static void doexpand(const char *s, sbuf *out, int level)
{
	sbuf x = SBUF_INIT;
	bool skipping = false, recurse = false;
	int iflev = 0, skiplev = 0;
	int c;

	sb_init(&x);
	for (; *s != '\0'; s++) {
		const char *q = NULL;

		c = (unsigned char)*s;
		switch (c) {
		case CONDIF:
			iflev++;
			c = (unsigned char)*++s;
			if (c == '\0') {
				s--;
				continue;
			}
			if (skipping)
				skiplev++;
			else {
				const char *mv = macvalue(c);
				skipping = (mv == NULL || *mv == '\0');
			}
			continue;
		case CONDELSE:
			if (iflev == 0)
				break;
			if (skiplev == 0)
				skipping = !skipping;
			continue;
		case CONDFI:
			if (iflev == 0)
				break;
			iflev--;
			if (skiplev == 0)
				skipping = false;
			if (skipping)
				skiplev--;
			continue;
		case MACROEXPAND:
			c = (unsigned char)*++s;
			if (c == '\0') {
				s--;
				continue;
			}
			q = macvalue(c);
			if (q == NULL)
				continue;
			break;
		}
		if (skipping || x.len >= EXPAND_LIMIT - 1)
			continue;
		if (q == NULL) {
			sb_putc(&x, c);
		} else {
			bool hide = false;
			for (; *q != '\0' && x.len < EXPAND_LIMIT - 1; q++) {
				int d = (unsigned char)*q;
				if (!hide && (d & 0340) == 0200)
					recurse = true;
				sb_putc(&x, d);
				hide = (d == METAQUOTE);
			}
		}
	}
	if (recurse) {
		if (level < MAX_MACRO_RECURSION) {
			doexpand(x.s, out, level + 1);
			sb_free(&x);
			return;
		}
		syserr("expand: recursion too deep (%d max)", MAX_MACRO_RECURSION);
	}
	sb_reset(out);
	sb_put(out, x.s, x.len);
	sb_free(&x);
}

void expand(const char *s, sbuf *out)
{
	doexpand(s, out, 0);
}

void translate_dollars(const char *in, sbuf *out)
{
	const char *p;

	sb_reset(out);
	for (p = in; *p != '\0'; p++) {
		if (*p == '#' && out->len > 0 && ConfigLevel >= 3) {
			unsigned char prev = (unsigned char)out->s[out->len - 1];
			if (prev == MACROEXPAND) {
				sb_putc(out, '#');	/* $# */
				continue;
			}
			if (prev == '\\') {
				out->s[out->len - 1] = '#';	/* \# is a literal # */
				continue;
			}
			/* a comment: drop it and the white space before it, up to a newline */
			while (out->len > 0 && isspace((unsigned char)out->s[out->len - 1]) &&
			       out->s[out->len - 1] != '\n')
				out->len--;
			out->s[out->len] = '\0';
			p = strchr(p, '\n');
			if (p == NULL)
				break;
			sb_putc(out, '\n');
			continue;
		}
		if (*p != '$' || p[1] == '\0') {
			sb_putc(out, *p);
			continue;
		}
		if (p[1] == '$') {
			sb_putc(out, '$');
			p++;
			continue;
		}
		sb_putc(out, MACROEXPAND);
		p++;
		if (*p == '=' || *p == '~' || *p == '&' || *p == '?')
			sb_putc(out, *p++);
		{
			const char *ep;
			int id = macid_parse(p, &ep);
			sb_putc(out, id);
			p = ep - 1;
		}
	}
	while (out->len > 0 && isspace((unsigned char)out->s[out->len - 1]))
		out->len--;
	if (out->s != NULL && out->cap)
		out->s[out->len] = '\0';
}
