/* daemon.c -- sendmail -bd / -bD: listen as each DaemonPortOptions says, each connection
 * served by a session process running the SMTP server (smtpd.c: one process per session
 * at a time, reused for later ones, daemon_pool.c); and the parsing of the port options.
 *
 * -bd detaches (fork, setsid) and writes the pid file (PidFile, default /run/sendmail.pid)
 * as 8.17 does: the pid on one line, the command line on the next.  -bD stays in the
 * foreground.  SIGTERM stops the daemon (sessions under way finish); SIGCHLD reaps
 * children.  MaxDaemonChildren stops accepting while that many sessions run;
 * ConnectionRateThrottle spreads accepts over seconds.  A session process keeps only fds
 * 0-2, its connection and what the daemon's hand-offs need, and finds the daemon's
 * ${daemon_*} macros defined. */
#include "daemon.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "clientname.h"
#include "cmdline.h"
#include "conf.h"
#include "deliver.h"
#include "diag.h"
#include "log.h"
#include "macro.h"
#include "daemon_pool.h"
#include "policy.h"
#include "queue.h"
#include "smtpd.h"
#include "xalloc.h"

#define MAXLISTEN 64

struct listener {
	int fd;
	struct portopts o;
};

static volatile sig_atomic_t Stop;
static volatile sig_atomic_t ChildEnded;	/* SIGCHLD came: reap */

static void on_term(int sig)
{
	(void)sig;
	Stop = 1;
}

static void on_chld(int sig)
{
	(void)sig;
	ChildEnded = 1;
}

/* ---- port options ---- */

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static void set_port(struct portopts *p, int port)
{
	if (p->family == AF_INET6)
		((struct sockaddr_in6 *)(void *)&p->addr)->sin6_port = htons((unsigned short)port);
	else if (p->family == AF_INET)
		((struct sockaddr_in *)(void *)&p->addr)->sin_port = htons((unsigned short)port);
}

static void set_family(struct portopts *p, int family)
{
	p->family = family;
	memset(&p->addr, 0, sizeof p->addr);
	p->addr.ss_family = (sa_family_t)family;
	if (family == AF_INET6) {
		p->familyname = "inet6";
		p->addrlen = sizeof(struct sockaddr_in6);
	} else if (family == AF_UNIX) {
		p->familyname = "local";
		p->addrlen = sizeof(struct sockaddr_un);
	} else {
		p->familyname = "inet";
		p->addrlen = sizeof(struct sockaddr_in);
	}
}

