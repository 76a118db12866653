/* map_dns.c -- the resolver: the "dns" and "bestmx" map classes and getmxrr().
 *
 *   Kname dns -R<type> [-B<base>] [-z<delim>] [-Z<count>] [-d<retrans>] [-r<retry>] ...
 *   Kname bestmx [-z<delim>]
 *
 * dns: the values of the records of one type for the key (the resolver's search list
 * applies), the first one, or with -z all of them (at most -Z) joined by the delimiter.
 * Formats as 8.17 prints them: A as dotted quad; AAAA as "IPv6:" and eight hexadecimal
 * groups without "::" compression (an IPv4-mapped address as a dotted quad); NS, CNAME,
 * PTR names without the final dot; MX, AFSDB and SRV the host name only; TXT the first
 * string of each record; TLSA "U S M HEX:HEX:...".  Name does not exist or has no such
 * records: EX_NOTFOUND; SERVFAIL or no answer from the servers: EX_TEMPFAIL.  Unknown
 * flags are ignored; a missing or unknown -R is reported and the map finds nothing.
 *
 * bestmx: the best MX host of the key (with the dot getmxrr adds), or with -z all of them. */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "conf.h"
#include "diag.h"
#include "dns.h"
#include "host.h"
#include "map.h"
#include "stab.h"
#include "switch.h"
#include "token.h"
#include "xalloc.h"

#define ANSWER_MAX	65536

static bool is_space(int c)
{
	return isascii(c) && isspace(c);
}

static const struct {
	const char *name;
	int type;
} DnsTypes[] = {
	{ "A", ns_t_a }, { "AAAA", ns_t_aaaa }, { "NS", ns_t_ns }, { "CNAME", ns_t_cname },
	{ "PTR", ns_t_ptr }, { "MX", ns_t_mx }, { "TXT", ns_t_txt }, { "AFSDB", ns_t_afsdb },
	{ "SRV", ns_t_srv }, { "DS", ns_t_ds }, { "RRSIG", ns_t_rrsig }, { "NSEC", ns_t_nsec },
	{ "DNSKEY", ns_t_dnskey }, { "TLSA", ns_t_tlsa },
};

/* a resolver state with the map's -d (retransmission interval) and -r (retries) */
static bool resolver_open(struct __res_state *rs, const MAP *map)
{
	memset(rs, 0, sizeof *rs);
	if (res_ninit(rs) != 0)
		return false;
	if (map != NULL && map->timeout > 0)
		rs->retrans = (int)map->timeout;
	if (map != NULL && map->retry > 0)
		rs->retry = map->retry;
	return true;
}

/* ------------------------------------------------------------------------------------
 * the dns map */

static char *flag_word(char **pp, bool skipspace)
{
	char *p = *pp, *w;

	if (skipspace)
		while (is_space((unsigned char)*p))
			p++;
	w = p;
	while (*p != '\0' && !is_space((unsigned char)*p))
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*pp = p;
	return w;
}

static bool dns_parse(MAP *map, char *p)
{
	map->mflags |= MF_TRY0NULL | MF_TRY1NULL;
	map->spacesub = SpaceSub;
	for (;;) {
		char *w;
		int c = map_next_flag(&p);

		if (c < 0)
			break;
		switch (c) {
		case 'R': {
			size_t i;
			w = flag_word(&p, true);
			for (i = 0; i < sizeof DnsTypes / sizeof DnsTypes[0]; i++)
				if (strcasecmp(w, DnsTypes[i].name) == 0)
					break;
			if (i < sizeof DnsTypes / sizeof DnsTypes[0])
				map->dnstype = DnsTypes[i].type;
			else
				syserr("dns map %s: wrong type %s", map->mname, w);
			continue;
		}
		case 'B':
			w = flag_word(&p, true);
			free(map->domain);
			map->domain = xstrdup(w);
			continue;
		case 'Z':
			map->sizelimit = atoi(flag_word(&p, false));
			continue;
		case 'r':
			map->retry = atoi(flag_word(&p, false));
			continue;
		case 'd':
			map->timeout = convtime(flag_word(&p, false), 's');
			continue;
		case 'z':
			w = flag_word(&p, false);
			if (w[0] != '\\')
				map->coldelim = w[0];
			else if (w[1] == 'n')
				map->coldelim = '\n';
			else if (w[1] == 't')
				map->coldelim = '\t';
			else
				map->coldelim = '\\';
			continue;
		case 'a': map->app = xstrdup(flag_word(&p, false)); continue;
		case 'T': map->tapp = xstrdup(flag_word(&p, false)); continue;
		case 'S': map->spacesub = (unsigned char)*p; break;
		case 'm': map->mflags |= MF_MATCHONLY; break;
		case 'q': map->mflags |= MF_KEEPQUOTES; break;
		case 't': map->mflags |= MF_NODEFER; break;
		case 'o': map->mflags |= MF_OPTIONAL; break;
		case 'D': map->mflags |= MF_DEFER; break;
		case 'f': map->mflags |= MF_NOFOLDCASE; break;
		default: break;		/* ignored, as 8.17 does */
		}
		(void)flag_word(&p, false);
	}
	if (*p != '\0')
		map->file = xstrdup(p);
	if (map->dnstype == 0)
		syserr("dns map %s: missing -R type", map->mname);
	return true;
}

