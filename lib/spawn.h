/* spawn.h -- running a helper program whose output we read (class files "F|prog", the
 * program map) or that we feed a message (delivery agents).  The child gets only fds 0-2 (stdout is our pipe), never a shell, and, when
 * we run as root, the given unprivileged user's ids. */
#ifndef SPAWN_H
#define SPAWN_H
#include <sys/types.h>

struct spawn_opts {
	const char *dir;	/* working directory (then "/" if that fails), or NULL */
	long uid, gid;		/* switch to these when running as root; -1: don't */
	int stdin_closed;	/* close stdin rather than opening /dev/null on it */
};

/* Start argv[0] with argv and envp (NULL: our environment); *readfd receives the read end
 * of its stdout.  Returns the child's pid, or -1 (errno set). */
pid_t spawn_reader(char *const argv[], char *const envp[], const struct spawn_opts *o,
		   int *readfd);

/* Start a delivery agent, the program path (argv[0] is only its name): *writefd receives the write end of its stdin, *readfd the read
 * end of a pipe holding both its stdout and its stderr (what it says goes into the
 * transcript).  Otherwise as spawn_reader. */
pid_t spawn_filter(const char *path, char *const argv[], char *const envp[],
		   const struct spawn_opts *o, int *writefd, int *readfd);

/* Close every descriptor from 3 up but the n in keep (at most 8 are kept). */
void fds_close_except(const int *keep, size_t n);

#endif
