/* recipient.c -- recipient expansion (see recipient.h).
 *
 * The order of the work is 8.17's, since -bv and -v show it: the addresses of one list are
 * parsed first and then taken up last to first; an entry joins the list before its own
 * expansion, and an original address (QR_PRIMARY) counts for duplicate suppression only
 * once its own expansion is over, so "a: a, b" delivers to a's mailbox as well as to b. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "address.h"
#include "conf.h"
#include "diag.h"
#include "lineread.h"
#include "log.h"
#include "macro.h"
#include "map.h"
#include "recipient.h"
#include "token.h"
#include "xalloc.h"

#define RI_RCPTOK	0x100	/* its own processing is over: it counts for duplicates */
#define RI_INPROGRESS	0x200
#define RI_ALIASED	0x400
#define RI_PARSEFAIL	0x800	/* refused while being parsed: 8.17 does not count it */	/* expanded as an alias: controls its children (C records) */

struct xctx {
	struct rcptlist *rl;
	unsigned flags;
	ADDRESS sender;		/* the envelope sender, parsed (mailer NULL: none) */
	const char *lazysender;	/* not parsed yet: parse this when first needed */
	bool metoo;
	int exitstat;		/* -bv's exit status, as 8.17 keeps it */
	long seq;		/* the next place on the list */
};

static void parse_sender(struct xctx *x, const char *sender);

/* the envelope sender, parsed */
static const ADDRESS *ctx_sender(struct xctx *x)
{
	if (x->lazysender != NULL) {
		parse_sender(x, x->lazysender);
		x->lazysender = NULL;
	}
	return &x->sender;
}

void rcptlist_init(struct rcptlist *rl)
{
	memset(rl, 0, sizeof *rl);
	sb_init(&rl->transcript);
}

static void rcpt_free(struct rcpt *r)
{
	free(r->paddr);
	free(r->host);
	free(r->user);
	free(r->rstatus);
	free(r->orcpt);
	free(r->finalrcpt);
	free(r->owner);
	free(r->qgroup);
	free(r->ctluser);
	free(r->home);
	free(r->ruser);
}

void rcptlist_free(struct rcptlist *rl)
{
	size_t i;

	for (i = 0; i < rl->n; i++)
		rcpt_free(&rl->v[i]);
	free(rl->v);
	free(rl->lastmsg);
	sb_free(&rl->transcript);
	memset(rl, 0, sizeof *rl);
}

