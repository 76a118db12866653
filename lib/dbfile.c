/* dbfile.c -- Berkeley DB hash and btree files (see dbfile.h).
 *
 * The files are plain libdb 5.3 databases opened without an environment, as sendmail 8.17's
 * makemap leaves them: a hash file starts with h_nelem 4096 (libdb counts the stored keys on
 * top of that), btree files take libdb's defaults, and DB_DUP is set when duplicates are kept.
 * The page size is libdb's choice for the file system the map lives on; writers get a 1 MB
 * cache unless told otherwise (the layout does not depend on it, only the speed).
 *
 * A writer never touches the target until dbf_commit(): the database is built in a temporary
 * file in the target's own directory (a copy of the target when updating), which is flushed,
 * fsync'ed and renamed over the target, and then the directory is fsync'ed.  A target with
 * more than one link is instead rewritten in place from the finished temporary file, so every
 * name keeps seeing the same map.  A target that is a symbolic link is followed: the file it
 * names is replaced and the link stays. */
#include "dbfile.h"
#include "xalloc.h"
#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASH_NELEM	4096	/* makemap's initial h_nelem */

static size_t cachesize = 1024 * 1024;

void dbf_cachesize(size_t bytes)
{
	cachesize = bytes;
}

struct dbfile {
	DB *db;
	int writer;
	int committed;
	int inplace;		/* target has other links: copy into it on commit */
	int tmpfd;		/* writers: the temporary file, held open for fsync */
	char *target;		/* writers: the file to replace (symbolic links resolved) */
	char *tmp;		/* writers: the temporary file's name */
};

/* libdb would print its own explanations on stderr; callers report errors themselves. */
static void db_errcall(const DB_ENV *env, const char *pfx, const char *msg)
{
	(void)env;
	(void)pfx;
	(void)msg;
}

static void set_err(sbuf *err, int e, const char *what, const char *path)
{
	errno = e;
	if (err == NULL)
		return;
	sb_reset(err);
	sb_printf(err, "%s %s: %s", what, path, db_strerror(e));
}

/* A libdb return value as an errno value (libdb's own codes become EINVAL). */
static int db_errno(int ret)
{
	return ret > 0 ? ret : EINVAL;
}

static DB *new_db(int *ret, int writer)
{
	DB *db = NULL;

	*ret = db_create(&db, NULL, 0);
	if (*ret != 0)
		return NULL;
	db->set_errcall(db, db_errcall);
	if (writer && cachesize > 0) {
		u_int32_t gb = (u_int32_t)(cachesize / (1024 * 1024 * 1024));
		u_int32_t rest = (u_int32_t)(cachesize % (1024 * 1024 * 1024));
		/* a size libdb refuses leaves its default: the cache only decides speed */
		(void)db->set_cachesize(db, gb, rest, 0);
	}
	return db;
}

static DBTYPE db_type(enum dbf_kind kind)
{
	return kind == DBF_BTREE ? DB_BTREE : DB_HASH;
}

dbfile *dbf_open_read(const char *path, enum dbf_kind kind, sbuf *err)
{
	dbfile *f;
	DB *db;
	int ret;

	db = new_db(&ret, 0);
	if (db == NULL) {
		set_err(err, db_errno(ret), "cannot open", path);
		return NULL;
	}
	ret = db->open(db, NULL, path, NULL, db_type(kind), DB_RDONLY, 0);
	if (ret != 0) {
		db->close(db, DB_NOSYNC);
		set_err(err, db_errno(ret), "cannot open", path);
		return NULL;
	}
	f = xcalloc(1, sizeof *f);
	f->db = db;
	f->tmpfd = -1;
	return f;
}

