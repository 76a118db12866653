/* dotlock.h -- the "user.lock" file beside a mailbox, as MUAs and Debian's 8.17 mail.local
 * (through liblockfile) make it: a uniquely named file holding "0\n" is linked to the lock
 * name (safe on NFS), a lock older than five minutes is taken as stale and removed, and a
 * held lock is retried with growing pauses.  Run with the mailbox owner's effective uid, as
 * 8.17 does, so the mail folder must be writable by the user (mode 1777 or owner). */
#ifndef DOTLOCK_H
#define DOTLOCK_H

/* Results, numbered as liblockfile's so exit statuses map the same way. */
enum dotlock_result {
	DOTLOCK_OK = 0,
	DOTLOCK_NAMELEN = 1,
	DOTLOCK_TMPLOCK = 2,	/* cannot create the temporary file */
	DOTLOCK_TMPWRITE = 3,
	DOTLOCK_MAXTRYS = 4,	/* still held after every retry */
	DOTLOCK_ERROR = 5,
	DOTLOCK_RMSTALE = 8,	/* a stale lock could not be removed */
};

/* Lock dir/name.lock, trying retries+1 times.  The lock path is kept for dotlock_release. */
enum dotlock_result dotlock_take(const char *dir, const char *name, int retries);
void dotlock_release(void);

#endif