static char *dupornull(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static size_t rl_push(struct rcptlist *rl)
{
	if (rl->n == rl->cap) {
		rl->cap = rl->cap ? rl->cap * 2 : 16;
		rl->v = xreallocarray(rl->v, rl->cap, sizeof *rl->v);
	}
	memset(&rl->v[rl->n], 0, sizeof rl->v[0]);
	rl->v[rl->n].parent = -1;
	rl->v[rl->n].orig = -1;
	rl->v[rl->n].seq = -1;
	return rl->n++;
}

static bool option_true(const char *name, bool dflt)
{
	const char *v = option_value(name);

	if (v == NULL)
		return dflt;
	return *v == '\0' || strchr("TtYy", *v) != NULL;
}

/* 8.17 keeps the first failure's status, except that a later one replaces a temporary one */
static void set_exit(struct xctx *x, int st)
{
	if (x->exitstat == EX_OK || x->exitstat == EX_TEMPFAIL)
		x->exitstat = st;
}

/* An address error, as the user sees it ("addr... text") unless quiet; the entry fails. */
static void fail(struct xctx *x, size_t i, enum rstate st, const char *status, int exitstat,
		 const char *reply, const char *shown)
{
	struct rcpt *r = &x->rl->v[i];

	r->state = st;
	r->status = status;
	r->exitstat = exitstat;
	free(r->rstatus);
	r->rstatus = xstrdup(reply);
	if (st == RS_BAD)
		x->rl->nbad++;
	set_exit(x, exitstat);
	if (!(x->flags & RX_QUIET) && shown != NULL) {
		int save = ExitStat;
		CurAddr = r->paddr;
		usrerr("%s", shown);
		CurAddr = NULL;
		ExitStat = save;
		if (exitstat == EX_NOUSER) {
			/* 8.17 keeps the mailer's word for it, without the address */
			free(x->rl->lastmsg);
			x->rl->lastmsg = xstrdup("User unknown");
		}
	}
}

/* Two entries name the same recipient: same mailer, user and host; programs and files
 * run by different controlling users are different recipients. */
static bool sameaddr(const struct rcpt *a, const struct rcpt *b)
{
	if (a->mailer != b->mailer || a->mailer == NULL)
		return false;
	if (a->user == NULL || b->user == NULL || strcmp(a->user, b->user) != 0)
		return false;
	if ((a->host == NULL) != (b->host == NULL))
		return false;
	if (a->host != NULL && strcasecmp(a->host, b->host) != 0)
		return false;
	if ((a->mailer == ProgMailer || a->mailer == FileMailer) && a->hasctl && b->hasctl &&
	    (a->uid != b->uid || a->gid != b->gid))
		return false;
	return true;
}

static bool sameaddr_parsed(const struct rcpt *a, const ADDRESS *b)
{
	if (b->mailer == NULL || a->mailer != b->mailer || a->user == NULL || b->user == NULL)
		return false;
	if (strcmp(a->user, b->user) != 0)
		return false;
	if ((a->host == NULL) != (b->host == NULL))
		return false;
	return a->host == NULL || strcasecmp(a->host, b->host) == 0;
}

/* The nearest entry up the chain (i itself included) with a known controlling user. */
static long ctl_of(const struct rcptlist *rl, long i)
{
	for (; i >= 0; i = rl->v[i].parent)
		if (rl->v[i].hasctl)
			return i;
	return -1;
}

static void recipient(struct xctx *x, size_t i, int level);

/* A progress message (-v), with the place in an :include: file as 8.17 shows it. */
static void vmessage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void vmessage(const char *fmt, ...)
{
	sbuf t = SBUF_INIT;
	va_list ap;

	sb_init(&t);
	if (diag_file != NULL)
		sb_printf(&t, "%s: line %ld: ", diag_file, diag_line);
	va_start(ap, fmt);
	sb_vprintf(&t, fmt, ap);
	va_end(ap);
	message("%s", t.s);
	sb_free(&t);
}

/* 8.17's checks on a file that names recipients (DontBlameSendmail at its default): the
 * reason it is refused, in 8.17's words, or NULL. */
static const char *unsafe_file(const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return "Regular files only";
	if (st->st_mode & S_IWGRP)
		return "Group writable file";
	if (st->st_mode & S_IWOTH)
		return "World writable file";
	return NULL;
}

/* the folders on the way to path: none writable by others (sticky ones aside) */
static const char *unsafe_dirs(const char *path)
{
	char *copy = xstrdup(path), *slash;
	const char *why = NULL;
	struct stat st;

	for (slash = strrchr(copy, '/'); slash != NULL && why == NULL; slash = strrchr(copy, '/')) {
		*slash = '\0';
		if (stat(copy[0] != '\0' ? copy : "/", &st) != 0)
			continue;
		if (st.st_mode & S_ISVTX)
			continue;
		if (st.st_mode & S_IWOTH)
			why = "World writable directory";
		else if (st.st_mode & S_IWGRP)
			why = "Group writable directory";
	}
	free(copy);
	return why;
}

/* Parse the comma-separated list and take each address up, last first (8.17's order).
 * Returns how many joined the list as new recipients (not duplicates). */
static size_t sendtolist(struct xctx *x, const char *list, long parent, int level,
			 enum rsource src, unsigned qflags)
{
	size_t *idx = NULL, nidx = 0, added = 0, k;
	const char *p = list;
	/* 8.17: a list with none of these is separated by blanks ("a b c" is three) */
	int delim = strpbrk(list, ",;<(") != NULL ? ',' : ' ';

	while (*p != '\0') {
		char *copy;
		const char *dp = NULL;
		ADDRESS a;
		ADDRESS *ok;
		size_t i, len;
		struct rcpt *r;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == delim)
			p++;
		if (*p == '\0')
			break;
		copy = arena_strdup(Scratch, p);
		memset(&a, 0, sizeof a);
		ok = parseaddr(copy, &a, RF_COPYPARSE | RF_COPYPADDR, delim, &dp, true);
		CurAddr = NULL;
		len = dp != NULL && dp >= copy ? (size_t)(dp - copy) : strlen(copy);
		if (len == 0)
			len = strlen(copy);
		i = rl_push(x->rl);
		r = &x->rl->v[i];
		{
			/* the address as written, blanks around it trimmed */
			size_t s = 0, e = len;
			while (s < e && isspace((unsigned char)p[s]))
				s++;
			while (e > s && isspace((unsigned char)p[e - 1]))
				e--;
			r->paddr = xstrndup(p + s, e - s);
		}
		r->parent = parent;
		r->source = src;
		r->qflags = qflags;
		if (parent >= 0) {
			const struct rcpt *pr = &x->rl->v[parent];
			r->qflags = (pr->qflags & ~(QR_PRIMARY | QR_ALIAS)) | QR_ALIAS;
			r->orig = pr->orig;
			r->orcpt = dupornull(pr->orcpt);
			r->finalrcpt = dupornull(pr->finalrcpt);
			r->iflags |= pr->iflags & (RI_UNSAFE | RI_BOGUSSHELL);
		}
		if (ok == NULL) {
			r->iflags |= RI_PARSEFAIL;
			r->state = RS_BAD;
			r->status = "5.1.3";
			r->exitstat = ExitStat ? ExitStat : EX_DATAERR;
			r->rstatus = xstrdup("553 5.1.3 Bad address");
			x->rl->nbad++;
			set_exit(x, EX_USAGE);
		} else {
			r->mailer = a.mailer;
			r->host = dupornull(a.host);
			r->user = dupornull(a.user);
			r->qgroup = dupornull(a.qgroup);
			if (a.state == QS_BADADDR) {
				r->iflags |= RI_PARSEFAIL;
				r->state = RS_BAD;
				r->status = a.status != NULL ? a.status : "5.1.3";
				r->exitstat = ExitStat ? ExitStat : EX_UNAVAILABLE;
				x->rl->nbad++;
				set_exit(x, EX_USAGE);
			} else if (a.state == QS_QUEUEUP) {
				r->state = RS_QUEUEUP;
				r->status = a.status != NULL ? a.status : "4.4.3";
				set_exit(x, EX_TEMPFAIL);
			}
		}
		idx = xreallocarray(idx, nidx + 1, sizeof *idx);
		idx[nidx++] = i;
		p += len;
		if (*p == delim)
			p++;
	}
	for (k = nidx; k-- > 0;) {
		recipient(x, idx[k], level);
		if (x->rl->v[idx[k]].state != RS_DUP)
			added++;
	}
	free(idx);
	return added;
}

