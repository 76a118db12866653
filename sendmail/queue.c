/* queue.c -- the durable queue: queue ids, qf/df files, locking (see queue.h).
 *
 * The qf format is 8.17's version 8: one record per line, its type in the first byte, long
 * values continued on lines that start with a space or a tab, a "." line at the end.
 * Records are written in the order 8.17 writes them; C (controlling user) records are
 * sticky, as in 8.17: one applies to every following R record until the next C. */
#include "queue.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "conf.h"
#include "dirsync.h"
#include "lineread.h"
#include "xalloc.h"

void (*queue_step_hook)(const char *step);

static void step(const char *what)
{
	if (queue_step_hook != NULL)
		queue_step_hook(what);
}

/* ---- envelopes ---- */

void env_init(struct envelope *e)
{
	memset(e, 0, sizeof *e);
	e->version = QF_VERSION;
	e->lockfd = -1;
}

static void rcpt_free(struct qrcpt *r)
{
	free(r->addr);
	free(r->xflags);
	free(r->orcpt);
	free(r->finalrcpt);
	free(r->ctladdr);
	free(r->msg);
}

void env_free(struct envelope *e)
{
	size_t i;

	if (e->dfp != NULL)
		fclose(e->dfp);
	queue_unlock(e);
	free(e->id);
	free(e->dfqueue);
	free(e->dfino);
	free(e->bodytype);
	free(e->quarmsg);
	free(e->statmsg);
	free(e->xflags);
	free(e->sender);
	free(e->envid);
	free(e->auth);
	free(e->deliverby);
	for (i = 0; i < e->nmacros; i++) {
		free(e->macros[i].name);
		free(e->macros[i].value);
	}
	free(e->macros);
	for (i = 0; i < e->nrcpts; i++)
		rcpt_free(&e->rcpts[i]);
	free(e->rcpts);
	for (i = 0; i < e->nhdrs; i++) {
		free(e->hdrs[i].cond);
		free(e->hdrs[i].name);
		free(e->hdrs[i].value);
	}
	free(e->hdrs);
	for (i = 0; i < e->nextra; i++)
		free(e->extra[i]);
	free(e->extra);
	env_init(e);
}

static char *dupornull(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void setstr(char **field, const char *value)
{
	free(*field);
	*field = dupornull(value);
}

struct qrcpt *env_add_rcpt(struct envelope *e, const char *addr, unsigned flags)
{
	struct qrcpt *r;

	e->rcpts = xreallocarray(e->rcpts, size_add(e->nrcpts, 1), sizeof *e->rcpts);
	r = &e->rcpts[e->nrcpts++];
	memset(r, 0, sizeof *r);
	r->addr = xstrdup(addr);
	r->flags = flags;
	return r;
}

void env_add_header(struct envelope *e, const char *cond, const char *name, const char *value)
{
	struct qheader *h;

	e->hdrs = xreallocarray(e->hdrs, size_add(e->nhdrs, 1), sizeof *e->hdrs);
	h = &e->hdrs[e->nhdrs++];
	h->cond = dupornull(cond);
	h->name = xstrdup(name);
	h->value = xstrdup(value);
}

void env_set_macro(struct envelope *e, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < e->nmacros; i++)
		if (strcmp(e->macros[i].name, name) == 0) {
			setstr(&e->macros[i].value, value);
			return;
		}
	e->macros = xreallocarray(e->macros, size_add(e->nmacros, 1), sizeof *e->macros);
	e->macros[e->nmacros].name = xstrdup(name);
	e->macros[e->nmacros].value = xstrdup(value);
	e->nmacros++;
}

static void add_extra(struct envelope *e, const char *rec)
{
	e->extra = xreallocarray(e->extra, size_add(e->nextra, 1), sizeof *e->extra);
	e->extra[e->nextra++] = xstrdup(rec);
}

/* ---- flag letters ---- */

static const char EnvFlagLetters[] = "wr8bdnse";	/* bit i of EF_* */
static const char RcptFlagLetters[] = "PNSFDBAYX";	/* bit i of QR_* */

static unsigned letters_to_bits(const char *letters, size_t n, const char *table, sbuf *unknown)
{
	unsigned bits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *p = letters[i] != '\0' ? strchr(table, letters[i]) : NULL;
		if (p != NULL)
			bits |= 1u << (p - table);
		else
			sb_putc(unknown, letters[i]);
	}
	return bits;
}

