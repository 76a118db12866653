/* t_queue.c -- the queue module: queue ids, the qf text, writing and reading a message,
 * locking, and what a process killed in the middle of a commit leaves behind.  (What the
 * files must look like to sendmail 8.17 is checked against it in tests/queue-diff.t.) */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "queue.h"
#include "fixture.h"
#include "tap.h"
#include "xalloc.h"

static const char IdChars[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx";


static void rmtree(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *d;
	sbuf p = SBUF_INIT;

	while (dp != NULL && (d = readdir(dp)) != NULL) {
		struct stat st;
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		sb_reset(&p);
		sb_printf(&p, "%s/%s", dir, d->d_name);
		if (lstat(p.s, &st) == 0 && S_ISDIR(st.st_mode))
			rmtree(p.s);
		else
			unlink(p.s);
	}
	if (dp != NULL)
		closedir(dp);
	rmdir(dir);
	sb_free(&p);
}

/* names in dir starting with prefix, space-separated, sorted by readdir (count returned) */
static int count_files(const char *dir, const char *prefix)
{
	DIR *dp = opendir(dir);
	struct dirent *d;
	int n = 0;

	while (dp != NULL && (d = readdir(dp)) != NULL)
		if (strncmp(d->d_name, prefix, strlen(prefix)) == 0)
			n++;
	if (dp != NULL)
		closedir(dp);
	return n;
}

static int idcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int decode(char c)
{
	const char *p = strchr(IdChars, c);
	return p != NULL && c != '\0' ? (int)(p - IdChars) : -1;
}

static void test_ids(void)
{
	enum { N = 8000 };
	sbuf id = SBUF_INIT, want = SBUF_INIT;
	char **ids = xcalloc(N, sizeof *ids);
	time_t before = time(NULL), after;
	struct tm tm;
	int i, dups = 0, badchars = 0, samebase = 1, seqok = 1;
	pid_t child = -1;
	int fds[2];

	queue_newid(&id);
	after = time(NULL);
	tap_is_int((long)id.len, 8 + (long)snprintf(NULL, 0, "%06ld", (long)getpid()),
		   "queue id: 8 characters and the pid");
	sb_printf(&want, "%06ld", (long)getpid());
	tap_is_str(id.s + 8, want.s, "queue id ends in the pid as %%06d");
	gmtime_r(&before, &tm);
	{
		int ok = decode(id.s[0]) == tm.tm_year % 60 && decode(id.s[1]) == tm.tm_mon &&
			 decode(id.s[2]) == tm.tm_mday && decode(id.s[3]) == tm.tm_hour &&
			 decode(id.s[4]) == tm.tm_min && decode(id.s[5]) == tm.tm_sec;
		if (!ok && after != before) {
			gmtime_r(&after, &tm);
			ok = decode(id.s[0]) == tm.tm_year % 60 && decode(id.s[1]) == tm.tm_mon &&
			     decode(id.s[2]) == tm.tm_mday && decode(id.s[3]) == tm.tm_hour &&
			     decode(id.s[4]) == tm.tm_min && decode(id.s[5]) == tm.tm_sec;
		}
		tap_ok(ok, "queue id: year%%60, month, day, hour, minute, second in base 60 (UTC) (%s)",
		       id.s);
	}

	/* many ids in one process: unique, the first 3600 share the base time and count up */
	ids[0] = xstrdup(id.s);
	for (i = 1; i < N; i++) {
		queue_newid(&id);
		ids[i] = xstrdup(id.s);
		if (i < 3600) {
			int prev = decode(ids[i - 1][6]) * 60 + decode(ids[i - 1][7]);
			int cur = decode(ids[i][6]) * 60 + decode(ids[i][7]);
			if (memcmp(ids[i], ids[0], 6) != 0)
				samebase = 0;
			if (cur != (prev + 1) % 3600)
				seqok = 0;
		}
	}
	for (i = 0; i < N; i++) {
		const char *p;
		for (p = ids[i]; p < ids[i] + 8; p++)
			if (decode(*p) < 0)
				badchars++;
	}
	tap_ok(samebase, "3600 ids share one base time");
	tap_ok(seqok, "and their sequence counts up by one (modulo 3600)");
	tap_ok(memcmp(ids[3599], ids[3600], 6) != 0, "id 3601 takes a new base time (%s, %s)",
	       ids[3599], ids[3600]);
	qsort(ids, N, sizeof *ids, idcmp);
	for (i = 1; i < N; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0)
			dups++;
	tap_is_int(dups, 0, "%d ids in one process are all different", N);
	tap_is_int(badchars, 0, "ids use only 0-9A-Za-x");

	/* a child process makes its own ids */
	if (pipe(fds) == 0 && (child = fork()) == 0) {
		sbuf c = SBUF_INIT;
		queue_newid(&c);
		if (write(fds[1], c.s, c.len) < 0)
			_exit(1);
		_exit(0);
	} else {
		char buf[64] = "";
		ssize_t n;
		close(fds[1]);
		n = read(fds[0], buf, sizeof buf - 1);
		buf[n > 0 ? n : 0] = '\0';
		close(fds[0]);
		waitpid(child, NULL, 0);
		sb_reset(&want);
		sb_printf(&want, "%06ld", (long)child);
		tap_ok(n > 8 && strcmp(buf + 8, want.s) == 0 &&
			       bsearch(&(char *){ buf }, ids, N, sizeof *ids, idcmp) == NULL,
		       "a forked child's id carries its own pid (%s)", buf);
	}
	for (i = 0; i < N; i++)
		free(ids[i]);
	free(ids);
	sb_free(&id);
	sb_free(&want);
}

/* an envelope with something in every field */
static void full_envelope(struct envelope *e)
{
	struct qrcpt *r;

	env_init(e);
	e->ctime = 1795236195;
	e->dtime = 1795236200;
	e->ntries = 2;
	e->priority = 120049;
	e->dfino = xstrdup("254/0/12345");
	e->bodytype = xstrdup("8BITMIME");
	e->statmsg = xstrdup("Deferred: Connection refused by mx.example.net.");
	e->flags = EF_HAS8BIT | EF_DELETE_BCC | EF_RET_PARAM | EF_NO_BODY_RETN | EF_SPLIT;
	env_set_macro(e, "_", "root@localhost");
	env_set_macro(e, "r", "ESMTP");
	env_set_macro(e, "s", "client.example.net");
	env_set_macro(e, "{daemon_flags}", "c u");
	e->sender = xstrdup("<sender@example.org>");
	e->envid = xstrdup("abc+2Bdef");
	e->auth = xstrdup("<>");
	r = env_add_rcpt(e, "<root>", QR_PRIMARY | QR_NOTIFY_FAILURE | QR_NOTIFY_DELAY);
	r->finalrcpt = xstrdup("RFC822; root@mail.example.com");
	r = env_add_rcpt(e, "<x@elsewhere.example>",
			 QR_PRIMARY | QR_HASNOTIFY | QR_NOTIFY_SUCCESS | QR_NOTIFY_DELAY);
	r->orcpt = xstrdup("rfc822;orig+40x@y");
	r->finalrcpt = xstrdup("RFC822; x@example.org");
	r->ctladdr = xstrdup(":owner@example.org");
	r = env_add_rcpt(e, "y@elsewhere.example", QR_HASNOTIFY | QR_ALIAS);
	r->ctladdr = xstrdup(":owner@example.org");
	r = env_add_rcpt(e, "z@elsewhere.example", QR_PRIMARY);
	env_add_header(e, "P", "Return-Path", " <\201g>");
	env_add_header(e, "", "Received", " from client.example.net (root@localhost)\n"
			"\tby mail.example.com (8.17.1.9/8.17.1.9) with ESMTP id X;\n"
			"\tSat, 21 Nov 2026 04:43:15 GMT");
	env_add_header(e, "${daemon_flags}", "X-Cond", " yes");
	env_add_header(e, "", "Subject", " a\n   spaced continuation");
	env_add_header(e, "", "X-Empty", "");
}

static const char FullText[] =
	"V8\nT1795236195\nK1795236200\nN2\nP120049\nI254/0/12345\nB8BITMIME\n"
	"MDeferred: Connection refused by mx.example.net.\nF8bdns\n$_root@localhost\n$rESMTP\n"
	"$sclient.example.net\n${daemon_flags}c u\nS<sender@example.org>\nZabc+2Bdef\nA<>\n"
	"rRFC822; root@mail.example.com\nRPFD:<root>\n"
	"C:owner@example.org\nQrfc822;orig+40x@y\nrRFC822; x@example.org\nRPNSD:<x@elsewhere.example>\n"
	"RNA:y@elsewhere.example\nC\nRP:z@elsewhere.example\n"
	"H?P?Return-Path: <\201g>\n"
	"H??Received: from client.example.net (root@localhost)\n"
	"\tby mail.example.com (8.17.1.9/8.17.1.9) with ESMTP id X;\n"
	"\tSat, 21 Nov 2026 04:43:15 GMT\n"
	"H?${daemon_flags}?X-Cond: yes\nH??Subject: a\n   spaced continuation\nH??X-Empty:\n.\n";

static bool envelopes_equal(const struct envelope *a, const struct envelope *b, sbuf *why)
{
	sbuf x = SBUF_INIT, y = SBUF_INIT;
	bool same;

	qf_format(a, &x);
	qf_format(b, &y);
	same = x.len == y.len && memcmp(x.s, y.s, x.len) == 0;
	if (!same)
		sb_printf(why, "got:\n%s\nwant:\n%s", x.s, y.s);
	sb_free(&x);
	sb_free(&y);
	return same;
}

static void test_text(void)
{
	struct envelope e, back;
	sbuf text = SBUF_INIT, err = SBUF_INIT;
	FILE *fp;

	full_envelope(&e);
	qf_format(&e, &text);
	tap_is_str(text.s, FullText, "qf text of a full envelope: records in 8.17's order, C sticky");

	fp = fmemopen((void *)FullText, strlen(FullText), "r");
	env_init(&back);
	{
		int got = qf_parse(fp, &back, &err);
		tap_is_int(got, Q_OK, "the text parses back (%s)", sb_str(&err));
	}
	fclose(fp);
	sb_reset(&err);
	{
		bool same = envelopes_equal(&back, &e, &err);
		tap_ok(same, "to the same envelope%s%s", err.len ? "\n" : "", sb_str(&err));
	}
	tap_is_str(back.rcpts[2].ctladdr, ":owner@example.org", "a C record holds for the R records after it");
	tap_is_str(back.rcpts[3].ctladdr, NULL, "until an empty C");
	tap_is_str(back.rcpts[1].orcpt, "rfc822;orig+40x@y", "Q belongs to the next R");
	tap_is_str(back.rcpts[2].orcpt, NULL, "and only to it");
	tap_is_str(back.hdrs[2].cond, "${daemon_flags}", "a macro condition on a header");
	tap_is_str(back.hdrs[1].value, " from client.example.net (root@localhost)\n"
		   "\tby mail.example.com (8.17.1.9/8.17.1.9) with ESMTP id X;\n"
		   "\tSat, 21 Nov 2026 04:43:15 GMT", "continuation lines join a header");
	env_free(&back);
	env_free(&e);

	/* newlines inside one-line values, unknown records, bad files */
	{
		static const char bad[] = "V8\nT1\nK0\nN0\nP0\nF\nSs\nRr@x\n.\n";
		struct envelope o;
		env_init(&o);
		sb_reset(&err);
		fp = fmemopen((void *)bad, strlen(bad), "r");
		{
			int got = qf_parse(fp, &o, &err);
			tap_is_int(got, Q_ERROR, "an R record without flags in a V8 qf is an error (%s)", sb_str(&err));
		}
		fclose(fp);
		env_free(&o);
	}
	{
		static const char odd[] = "V8\nT1\nK0\nN0\nP0\nMline one\nF\nSs\nXmystery\n\tcontinued\n"
					  "RP:r\n.\n";
		struct envelope o;
		env_init(&o);
		sb_reset(&err);
		fp = fmemopen((void *)odd, strlen(odd), "r");
		tap_is_int(qf_parse(fp, &o, &err), Q_OK, "an unknown record is kept");
		fclose(fp);
		tap_ok(o.nextra == 1 && strcmp(o.extra[0], "Xmystery\n\tcontinued") == 0 &&
			       strstr(err.s, "unknown record") != NULL,
		       "verbatim, and reported");
		free(o.statmsg);
		o.statmsg = xstrdup("two\nlines");
		sb_reset(&text);
		qf_format(&o, &text);
		tap_ok(strstr(text.s, "\nMtwo lines\n") != NULL, "a newline in a one-line value becomes a blank");
		tap_ok(strstr(text.s, "\nXmystery\n\tcontinued\nH") != NULL ||
			       strstr(text.s, "\nXmystery\n\tcontinued\n.") != NULL,
		       "and the unknown record is written back");
		env_free(&o);
	}
	{
		static const char cut[] = "V8\nT1\nK0\nN0\nP0\nF\nSs\nRP:r\n";
		struct envelope o;
		env_init(&o);
		sb_reset(&err);
		fp = fmemopen((void *)cut, strlen(cut), "r");
		{
			int got = qf_parse(fp, &o, &err);
			tap_is_int(got, Q_ERROR, "a qf without its final dot is incomplete (%s)", sb_str(&err));
		}
		fclose(fp);
		env_free(&o);
	}
	{
		static const char v9[] = "V9\nT1\n.\n";
		struct envelope o;
		env_init(&o);
		sb_reset(&err);
		fp = fmemopen((void *)v9, strlen(v9), "r");
		{
			int got = qf_parse(fp, &o, &err);
			tap_is_int(got, Q_ERROR, "a later qf version is refused (%s)", sb_str(&err));
		}
		fclose(fp);
		env_free(&o);
	}
	{
		struct envelope o;
		env_init(&o);
		env_add_header(&o, "", "X", " a\nb");
		sb_reset(&text);
		qf_format(&o, &text);
		tap_ok(strstr(text.s, "H??X: a\n\tb\n") != NULL, "a header line that would not be a continuation is made one");
		env_free(&o);
	}
	sb_free(&text);
	sb_free(&err);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "r");
	sbuf b = SBUF_INIT;
	char buf[4096];
	size_t n;

	if (fp == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		sb_put(&b, buf, n);
	fclose(fp);
	*len = b.len;
	if (b.s == NULL)
		return xstrdup("");
	return sb_steal(&b);
}

static void test_write_read(const char *top)
{
	static const char body[] = "line one\n.dot kept as given\n\nbin\377ary\n";
	struct queue q;
	struct envelope e, r;
	sbuf dir = SBUF_INIT, path = SBUF_INIT, err = SBUF_INIT;
	struct stat st;
	char *text;
	size_t len;
	int fd, rc;

	sb_printf(&dir, "%s/q1", top);
	mkdir(dir.s, 0700);
	tap_ok(queue_init(&q, dir.s, NULL), "a queue folder");
	full_envelope(&e);
	rc = queue_enqueue(&q, &e, body, sizeof body - 1, &err);
	tap_is_int(rc, Q_OK, "a message is queued (%s)", sb_str(&err));
	if (rc != Q_OK)
		return;
	queue_file(&q, "df", e.id, &path);
	text = read_file(path.s, &len);
	tap_ok(text != NULL && len == sizeof body - 1 && memcmp(text, body, len) == 0,
	       "the df holds the body as given");
	free(text);
	tap_ok(stat(path.s, &st) == 0 && (st.st_mode & 07777) == 0600, "df mode 0600");
	tap_is_int((long)e.dfsize, (long)(sizeof body - 1), "size of the df noted");
	queue_file(&q, "qf", e.id, &path);
	text = read_file(path.s, &len);
	tap_is_str(text, FullText, "the qf holds the envelope");
	free(text);
	tap_ok(stat(path.s, &st) == 0 && (st.st_mode & 07777) == 0600, "qf mode 0600");
	tap_is_int(count_files(dir.s, "tf"), 0, "no tf left");

	/* the writer holds the lock: another open file cannot take it, a reader gets Q_LOCKED */
	fd = open(path.s, O_RDONLY);
	tap_ok(fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK,
	       "the new qf is locked by its writer (flock)");
	if (fd >= 0)
		close(fd);
	env_init(&r);
	sb_reset(&err);
	tap_is_int(queue_read(&q, e.id, &r, true, &err), Q_LOCKED, "a second runner finds it locked");
	tap_is_int(queue_read(&q, e.id, &r, false, &err), Q_OK, "it can still be read without the lock");
	sb_reset(&err);
	{
		bool same = envelopes_equal(&r, &e, &err);
		tap_ok(same, "read back: the same envelope%s%s", err.len ? "\n" : "", sb_str(&err));
	}
	tap_is_str(r.id, e.id, "with its id");
	tap_is_int((long)r.dfsize, (long)(sizeof body - 1), "and the size of its df");
	env_free(&r);
	queue_unlock(&e);
	env_init(&r);
	tap_is_int(queue_read(&q, e.id, &r, true, &err), Q_OK, "unlocked, a runner takes it");
	fd = open(path.s, O_RDONLY);
	tap_ok(fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) != 0, "and holds the lock");
	if (fd >= 0)
		close(fd);

	/* after a delivery attempt the runner rewrites the qf */
	free(r.statmsg);
	r.statmsg = xstrdup("Deferred: 451 try later");
	r.ntries++;
	sb_reset(&err);
	{
		int got = queue_update(&q, &r, &err);
		tap_is_int(got, Q_OK, "the qf is rewritten (%s)", sb_str(&err));
	}
	text = read_file(path.s, &len);
	tap_ok(text != NULL && strstr(text, "\nN3\n") && strstr(text, "\nMDeferred: 451 try later\n"),
	       "with the new status");
	free(text);
	fd = open(path.s, O_RDONLY);
	tap_ok(fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) != 0, "and stays locked through the rewrite");
	if (fd >= 0)
		close(fd);
	/* quarantined, the control file is an hf, as in 8.17; released, a qf again */
	r.quarmsg = xstrdup("held for review");
	sb_reset(&err);
	rc = queue_update(&q, &r, &err);
	tap_ok(rc == Q_OK && count_files(dir.s, "hf") == 1 && count_files(dir.s, "qf") == 0,
	       "a quarantined message is kept as hf%s", r.id);
	queue_file(&q, "hf", r.id, &path);
	text = read_file(path.s, &len);
	tap_ok(text != NULL && strstr(text, "\nB8BITMIME\nqheld for review\nMDeferred: 451") != NULL,
	       "with its q record after B, before M");
	free(text);
	{
		struct envelope h;
		env_init(&h);
		tap_is_int(queue_read(&q, r.id, &h, false, &err), Q_OK, "and read by its id");
		tap_is_str(h.quarmsg, "held for review", "with the reason");
		env_free(&h);
	}
	free(r.quarmsg);
	r.quarmsg = NULL;
	rc = queue_update(&q, &r, &err);
	tap_ok(rc == Q_OK && count_files(dir.s, "hf") == 0 && count_files(dir.s, "qf") == 1,
	       "released, it is a qf again");
	queue_file(&q, "qf", r.id, &path);
	tap_is_int(queue_remove(&q, &r), 0, "the message is removed");
	tap_is_int(count_files(dir.s, ""), 2, "leaving nothing in the folder");
	tap_is_int(queue_read(&q, e.id, &r, true, &err), Q_NOTFOUND, "a removed message is not found");
	env_free(&r);
	env_free(&e);
	queue_free(&q);

	/* subfolders qf/ df/ xf/ are used when they exist */
	sb_reset(&dir);
	sb_printf(&dir, "%s/q2", top);
	mkdir(dir.s, 0700);
	sb_reset(&path);
	sb_printf(&path, "%s/qf", dir.s);
	mkdir(path.s, 0700);
	sb_reset(&path);
	sb_printf(&path, "%s/df", dir.s);
	mkdir(path.s, 0700);
	queue_init(&q, dir.s, NULL);
	env_init(&e);
	e.sender = xstrdup("s@example.org");
	env_add_rcpt(&e, "r@example.org", QR_PRIMARY);
	sb_reset(&err);
	rc = queue_enqueue(&q, &e, "x\n", 2, &err);
	sb_reset(&path);
	sb_printf(&path, "%s/qf", dir.s);
	tap_ok(rc == Q_OK && count_files(path.s, "qf") == 1, "with a qf/ subfolder the qf goes there");
	sb_reset(&path);
	sb_printf(&path, "%s/df", dir.s);
	tap_ok(count_files(path.s, "df") == 1 && count_files(dir.s, "df") == 1,
	       "and the df in df/");
	/* a fixed id that is taken is refused */
	{
		struct envelope f;
		env_init(&f);
		f.id = xstrdup(e.id);
		sb_reset(&err);
		tap_is_int(queue_enqueue(&q, &f, "y\n", 2, &err), Q_ERROR, "an id in use is not reused");
		env_free(&f);
	}
	env_free(&e);
	queue_free(&q);
	sb_free(&dir);
	sb_free(&path);
	sb_free(&err);
}

