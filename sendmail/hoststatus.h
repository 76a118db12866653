/* hoststatus.h -- persistent host status (HostStatusDirectory), in 8.17's files, so its
 * hoststat lists ours and ours lists its.
 *
 * A host "mx.example.com" has the file HSD/com./example./mx: one record per line, V (version
 * 0), E (errno), H (resolver h_errno), S (exit status, sysexits), D (DSN status), R (the
 * remote reply, if any), U (when, seconds since the epoch), and "." to end. */
#ifndef HOSTSTATUS_H
#define HOSTSTATUS_H
#include <stdbool.h>
#include <time.h>
#include "sbuf.h"

struct hoststatus {
	int err;		/* E: errno of the last attempt (0: none) */
	int herr;		/* H: h_errno */
	int exitstat;		/* S: EX_OK, EX_TEMPFAIL, ... */
	char *dsn;		/* D: "4.4.1", or NULL */
	char *rstatus;		/* R: the reply text, or NULL */
	time_t lastuse;		/* U */
};

/* The HostStatusDirectory (relative names are below the queue folder), or NULL if unset. */
const char *hoststatus_dir(void);
/* The file of host in dir. */
void hoststatus_path(const char *dir, const char *host, sbuf *out);
/* Read host's status; false if there is none (or it cannot be read). */
bool hoststatus_read(const char *host, struct hoststatus *hs);
/* Record the result of a connection to host (folders made as needed, the file replaced
 * atomically).  False if HostStatusDirectory is unset or the file cannot be written. */
bool hoststatus_write(const char *host, const struct hoststatus *hs);
void hoststatus_free(struct hoststatus *hs);
/* Whether the last attempt at host failed temporarily within Timeout.hoststatus (default
 * 30m): then 8.17 does not try it again yet.  *since gets when. */
bool hoststatus_down(const char *host, time_t now, time_t *since);

/* sendmail -bh / hoststat, -bH / purgestat: the exit status. */
int print_hoststat(void);
int purge_hoststat(void);

#endif
