/* dotlock.c -- mailbox dot-locks (see dotlock.h). */
#include "dotlock.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "sbuf.h"

#define STALE_AFTER 300		/* seconds: a lock without a live pid is stale after this */
#define MAX_PAUSE 60

static sbuf held = SBUF_INIT;

/* -1: stale (its pid is gone, or it has none and is old), 0: valid */
static int lock_is_stale(const char *path)
{
	struct stat st;
	char buf[16];
	ssize_t n;
	int fd;
	long pid = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		pid = strtol(buf, NULL, 10);
	}
	if (pid > 0)
		return kill((pid_t)pid, 0) < 0 && errno == ESRCH ? -1 : 0;
	return time(NULL) < st.st_mtime + STALE_AFTER ? 0 : -1;
}

enum dotlock_result dotlock_take(const char *dir, const char *name, int retries)
{
	sbuf tmp = SBUF_INIT;
	char host[256];
	struct stat st, tst;
	int fd, tries = retries + 1, pause = 0, skip_pause = 1, statfailed = 0, e;
	enum dotlock_result res;

	sb_init(&tmp);
	sb_reset(&held);
	sb_printf(&held, "%s/%s.lock", dir, name);
	if (held.len >= 4096) {
		res = DOTLOCK_NAMELEN;
		goto out;
	}
	if (gethostname(host, sizeof host) < 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	host[strcspn(host, ".")] = '\0';
	sb_printf(&tmp, "%s/.lk%05d%x%s", dir, (int)getpid(), (int)(time(NULL) & 15), host);
	fd = open(tmp.s, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		res = DOTLOCK_TMPLOCK;
		goto out;
	}
	if (write(fd, "0\n", 2) != 2 || close(fd) != 0) {
		e = errno;
		unlink(tmp.s);
		errno = e;
		res = DOTLOCK_TMPWRITE;
		goto out;
	}
	for (int i = 0; i < tries; i++) {
		if (!skip_pause) {
			pause = pause + 5 > MAX_PAUSE ? MAX_PAUSE : pause + 5;
			sleep((unsigned)pause);
		}
		skip_pause = 0;
		/* the result of link() is not trusted over NFS: the inode numbers decide */
		(void)!link(tmp.s, held.s);
		if (lstat(tmp.s, &tst) < 0) {
			res = DOTLOCK_ERROR;
			goto out;
		}
		if (lstat(held.s, &st) < 0) {
			if (statfailed++ > 5) {
				e = errno;
				unlink(tmp.s);
				errno = e;
				res = DOTLOCK_MAXTRYS;
				goto out;
			}
			continue;
		}
		if (st.st_dev == tst.st_dev && st.st_ino == tst.st_ino) {
			unlink(tmp.s);
			res = DOTLOCK_OK;
			goto out;
		}
		statfailed = 0;
		if (lock_is_stale(held.s) < 0) {
			if (unlink(held.s) < 0 && errno != ENOENT) {
				/* (liblockfile leaves its temporary file behind here) */
				unlink(tmp.s);
				res = DOTLOCK_RMSTALE;
				goto out;
			}
			skip_pause = 1;
			if (tries == 1)
				tries++;
		}
	}
	unlink(tmp.s);
	errno = EAGAIN;
	res = DOTLOCK_MAXTRYS;
out:
	if (res != DOTLOCK_OK)
		sb_reset(&held);
	sb_free(&tmp);
	return res;
}

void dotlock_release(void)
{
	if (held.len > 0)
		unlink(held.s);
	sb_reset(&held);
}
