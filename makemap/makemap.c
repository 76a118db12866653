/* makemap -- build a hash or btree map from "key value" lines on standard input, or list one
 * (-u), answering as sendmail 8.17's makemap does: the same options, messages and exit codes.
 *
 * Input is taken the way 8.17 reads it, in pieces of at most LINE_PIECE bytes: a longer line
 * is reported (and skipped) one piece at a time, each piece counting as a line, and its last
 * piece is then taken as a line of its own.  A line is text up to its newline or first NUL.
 * Lines in error are reported and skipped; the good ones are still stored and the exit status
 * says the input was bad.  The map itself is built beside the old one and only renamed into
 * place once it is complete (see lib/dbfile.c).
 *
 * The configuration file (-C, default /etc/mail/sendmail.cf) is read for TrustedUser (the
 * owner given to maps built by root) and, for the map types "cf" and "CF", for the K line
 * whose last word is the map name, which gives the map's type. */
#include "dbfile.h"
#include "lineread.h"
#include "sbuf.h"
#include "xalloc.h"
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EX_OK		0
#define EX_USAGE	64
#define EX_DATAERR	65
#define EX_NOINPUT	66
#define EX_IOERR	74
#define EX_CANTCREAT	73

#define DEFAULT_CF	"/etc/mail/sendmail.cf"
#define LINE_PIECE	1024	/* 8.17 reads input in pieces of this size, NUL included */
#define MAP_MODE	0640

static const char *progname = "makemap";

/* the options */
static int opt_nul, opt_dups, opt_empty, opt_keepcase, opt_append, opt_replace;
static int opt_unsafe, opt_dump, opt_verbose;
static int sep;			/* -t: the key/value delimiter; 0 for white space */
static int comment = '#';	/* -D */
static const char *cfpath = DEFAULT_CF;
static const char *fallback;	/* -i */

/* a signal that asks us to stop: the map being built is then discarded */
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* from the configuration file: TrustedUser, when it names someone other than root */
static int trusted_set;
static uid_t trusted_uid;

/* The map types, in the order -l lists them, and the file name extension of each. */
static const struct {
	const char *name;
	const char *ext;
} types[] = {
	{ "hash", "db" },
	{ "btree", "db" },
	{ "implicit", "" },
};

/* Types 8.17 knows of but was built without, and the compile option each would need. */
static const struct {
	const char *name;
	const char *define;
} missing_types[] = {
	{ "dbm", "NDBM" },
	{ "cdb", "CDB" },
};

static void usage(void)
{
	int indent = (int)strlen("Usage: ") + (int)strlen(progname) + 1;

	fprintf(stderr, "Usage: %s [-C cffile] [-N] [-c cachesize] [-D commentchar]\n", progname);
	fprintf(stderr, "%*s[-d] [-e] [-f] [-i type] [-l] [-o] [-r] [-s] [-t delimiter]\n",
		indent, "");
	fprintf(stderr, "%*s[-u] [-v] type mapname\n", indent, "");
	exit(EX_USAGE);
}

static int is_space(int c)
{
	return isascii(c) && isspace(c);
}

/* ---- the configuration file ---- */

/* "O TrustedUser=name" (the option name in any case, blanks around the '='). */
static void cf_trusted_user(const char *line)
{
	const char *p = line + 2;
	const char *name = "TrustedUser";
	size_t n = strlen(name);
	struct passwd *pw;

	if (strncasecmp(p, name, n) != 0)
		return;
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=')
		return;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (isascii((unsigned char)*p) && isdigit((unsigned char)*p)) {
		trusted_uid = (uid_t)strtoul(p, NULL, 10);
		trusted_set = trusted_uid != 0;
		return;
	}
	pw = getpwnam(p);
	if (pw == NULL) {
		fprintf(stderr, "TrustedUser: unknown user %s\n", p);
		trusted_set = 0;
		return;
	}
	trusted_uid = pw->pw_uid;
	trusted_set = trusted_uid != 0;	/* root as TrustedUser is no change */
}

/* The length of NAME to compare: all of it, or with LOOSE ("CF") only up to its first '.'. */
static size_t name_len(const char *name, size_t len, int loose)
{
	const char *dot = loose ? memchr(name, '.', len) : NULL;

	return dot != NULL ? (size_t)(dot - name) : len;
}

