/* smtpd.h -- the server side of one SMTP session, as 8.17 conducts it.
 *
 * Used by -bs (stdin/stdout, client "user@localhost") and by the daemon's per-connection
 * child (the socket on both fds, the peer's address given).  Every accepted message is
 * written to the queue (queue.h) and fsynced before its 250. */
#ifndef SMTPD_H
#define SMTPD_H
#include <stdbool.h>
#include <sys/socket.h>

struct smtp_client {
	bool daemon;			/* a network connection (check_relay runs) */
	struct sockaddr_storage peer;	/* the client's address (daemon) */
	socklen_t peerlen;
	struct sockaddr_storage local;	/* our end of the connection (daemon) */
	socklen_t locallen;
	const char *daemon_name;	/* DaemonPortOptions Name= */
	bool trust_pipelining;		/* the fuzz harness: whole sessions arrive at once, so
					   commands before HELO's reply are not refused */
	const char *modifiers;		/* DaemonPortOptions Modifier= letters, or NULL */
};

/* Run a session on infd/outfd until QUIT or the end of input; the exit status. */
int smtpd(int infd, int outfd, const struct smtp_client *c);

#endif