/* A plain user name for password lookups: without quotes or a leading backslash. */
static char *bare_user(const char *u)
{
	char *s = xstrdup(u[0] == '\\' ? u + 1 : u);
	stripquotes(s);
	return s;
}

/* $x and ${name} in a path (ForwardPath), with $z, $u, $h given here */
static void expand_path(const char *s, const struct rcpt *r, sbuf *out)
{
	sb_reset(out);
	for (; *s != '\0'; s++) {
		int c = (unsigned char)*s;
		const char *v = NULL;

		if (c != '$' && c != MACROEXPAND) {
			sb_putc(out, c);
			continue;
		}
		if (s[1] == '\0')
			break;
		c = (unsigned char)*++s;
		if (c == '{') {
			const char *e = strchr(s, '}');
			char *name;
			if (e == NULL)
				break;
			name = xstrndup(s - 0, (size_t)(e - s + 1));
			v = macvalue(macid(name));
			free(name);
			s = e;
		} else if (c == 'z')
			v = r->home;
		else if (c == 'u')
			v = r->user;
		else if (c == 'h')
			v = r->host;
		else
			v = macvalue(c);
		if (v != NULL)
			sb_puts(out, v);
	}
}

/* Read a :include: or forward file and send to what it lists.  Returns -1 if it cannot be
 * read (errno set, *why says which check failed), else the number of new recipients. */
static long include_file(struct xctx *x, const char *path, size_t i, int level, bool forwarding,
			 const char **why)
{
	struct stat st, lst;
	FILE *fp;
	sbuf line = SBUF_INIT;
	long added = 0;
	uid_t ouid = geteuid();
	gid_t ogid = getegid();
	bool switched = false;
	const struct rcpt *r = &x->rl->v[i];
	long ctl, lineno = 0;
	int fd, err;
	const char *savefile = diag_file;
	long saveline = diag_line;
	const char *unsafe;

	*why = NULL;
	if (!(x->flags & RX_QUIET) && Verbose && !forwarding)
		message("%s... including file %s", r->paddr, path);
	/* read as the controlling user (or DefUid): a file the user cannot read is not read */
	ctl = ctl_of(x->rl, (long)i);
	if (ouid == 0) {
		uid_t u = DefUid;
		gid_t g = DefGid;
		if (ctl >= 0) {
			u = x->rl->v[ctl].uid;
			g = x->rl->v[ctl].gid;
		}
		if (u != 0 || g != 0) {
			if (setegid(g) == 0 && seteuid(u) == 0)
				switched = true;
		}
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	err = errno;
	if (switched) {
		if (seteuid(ouid) != 0 || setegid(ogid) != 0)
			abort();	/* cannot get our ids back: stop before doing harm */
	}
	if (fd < 0) {
		errno = err;
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		close(fd);
		return -1;
	}
	unsafe = unsafe_file(&st);
	if (unsafe == NULL)
		unsafe = unsafe_dirs(path);
	if (unsafe != NULL) {
		close(fd);
		errno = EPERM;
		*why = unsafe;
		return -1;
	}
	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && forwarding) {
		close(fd);
		errno = EPERM;
		*why = "symbolic link";
		return -1;
	}
	/* a forward file belongs to its user (or root) and only its owner may write it */
	if (forwarding && ((st.st_uid != r->uid && st.st_uid != 0) ||
			   (st.st_mode & (S_IWGRP | S_IWOTH)))) {
		close(fd);
		errno = EPERM;
		*why = (st.st_mode & S_IWOTH) ? "world writable" : (st.st_mode & S_IWGRP) ?
			"group writable" : "owner";
		return -1;
	}
	fp = fdopen(fd, "r");
	if (fp == NULL) {
		close(fd);
		return -1;
	}
	{
		struct rcpt *w = &x->rl->v[i];
		/* the owner of an :include: file controls what it names (unless it is root) */
		if (!forwarding && ouid == 0 && st.st_uid != 0 && !w->hasctl) {
			struct passwd *pw = getpwuid(st.st_uid);
			w->hasctl = true;
			w->uid = st.st_uid;
			w->gid = st.st_gid;
			free(w->ctluser);
			w->ctluser = pw != NULL ? xstrdup(pw->pw_name) : NULL;
			if (pw != NULL)
				w->gid = pw->pw_gid;
		}
		/* a file others may write cannot name programs or files */
		if (st.st_mode & S_IWOTH)
			w->iflags |= RI_UNSAFE;
	}
	sb_init(&line);
	while (lr_getline(fp, &line, 0) > 0) {
		char *s = line.s;
		lineno++;
		if (s[0] == '#' || s[0] == '\0')
			continue;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			continue;
		diag_file = path;
		diag_line = lineno;
		if (!(x->flags & RX_QUIET) && Verbose)
			vmessage("sending to %s", s);
		added += (long)sendtolist(x, s, (long)i, level + 1,
					  forwarding ? RSRC_FORWARD : RSRC_INCLUDE, 0);
	}
	fclose(fp);
	sb_free(&line);
	diag_file = savefile;
	diag_line = saveline;
	return added;
}