bool portopts_parse(const char *spec, struct portopts *p, int index, bool client)
{
	char *copy = xstrdup(spec), *w, *save;
	char *addr = NULL, *port = NULL;
	bool ok = true;
	char nm[32];

	memset(p, 0, sizeof *p);
	set_family(p, AF_INET);
	p->listen = 10;
	/* the family first: Addr= and Port= are read in its terms */
	for (w = strtok_r(copy, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(w, '='), *k, *v;
		if (eq == NULL)
			continue;
		*eq = '\0';
		k = trim(w);
		v = trim(eq + 1);
		switch (toupper((unsigned char)k[0])) {
		case 'A':
			addr = v;
			break;
		case 'F':
			if (strcasecmp(v, "inet") == 0)
				set_family(p, AF_INET);
			else if (strcasecmp(v, "inet6") == 0)
				set_family(p, AF_INET6);
			else if (strcasecmp(v, "local") == 0 || strcasecmp(v, "unix") == 0)
				set_family(p, AF_UNIX);
			else {
				message("Unknown address family %s in Family=option", v);
				ok = false;
			}
			break;
		case 'I':
			free(p->inputfilters);
			p->inputfilters = xstrdup(v);
			break;
		case 'L':
			p->listen = atoi(v);
			break;
		case 'M':
			free(p->modifiers);
			p->modifiers = xstrdup(v);
			break;
		case 'N':
			free(p->name);
			p->name = xstrdup(v);
			break;
		case 'P':
			port = v;
			break;
		case 'R':
			if (strcasecmp(k, "refuseLA") == 0)
				p->refusela = atoi(v);
			else
				p->rcvbuf = atoi(v);
			break;
		case 'S':
			p->sndbuf = atoi(v);
			break;
		case 'C':
			p->children = atoi(v);
			break;
		case 'D':
			if (strcasecmp(k, "delayLA") == 0)
				p->delayla = atoi(v);
			else {
				free(p->deliverymode);
				p->deliverymode = xstrdup(v);
			}
			break;
		case 'Q':
			p->queuela = atoi(v);
			break;
		default:
			message("%s: unknown option %s", client ? "ClientPortOptions" : "DaemonPortOptions", k);
			break;
		}
	}
	if (p->name == NULL) {
		snprintf(nm, sizeof nm, "%s%d", client ? "Client" : "Daemon", index);
		p->name = xstrdup(nm);
	}
	if (addr != NULL && *addr != '\0') {
		p->addrgiven = true;
		if (p->family == AF_UNIX) {
			struct sockaddr_un *un = (void *)&p->addr;
			snprintf(un->sun_path, sizeof un->sun_path, "%s", addr);
		} else {
			void *dst = p->family == AF_INET6
				? (void *)&((struct sockaddr_in6 *)(void *)&p->addr)->sin6_addr
				: (void *)&((struct sockaddr_in *)(void *)&p->addr)->sin_addr;
			if (inet_pton(p->family, addr, dst) != 1) {
				struct addrinfo hints, *res = NULL;
				memset(&hints, 0, sizeof hints);
				hints.ai_family = p->family;
				if (getaddrinfo(addr, NULL, &hints, &res) == 0 && res != NULL) {
					memcpy(&p->addr, res->ai_addr, res->ai_addrlen);
					freeaddrinfo(res);
				} else {
					message("%s: unknown host %s", p->name, addr);
					ok = false;
				}
			}
		}
	}
	if (p->family != AF_UNIX) {
		int n = client ? 0 : 25;
		if (port != NULL && *port != '\0') {
			p->portgiven = true;
			if (isdigit((unsigned char)*port))
				n = atoi(port);
			else {
				struct servent *sv = getservbyname(port, "tcp");
				if (sv != NULL)
					n = ntohs((unsigned short)sv->s_port);
				else {
					message("service \"%s\" unknown", port);
					ok = false;
				}
			}
		}
		set_port(p, n);
	}
	/* ${daemon_flags}: the letters one by one, capitals doubled */
	{
		sbuf f = SBUF_INIT;
		const char *m;
		sb_init(&f);
		for (m = p->modifiers; m != NULL && *m != '\0'; m++) {
			if (!isalpha((unsigned char)*m))
				continue;
			if (f.len > 0)
				sb_putc(&f, ' ');
			sb_putc(&f, *m);
			if (isupper((unsigned char)*m))
				sb_putc(&f, *m);
		}
		p->flags = sb_steal(&f);
	}
	free(copy);
	return ok;
}

void portopts_free(struct portopts *p)
{
	free(p->name);
	free(p->modifiers);
	free(p->flags);
	free(p->deliverymode);
	free(p->inputfilters);
	memset(p, 0, sizeof *p);
}

bool portopts_has(const struct portopts *p, int c)
{
	return p != NULL && p->modifiers != NULL && strchr(p->modifiers, c) != NULL;
}

const struct portopts *client_port_options(int family)
{
	static struct portopts cp;
	static bool parsed, valid;
	const char *v = option_value("ClientPortOptions");

	if (!parsed) {
		parsed = true;
		if (v != NULL)
			valid = portopts_parse(v, &cp, 0, true);
	}
	return valid && cp.family == family ? &cp : NULL;
}

/* ---- listening ---- */

static int open_listener(struct portopts *p)
{
	int fd, on = 1;

	fd = socket(p->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (p->family != AF_UNIX)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	else
		unlink(((struct sockaddr_un *)(void *)&p->addr)->sun_path);
	if (p->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
	if (p->sndbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &p->sndbuf, sizeof p->sndbuf);
	if (p->rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &p->rcvbuf, sizeof p->rcvbuf);
	if (bind(fd, (struct sockaddr *)&p->addr, p->addrlen) != 0 ||
	    listen(fd, p->listen > 0 ? p->listen : 10) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* the macros a child's session sees for the daemon that accepted it */
static void daemon_macros(const struct portopts *p, const struct sockaddr_storage *local)
{
	char a[80];

	setmac("{daemon_name}", p->name);
	setmac("{daemon_family}", p->familyname);
	setmac("{daemon_flags}", p->flags);
	if (p->family == AF_UNIX) {
		setmac("{daemon_addr}", ((const struct sockaddr_un *)(const void *)&p->addr)->sun_path);
		return;
	}
	clientname_addr((const struct sockaddr *)&p->addr, a, sizeof a);
	setmac("{daemon_addr}", a);
	setmac_long("{daemon_port}", ntohs(p->family == AF_INET6
		? ((const struct sockaddr_in6 *)(const void *)&p->addr)->sin6_port
		: ((const struct sockaddr_in *)(const void *)&p->addr)->sin_port));
	/* the interface the connection came in on, unless it is the loopback */
	if (local->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)local;
		if ((ntohl(in->sin_addr.s_addr) >> 24) != 127) {
			clientname_addr((const struct sockaddr *)local, a, sizeof a);
			setmac("{if_addr}", a);
			setmac_long("{if_family}", AF_INET);	/* 8.17 gives the number */
		}
	} else if (local->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)local;
		if (!IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) {
			clientname_addr((const struct sockaddr *)local, a, sizeof a);
			setmac("{if_addr}", a);
			setmac_long("{if_family}", AF_INET6);
		}
	}
}

static long option_long(const char *name, long dflt)
{
	const char *v = option_value(name);
	return v != NULL && *v != '\0' ? strtol(v, NULL, 10) : dflt;
}

static long option_time(const char *name, long dflt)
{
	const char *v = option_value(name);
	return v != NULL && *v != '\0' ? convtime(v, 's') : dflt;
}

/* Each session looks its client up (clientname.c).  One lookup here sets the C library's
 * resolver and name services up (host.conf, resolv.conf, nsswitch.conf, the nscd probe,
 * ResolverOptions) once, and every child inherits that instead of redoing it per
 * connection; the library still checks resolv.conf and nsswitch.conf for changes at each
 * lookup. */
static void warm_resolver(void)
{
	struct sockaddr_in sin;
	struct clientname cn;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	clientname_lookup((const struct sockaddr *)&sin, sizeof sin, &cn);
	clientname_free(&cn);
}

static struct listener *Listeners;

/* a session process's work for one connection (daemon_pool.c) */
static void serve_session(int fd, const struct handoff *h)
{
	const struct portopts *o = &Listeners[h->listener].o;
	struct smtp_client c;

	memset(&c, 0, sizeof c);
	c.peer = h->peer;
	c.peerlen = h->peerlen;
	c.local = h->local;
	c.locallen = h->locallen;
	c.daemon = true;
	c.daemon_name = o->name;
	c.modifiers = o->modifiers;
	fcntl(fd, F_SETFD, 0);
	daemon_macros(o, &c.local);
	smtpd(fd, fd, &c);
}

static void serve(struct listener *l, int nl)
{
	long maxchildren = option_long("MaxDaemonChildren", 0);
	long rate = option_long("ConnectionRateThrottle", 0);
	time_t ratesec = 0;
	long ratecount = 0;
	int lfd[MAXLISTEN], i;
	sigset_t block, old;
	bool refusing = false;	/* the listeners are closed: MaxDaemonChildren sessions run */
	time_t lastlog = 0;

	Listeners = l;
	for (i = 0; i < nl; i++)
		lfd[i] = l[i].fd;
	pool_init(serve_session, lfd, nl);
	/* the handlers run only inside ppoll, so no notice is missed between checks */
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!Stop) {
		nfds_t n;
		struct pollfd *pfd;
		int ms = pool_expire(time(NULL));
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
		int r;

		/* too many sessions: as 8.17, the listening sockets are closed (a client is
		 * refused, not left waiting) until one ends */
		if (maxchildren > 0 && pool_busy() >= maxchildren) {
			if (!refusing) {
				time_t now = time(NULL);
				if (lastlog == 0 || now - lastlog >= option_time("RejectLogInterval", 3 * 3600)) {
					sm_syslog(LOG_INFO, NULL, "rejecting connections on daemon %s: %ld children, max %ld",
						  l[0].o.name, pool_busy(), maxchildren);
					lastlog = now;
				}
				for (i = 0; i < nl; i++) {
					close(l[i].fd);
					lfd[i] = l[i].fd = -1;
				}
				refusing = true;
			}
		} else if (refusing) {
			refusing = false;
			for (i = 0; i < nl; i++)
				if (l[i].fd < 0 && (lfd[i] = l[i].fd = open_listener(&l[i].o)) < 0)
					refusing = true;	/* tried again in a second */
		}
		if (refusing && (ms < 0 || ms > 1000)) {
			ms = 1000;
			ts.tv_sec = 1;
			ts.tv_nsec = 0;
		}
		pfd = pool_pollset(nl, &n);
		r = ppoll(pfd, n, ms >= 0 ? &ts : NULL, &old);
		if (ChildEnded) {
			ChildEnded = 0;
			pool_reap();
		}
		if (r <= 0)
			continue;
		pool_events(pfd, n, nl);
		for (i = 0; i < nl && !Stop; i++) {
			struct handoff h;
			int fd;

			if (pfd[i].fd < 0 || !(pfd[i].revents & POLLIN))
				continue;
			if (maxchildren > 0 && pool_busy() >= maxchildren)
				break;
			if (rate > 0) {
				time_t now = time(NULL);
				if (now != ratesec) {
					ratesec = now;
					ratecount = 0;
				}
				if (++ratecount > rate) {
					/* over the rate: wait for the next second */
					struct timespec one = { 1, 0 };
					nanosleep(&one, NULL);
					ratesec = time(NULL);
					ratecount = 1;
				}
			}
			memset(&h, 0, sizeof h);
			h.listener = i;
			h.peerlen = sizeof h.peer;
			fd = accept4(l[i].fd, (struct sockaddr *)&h.peer, &h.peerlen, SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			h.locallen = sizeof h.local;
			getsockname(fd, (struct sockaddr *)&h.local, &h.locallen);
			pool_dispatch(fd, &h, &old);
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void write_pidfile(void)
{
	const char *pidfile = option_value("PidFile");
	sbuf t = SBUF_INIT, x = SBUF_INIT;
	FILE *fp;
	int i;

	if (pidfile == NULL)
		pidfile = "/run/sendmail.pid";
	sb_init(&t);
	sb_init(&x);
	translate_dollars(pidfile, &t);
	expand(t.s, &x);
	fp = fopen(x.s, "w");
	if (fp != NULL) {
		fprintf(fp, "%ld\n", (long)getpid());
		for (i = 0; i < Cmd.argc; i++)
			fprintf(fp, "%s%s", i > 0 ? " " : "", Cmd.argv[i]);
		fputc('\n', fp);
		fclose(fp);
	} else
		message("Could not open %s: %s", x.s, strerror(errno));
	sb_free(&t);
	sb_free(&x);
}

int daemon_main(bool foreground)
{
	struct listener l[MAXLISTEN];
	int nl = 0, i;
	bool retry = false;	/* a socket could not be bound yet */
	struct sigaction sa;
	char **specs = daemon_port_specs();
	static char *const dflt[] = { (char *)"Port=smtp,Name=MTA", NULL };

	if (specs == NULL || specs[0] == NULL)
		specs = (char **)dflt;
	for (i = 0; specs[i] != NULL && nl < MAXLISTEN; i++) {
		struct portopts o;
		int fd;
		if (!portopts_parse(specs[i], &o, i, false)) {
			portopts_free(&o);
			continue;
		}
		fd = open_listener(&o);
		if (fd < 0 && portopts_has(&o, 'O')) {
			portopts_free(&o);	/* an optional socket may be missing */
			continue;
		}
		if (fd < 0)
			message("daemon %s: cannot bind: %s", o.name, strerror(errno));
		l[nl].fd = fd;	/* -1: tried again once the daemon runs */
		l[nl].o = o;
		nl++;
	}
	if (nl == 0) {
		message("daemon: no listening socket");
		return EX_OSERR;
	}
	for (i = 0; i < nl; i++)
		if (l[i].fd < 0)
			retry = true;
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
	/* a socket that could not be bound is tried again for a while, then the daemon gives up
	 * as 8.17 does ("server SMTP socket wedged") */
	if (retry) {
		int tries;
		for (tries = 0; tries < 10; tries++) {
			struct timespec ts = { 5, 0 };
			bool all = true;
			nanosleep(&ts, NULL);
			for (i = 0; i < nl; i++)
				if (l[i].fd < 0 && (l[i].fd = open_listener(&l[i].o)) < 0)
					all = false;
			if (all)
				break;
		}
		for (i = 0; i < nl; i++)
			if (l[i].fd < 0) {
				sm_syslog(LOG_CRIT, NULL,
					  "daemon %s: server SMTP socket wedged: exiting", l[i].o.name);
				message("421 4.0.0 opendaemonsocket: daemon %s: server SMTP socket wedged: exiting",
					l[i].o.name);
				return EX_OSERR;
			}
	}
	write_pidfile();
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
	queue_share_syncs();
	deliver_daemon_start();		/* delivery processes, -q<interval> runs (deliver.h) */
	warm_resolver();
	serve(l, nl);
	for (i = 0; i < nl; i++) {
		close(l[i].fd);
		portopts_free(&l[i].o);
	}
	return EX_OK;
}
