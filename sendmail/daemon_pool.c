/* daemon_pool.c -- the daemon's session processes.
 *
 * A fork per connection costs more than the session it serves: the child's copy-on-write
 * faults on the daemon's pages and its exit are most of a short session's CPU.  So a
 * session process, once its session is over, puts itself back as the fresh child of the
 * daemon it was (session_reset: the macros as they were before its first session, maps
 * closed and their failed opens forgotten, cached connections closed, every descriptor
 * but its own closed) and tells the daemon it is idle; the daemon hands it the next
 * connection over a socket pair (SCM_RIGHTS) and forks only when none is idle.  A process
 * serves at most MAXUSE sessions (what a session leaks cannot pile up) and leaves after
 * MAXIDLE seconds without one.  To the client, and in the log, nothing differs: each
 * session is still a process of its own while it lasts, with the daemon's state.
 *
 * The daemon learns a process's state from its socket: a byte when it is idle, the end
 * of file when it is gone (or SIGCHLD).  MaxDaemonChildren counts busy processes. */
#include "daemon_pool.h"
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cmdline.h"
#include "conf.h"
#include "deliver.h"
#include "host.h"
#include "log.h"
#include "macro.h"
#include "mailexec.h"
#include "map.h"
#include "smtpclient.h"
#include "spawn.h"
#include "token.h"
#include "xalloc.h"

#define MAXUSE	100		/* sessions a process serves before it leaves */
#define MAXIDLE	2		/* seconds an idle process waits for a connection: an idle daemon
				   is soon alone again, as with a fork per connection */

struct worker {
	pid_t pid;
	int fd;			/* our end of its socket pair */
	bool busy;
	time_t since;		/* idle since */
};

static session_fn Serve;
static const int *ListenFds;
static int NListen;
static struct worker *W;
static size_t NW, CapW;
static struct pollfd *Pfd;
static size_t PfdCap;

/* ---- passing a connection ---- */

