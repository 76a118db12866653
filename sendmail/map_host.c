/* map_host.c -- host name canonification: the "host" map class ($[ $]), and
 * getcanonname(), which /canon and the map share.  The methods and their order come from
 * the service switch: "files" reads HostsFile, "dns" asks the resolver. */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "conf.h"
#include "diag.h"
#include "host.h"
#include "macro.h"
#include "map.h"
#include "stab.h"
#include "switch.h"
#include "token.h"
#include "xalloc.h"

int HostErrno;
/* The resolver's last failure, which (as in 8.17, where it is h_errno) also decides the
 * status of a lookup that never reached the resolver, such as "[not-an-address]". */
static int LastHErrno;

/* drop a final dot, and our own domain: "mail.example.com." -> "mail" */
static bool shorten_hostname(char *host)
{
	size_t n = strlen(host);
	char *p;
	const char *mydom;
	bool canon = false;

	if (n > 0 && host[n - 1] == '.') {
		host[n - 1] = '\0';
		canon = true;
	}
	p = strchr(host, '.');
	if (p == NULL)
		return canon;
	mydom = macvalue('m');
	if (mydom == NULL)
		mydom = "";
	n = strlen(++p);
	if ((canon ? strcasecmp(p, mydom) : strncasecmp(p, mydom, n)) == 0 &&
	    (strlen(mydom) <= n ? mydom[n] == '\0' || mydom[n] == '.' : mydom[n] == '.')) {
		*--p = '\0';
		canon = true;
	}
	return canon;
}

