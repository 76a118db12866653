/* deliver_hook.h -- where submission hands a queued message to the delivery engine.
 *
 * Command-line submission (submit.c) always writes the message to the queue first (the qf
 * is on disk and locked by us when the hook is called).  In DeliveryMode interactive or
 * background it then calls deliver_after_queue with the envelope: interactive waits for
 * the attempt, background is the hook's business (fork and return).  The delivery engine
 * sets the pointer at startup; NULL means "leave it queued" (a queue run delivers it). */
#ifndef DELIVER_HOOK_H
#define DELIVER_HOOK_H
#include "queue.h"

/* mode: 'i' (interactive) or 'b' (background).  Returns an exit status (EX_OK ...). */
extern int (*deliver_after_queue)(struct envelope *e, const struct queue *q, int mode);

#endif
