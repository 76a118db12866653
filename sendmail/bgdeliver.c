/* bgdeliver.c -- how a freshly queued message reaches delivery (DeliveryMode), and the
 * daemon's delivery processes and periodic queue runs.
 *
 * Background delivery in the daemon does not fork per message.  The daemon makes one
 * datagram socket (inherited by every session) and a shared page that says which delivery
 * processes are alive and how many wait.  A session, once the message is committed and its
 * 250 sent, unlocks the qf and sends the queue id on the socket; if no delivery process
 * waits it starts one (at most WORKERS; the daemon is their subreaper and reaps them).
 * Whichever process receives the id locks the qf and delivers over the connections it
 * keeps to busy hosts; after IDLE seconds without work it leaves, so an idle daemon is
 * alone again.  If the id cannot be sent (the socket full for long), a child of the
 * session delivers instead; a delivery process that dies mid-way leaves its qf queued for
 * the next run: nothing is lost, at worst delivered twice.  Outside the daemon, background
 * delivery forks a child that inherits the qf's lock, as 8.17 does. */
#include <errno.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "cmdline.h"
#include "conf.h"
#include "deliver.h"
#include "deliver_hook.h"
#include "log.h"
#include "mailexec.h"
#include "map.h"
#include "mta.h"
#include "queuerun.h"
#include "smtpclient.h"
#include "spawn.h"

#define WORKERS 8		/* delivery processes of the daemon, at most */
#define IDLE 2			/* seconds a delivery process waits for work before leaving */

struct pool {
	_Atomic pid_t slot[WORKERS];	/* live delivery processes (0: free, -1: starting) */
	atomic_int idle;		/* how many wait for an id */
};

static int PoolFd = -1;		/* ids are sent here */
static int PoolRd = -1;		/* and received here */
static struct pool *Pool;	/* shared by the daemon and everything it forks */

/* close everything but fds 0-2 and keep (the session's connection, the listeners), and
 * reopen the log; maps are closed first, properly, and reopen when next used */
static void close_fds_but(int keep)
{
	maps_close();
	log_close();
	fds_close_except(&keep, keep >= 0 ? 1 : 0);
	log_open(Cmd.logident);
}

static void deliver_in(const struct queue *q, struct envelope *e)
{
	deliver_envelope(q, e, false);
	smtp_cache_close(0);
	arena_reset(Scratch);
}

static void deliver_now(struct envelope *e)
{
	struct queue q;

	if (!queue_init(&q, queue_directory(), "."))
		return;
	deliver_in(&q, e);
	queue_free(&q);
}

/* a child delivers while the caller goes on; the child inherits the qf's lock */
static void deliver_forked(const struct queue *q, struct envelope *e)
{
	pid_t pid = fork();

	if (pid == 0) {
		setsid();
		signal(SIGCHLD, SIG_DFL);
		close_fds_but(e->lockfd);
		if (q != NULL)
			deliver_in(q, e);
		else
			deliver_now(e);
		_exit(EX_OK);
	}
	/* parent (or fork failure: the message stays queued) */
	queue_unlock(e);
}

static void worker(void);

/* a delivery process if none waits and there is room for one */
static void maybe_start_worker(void)
{
	int i, live = 0, freeslot = -1;
	pid_t pid;

	/* the usual case, one waits already: a single kill() to see it is alive */
	if (atomic_load(&Pool->idle) > 0)
		for (i = 0; i < WORKERS; i++) {
			pid_t p = atomic_load(&Pool->slot[i]);
			if (p > 0 && kill(p, 0) == 0)
				return;
		}
	for (i = 0; i < WORKERS; i++) {
		pid_t p = atomic_load(&Pool->slot[i]);
		if (p > 0 && kill(p, 0) == 0)
			live++;
		else if (p == 0 || (p > 0 && errno == ESRCH)) {
			if (freeslot < 0 && atomic_compare_exchange_strong(&Pool->slot[i], &p, -1))
				freeslot = i;
		} else if (p < 0)
			live++;		/* being started */
	}
	if (freeslot < 0)
		return;
	if (live > 0 && atomic_load(&Pool->idle) > 0) {
		atomic_store(&Pool->slot[freeslot], 0);
		return;
	}
	/* two forks: the process is the daemon's child (its subreaper) at once, not a zombie
	 * of a session process that may serve many connections yet */
	pid = fork();
	if (pid == 0) {
		pid_t w = fork();
		if (w == 0) {
			atomic_store(&Pool->slot[freeslot], getpid());
			worker();
		}
		if (w < 0)
			atomic_store(&Pool->slot[freeslot], 0);
		_exit(EX_OK);
	}
	if (pid < 0)
		atomic_store(&Pool->slot[freeslot], 0);
	else
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}

void deliver_committed(struct envelope *e)
{
	if (e == NULL || e->id == NULL || e->lockfd < 0)
		return;
	switch (DeliveryMode) {
	case 'q':
	case 'd':
		return;
	case 'i':
	case 'I':
		deliver_now(e);
		return;
	default:
		break;
	}
	if (PoolFd >= 0 && Pool != NULL) {
		queue_unlock(e);
		if (send(PoolFd, e->id, strlen(e->id), MSG_NOSIGNAL) >= 0) {
			maybe_start_worker();
			return;
		}
		/* not taken: deliver it ourselves if it is still ours to take */
		{
			struct queue q;
			if (queue_init(&q, queue_directory(), ".")) {
				pid_t pid = fork();
				if (pid == 0) {
					close_fds_but(-1);
					deliver_queued(&q, e->id, false);
					smtp_cache_close(0);
					_exit(EX_OK);
				}
				queue_free(&q);
			}
		}
		return;
	}
	deliver_forked(NULL, e);
}

