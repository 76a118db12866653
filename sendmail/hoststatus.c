/* hoststatus.c -- persistent host status files and their listing (see hoststatus.h).
 *
 * The listing walks the folder in directory order, as 8.17's does, so that both list the
 * same folder in the same order; a host's name is its file name followed by the names of
 * the folders above it that end in a dot (the domain, reversed). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "conf.h"
#include "diag.h"
#include "hoststatus.h"
#include "mailexec.h"
#include "lineread.h"
#include "mta.h"
#include "queue.h"
#include "xalloc.h"

#define HOSTSTATUS_TIMEOUT	timeout_seconds("hoststatus", 30 * 60)

const char *hoststatus_dir(void)
{
	static sbuf path;
	const char *d = option_value("HostStatusDirectory");

	if (d == NULL || *d == '\0')
		return NULL;
	if (d[0] == '/')
		return d;
	sb_reset(&path);
	sb_printf(&path, "%s/%s", queue_directory(), d);
	return path.s;
}

void hoststatus_path(const char *dir, const char *host, sbuf *out)
{
	size_t len;
	const char *end;

	sb_reset(out);
	sb_puts(out, dir);
	if (*host == '[') {
		host++;
		len = strcspn(host, "]");
	} else
		len = strlen(host);
	while (len > 0 && host[len - 1] == '.')
		len--;
	/* the labels last to first; all but the host's own one are folders ending in a dot */
	end = host + len;
	while (end > host) {
		const char *dot = end;
		while (dot > host && dot[-1] != '.')
			dot--;
		sb_putc(out, '/');
		for (const char *c = dot; c < end; c++)
			sb_putc(out, lower_c((unsigned char)*c));
		if (dot > host) {
			sb_putc(out, '.');
			end = dot - 1;
		} else
			end = dot;
	}
}

void hoststatus_free(struct hoststatus *hs)
{
	free(hs->dsn);
	free(hs->rstatus);
	memset(hs, 0, sizeof *hs);
}

/* parse an open status file; false if it is not one */
static bool parse_status(FILE *fp, struct hoststatus *hs)
{
	sbuf line = SBUF_INIT;
	bool ended = false;

	memset(hs, 0, sizeof *hs);
	sb_init(&line);
	while (lr_getline(fp, &line, 0) > 0) {
		const char *v = line.s + 1;
		switch (line.s[0]) {
		case 'V':
			if (atoi(v) != 0)
				goto bad;
			break;
		case 'E': hs->err = atoi(v); break;
		case 'H': hs->herr = atoi(v); break;
		case 'S': hs->exitstat = atoi(v); break;
		case 'D': free(hs->dsn); hs->dsn = xstrdup(v); break;
		case 'R': free(hs->rstatus); hs->rstatus = xstrdup(v); break;
		case 'U': hs->lastuse = (time_t)strtoll(v, NULL, 10); break;
		case '.': ended = true; goto out;
		default: goto bad;
		}
	}
out:
	sb_free(&line);
	if (!ended)
		hoststatus_free(hs);
	return ended;
bad:
	sb_free(&line);
	hoststatus_free(hs);
	return false;
}

bool hoststatus_read(const char *host, struct hoststatus *hs)
{
	const char *dir = hoststatus_dir();
	sbuf path = SBUF_INIT;
	FILE *fp;
	bool ok = false;

	memset(hs, 0, sizeof *hs);
	if (dir == NULL)
		return false;
	sb_init(&path);
	hoststatus_path(dir, host, &path);
	fp = fopen(path.s, "r");
	if (fp != NULL) {
		ok = parse_status(fp, hs);
		fclose(fp);
	}
	sb_free(&path);
	return ok;
}

bool hoststatus_write(const char *host, const struct hoststatus *hs)
{
	const char *dir = hoststatus_dir();
	sbuf path = SBUF_INIT, tmp = SBUF_INIT, text = SBUF_INIT;
	bool ok = false;
	char *slash;
	int fd;

	if (dir == NULL)
		return false;
	sb_init(&path);
	sb_init(&tmp);
	sb_init(&text);
	hoststatus_path(dir, host, &path);
	/* the folders on the way */
	for (slash = path.s + strlen(dir) + 1; (slash = strchr(slash, '/')) != NULL; slash++) {
		*slash = '\0';
		if (mkdir(path.s, 0755) != 0 && errno != EEXIST) {
			*slash = '/';
			goto out;
		}
		*slash = '/';
	}
	sb_printf(&text, "V0\nE%d\nH%d\nS%d\n", hs->err, hs->herr, hs->exitstat);
	if (hs->dsn != NULL)
		sb_printf(&text, "D%s\n", hs->dsn);
	if (hs->rstatus != NULL)
		sb_printf(&text, "R%s\n", hs->rstatus);
	sb_printf(&text, "U%lld\n.\n", (long long)hs->lastuse);
	sb_printf(&tmp, "%s.%ld.tmp", path.s, (long)getpid());
	fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
	if (fd < 0)
		goto out;
	if (write(fd, text.s, text.len) != (ssize_t)text.len || close(fd) != 0) {
		unlink(tmp.s);
		goto out;
	}
	ok = rename(tmp.s, path.s) == 0;
	if (!ok)
		unlink(tmp.s);
out:
	sb_free(&path);
	sb_free(&tmp);
	sb_free(&text);
	return ok;
}

