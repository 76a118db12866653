/* queuerun.c -- running the queue (see queuerun.h).
 *
 * A run lists the queue folder, reads each qf without its lock to select and sort, then
 * delivers the chosen ones in order, each under its lock: a message another process holds
 * is left to it.  Same-letter selections are OR'ed, different letters AND'ed, "!" negates
 * one, as 8.17 does; quarantined messages (hf) are only looked at with -qQ. */
#include "queuerun.h"
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cmdline.h"
#include "conf.h"
#include "deliver.h"
#include "diag.h"
#include "log.h"
#include "mta.h"
#include "queue.h"
#include "smtpclient.h"
#include "xalloc.h"

struct crit {
	int letter;		/* I R S Q */
	bool neg;
	const char *s;
};

struct item {
	char *id;
	long priority;
	time_t ctime, dtime, mtime;
	char *host;		/* first recipient's domain, reversed label order, for Sort=host */
	long rnd;
};

static struct crit *Crit;
static size_t NCrit;
static bool Quarantined;	/* -qQ: the hf files */
static bool Foreground;		/* -qf */

static void parse_args(void)
{
	size_t i;

	NCrit = 0;
	for (i = 0; i < Cmd.nqargs; i++) {
		const char *a = Cmd.qargs[i];
		bool neg = false;
		if (*a == '\0' || isdigit((unsigned char)*a))
			continue;
		if (*a == 'f') {
			Foreground = true;
			continue;
		}
		if (*a == 'p')		/* persistent: taken as a plain run */
			continue;
		if (*a == '!') {
			neg = true;
			a++;
		}
		if (strchr("IRSQ", *a) == NULL || *a == '\0')
			continue;
		Crit = xreallocarray(Crit, NCrit + 1, sizeof *Crit);
		Crit[NCrit].letter = *a;
		Crit[NCrit].neg = neg;
		Crit[NCrit].s = a + 1;
		NCrit++;
		if (*a == 'Q')
			Quarantined = true;
	}
}

long queue_interval(void)
{
	size_t i;

	for (i = 0; i < Cmd.nqargs; i++) {
		const char *a = Cmd.qargs[i];
		if (*a == 'p')
			a++;
		if (isdigit((unsigned char)*a)) {
			long t = convtime(a, 'm');
			if (t > 0)
				return t;
		}
	}
	return 0;
}

static bool has(const char *hay, const char *needle, bool icase)
{
	if (hay == NULL)
		return false;
	return icase ? strcasestr(hay, needle) != NULL : strstr(hay, needle) != NULL;
}

static bool crit_match(const struct crit *c, const char *id, const struct envelope *e)
{
	bool m = false;
	size_t i;

	switch (c->letter) {
	case 'I':
		m = has(id, c->s, false);
		break;
	case 'S':
		m = has(e->sender, c->s, true);
		break;
	case 'Q':
		m = has(e->quarmsg, c->s, true);
		break;
	case 'R':
		for (i = 0; i < e->nrcpts && !m; i++)
			m = has(e->rcpts[i].addr, c->s, true);
		break;
	}
	return c->neg ? !m : m;
}

static bool selected(const char *id, const struct envelope *e)
{
	static const char letters[] = "IRSQ";
	const char *l;

	for (l = letters; *l != '\0'; l++) {
		bool any = false, ok = false;
		size_t i;
		for (i = 0; i < NCrit; i++)
			if (Crit[i].letter == *l) {
				any = true;
				if (crit_match(&Crit[i], id, e))
					ok = true;
			}
		if (any && !ok)
			return false;
	}
	return true;
}

static int SortOrder;	/* first letter of QueueSortOrder, lower case */

static char *reversed_host(const char *addr)
{
	const char *at = addr != NULL ? strrchr(addr, '@') : NULL;
	sbuf b = SBUF_INIT;
	const char *end;

	sb_init(&b);
	if (at == NULL)
		return sb_steal(&b);
	at++;
	end = at + strcspn(at, ">");
	while (end > at) {
		const char *dot = end;
		while (dot > at && dot[-1] != '.')
			dot--;
		sb_put(&b, dot, (size_t)(end - dot));
		sb_putc(&b, '.');
		end = dot > at ? dot - 1 : at;
	}
	return sb_steal(&b);
}