/* command-line submission's hook (deliver_hook.h) */
static int submitted(struct envelope *e, const struct queue *q, int mode)
{
	SenderKnown = Cmd.from != NULL;
	if (mode == 'i' || mode == 'I')
		deliver_in(q, e);
	else
		deliver_forked(q, e);
	return EX_OK;
}

int deliver_pool_fds(int fds[2])
{
	fds[0] = PoolFd;
	fds[1] = PoolRd;
	return PoolFd >= 0 ? 2 : 0;
}

void deliver_init(void)
{
	deliver_after_queue = submitted;
}

static volatile sig_atomic_t Stop;

static void on_term(int sig)
{
	(void)sig;
	Stop = 1;
}

static bool take_id(int fd, char *id, size_t size)
{
	ssize_t n = recv(fd, id, size - 1, MSG_DONTWAIT);

	if (n <= 0)
		return false;
	id[n] = '\0';
	return strspn(id, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == (size_t)n;
}

/* a delivery process: ids from the socket, one at a time, until idle for IDLE seconds */
static void worker(void)
{
	struct queue q;
	int fd = PoolRd;
	char id[64];
	pid_t me = getpid();

	signal(SIGTERM, on_term);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	setsid();
	close_fds_but(fd);
	if (!queue_init(&q, queue_directory(), "."))
		_exit(EX_OSFILE);
	while (!Stop) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r;
		atomic_fetch_add(&Pool->idle, 1);
		r = poll(&p, 1, IDLE * 1000);
		atomic_fetch_sub(&Pool->idle, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			/* leave; but an id sent before we gave up our slot is still ours */
			int i;
			for (i = 0; i < WORKERS; i++) {
				pid_t mine = me;
				atomic_compare_exchange_strong(&Pool->slot[i], &mine, 0);
			}
			if (!take_id(fd, id, sizeof id))
				break;
			deliver_queued(&q, id, false);
			arena_reset(Scratch);
			for (i = 0; i < WORKERS; i++) {
				pid_t none = 0;
				if (atomic_compare_exchange_strong(&Pool->slot[i], &none, me))
					break;
			}
			continue;
		}
		if (!take_id(fd, id, sizeof id))
			continue;
		deliver_queued(&q, id, false);
		arena_reset(Scratch);
	}
	{
		int i;
		for (i = 0; i < WORKERS; i++) {
			pid_t mine = me;
			atomic_compare_exchange_strong(&Pool->slot[i], &mine, 0);
		}
	}
	smtp_cache_close(0);
	_exit(EX_OK);
}

/* the queue timer of -q<interval>: a run now and every interval, one at a time */
static void queue_timer(long interval)
{
	pid_t runner = -1;
	time_t next = time(NULL);

	while (!Stop) {
		int st;
		pid_t pid;
		if (runner < 0 && time(NULL) >= next) {
			runner = fork();
			if (runner == 0) {
				prctl(PR_SET_PDEATHSIG, SIGTERM);
				signal(SIGTERM, SIG_DFL);
				signal(SIGCHLD, SIG_DFL);
				queue_run_once();
				_exit(EX_OK);
			}
			next = time(NULL) + interval;
		}
		{
			long wait = next - time(NULL);
			alarm(wait > 0 ? (unsigned)wait : 1);
		}
		pid = wait(&st);
		alarm(0);
		if (pid > 0 && pid == runner)
			runner = -1;
	}
	if (runner > 0)
		kill(runner, SIGTERM);
	_exit(EX_OK);
}

static void on_alarm(int sig)
{
	(void)sig;
}

void deliver_daemon_start(void)
{
	long interval = queue_interval();

	if (DeliveryMode == 'b') {
		int sv[2];
		void *page = mmap(NULL, sizeof *Pool, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				  -1, 0);
		if (page == MAP_FAILED || socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) != 0) {
			sm_syslog(LOG_ERR, NULL, "SYSERR: delivery processes: %s", strerror(errno));
		} else {
			struct timeval tv = { .tv_sec = 10, .tv_usec = 0 };
			int big = 1 << 20;
			Pool = page;
			PoolFd = sv[0];
			PoolRd = sv[1];
			setsockopt(PoolFd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
			setsockopt(PoolRd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
			/* the sessions start delivery processes; they come back to us to be reaped */
			prctl(PR_SET_CHILD_SUBREAPER, 1);
		}
	}
	if (interval > 0) {
		pid_t pid = fork();
		if (pid == 0) {
			struct sigaction sa;
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			memset(&sa, 0, sizeof sa);
			sa.sa_handler = on_term;
			sigaction(SIGTERM, &sa, NULL);
			sigaction(SIGINT, &sa, NULL);
			sa.sa_handler = on_alarm;
			sigaction(SIGALRM, &sa, NULL);
			signal(SIGCHLD, SIG_DFL);
			close_fds_but(-1);
			queue_timer(interval);
		}
	}
}
