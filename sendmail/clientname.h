/* clientname.h -- who is on the other end of an SMTP connection: the client's address, the
 * name its PTR record gives, and whether that name's A/AAAA records lead back to the address
 * (8.17's ${client_resolve}: OK, FAIL, FORGED, TEMP). */
#ifndef CLIENTNAME_H
#define CLIENTNAME_H
#include <sys/socket.h>

struct clientname {
	char addr[64];		/* "192.0.2.1" or "IPv6:2001:db8::1" (${client_addr}) */
	char port[8];		/* ${client_port} */
	char *ptr;		/* the PTR name, or "[addr]" (${client_ptr}) */
	char *name;		/* ${client_name}: the name, or "[addr]" when there is none */
	const char *resolve;	/* ${client_resolve} */
	char *relay;		/* $_: "name [addr]", "[addr]", "name [addr] (may be forged)" */
};

/* Apply ResolverOptions (+/-flag words) to the resolver, once. */
void resolver_setup(void);
/* Look the peer up (PTR, then A/AAAA of the name); fills cn (free with clientname_free). */
void clientname_lookup(const struct sockaddr *sa, socklen_t len, struct clientname *cn);
void clientname_free(struct clientname *cn);
/* the address of sa as 8.17 writes it: dotted quad, or "IPv6:" and the address */
void clientname_addr(const struct sockaddr *sa, char *out, size_t n);

#endif
