/* t_dbfile.c -- lib/dbfile: hash and btree files written through a temporary file, read back. */
#include "dbfile.h"
#include "sbuf.h"
#include "tap.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/t_dbfile.XXXXXX";

/* NAME in the scratch folder (four results can be in use at once). */
static const char *path(const char *name)
{
	static sbuf b[4];
	static int next;
	sbuf *p = &b[next++ % 4];

	sb_reset(p);
	sb_printf(p, "%s/%s", dir, name);
	return sb_str(p);
}

/* The permission bits of P, or -1. */
static long mode_of(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? (long)(st.st_mode & 07777) : -1;
}

/* How many entries the scratch folder holds (temporary files left behind show up here). */
static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static int exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

static int put(dbfile *db, const char *k, const char *v, int flags)
{
	return dbf_put(db, k, strlen(k), v, strlen(v), flags);
}

/* the value of K in the map at P (of kind KIND), or "<absent>" / "<error>" */
static const char *lookup(const char *p, enum dbf_kind kind, const char *k)
{
	static sbuf v = SBUF_INIT;
	dbfile *db = dbf_open_read(p, kind, NULL);
	int r;

	if (db == NULL)
		return "<error>";
	r = dbf_get(db, k, strlen(k), &v);
	dbf_close(db);
	return r == 1 ? sb_str(&v) : r == 0 ? "<absent>" : "<error>";
}

struct walk {
	sbuf all;
	int n, stop_after;
};

static int collect(const void *k, size_t kl, const void *v, size_t vl, void *arg)
{
	struct walk *w = arg;

	sb_put(&w->all, k, kl);
	sb_putc(&w->all, '=');
	sb_put(&w->all, v, vl);
	sb_putc(&w->all, ';');
	return ++w->n == w->stop_after;
}

static const char *walk(const char *p, enum dbf_kind kind, int stop_after, int *n)
{
	static struct walk w;
	dbfile *db = dbf_open_read(p, kind, NULL);

	sb_free(&w.all);
	sb_init(&w.all);
	w.n = 0;
	w.stop_after = stop_after;
	if (db == NULL)
		return "<error>";
	if (dbf_walk(db, collect, &w) != 0)
		sb_puts(&w.all, "<error>");
	dbf_close(db);
	if (n != NULL)
		*n = w.n;
	return sb_str(&w.all);
}

