/* mailexec.c -- program and file delivery (see mailexec.h).
 *
 * Programs get argv only (never a shell unless P= is one), fds 0-2 (stdin the message,
 * stdout and stderr back to us), the environment of the E lines plus AGENT=sendmail, the
 * folder of D= (the first of its colon-separated list that exists) and, when we run as
 * root, the uid/gid the caller chose (U=, the controlling user, or DefaultUser).
 *
 * Files are written by a child that takes the file's user, chroots into
 * SafeFileEnvironment when it is set (a path that starts with it has the prefix taken
 * off), refuses anything but a regular file, appends under an exclusive lock and fsyncs. */
#include "mailexec.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "address.h"
#include "conf.h"
#include "macro.h"
#include "mta.h"
#include "spawn.h"
#include "xalloc.h"

/* 8.17 gives a sysexits status two DSN codes: one where it reports the status (the
 * transcript line, the log's dsn=), another for a recipient it marks failed (the notice's
 * Status:); they differ for EX_USAGE and EX_NOPERM. */
static const struct {
	int stat;
	const char *dsn;	/* transcript and log */
	const char *status;	/* a failed recipient's Status: */
	const char *text;
} ExitTexts[] = {
	{ EX_USAGE, "5.0.0", "5.5.4", "Bad usage" },
	{ EX_DATAERR, "5.6.0", "5.6.0", "Data format error" },
	{ EX_NOINPUT, "5.3.0", "5.3.0", "Cannot open input" },
	{ EX_NOUSER, "5.1.1", "5.1.1", "User unknown" },
	{ EX_NOHOST, "5.1.2", "5.1.2", "Host unknown" },
	{ EX_UNAVAILABLE, "5.0.0", "5.0.0", "Service unavailable" },
	{ EX_SOFTWARE, "5.3.0", "5.3.0", "Internal error" },
	{ EX_OSERR, "4.0.0", "4.0.0", "Operating system error" },
	{ EX_OSFILE, "5.3.5", "5.3.5", "System file missing" },
	{ EX_CANTCREAT, "5.0.0", "5.0.0", "Can't create output" },
	{ EX_IOERR, "4.0.0", "4.0.0", "I/O error" },
	{ EX_TEMPFAIL, "4.0.0", "4.0.0", "Deferred" },
	{ EX_PROTOCOL, "5.5.0", "5.5.0", "Remote protocol error" },
	{ EX_NOPERM, "5.0.0", "5.7.0", "Insufficient permission" },
	{ EX_CONFIG, "5.3.5", "5.3.5", "Local configuration error" },
	{ 0, NULL, NULL, NULL }
};

static int exit_index(int stat)
{
	int i;

	for (i = 0; ExitTexts[i].dsn != NULL; i++)
		if (ExitTexts[i].stat == stat)
			return i;
	return -1;
}

const char *exit_dsn(int stat)
{
	int i = exit_index(stat);

	if (stat == EX_OK)
		return "2.0.0";
	return i >= 0 ? ExitTexts[i].dsn : "5.0.0";
}

const char *exit_status(int stat)
{
	int i = exit_index(stat);

	if (stat == EX_OK)
		return "2.0.0";
	return i >= 0 ? ExitTexts[i].status : "5.0.0";
}

const char *exit_message(int stat)
{
	int i = exit_index(stat);

	return i >= 0 ? ExitTexts[i].text : NULL;
}

void exit_text(int stat, sbuf *out)
{
	const char *t = exit_message(stat);

	if (t != NULL)
		sb_puts(out, t);
	else
		sb_printf(out, "unknown mailer error %d", stat);
}

int exit_is_temporary(int stat)
{
	return stat == EX_TEMPFAIL || stat == EX_OSERR || stat == EX_IOERR;
}

