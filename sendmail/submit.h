/* submit.h -- the default mode (-bm): `sendmail [flags] addr... < message` and `sendmail -t`.
 * The message is read from stdin, queued as 8.17 queues it (the same qf records), then left
 * for a queue run or handed to the delivery engine (deliver_hook.h) as DeliveryMode says. */
#ifndef SUBMIT_H
#define SUBMIT_H

/* Run the mode with what main.c parsed (Cmd, the options); returns the exit status. */
int submit_main(void);

#endif