static int cmp_items(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	switch (SortOrder) {
	case 't':
		if (a->ctime != b->ctime)
			return a->ctime < b->ctime ? -1 : 1;
		break;
	case 'f':
		return strcmp(a->id, b->id);
	case 'm':
		if (a->mtime != b->mtime)
			return a->mtime < b->mtime ? -1 : 1;
		break;
	case 'r':
	case 's':
		return a->rnd < b->rnd ? -1 : a->rnd > b->rnd;
	case 'h': {
		int c = strcasecmp(a->host, b->host);
		if (c != 0)
			return c;
		break;
	}
	default:
		break;
	}
	if (a->priority != b->priority)
		return a->priority < b->priority ? -1 : 1;
	if (a->ctime != b->ctime)
		return a->ctime < b->ctime ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int run(void)
{
	struct queue q;
	DIR *d;
	struct dirent *de;
	sbuf dir = SBUF_INIT, err = SBUF_INIT;
	struct item *it = NULL;
	size_t n = 0, i;
	long maxrun = 0, minage = 0;
	int delivered = 0;
	const char *v;
	time_t now = time(NULL);

	if (!queue_init(&q, queue_directory(), ".")) {
		syserr("queue directory %s: cannot use it", queue_directory());
		return -1;
	}
	v = option_value("QueueSortOrder");
	SortOrder = v != NULL && *v != '\0' ? lower_c((unsigned char)*v) : 'p';
	v = option_value("MaxQueueRunSize");
	maxrun = v != NULL ? atol(v) : 0;
	v = option_value("MinQueueAge");
	minage = v != NULL && *v != '\0' ? convtime(v, 'm') : 0;
	sb_init(&dir);
	sb_init(&err);
	sb_puts(&dir, q.path);
	if (q.qfsub)
		sb_puts(&dir, "/qf");
	d = opendir(dir.s);
	if (d == NULL) {
		syserr("cannot open %s: %m", dir.s);
		queue_free(&q);
		sb_free(&dir);
		sb_free(&err);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct envelope e;
		const char *name = de->d_name;
		if (strlen(name) < 3 || strlen(name) >= MAXQFNAME || name[1] != 'f' ||
		    name[0] != (Quarantined ? 'h' : 'q'))
			continue;
		env_init(&e);
		sb_reset(&err);
		if (queue_read(&q, name + 2, &e, false, &err) != Q_OK) {
			env_free(&e);
			continue;
		}
		if (!selected(name + 2, &e) || (minage > 0 && e.dtime > 0 && now - e.dtime < minage)) {
			env_free(&e);
			continue;
		}
		it = xreallocarray(it, n + 1, sizeof *it);
		it[n].id = xstrdup(name + 2);
		it[n].priority = e.priority;
		it[n].ctime = e.ctime;
		it[n].dtime = e.dtime;
		it[n].host = reversed_host(e.nrcpts > 0 ? e.rcpts[0].addr : NULL);
		it[n].rnd = random();
		{
			struct stat st;
			sbuf p = SBUF_INIT;
			sb_init(&p);
			queue_file(&q, "qf", it[n].id, &p);
			it[n].mtime = stat(p.s, &st) == 0 ? st.st_mtime : 0;
			sb_free(&p);
		}
		n++;
		env_free(&e);
	}
	closedir(d);
	if (SortOrder != 'n')
		qsort(it, n, sizeof *it, cmp_items);
	if (maxrun > 0 && n > (size_t)maxrun) {
		for (i = (size_t)maxrun; i < n; i++) {
			free(it[i].id);
			free(it[i].host);
		}
		n = (size_t)maxrun;
	}
	for (i = 0; i < n; i++) {
		if (deliver_queued(&q, it[i].id, true) == Q_OK)
			delivered++;
		arena_reset(Scratch);
		free(it[i].id);
		free(it[i].host);
	}
	free(it);
	smtp_cache_close(0);
	queue_free(&q);
	sb_free(&dir);
	sb_free(&err);
	return delivered;
}

int queue_run_once(void)
{
	parse_args();
	return run();
}

int queuerun_main(void)
{
	parse_args();
	if (!Foreground) {
		/* as 8.17: the run goes on in a child, the command returns at once */
		pid_t pid = fork();
		if (pid > 0)
			return EX_OK;
		if (pid == 0)
			setsid();
	}
	if (run() < 0)
		return EX_OSFILE;
	return EX_OK;
}
