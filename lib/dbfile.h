/* dbfile.h -- Berkeley DB (libdb 5.3) hash and btree files, as sendmail's maps and makemap
 * use them.  One module for every reader and writer of .db files (the hash/btree map classes,
 * makemap, newaliases, praliases), so the on-disk format is decided in one place.
 *
 * Writers build into a temporary file beside the target and rename it into place on
 * dbf_commit(), so a failed build never leaves a half-written map. */
#ifndef DBFILE_H
#define DBFILE_H
#include <stddef.h>
#include "sbuf.h"

typedef struct dbfile dbfile;

enum dbf_kind { DBF_HASH, DBF_BTREE };

/* The libdb cache of writers opened from now on, in bytes (0: libdb's own default).  1 MB
 * unless set, as makemap uses (its -c sets it); readers take libdb's default. */
void dbf_cachesize(size_t bytes);

/* Open PATH (the full file name, ".db" already appended) for reading.  NULL on failure with
 * errno set and a message in err (if err is not NULL). */
dbfile *dbf_open_read(const char *path, enum dbf_kind kind, sbuf *err);

/* Look KEY up.  1: found, value in val (replacing its contents); 0: not found; -1: error. */
int dbf_get(dbfile *db, const void *key, size_t klen, sbuf *val);

/* Walk every record in file order; fn returns nonzero to stop.  Returns -1 on error. */
int dbf_walk(dbfile *db, int (*fn)(const void *k, size_t kl, const void *v, size_t vl, void *arg),
	     void *arg);

/* The file's modification time and descriptor (for change checks and locking). */
int dbf_fd(dbfile *db);

#define DBF_TRUNCATE	0x01	/* start from an empty map (else update the existing one) */
#define DBF_ALLOW_DUPS	0x02	/* btree only: keep duplicate keys */

/* Open PATH for writing with the given file mode. */
dbfile *dbf_open_write(const char *path, enum dbf_kind kind, int flags, int mode, sbuf *err);

#define DBF_NOOVERWRITE	0x01	/* return 1 (and store nothing) if the key exists */
/* Store a record.  0: stored; 1: key exists and DBF_NOOVERWRITE was given; -1: error. */
int dbf_put(dbfile *db, const void *key, size_t klen, const void *val, size_t vlen, int flags);
/* Delete a record.  0: deleted; 1: no such key; -1: error. */
int dbf_del(dbfile *db, const void *key, size_t klen);

/* Writers: flush, fsync and rename into place.  -1 on error (then nothing replaced). */
int dbf_commit(dbfile *db, sbuf *err);
/* Close; a writer that was not committed is discarded (its temporary file removed). */
void dbf_close(dbfile *db);

#endif
