/* dns.h -- MX lookups through the resolver. */
#ifndef DNS_H
#define DNS_H
#include <stdbool.h>
#include "arena.h"

/* The MX hosts of host, best first (equal preferences in a stable shuffled order); the
 * host itself when it has no MX record.  Returns the count, 0 on failure (*rcode says
 * why), or -1 for a null MX (RFC 7505).  Names are allocated in a. */
int getmxrr(const char *host, char **mxhosts, int maxmx, bool droplocalhost, int *rcode,
	    arena *a);

#endif
