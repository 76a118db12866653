/* bgdeliver.c -- how a freshly queued message reaches delivery (DeliveryMode), and the
 * daemon's delivery processes and periodic queue runs.
 *
 * Background delivery in the daemon does not fork per message: at startup the daemon
 * starts a supervisor that keeps a few delivery processes alive; they share one datagram
 * socket.  An SMTP session, once the message is committed and its 250 sent, unlocks the
 * qf and sends the queue id there; whichever process receives it locks the qf and
 * delivers over the connections it keeps to busy hosts.  If the id cannot be sent (the
 * socket is full for long), a child of the session delivers instead; if a delivery process
 * dies mid-way, the qf it held stays queued for the next run: nothing is lost, at worst
 * delivered twice.  Outside the daemon, background delivery forks a child that inherits
 * the qf's lock, as 8.17 does. */
#include <errno.h>
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
#include "log.h"
#include "mta.h"
#include "queuerun.h"
#include "smtpclient.h"

#define WORKERS 4		/* delivery processes of the daemon */

static int PoolFd = -1;		/* the daemon's end: ids are sent here */

/* close everything but fds 0-2 and keep, and reopen the log (its socket went with them) */
static void close_fds_but(int keep)
{
	int fd;

	closelog();
	for (fd = 3; fd < 1024; fd++)
		if (fd != keep)
			close(fd);
	log_open(Cmd.logident);
}

static void deliver_now(struct envelope *e)
{
	struct queue q;

	if (!queue_init(&q, queue_directory(), "."))
		return;
	deliver_envelope(&q, e, false);
	queue_free(&q);
	arena_reset(Scratch);
}

/* a child delivers while the caller goes on; the child inherits the qf's lock */
static void deliver_forked(struct envelope *e)
{
	pid_t pid = fork();

	if (pid == 0) {
		setsid();
		signal(SIGCHLD, SIG_DFL);
		close_fds_but(e->lockfd);
		deliver_now(e);
		smtp_cache_close(0);
		_exit(EX_OK);
	}
	/* parent (or fork failure: the message stays queued) */
	queue_unlock(e);
}

void deliver_after_queue(struct envelope *e)
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
	if (PoolFd >= 0) {
		queue_unlock(e);
		if (send(PoolFd, e->id, strlen(e->id), MSG_NOSIGNAL) >= 0)
			return;
		/* not taken: deliver it ourselves if it is still ours to take */
		{
			struct queue q;
			if (queue_init(&q, queue_directory(), ".")) {
				pid_t pid = fork();
				if (pid == 0) {
					close_fds_but(-1);
					deliver_queued(&q, e->id);
					smtp_cache_close(0);
					_exit(EX_OK);
				}
				queue_free(&q);
			}
		}
		return;
	}
	deliver_forked(e);
}

static volatile sig_atomic_t Stop;

static void on_term(int sig)
{
	(void)sig;
	Stop = 1;
}

/* a delivery process: ids from the socket, one at a time */
static void worker(int fd)
{
	struct queue q;
	long idle = 0;
	const char *v = option_value("ConnectionCacheTimeout");

	idle = v != NULL ? convtime(v, 'm') : 300;
	if (idle <= 0)
		idle = 300;
	if (!queue_init(&q, queue_directory(), "."))
		_exit(EX_OSFILE);
	while (!Stop) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char id[64];
		ssize_t n;
		int r = poll(&p, 1, 5000);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0) {
			smtp_cache_close(idle);
			continue;
		}
		n = recv(fd, id, sizeof id - 1, MSG_DONTWAIT);
		if (n <= 0)
			continue;
		id[n] = '\0';
		if (strspn(id, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != (size_t)n)
			continue;
		deliver_queued(&q, id);
		arena_reset(Scratch);
	}
	smtp_cache_close(0);
	_exit(EX_OK);
}

static pid_t start_worker(int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		signal(SIGTERM, on_term);
		signal(SIGCHLD, SIG_DFL);
		worker(fd);
	}
	return pid;
}

/* the supervisor: keeps WORKERS delivery processes and runs the queue every interval */
static void supervisor(int fd, long interval)
{
	pid_t w[WORKERS], runner = -1;
	time_t next = interval > 0 ? time(NULL) : 0;
	int i;

	for (i = 0; i < WORKERS; i++)
		w[i] = fd >= 0 ? start_worker(fd) : -1;
	while (!Stop) {
		int st;
		pid_t pid;
		if (interval > 0 && runner < 0 && time(NULL) >= next) {
			runner = fork();
			if (runner == 0) {
				prctl(PR_SET_PDEATHSIG, SIGTERM);
				signal(SIGTERM, SIG_DFL);
				signal(SIGCHLD, SIG_DFL);
				close_fds_but(-1);
				queue_run_once();
				_exit(EX_OK);
			}
			next = time(NULL) + interval;
		}
		if (interval > 0) {
			long wait = next - time(NULL);
			alarm(wait > 0 ? (unsigned)wait : 1);
		}
		pid = wait(&st);
		alarm(0);
		if (pid < 0)
			continue;
		if (pid == runner) {
			runner = -1;
			continue;
		}
		for (i = 0; i < WORKERS; i++)
			if (w[i] == pid && fd >= 0 && !Stop) {
				sleep(1);	/* a worker that dies at once must not spin */
				w[i] = start_worker(fd);
			}
	}
	for (i = 0; i < WORKERS; i++)
		if (w[i] > 0)
			kill(w[i], SIGTERM);
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
	int sv[2] = { -1, -1 };
	long interval = queue_interval();
	bool pool = DeliveryMode == 'b';
	pid_t pid;

	if (!pool && interval == 0)
		return;
	if (pool && socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) != 0) {
		sm_syslog(LOG_ERR, NULL, "SYSERR: delivery processes: socketpair: %s", strerror(errno));
		pool = false;
		if (interval == 0)
			return;
	}
	pid = fork();
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
		if (pool)
			close(sv[0]);
		close_fds_but(pool ? sv[1] : -1);
		supervisor(pool ? sv[1] : -1, interval);
	}
	if (pool) {
		close(sv[1]);
		if (pid > 0) {
			struct timeval tv = { .tv_sec = 10, .tv_usec = 0 };
			PoolFd = sv[0];
			/* the sessions' children inherit it (no close-on-exec matters: they do not exec) */
			setsockopt(PoolFd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		} else
			close(sv[0]);
	}
}