static void forward(struct xctx *x, size_t i, int level)
{
	const char *fp = option_value("ForwardPath");
	char *paths, *p, *item;
	sbuf path = SBUF_INIT;

	if (fp == NULL)
		fp = "$z/.forward.$w:$z/.forward";
	if (x->rl->v[i].home == NULL || *fp == '\0')
		return;
	sb_init(&path);
	paths = xstrdup(fp);
	for (p = paths; p != NULL;) {
		const char *why;
		long n;
		item = p;
		p = strchr(p, ':');
		if (p != NULL)
			*p++ = '\0';
		expand_path(item, &x->rl->v[i], &path);
		if (path.len == 0)
			continue;
		n = include_file(x, path.s, i, level, true, &why);
		if (n < 0) {
			if (errno == ENOENT || errno == ENOTDIR || errno == EACCES)
				continue;
			if (LogLevel > 2 && why != NULL)
				sm_syslog(LOG_ERR, NULL, "forward %s: %s", path.s, why);
			continue;
		}
		if (n > 0 || (x->rl->v[i].iflags & RI_SELFREF) == 0) {
			if (!(x->rl->v[i].iflags & RI_SELFREF))
				x->rl->v[i].state = RS_EXPANDED;
		}
		break;
	}
	free(paths);
	sb_free(&path);
}

/* The alias of entry i, or NULL; *stat says whether the lookup failed. */
static const char *aliaslookup(const char *user, int *stat)
{
	MAP *m = map_find("aliases");
	char *key;
	const char *v;

	*stat = EX_OK;
	if (m == NULL)
		return NULL;
	key = arena_strdup(Scratch, user);
	v = map_lookup(m, key, NULL, stat);
	return v;
}

/* An alias with NOTIFY=SUCCESS that names more than one address it could take is where
 * the success notices end, as 8.17 (and RFC 3461 6.2.7.3) has it: the alias is reported
 * as "expanded to multiple addresses", its members (and theirs) are not reported on
 * success (rcpt_unreported).  Members refused or already on the list do not count. */
static void many_members(struct xctx *x, size_t i)
{
	size_t q, n = 0;

	for (q = 0; q < x->rl->n; q++)
		if (x->rl->v[q].parent == (long)i && x->rl->v[q].state != RS_BAD &&
		    x->rl->v[q].state != RS_DUP)
			n++;
	if (n > 1)
		x->rl->v[i].iflags |= RI_MANY;
}

bool rcpt_unreported(const struct rcptlist *rl, size_t i)
{
	long p;

	for (p = rl->v[i].parent; p >= 0; p = rl->v[p].parent)
		if (rl->v[p].iflags & RI_MANY)
			return true;
	return false;
}

static void alias(struct xctx *x, size_t i, int level)
{
	int stat;
	const char *v;
	char *val, *obuf, *owner;
	const char *ov;
	struct rcpt *r = &x->rl->v[i];

	v = aliaslookup(r->user, &stat);
	if (v == NULL) {
		if (stat == EX_TEMPFAIL) {
			fail(x, i, RS_QUEUEUP, "4.3.0", EX_TEMPFAIL,
			     "451 4.3.0 Alias database unavailable", NULL);
		}
		return;
	}
	val = xstrdup(v);
	while (isspace((unsigned char)*val))
		memmove(val, val + 1, strlen(val));
	if (!(x->flags & RX_QUIET) && Verbose)
		vmessage("%s... aliased to %s", r->paddr, val);
	if (LogLevel > 10)
		sm_syslog(LOG_INFO, NULL, "alias %.100s => %s", r->paddr, val);
	r->state = RS_EXPANDED;
	r->iflags |= RI_ALIASED;
	sendtolist(x, val, (long)i, level + 1, RSRC_ALIAS, 0);
	r = &x->rl->v[i];
	free(val);
	if (r->iflags & RI_SELFREF) {
		if (r->state == RS_EXPANDED)
			r->state = RS_OK;
	}
	if (r->state != RS_EXPANDED)
		return;
	if (r->qflags & QR_NOTIFY_SUCCESS)
		many_members(x, i);
	/* owner-LIST (owner-owner for owners themselves): the sender of LIST's recipients */
	if (strncasecmp(r->user, "owner-", 6) == 0)
		obuf = xstrdup("owner-owner");
	else {
		obuf = xmalloc(size_add(strlen(r->user), 7));
		strcpy(obuf, "owner-");
		strcat(obuf, r->user);
	}
	ov = aliaslookup(obuf, &stat);
	if (ov != NULL) {
		while (isspace((unsigned char)*ov))
			ov++;
		owner = strpbrk(ov, ",:/|\"") != NULL ? xstrdup(obuf) : xstrdup(ov);
		free(r->owner);
		r->owner = owner;
	}
	free(obuf);
}

