/* deliver.h -- delivering a queued message: its recipients through the configuration to
 * their mailers, one delivery per mailer and host, and the outcome written back into the
 * queue file as 8.17 rewrites it (delivered recipients gone, deferred ones with their
 * status, N and K updated), or the message removed when nothing is left.
 *
 * After each attempt the notices 8.17 would send are queued with the DSN module (dsn.h) and
 * delivered at once: bounces for the recipients that failed for good (they then leave the
 * qf), success notices (NOTIFY=SUCCESS), and in queue runs the delay warning and the return
 * after Timeout.queuewarn / queuereturn.  The session transcript they quote is collected
 * during the attempt in 8.17's words.  If a notice cannot be queued, its recipients stay in
 * the qf with the X flag and are reported on the next attempt.  Nothing is ever removed
 * from the queue before it is delivered or handed on. */
#ifndef DELIVER_H
#define DELIVER_H
#include <stdbool.h>
#include "queue.h"

/* Deliver e (read from q and locked).  Returns the number of recipients still queued;
 * the lock is released.  requeued: e was read back from the queue (a queue run), so its
 * priority grows by RetryFactor as in 8.17. */
size_t deliver_envelope(const struct queue *q, struct envelope *e, bool requeued);

/* Read, lock and deliver the message id of q (requeued: by a queue run, see above).
 * Q_OK, Q_LOCKED (someone else has it), Q_NOTFOUND (already gone) or Q_ERROR (reported
 * in the log). */
int deliver_queued(const struct queue *q, const char *id, bool requeued);

/* After a message has been committed to the queue (e locked): deliver it as DeliveryMode
 * says: at once (interactive), by the daemon's delivery processes or a child (background),
 * or not now (queue, defer).  The caller still frees e. */
void deliver_committed(struct envelope *e);
/* At startup: connect command-line submission to delivery (deliver_hook.h). */
void deliver_init(void);

/* The daemon (-bd): start the delivery processes fed by deliver_committed, and the
 * periodic queue runs of -q<interval>.  They end with the daemon. */
void deliver_daemon_start(void);
/* the descriptors of the daemon's delivery hand-off that its session processes must keep
 * open; how many (0 or 2) */
int deliver_pool_fds(int fds[2]);

#endif
