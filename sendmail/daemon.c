/* daemon.c -- sendmail -bd / -bD: listen as DaemonPortOptions says, one child per
 * connection running the SMTP server (smtpd.c).
 *
 * -bd detaches (fork, setsid) and writes the pid file (PidFile, default
 * /run/sendmail.pid); -bD stays in the foreground.  SIGTERM stops the daemon (children
 * finish their sessions); SIGCHLD reaps children.  A child keeps only fds 0-2 and its
 * connection. */
#include "daemon.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cmdline.h"
#include "conf.h"
#include "deliver.h"
#include "diag.h"
#include "log.h"
#include "macro.h"
#include "smtpd.h"
#include "xalloc.h"

#define MAXLISTEN 16

struct listener {
	int fd;
	char *name;
};

static volatile sig_atomic_t Stop;

static void on_term(int sig)
{
	(void)sig;
	Stop = 1;
}

static void on_chld(int sig)
{
	int saved = errno;
	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = saved;
}

/* "Port=2525, Addr=127.0.0.1, Name=MTA, Family=inet" -> a bound listening socket */
static int open_listener(const char *spec, char **name)
{
	char *copy = xstrdup(spec), *w, *save;
	int port = 25, family = AF_INET, fd, on = 1;
	char *addr = NULL;
	struct sockaddr_storage ss;
	socklen_t sl;

	*name = xstrdup("Daemon0");
	for (w = strtok_r(copy, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save)) {
		char *eq, *k = w, *v;
		while (*k == ' ' || *k == '\t')
			k++;
		eq = strchr(k, '=');
		if (eq == NULL)
			continue;
		*eq = '\0';
		v = eq + 1;
		while (*v == ' ')
			v++;
		{
			size_t n = strlen(v);
			while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
				v[--n] = '\0';
		}
		if (strcasecmp(k, "Port") == 0 || strcasecmp(k, "P") == 0)
			port = atoi(v) > 0 ? atoi(v) : (strcmp(v, "smtp") == 0 ? 25 : port);
		else if (strcasecmp(k, "Addr") == 0 || strcasecmp(k, "A") == 0)
			addr = v;
		else if (strcasecmp(k, "Family") == 0 || strcasecmp(k, "F") == 0)
			family = strcasecmp(v, "inet6") == 0 ? AF_INET6 : AF_INET;
		else if (strcasecmp(k, "Name") == 0 || strcasecmp(k, "N") == 0) {
			free(*name);
			*name = xstrdup(v);
		}
	}
	memset(&ss, 0, sizeof ss);
	if (family == AF_INET6) {
		struct sockaddr_in6 *in6 = (void *)&ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)port);
		in6->sin6_addr = in6addr_any;
		if (addr != NULL && inet_pton(AF_INET6, addr, &in6->sin6_addr) != 1) {
			free(copy);
			return -1;
		}
		sl = sizeof *in6;
	} else {
		struct sockaddr_in *in = (void *)&ss;
		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)port);
		in->sin_addr.s_addr = htonl(INADDR_ANY);
		if (addr != NULL && inet_pton(AF_INET, addr, &in->sin_addr) != 1) {
			free(copy);
			return -1;
		}
		sl = sizeof *in;
	}
	free(copy);
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 128) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void serve(struct listener *l, int nl)
{
	struct pollfd pfd[MAXLISTEN];
	int i;

	for (i = 0; i < nl; i++) {
		pfd[i].fd = l[i].fd;
		pfd[i].events = POLLIN;
	}
	while (!Stop) {
		if (poll(pfd, (nfds_t)nl, -1) < 0)
			continue;
		for (i = 0; i < nl && !Stop; i++) {
			struct smtp_client c;
			int fd;
			pid_t pid;

			if (!(pfd[i].revents & POLLIN))
				continue;
			memset(&c, 0, sizeof c);
			c.peerlen = sizeof c.peer;
			fd = accept4(l[i].fd, (struct sockaddr *)&c.peer, &c.peerlen, SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			c.locallen = sizeof c.local;
			getsockname(fd, (struct sockaddr *)&c.local, &c.locallen);
			c.daemon = true;
			c.daemon_name = l[i].name;
			pid = fork();
			if (pid == 0) {
				int j;
				signal(SIGTERM, SIG_DFL);
				signal(SIGCHLD, SIG_DFL);
				for (j = 0; j < nl; j++)
					close(l[j].fd);
				fcntl(fd, F_SETFD, 0);
				_exit(smtpd(fd, fd, &c));
			}
			close(fd);
		}
	}
}

int daemon_main(bool foreground)
{
	struct listener l[MAXLISTEN];
	int nl = 0, i;
	const char *pidfile;
	struct sigaction sa;

	/* every DaemonPortOptions given (the option keeps the last; the cf may have several) */
	{
		char **specs = daemon_port_specs();
		for (i = 0; specs != NULL && specs[i] != NULL && nl < MAXLISTEN; i++) {
			char *name;
			int fd = open_listener(specs[i], &name);
			if (fd < 0) {
				message("daemon %s: cannot bind: %s", name, strerror(errno));
				free(name);
				continue;
			}
			l[nl].fd = fd;
			l[nl].name = name;
			nl++;
		}
		if (specs == NULL || specs[0] == NULL) {
			char *name;
			int fd = open_listener("Port=25", &name);
			if (fd >= 0) {
				l[nl].fd = fd;
				l[nl].name = name;
				nl++;
			} else
				free(name);
		}
	}
	if (nl == 0) {
		message("daemon: no listening socket");
		return EX_OSERR;
	}
	if (!foreground) {
		pid_t pid = fork();
		if (pid < 0)
			return EX_OSERR;
		if (pid > 0)
			_exit(EX_OK);
		setsid();
		{
			int dn = open("/dev/null", O_RDWR);
			if (dn >= 0) {
				dup2(dn, 0);
				dup2(dn, 1);
				dup2(dn, 2);
				if (dn > 2)
					close(dn);
			}
		}
	}
	pidfile = option_value("PidFile");
	if (pidfile == NULL)
		pidfile = "/run/sendmail.pid";
	{
		sbuf t = SBUF_INIT, x = SBUF_INIT;
		FILE *fp;
		sb_init(&t);
		sb_init(&x);
		translate_dollars(pidfile, &t);
		expand(t.s, &x);
		fp = fopen(x.s, "w");
		if (fp != NULL) {
			fprintf(fp, "%ld\n", (long)getpid());
			fclose(fp);
		}
		sb_free(&t);
		sb_free(&x);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (LogLevel > 0) {
		/* 8.17's line, with the queue run interval of -q<time> */
		long ivl = 0;
		size_t k;
		for (k = 0; k < Cmd.nqargs; k++)
			if (Cmd.qargs[k][0] >= '0' && Cmd.qargs[k][0] <= '9')
				ivl = convtime(Cmd.qargs[k], 'm');
		if (ivl > 0 && ivl >= 86400)
			sm_syslog_raw(LOG_INFO, "starting daemon (%s): SMTP+queueing@%ld+%02ld:%02ld:%02ld",
				      VERSION_STRING, ivl / 86400, ivl / 3600 % 24, ivl / 60 % 60, ivl % 60);
		else if (ivl > 0)
			sm_syslog_raw(LOG_INFO, "starting daemon (%s): SMTP+queueing@%02ld:%02ld:%02ld",
				      VERSION_STRING, ivl / 3600, ivl / 60 % 60, ivl % 60);
		else
			sm_syslog_raw(LOG_INFO, "starting daemon (%s): SMTP", VERSION_STRING);
	}
	deliver_daemon_start();		/* delivery processes, -q<interval> runs (deliver.h) */
	serve(l, nl);
	for (i = 0; i < nl; i++) {
		close(l[i].fd);
		free(l[i].name);
	}
	return EX_OK;
}
