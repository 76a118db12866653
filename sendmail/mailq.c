/* mailq.c -- sendmail -bp (mailq): the queue listed as 8.17 lists it, byte for byte.
 *
 * What 8.17 shows was established by running it on queues made for the purpose (see
 * tests/queue-diff.t).  Its listing is built in two passes per queue folder: the folder
 * is scanned for qf files (in directory order, up to MaxQueueRunSize of them), each is read
 * only as far as the sort order needs (its priority, its time, the host of its first
 * recipient), and the lock test, the MinQueueAge test and the quarantine test happen on the
 * way, so a job read for nothing shows none of them; then the jobs are sorted (stably) and
 * each qf is read again to print it.  Values come out of the qf as they are met, so a
 * recipient before the sender, or a status after it, shows where 8.17 shows it.
 *
 * Not done: the -q filters (-qI, -qR, -qS, -qQ, -qL), PrivacyOptions=restrictmailq, queue
 * groups from Q lines; random and shuffle orders fall back to priority. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "conf.h"
#include "diag.h"
#include "lineread.h"
#include "queue.h"
#include "xalloc.h"

struct job {
	char *name;		/* qf file name */
	long pri;
	time_t ctime;
	time_t mtime;
	char *host;		/* host of the first recipient, reversed (host sort), or NULL */
	bool locked;
	bool tooyoung;
	size_t order;		/* position in the folder */
};

#define NEED_P	0x1
#define NEED_T	0x2
#define NEED_H	0x4

static int SortOrder;		/* first letter of QueueSortOrder, lower case */
static long MinQueueAge;	/* seconds */
static long MaxQueueRunSize;	/* 0: no limit */
static long QueueLA, QueueFactor, CurrentLA;	/* for the X mark: the job would wait for load */
/* The error a message about a non-regular qf names: 8.17 prints whatever errno was left
 * by the last failing call since its last message (folder probes, a vanished file). */
static int StaleErrno;

static struct queue *Queues;
static size_t NQueues;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	sbuf b = SBUF_INIT;

	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	fflush(stdout);
	message("%s", b.s);
	sb_free(&b);
	StaleErrno = 0;
}

/* print at most ml columns of s, as 8.17 does: a backslash doubled, other unprintable
 * bytes as \ooo, anything that would not fit whole left out */
static void prtstr(const char *s, int ml)
{
	int c;

	if (s == NULL)
		return;
	while (ml-- > 0 && (c = (unsigned char)*s++) != '\0') {
		if (c == '\\') {
			if (ml-- > 0) {
				putchar('\\');
				putchar('\\');
			}
		} else if (c < 0200 && isprint(c)) {
			putchar(c);
		} else {
			ml -= 3;
			if (ml > 0)
				printf("\\%03o", c);
		}
	}
}

/* ctime(3)'s text, without its newline, in the C locale */
static const char *ctime_text(time_t t, char buf[64])
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 ||
	    tm.tm_mon > 11) {
		snprintf(buf, 64, "??? ??? ?? ??:??:?? ????");
		return buf;
	}
	snprintf(buf, 64, "%.3s %.3s%3d %.2d:%.2d:%.2d %d", days + 3 * tm.tm_wday,
		 months + 3 * tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 tm.tm_year + 1900);
	return buf;
}

/* no host first, then hosts (reversed) without regard to case */
static int hostcmp(const struct job *x, const struct job *y)
{
	if ((x->host == NULL) != (y->host == NULL))
		return x->host == NULL ? -1 : 1;
	return x->host == NULL ? 0 : strcasecmp(x->host, y->host);
}