int dbf_get(dbfile *f, const void *key, size_t klen, sbuf *val)
{
	DBT k, v;
	int ret;

	if (f->db == NULL || klen > UINT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	k.data = (void *)key;
	k.size = (u_int32_t)klen;
	ret = f->db->get(f->db, NULL, &k, &v, 0);
	if (ret == DB_NOTFOUND || ret == DB_KEYEMPTY)
		return 0;
	if (ret != 0) {
		errno = db_errno(ret);
		return -1;
	}
	sb_reset(val);
	sb_put(val, v.data, v.size);
	return 1;
}

int dbf_walk(dbfile *f, int (*fn)(const void *k, size_t kl, const void *v, size_t vl, void *arg),
	     void *arg)
{
	DBC *c = NULL;
	DBT k, v;
	int ret, stop = 0;

	if (f->db == NULL) {
		errno = EINVAL;
		return -1;
	}
	ret = f->db->cursor(f->db, NULL, &c, 0);
	if (ret != 0) {
		errno = db_errno(ret);
		return -1;
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	while (!stop && (ret = c->get(c, &k, &v, DB_NEXT)) == 0)
		stop = fn(k.data, k.size, v.data, v.size, arg);
	c->close(c);
	if (!stop && ret != DB_NOTFOUND) {
		errno = db_errno(ret);
		return -1;
	}
	return 0;
}

int dbf_fd(dbfile *f)
{
	int fd = -1;

	if (f->writer)
		return f->tmpfd;
	if (f->db == NULL || f->db->fd(f->db, &fd) != 0)
		return -1;
	return fd;
}

/* The directory part of PATH ("." when it has none). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Copy the whole of file descriptor IN to OUT (from their current offsets). */
static int copy_fd(int in, int out)
{
	sbuf buf = SBUF_INIT;
	int rc = 0;

	sb_init(&buf);
	sb_reserve(&buf, 65536);
	for (;;) {
		ssize_t n = read(in, buf.s, 65536), off = 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -1 : 0;
			break;
		}
		while (off < n) {
			ssize_t w = write(out, buf.s + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				rc = -1;
				break;
			}
			off += w;
		}
		if (rc)
			break;
	}
	if (rc && errno == 0)
		errno = EIO;
	sb_free(&buf);
	return rc;
}

/* A new, empty temporary file beside TARGET; its name in *name. */
static int make_temp(const char *target, char **name)
{
	const char *base = strrchr(target, '/');
	size_t dirlen = base == NULL ? 0 : (size_t)(base - target) + 1;
	sbuf b = SBUF_INIT;
	int fd;

	sb_init(&b);
	sb_put(&b, target, dirlen);
	sb_printf(&b, ".%s.XXXXXX", target + dirlen);
	fd = mkostemp(b.s, O_CLOEXEC);
	if (fd < 0) {
		sb_free(&b);
		return -1;
	}
	*name = sb_steal(&b);
	return fd;
}

static void discard(dbfile *f)
{
	if (f->db != NULL)
		f->db->close(f->db, DB_NOSYNC);
	f->db = NULL;
	if (f->tmpfd >= 0)
		close(f->tmpfd);
	f->tmpfd = -1;
	if (f->tmp != NULL)
		unlink(f->tmp);
}

static void free_file(dbfile *f)
{
	free(f->target);
	free(f->tmp);
	free(f);
}

dbfile *dbf_open_write(const char *path, enum dbf_kind kind, int flags, int mode, sbuf *err)
{
	dbfile *f = xcalloc(1, sizeof *f);
	struct stat st, lst;
	int exists, e, ret;
	u_int32_t oflags = 0;
	DB *db;

	f->writer = 1;
	f->tmpfd = -1;

	/* the file to replace: a symbolic link is followed to the file it names */
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		f->target = realpath(path, NULL);
		if (f->target == NULL) {
			e = errno;
			set_err(err, e, "cannot resolve", path);
			free_file(f);
			errno = e;
			return NULL;
		}
	} else {
		f->target = xstrdup(path);
	}
	exists = stat(f->target, &st) == 0;
	if (!exists && errno != ENOENT) {
		e = errno;
		goto fail_errno;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		e = EINVAL;
		goto fail_errno;
	}
	if (!exists && !(flags & DBF_TRUNCATE)) {
		e = ENOENT;
		goto fail_errno;
	}

	f->tmpfd = make_temp(f->target, &f->tmp);
	if (f->tmpfd < 0) {
		e = errno;
		goto fail_errno;
	}
	if (exists) {
		/* the new file takes the place of the old one: same permissions and owner */
		if (fchmod(f->tmpfd, st.st_mode & 07777) != 0) {
			e = errno;
			goto fail_errno;
		}
		if (geteuid() == 0)
			(void)fchown(f->tmpfd, st.st_uid, st.st_gid);
		f->inplace = st.st_nlink > 1;
	} else {
		mode_t um = umask(0);
		umask(um);
		if (fchmod(f->tmpfd, (mode_t)mode & 07777 & ~um) != 0) {
			e = errno;
			goto fail_errno;
		}
	}
	if (!(flags & DBF_TRUNCATE)) {
		int in = open(f->target, O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			e = errno;
			goto fail_errno;
		}
		if (copy_fd(in, f->tmpfd) != 0) {
			e = errno;
			close(in);
			goto fail_errno;
		}
		close(in);
	} else {
		oflags |= DB_CREATE;
	}

	db = new_db(&ret, 1);
	if (db == NULL) {
		e = db_errno(ret);
		goto fail_errno;
	}
	f->db = db;
	if (kind == DBF_HASH && (ret = db->set_h_nelem(db, HASH_NELEM)) != 0) {
		e = db_errno(ret);
		goto fail_errno;
	}
	if ((flags & DBF_ALLOW_DUPS) && (ret = db->set_flags(db, DB_DUP)) != 0) {
		e = db_errno(ret);
		goto fail_errno;
	}
	ret = db->open(db, NULL, f->tmp, NULL, db_type(kind), oflags, 0);
	if (ret != 0) {
		e = db_errno(ret);
		goto fail_errno;
	}
	return f;

fail_errno:
	discard(f);
	set_err(err, e, "cannot open", path);
	free_file(f);
	errno = e;
	return NULL;
}