static void bits_to_letters(unsigned bits, const char *extra, const char *table, sbuf *out)
{
	size_t i;

	for (i = 0; table[i] != '\0'; i++)
		if (bits & (1u << i))
			sb_putc(out, table[i]);
	if (extra != NULL)
		sb_puts(out, extra);
}

/* ---- queue folders ---- */

const char *queue_directory(void)
{
	const char *qd = option_value("QueueDirectory");
	return qd != NULL ? qd : DEFAULT_QUEUE_DIR;
}

static bool isdir(const char *dir, const char *sub)
{
	sbuf p = SBUF_INIT;
	struct stat st;
	bool r;

	sb_printf(&p, "%s/%s", dir, sub);
	r = stat(p.s, &st) == 0 && S_ISDIR(st.st_mode);
	sb_free(&p);
	return r;
}

bool queue_init(struct queue *q, const char *path, const char *name)
{
	struct stat st;

	memset(q, 0, sizeof *q);
	if (stat(path, &st) != 0)
		return false;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return false;
	}
	q->path = xstrdup(path);
	q->name = xstrdup(name != NULL ? name : ".");
	q->qfsub = isdir(path, "qf");
	q->dfsub = isdir(path, "df");
	q->xfsub = isdir(path, "xf");
	return true;
}

void queue_free(struct queue *q)
{
	free(q->path);
	free(q->name);
	memset(q, 0, sizeof *q);
}

/* the subfolder a file type lives in, "" if none */
static const char *subdir(const struct queue *q, const char *type)
{
	if (type[0] == 'd')
		return q->dfsub ? "df/" : "";
	if (type[0] == 'x')
		return q->xfsub ? "xf/" : "";
	return q->qfsub ? "qf/" : "";	/* qf, tf, Qf, hf */
}

void queue_file(const struct queue *q, const char *type, const char *id, sbuf *out)
{
	sb_reset(out);
	sb_printf(out, "%s/%s%s%s", q->path, subdir(q, type), type, id);
}

/* the folder holding files of a type */
static void queue_subdir(const struct queue *q, const char *type, sbuf *out)
{
	const char *s = subdir(q, type);

	sb_reset(out);
	sb_puts(out, q->path);
	if (*s != '\0') {
		sb_putc(out, '/');
		sb_put(out, s, strlen(s) - 1);
	}
}

/* ---- queue ids ---- */

static const char IdChars[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx";
#define ID_BASE		60
#define ID_PER_BASE	(ID_BASE * ID_BASE)

void queue_newid(sbuf *id)
{
	static pid_t idpid;		/* the process the base time belongs to */
	static time_t idtime;		/* the base time */
	static unsigned idcount;	/* ids made since the base time was taken */
	static unsigned idoffset;	/* where this process's sequence starts */
	static char stamp[6];
	pid_t pid = getpid();
	unsigned seq;

	if (idpid != pid || idcount >= ID_PER_BASE) {
		time_t prev = idpid == pid ? idtime : (time_t)-1;
		time_t now;
		struct tm tm;

		if (idpid != pid) {
			unsigned r = 0;
			if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
				r = (unsigned)pid * 2654435761u ^ (unsigned)time(NULL);
			idoffset = r % ID_PER_BASE;
		}
		/* the same base second twice in one process would repeat ids: wait it out */
		while ((now = time(NULL)) == prev) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		gmtime_r(&now, &tm);
		stamp[0] = IdChars[tm.tm_year % ID_BASE];
		stamp[1] = IdChars[tm.tm_mon];
		stamp[2] = IdChars[tm.tm_mday];
		stamp[3] = IdChars[tm.tm_hour];
		stamp[4] = IdChars[tm.tm_min % ID_BASE];
		stamp[5] = IdChars[tm.tm_sec % ID_BASE];
		idpid = pid;
		idtime = now;
		idcount = 0;
	}
	seq = (idcount + idoffset) % ID_PER_BASE;
	idcount++;
	sb_reset(id);
	sb_put(id, stamp, sizeof stamp);
	sb_putc(id, IdChars[seq / ID_BASE]);
	sb_putc(id, IdChars[seq % ID_BASE]);
	sb_printf(id, "%06ld", (long)pid);
}

/* ---- the qf text ---- */

/* a one-line value: newlines become blanks, as 8.17 writes them */
static void put_line_value(sbuf *out, const char *s)
{
	for (; *s != '\0'; s++)
		sb_putc(out, *s == '\n' ? ' ' : *s);
}

/* a header value: every continuation line starts with white space */
static void put_header_value(sbuf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		sb_putc(out, *s);
		if (*s == '\n' && s[1] != ' ' && s[1] != '\t')
			sb_putc(out, '\t');
	}
}