/* from one hosts-file line: is NAME listed, and what is the line's canonical name? */
static bool extract_canonname(const char *name, char *line, sbuf *cbuf)
{
	char *p = line, *w;
	bool found = false;
	int col = 0;

	sb_reset(cbuf);
	if (line[0] == '#')
		return false;
	for (;;) {
		while (*p != '\0' && isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		w = p;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
		if (*p != '\0')
			*p++ = '\0';
		if (col++ == 0)
			continue;	/* the address */
		if (cbuf->len == 0 || (strchr(cbuf->s, '.') == NULL && strchr(w, '.') != NULL)) {
			sb_reset(cbuf);
			sb_puts(cbuf, w);
		}
		if (strcasecmp(name, w) == 0)
			found = true;
	}
	if (found && strchr(cbuf->s, '.') == NULL) {
		const char *d = macvalue('m');
		if (d != NULL) {
			sb_putc(cbuf, '.');
			sb_puts(cbuf, d);
		}
	}
	return found;
}

/* The hosts file, kept while stat() says it is unchanged: a session looks several
 * addresses up, each of them until now a fresh read of the whole file. */
static struct {
	char *path;
	struct stat st;
	sbuf text;
} Hosts;

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* the text of the hosts file at path, NULL if it cannot be read */
static const sbuf *hosts_text(const char *path)
{
	struct stat st;
	FILE *fp;
	char buf[8192];
	size_t n;

	if (Hosts.path != NULL && strcmp(Hosts.path, path) == 0 && stat(path, &st) == 0 &&
	    same_file(&st, &Hosts.st))
		return &Hosts.text;
	free(Hosts.path);
	Hosts.path = NULL;
	sb_free(&Hosts.text);
	fp = fopen(path, "re");
	if (fp == NULL)
		return NULL;
	if (fstat(fileno(fp), &st) != 0) {
		fclose(fp);
		return NULL;
	}
	sb_init(&Hosts.text);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		sb_put(&Hosts.text, buf, n);
	if (ferror(fp)) {
		fclose(fp);
		sb_free(&Hosts.text);
		return NULL;
	}
	fclose(fp);
	Hosts.path = xstrdup(path);
	Hosts.st = st;
	return &Hosts.text;
}

static bool text_getcanonname(sbuf *host, int *status)
{
	const sbuf *text;
	sbuf line = SBUF_INIT, cbuf = SBUF_INIT;
	char *name;
	bool found = false;
	size_t pos = 0;

	name = xstrdup(host->s);
	shorten_hostname(name);
	text = hosts_text(HostsFile != NULL ? HostsFile : "/etc/hosts");
	if (text == NULL) {
		free(name);
		*status = EX_UNAVAILABLE;
		return false;
	}
	sb_init(&line);
	sb_init(&cbuf);
	while (!found && pos < text->len) {
		const char *nl = memchr(text->s + pos, '\n', text->len - pos);
		size_t n = nl != NULL ? (size_t)(nl - (text->s + pos)) : text->len - pos;
		char *hash;
		sb_reset(&line);
		sb_put(&line, text->s + pos, n);
		pos += n + (nl != NULL);
		hash = strchr(line.s, '#');
		if (hash != NULL)
			*hash = '\0';
		if (line.s[0] != '\0')
			found = extract_canonname(name, line.s, &cbuf);
	}
	free(name);
	if (found) {
		sb_reset(host);
		sb_puts(host, cbuf.s);
		*status = EX_OK;
	} else
		*status = EX_NOHOST;
	sb_free(&line);
	sb_free(&cbuf);
	return found;
}

static bool dns_getcanonname(sbuf *host, int *status)
{
	unsigned char answer[4096];
	int types[] = { T_A, T_AAAA, T_MX };
	size_t t;
	struct __res_state rs;

	memset(&rs, 0, sizeof rs);
	if (res_ninit(&rs) != 0) {
		*status = EX_UNAVAILABLE;
		return false;
	}
	for (t = 0; t < sizeof types / sizeof types[0]; t++) {
		int n = res_nsearch(&rs, host->s, C_IN, types[t], answer, sizeof answer);
		ns_msg msg;
		ns_rr rr;
		char dname[NS_MAXDNAME];

		if (n < 0) {
			if (rs.res_h_errno == TRY_AGAIN || rs.res_h_errno == NETDB_INTERNAL) {
				res_nclose(&rs);
				*status = EX_TEMPFAIL;
				return false;
			}
			if (rs.res_h_errno == NO_DATA)
				continue;
			res_nclose(&rs);
			*status = EX_NOHOST;
			return false;
		}
		if (ns_initparse(answer, n, &msg) < 0 || ns_msg_count(msg, ns_s_an) == 0)
			continue;
		if (ns_parserr(&msg, ns_s_an, 0, &rr) < 0)
			continue;
		snprintf(dname, sizeof dname, "%s", ns_rr_name(rr));
		res_nclose(&rs);
		sb_reset(host);
		sb_puts(host, dname);
		*status = EX_OK;
		return true;
	}
	res_nclose(&rs);
	*status = EX_NOHOST;
	return false;
}

bool getcanonname(sbuf *host, bool trymx, int *statusp)
{
	char **methods = switch_services("hosts");
	bool found = false, tempfail = false;
	int status = EX_UNAVAILABLE;

	(void)trymx;
	for (; methods != NULL && *methods != NULL; methods++) {
		sbuf try = SBUF_INIT;
		sb_init(&try);
		sb_puts(&try, host->s);
		if (strcmp(*methods, "files") == 0)
			found = text_getcanonname(&try, &status);
		else if (strcmp(*methods, "dns") == 0)
			found = dns_getcanonname(&try, &status);
		else {
			found = false;
			status = EX_UNAVAILABLE;
		}
		if (found && (macvalue('m') != NULL || strchr(try.s, '.') != NULL)) {
			sb_reset(host);
			sb_puts(host, try.s);
			sb_free(&try);
			break;
		}
		found = false;
		sb_free(&try);
		if (status == EX_TEMPFAIL)
			tempfail = true;
	}
	if (found) {
		char *d = strchr(host->s, '.');
		if (d == NULL || d[1] == '\0') {
			const char *m = macvalue('m');
			if (m != NULL) {
				if (host->len == 0 || host->s[host->len - 1] != '.')
					sb_putc(host, '.');
				sb_puts(host, m);
			}
		}
		HostErrno = 0;
		if (statusp)
			*statusp = EX_OK;
		return true;
	}
	HostErrno = tempfail ? TRY_AGAIN : HOST_NOT_FOUND;
	if (statusp)
		*statusp = tempfail ? EX_TEMPFAIL : EX_NOHOST;
	return false;
}

/* the name of an address literal "[a.b.c.d]", by reverse lookup */
static bool addr_name(const char *lit, sbuf *out, bool *tempfail)
{
	char *copy = xstrdup(lit + 1), *end = strchr(copy, ']');
	struct in_addr a4;
	struct in6_addr a6;
	struct hostent *hp = NULL;

	if (end == NULL) {
		free(copy);
		return false;
	}
	*end = '\0';
	if (inet_pton(AF_INET, copy, &a4) == 1) {
		hp = gethostbyaddr(&a4, sizeof a4, AF_INET);
		LastHErrno = hp != NULL ? 0 : h_errno;
	} else if (strncasecmp(copy, "IPv6:", 5) == 0 && inet_pton(AF_INET6, copy + 5, &a6) == 1) {
		hp = gethostbyaddr(&a6, sizeof a6, AF_INET6);
		LastHErrno = hp != NULL ? 0 : h_errno;
	}
	free(copy);
	if (hp == NULL || hp->h_name == NULL) {
		*tempfail = (h_errno == TRY_AGAIN);
		return false;
	}
	sb_reset(out);
	sb_puts(out, hp->h_name);
	return true;
}

/* What a host map lookup found, kept per name for the life of the process as 8.17 keeps
 * it: later lookups of the same name answer from here (and repeat the timeout notice). */
struct namecanon {
	char *cname;		/* the canonical name, if found */
	int herrno;		/* the resolver's h_errno-style result */
	int stat;		/* the lookup's status */
};

static void timeout_notice(const char *name)
{
	sbuf s = SBUF_INIT;

	sb_init(&s);
	shortenstring(&s, name, 33);
	message("%s: Name server timeout", s.s);
	sb_free(&s);
}

static const char *host_lookup(MAP *map, const char *name, char **av, int *stat)
{
	STAB *st = stab(name, ST_NAMECANON, ST_ENTER);
	struct namecanon *nc = st->v.namecanon;
	sbuf h = SBUF_INIT;
	bool found;
	int herr = 0;
	const char *r;

	if (nc != NULL) {
		LastHErrno = nc->herrno;
		*stat = nc->stat;
		if (nc->stat == EX_TEMPFAIL)
			timeout_notice(name);
		if (nc->stat != EX_OK || nc->cname == NULL)
			return NULL;
		return (map->mflags & MF_MATCHONLY) ? map_rewrite(map, name, strlen(name), NULL)
						 : map_rewrite(map, nc->cname, strlen(nc->cname), av);
	}
	sb_init(&h);
	sb_puts(&h, name);
	if (name[0] == '[') {
		bool tempfail = false;
		if (strchr(name, ']') == NULL) {
			sb_free(&h);
			return NULL;	/* not an address literal: nothing found, nothing cached */
		}
		found = addr_name(name, &h, &tempfail);
		herr = found ? 0 : LastHErrno;
	} else {
		int status = EX_OK;
		found = getcanonname(&h, !HasWildcardMX, &status);
		if (!found)
			LastHErrno = HostErrno;
		herr = found ? 0 : HostErrno;
	}
	nc = xcalloc(1, sizeof *nc);
	st->v.namecanon = nc;
	nc->herrno = found ? LastHErrno : herr;
	if (found) {
		nc->cname = xstrdup(h.s);
		nc->stat = EX_OK;
		*stat = EX_OK;
		r = (map->mflags & MF_MATCHONLY) ? map_rewrite(map, name, strlen(name), NULL)
						 : map_rewrite(map, h.s, h.len, av);
		sb_free(&h);
		return r;
	}
	switch (herr) {
	case TRY_AGAIN:
		if (UseNameServer)
			timeout_notice(name);
		nc->stat = EX_TEMPFAIL;
		break;
	case HOST_NOT_FOUND:
	case NO_DATA:
		nc->stat = EX_NOHOST;
		break;
	case NO_RECOVERY:
		nc->stat = EX_SOFTWARE;
		break;
	default:
		nc->stat = EX_UNAVAILABLE;
		break;
	}
	*stat = nc->stat;
	sb_free(&h);
	return NULL;
}

static bool host_parse(MAP *map, char *args)
{
	return map_parseargs(map, args);
}

static const MAPCLASS host_class = { "host", NULL, MCF_OPTFILE, host_parse, NULL, host_lookup,
				     NULL };

void map_host_init(void)
{
	mapclass_register(&host_class);
}