int main(void)
{
	sbuf err = SBUF_INIT, v = SBUF_INIT;
	dbfile *db;
	struct stat st;
	int n;

	sb_init(&err);
	sb_init(&v);
	umask(022);
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}

	/* a new hash map: nothing appears until the commit */
	db = dbf_open_write(path("h.db"), DBF_HASH, DBF_TRUNCATE, 0640, &err);
	tap_ok(db != NULL, "open a new hash map for writing");
	if (db == NULL)
		return tap_done();
	tap_is_int(put(db, "alpha", "one", DBF_NOOVERWRITE), 0, "store alpha");
	tap_is_int(put(db, "beta", "two", DBF_NOOVERWRITE), 0, "store beta");
	tap_is_int(put(db, "alpha", "again", DBF_NOOVERWRITE), 1, "NOOVERWRITE refuses a second alpha");
	tap_is_int(put(db, "beta", "2", 0), 0, "a plain store replaces beta");
	tap_is_int(dbf_put(db, "", 0, "empty key", 9, 0), 0, "an empty key can be stored");
	tap_is_int(dbf_put(db, "n\0ul", 5, "v\0", 2, 0), 0, "keys and values may hold NULs");
	tap_is_int(put(db, "gone", "x", 0), 0, "store gone");
	tap_is_int(dbf_del(db, "gone", 4), 0, "delete gone");
	tap_is_int(dbf_del(db, "gone", 4), 1, "deleting it again: no such key");
	tap_ok(!exists(path("h.db")), "the target does not exist before the commit");
	tap_ok(dbf_fd(db) >= 0, "a writer has a descriptor");
	tap_is_int(dbf_commit(db, &err), 0, "commit");
	dbf_close(db);
	tap_ok(exists(path("h.db")), "the target exists after the commit");
	tap_is_int(entries(), 1, "no temporary file is left behind");
	tap_is_int(mode_of(path("h.db")), 0640, "a new map gets the mode asked for, less the umask");

	tap_is_str(lookup(path("h.db"), DBF_HASH, "alpha"), "one", "alpha kept its first value");
	tap_is_str(lookup(path("h.db"), DBF_HASH, "beta"), "2", "beta was replaced");
	tap_is_str(lookup(path("h.db"), DBF_HASH, ""), "empty key", "the empty key reads back");
	tap_is_str(lookup(path("h.db"), DBF_HASH, "gone"), "<absent>", "a deleted key is absent");
	db = dbf_open_read(path("h.db"), DBF_HASH, NULL);
	tap_ok(db != NULL && dbf_get(db, "n\0ul", 5, &v) == 1 && v.len == 2 &&
	       memcmp(v.s, "v\0", 2) == 0, "binary key and value read back whole");
	tap_ok(db != NULL && dbf_fd(db) >= 0, "a reader has a descriptor");
	dbf_close(db);
	walk(path("h.db"), DBF_HASH, 0, &n);
	tap_is_int(n, 4, "walking the hash map visits every record");
	walk(path("h.db"), DBF_HASH, 2, &n);
	tap_is_int(n, 2, "a walk stops when asked to");

	/* the wrong kind, or no file at all */
	errno = 0;
	db = dbf_open_read(path("h.db"), DBF_BTREE, &err);
	n = errno;
	tap_ok(db == NULL && n == EINVAL, "a hash file is not read as a btree (errno %d)", n);
	tap_ok(err.len > 0, "and the reason is given: %s", sb_str(&err));
	dbf_close(db);
	errno = 0;
	db = dbf_open_read(path("none.db"), DBF_HASH, NULL);
	n = errno;
	tap_ok(db == NULL && n == ENOENT, "a missing file cannot be read (errno %d)", n);
	errno = 0;
	db = dbf_open_write(path("none.db"), DBF_HASH, 0, 0640, NULL);
	n = errno;
	tap_ok(db == NULL && n == ENOENT, "a missing map cannot be updated (errno %d)", n);
	tap_is_int(entries(), 1, "failed opens leave nothing behind");

	/* an uncommitted writer changes nothing */
	db = dbf_open_write(path("h.db"), DBF_HASH, DBF_TRUNCATE, 0640, &err);
	tap_ok(db != NULL, "reopen the hash map to rebuild it");
	if (db != NULL) {
		put(db, "other", "content", 0);
		dbf_close(db);
	}
	tap_is_str(lookup(path("h.db"), DBF_HASH, "alpha"), "one", "closing without commit kept the old map");
	tap_is_str(lookup(path("h.db"), DBF_HASH, "other"), "<absent>", "and none of the new records");
	tap_is_int(entries(), 1, "and removed its temporary file");

	/* updating keeps the old records and the file's mode */
	chmod(path("h.db"), 0604);
	db = dbf_open_write(path("h.db"), DBF_HASH, 0, 0640, &err);
	tap_ok(db != NULL, "open the hash map for update");
	if (db != NULL) {
		tap_is_int(put(db, "alpha", "x", DBF_NOOVERWRITE), 1, "its records are there to clash with");
		put(db, "gamma", "three", 0);
		tap_is_str(lookup(path("h.db"), DBF_HASH, "gamma"), "<absent>",
			   "readers see the old map while the update is under way");
		tap_is_int(dbf_commit(db, &err), 0, "commit the update");
		dbf_close(db);
	}
	tap_is_str(lookup(path("h.db"), DBF_HASH, "gamma"), "three", "the update added gamma");
	tap_is_str(lookup(path("h.db"), DBF_HASH, "alpha"), "one", "and kept alpha");
	tap_is_int(mode_of(path("h.db")), 0604, "the rebuilt file keeps the old one's mode");

	/* btree, with and without duplicates */
	db = dbf_open_write(path("b.db"), DBF_BTREE, DBF_TRUNCATE | DBF_ALLOW_DUPS, 0600, &err);
	tap_ok(db != NULL, "open a btree map that keeps duplicates");
	if (db != NULL) {
		put(db, "k", "2", 0);
		put(db, "a", "1", 0);
		put(db, "k", "1", 0);
		put(db, "k", "3", 0);
		dbf_commit(db, NULL);
		dbf_close(db);
	}
	tap_is_str(walk(path("b.db"), DBF_BTREE, 0, NULL), "a=1;k=2;k=1;k=3;",
		   "keys in order, duplicates in the order stored");
	db = dbf_open_write(path("b2.db"), DBF_BTREE, DBF_TRUNCATE, 0600, NULL);
	if (db != NULL) {
		put(db, "k", "1", 0);
		dbf_commit(db, NULL);
		dbf_close(db);
	}
	errno = 0;
	db = dbf_open_write(path("b2.db"), DBF_BTREE, DBF_ALLOW_DUPS, 0600, NULL);
	n = errno;
	tap_ok(db == NULL && n == EINVAL,
	       "a map without duplicates is not updated as one with them (errno %d)", n);
	dbf_close(db);
	db = dbf_open_write(path("h.db"), DBF_BTREE, 0, 0600, NULL);
	tap_ok(db == NULL, "nor a hash map as a btree");
	dbf_close(db);
	unlink(path("b2.db"));
	tap_is_int(entries(), 2, "no temporary files after failed updates");

	/* links: a symbolic link stays one, a hard link keeps sharing the file */
	if (symlink("b.db", path("sym.db")) == 0 && link(path("h.db"), path("hard.db")) == 0) {
		db = dbf_open_write(path("sym.db"), DBF_BTREE, DBF_TRUNCATE, 0600, &err);
		if (db != NULL) {
			put(db, "via", "symlink", 0);
			dbf_commit(db, NULL);
			dbf_close(db);
		}
		tap_ok(lstat(path("sym.db"), &st) == 0 && S_ISLNK(st.st_mode),
		       "writing through a symbolic link leaves the link");
		tap_is_str(lookup(path("b.db"), DBF_BTREE, "via"), "symlink", "and replaces what it names");
		db = dbf_open_write(path("hard.db"), DBF_HASH, DBF_TRUNCATE, 0600, &err);
		if (db != NULL) {
			put(db, "via", "hard link", 0);
			dbf_commit(db, NULL);
			dbf_close(db);
		}
		tap_is_str(lookup(path("h.db"), DBF_HASH, "via"), "hard link",
			   "a map with two names is rewritten under both");
		tap_ok(stat(path("h.db"), &st) == 0 && st.st_nlink == 2, "and they stay linked");
		tap_is_int(entries(), 4, "no temporary files");
	} else {
		tap_ok(0, "cannot make links: %s", strerror(errno));
	}

	unlink(path("sym.db"));
	unlink(path("hard.db"));
	unlink(path("h.db"));
	unlink(path("b.db"));
	rmdir(dir);
	sb_free(&err);
	sb_free(&v);
	return tap_done();
}