static void put_record(sbuf *out, int type, const char *value)
{
	if (value == NULL)
		return;
	sb_putc(out, type);
	put_line_value(out, value);
	sb_putc(out, '\n');
}

static bool same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

void qf_format(const struct envelope *e, sbuf *out)
{
	const char *ctl = NULL;
	size_t i;

	sb_printf(out, "V%d\n", QF_VERSION);
	sb_printf(out, "T%lld\n", (long long)e->ctime);
	sb_printf(out, "K%lld\n", (long long)e->dtime);
	sb_printf(out, "N%ld\n", e->ntries);
	sb_printf(out, "P%ld\n", e->priority);
	put_record(out, 'd', e->dfqueue);
	put_record(out, 'I', e->dfino);
	put_record(out, 'B', e->bodytype);
	put_record(out, 'q', e->quarmsg);
	put_record(out, 'M', e->statmsg);
	sb_putc(out, 'F');
	bits_to_letters(e->flags, e->xflags, EnvFlagLetters, out);
	sb_putc(out, '\n');
	for (i = 0; i < e->nmacros; i++) {
		sb_putc(out, '$');
		put_line_value(out, e->macros[i].name);
		put_line_value(out, e->macros[i].value);
		sb_putc(out, '\n');
	}
	put_record(out, 'S', e->sender != NULL ? e->sender : "");
	put_record(out, 'Z', e->envid);
	put_record(out, 'A', e->auth);
	put_record(out, '!', e->deliverby);
	for (i = 0; i < e->nrcpts; i++) {
		const struct qrcpt *r = &e->rcpts[i];
		put_record(out, 'M', r->msg);
		if (!same(r->ctladdr, ctl)) {
			put_record(out, 'C', r->ctladdr != NULL ? r->ctladdr : "");
			ctl = r->ctladdr;
		}
		put_record(out, 'Q', r->orcpt);
		put_record(out, 'r', r->finalrcpt);
		sb_putc(out, 'R');
		bits_to_letters(r->flags, r->xflags, RcptFlagLetters, out);
		sb_putc(out, ':');
		put_line_value(out, r->addr);
		sb_putc(out, '\n');
	}
	for (i = 0; i < e->nextra; i++) {
		sb_puts(out, e->extra[i]);
		sb_putc(out, '\n');
	}
	for (i = 0; i < e->nhdrs; i++) {
		const struct qheader *h = &e->hdrs[i];
		sb_putc(out, 'H');
		if (h->cond != NULL) {
			sb_putc(out, '?');
			put_line_value(out, h->cond);
			sb_putc(out, '?');
		}
		put_line_value(out, h->name);
		sb_putc(out, ':');
		put_header_value(out, h->value);
		sb_putc(out, '\n');
	}
	sb_puts(out, ".\n");
}

/* ---- reading a qf ---- */

static long numval(const char *s)
{
	return strtol(s, NULL, 10);
}

struct parse {
	struct envelope *e;
	char *ctladdr;		/* the C in force */
	char *orcpt;		/* Q and r waiting for their R */
	char *finalrcpt;
	char *rmsg;		/* M after the S record: the next recipient's status */
	bool insender;		/* S seen: M records belong to recipients */
	bool done;		/* "." seen */
	long line;		/* line number of the record */
	sbuf *err;
};

static void note(struct parse *p, const char *fmt, const char *arg)
{
	if (p->err->len > 0)
		sb_puts(p->err, "; ");
	sb_printf(p->err, "line %ld: ", p->line);
	sb_printf(p->err, fmt, arg);
}