static bool send_conn(int ctl, int fd, const struct handoff *h)
{
	struct iovec iov = { .iov_base = (void *)h, .iov_len = sizeof *h };
	union {
		struct cmsghdr c;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m;
	struct cmsghdr *c;

	memset(&m, 0, sizeof m);
	memset(&u, 0, sizeof u);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = sizeof u.b;
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	return sendmsg(ctl, &m, MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)sizeof *h;
}

/* the next connection, or -1 when the daemon closed our socket (or sent nonsense) */
static int recv_conn(int ctl, struct handoff *h)
{
	union {
		struct cmsghdr c;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct iovec iov = { .iov_base = h, .iov_len = sizeof *h };
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t n;
	int fd = -1;

	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.b;
	m.msg_controllen = sizeof u.b;
	while ((n = recvmsg(ctl, &m, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	for (c = n > 0 ? CMSG_FIRSTHDR(&m) : NULL; c != NULL; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(c), sizeof fd);
	if (fd >= 0 && (n != (ssize_t)sizeof *h || (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
			h->listener < 0 || h->listener >= NListen)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* ---- the session process ---- */

/* what a session may have changed in the process, back to what it was before the first */
struct saved {
	int exitstat, hosterrno;
	bool senderknown;
};

static void session_reset(int ctl, const struct saved *sv)
{
	int keep[3], n = 0;

	smtp_cache_close(0);
	maps_reset();
	macros_rollback();
	ExitStat = sv->exitstat;
	HostErrno = sv->hosterrno;
	SenderKnown = sv->senderknown;
	arena_reset(Scratch);
	/* children it did not wait for (a delivery started when the hand-off was full) */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	log_close();
	keep[n++] = ctl;
	n += deliver_pool_fds(keep + n);
	fds_close_except(keep, (size_t)n);
	log_open(Cmd.logident);
}

static void session_process(int ctl, int fd, struct handoff h) __attribute__((noreturn));
static void session_process(int ctl, int fd, struct handoff h)
{
	struct saved sv = { ExitStat, HostErrno, SenderKnown };
	int uses = 0;

	macros_checkpoint();
	for (;;) {
		Serve(fd, &h);
		close(fd);
		if (ctl < 0 || ++uses >= MAXUSE)
			_exit(EX_OK);
		session_reset(ctl, &sv);
		if (write(ctl, "i", 1) != 1)
			_exit(EX_OK);
		if ((fd = recv_conn(ctl, &h)) < 0)
			_exit(EX_OK);
	}
}

/* ---- the daemon's side ---- */

void pool_init(session_fn serve, const int *listenfds, int nl)
{
	Serve = serve;
	ListenFds = listenfds;
	NListen = nl;
}

static void forget(size_t i)
{
	if (W[i].fd >= 0)
		close(W[i].fd);
	W[i] = W[--NW];
}

static void start(int fd, const struct handoff *h, const sigset_t *oldmask)
{
	int sv[2] = { -1, -1 };
	pid_t pid;

	/* without a socket pair the process serves this one connection only */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		sm_syslog(LOG_ERR, NULL, "SYSERR: session process: socketpair: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		size_t i;
		int j;
		sigprocmask(SIG_SETMASK, oldmask, NULL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		for (j = 0; j < NListen; j++)
			close(ListenFds[j]);
		for (i = 0; i < NW; i++)
			close(W[i].fd);
		if (sv[0] >= 0)
			close(sv[0]);
		session_process(sv[1], fd, *h);
	}
	if (sv[1] >= 0)
		close(sv[1]);
	if (pid < 0 || sv[0] < 0) {
		if (sv[0] >= 0)
			close(sv[0]);
		return;
	}
	if (NW == CapW) {
		CapW = CapW ? CapW * 2 : 16;
		W = xreallocarray(W, CapW, sizeof *W);
	}
	W[NW].pid = pid;
	W[NW].fd = sv[0];
	W[NW].busy = true;
	W[NW].since = time(NULL);
	NW++;
}

void pool_dispatch(int fd, const struct handoff *h, const sigset_t *oldmask)
{
	for (;;) {
		size_t i, best = NW;
		/* the one idle last: its pages are warm, and the others can expire */
		for (i = 0; i < NW; i++)
			if (!W[i].busy && (best == NW || W[i].since >= W[best].since))
				best = i;
		if (best == NW)
			break;
		if (send_conn(W[best].fd, fd, h)) {
			W[best].busy = true;
			close(fd);
			return;
		}
		forget(best);	/* gone meanwhile */
	}
	start(fd, h, oldmask);
	close(fd);
}

struct pollfd *pool_pollset(int nl, nfds_t *n)
{
	size_t need = (size_t)nl + NW, i;

	if (need > PfdCap) {
		PfdCap = need + 16;
		Pfd = xreallocarray(Pfd, PfdCap, sizeof *Pfd);
	}
	for (i = 0; i < (size_t)nl; i++) {
		Pfd[i].fd = ListenFds[i];
		Pfd[i].events = POLLIN;
		Pfd[i].revents = 0;
	}
	for (i = 0; i < NW; i++) {
		Pfd[nl + i].fd = W[i].fd;
		Pfd[nl + i].events = POLLIN;
		Pfd[nl + i].revents = 0;
	}
	*n = (nfds_t)need;
	return Pfd;
}

void pool_events(const struct pollfd *pfd, nfds_t n, int nl)
{
	nfds_t k;

	for (k = (nfds_t)nl; k < n; k++) {
		size_t i;
		char b[16];
		ssize_t r;
		if (pfd[k].revents == 0)
			continue;
		for (i = 0; i < NW && W[i].fd != pfd[k].fd; i++)
			;
		if (i == NW)
			continue;
		r = read(W[i].fd, b, sizeof b);
		if (r > 0) {
			W[i].busy = false;
			W[i].since = time(NULL);
		} else if (r == 0 || (errno != EAGAIN && errno != EINTR))
			forget(i);
	}
}

void pool_reap(void)
{
	pid_t pid;

	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0) {
		size_t i;
		for (i = 0; i < NW; i++)
			if (W[i].pid == pid) {
				forget(i);
				break;
			}
	}
}

int pool_expire(time_t now)
{
	long next = -1;
	size_t i = 0;

	while (i < NW) {
		long left = (long)(W[i].since + MAXIDLE - now);
		if (!W[i].busy && left <= 0) {
			forget(i);	/* it reads the end of file and leaves */
			continue;
		}
		if (!W[i].busy && (next < 0 || left < next))
			next = left;
		i++;
	}
	return next < 0 ? -1 : (int)(next * 1000);
}

long pool_busy(void)
{
	long n = 0;
	size_t i;

	for (i = 0; i < NW; i++)
		n += W[i].busy;
	return n;
}