static void recipient(struct xctx *x, size_t i, int level)
{
	struct rcpt *r = &x->rl->v[i];
	size_t q;
	long parent = r->parent;

	r->seq = x->seq++;
	if (r->state != RS_OK)
		goto done;
	if (level > MaxAliasRecursion) {
		fail(x, i, RS_BAD, "5.4.6", EX_USAGE, "554 5.4.6 aliasing/forwarding loop broken",
		     NULL);
		if (parent >= 0) {
			x->rl->v[parent].state = RS_BAD;
			x->rl->v[parent].status = "5.4.6";
		}
		if (!(x->flags & RX_QUIET)) {
			sbuf t = SBUF_INIT;
			sb_init(&t);
			sb_printf(&t, "554 5.4.6 aliasing/forwarding loop broken (%d aliases deep; %d max)",
				  level, MaxAliasRecursion);
			CurAddr = r->paddr;
			usrerr("%s", t.s);
			CurAddr = NULL;
			sb_free(&t);
		}
		goto done;
	}
	if (r->mailer == ProgMailer && ProgMailer != NULL) {
		if (parent < 0) {
			fail(x, i, RS_BAD, "5.7.1", EX_USAGE, "550 5.7.1 Cannot mail directly to programs",
			     "550 5.7.1 Cannot mail directly to programs");
			goto done;
		}
		if (r->iflags & RI_UNSAFE) {
			fail(x, i, RS_BAD, "5.7.1", EX_USAGE,
			     "550 5.7.1 Address is unsafe for mailing to programs",
			     "550 5.7.1 Address is unsafe for mailing to programs");
			goto done;
		}
	} else if (r->mailer == FileMailer && FileMailer != NULL) {
		if (parent < 0) {
			fail(x, i, RS_BAD, "5.7.1", EX_USAGE, "550 5.7.1 Cannot mail directly to files",
			     "550 5.7.1 Cannot mail directly to files");
			goto done;
		}
		if (r->iflags & RI_UNSAFE) {
			fail(x, i, RS_BAD, "5.7.1", EX_USAGE,
			     "550 5.7.1 Address is unsafe for mailing to files",
			     "550 5.7.1 Address is unsafe for mailing to files");
			goto done;
		}
	} else if (r->mailer == InclMailer && InclMailer != NULL) {
		if (parent < 0) {
			fail(x, i, RS_BAD, "5.7.1", EX_USAGE,
			     "550 5.7.1 Cannot mail directly to :include:s",
			     "550 5.7.1 Cannot mail directly to :include:s");
			goto done;
		}
	}
	/* programs and files run as the controlling user of what named them */
	if ((r->mailer == ProgMailer || r->mailer == FileMailer) && parent >= 0) {
		long c = ctl_of(x->rl, parent);
		if (c >= 0) {
			const struct rcpt *cr = &x->rl->v[c];
			r->hasctl = false;
			r->uid = cr->uid;
			r->gid = cr->gid;
			r->hasctl = true;
			free(r->ctluser);
			r->ctluser = dupornull(cr->ctluser);
		}
	}

	/* duplicates: an original counts only once its own expansion is over */
	if (parent >= 0 && sameaddr(&x->rl->v[parent], r))
		x->rl->v[parent].iflags |= RI_SELFREF;
	for (q = 0; q < x->rl->n; q++) {
		struct rcpt *o = &x->rl->v[q];
		if (q == i || !sameaddr(o, r))
			continue;
		if (!(o->iflags & RI_RCPTOK) && (o->qflags & QR_PRIMARY))
			continue;
		if (o->seq < 0 || o->state == RS_DUP)
			continue;	/* not on the list (yet) */
		if (!(x->flags & RX_QUIET) && Verbose && !(o->qflags & QR_PRIMARY) &&
		    (!(r->qflags & QR_PRIMARY) || o->state != RS_OK)) {
			CurAddr = r->paddr;
			vmessage("%s... duplicate suppressed", r->paddr);
			CurAddr = NULL;
		}
		/* the one kept is notified as either asked */
		o->qflags |= r->qflags & (QR_PRIMARY | QR_HASNOTIFY | QR_NOTIFY_SUCCESS |
					  QR_NOTIFY_FAILURE | QR_NOTIFY_DELAY);
		r->state = RS_DUP;
		goto done;
	}
	/* the sender is left out of the lists he writes to, unless MeToo */
	if (parent >= 0 && !x->metoo && sameaddr_parsed(r, ctx_sender(x))) {
		r->state = RS_DUP;
		goto done;
	}
	r->iflags |= RI_INPROGRESS;

	if (r->mailer == InclMailer && InclMailer != NULL) {
		const char *why;
		long n;
		r->state = RS_EXPANDED;
		n = include_file(x, r->user, i, level, false, &why);
		r = &x->rl->v[i];
		if (n < 0) {
			int e = errno;
			sbuf t = SBUF_INIT;
			sb_init(&t);
			bool perm = e == ENOENT || e == EACCES || e == EPERM || e == EISDIR;
			sb_printf(&t, "%s Cannot open %s: %s", perm ? "550 5.2.4" : "450 4.2.4",
				  r->user, why != NULL ? why : strerror(e));
			r->state = RS_OK;
			fail(x, i, perm ? RS_BAD : RS_QUEUEUP, perm ? "5.2.4" : "4.2.4",
			     perm ? EX_USAGE : EX_TEMPFAIL, t.s, t.s);
			sb_free(&t);
		}
		goto done;
	}
	if (r->user != NULL && r->user[0] == '\\')
		r->iflags |= RI_NOALIAS;
	if (r->mailer != NULL && bitnset('A', r->mailer->flags) && !(r->iflags & RI_NOALIAS) &&
	    !(x->flags & RX_NOALIAS)) {
		alias(x, i, level);
		r = &x->rl->v[i];
		if (r->state != RS_OK)
			goto done;
	}
	/* rule set 5 may route a local user elsewhere after aliasing: not yet */
	if (r->mailer != NULL && bitnset('w', r->mailer->flags)) {
		char *u = bare_user(r->user);
		struct passwd *pw;

		errno = 0;
		pw = getpwnam(u);
		free(u);
		if (pw == NULL) {
			fail(x, i, RS_BAD, "5.1.1", EX_NOUSER, "550 5.1.1 User unknown",
			     "550 5.1.1 User unknown");
			goto done;
		}
		r->hasctl = true;
		r->iflags |= RI_GOODUID;
		r->uid = pw->pw_uid;
		r->gid = pw->pw_gid;
		free(r->ctluser);
		r->ctluser = xstrdup(pw->pw_name);
		free(r->ruser);
		r->ruser = xstrdup(pw->pw_name);
		free(r->home);
		r->home = pw->pw_dir[0] == '\0' ? NULL : xstrdup(strcmp(pw->pw_dir, "/") == 0 ?
								 "" : pw->pw_dir);
		/* -bv stops here: 8.17 verifies a user without reading his forward file */
		if (!(r->iflags & (RI_NOALIAS | RI_SELFREF)) && !(x->flags & RX_VERIFY))
			forward(x, i, level);
	}
done:
	/* an original whose expansion left nothing on the whole list to deliver or report
	 * went round in a loop */
	if (parent < 0 && x->rl->v[i].state == RS_EXPANDED) {
		for (q = 0; q < x->rl->n; q++)
			if (x->rl->v[q].seq >= 0 && x->rl->v[q].state != RS_EXPANDED &&
			    x->rl->v[q].state != RS_DUP)
				break;
		if (q == x->rl->n) {
			CurAddr = NULL;
			fail(x, i, RS_BAD, "5.4.6", EX_USAGE, "554 5.4.6 aliasing/forwarding loop broken",
			     "554 5.4.6 aliasing/forwarding loop broken");
		}
	}
	x->rl->v[i].iflags |= RI_RCPTOK;
	x->rl->v[i].iflags &= ~RI_INPROGRESS;
}

