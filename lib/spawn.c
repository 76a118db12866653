/* spawn.c -- start a program with a pipe from its stdout (see spawn.h). */
#include "spawn.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

void fds_close_except(const int *keep, size_t n)
{
	int k[8];
	size_t m = 0, i;
	unsigned from = 3;

	for (i = 0; i < n && m < sizeof k / sizeof k[0]; i++)
		if (keep[i] >= 3)
			k[m++] = keep[i];
	qsort(k, m, sizeof k[0], cmp_int);
	/* close_range: a call per gap rather than one per possible descriptor */
	for (i = 0; i <= m; i++) {
		unsigned to = i < m ? (unsigned)k[i] : ~0U;
		if (to > from && close_range(from, to - 1, 0) != 0) {
			unsigned fd;
			for (fd = from; fd < to && fd < 65536; fd++)
				close((int)fd);
		}
		if (i < m)
			from = (unsigned)k[i] + 1;
	}
}

pid_t spawn_reader(char *const argv[], char *const envp[], const struct spawn_opts *o,
		   int *readfd)
{
	int pfd[2];
	pid_t pid;

	if (pipe(pfd) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(pfd[0]);
		close(pfd[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		int fd;

		close(pfd[0]);
		if (pfd[1] != STDOUT_FILENO) {
			dup2(pfd[1], STDOUT_FILENO);
			close(pfd[1]);
		}
		if (o != NULL && o->stdin_closed)
			close(STDIN_FILENO);
		else {
			fd = open("/dev/null", O_RDONLY);
			if (fd >= 0 && fd != STDIN_FILENO) {
				dup2(fd, STDIN_FILENO);
				close(fd);
			}
		}
		/* the child gets fds 0-2 and nothing else */
		fds_close_except(NULL, 0);
		signal(SIGPIPE, SIG_DFL);
		if (o != NULL && o->dir != NULL && chdir(o->dir) != 0 && chdir("/") != 0)
			_exit(71);
		if (o != NULL && o->uid >= 0 && geteuid() == 0) {
			gid_t g = (gid_t)o->gid;
			if (setgroups(1, &g) != 0 || setgid(g) != 0 || setuid((uid_t)o->uid) != 0)
				_exit(71);
		}
		execve(argv[0], argv, envp != NULL ? envp : environ);
		_exit(78);
	}
	close(pfd[1]);
	*readfd = pfd[0];
	return pid;
}

/* the child's side: fds 0-2 in place, nothing else open, user and folder switched */
static void child_setup(const struct spawn_opts *o)
{
	fds_close_except(NULL, 0);
	signal(SIGPIPE, SIG_DFL);
	if (o != NULL && o->dir != NULL && chdir(o->dir) != 0 && chdir("/") != 0)
		_exit(71);
	if (o != NULL && o->uid >= 0 && geteuid() == 0) {
		gid_t g = (gid_t)o->gid;
		if (setgroups(1, &g) != 0 || setgid(g) != 0 || setuid((uid_t)o->uid) != 0)
			_exit(71);
	}
}

pid_t spawn_filter(const char *path, char *const argv[], char *const envp[],
		   const struct spawn_opts *o, int *writefd, int *readfd)
{
	int in[2], out[2];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		child_setup(o);
		execve(path, argv, envp != NULL ? envp : environ);
		_exit(71);	/* 8.17: "Operating system error", tried again later */
	}
	close(in[0]);
	close(out[1]);
	*writefd = in[1];
	*readfd = out[0];
	return pid;
}
