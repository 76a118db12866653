/* queuerun.h -- queue runs: -q, -qf, -q<interval> (the daemon's periodic runs) and the
 * -q[!]I/R/S/Q<substring> selections, in QueueSortOrder, at most MaxQueueRunSize
 * messages, each locked while it is delivered so two runners never deliver one twice. */
#ifndef QUEUERUN_H
#define QUEUERUN_H
#include <stdbool.h>

/* sendmail -q...: one run over the queue with the command line's selections; the exit
 * status. */
int queuerun_main(void);
/* One run (no selections unless the command line gave some); the number delivered. */
int queue_run_once(void);
/* The -q<interval> of the command line in seconds, 0 if none. */
long queue_interval(void);

#endif