static int jobcmp(const void *a, const void *b)
{
	const struct job *x = a, *y = b;
	int r = 0;

	switch (SortOrder) {
	case 'f':
		r = strcmp(x->name, y->name);
		break;
	case 't':
		r = x->ctime < y->ctime ? -1 : x->ctime > y->ctime;
		break;
	case 'm':
		r = x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
		break;
	case 'n':
		break;
	case 'h':
		/* the host order's second pass: jobs being worked on last, then by host,
		 * then by priority */
		r = x->locked - y->locked;
		if (r == 0)
			r = hostcmp(x, y);
		if (r == 0)
			r = x->pri < y->pri ? -1 : x->pri > y->pri;
		break;
	case 'H':
		/* its first pass: by host, locked jobs first, then by priority */
		r = hostcmp(x, y);
		if (r == 0)
			r = y->locked - x->locked;
		if (r == 0)
			r = x->pri < y->pri ? -1 : x->pri > y->pri;
		break;
	default:
		r = x->pri < y->pri ? -1 : x->pri > y->pri;
		break;
	}
	if (r == 0)
		r = x->order < y->order ? -1 : x->order > y->order;
	return r;
}

/* the qf called name: as it is reached (from the base folder), or as it is shown */
static void qfpath(const struct queue *q, const char *name, bool shown, sbuf *out)
{
	sb_reset(out);
	sb_printf(out, "%s/%s%s", shown ? q->path : q->name, q->qfsub ? "qf/" : "", name);
}

/* what the sort needs from a qf, read as far as it is needed; false if the job turns out
 * not to belong to the listing */