static int parse_record(struct parse *p, char *rec, size_t len)
{
	struct envelope *e = p->e;
	char *v = rec + 1;

	if (strlen(rec) != len) {
		note(p, "%s", "NUL byte in record");
		return Q_ERROR;
	}
	switch (rec[0]) {
	case 'V':
		e->version = (int)numval(v);
		if (e->version > QF_VERSION) {
			note(p, "unsupported version %s", v);
			return Q_ERROR;
		}
		break;
	case 'T': e->ctime = (time_t)numval(v); break;
	case 'K': e->dtime = (time_t)numval(v); break;
	case 'N': e->ntries = numval(v); break;
	case 'P': e->priority = numval(v); break;
	case 'd': setstr(&e->dfqueue, v); break;
	case 'I': setstr(&e->dfino, v); break;
	case 'B': setstr(&e->bodytype, v); break;
	case 'q': setstr(&e->quarmsg, v); break;
	case 'M':
		if (p->insender)
			setstr(&p->rmsg, v);
		else
			setstr(&e->statmsg, v);
		break;
	case 'S': setstr(&e->sender, v); p->insender = true; break;
	case 'Z': setstr(&e->envid, v); break;
	case 'A': setstr(&e->auth, v); break;
	case '!': setstr(&e->deliverby, v); break;
	case 'F': {
		sbuf unk = SBUF_INIT;
		e->flags = letters_to_bits(v, strlen(v), EnvFlagLetters, &unk);
		free(e->xflags);
		e->xflags = unk.len > 0 ? sb_steal(&unk) : NULL;
		sb_free(&unk);
		break;
	}
	case '$': {
		size_t n = 1;
		char *name;
		if (*v == '\0') {
			note(p, "%s", "empty macro record");
			return Q_ERROR;
		}
		if (*v == '{') {
			char *rb = strchr(v, '}');
			if (rb == NULL) {
				note(p, "bad macro name in \"%s\"", rec);
				return Q_ERROR;
			}
			n = (size_t)(rb - v) + 1;
		}
		name = xstrndup(v, n);
		env_set_macro(e, name, v + n);
		free(name);
		break;
	}
	case 'C':
		setstr(&p->ctladdr, *v != '\0' ? v : NULL);
		break;
	case 'Q': setstr(&p->orcpt, v); break;
	case 'r': setstr(&p->finalrcpt, v); break;
	case 'R': {
		char *addr = v;
		unsigned flags = 0;
		sbuf unk = SBUF_INIT;
		struct qrcpt *r;
		if (e->version >= 1) {
			addr = strchr(v, ':');
			if (addr == NULL) {
				note(p, "recipient without flags: \"%s\"", rec);
				return Q_ERROR;
			}
			flags = letters_to_bits(v, (size_t)(addr - v), RcptFlagLetters, &unk);
			addr++;
		}
		r = env_add_rcpt(e, addr, flags);
		r->xflags = unk.len > 0 ? sb_steal(&unk) : NULL;
		sb_free(&unk);
		r->ctladdr = dupornull(p->ctladdr);
		r->orcpt = p->orcpt;
		r->finalrcpt = p->finalrcpt;
		r->msg = p->rmsg;
		p->orcpt = p->finalrcpt = p->rmsg = NULL;
		break;
	}
	case 'H': {
		char *cond = NULL, *name = v, *colon;
		if (*v == '?') {
			char *q = strchr(v + 1, '?');
			if (q == NULL) {
				note(p, "bad header condition in \"%s\"", rec);
				return Q_ERROR;
			}
			*q = '\0';
			cond = v + 1;
			name = q + 1;
		}
		colon = strchr(name, ':');
		if (colon == NULL || colon == name || memchr(name, '\n', (size_t)(colon - name))) {
			if (cond != NULL)
				name[-1] = '?';
			note(p, "bad header \"%s\"", rec);
			return Q_ERROR;
		}
		*colon = '\0';
		env_add_header(e, cond, name, colon + 1);
		break;
	}
	case '.':
		p->done = true;
		break;
	default:
		add_extra(e, rec);
		note(p, "unknown record \"%s\"", rec);
		break;
	}
	return Q_OK;
}

