/* daemon_pool.h -- the daemon's session processes (see daemon_pool.c): each serves one
 * connection after another, handed to it by the daemon, instead of a fork per connection. */
#ifndef DAEMON_POOL_H
#define DAEMON_POOL_H
#include <poll.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <time.h>

/* what a session process is given with a connection */
struct handoff {
	int listener;			/* the index of the listening socket it came in on */
	struct sockaddr_storage peer, local;
	socklen_t peerlen, locallen;
};

/* Runs one session on fd in a session process (the daemon's macros and smtpd()). */
typedef void (*session_fn)(int fd, const struct handoff *h);

/* serve: what a session process runs for each connection; the listening sockets, which
 * the session processes close. */
void pool_init(session_fn serve, const int *listenfds, int nl);
/* Give the connection to an idle session process, or start one for it; fd is closed here.
 * Signals the caller blocks are unblocked in a new process (oldmask). */
void pool_dispatch(int fd, const struct handoff *h, const sigset_t *oldmask);
/* The descriptors to watch besides the listeners, after the nl given: the pool's array
 * (listeners first, filled by the caller), and its length in *n. */
struct pollfd *pool_pollset(int nl, nfds_t *n);
/* After poll: the session processes' notices (pfd: the array pool_pollset gave). */
void pool_events(const struct pollfd *pfd, nfds_t n, int nl);
/* Reap ended children (SIGCHLD), forgetting the session processes among them. */
void pool_reap(void);
/* Let session processes idle for too long go; the poll timeout (ms) until the next one. */
int pool_expire(time_t now);
/* Connections being served now. */
long pool_busy(void);

#endif
