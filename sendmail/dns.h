/* dns.h -- MX lookups (getmxrr), shared by the bestmx map, address test mode (/mx) and
 * delivery. */
#ifndef DNS_H
#define DNS_H
#include <stdbool.h>
#include "arena.h"

#define NULLMX	(-2)	/* getmxrr: the domain has a null MX (RFC 7505): accepts no mail */

/* The mail exchangers of HOST, best first, into mxhosts[0..maxmx-1] (strings allocated in
 * `a`).  MX names get a trailing dot; equal preferences are ordered by a weight that is
 * fixed for a name within one process but differs between processes (as 8.17 spreads
 * load).  Returns:
 *   n > 0    the number of hosts.  A name without MX records (it has none, or the DNS
 *            does not know it) gives itself, canonified by getcanonname (DNS or hosts
 *            file), with a dot (*rcode stays EX_NOHOST when the DNS said NXDOMAIN); an
 *            address literal "[...]" gives itself.
 *   0        no MX and no such host (*rcode EX_NOHOST after NXDOMAIN, else EX_OK), an
 *            answer holding no MX record (a CNAME only), or the name server is not in
 *            use (the hosts service has no "dns") (*rcode EX_OK).
 *   -1       failure: *rcode EX_TEMPFAIL (name server unreachable, SERVFAIL), or
 *            EX_CONFIG when droplocalhost removed every host (we are the best MX).
 *   NULLMX   a single MX "0 ." (*rcode EX_UNAVAILABLE).
 * With droplocalhost, hosts in class w and every MX of the same or a worse preference are
 * left out. */
int getmxrr(const char *host, char **mxhosts, int maxmx, bool droplocalhost, int *rcode, arena *a);

#endif
