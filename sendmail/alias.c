/* alias.c -- alias databases (see alias.h).  Each AliasFile entry becomes a map of its
 * own class (implicit by default); lookups through "aliases" follow the service switch,
 * so "files" means the AliasFile maps in the order given. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "address.h"
#include "alias.h"
#include "lineread.h"
#include "mailer.h"
#include "token.h"
#include "conf.h"
#include "diag.h"
#include "map.h"
#include "sbuf.h"
#include "xalloc.h"

void alias_maps_init(void)
{
	const char *spec = option_value("AliasFile");
	sbuf members = SBUF_INIT, decl = SBUF_INIT;
	char *copy, *p, *item;
	int n = 0;

	sb_init(&members);
	sb_init(&decl);
	copy = xstrdup(spec != NULL ? spec : "");
	for (p = copy; p != NULL && *p != '\0';) {
		char *colon, *cls = "implicit", *file;
		char name[32];

		item = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
		while (isspace((unsigned char)*item))
			item++;
		if (*item == '\0')
			continue;
		file = item;
		colon = strchr(item, ':');
		/* "class:file"; a colon after a slash belongs to the file name */
		if (colon != NULL && (strchr(item, '/') == NULL || colon < strchr(item, '/'))) {
			*colon = '\0';
			cls = item;
			file = colon + 1;
		}
		snprintf(name, sizeof name, "Alias%d", n++);
		if (mapclass_find(cls) == NULL) {
			syserr("setalias: unknown alias class %s", cls);
			continue;
		}
		sb_reset(&decl);
		sb_printf(&decl, "%s %s %s", name, cls, file);
		if (makemapentry(decl.s)) {
			MAP *m = map_find(name);
			if (m != NULL)
				m->mflags |= MF_ALIAS;
			if (members.len > 0)
				sb_putc(&members, ',');
			sb_puts(&members, name);
		}
	}
	free(copy);
	if (map_find("aliases.files") == NULL) {
		sb_reset(&decl);
		sb_printf(&decl, "aliases.files sequence %s", members.s);
		makemapentry(decl.s);
	}
	if (map_find("aliases") == NULL)
		makemapentry("aliases switch aliases");
	sb_free(&members);
	sb_free(&decl);
}

/* one logical alias line: a line plus its continuation lines (starting with white space);
 * returns false at end of file */
static bool alias_line(FILE *fp, sbuf *line, long *lineno)
{
	int c;

	if (lr_getline(fp, line, 0) <= 0)
		return false;
	(*lineno)++;
	for (;;) {
		sbuf more = SBUF_INIT;
		c = getc(fp);
		if (c == EOF)
			break;
		ungetc(c, fp);
		if (c != ' ' && c != '\t')
			break;
		/* a continuation belongs to a real alias line only */
		if (line->len == 0 || line->s[0] == '#')
			break;
		sb_init(&more);
		if (lr_getline(fp, &more, 0) <= 0) {
			sb_free(&more);
			break;
		}
		(*lineno)++;
		sb_putc(line, '\n');
		sb_put(line, more.s, more.len);
		sb_free(&more);
	}
	return true;
}

bool alias_readtext(struct map *map, bool announce,
		    void (*store)(struct map *map, const char *lhs, const char *rhs))
{
	FILE *fp = fopen(map->file, "r");
	sbuf line = SBUF_INIT;
	long lineno = 0, naliases = 0, longest = 0, bytes = 0;
	const char *savefile = diag_file;
	long saveline = diag_line;
	bool skipping = false;

	if (fp == NULL)
		return false;
	sb_init(&line);
	diag_file = map->file;
	while (alias_line(fp, &line, &lineno)) {
		char *p, *rhs, *copy;
		ADDRESS al;
		size_t rl;

		diag_line = lineno;
		if (line.s[0] == '#' || line.s[0] == '\0') {
			skipping = false;
			continue;
		}
		if (line.s[0] == ' ' || line.s[0] == '\t') {
			if (!skipping)
				syserr("554 5.3.5 Non-continuation line starts with space");
			skipping = true;
			continue;
		}
		skipping = false;
		for (p = line.s; *p != '\0' && *p != ':' && *p != '\n'; p++)
			;
		if (*p != ':') {
			syserr("554 5.3.5 missing colon");
			continue;
		}
		copy = arena_strdup(Scratch, line.s);
		if (parseaddr(copy, &al, RF_COPYPARSE | RF_COPYPADDR, ':', NULL, true) == NULL) {
			syserr("554 5.3.5 %.40s... illegal alias name", line.s);
			continue;
		}
		rhs = p + 1;
		while (isascii((unsigned char)*rhs) && isspace((unsigned char)*rhs))
			rhs++;
		if (al.mailer == NULL || !bitnset('A', al.mailer->flags)) {
			syserr("554 5.3.5 %s... cannot alias non-local names", al.paddr);
			continue;
		}
		if (strcasecmp(al.user, "postmaster") == 0)
			makelower(al.user);
		rl = strlen(rhs);
		if (rl == 0) {
			syserr("554 5.3.5 %.40s... missing value for alias", line.s);
			continue;
		}
		store(map, al.user, rhs);
		naliases++;
		bytes += (long)(strlen(al.user) + rl);
		if ((long)rl > longest)
			longest = (long)rl;
	}
	fclose(fp);
	sb_free(&line);
	CurAddr = NULL;
	diag_file = NULL;
	if (announce || Verbose)
		message("%s: %ld aliases, longest %ld bytes, %ld bytes total", map->file, naliases,
			longest, bytes);
	diag_file = savefile;
	diag_line = saveline;
	return true;
}
