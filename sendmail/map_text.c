/* map_text.c -- the "text" map class: a flat file searched line by line at every lookup.
 *
 * Each line is split into columns, numbered from 0: by a single delimiter character (-z),
 * or by runs of white space.  The key column (-k, default 0) is compared with the key
 * without regard to case; the value column (-v, default 0) is the result.  Lines starting
 * with '#' are comments.
 *
 * Observed behaviour of 8.17 that this reproduces:
 *  - With white space as the delimiter, a column is found by stepping over N delimiter
 *    characters, each followed by any further white space, and then skipping white space;
 *    so on a line with leading blanks both column 0 and column 1 are the first word.
 *  - With -z, empty columns count ("a::b" has columns "a", "", "b").
 *  - A line without the key or value column is skipped.
 *  - The file name must be absolute, and the file and the folders above it must be safe
 *    (a regular file; no group- or world-writable folder on the path); otherwise opening
 *    fails with "text map "NAME": unsafe map file FILE" and lookups fail temporarily.
 *  - -k and -v must be numbers. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "diag.h"
#include "lineread.h"
#include "map.h"
#include "xalloc.h"

/* Is every folder above PATH (an absolute name) free of group and world write permission?
 * *missing is set when the file itself does not exist. */
static bool safe_path(const char *path, bool *missing)
{
	char *copy = xstrdup(path), *slash;
	struct stat st;
	bool ok = true;

	*missing = false;
	for (slash = strchr(copy + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (stat(copy[0] != '\0' ? copy : "/", &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)))
			ok = false;
		*slash = '/';
	}
	if (stat("/", &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)))
		ok = false;
	if (stat(path, &st) != 0)
		*missing = true;
	else if (!S_ISREG(st.st_mode))
		ok = false;
	free(copy);
	return ok && !*missing;
}

/* a column number given with -k or -v: digits only */
static bool column_number(MAP *map, const char *flag, const char *text, int *col)
{
	if (text == NULL)
		return true;
	if (!(isascii((unsigned char)*text) && isdigit((unsigned char)*text))) {
		syserr("text map \"%s\", file %s: -%s should specify a number, not %s",
		       map->mname, map->file, flag, text);
		return false;
	}
	*col = atoi(text);
	return true;
}

static bool text_open(MAP *map, int mode)
{
	bool missing;

	(void)mode;
	if (map->file == NULL || map->file[0] != '/') {
		if (!(map->mflags & MF_OPTIONAL))
			syserr("text map \"%s\": file name must be fully qualified", map->mname);
		return false;
	}
	if (!safe_path(map->file, &missing)) {
		if (!(map->mflags & MF_OPTIONAL))
			syserr("text map \"%s\": unsafe map file %s", map->mname, map->file);
		return false;
	}
	map->keycolno = 0;
	map->valcolno = 0;
	if (!column_number(map, "k", map->keycolnm, &map->keycolno) ||
	    !column_number(map, "v", map->valcolnm, &map->valcolno))
		return false;
	return true;
}

static bool is_delim(int c, int delim)
{
	if (delim == '\0')
		return c == ' ' || c == '\t';
	return c == delim;
}

/* Column COL of LINE (no newline): its start and length; false if the line is too short. */
static bool get_column(const char *line, int col, int delim, const char **start, size_t *len)
{
	const char *p = line;
	size_t n;

	for (; col > 0; col--) {
		while (*p != '\0' && !is_delim((unsigned char)*p, delim))
			p++;
		if (*p == '\0')
			return false;
		p++;
		if (delim == '\0')
			while (*p == ' ' || *p == '\t')
				p++;
	}
	if (delim == '\0')
		while (*p == ' ' || *p == '\t')
			p++;
	for (n = 0; p[n] != '\0' && !is_delim((unsigned char)p[n], delim); n++)
		;
	*start = p;
	*len = n;
	return true;
}

static const char *text_lookup(MAP *map, const char *key, char **av, int *stat)
{
	FILE *fp;
	sbuf line = SBUF_INIT;
	const char *r = NULL;
	size_t keylen = strlen(key);
	int delim = (unsigned char)map->coldelim;

	fp = fopen(map->file, "r");
	if (fp == NULL) {
		*stat = EX_UNAVAILABLE;
		return NULL;
	}
	sb_init(&line);
	while (lr_getline(fp, &line, 0) > 0) {
		const char *k, *v;
		size_t klen, vlen;

		if (line.len == 0 || line.s[0] == '#')
			continue;
		if (!get_column(line.s, map->keycolno, delim, &k, &klen))
			continue;
		if (klen != keylen || strncasecmp(k, key, klen) != 0)
			continue;
		if (!get_column(line.s, map->valcolno, delim, &v, &vlen))
			continue;
		if (map->mflags & MF_MATCHONLY)
			r = map_rewrite(map, key, keylen, NULL);
		else
			r = map_rewrite(map, v, vlen, av);
		break;
	}
	fclose(fp);
	sb_free(&line);
	*stat = r != NULL ? EX_OK : EX_NOTFOUND;
	return r;
}

static const MAPCLASS text_class = { "text", NULL, 0, NULL, text_open, text_lookup, NULL };

void map_text_init(void)
{
	mapclass_register(&text_class);
}
