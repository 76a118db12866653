/* alias.c -- alias databases (see alias.h).  Each AliasFile entry becomes a map of its
 * own class (implicit by default); lookups through "aliases" follow the service switch,
 * so "files" means the AliasFile maps in the order given. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "address.h"
#include "alias.h"
#include "dbfile.h"
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
		sb_put(line, more.s, more.len);	/* joined as it stands, leading blanks and all */
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
		/* continuation lines after a comment are dropped quietly; after a blank line
		 * or at the start they are an error */
		if (line.s[0] == '#') {
			skipping = true;
			continue;
		}
		if (line.s[0] == '\0') {
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
		{
			/* messages about this alias name the text as written */
			char *name = arena_strndup(Scratch, line.s, (size_t)(p - line.s));
			CurAddr = name;
			store(map, al.user, rhs);
			CurAddr = NULL;
		}
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

static dbfile *rebuild_db;
static bool rebuild_failed;

/* alias databases hold keys and values with their trailing NUL, as 8.17 writes them */
static void db_store(struct map *map, const char *lhs, const char *rhs)
{
	int r;

	(void)map;
	r = dbf_put(rebuild_db, lhs, strlen(lhs) + 1, rhs, strlen(rhs) + 1, DBF_NOOVERWRITE);
	if (r == 1) {
		usrerr("050 Warning: duplicate alias name %s", lhs);
		r = dbf_put(rebuild_db, lhs, strlen(lhs) + 1, rhs, strlen(rhs) + 1, 0);
	}
	if (r < 0 && !rebuild_failed) {
		syserr("alias database %s: write failed: %s", map->file, strerror(errno));
		rebuild_failed = true;
	}
}

int alias_rebuild(void)
{
	int n;
	char name[32];
	MAP *map;

	for (n = 0; snprintf(name, sizeof name, "Alias%d", n), (map = map_find(name)) != NULL; n++) {
		sbuf path = SBUF_INIT, err = SBUF_INIT;
		enum dbf_kind kind;
		size_t fl = strlen(map->file);

		if (!(map->class->cflags & MCF_REBUILDABLE))
			continue;
		kind = strcmp(map->class->name, "btree") == 0 ? DBF_BTREE : DBF_HASH;
		sb_init(&path);
		sb_init(&err);
		sb_puts(&path, map->file);
		if (!(fl > 3 && strcmp(map->file + fl - 3, ".db") == 0))
			sb_puts(&path, ".db");
		{
			/* 8.17 will not write a database into a folder others may write to, sticky
			 * or not: anyone there could swap it for his own */
			struct stat st;
			char *dir = xstrdup(path.s), *slash = strrchr(dir, '/');
			const char *what = NULL;
			if (slash != NULL)
				*(slash == dir ? slash + 1 : slash) = '\0';
			else
				strcpy(dir, ".");
			if (stat(dir, &st) == 0)
				what = (st.st_mode & S_IWOTH) ? "World" : (st.st_mode & S_IWGRP) ? "Group" : NULL;
			if (what != NULL) {
				message("WARNING: %s writable directory %s", what, dir);
				message("WARNING: cannot open alias database %s", map->file);
				message("Cannot create database for alias file %s", map->file);
				free(dir);
				sb_free(&path);
				sb_free(&err);
				ExitStat = EX_SOFTWARE;
				continue;
			}
			free(dir);
		}
		rebuild_db = dbf_open_write(path.s, kind, DBF_TRUNCATE, 0640, &err);
		rebuild_failed = false;
		if (rebuild_db == NULL) {
			syserr("cannot open alias database %s: %s", path.s, err.s);
		} else {
			if (!alias_readtext(map, true, db_store))
				syserr("554 5.3.0 cannot open %s", map->file);
			else if (dbf_put(rebuild_db, "@", 2, "@", 2, 0) < 0 ||
				 dbf_commit(rebuild_db, &err) < 0)
				syserr("alias database %s: %s", path.s, err.s);
			dbf_close(rebuild_db);
			rebuild_db = NULL;
		}
		sb_free(&path);
		sb_free(&err);
	}
	return ExitStat ? ExitStat : diag_exitstat;
}