bool hoststatus_down(const char *host, time_t now, time_t *since)
{
	struct hoststatus hs;
	bool down;

	if (!hoststatus_read(host, &hs))
		return false;
	down = hs.exitstat == EX_TEMPFAIL && now - hs.lastuse < HOSTSTATUS_TIMEOUT;
	if (since != NULL)
		*since = hs.lastuse;
	hoststatus_free(&hs);
	return down;
}

/* what an exit status means, after its DSN code, as the listing shows it (8.17 names
 * EX_USAGE differently here than in a transcript) */
static void exit_line(int st, sbuf *out)
{
	const char *t = st == EX_USAGE ? "Command line usage error" : exit_message(st);

	if (t != NULL)
		sb_printf(out, "%s %s", exit_dsn(st), t);
	else
		sb_printf(out, "Unknown mailer error %d", st);
}

/* how long ago, as 8.17 prints it briefly: [days+]hh:mm:ss (C's signed arithmetic) */
static void interval(long long t, char buf[64])
{
	long long s = t % 60, m = (t / 60) % 60, h = (t / 3600) % 24, d = t / 86400;
	int n = 0;

	if (d > 0)
		n = snprintf(buf, 64, "%lld+", d);
	snprintf(buf + n, (size_t)(64 - n), "%02lld:%02lld:%02lld", h, m, s);
}

#define RESULTWIDTH 25

static void print_one(const char *host, const char *path, time_t now)
{
	FILE *fp = fopen(path, "r");
	struct hoststatus hs;
	char ago[64];
	sbuf res = SBUF_INIT;

	if (fp == NULL)
		return;
	if (!parse_status(fp, &hs)) {
		fclose(fp);
		syserr("%s: could not read status file", path);
		return;
	}
	fclose(fp);
	sb_init(&res);
	interval((long long)now - (long long)hs.lastuse, ago);
	if (hs.rstatus != NULL)
		sb_puts(&res, hs.rstatus);
	else if (hs.exitstat == EX_TEMPFAIL && hs.err != 0)
		sb_printf(&res, "Deferred: %.*s", RESULTWIDTH - 10, strerror(hs.err));
	else if (hs.exitstat != 0) {
		exit_line(hs.exitstat, &res);
	} else if (hs.err == 0)
		sb_puts(&res, "OK");
	else
		sb_printf(&res, "OK: %.*s", RESULTWIDTH - 4, strerror(hs.err));
	printf(" %-39s %12s %.*s\n", host, ago, RESULTWIDTH, res.s);
	sb_free(&res);
	hoststatus_free(&hs);
}

/* Walk dir in directory order; host is the name built so far from the folders above. */
static int walk(const char *dir, const char *suffix, time_t now, bool purge)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	sbuf path = SBUF_INIT, host = SBUF_INIT;

	if (d == NULL)
		return -1;
	sb_init(&path);
	sb_init(&host);
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		size_t nl = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		sb_reset(&path);
		sb_printf(&path, "%s/%s", dir, de->d_name);
		if (lstat(path.s, &st) != 0)
			continue;
		sb_reset(&host);
		if (S_ISDIR(st.st_mode)) {
			/* a folder "com." adds ".com" to the names below it */
			if (nl > 0 && de->d_name[nl - 1] == '.') {
				sb_putc(&host, '.');
				sb_put(&host, de->d_name, nl - 1);
			}
			sb_puts(&host, suffix);
			walk(path.s, host.s, now, purge);
		} else if (S_ISREG(st.st_mode)) {
			/* purging removes what is older than Timeout.hoststatus; folders stay */
			if (purge) {
				if ((long long)now - (long long)st.st_mtime > HOSTSTATUS_TIMEOUT)
					unlink(path.s);
				continue;
			}
			sb_puts(&host, de->d_name);
			sb_puts(&host, suffix);
			print_one(host.s, path.s, now);
		}
	}
	closedir(d);
	sb_free(&path);
	sb_free(&host);
	return 0;
}

static const char *usable_dir(void)
{
	const char *dir = hoststatus_dir();
	struct stat st;

	if (dir == NULL)
		return NULL;
	if (stat(dir, &st) != 0) {
		message("Warning: Cannot use HostStatusDirectory = %s: %s", dir, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		message("Warning: Cannot use HostStatusDirectory = %s: %s", dir, strerror(ENOTDIR));
		return NULL;
	}
	return dir;
}

int print_hoststat(void)
{
	const char *dir = usable_dir();

	if (dir == NULL)
		return EX_OK;
	printf(" -------------- Hostname --------------- How long ago ---------Results---------\n");
	walk(dir, "", time(NULL), false);
	fflush(stdout);
	return EX_OK;
}

int purge_hoststat(void)
{
	const char *dir = usable_dir();

	if (dir == NULL)
		return EX_OK;
	walk(dir, "", time(NULL), true);
	return EX_OK;
}