static void parse_sender(struct xctx *x, const char *sender)
{
	char *copy = arena_strdup(Scratch, sender);
	int save = ExitStat;

	if (parseaddr(copy, &x->sender, RF_COPYPARSE | RF_SENDERADDR, '\0', NULL, false) == NULL)
		memset(&x->sender, 0, sizeof x->sender);
	ExitStat = save;
	CurAddr = NULL;
}

/* lazy: sender outlives the context and nothing is reported (delivery), so it is parsed
 * only if a list is expanded (MeToo); most messages have none */
static void ctx_init(struct xctx *x, struct rcptlist *rl, const char *sender, unsigned flags,
		     bool lazy)
{
	memset(x, 0, sizeof *x);
	x->rl = rl;
	x->flags = flags;
	x->metoo = option_true("MeToo", true);
	if (sender != NULL && *sender != '\0' && strcmp(sender, "<>") != 0) {
		if (lazy)
			x->lazysender = sender;
		else
			parse_sender(x, sender);
	}
}

static const struct rcpt *sort_base;
static int by_seq(const void *a, const void *b)
{
	long x = sort_base[*(const size_t *)a].seq, y = sort_base[*(const size_t *)b].seq;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	/* entries never taken up (there should be none) go last, in their own order */
	const char *h1 = sort_base[i].host, *h2 = sort_base[j].host;
	int c;

	if (x < 0 && y < 0)
		return i < j ? -1 : i > j;
	if (x < 0 || y < 0)
		return x < 0 ? 1 : -1;
	/* 8.17 keeps its list sorted by host, in the order taken up within one host */
	c = strcasecmp(h1 != NULL ? h1 : "", h2 != NULL ? h2 : "");
	if (c != 0)
		return c;
	return x < y ? -1 : x > y;
}

/* Put the entries from first on in the order they were taken up (8.17's list order). */
static void reorder(struct rcptlist *rl, size_t first)
{
	size_t n = rl->n - first, i;
	struct rcpt *tmp;
	size_t *order;
	long *newpos;

	if (n < 2)
		return;
	tmp = xreallocarray(NULL, n, sizeof *tmp);
	order = xreallocarray(NULL, n, sizeof *order);
	newpos = xreallocarray(NULL, n, sizeof *newpos);
	memcpy(tmp, rl->v + first, n * sizeof *tmp);
	for (i = 0; i < n; i++)
		order[i] = i;
	sort_base = tmp;
	qsort(order, n, sizeof *order, by_seq);
	for (i = 0; i < n; i++) {
		rl->v[first + i] = tmp[order[i]];
		newpos[order[i]] = (long)(first + i);
	}
	for (i = first; i < rl->n; i++)
		if (rl->v[i].parent >= (long)first)
			rl->v[i].parent = newpos[rl->v[i].parent - (long)first];
	free(tmp);
	free(order);
	free(newpos);
}

