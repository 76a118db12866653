/* clientname.c -- the SMTP client's name (see clientname.h).
 *
 * The reverse lookup goes through getnameinfo and the forward one through getaddrinfo, so
 * both follow the system's name service order and /etc/resolv.conf as 8.17's
 * gethostbyaddr/gethostbyname do; ResolverOptions are applied to the resolver first. */
#include "clientname.h"
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "conf.h"
#include "xalloc.h"

static const struct { const char *name; unsigned long bit; } ResFlags[] = {
	{ "debug", RES_DEBUG }, { "aaonly", 0 }, { "usevc", RES_USEVC },
	{ "primary", 0 }, { "igntc", RES_IGNTC }, { "recurse", RES_RECURSE },
	{ "defnames", RES_DEFNAMES }, { "stayopen", RES_STAYOPEN }, { "dnsrch", RES_DNSRCH },
	{ "use_inet6", 0 }, { "use_edns0", RES_USE_EDNS0 }, { "use_dnssec", RES_USE_DNSSEC },
	{ "trustad", RES_TRUSTAD },
};

void resolver_setup(void)
{
	static bool done;
	const char *v = option_value("ResolverOptions");
	char *copy, *w, *save;
	size_t i;

	if (done)
		return;
	done = true;
	if (res_init() != 0 || v == NULL)
		return;
	copy = xstrdup(v);
	for (w = strtok_r(copy, " \t,", &save); w != NULL; w = strtok_r(NULL, " \t,", &save)) {
		bool clear = *w == '-';
		if (*w == '+' || *w == '-')
			w++;
		for (i = 0; i < sizeof ResFlags / sizeof ResFlags[0]; i++)
			if (strcasecmp(w, ResFlags[i].name) == 0) {
				if (clear)
					_res.options &= ~ResFlags[i].bit;
				else
					_res.options |= ResFlags[i].bit;
			}
	}
	free(copy);
}

/* UseCompressedIPv6Addresses (false unless set) */
static bool compressed_ipv6(void)
{
	const char *v = option_value("UseCompressedIPv6Addresses");
	return v != NULL && (*v == '\0' || strchr("TtYy", *v) != NULL);
}

void clientname_addr(const struct sockaddr *sa, char *out, size_t n)
{
	char a[INET6_ADDRSTRLEN];

	out[0] = '\0';
	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, a, sizeof a);
		snprintf(out, n, "%s", a);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			inet_ntop(AF_INET, (const char *)&in6->sin6_addr + 12, a, sizeof a);
			snprintf(out, n, "%s", a);
		} else if (compressed_ipv6()) {
			inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof a);
			snprintf(out, n, "IPv6:%s", a);
		} else {
			/* 8.17 as Debian builds it: every group written, none left out */
			const unsigned char *b = in6->sin6_addr.s6_addr;
			snprintf(out, n, "IPv6:%x:%x:%x:%x:%x:%x:%x:%x", b[0] << 8 | b[1],
				 b[2] << 8 | b[3], b[4] << 8 | b[5], b[6] << 8 | b[7], b[8] << 8 | b[9],
				 b[10] << 8 | b[11], b[12] << 8 | b[13], b[14] << 8 | b[15]);
		}
	} else if (sa->sa_family == AF_UNIX)
		snprintf(out, n, "0");
}

/* does one of name's addresses equal the peer's?  0 yes, 1 no, -1 temporary failure */
static int forward_confirms(const char *name, const struct sockaddr *sa)
{
	struct addrinfo hints, *res = NULL, *ai;
	char want[64], got[64];
	int r, found = 1;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = sa->sa_family;
	hints.ai_socktype = SOCK_STREAM;
	clientname_addr(sa, want, sizeof want);
	r = getaddrinfo(name, NULL, &hints, &res);
	if (r != 0)
		return r == EAI_AGAIN ? -1 : 1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		clientname_addr(ai->ai_addr, got, sizeof got);
		if (strcmp(got, want) == 0) {
			found = 0;
			break;
		}
	}
	freeaddrinfo(res);
	return found;
}

void clientname_lookup(const struct sockaddr *sa, socklen_t len, struct clientname *cn)
{
	char host[NI_MAXHOST];
	char br[80];
	int r;

	memset(cn, 0, sizeof *cn);
	clientname_addr(sa, cn->addr, sizeof cn->addr);
	if (sa->sa_family == AF_INET)
		snprintf(cn->port, sizeof cn->port, "%u",
			 ntohs(((const struct sockaddr_in *)(const void *)sa)->sin_port));
	else if (sa->sa_family == AF_INET6)
		snprintf(cn->port, sizeof cn->port, "%u",
			 ntohs(((const struct sockaddr_in6 *)(const void *)sa)->sin6_port));
	snprintf(br, sizeof br, "[%s]", cn->addr);
	resolver_setup();
	r = getnameinfo(sa, len, host, sizeof host, NULL, 0, NI_NAMEREQD);
	if (r != 0) {
		cn->resolve = r == EAI_AGAIN ? "TEMP" : "FAIL";
		cn->ptr = xstrdup(br);
		cn->name = xstrdup(br);
		cn->relay = xstrdup(br);
		return;
	}
	cn->ptr = xstrdup(host);
	switch (forward_confirms(host, sa)) {
	case 0:
		cn->resolve = "OK";
		cn->name = xstrdup(host);
		break;
	case -1:
		cn->resolve = "TEMP";
		cn->name = xstrdup(br);
		break;
	default:
		/* the name does not lead back: 8.17 does not use it as ${client_name} */
		cn->resolve = "FORGED";
		cn->name = xstrdup(br);
		break;
	}
	{
		size_t n = strlen(host) + strlen(br) + 32;
		cn->relay = xmalloc(n);
		snprintf(cn->relay, n, "%s %s%s", host, br,
			 strcmp(cn->resolve, "FORGED") == 0 ? " (may be forged)" : "");
	}
}

void clientname_free(struct clientname *cn)
{
	free(cn->ptr);
	free(cn->name);
	free(cn->relay);
	memset(cn, 0, sizeof *cn);
}