/* A K line: if its last word is MAP, its type (the word after the map's name) into type.
 * LOOSE (type "CF"): the names are compared up to their first '.' only. */
static int cf_map_line(const char *line, size_t len, const char *map, int loose, sbuf *type)
{
	const char *p, *end, *last;
	size_t wl, ml;

	while (len > 1 && is_space((unsigned char)line[len - 1]))
		len--;
	end = line + len;
	last = end;
	while (last > line && !is_space((unsigned char)last[-1]))
		last--;
	if (last == line)
		return 0;	/* one word only */
	wl = name_len(last, (size_t)(end - last), loose);
	ml = name_len(map, strlen(map), loose);
	if (wl != ml || memcmp(last, map, wl) != 0)
		return 0;
	p = line + 1;
	while (p < end && is_space((unsigned char)*p))
		p++;
	while (p < end && !is_space((unsigned char)*p))
		p++;
	while (p < end && is_space((unsigned char)*p))
		p++;
	sb_reset(type);
	while (p < end && !is_space((unsigned char)*p))
		sb_putc(type, *p++);
	return 1;
}

/* Read the configuration file; with map non-NULL, look for its type too (1: found). */
static int read_cf(const char *map, int loose, sbuf *type)
{
	FILE *fp = fopen(cfpath, "r");
	sbuf line = SBUF_INIT;
	int found = 0;

	if (fp == NULL) {
		fprintf(stderr, "makemap: %s: %s\n", cfpath, strerror(errno));
		exit(EX_NOINPUT);
	}
	sb_init(&line);
	while (lr_getline(fp, &line, 0) == 1) {
		const char *s = sb_str(&line);
		if (s[0] == 'O' && s[1] == ' ')
			cf_trusted_user(s);
		else if (s[0] == 'K' && map != NULL && !found)
			found = cf_map_line(s, strlen(s), map, loose, type);
	}
	sb_free(&line);
	fclose(fp);
	return found;
}

/* ---- safety checks on the map's file and the directories above it ---- */

/* errors that are not errno values */
enum {
	SAFE_SYMLINK = -2,
	SAFE_HARDLINK = -3,
	SAFE_EXEC = -4,
	SAFE_NOTREG = -5,
	UNKNOWN_TYPE = -6,
};

static const char *errtext(int e)
{
	switch (e) {
	case SAFE_SYMLINK:
		return "Symbolic links not allowed";
	case SAFE_HARDLINK:
		return "Hard links not allowed";
	case SAFE_EXEC:
		return "Executable files not allowed";
	case SAFE_NOTREG:
		return "Regular files only";
	case UNKNOWN_TYPE:
		return "Unknown database type";
	}
	return strerror(e);
}

/* May we (or the trusted user we build maps for) use a file with these permissions for
 * BITS (04 read, 02 write, 01 search), as the owner, group or other bits say? */
static int permitted(const struct stat *st, int bits)
{
	int shift;

	if (st->st_uid == geteuid() || (trusted_set && st->st_uid == trusted_uid)) {
		shift = 6;
	} else if (st->st_gid == getegid()) {
		shift = 3;
	} else {
		shift = 0;
		int n = getgroups(0, NULL);
		if (n > 0) {
			gid_t *g = xcalloc((size_t)n, sizeof *g);
			n = getgroups(n, g);
			for (int i = 0; i < n; i++)
				if (g[i] == st->st_gid)
					shift = 3;
			free(g);
		}
	}
	return (((unsigned)st->st_mode >> shift) & (unsigned)bits) == (unsigned)bits;
}

/* One directory on the way to the map: root is warned about writable ones. */
static int check_dir(const char *dir, int last, int creating)
{
	struct stat st;

	if (stat(dir, &st) != 0)
		return errno;
	if (!S_ISDIR(st.st_mode))
		return ENOTDIR;
	if (geteuid() == 0) {
		if (st.st_mode & S_IWOTH)
			fprintf(stderr, "WARNING: World writable directory %s\n", dir);
		else if (st.st_mode & S_IWGRP)
			fprintf(stderr, "WARNING: Group writable directory %s\n", dir);
	}
	if (!permitted(&st, 01))
		return EACCES;
	if (last && creating && !permitted(&st, 02))
		return EACCES;
	return 0;
}

/* Every directory leading to PATH, in order: each prefix ending before a '/', then the
 * whole directory part ("." when there is none).  CREATING: the map does not exist yet. */