/* one record's value as text, appended to b; false for a record that gives none */
static bool format_rr(const ns_msg *msg, const ns_rr *rr, int type, sbuf *b)
{
	const unsigned char *rd = ns_rr_rdata(*rr), *eom = ns_msg_end(*msg);
	size_t len = ns_rr_rdlen(*rr), skip = 0;
	char name[NS_MAXDNAME];

	switch (type) {
	case ns_t_a: {
		char t[INET_ADDRSTRLEN];
		if (len != 4 || inet_ntop(AF_INET, rd, t, sizeof t) == NULL)
			return false;
		sb_puts(b, t);
		return true;
	}
	case ns_t_aaaa: {
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		int i;
		if (len != 16)
			return false;
		if (memcmp(rd, mapped, sizeof mapped) == 0) {
			sb_printf(b, "%u.%u.%u.%u", rd[12], rd[13], rd[14], rd[15]);
			return true;
		}
		sb_puts(b, "IPv6:");
		for (i = 0; i < 16; i += 2)
			sb_printf(b, "%s%x", i ? ":" : "", (unsigned)(rd[i] << 8 | rd[i + 1]));
		return true;
	}
	case ns_t_txt:
		if (len < 1 || (size_t)rd[0] + 1 > len)
			return false;
		sb_put(b, rd + 1, rd[0]);
		return true;
	case ns_t_tlsa: {
		size_t i;
		if (len < 3)
			return false;
		sb_printf(b, "%02X %02X %02X ", rd[0], rd[1], rd[2]);
		for (i = 3; i < len; i++)
			sb_printf(b, "%s%02X", i > 3 ? ":" : "", rd[i]);
		return true;
	}
	case ns_t_mx:
	case ns_t_afsdb:
		skip = 2;
		break;
	case ns_t_srv:
		skip = 6;
		break;
	case ns_t_ns:
	case ns_t_cname:
	case ns_t_ptr:
		break;
	default:
		return false;	/* DS, RRSIG, NSEC, DNSKEY: no text form */
	}
	if (len < skip || dn_expand(ns_msg_base(*msg), eom, rd + skip, name, sizeof name) < 0)
		return false;
	sb_puts(b, name);
	return true;
}

static const char *dns_lookup(MAP *map, const char *key, char **av, int *stat)
{
	struct __res_state rs;
	unsigned char *answer;
	sbuf name = SBUF_INIT, vals = SBUF_INIT;
	int n, count = 0, i;
	ns_msg msg;
	const char *r = NULL;

	*stat = EX_NOTFOUND;
	if (map->dnstype == 0)
		return NULL;
	if (!resolver_open(&rs, map)) {
		*stat = EX_TEMPFAIL;
		return NULL;
	}
	sb_init(&name);
	sb_puts(&name, key);
	if (map->domain != NULL && map->domain[0] != '\0')
		sb_printf(&name, ".%s", map->domain);
	answer = xmalloc(ANSWER_MAX);
	n = res_nsearch(&rs, name.s, ns_c_in, map->dnstype, answer, ANSWER_MAX);
	if (n < 0) {
		if (rs.res_h_errno == TRY_AGAIN || rs.res_h_errno == NETDB_INTERNAL)
			*stat = EX_TEMPFAIL;
		goto out;
	}
	if (ns_initparse(answer, n < ANSWER_MAX ? n : ANSWER_MAX, &msg) < 0)
		goto out;
	sb_init(&vals);
	for (i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
		ns_rr rr;
		size_t before = vals.len;

		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
			break;
		if ((int)ns_rr_type(rr) != map->dnstype || ns_rr_class(rr) != ns_c_in)
			continue;
		if (count > 0)
			sb_putc(&vals, map->coldelim);
		if (!format_rr(&msg, &rr, map->dnstype, &vals)) {
			sb_truncate(&vals, before);
			continue;
		}
		count++;
		if (map->coldelim == '\0')
			break;
		/* as 8.17 counts: -Z1 gives one value, -ZN (N > 1) gives N + 1 */
		if (map->sizelimit > 0 && count >= (map->sizelimit == 1 ? 1 : map->sizelimit + 1))
			break;
	}
	if (count > 0) {
		*stat = EX_OK;
		if (map->mflags & MF_MATCHONLY)
			r = map_rewrite(map, key, strlen(key), NULL);
		else
			r = map_rewrite(map, vals.s, vals.len, av);
	}
	sb_free(&vals);
out:
	free(answer);
	sb_free(&name);
	res_nclose(&rs);
	return r;
}

