/* dirsync.c -- the fsync of the queue folder that makes a new qf's name durable, shared by
 * the daemon's processes (group commit).
 *
 * Every message committed by a session (and every qf a delivery rewrites) ends with an
 * fsync of the one queue folder; with many sessions those fsyncs queue up behind the
 * folder's lock and write the same block again and again.  But an fsync of a folder makes
 * durable every entry made in it before the call, whoever made it.  So the daemon shares
 * a page with its children: a process whose rename is done takes the number of syncs
 * started so far; if one started after that (a later ticket) has finished, its entry is
 * durable already; if another process is syncing, it waits for that one (a futex) and
 * looks again; otherwise it syncs itself, for everyone.  The lock is only an economy:
 * a process that waits too long syncs on its own, and the lock of a syncer that was
 * killed is taken back. */
#include "dirsync.h"
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct shared {
	dev_t dev;
	ino_t ino;
	_Atomic uint32_t started;	/* tickets taken: syncs begun */
	_Atomic uint32_t done;		/* the highest ticket whose sync succeeded */
	_Atomic uint32_t busy;		/* the pid of the process syncing, or 0 */
};

static struct shared *Shared;

void dirsync_share(const char *dir)
{
	struct stat st;
	void *page;

	if (Shared != NULL || stat(dir, &st) != 0)
		return;
	page = mmap(NULL, sizeof *Shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return;
	Shared = page;
	Shared->dev = st.st_dev;
	Shared->ino = st.st_ino;
}

/* a is later than b, in the wrapping order of tickets */
static bool after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static void wait_done(uint32_t seen)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };

	syscall(SYS_futex, &Shared->done, FUTEX_WAIT, seen, &ts, NULL, 0);
}

int dirsync(int fd)
{
	struct stat st;
	uint32_t mine;
	int round;

	if (Shared == NULL || fstat(fd, &st) != 0 || st.st_dev != Shared->dev || st.st_ino != Shared->ino)
		return fsync(fd);
	mine = atomic_load(&Shared->started);
	for (round = 0; round < 50; round++) {
		uint32_t done = atomic_load(&Shared->done), idle = 0, holder;
		if (after(done, mine))
			return 0;	/* a sync begun after our entry was made has finished */
		if (atomic_compare_exchange_strong(&Shared->busy, &idle, (uint32_t)getpid())) {
			uint32_t t = atomic_fetch_add(&Shared->started, 1) + 1;
			int r = fsync(fd), e = errno;
			if (r == 0) {
				uint32_t d = atomic_load(&Shared->done);
				while (after(t, d) && !atomic_compare_exchange_weak(&Shared->done, &d, t))
					;
			}
			atomic_store(&Shared->busy, 0);
			syscall(SYS_futex, &Shared->done, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
			errno = e;
			return r;
		}
		wait_done(done);
		/* a syncer killed in its fsync would hold the lock for good */
		holder = atomic_load(&Shared->busy);
		if (holder != 0 && kill((pid_t)holder, 0) != 0 && errno == ESRCH)
			atomic_compare_exchange_strong(&Shared->busy, &holder, 0);
	}
	return fsync(fd);
}
