/* map_db.c -- the hash and btree map classes (Berkeley DB files made by makemap), and
 * "implicit", which is hash for our purposes (no dbm or cdb in the reference build).
 *
 * Keys are folded to lower case unless -f.  Whether stored keys carry a trailing NUL is
 * not known in advance: like 8.17 we try without it, then with it (-N: only with, -O:
 * only without), and remember which one worked. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "dbfile.h"
#include "diag.h"
#include <stdlib.h>
#include "map.h"
#include "xalloc.h"

static char *db_path(MAP *map)
{
	size_t n = strlen(map->file);
	sbuf b = SBUF_INIT;

	sb_init(&b);
	sb_puts(&b, map->file);
	if (!(n > 3 && strcmp(map->file + n - 3, ".db") == 0))
		sb_puts(&b, ".db");
	return sb_steal(&b);
}

static bool db_open_kind(MAP *map, enum dbf_kind kind, const char *cname)
{
	char *path = db_path(map);
	dbfile *db;
	struct stat st;

	if (stat(path, &st) < 0) {
		if (!(map->mflags & MF_OPTIONAL))
			syserr("%s map \"%s\": missing map file %s: %s", cname, map->mname, path,
			       strerror(errno));
		free(path);
		return false;
	}
	db = dbf_open_read(path, kind, NULL);
	if (db == NULL) {
		if (!(map->mflags & MF_OPTIONAL))
			syserr("%s map \"%s\": cannot open %s: %s", cname, map->mname, path,
			       strerror(errno ? errno : EINVAL));
		free(path);
		return false;
	}
	free(path);
	map->db = db;
	map->mtime = (long)st.st_mtime;
	return true;
}

static bool hash_open(MAP *map, int mode)
{
	(void)mode;
	return db_open_kind(map, DBF_HASH, "hash");
}

static bool btree_open(MAP *map, int mode)
{
	(void)mode;
	return db_open_kind(map, DBF_BTREE, "btree");
}

static const char *db_lookup(MAP *map, const char *name, char **av, int *stat)
{
	size_t klen = strlen(name);
	char *key;
	sbuf val = SBUF_INIT;
	int st = 0;
	const char *r;

	if (klen > MAXKEY - 1)
		klen = MAXKEY - 1;
	key = arena_alloc(Scratch, klen + 1);
	memcpy(key, name, klen);
	key[klen] = '\0';
	if (!(map->mflags & MF_NOFOLDCASE))
		makelower(key);
	sb_init(&val);
	if (map->mflags & MF_TRY0NULL) {
		st = dbf_get(map->db, key, klen, &val);
		if (st == 1)
			map->mflags &= ~MF_TRY1NULL;
	}
	if (st != 1 && (map->mflags & MF_TRY1NULL)) {
		st = dbf_get(map->db, key, klen + 1, &val);
		if (st == 1)
			map->mflags &= ~MF_TRY0NULL;
	}
	if (st != 1) {
		if (st < 0) {
			syserr("db_map_lookup: get (%s)", name);
			*stat = EX_TEMPFAIL;
		}
		sb_free(&val);
		return NULL;
	}
	*stat = EX_OK;
	if (map->mflags & MF_MATCHONLY)
		r = map_rewrite(map, name, strlen(name), NULL);
	else
		r = map_rewrite(map, val.s, val.len, av);
	sb_free(&val);
	return r;
}

static void db_close(MAP *map)
{
	if (map->db != NULL)
		dbf_close(map->db);
	map->db = NULL;
}

static const MAPCLASS hash_class = { "hash", ".db", MCF_ALIASOK | MCF_REBUILDABLE, NULL,
				     hash_open, db_lookup, db_close };
static const MAPCLASS btree_class = { "btree", ".db", MCF_ALIASOK | MCF_REBUILDABLE, NULL,
				      btree_open, db_lookup, db_close };
/* implicit: a hash file when there is one; an alias map without one, or whose database this
 * user cannot read, falls back to its text file, read into memory, as 8.17 does: without a
 * word (8.17 neither prints nor logs it) */
static bool implicit_open(MAP *map, int mode)
{
	char *path = db_path(map);
	struct stat st;
	bool have_db = stat(path, &st) == 0;
	const MAPCLASS *stabclass;

	free(path);
	if (!(map->mflags & MF_ALIAS))
		return db_open_kind(map, DBF_HASH, "hash");
	if (have_db) {
		unsigned save = map->mflags;
		bool ok;
		map->mflags |= MF_OPTIONAL;
		ok = db_open_kind(map, DBF_HASH, "hash");
		map->mflags = save;
		if (ok)
			return true;
	}
	stabclass = mapclass_find("stab");
	if (stabclass == NULL || !stabclass->open(map, mode))
		return false;
	map->class = stabclass;
	return true;
}

static const MAPCLASS implicit_class = { "implicit", NULL, MCF_ALIASOK | MCF_REBUILDABLE, NULL,
					 implicit_open, db_lookup, db_close };

void map_db_init(void)
{
	mapclass_register(&hash_class);
	mapclass_register(&btree_class);
	mapclass_register(&implicit_class);
}