int qf_parse(FILE *fp, struct envelope *e, sbuf *err)
{
	struct parse p;
	sbuf line = SBUF_INIT, rec = SBUF_INIT;
	long lineno = 0;
	int r = 0, rc = Q_OK;
	bool have = false;

	memset(&p, 0, sizeof p);
	p.e = e;
	p.err = err;
	e->version = 0;		/* until a V record says otherwise */
	while (!p.done && (r = lr_getline(fp, &line, 0)) > 0) {
		lineno++;
		if (have && (line.s[0] == ' ' || line.s[0] == '\t')) {
			sb_putc(&rec, '\n');
			sb_put(&rec, line.s, line.len);
			continue;
		}
		if (have && (rc = parse_record(&p, rec.s, rec.len)) != Q_OK)
			goto out;
		have = false;
		if (line.len == 0)
			continue;	/* an empty line carries nothing */
		if (line.s[0] == ' ' || line.s[0] == '\t') {
			p.line = lineno;
			note(&p, "%s", "continuation line without a record");
			rc = Q_ERROR;
			goto out;
		}
		sb_reset(&rec);
		sb_put(&rec, line.s, line.len);
		p.line = lineno;
		have = true;
	}
	if (r < 0) {
		sb_printf(err, "read error: %s", strerror(errno));
		rc = Q_ERROR;
		goto out;
	}
	if (have && (rc = parse_record(&p, rec.s, rec.len)) != Q_OK)
		goto out;
	if (!p.done) {
		if (err->len > 0)
			sb_puts(err, "; ");
		sb_puts(err, "incomplete queue file (no final \".\")");
		rc = Q_ERROR;
	}
out:
	free(p.ctladdr);
	free(p.orcpt);
	free(p.finalrcpt);
	free(p.rmsg);
	sb_free(&line);
	sb_free(&rec);
	return rc;
}

/* ---- files ---- */

/* the control file: hf while the message is quarantined, as 8.17 keeps it, else qf */
static const char *ctltype(const struct envelope *e)
{
	return e->quarmsg != NULL ? "hf" : "qf";
}

