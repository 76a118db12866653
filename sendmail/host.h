/* host.h -- host name canonification (getcanonname) shared by /canon and the host map. */
#ifndef HOST_H
#define HOST_H
#include <stdbool.h>
#include "sbuf.h"

extern int HostErrno;		/* h_errno-style result of the last getcanonname */
/* Canonify the host name in place.  True if found; *status gets EX_OK, EX_NOHOST or
 * EX_TEMPFAIL. */
bool getcanonname(sbuf *host, bool trymx, int *status);

#endif