/* ------------------------------------------------------------------------------------
 * getmxrr */

/* does the hosts service use the name server? */
static bool use_dns(void)
{
	char **m;

	if (!UseNameServer)
		return false;
	for (m = switch_services("hosts"); m != NULL && *m != NULL; m++)
		if (strcasecmp(*m, "dns") == 0)
			return true;
	return false;
}

/* "[a.b.c.d]" or "[IPv6:...]" with a valid address */
static bool address_literal(const char *host)
{
	size_t n = strlen(host);
	char *inner;
	bool ok;
	unsigned char buf[16];
	struct in_addr a4;

	if (n < 2 || host[n - 1] != ']')
		return false;
	inner = xstrndup(host + 1, n - 2);
	if (strncasecmp(inner, "IPv6:", 5) == 0)
		ok = inet_pton(AF_INET6, inner + 5, buf) == 1;
	else
		ok = inet_aton(inner, &a4) != 0;
	free(inner);
	return ok;
}

/* The per-process weight that orders MX hosts of equal preference. */
static unsigned mx_weight(const char *name)
{
	static unsigned seed;
	unsigned h;

	if (seed == 0) {
		seed = ((unsigned)time(NULL) ^ ((unsigned)getpid() << 16)) | 1u;
	}
	h = seed;
	for (; *name != '\0'; name++) {
		h ^= (unsigned)lower_c((unsigned char)*name);
		h *= 16777619u;
	}
	h ^= h >> 15;
	return h;
}

struct mx {
	char *name;
	int pref;
	unsigned weight;
	int order;
};

static int mx_cmp(const void *a, const void *b)
{
	const struct mx *x = a, *y = b;

	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	return x->order - y->order;
}

/* A name without MX records (none in the DNS, or no such name in the DNS) stands for
 * itself when getcanonname (the hosts service: DNS, hosts file) knows it: 8.17 gives
 * "localhost" -> "localhost.example.com." from /etc/hosts even after NXDOMAIN. */
static int punt(const char *host, char **mxhosts, int *rcode, arena *a)
{
	sbuf canon = SBUF_INIT;
	int st = EX_OK, result = 0;

	sb_init(&canon);
	sb_puts(&canon, host);
	if (getcanonname(&canon, !HasWildcardMX, &st)) {
		if (canon.len == 0 || canon.s[canon.len - 1] != '.')
			sb_putc(&canon, '.');
		mxhosts[0] = arena_strdup(a, canon.s);
		result = 1;
	} else if (st == EX_TEMPFAIL) {
		*rcode = EX_TEMPFAIL;
		result = -1;
	}
	sb_free(&canon);
	return result;
}