int dbf_put(dbfile *f, const void *key, size_t klen, const void *val, size_t vlen, int flags)
{
	DBT k, v;
	int ret;

	if (!f->writer || f->db == NULL || klen > UINT32_MAX || vlen > UINT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(&k, 0, sizeof k);
	memset(&v, 0, sizeof v);
	k.data = (void *)key;
	k.size = (u_int32_t)klen;
	v.data = (void *)val;
	v.size = (u_int32_t)vlen;
	ret = f->db->put(f->db, NULL, &k, &v, (flags & DBF_NOOVERWRITE) ? DB_NOOVERWRITE : 0);
	if (ret == DB_KEYEXIST)
		return 1;
	if (ret != 0) {
		errno = db_errno(ret);
		return -1;
	}
	return 0;
}

int dbf_del(dbfile *f, const void *key, size_t klen)
{
	DBT k;
	int ret;

	if (!f->writer || f->db == NULL || klen > UINT32_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(&k, 0, sizeof k);
	k.data = (void *)key;
	k.size = (u_int32_t)klen;
	ret = f->db->del(f->db, NULL, &k, 0);
	if (ret == DB_NOTFOUND || ret == DB_KEYEMPTY)
		return 1;
	if (ret != 0) {
		errno = db_errno(ret);
		return -1;
	}
	return 0;
}

static int sync_dir(const char *target)
{
	char *dir = dir_of(target);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	free(dir);
	if (fd < 0)
		return -1;
	if (fsync(fd) != 0)
		rc = -1;
	close(fd);
	return rc;
}

/* Rewrite the target in place from the finished temporary file. */
static int copy_into_target(dbfile *f)
{
	int out, rc;

	if (lseek(f->tmpfd, 0, SEEK_SET) < 0)
		return -1;
	out = open(f->target, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (out < 0)
		return -1;
	rc = copy_fd(f->tmpfd, out);
	if (rc == 0 && fsync(out) != 0)
		rc = -1;
	if (close(out) != 0)
		rc = -1;
	return rc;
}

int dbf_commit(dbfile *f, sbuf *err)
{
	int ret, e;

	if (!f->writer || f->db == NULL || f->committed) {
		set_err(err, EINVAL, "cannot commit", f->target ? f->target : "map");
		return -1;
	}
	ret = f->db->close(f->db, 0);
	f->db = NULL;
	if (ret != 0) {
		e = db_errno(ret);
		goto fail;
	}
	if (fsync(f->tmpfd) != 0) {
		e = errno;
		goto fail;
	}
	if (f->inplace) {
		if (copy_into_target(f) != 0) {
			e = errno;
			goto fail;
		}
		unlink(f->tmp);
	} else if (rename(f->tmp, f->target) != 0) {
		e = errno;
		goto fail;
	}
	free(f->tmp);
	f->tmp = NULL;
	close(f->tmpfd);
	f->tmpfd = -1;
	f->committed = 1;
	/* the map is in place; a directory that cannot be synced (some file systems refuse)
	 * does not undo that */
	(void)sync_dir(f->target);
	return 0;

fail:
	set_err(err, e, "cannot write", f->target);
	discard(f);
	errno = e;
	return -1;
}

void dbf_close(dbfile *f)
{
	if (f == NULL)
		return;
	if (f->writer && !f->committed)
		discard(f);
	else if (f->db != NULL)
		f->db->close(f->db, 0);
	free_file(f);
}