static mode_t queue_file_mode(void)
{
	const char *m = option_value("QueueFileMode");
	if (m != NULL && *m != '\0')
		return (mode_t)strtol(m, NULL, 8) & 07777;
	return 0600;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -1;
	r = dirsync(fd);
	if (r != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int fail(sbuf *err, const char *what, const char *path)
{
	sb_printf(err, "%s %s: %s", what, path, strerror(errno));
	return Q_ERROR;
}

int queue_create(const struct queue *q, struct envelope *e, sbuf *err)
{
	sbuf path = SBUF_INIT, id = SBUF_INIT;
	mode_t mode = queue_file_mode();
	bool fixed = e->id != NULL;	/* the caller's id: no other will do */
	int fd, tries;

	if (e->ctime == 0)
		e->ctime = time(NULL);
	for (tries = 0;; tries++) {
		struct stat st;
		if (e->id == NULL) {
			queue_newid(&id);
			e->id = sb_steal(&id);
		}
		queue_file(q, "df", e->id, &path);
		fd = open(path.s, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd >= 0) {
			/* a qf (or hf) left without its df must not be overwritten by ours */
			queue_file(q, "qf", e->id, &path);
			if (lstat(path.s, &st) != 0 && errno == ENOENT) {
				queue_file(q, "hf", e->id, &path);
				if (lstat(path.s, &st) != 0 && errno == ENOENT)
					break;
			}
			queue_file(q, "df", e->id, &path);
			unlink(path.s);
			close(fd);
			errno = EEXIST;
		}
		if (errno != EEXIST || fixed || tries >= 100) {
			fail(err, "cannot create", path.s);
			sb_free(&path);
			sb_free(&id);
			return Q_ERROR;
		}
		free(e->id);
		e->id = NULL;
	}
	e->dfp = fdopen(fd, "w");
	if (e->dfp == NULL) {
		int saved = errno;
		close(fd);
		unlink(path.s);
		errno = saved;
		fail(err, "cannot fdopen", path.s);
		sb_free(&path);
		return Q_ERROR;
	}
	e->dfsize = 0;
	sb_free(&path);
	sb_free(&id);
	return Q_OK;
}

int queue_write_body(struct envelope *e, const void *p, size_t n)
{
	if (e->dfp == NULL || fwrite(p, 1, n, e->dfp) != n)
		return -1;
	e->dfsize += (off_t)n;
	return 0;
}

void queue_abort(const struct queue *q, struct envelope *e)
{
	sbuf path = SBUF_INIT;

	if (e->dfp != NULL) {
		fclose(e->dfp);
		e->dfp = NULL;
	}
	if (e->id != NULL) {
		queue_file(q, "df", e->id, &path);
		unlink(path.s);
	}
	sb_free(&path);
}

/* unlink takes the folder's lock for writing even when the file is not there, and every
 * session and delivery process works in the one folder: a look first, which does not */
static int unlink_if_there(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0 && errno == ENOENT)
		return 0;
	return unlink(path);
}

void queue_share_syncs(void)
{
	struct queue q;
	sbuf dir = SBUF_INIT;

	if (!queue_init(&q, queue_directory(), "."))
		return;
	sb_init(&dir);
	queue_subdir(&q, "qf", &dir);
	dirsync_share(dir.s);
	sb_free(&dir);
	queue_free(&q);
}

/* write the qf as a tf, fsync it, rename it over the qf (hf if quarantined, and the other
 * one goes), fsync the folder; the new qf stays locked in e->lockfd */
static int write_qf(const struct queue *q, struct envelope *e, sbuf *err)
{
	sbuf text = SBUF_INIT, tf = SBUF_INIT, qf = SBUF_INIT, dir = SBUF_INIT;
	int fd, rc = Q_ERROR;

	qf_format(e, &text);
	queue_file(q, "tf", e->id, &tf);
	queue_file(q, ctltype(e), e->id, &qf);
	/* the id is ours (we created its df, or hold its qf): a tf left by a crash goes */
	fd = open(tf.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, queue_file_mode());
	if (fd < 0) {
		fail(err, "cannot create", tf.s);
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		fail(err, "cannot lock", tf.s);
		goto bad;
	}
	if (write_all(fd, text.s, text.len) != 0) {
		fail(err, "cannot write", tf.s);
		goto bad;
	}
	step("tf-written");
	if (fsync(fd) != 0) {
		fail(err, "cannot fsync", tf.s);
		goto bad;
	}
	step("tf-synced");
	if (rename(tf.s, qf.s) != 0) {
		fail(err, "cannot rename to", qf.s);
		goto bad;
	}
	step("renamed");
	/* quarantined or released: the control file of the other kind is now stale (a
	 * crash before this leaves both, a duplicate rather than a loss) */
	queue_file(q, e->quarmsg != NULL ? "qf" : "hf", e->id, &qf);
	unlink_if_there(qf.s);
	queue_subdir(q, "qf", &dir);
	if (fsync_dir(dir.s) != 0) {
		/* the qf is there but may not survive a crash: the caller must not say it is */
		fail(err, "cannot fsync", dir.s);
		queue_unlock(e);
		e->lockfd = fd;
		goto out;
	}
	step("dir-synced");
	queue_unlock(e);
	e->lockfd = fd;
	rc = Q_OK;
	goto out;
bad:
	unlink(tf.s);
	close(fd);
out:
	sb_free(&text);
	sb_free(&tf);
	sb_free(&qf);
	sb_free(&dir);
	return rc;
}

int queue_commit(const struct queue *q, struct envelope *e, sbuf *err)
{
	sbuf path = SBUF_INIT;
	struct stat st;
	int fd;

	if (e->dfp == NULL || e->id == NULL) {
		sb_puts(err, "queue_commit: no data file");
		return Q_ERROR;
	}
	queue_file(q, "df", e->id, &path);
	fd = fileno(e->dfp);
	if (fflush(e->dfp) != 0) {
		fail(err, "cannot write", path.s);
		goto bad;
	}
	step("df-written");
	if (fsync(fd) != 0) {
		fail(err, "cannot fsync", path.s);
		goto bad;
	}
	if (fstat(fd, &st) == 0)
		e->dfsize = st.st_size;
	if (fclose(e->dfp) != 0) {
		e->dfp = NULL;
		fail(err, "cannot close", path.s);
		goto bad;
	}
	e->dfp = NULL;
	step("df-synced");
	if (q->dfsub || q->qfsub) {
		/* the df's folder is not the one the qf's rename will sync */
		queue_subdir(q, "df", &path);
		if (fsync_dir(path.s) != 0) {
			fail(err, "cannot fsync", path.s);
			goto bad;
		}
	}
	if (write_qf(q, e, err) != Q_OK) {
		/* if the qf got renamed into place but its folder could not be synced, it
		 * must not stay behind a failure: remove it (and so the message) */
		if (e->lockfd >= 0) {
			queue_file(q, ctltype(e), e->id, &path);
			unlink(path.s);
			queue_unlock(e);
		}
		goto bad;
	}
	sb_free(&path);
	return Q_OK;
bad:
	queue_abort(q, e);
	sb_free(&path);
	return Q_ERROR;
}

int queue_enqueue(const struct queue *q, struct envelope *e, const void *body, size_t len,
		  sbuf *err)
{
	if (queue_create(q, e, err) != Q_OK)
		return Q_ERROR;
	if (queue_write_body(e, body, len) != 0) {
		sbuf path = SBUF_INIT;
		queue_file(q, "df", e->id, &path);
		fail(err, "cannot write", path.s);
		sb_free(&path);
		queue_abort(q, e);
		return Q_ERROR;
	}
	return queue_commit(q, e, err);
}

int queue_update(const struct queue *q, struct envelope *e, sbuf *err)
{
	if (e->id == NULL || e->lockfd < 0) {
		sb_puts(err, "queue_update: the qf is not locked");
		return Q_ERROR;
	}
	return write_qf(q, e, err);
}

int queue_remove(const struct queue *q, struct envelope *e)
{
	sbuf path = SBUF_INIT;
	int rc = 0;

	queue_file(q, "qf", e->id, &path);
	if (unlink(path.s) != 0 && errno != ENOENT)
		rc = -1;
	queue_file(q, "hf", e->id, &path);
	if (unlink_if_there(path.s) != 0 && errno != ENOENT)
		rc = -1;
	queue_file(q, "df", e->id, &path);
	if (unlink(path.s) != 0 && errno != ENOENT)
		rc = -1;
	queue_file(q, "xf", e->id, &path);
	unlink_if_there(path.s);
	queue_unlock(e);
	sb_free(&path);
	return rc;
}

void queue_unlock(struct envelope *e)
{
	if (e->lockfd >= 0) {
		close(e->lockfd);
		e->lockfd = -1;
	}
}

int queue_read(const struct queue *q, const char *id, struct envelope *e, bool lock, sbuf *err)
{
	sbuf path = SBUF_INIT;
	struct stat fst, pst;
	FILE *fp;
	int fd, dupfd, rc;

	queue_file(q, "qf", id, &path);
	fd = open(path.s, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		queue_file(q, "hf", id, &path);	/* quarantined */
		fd = open(path.s, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		rc = errno == ENOENT ? Q_NOTFOUND : fail(err, "cannot open", path.s);
		sb_free(&path);
		return rc;
	}
	if (lock) {
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			rc = errno == EWOULDBLOCK ? Q_LOCKED : fail(err, "cannot lock", path.s);
			close(fd);
			sb_free(&path);
			return rc;
		}
		/* it may have been replaced (rewritten) or removed while we waited */
		if (fstat(fd, &fst) != 0 || stat(path.s, &pst) != 0 || fst.st_ino != pst.st_ino ||
		    fst.st_dev != pst.st_dev || fst.st_nlink == 0) {
			close(fd);
			sb_free(&path);
			return Q_LOCKED;
		}
	}
	dupfd = dup(fd);
	fp = dupfd >= 0 ? fdopen(dupfd, "r") : NULL;
	if (fp == NULL) {
		if (dupfd >= 0)
			close(dupfd);
		rc = fail(err, "cannot read", path.s);
		close(fd);
		sb_free(&path);
		return rc;
	}
	env_free(e);
	rc = qf_parse(fp, e, err);
	fclose(fp);
	if (rc != Q_OK) {
		sbuf m = SBUF_INIT;
		sb_printf(&m, "%s: %s", path.s, err->s);
		sb_reset(err);
		sb_put(err, m.s, m.len);
		sb_free(&m);
		close(fd);
		env_free(e);
		sb_free(&path);
		return rc;
	}
	e->id = xstrdup(id);
	if (lock)
		e->lockfd = fd;
	else
		close(fd);
	queue_file(q, "df", id, &path);
	e->dfsize = stat(path.s, &pst) == 0 ? pst.st_size : -1;
	sb_free(&path);
	return Q_OK;
}

void tz_from_options(void)
{
	const char *tz = option_value("TimeZoneSpec");

	if (tz == NULL)
		unsetenv("TZ");
	else if (*tz != '\0')
		setenv("TZ", tz, 1);
	tzset();
}

bool queue_read_body(const struct queue *q, const struct envelope *e, sbuf *body)
{
	sbuf path = SBUF_INIT;
	FILE *fp;
	char buf[65536];
	size_t n;
	bool ok;

	sb_init(&path);
	queue_file(q, "df", e->id, &path);
	fp = fopen(path.s, "re");
	sb_free(&path);
	if (fp == NULL)
		return false;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		sb_put(body, buf, n);
	ok = !ferror(fp);
	fclose(fp);
	return ok;
}
