/* savemail.h -- what becomes of the recipients a submission refused (unknown users, bad
 * addresses), as 8.17's ErrorMode says:
 *
 *   q  (quiet)   nothing besides the exit status;
 *   p  (print)   the errors were printed as they were found; the message is appended to
 *                ~/dead.letter of the sender when the sender is the user who ran us, else
 *                it is mailed back as for m;
 *   m, w         a bounce (dsn.h) to the sender, queued and delivered at once;
 *   e            as m, and the exit status is 0 (for programs that cannot take errors).
 *
 * The message itself is read from its df in the queue (not yet committed, or committed for
 * the other recipients): call before queue_abort. */
#ifndef SAVEMAIL_H
#define SAVEMAIL_H
#include <stdbool.h>
#include "queue.h"
#include "recipient.h"

/* e's headers laid out, its df written.  sender_is_user: the envelope sender is the real
 * user (dead.letter is his); home: that user's home folder.  msgsize: the size as received.
 * Returns the exit status to give instead of status (status itself unless ErrorMode=e). */
int savemail(const struct queue *q, const struct envelope *e, const struct rcptlist *rl,
	     bool sender_is_user, const char *home, long msgsize, int status);

/* Append the message as the file mailer writes it ("From " line, the headers, the body, a
 * blank line) to path, creating it 0600.  false (errno set) on failure. */
bool deadletter_append(const struct queue *q, const struct envelope *e, const char *path);

#endif