static int check_dirs(const char *path, int creating)
{
	const char *slash = strrchr(path, '/');
	sbuf dir = SBUF_INIT;
	int e = 0;

	sb_init(&dir);
	if (slash == NULL) {
		sb_puts(&dir, ".");
	} else if (slash == path) {
		sb_puts(&dir, "/");
	} else {
		size_t dlen = (size_t)(slash - path);
		for (size_t i = 1; i < dlen && e == 0; i++) {
			if (path[i] != '/')
				continue;
			sb_reset(&dir);
			sb_put(&dir, path, i);
			e = check_dir(sb_str(&dir), 0, creating);
		}
		sb_reset(&dir);
		sb_put(&dir, path, dlen);
	}
	if (e == 0)
		e = check_dir(sb_str(&dir), 1, creating);
	sb_free(&dir);
	return e;
}

enum access_mode { READING, CREATING, UPDATING };

/* The checks 8.17 makes before opening a map; 0 or an error (errno value or SAFE_*). */
static int check_file(const char *path, enum access_mode how)
{
	struct stat st;
	int e, writing = how != READING;

	int exists = lstat(path, &st) == 0;

	if (!exists && errno != ENOENT)
		return errno;
	e = check_dirs(path, !exists && how == CREATING);
	if (e != 0)
		return e;
	if (!exists)
		return how == CREATING ? 0 : ENOENT;
	if (S_ISLNK(st.st_mode)) {
		if (!opt_unsafe)
			return SAFE_SYMLINK;
		if (stat(path, &st) != 0)
			return errno == ENOENT && how == CREATING ? EEXIST : errno;
	}
	if (!S_ISREG(st.st_mode))
		return SAFE_NOTREG;
	if (writing && (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		return SAFE_EXEC;
	if (st.st_nlink > 1 && !opt_unsafe)
		return SAFE_HARDLINK;
	if (!permitted(&st, writing ? (how == UPDATING ? 06 : 02) : 04))
		return EACCES;
	return 0;
}

/* ---- opening ---- */

static int find_type(const char *name)
{
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(types[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Open the map's file as KIND; 0 or an error code.  *retry: the file may yet be of another
 * kind (it is missing, or libdb would not take it as this one). */
static int open_kind(const char *path, enum dbf_kind kind, enum access_mode how, dbfile **out,
		     int *retry)
{
	int e = check_file(path, how);

	*retry = e == ENOENT;
	if (e != 0)
		return e;
	*retry = 1;
	/* 8.17 looks at the directories once more as it opens the file */
	if (geteuid() == 0)
		(void)check_dirs(path, 0);
	if (how == READING)
		*out = dbf_open_read(path, kind, NULL);
	else
		*out = dbf_open_write(path, kind,
				      (how == CREATING ? DBF_TRUNCATE : 0) |
				      (opt_dups ? DBF_ALLOW_DUPS : 0), MAP_MODE, NULL);
	return *out == NULL ? errno : 0;
}

static dbfile *open_map(const char *type, const char *map, enum access_mode how)
{
	int t = find_type(type), e, retry;
	sbuf path = SBUF_INIT;
	size_t n = strlen(map);
	dbfile *db = NULL;

	if (t < 0) {
		e = UNKNOWN_TYPE;
		goto fail;
	}
	sb_init(&path);
	sb_puts(&path, map);
	if (n < 3 || strcmp(map + n - 3, ".db") != 0)
		sb_puts(&path, ".db");
	if (strcmp(types[t].name, "implicit") != 0) {
		e = open_kind(sb_str(&path), t == 1 ? DBF_BTREE : DBF_HASH, how, &db, &retry);
	} else {
		/* a hash file, else a btree one; when neither will do, the type is to blame */
		e = open_kind(sb_str(&path), DBF_HASH, how, &db, &retry);
		if (e != 0 && retry)
			e = open_kind(sb_str(&path), DBF_BTREE, how, &db, &retry);
		if (e != 0 && retry)
			e = UNKNOWN_TYPE;
	}
	sb_free(&path);
	if (e == 0)
		return db;
fail:
	fprintf(stderr, "%s: error opening type %s map %s: %s\n", progname, type, map, errtext(e));
	exit(EX_CANTCREAT);
}

/* ---- listing (-u) ---- */

struct dump {
	FILE *out;
	int failed;
};

/* Print a key or value as 8.17 does: as text, so up to its first NUL (after dropping the
 * NUL that ends it with -N).  An empty one may come with no data at all. */
static void show(const void *p, size_t n, FILE *out)
{
	if (n > 0 && opt_nul && ((const char *)p)[n - 1] == '\0')
		n--;
	if (n > 0)
		fwrite(p, 1, strnlen(p, n), out);
}

static int dump_one(const void *k, size_t kl, const void *v, size_t vl, void *arg)
{
	struct dump *d = arg;

	show(k, kl, d->out);
	putc(sep ? sep : '\t', d->out);
	show(v, vl, d->out);
	putc('\n', d->out);
	return 0;
}

static int dump_map(dbfile *db, const char *type, const char *map)
{
	struct dump d = { stdout, 0 };

	if (dbf_walk(db, dump_one, &d) != 0) {
		fprintf(stderr, "%s: cannot make cursor for type %s map %s\n", progname, type, map);
		return EX_IOERR;
	}
	return EX_OK;
}

/* ---- building ---- */

/* One input line (a NUL-terminated text): store it, or say what is wrong with it. */
static int store_line(dbfile *db, const char *map, unsigned lineno, char *line)
{
	char *p = line, *key = line, *val;
	size_t klen;
	int r;

	if (line[0] == '\0' || line[0] == comment)
		return EX_OK;
	if (sep == 0 && is_space((unsigned char)line[0])) {
		fprintf(stderr, "%s: %s: line %u: syntax error (leading space)\n", progname, map,
			lineno);
		return EX_DATAERR;
	}
	for (; *p != '\0' && (sep ? *p != sep : !is_space((unsigned char)*p)); p++)
		if (!opt_keepcase && isascii((unsigned char)*p) && isupper((unsigned char)*p))
			*p = (char)tolower((unsigned char)*p);
	klen = (size_t)(p - key);
	if (*p != '\0')
		*p++ = '\0';
	while (*p != '\0' && (sep ? *p == sep : is_space((unsigned char)*p)))
		p++;
	val = p;
	if (!opt_empty && *val == '\0') {
		fprintf(stderr, "%s: %s: line %u: no RHS for LHS %s\n", progname, map, lineno, key);
		return EX_DATAERR;
	}
	if (opt_verbose) {
		/* line by line, so that the messages on stderr fall in between as with 8.17 */
		printf("key=`%s', val=`%s'\n", key, val);
		fflush(stdout);
	}
	r = dbf_put(db, key, klen + (opt_nul ? 1 : 0), val, strlen(val) + (opt_nul ? 1 : 0),
		    opt_replace || opt_dups ? 0 : DBF_NOOVERWRITE);
	if (r < 0) {
		fprintf(stderr, "%s: %s: line %u: key %s: put error: %s\n", progname, map, lineno,
			key, strerror(errno));
		return EX_IOERR;
	}
	if (r > 0) {
		fprintf(stderr, "%s: %s: line %u: key %s: duplicate key\n", progname, map, lineno,
			key);
		return EX_DATAERR;
	}
	return EX_OK;
}

/* Read standard input as 8.17 does (see the top of the file) and store every good line. */
static int build_map(dbfile *db, const char *map)
{
	sbuf line = SBUF_INIT, piece = SBUF_INIT;
	unsigned lineno = 0;
	int status = EX_OK;
	const size_t max = LINE_PIECE - 1;

	sb_init(&line);
	sb_init(&piece);
	while (!got_signal && lr_getline(stdin, &line, 0) == 1) {
		int has_nl = !feof(stdin);
		size_t total = line.len + (has_nl ? 1 : 0), off = 0;

		while (off < total) {
			size_t n = total - off < max ? total - off : max;
			int last = off + n == total;
			int at_eof = last && !has_nl && n < max;
			size_t textlen;
			int r2;

			lineno++;
			sb_reset(&piece);
			sb_put(&piece, line.s + off, last && has_nl ? n - 1 : n);
			off += n;
			textlen = strlen(sb_str(&piece));
			/* the piece ends the line only if a newline follows its text */
			if (!(last && has_nl && textlen == piece.len) && !at_eof) {
				fprintf(stderr, "%s: %s: line %u: line too long (%ld bytes max)\n",
					progname, map, lineno, (long)LINE_PIECE);
				status = EX_DATAERR;
				continue;
			}
			r2 = store_line(db, map, lineno, piece.s);
			if (r2 != EX_OK && (status == EX_OK || r2 == EX_IOERR))
				status = r2;
		}
	}
	/* a read error ends the input quietly, as end of file does for 8.17 (one interrupted by
	 * a signal is seen to by the caller) */
	sb_free(&line);
	sb_free(&piece);
	return status;
}

int main(int argc, char **argv)
{
	const char *type, *map, *slash;
	sbuf cftype = SBUF_INIT;
	enum access_mode how;
	dbfile *db;
	int c, status;
	long n;

	if (argc > 0 && argv[0] != NULL) {
		slash = strrchr(argv[0], '/');
		progname = slash != NULL ? slash + 1 : argv[0];
	}
	while ((c = getopt(argc, argv, "C:D:Nc:defi:lLorst:uvx")) != -1) {
		switch (c) {
		case 'C':
			cfpath = optarg;
			break;
		case 'D':
			comment = (unsigned char)optarg[0];
			break;
		case 'N':
			opt_nul = 1;
			break;
		case 'c':
			n = strtol(optarg, NULL, 10);
			dbf_cachesize(n > 0 ? (size_t)n : 0);
			break;
		case 'd':
			opt_dups = 1;
			break;
		case 'e':
			opt_empty = 1;
			break;
		case 'f':
			opt_keepcase = 1;
			break;
		case 'i':
			fallback = optarg;
			break;
		case 'l':
		case 'L':
		case 'x':
			if (c == 'L')
				printf("cf\nCF\n");
			for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
				if (c == 'x')
					printf("%s:%s\n", types[i].name, types[i].ext);
				else
					printf("%s\n", types[i].name);
			}
			exit(EX_OK);
		case 'o':
			opt_append = 1;
			break;
		case 'r':
			opt_replace = 1;
			break;
		case 's':
			opt_unsafe = 1;
			break;
		case 't':
			if (optarg[0] == '\0')
				fprintf(stderr, "Invalid separator\n");
			else
				sep = (unsigned char)optarg[0];
			break;
		case 'u':
			opt_dump = 1;
			break;
		case 'v':
			opt_verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	type = argv[optind];
	map = argv[optind + 1];

	sb_init(&cftype);
	if (strcmp(type, "cf") == 0 || strcmp(type, "CF") == 0) {
		if (read_cf(map, strcmp(type, "CF") == 0, &cftype)) {
			type = sb_str(&cftype);
		} else if (fallback != NULL && fallback[0] != '\0') {
			if (opt_verbose)
				fprintf(stderr, "%s: mapfile %s: not found in %s, using fallback %s\n",
					progname, map, cfpath, fallback);
			type = fallback;
		} else {
			fprintf(stderr, "%s: mapfile %s: not found in %s\n", progname, map, cfpath);
			exit(EX_DATAERR);
		}
	} else {
		read_cf(NULL, 0, NULL);
	}
	for (size_t i = 0; i < sizeof missing_types / sizeof missing_types[0]; i++) {
		if (strcmp(type, missing_types[i].name) == 0) {
			fprintf(stderr, "%s: Need to recompile with -D%s for %s support\n", progname,
				missing_types[i].define, type);
			exit(EX_CANTCREAT);
		}
	}

	how = opt_dump ? READING : opt_append ? UPDATING : CREATING;
	db = open_map(type, map, how);
	if (opt_dump) {
		status = dump_map(db, type, map);
		dbf_close(db);
		sb_free(&cftype);
		fflush(stdout);
		return status;
	}
	if (trusted_set && geteuid() == 0 && fchown(dbf_fd(db), trusted_uid, (gid_t)-1) != 0)
		fprintf(stderr, "WARNING: ownership change on %s failed %s\n", map, strerror(errno));
	{
		/* stopped by a signal: leave the old map (if any) as it was, then die of it */
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGHUP, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	status = build_map(db, map);
	fflush(stdout);
	if (got_signal) {
		dbf_close(db);
		signal(got_signal, SIG_DFL);
		raise(got_signal);
		_exit(128 + got_signal);
	}
	{
		sbuf err = SBUF_INIT;
		sb_init(&err);
		if (dbf_commit(db, &err) != 0) {
			fprintf(stderr, "%s: close(%s): %s\n", progname, map, strerror(errno));
			status = EX_IOERR;
		}
		sb_free(&err);
	}
	dbf_close(db);
	sb_free(&cftype);
	return status;
}