/* write everything, reading the child's output meanwhile so neither side blocks */
static bool feed(int wfd, int rfd, const sbuf *data, sbuf *out)
{
	size_t off = 0;
	bool ok = true;
	struct pollfd p[2];

	while (rfd >= 0 || wfd >= 0) {
		int n = 0, r;
		if (wfd >= 0 && off == data->len) {
			close(wfd);
			wfd = -1;
			continue;
		}
		if (wfd >= 0) {
			p[n].fd = wfd;
			p[n++].events = POLLOUT;
		}
		if (rfd >= 0) {
			p[n].fd = rfd;
			p[n++].events = POLLIN;
		}
		r = poll(p, (nfds_t)n, -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (r = 0; r < n; r++) {
			if (p[r].fd == wfd && (p[r].revents & (POLLOUT | POLLERR | POLLHUP))) {
				ssize_t w = write(wfd, data->s + off, data->len - off);
				if (w < 0 && errno != EINTR && errno != EAGAIN) {
					ok = false;	/* it stopped reading: EPIPE */
					close(wfd);
					wfd = -1;
				} else if (w > 0)
					off += (size_t)w;
			} else if (p[r].fd == rfd && (p[r].revents & (POLLIN | POLLERR | POLLHUP))) {
				char buf[4096];
				ssize_t g = read(rfd, buf, sizeof buf);
				if (g <= 0) {
					close(rfd);
					rfd = -1;
				} else if (out->len < 65536)
					sb_put(out, buf, (size_t)g);
			}
		}
	}
	if (wfd >= 0)
		close(wfd);
	if (rfd >= 0)
		close(rfd);
	return ok;
}

static int wait_status(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return EX_SOFTWARE;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return EX_SOFTWARE;	/* killed by a signal */
}

/* the environment 8.17 gives agents: the E lines, AGENT=sendmail */
static char **agent_env(void)
{
	size_t n = 0, i;
	char **env;

	while (UserEnviron != NULL && UserEnviron[n] != NULL)
		n++;
	env = xcalloc(n + 2, sizeof *env);
	for (i = 0; i < n; i++)
		env[i] = UserEnviron[i];
	if (!(n > 0 && strncmp(env[n - 1], "AGENT=", 6) == 0))
		env[n++] = (char *)"AGENT=sendmail";
	return env;
}

/* the first folder of D= that exists */
static char *exec_dir(MAILER *m)
{
	sbuf x = SBUF_INIT;
	char *p, *save, *dir = NULL;

	if (m->execdir == NULL)
		return NULL;
	sb_init(&x);
	expand(m->execdir, &x);
	for (p = strtok_r(x.s, ":", &save); p != NULL && dir == NULL; p = strtok_r(NULL, ":", &save)) {
		struct stat st;
		if (*p != '\0' && stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			dir = xstrdup(p);
	}
	sb_free(&x);
	return dir;
}

bool SenderKnown = true;

int exec_deliver(struct exec_job *j)
{
	MAILER *m = j->m;
	char **argv = NULL, **env;
	size_t na = 0, i, k;
	struct spawn_opts o;
	int wfd, rfd, st;
	pid_t pid;
	sbuf x = SBUF_INIT;

	sb_init(&x);
	sb_init(&j->out);
	for (i = 0; m->argv != NULL && m->argv[i] != NULL; i++) {
		const char *a = m->argv[i];
		bool has_u = strstr(a, "\201u") != NULL;
		for (k = 0; k < (has_u ? j->nusers : 1); k++) {
			if (has_u)
				macdefine('u', j->users[k]);
			expand(a, &x);
			argv = xreallocarray(argv, size_add(na, 2), sizeof *argv);
			argv[na++] = xstrdup(x.s);
		}
		if (i == 0 && SenderKnown && (bitnset('f', m->flags) || bitnset('r', m->flags))) {
			const char *g = macvalue('g');
			int pst = EX_OK;
			if (g == NULL || *g == '\0')	/* the null sender, as 8.17: "<>" through the rules */
				g = remotename("<>", m, RF_SENDERADDR | RF_CANONICAL, &pst);
			argv = xreallocarray(argv, size_add(na, 3), sizeof *argv);
			argv[na++] = xstrdup(bitnset('f', m->flags) ? "-f" : "-r");
			argv[na++] = xstrdup(g != NULL ? g : "");
		}
	}
	if (argv == NULL) {
		sb_free(&x);
		return EX_CONFIG;
	}
	argv[na] = NULL;
	{
		/* the program is P=; argv[0] stays as A= names it */
		memset(&o, 0, sizeof o);
		o.uid = j->uid;
		o.gid = j->gid;
		o.dir = exec_dir(m);
		env = agent_env();
		pid = spawn_filter(m->path, argv, env, &o, &wfd, &rfd);
		free((char *)o.dir);
		free(env);
	}
	for (i = 0; i < na; i++)
		free(argv[i]);
	free(argv);
	sb_free(&x);
	if (pid < 0)
		return EX_OSERR;
	feed(wfd, rfd, j->data, &j->out);
	st = wait_status(pid);
	return st;
}

int file_deliver(struct exec_job *j)
{
	const char *path = j->users[0];
	const char *sfe = option_value("SafeFileEnvironment");
	pid_t pid;
	int pfd[2];

	sb_init(&j->out);
	if (*path == '"')
		path++;
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return EX_OSERR;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return EX_OSERR;
	}
	if (pid == 0) {
		int fd, flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC;
		struct stat st;
		char *p = xstrdup(path);
		size_t pl = strlen(p), off = 0;
		FILE *err;

		close(pfd[0]);
		err = fdopen(pfd[1], "w");
		signal(SIGPIPE, SIG_DFL);
		if (pl > 0 && p[pl - 1] == '"')
			p[pl - 1] = '\0';
		if (sfe != NULL && *sfe != '\0' && strcmp(sfe, "/") != 0) {
			size_t sl = strlen(sfe);
			while (sl > 1 && sfe[sl - 1] == '/')
				sl--;
			if (strncmp(p, sfe, sl) == 0 && p[sl] == '/')
				memmove(p, p + sl, strlen(p + sl) + 1);
			if (chroot(sfe) != 0 || chdir("/") != 0) {
				fprintf(err, "mailfile: Cannot chroot(%s): %s\n", sfe, strerror(errno));
				_exit(EX_CANTCREAT);
			}
		}
		if (j->uid >= 0 && geteuid() == 0) {
			gid_t g = (gid_t)j->gid;
			if (setgroups(1, &g) != 0 || setgid(g) != 0 || setuid((uid_t)j->uid) != 0)
				_exit(EX_OSERR);
		}
		fd = open(p, flags);
		if (fd < 0 && errno == ENOENT)
			fd = open(p, flags | O_CREAT | O_EXCL, 0600);
		if (fd < 0) {
			fprintf(err, "%s: %s\n", p, strerror(errno));
			_exit(errno == EACCES ? EX_CANTCREAT : EX_CANTCREAT);
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			fprintf(err, "%s: not a regular file\n", p);
			_exit(EX_CANTCREAT);
		}
		if (flock(fd, LOCK_EX) != 0)
			_exit(EX_TEMPFAIL);
		while (off < j->data->len) {
			ssize_t w = write(fd, j->data->s + off, j->data->len - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				fprintf(err, "%s: %s\n", p, strerror(errno));
				_exit(EX_IOERR);
			}
			off += (size_t)w;
		}
		if (write(fd, "\n", 1) != 1 || fsync(fd) != 0 || close(fd) != 0) {
			fprintf(err, "%s: %s\n", p, strerror(errno));
			_exit(EX_IOERR);
		}
		_exit(EX_OK);
	}
	close(pfd[1]);
	{
		char buf[4096];
		ssize_t g;
		while ((g = read(pfd[0], buf, sizeof buf)) > 0)
			if (j->out.len < 65536)
				sb_put(&j->out, buf, (size_t)g);
		close(pfd[0]);
	}
	return wait_status(pid);
}