/* owners are inherited down the expansion */
static void fill_owners(struct rcptlist *rl)
{
	size_t i;

	for (i = 0; i < rl->n; i++) {
		long p;
		if (rl->v[i].owner != NULL)
			continue;
		for (p = rl->v[i].parent; p >= 0; p = rl->v[p].parent)
			if (rl->v[p].owner != NULL) {
				rl->v[i].owner = xstrdup(rl->v[p].owner);
				break;
			}
	}
}

static size_t count_ok(const struct rcptlist *rl)
{
	size_t i, n = 0;

	for (i = 0; i < rl->n; i++)
		if (rl->v[i].state == RS_OK)
			n++;
	return n;
}

size_t rcpt_add_list(struct rcptlist *rl, const char *list, unsigned qflags, const char *sender,
		     unsigned flags)
{
	struct xctx x;
	size_t before = rl->n, i;

	ctx_init(&x, rl, sender, flags, false);
	sendtolist(&x, list, -1, 0, RSRC_ENVELOPE, qflags | QR_PRIMARY);
	reorder(rl, before);
	fill_owners(rl);
	for (i = before; i < rl->n; i++)
		rl->v[i].seq = -1;
	return rl->n - before;
}

size_t rcpt_expand_envelope(struct envelope *e, struct rcptlist *rl, unsigned flags)
{
	struct xctx x;
	size_t k, before = rl->n;

	ctx_init(&x, rl, e->sender, flags, (flags & RX_QUIET) != 0);
	/* each R record is an address of its own, expanded in the order of the file */
	for (k = 0; k < e->nrcpts; k++) {
		const struct qrcpt *qr = &e->rcpts[k];
		size_t first = rl->n, j;
		struct xctx *xp = &x;

		sendtolist(xp, qr->addr, -1, 0, RSRC_ENVELOPE, qr->flags);
		for (j = first; j < rl->n; j++) {
			if (rl->v[j].parent < 0) {
				rl->v[j].orig = (long)k;
				free(rl->v[j].orcpt);
				rl->v[j].orcpt = dupornull(qr->orcpt);
				free(rl->v[j].finalrcpt);
				rl->v[j].finalrcpt = dupornull(qr->finalrcpt);
			} else {
				const struct rcpt *pr = &rl->v[rl->v[j].parent];
				rl->v[j].orig = pr->orig;
				if (rl->v[j].orcpt == NULL)
					rl->v[j].orcpt = dupornull(pr->orcpt);
				if (rl->v[j].finalrcpt == NULL)
					rl->v[j].finalrcpt = dupornull(pr->finalrcpt);
			}
		}
	}
	reorder(rl, before);
	fill_owners(rl);
	return count_ok(rl);
}

const char *rcpt_ctladdr_text(const struct rcptlist *rl, size_t i, sbuf *out)
{
	long c = ctl_of(rl, (long)i);
	const struct rcpt *cr;

	if (c < 0)
		return NULL;
	cr = &rl->v[c];
	sb_reset(out);
	sb_printf(out, "%s (%ld/%ld)", cr->paddr, (long)cr->uid, (long)cr->gid);
	return out->s;
}

void rcpt_qrcpt(const struct rcptlist *rl, size_t i, struct qrcpt *out)
{
	const struct rcpt *r = &rl->v[i];
	long c = ctl_of(rl, (long)i);
	static sbuf ctl;	/* the C record text of the last call */

	memset(out, 0, sizeof *out);
	out->addr = r->paddr;
	out->flags = r->qflags;
	out->orcpt = r->orcpt;
	out->finalrcpt = r->finalrcpt;
	if (c >= 0 && r->parent >= 0) {
		const struct rcpt *cr = &rl->v[c];
		sb_reset(&ctl);
		if (cr->ctluser != NULL)
			sb_printf(&ctl, "%s:%ld:%ld:%s", cr->ctluser, (long)cr->uid, (long)cr->gid,
				  cr->paddr);
		else
			sb_printf(&ctl, ":%s", cr->paddr);
		out->ctladdr = ctl.s;
	}
}

/* ---- submission ---- */

struct rcpt_session {
	struct xctx x;
};

/* the errors of a submission: shown as usual, and kept for the M record and the bounce */
static struct rcptlist *capture_rl;
static bool capture_hush;
static void (*capture_chain)(const char *code, const char *enh, const char *text);

static void capture_hook(const char *code, const char *enh, const char *text)
{
	if (capture_rl != NULL && code[0] != '\0' && (code[0] == '4' || code[0] == '5')) {
		free(capture_rl->lastmsg);
		capture_rl->lastmsg = xstrdup(text);
		sb_printf(&capture_rl->transcript, "%s%s%s %s\n", code, enh[0] != '\0' ? " " : "",
			  enh, text);
	}
	if (capture_hush)
		return;
	if (capture_chain != NULL)
		capture_chain(code, enh, text);
	else
		message("%s", text);
}