int getmxrr(const char *host, char **mxhosts, int maxmx, bool droplocalhost, int *rcode, arena *a)
{
	struct __res_state rs;
	unsigned char *answer;
	struct mx *mx = NULL;
	int n, nmx = 0, total = 0, i, result = 0;
	ns_msg msg;

	*rcode = EX_OK;
	if (maxmx <= 0)
		return 0;
	if (host[0] == '[') {
		if (!address_literal(host))
			return 0;
		mxhosts[0] = arena_strdup(a, host);
		return 1;
	}
	if (!use_dns())
		return 0;
	if (!resolver_open(&rs, NULL)) {
		*rcode = EX_TEMPFAIL;
		return -1;
	}
	answer = xmalloc(ANSWER_MAX);
	n = res_nsearch(&rs, host, ns_c_in, ns_t_mx, answer, ANSWER_MAX);
	if (n < 0) {
		switch (rs.res_h_errno) {
		case TRY_AGAIN:
		case NETDB_INTERNAL:
			*rcode = EX_TEMPFAIL;
			result = -1;
			break;
		case HOST_NOT_FOUND:
			*rcode = EX_NOHOST;	/* kept even when the name is known otherwise */
			result = punt(host, mxhosts, rcode, a);
			break;
		default:		/* NO_DATA: the name exists without MX records */
			result = punt(host, mxhosts, rcode, a);
			break;
		}
		goto out;
	}
	if (ns_initparse(answer, n < ANSWER_MAX ? n : ANSWER_MAX, &msg) < 0)
		goto out;
	for (i = 0; i < ns_msg_count(msg, ns_s_an) && nmx < MAXMXHOSTS; i++) {
		ns_rr rr;
		char name[NS_MAXDNAME];
		const unsigned char *rd;

		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
			break;
		if (ns_rr_type(rr) != ns_t_mx || ns_rr_rdlen(rr) < 3)
			continue;
		rd = ns_rr_rdata(rr);
		if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 2, name, sizeof name) < 0)
			continue;
		mx = xreallocarray(mx, (size_t)nmx + 1, sizeof *mx);
		mx[nmx].name = xstrdup(name);
		mx[nmx].pref = ns_get16(rd);
		mx[nmx].weight = mx_weight(name);
		mx[nmx].order = nmx;
		nmx++;
		total = nmx;
	}
	if (nmx == 1 && mx[0].pref == 0 && mx[0].name[0] == '\0') {
		*rcode = EX_UNAVAILABLE;
		result = NULLMX;
		goto out;
	}
	if (nmx == 0)
		goto out;	/* an answer without MX records (a CNAME only): no MX */
	qsort(mx, (size_t)nmx, sizeof *mx, mx_cmp);
	if (droplocalhost) {
		int localpref = -1;
		for (i = 0; i < nmx; i++)
			if (mx[i].name[0] != '\0' && wordinclass(mx[i].name, 'w')) {
				localpref = mx[i].pref;
				break;
			}
		if (localpref >= 0) {
			for (i = 0; i < nmx && mx[i].pref < localpref; i++)
				;
			if (i == 0) {
				*rcode = EX_CONFIG;
				result = -1;
				goto out;
			}
			nmx = i;
		}
	}
	for (i = 0; i < nmx && i < maxmx; i++) {
		size_t len = strlen(mx[i].name);
		char *s = arena_alloc(a, len + 2);
		memcpy(s, mx[i].name, len);
		s[len] = '.';
		s[len + 1] = '\0';
		mxhosts[i] = s;
	}
	result = i;
out:
	for (i = 0; i < total; i++)
		free(mx[i].name);
	free(mx);
	free(answer);
	res_nclose(&rs);
	return result;
}

/* ------------------------------------------------------------------------------------
 * the bestmx map */
static const char *bestmx_lookup(MAP *map, const char *key, char **av, int *stat)
{
	char *hosts[MAXMXHOSTS + 1];
	int n, rcode = EX_OK, i;
	sbuf b = SBUF_INIT;
	const char *r;

	n = getmxrr(key, hosts, MAXMXHOSTS, false, &rcode, Scratch);
	*stat = rcode;		/* EX_NOHOST stays with a name known only to the hosts file */
	if (n <= 0 || n == NULLMX)
		return NULL;
	if (map->mflags & MF_MATCHONLY)
		return map_rewrite(map, key, strlen(key), NULL);
	if (map->coldelim == '\0')
		return map_rewrite(map, hosts[0], strlen(hosts[0]), av);
	sb_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_putc(&b, map->coldelim);
		sb_puts(&b, hosts[i]);
	}
	r = map_rewrite(map, b.s, b.len, av);
	sb_free(&b);
	return r;
}

static const MAPCLASS dns_class = { "dns", NULL, MCF_OPTFILE, dns_parse, NULL, dns_lookup, NULL };
static const MAPCLASS bestmx_class = { "bestmx", NULL, MCF_OPTFILE, NULL, NULL, bestmx_lookup,
				       NULL };

void map_dns_init(void)
{
	mapclass_register(&dns_class);
	mapclass_register(&bestmx_class);
}