/* the child: queue a message and die by SIGKILL at the given step */
static const char *KillAt;
static void killer(const char *step)
{
	if (strcmp(step, KillAt) == 0)
		kill(getpid(), SIGKILL);
}

static void test_crash(const char *top)
{
	static const char *const steps[] = {
		"df-written", "df-synced", "tf-written", "tf-synced", "renamed", "dir-synced", NULL
	};
	size_t i, bodylen = 300000;
	char *body = xmalloc(bodylen);

	for (i = 0; i < bodylen; i++)
		body[i] = i % 77 == 76 ? '\n' : (char)('a' + i % 26);
	for (i = 0; steps[i] != NULL; i++) {
		sbuf dir = SBUF_INIT;
		pid_t pid;
		int status = 0, nqf;
		bool after = i >= 4;

		sb_printf(&dir, "%s/crash%zu", top, i);
		mkdir(dir.s, 0700);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			struct queue q;
			struct envelope e;
			sbuf err = SBUF_INIT;
			queue_init(&q, dir.s, NULL);
			full_envelope(&e);
			KillAt = steps[i];
			queue_step_hook = killer;
			queue_enqueue(&q, &e, body, bodylen, &err);
			_exit(0);
		}
		waitpid(pid, &status, 0);
		nqf = count_files(dir.s, "qf");
		tap_ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "killed at %s", steps[i]);
		if (!after) {
			tap_is_int(nqf, 0, "killed at %s: no qf, so no message", steps[i]);
		} else {
			/* the qf is there: it must be whole, and its df too */
			struct queue q;
			struct envelope r, want;
			sbuf err = SBUF_INIT;
			DIR *dp = opendir(dir.s);
			struct dirent *d;
			char *id = NULL;
			while (dp != NULL && (d = readdir(dp)) != NULL)
				if (strncmp(d->d_name, "qf", 2) == 0)
					id = xstrdup(d->d_name + 2);
			if (dp != NULL)
				closedir(dp);
			queue_init(&q, dir.s, NULL);
			env_init(&r);
			full_envelope(&want);
			{
				bool whole = nqf == 1 && id != NULL &&
					     queue_read(&q, id, &r, true, &err) == Q_OK &&
					     envelopes_equal(&r, &want, &err) && r.dfsize == (off_t)bodylen;
				tap_ok(whole, "killed at %s: the message is there, whole%s%s", steps[i],
				       err.len ? "\n" : "", sb_str(&err));
			}
			env_free(&r);
			env_free(&want);
			queue_free(&q);
			free(id);
			sb_free(&err);
		}
		rmtree(dir.s);
		sb_free(&dir);
	}
	free(body);
}