struct rcpt_session *rcpt_begin(struct rcptlist *rl, const char *sender, unsigned flags)
{
	struct rcpt_session *s = xmalloc(sizeof *s);

	ctx_init(&s->x, rl, sender, flags, false);
	return s;
}

size_t rcpt_list(struct rcpt_session *s, const char *list, unsigned qflags)
{
	size_t before = s->x.rl->n, i;

	capture_chain = usrerr_hook;
	capture_rl = s->x.rl;
	capture_hush = (s->x.flags & RX_HUSH) != 0;
	usrerr_hook = capture_hook;
	sendtolist(&s->x, list, -1, 0, RSRC_ENVELOPE, qflags | QR_PRIMARY);
	usrerr_hook = capture_chain;
	capture_rl = NULL;
	capture_chain = NULL;
	for (i = before; i < s->x.rl->n; i++)
		if (s->x.rl->v[i].parent >= 0) {
			const struct rcpt *pr = &s->x.rl->v[s->x.rl->v[i].parent];
			if (s->x.rl->v[i].finalrcpt == NULL)
				s->x.rl->v[i].finalrcpt = dupornull(pr->finalrcpt);
		}
	return s->x.rl->n - before;
}

int rcpt_end(struct rcpt_session *s)
{
	int st = s->x.exitstat;

	reorder(s->x.rl, 0);
	fill_owners(s->x.rl);
	free(s);
	return st;
}

size_t rcpt_count(const struct rcptlist *rl)
{
	size_t i, n = 0;

	for (i = 0; i < rl->n; i++) {
		const struct rcpt *r = &rl->v[i];
		if (r->state == RS_EXPANDED || r->state == RS_DUP || r->mailer == NULL)
			continue;
		if (r->state == RS_BAD && (r->seq < 0 || (r->iflags & RI_PARSEFAIL)))
			continue;
		/* refused before 8.17 counts it */
		if (r->state == RS_BAD && r->parent < 0 && r->mailer == ProgMailer)
			continue;
		n++;
	}
	return n;
}

void ctlstate_free(struct ctlstate *last)
{
	free(last->user);
	free(last->text);
	memset(last, 0, sizeof *last);
}

char *rcpt_qf_ctladdr(const struct rcptlist *rl, size_t i, struct ctlstate *last)
{
	const struct rcpt *r = &rl->v[i];
	const char *user = NULL;
	long uid = 0, gid = 0, k;
	sbuf t = SBUF_INIT;

	/* an original has none (8.17 writes an empty C record when one was in force) */
	if (r->parent < 0) {
		ctlstate_free(last);
		return NULL;
	}
	/* the controlling user: the recipient's own, else that of what named it; an alias
	 * stands for itself with DefaultUser's uid */
	for (k = (long)i; k >= 0; k = rl->v[k].parent) {
		const struct rcpt *c = &rl->v[k];
		if (c->hasctl) {
			user = c->ctluser;
			uid = (long)c->uid;
			gid = (long)c->gid;
			break;
		}
		if (k != (long)i && (c->iflags & RI_ALIASED)) {
			user = c->user;
			uid = (long)DefUid;
			gid = 0;
			break;
		}
	}
	if (user == NULL)
		user = "";
	if (last->set && last->uid == uid && last->gid == gid && strcmp(last->user, user) == 0)
		return last->text != NULL ? xstrdup(last->text) : NULL;
	free(last->user);
	last->set = true;
	last->uid = uid;
	last->gid = gid;
	last->user = xstrdup(user);
	sb_init(&t);
	if (uid == 0 || user[0] == '\0')
		sb_printf(&t, ":%s", rl->v[r->parent].paddr);
	else
		sb_printf(&t, "%s:%ld:%ld:%s", user, uid, gid, rl->v[r->parent].paddr);
	free(last->text);
	last->text = xstrdup(t.s);
	return sb_steal(&t);
}

int verify_addresses(char **args, int nargs)
{
	struct rcptlist rl;
	struct xctx x;
	int k;
	size_t i;
	const char *sender = macvalue('f');

	rcptlist_init(&rl);
	ctx_init(&x, &rl, sender, RX_VERIFY, false);
	for (k = 0; k < nargs; k++)
		sendtolist(&x, args[k], -1, 0, RSRC_ENVELOPE, QR_PRIMARY);
	reorder(&rl, 0);
	fill_owners(&rl);
	for (i = 0; i < rl.n; i++) {
		const struct rcpt *r = &rl.v[i];
		if (r->state != RS_OK)
			continue;
		if (r->host != NULL && r->host[0] != '\0' && r->mailer != NULL &&
		    !bitnset('l', r->mailer->flags))
			message("%s... deliverable: mailer %s, host %s, user %s", r->paddr,
				r->mailer->name, r->host, r->user);
		else
			message("%s... deliverable: mailer %s, user %s", r->paddr,
				r->mailer != NULL ? r->mailer->name : "?", r->user);
	}
	rcptlist_free(&rl);
	return x.exitstat;
}