static bool peek(const struct queue *q, struct job *j, int needs, time_t now)
{
	sbuf path = SBUF_INIT, line = SBUF_INIT;
	bool keep = true;
	FILE *fp;

	qfpath(q, j->name, false, &path);
	fp = fopen(path.s, "r");
	sb_free(&path);
	if (fp == NULL) {
		StaleErrno = errno;
		return true;
	}
	StaleErrno = 0;
	if (flock(fileno(fp), LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK)
		j->locked = true;
	if (needs & NEED_P)
		j->pri = 0x7fffffff;	/* no priority: last */
	while (needs != 0 && lr_getline(fp, &line, 0) > 0) {
		switch (line.s[0]) {
		case 'P':
			j->pri = strtol(line.s + 1, NULL, 10);
			needs &= ~NEED_P;
			break;
		case 'T':
			j->ctime = (time_t)strtol(line.s + 1, NULL, 10);
			needs &= ~NEED_T;
			break;
		case 'R':
			if (needs & NEED_H) {
				/* the first recipient with a host */
				const char *at = strrchr(line.s + 1, '@');
				if (at != NULL) {
					size_t len = strlen(at + 1), i;
					j->host = xmalloc(size_add(len, 1));
					for (i = 0; i < len; i++)
						j->host[i] = at[1 + len - 1 - i];
					j->host[len] = '\0';
					needs &= ~NEED_H;
				}
			}
			break;
		case 'q':
			/* quarantined: not a job of the normal queue */
			keep = false;
			needs = 0;
			break;
		case 'K':
			if (MinQueueAge > 0 && strtol(line.s + 1, NULL, 10) + MinQueueAge > now)
				j->tooyoung = true;
			break;
		}
	}
	fclose(fp);
	sb_free(&line);
	return keep;
}

/* the jobs of one queue folder; *count is every qf there, the result holds at most
 * MaxQueueRunSize of them */
static struct job *gather(const struct queue *q, size_t *njobs, long *count)
{
	sbuf dir = SBUF_INIT, path = SBUF_INIT;
	struct job *jobs = NULL;
	struct dirent *d;
	DIR *dp;
	int needs = 0;
	size_t order = 0;
	time_t now = time(NULL);

	*njobs = 0;
	*count = 0;
	switch (SortOrder) {
	case 'f': case 'm': case 'n':
		break;
	case 't':
		needs = NEED_P | NEED_T;
		break;
	case 'h':
		needs = NEED_P | NEED_H;
		break;
	default:
		needs = NEED_P;
		break;
	}
	sb_printf(&dir, "%s%s", q->name, q->qfsub ? "/qf" : "");
	dp = opendir(dir.s);
	if (dp == NULL) {
		say("can not opendir(%s): %s", dir.s, strerror(errno));
		sb_free(&dir);
		return NULL;
	}
	while ((d = readdir(dp)) != NULL) {
		struct stat st;
		struct job *j;

		if (d->d_name[0] != 'q' || d->d_name[1] != 'f')
			continue;
		if (strlen(d->d_name) >= MAXQFNAME) {
			if (Verbose)
				say("gatherq: %s too long, %d max characters", d->d_name, MAXQFNAME);
			continue;
		}
		/* past MaxQueueRunSize a name is only counted */
		if (MaxQueueRunSize > 0 && (long)*njobs >= MaxQueueRunSize) {
			(*count)++;
			continue;
		}
		qfpath(q, d->d_name, false, &path);
		if (stat(path.s, &st) != 0) {
			StaleErrno = errno;
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			qfpath(q, d->d_name, true, &path);
			if (StaleErrno != 0)
				say("gatherq: %s is not a regular file: %s", path.s,
				    strerror(StaleErrno));
			else
				say("gatherq: %s is not a regular file", path.s);
			continue;
		}
		(*count)++;
		jobs = xreallocarray(jobs, size_add(*njobs, 1), sizeof *jobs);
		j = &jobs[(*njobs)++];
		memset(j, 0, sizeof *j);
		j->name = xstrdup(d->d_name);
		j->mtime = st.st_mtime;
		j->order = order++;
		/* the MinQueueAge test happens only on the way */
		if (needs != 0 && !peek(q, j, needs, now)) {
			free(j->name);
			free(j->host);
			(*njobs)--;
			(*count)--;
		}
	}
	closedir(dp);
	sb_free(&dir);
	sb_free(&path);
	if (*njobs > 1 && SortOrder == 'h') {
		/* by host: a job being worked on holds back the other jobs for its host, so
		 * they count as locked too and go last with it */
		size_t i = 0, k;
		SortOrder = 'H';
		qsort(jobs, *njobs, sizeof *jobs, jobcmp);
		SortOrder = 'h';
		while (i < *njobs) {
			if (!jobs[i].locked) {
				i++;
				continue;
			}
			k = i;
			while (++i < *njobs && hostcmp(&jobs[i], &jobs[k]) == 0)
				jobs[i].locked = true;
		}
		for (i = 0; i < *njobs; i++)
			jobs[i].order = i;
	}
	if (*njobs > 1)
		qsort(jobs, *njobs, sizeof *jobs, jobcmp);
	return jobs;
}

static const struct queue *queue_named(const char *name)
{
	size_t i;

	for (i = 0; i < NQueues; i++)
		if (strcmp(Queues[i].name, name) == 0)
			return &Queues[i];
	return NULL;
}

/* the first physical line of each record of the qf (continuation lines start with a blank
 * and name no record, so they are passed over) */
static char **qf_lines(FILE *fp, size_t *n)
{
	sbuf line = SBUF_INIT;
	char **v = NULL;

	*n = 0;
	while (lr_getline(fp, &line, 0) > 0) {
		v = xreallocarray(v, size_add(*n, 1), sizeof *v);
		v[(*n)++] = xmemdup(line.s, line.len + 1);
	}
	sb_free(&line);
	return v;
}

static void print_job(const struct queue *q, const struct job *j)
{
	sbuf path = SBUF_INIT;
	const char *id = j->name + 2;
	const char *statmsg = NULL, *bodytype = NULL, *quarmsg = NULL;
	const struct queue *dfq = q;
	bool warned = false;
	int qfver = 0;
	time_t submittime = 0;
	long dfsize = -1;
	char **lines, tbuf[64];
	size_t n, i;
	FILE *fp;

	qfpath(q, j->name, false, &path);
	fp = fopen(path.s, "r");
	if (fp == NULL) {
		printf("%13s", id);
		printf(errno == ENOENT ? " (job completed)\n" : " (%s)\n", strerror(errno));
		sb_free(&path);
		return;
	}
	lines = qf_lines(fp, &n);
	fclose(fp);

	printf("%13s", id);
	/* the size of the df, in the queue its d record names */
	for (i = 0; i < n; i++)
		if (lines[i][0] == 'd')
			dfq = queue_named(lines[i] + 1);
	if (dfq != NULL) {
		int fd;
		struct stat st;
		sb_reset(&path);
		sb_printf(&path, "%s/%sdf%s", dfq->name, dfq->dfsub ? "df/" : "", id);
		fd = open(path.s, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			say("readqf: cannot open %s: %s", path.s, strerror(errno));
		} else {
			if (fstat(fd, &st) == 0)
				dfsize = (long)st.st_size;
			close(fd);
		}
	}
	if (j->locked)
		putchar('*');
	else if (j->tooyoung)
		putchar('-');
	else if (CurrentLA >= QueueLA && j->pri > QueueFactor / (CurrentLA - QueueLA + 1))
		putchar('X');
	else
		putchar(' ');

	for (i = 0; i < n; i++) {
		const char *v = lines[i] + 1;
		switch (lines[i][0]) {
		case 'V':
			qfver = atoi(v);
			break;
		case 'T':
			submittime = (time_t)strtol(v, NULL, 10);
			break;
		case 'F':
			warned = strchr(v, 'w') != NULL;
			break;
		case 'M':
			statmsg = *v != '\0' ? v : NULL;	/* empty: none */
			break;
		case 'B':
			bodytype = *v != '\0' ? v : NULL;	/* empty: none */
			break;
		case 'q':
			quarmsg = *v != '\0' ? v : NULL;	/* empty: none */
			break;
		case 'S':
			if (Verbose) {
				printf("%8ld %10ld%c%.12s ", dfsize, j->pri, warned ? '+' : ' ',
				       ctime_text(submittime, tbuf) + 4);
				prtstr(v, 78);
			} else {
				printf("%8ld %.16s ", dfsize, ctime_text(submittime, tbuf));
				prtstr(v, 39);
			}
			if (quarmsg != NULL)
				printf("\n     QUARANTINE: %.*s", Verbose ? 100 : 60, quarmsg);
			if (statmsg != NULL || bodytype != NULL) {
				printf("\n    %10.10s", bodytype != NULL ? bodytype : "");
				if (statmsg != NULL)
					printf("   (%.*s)", Verbose ? 100 : 60, statmsg);
				statmsg = NULL;
			}
			break;
		case 'C':
			if (Verbose)
				printf("\n\t\t\t\t\t\t(---%.64s---)", v);
			break;
		case 'R': {
			const char *p = v;
			if (qfver >= 1) {
				p = strchr(p, ':');
				if (p == NULL)
					break;
				p++;
			}
			if (Verbose) {
				printf("\n\t\t\t\t\t\t");
				prtstr(p, 71);
			} else {
				printf("\n\t\t\t\t\t ");
				prtstr(p, 38);
			}
			if (Verbose && statmsg != NULL) {
				printf("\n\t\t (%.100s)", statmsg);
				statmsg = NULL;
			}
			break;
		}
		}
	}
	if (submittime == 0)
		printf(" (no control file)");
	putchar('\n');
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	sb_free(&path);
}

static void print_one_queue(const struct queue *q, long *total)
{
	struct job *jobs;
	size_t njobs, i;
	long count;
	sbuf shown = SBUF_INIT;

	jobs = gather(q, &njobs, &count);
	*total += count;
	sb_printf(&shown, "%s%s", q->path, q->dfsub ? "/df" : "");
	if (count == 0) {
		printf("%s is empty\n", shown.s);
	} else {
		printf("\t\t%s (%ld request%s", shown.s, count, count == 1 ? "" : "s");
		if ((long)njobs < count)
			printf(", only %zu printed", njobs);
		printf(")\n");
		if (Verbose)
			printf("-----Q-ID----- --Size-- -Priority- ---Q-Time--- "
			       "--------Sender/Recipient--------\n");
		else
			printf("-----Q-ID----- --Size-- -----Q-Time----- "
			       "------------Sender/Recipient-----------\n");
	}
	for (i = 0; i < njobs; i++) {
		print_job(q, &jobs[i]);
		free(jobs[i].name);
		free(jobs[i].host);
	}
	free(jobs);
	sb_free(&shown);
}

/* a queue folder: reached by its name relative to the base folder (the working folder),
 * shown by its configured path */
static void add_queue(const char *path, const char *name)
{
	struct queue q;

	if (!queue_init(&q, name, name))
		return;
	free(q.path);
	q.path = xstrdup(path);
	if (!q.qfsub || !q.dfsub || !q.xfsub)
		StaleErrno = ENOENT;	/* a probe for a subfolder failed */
	Queues = xreallocarray(Queues, size_add(NQueues, 1), sizeof *Queues);
	Queues[NQueues++] = q;
}

int print_queue(void)
{
	const char *qd = queue_directory();
	const char *opt;
	char *base, *prefix = NULL, *slash;
	size_t len = strlen(qd), i;
	long total = 0;

	if (*qd == '\0')
		qd = "mqueue";
	if (*qd != '/') {
		message("QueuePath %s not absolute", qd);
		exit(EX_CONFIG);
	}
	tz_from_options();
	opt = option_value("QueueSortOrder");
	SortOrder = opt != NULL ? lower_c((unsigned char)*opt) : 'p';
	opt = option_value("MinQueueAge");
	MinQueueAge = opt != NULL ? convtime(opt, 'm') : 0;
	opt = option_value("MaxQueueRunSize");
	MaxQueueRunSize = opt != NULL ? strtol(opt, NULL, 10) : 0;
	/* QueueLA's default is 8 per processor; the load average is rounded */
	opt = option_value("QueueLA");
	QueueLA = opt != NULL ? strtol(opt, NULL, 10) : 8 * (sysconf(_SC_NPROCESSORS_ONLN) > 0 ?
							       sysconf(_SC_NPROCESSORS_ONLN) : 1);
	opt = option_value("QueueFactor");
	QueueFactor = opt != NULL ? strtol(opt, NULL, 10) : 600000;
	{
		double la;
		CurrentLA = getloadavg(&la, 1) == 1 ? (long)(la + 0.5) : 0;
	}

	/* "dir/prefix*": every folder in dir whose name starts with prefix is a queue */
	base = xstrdup(qd);
	if (len > 0 && qd[len - 1] == '*') {
		base[len - 1] = '\0';
		slash = strrchr(base, '/');
		if (slash != NULL) {
			prefix = xstrdup(slash + 1);
			if (slash == base)
				slash[1] = '\0';
			else
				*slash = '\0';
		} else {
			prefix = xstrdup(base);
			strcpy(base, ".");
		}
	}
	if (chdir(base) != 0) {
		syserr("can not chdir(%s/): %s", base, strerror(errno));
		exit(EX_CONFIG);
	}
	if (prefix == NULL) {
		add_queue(qd, ".");
	} else {
		size_t plen = strlen(prefix);
		DIR *dp = opendir(".");
		struct dirent *d;
		while (dp != NULL && (d = readdir(dp)) != NULL) {
			sbuf p = SBUF_INIT;
			struct stat st;
			if (strncmp(d->d_name, prefix, plen) != 0 || d->d_name[0] == '.')
				continue;
			if (stat(d->d_name, &st) != 0 || !S_ISDIR(st.st_mode))
				continue;
			sb_printf(&p, "%s%s%s", base, strcmp(base, "/") == 0 ? "" : "/", d->d_name);
			add_queue(p.s, d->d_name);
			sb_free(&p);
		}
		if (dp != NULL)
			closedir(dp);
		if (NQueues == 0) {
			/* no folder matched: the prefix itself is tried, and fails */
			sbuf p = SBUF_INIT;
			struct stat st;
			sb_printf(&p, "%s%s%s", base, strcmp(base, "/") == 0 ? "" : "/", prefix);
			if (stat(prefix, &st) == 0 && !S_ISDIR(st.st_mode))
				errno = ENOTDIR;
			syserr("can not opendir(%s): %s", p.s, strerror(errno));
			exit(EX_CONFIG);
		}
	}
	if (NQueues == 0) {
		syserr("can not opendir(%s/): %s", base, strerror(errno));
		exit(EX_CONFIG);
	}
	for (i = 0; i < NQueues; i++)
		print_one_queue(&Queues[i], &total);
	printf("\t\tTotal requests: %ld\n", total);
	fflush(stdout);
	for (i = 0; i < NQueues; i++)
		queue_free(&Queues[i]);
	free(Queues);
	free(base);
	free(prefix);
	return EX_OK;
}