/* SIGKILL at arbitrary moments while a child queues message after message: every qf
 * left behind is whole, with its whole df */
static void test_random_kills(const char *top)
{
	enum { ROUNDS = 40 };
	size_t bodylen = 200000, i;
	char *body = xmalloc(bodylen);
	int round, torn = 0, total = 0, orphans = 0;
	sbuf dir = SBUF_INIT;

	for (i = 0; i < bodylen; i++)
		body[i] = i % 61 == 60 ? '\n' : (char)('A' + i % 26);
	sb_printf(&dir, "%s/random", top);
	mkdir(dir.s, 0700);
	for (round = 0; round < ROUNDS; round++) {
		struct timespec ts = { 0, (long)(round % 10) * 700000L + 100000L };
		pid_t pid;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			struct queue q;
			queue_init(&q, dir.s, NULL);
			for (;;) {
				struct envelope e;
				sbuf err = SBUF_INIT;
				full_envelope(&e);
				queue_enqueue(&q, &e, body, bodylen, &err);
				env_free(&e);
				sb_free(&err);
			}
		}
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	{
		struct queue q;
		DIR *dp = opendir(dir.s);
		struct dirent *d;
		queue_init(&q, dir.s, NULL);
		while (dp != NULL && (d = readdir(dp)) != NULL) {
			struct envelope r, want;
			sbuf err = SBUF_INIT;
			if (strncmp(d->d_name, "qf", 2) != 0)
				continue;
			total++;
			env_init(&r);
			full_envelope(&want);
			if (queue_read(&q, d->d_name + 2, &r, false, &err) != Q_OK ||
			    !envelopes_equal(&r, &want, &err) || r.dfsize != (off_t)bodylen) {
				torn++;
				tap_diag("%s: %s", d->d_name, sb_str(&err));
			}
			env_free(&r);
			env_free(&want);
			sb_free(&err);
		}
		if (dp != NULL)
			closedir(dp);
		orphans = count_files(dir.s, "df") - total;
		queue_free(&q);
	}
	tap_ok(total > 0 && torn == 0, "%d kills at random moments: all %d messages left are whole "
	       "(%d unfinished data files, never listed)", ROUNDS, total, orphans);
	rmtree(dir.s);
	sb_free(&dir);
	free(body);
}

int main(void)
{
	char *dir = fixture_scratch_dir("t_queue");

	if (dir == NULL) {
		tap_ok(0, "cannot make a scratch folder");
		return tap_done();
	}
	test_ids();
	test_text();
	test_write_read(dir);
	test_crash(dir);
	test_random_kills(dir);
	rmtree(dir);
	free(dir);
	return tap_done();
}
