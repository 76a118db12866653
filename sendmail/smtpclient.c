/* smtpclient.c -- the SMTP/ESMTP/LMTP client of the [IPC] mailers (see smtpclient.h).
 *
 * One transaction per call: MAIL, the RCPTs and DATA sent in one write when the peer
 * offers PIPELINING, else one by one; the message follows the 354 as prepared by the
 * caller.  Replies are read with the Timeout.* limits 8.17 applies to each step.  What the
 * peer says is kept for the caller's log line and queue file: the last line of a reply
 * ("450 4.3.0 Error: command failed"), and an enhanced status taken from the reply, or
 * derived from its code. */
#include "smtpclient.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "conf.h"
#include "dns.h"
#include "macro.h"
#include "mta.h"
#include "xalloc.h"
#include "hoststatus.h"

#define EXT_PIPELINING	0x01
#define EXT_8BITMIME	0x02
#define EXT_SIZE	0x04
#define EXT_DSN		0x08
#define EXT_AUTH	0x10
#define EXT_ENHSC	0x20

struct conn {
	char *key;		/* mailer, host list and port: what the connection serves */
	int fd;
	char *relay;		/* "name. [addr]" */
	char *name;		/* the host as the transcript names it */
	unsigned ext;		/* EXT_* offered in the EHLO reply */
	long maxsize;		/* SIZE n (0: no limit given) */
	bool lmtp;
	time_t lastuse;
	sbuf in;		/* bytes read and not yet consumed */
	size_t inpos;
};

#define MAXCACHE 16
static struct conn *Cache[MAXCACHE];

struct reply {
	int code;		/* 0: no reply (timeout, connection lost) */
	sbuf last;		/* the last line */
	sbuf all;		/* every line (EHLO) */
};

static long timeout_opt(const char *name, long dflt)
{
	const char *v = option_value(name);
	long t;

	if (v == NULL || *v == '\0')
		return dflt;
	t = convtime(v, 's');
	return t > 0 ? t : dflt;
}

static long cache_size(void)
{
	const char *v = option_value("ConnectionCacheSize");
	long n = v != NULL ? atol(v) : 2;
	if (n < 1)
		n = 1;
	return n > MAXCACHE ? MAXCACHE : n;
}

/* ---- the connection's bytes ---- */

static bool wait_fd(int fd, short ev, long secs)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int r;

	do
		r = poll(&p, 1, secs > 0 ? (int)(secs > 2000000 ? 2000000000 : secs * 1000) : -1);
	while (r < 0 && errno == EINTR);
	return r > 0;
}

static bool send_flags(struct conn *c, const char *p, size_t n, long secs, int flags)
{
	while (n > 0) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL | flags);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && wait_fd(c->fd, POLLOUT, secs))
				continue;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static bool send_all(struct conn *c, const char *p, size_t n, long secs)
{
	return send_flags(c, p, n, secs, 0);
}

/* one line (CRLF or LF removed) into line; false on timeout, EOF or error */
static bool read_line(struct conn *c, sbuf *line, long secs)
{
	sb_reset(line);
	for (;;) {
		char *nl = c->inpos < c->in.len ? memchr(c->in.s + c->inpos, '\n', c->in.len - c->inpos)
						 : NULL;
		if (nl != NULL) {
			size_t n = (size_t)(nl - (c->in.s + c->inpos));
			sb_put(line, c->in.s + c->inpos, n);
			if (line->len > 0 && line->s[line->len - 1] == '\r')
				sb_truncate(line, line->len - 1);
			c->inpos += n + 1;
			if (c->inpos == c->in.len) {
				sb_reset(&c->in);
				c->inpos = 0;
			}
			return true;
		}
		if (c->inpos > 0) {
			memmove(c->in.s, c->in.s + c->inpos, c->in.len - c->inpos);
			sb_truncate(&c->in, c->in.len - c->inpos);
			c->inpos = 0;
		}
		if (c->in.len > 65536)
			return false;	/* no line end in 64 KB: not SMTP */
		sb_reserve(&c->in, 4096);
		{
			ssize_t r = recv(c->fd, c->in.s + c->in.len, 4096, 0);
			if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
				if (errno == EAGAIN && !wait_fd(c->fd, POLLIN, secs))
					return false;
				continue;
			}
			if (r <= 0)
				return false;
			c->in.len += (size_t)r;
			c->in.s[c->in.len] = '\0';
		}
	}
}

static void reply_init(struct reply *r)
{
	r->code = 0;
	sb_init(&r->last);
	sb_init(&r->all);
}

static void reply_free(struct reply *r)
{
	sb_free(&r->last);
	sb_free(&r->all);
}

/* a whole (multi-line) reply */
static int read_reply(struct conn *c, struct reply *r, long secs)
{
	sbuf line = SBUF_INIT;

	sb_init(&line);
	r->code = 0;
	sb_reset(&r->all);
	sb_reset(&r->last);
	for (;;) {
		if (!read_line(c, &line, secs)) {
			r->code = 0;
			break;
		}
		sb_put(&r->all, line.s, line.len);
		sb_putc(&r->all, '\n');
		if (line.len < 3 || !isdigit((unsigned char)line.s[0]) ||
		    !isdigit((unsigned char)line.s[1]) || !isdigit((unsigned char)line.s[2])) {
			/* not a reply line: 8.17 calls it a protocol error */
			sb_reset(&r->last);
			sb_printf(&r->last, "554 5.5.2 Protocol error: %s", line.s);
			r->code = 554;
			break;
		}
		if (line.len == 3 || line.s[3] != '-') {
			sb_reset(&r->last);
			sb_put(&r->last, line.s, line.len);
			r->code = atoi(line.s);
			break;
		}
	}
	sb_free(&line);
	return r->code;
}

/* the enhanced status of a reply: the one it gives, else one from its code */
static char *reply_dsn(const struct reply *r)
{
	const char *p = r->last.s;
	if (r->last.len > 4 && (p[4] == '2' || p[4] == '4' || p[4] == '5') && p[5] == '.') {
		size_t n = 4;
		while (p[n] != '\0' && (isdigit((unsigned char)p[n]) || p[n] == '.'))
			n++;
		if (n > 8)
			return xstrndup(p + 4, n - 4);
	}
	if (r->code >= 200 && r->code < 300)
		return xstrdup("2.0.0");
	if (r->code >= 500)
		return xstrdup("5.0.0");
	return xstrdup("4.0.0");
}

static int code_stat(int code)
{
	if (code >= 200 && code < 400)
		return EX_OK;
	if (code >= 500 && code < 600)
		return EX_UNAVAILABLE;
	return EX_TEMPFAIL;
}

/* ---- connections ---- */

static void conn_close(struct conn *c, bool quit)
{
	if (c->fd >= 0) {
		if (quit) {
			struct reply r;
			reply_init(&r);
			if (send_all(c, "QUIT\r\n", 6, 10))
				read_reply(c, &r, timeout_opt("Timeout.quit", 120));
			reply_free(&r);
		}
		close(c->fd);
	}
	free(c->key);
	free(c->relay);
	free(c->name);
	sb_free(&c->in);
	free(c);
}

void smtp_cache_close(long maxidle)
{
	time_t now = time(NULL);
	int i;

	for (i = 0; i < MAXCACHE; i++)
		if (Cache[i] != NULL && (maxidle == 0 || now - Cache[i]->lastuse > maxidle)) {
			conn_close(Cache[i], true);
			Cache[i] = NULL;
		}
}

static void cache_put(struct conn *c)
{
	int i, oldest = -1;
	long max = cache_size(), n = 0;

	c->lastuse = time(NULL);
	for (i = 0; i < MAXCACHE; i++)
		if (Cache[i] != NULL) {
			n++;
			if (oldest < 0 || Cache[i]->lastuse < Cache[oldest]->lastuse)
				oldest = i;
		}
	if (n >= max && oldest >= 0) {
		conn_close(Cache[oldest], true);
		Cache[oldest] = NULL;
	}
	for (i = 0; i < MAXCACHE; i++)
		if (Cache[i] == NULL) {
			Cache[i] = c;
			return;
		}
	conn_close(c, true);
}

/* a cached connection for key that is still open (one the peer closed is dropped) */
static struct conn *cache_get(const char *key)
{
	int i;

	for (i = 0; i < MAXCACHE; i++) {
		struct conn *c = Cache[i];
		struct pollfd p;
		if (c == NULL || strcmp(c->key, key) != 0)
			continue;
		Cache[i] = NULL;
		p.fd = c->fd;
		p.events = POLLIN;
		if (poll(&p, 1, 0) != 0 || c->inpos < c->in.len) {
			conn_close(c, false);	/* closed, or said something unasked (421) */
			continue;
		}
		return c;
	}
	return NULL;
}

/* connect with Timeout.connect (0: the system's limit) */
static int connect_to(const struct sockaddr *sa, socklen_t sl, int *err)
{
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	long t = timeout_opt("Timeout.connect", 0);

	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (connect(fd, sa, sl) != 0) {
		int e = 0;
		socklen_t el = sizeof e;
		if (errno != EINPROGRESS) {
			*err = errno;
			close(fd);
			return -1;
		}
		if (!wait_fd(fd, POLLOUT, t)) {
			*err = ETIMEDOUT;
			close(fd);
			return -1;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0 || e != 0) {
			*err = e != 0 ? e : errno;
			close(fd);
			return -1;
		}
	}
	{
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	}
	return fd;
}

static void parse_ehlo(struct conn *c, const char *all)
{
	const char *l = strchr(all, '\n');	/* the first line is the greeting's echo */

	while (l != NULL && l[1] != '\0') {
		const char *kw = l + 1 + 4, *end = strchr(l + 1, '\n');
		size_t n = end != NULL ? (size_t)(end - kw) : strlen(kw);
		if (end != NULL && end - (l + 1) < 4)
			n = 0;
		if (n >= 10 && strncasecmp(kw, "PIPELINING", 10) == 0)
			c->ext |= EXT_PIPELINING;
		else if (n >= 8 && strncasecmp(kw, "8BITMIME", 8) == 0)
			c->ext |= EXT_8BITMIME;
		else if (n >= 4 && strncasecmp(kw, "SIZE", 4) == 0 && (n == 4 || kw[4] == ' ')) {
			c->ext |= EXT_SIZE;
			c->maxsize = n > 4 ? atol(kw + 5) : 0;
		} else if (n >= 3 && strncasecmp(kw, "DSN", 3) == 0 && (n == 3 || kw[3] == ' '))
			c->ext |= EXT_DSN;
		else if (n >= 4 && strncasecmp(kw, "AUTH", 4) == 0 && (n == 4 || kw[4] == ' ' || kw[4] == '='))
			c->ext |= EXT_AUTH;
		else if (n >= 19 && strncasecmp(kw, "ENHANCEDSTATUSCODES", 19) == 0)
			c->ext |= EXT_ENHSC;
		l = end;
	}
}

/* greeting and EHLO (LHLO for LMTP, HELO when EHLO is refused); false with the reason */
static bool hello(struct conn *c, const char *name, sbuf *why, int *stat)
{
	struct reply r;
	sbuf cmd = SBUF_INIT;
	const char *me = macvalue('j');
	bool ok = false;

	reply_init(&r);
	sb_init(&cmd);
	if (me == NULL)
		me = "localhost";
	if (read_reply(c, &r, timeout_opt("Timeout.initial", 300)) / 100 != 2) {
		if (r.code == 0)
			sb_printf(why, "Connection reset by %s", name);
		else
			sb_printf(why, "%s", r.last.s);
		*stat = EX_TEMPFAIL;
		goto out;
	}
	sb_printf(&cmd, "%s %s\r\n", c->lmtp ? "LHLO" : "EHLO", me);
	if (!send_all(c, cmd.s, cmd.len, timeout_opt("Timeout.helo", 300)) ||
	    read_reply(c, &r, timeout_opt("Timeout.helo", 300)) == 0) {
		sb_printf(why, "Connection reset by %s", name);
		*stat = EX_TEMPFAIL;
		goto out;
	}
	if (r.code / 100 == 2) {
		parse_ehlo(c, r.all.s);
		ok = true;
		goto out;
	}
	if (c->lmtp || r.code / 100 != 5) {
		sb_printf(why, "%s", r.last.s);
		*stat = code_stat(r.code);
		goto out;
	}
	sb_reset(&cmd);
	sb_printf(&cmd, "HELO %s\r\n", me);
	if (!send_all(c, cmd.s, cmd.len, 300) || read_reply(c, &r, timeout_opt("Timeout.helo", 300)) / 100 != 2) {
		sb_printf(why, "%s", r.code ? r.last.s : "Connection reset");
		*stat = r.code ? code_stat(r.code) : EX_TEMPFAIL;
		goto out;
	}
	ok = true;
out:
	reply_free(&r);
	sb_free(&cmd);
	return ok;
}

/* the hosts to try for $h, in order: names (to resolve) or literal addresses */
struct target {
	char *name;		/* as shown in relay= and messages */
	char *lookup;		/* what getaddrinfo resolves */
};

static void add_target(struct target **t, size_t *n, const char *name, const char *lookup)
{
	*t = xreallocarray(*t, size_add(*n, 1), sizeof **t);
	(*t)[*n].name = xstrdup(name);
	(*t)[*n].lookup = xstrdup(lookup);
	(*n)++;
}

/* MX lookup for each element of the host list; permanent and temporary failures in why */
static size_t targets(MAILER *m, const char *hostlist, struct target **t, sbuf *why, int *stat)
{
	size_t n = 0;
	const char *p = hostlist;

	*t = NULL;
	while (*p != '\0') {
		const char *e = p;
		char *h;
		int depth = 0;
		while (*e != '\0' && (depth > 0 || *e != ':')) {
			if (*e == '[')
				depth++;
			else if (*e == ']' && depth > 0)
				depth--;
			e++;
		}
		h = xstrndup(p, (size_t)(e - p));
		p = *e == ':' ? e + 1 : e;
		if (h[0] == '[') {
			size_t hl = strlen(h);
			char *inner = xstrndup(h + 1, hl >= 2 && h[hl - 1] == ']' ? hl - 2 : hl - 1);
			add_target(t, &n, h, strncasecmp(inner, "IPv6:", 5) == 0 ? inner + 5 : inner);
			free(inner);
		} else if (bitnset('0', m->flags)) {
			add_target(t, &n, h, h);
		} else {
			char *mx[MAXMXHOSTS + 1];
			int rcode = EX_OK, k, nmx;
			nmx = getmxrr(h, mx, MAXMXHOSTS, true, &rcode, Scratch);
			if (nmx == NULLMX) {
				sb_reset(why);
				sb_printf(why, "550 5.7.27 %s... Domain does not accept mail", h);
				*stat = EX_UNAVAILABLE;
			} else if (nmx < 0) {
				sb_reset(why);
				if (rcode == EX_CONFIG)
					sb_printf(why, "554 5.3.5 %s. config error: mail loops back to me (MX problem?)", h);
				else
					sb_printf(why, "Deferred: Name server: %s.: host name lookup failure", h);
				*stat = rcode == EX_CONFIG ? EX_CONFIG : EX_TEMPFAIL;
			} else if (nmx == 0) {
				add_target(t, &n, h, h);
			} else {
				for (k = 0; k < nmx; k++) {
					char *l = xstrdup(mx[k]);
					size_t ll = strlen(l);
					if (ll > 1 && l[ll - 1] == '.')
						l[ll - 1] = '\0';
					add_target(t, &n, mx[k], l);
					free(l);
				}
			}
		}
		free(h);
	}
	return n;
}

static const char *port_of(MAILER *m)
{
	if (m->argv != NULL && m->argv[0] != NULL && m->argv[1] != NULL && m->argv[2] != NULL)
		return m->argv[2];
	return "25";
}

/* ---- host status ----
 * As 8.17: what the last connection to a host gave is remembered by the process (and in
 * HostStatusDirectory, shared with the others and kept across runs); a host that failed
 * less than Timeout.hoststatus ago is not tried again, every message for it is deferred
 * with the same text at once. */

struct hstat {
	char *host;
	struct hoststatus hs;
};
static struct hstat *HStat;
static size_t NHStat;

static struct hoststatus *hs_mem(const char *host, bool create)
{
	size_t i;

	for (i = 0; i < NHStat; i++)
		if (strcasecmp(HStat[i].host, host) == 0)
			return &HStat[i].hs;
	if (!create)
		return NULL;
	HStat = xreallocarray(HStat, NHStat + 1, sizeof *HStat);
	HStat[NHStat].host = xstrdup(host);
	memset(&HStat[NHStat].hs, 0, sizeof HStat[NHStat].hs);
	return &HStat[NHStat++].hs;
}

/* the status of host if it failed recently enough to leave it alone, else NULL */
static const struct hoststatus *host_down(const char *host)
{
	struct hoststatus *hs = hs_mem(host, false), file;
	time_t now = time(NULL);
	long fresh = timeout_seconds("hoststatus", 30 * 60);

	if (hs == NULL && hoststatus_read(host, &file)) {
		hs = hs_mem(host, true);
		*hs = file;
	}
	if (hs == NULL || hs->exitstat == EX_OK || now - hs->lastuse >= fresh)
		return NULL;
	return hs;
}

static void host_record(const char *host, int err, int stat, const char *dsn, const char *rstatus)
{
	struct hoststatus *hs = hs_mem(host, true);

	hoststatus_free(hs);
	hs->err = err;
	hs->exitstat = stat;
	hs->dsn = dsn != NULL ? xstrdup(dsn) : NULL;
	hs->rstatus = rstatus != NULL ? xstrdup(rstatus) : NULL;
	hs->lastuse = time(NULL);
	hoststatus_write(host, hs);
}

/* the deferral text of a failed connection, as 8.17 words it */
static void connect_failure(sbuf *why, int err, const char *host)
{
	sb_reset(why);
	if (err == ECONNREFUSED)
		sb_printf(why, "Deferred: Connection refused by %s", host);
	else if (err == ETIMEDOUT)
		sb_printf(why, "Deferred: Connection timed out with %s", host);
	else if (err != 0)
		sb_printf(why, "Deferred: %s by %s", strerror(err), host);
	else
		sb_puts(why, "Deferred");
}

/* a new connection to the first host of the list that answers */
static struct conn *open_conn(struct smtp_job *j, const char *key, sbuf *why, int *stat)
{
	struct target *t = NULL;
	size_t nt, i;
	struct conn *c = NULL;
	sbuf port = SBUF_INIT;

	sb_init(&port);
	expand(port_of(j->m), &port);
	*stat = EX_TEMPFAIL;
	nt = targets(j->m, j->host, &t, why, stat);
	for (i = 0; i < nt && c == NULL; i++) {
		struct addrinfo hints, *res = NULL, *ai;
		int rc;
		const struct hoststatus *down = host_down(t[i].name);
		if (down != NULL) {
			if (down->err == 0 && down->rstatus != NULL) {
				sb_reset(why);
				sb_printf(why, "Deferred: %s", down->rstatus);
			} else
				connect_failure(why, down->err, t[i].name);
			*stat = down->exitstat;
			continue;
		}
		memset(&hints, 0, sizeof hints);
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_NUMERICSERV;
		rc = getaddrinfo(t[i].lookup, port.s, &hints, &res);
		if (rc != 0) {
			sb_reset(why);
			if (rc == EAI_NONAME || rc == EAI_NODATA) {
				sb_printf(why, "%s 5.1.2 %s... Host unknown (Name server: %s: host not found)",
					  "550", t[i].name, t[i].name);
				if (nt == 1)
					*stat = EX_NOHOST;
			} else
				sb_printf(why, "Deferred: Name server: %s: host name lookup failure",
					  t[i].name);
			continue;
		}
		for (ai = res; ai != NULL && c == NULL; ai = ai->ai_next) {
			int err = 0, fd = connect_to(ai->ai_addr, ai->ai_addrlen, &err);
			char abuf[INET6_ADDRSTRLEN + 8];
			struct conn *nc;
			if (ai->ai_family == AF_INET6) {
				strcpy(abuf, "IPv6:");
				inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr,
					  abuf + 5, sizeof abuf - 5);
			} else
				inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, abuf,
					  sizeof abuf);
			if (fd < 0) {
				connect_failure(why, err, t[i].name);
				host_record(t[i].name, err, EX_TEMPFAIL, "4.4.1", NULL);
				*stat = EX_TEMPFAIL;
				continue;
			}
			nc = xcalloc(1, sizeof *nc);
			nc->fd = fd;
			nc->key = xstrdup(key);
			nc->lmtp = bitnset('z', j->m->flags);
			sb_init(&nc->in);
			{
				sbuf rl = SBUF_INIT;
				sb_init(&rl);
				sb_printf(&rl, "%s [%s]", t[i].name, abuf);
				nc->relay = sb_steal(&rl);
				nc->name = xstrdup(t[i].name);
			}
			sb_reset(why);
			if (!hello(nc, t[i].name, why, stat)) {
				conn_close(nc, false);
				continue;
			}
			c = nc;
		}
		freeaddrinfo(res);
	}
	for (i = 0; i < nt; i++) {
		free(t[i].name);
		free(t[i].lookup);
	}
	free(t);
	sb_free(&port);
	if (c == NULL && why->len == 0) {
		sb_printf(why, "Deferred: no usable host for %s", j->host);
		*stat = EX_TEMPFAIL;
	}
	return c;
}

static void set_result(struct smtp_rcpt *r, int stat, const char *dsn, const char *text)
{
	free(r->dsn);
	free(r->text);
	r->stat = stat;
	r->dsn = xstrdup(dsn);
	r->text = xstrdup(text);
}

static void set_from_reply(struct smtp_rcpt *r, const struct reply *rp)
{
	char *d = reply_dsn(rp);
	set_result(r, code_stat(rp->code), d, rp->last.s);
	free(d);
}

/* RCPT refusals: 550, 551 and 553 name an unknown user for 8.17 */
static void set_from_rcpt_reply(struct smtp_rcpt *r, const struct reply *rp)
{
	set_from_reply(r, rp);
	if (rp->code == 550 || rp->code == 551 || rp->code == 553)
		r->stat = EX_NOUSER;
	free(r->rcptreply);
	r->rcptreply = xstrdup(rp->last.s);
}

/* 8.17's transcript of a refused command: the host once, the last command sent (with
 * pipelining, the last of the batch), every line of the reply */
static void xs_reply(struct conn *c, struct smtp_job *j, sbuf *lastcmd, const struct reply *r)
{
	const char *p, *nl;

	if (j->xs == NULL || r->code < 400)
		return;
	if (!j->xsintro) {
		sb_printf(j->xs, "... while talking to %s:\n", c->name != NULL ? c->name : j->host);
		j->xsintro = true;
	}
	if (lastcmd->len > 0) {
		sb_printf(j->xs, ">>> %s\n", lastcmd->s);
		sb_reset(lastcmd);
	}
	for (p = r->all.s; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p) - 1;
		sb_puts(j->xs, "<<< ");
		sb_put(j->xs, p, (size_t)(nl - p));
		sb_putc(j->xs, '\n');
	}
}

/* the transcript line of a recipient the host refused */
static void xs_rcpt(struct smtp_job *j, struct smtp_rcpt *r)
{
	const char *who = r->paddr != NULL ? r->paddr : r->addr;

	if (j->xs == NULL || r->noted || r->stat == EX_OK)
		return;
	r->noted = true;
	if (r->stat == EX_TEMPFAIL)
		sb_printf(j->xs, "%s... %s%s\n", who, strncmp(r->text, "Deferred", 8) ? "Deferred: " : "",
			  r->text);
	else if (r->stat == EX_NOUSER)
		sb_printf(j->xs, "550 %s %s... User unknown\n", r->dsn, who);
	else
		sb_printf(j->xs, "554 %s %s... Service unavailable\n", r->dsn, who);
}

/* a refusal of the message itself (DATA, or the reply after it) for the accepted recipients:
 * 8.17 reports it once, with the generic status of the failure */
static void data_refused(struct smtp_job *j, const struct reply *r)
{
	size_t i;
	bool perm = r->code >= 500, any = false;

	for (i = 0; i < j->nr; i++) {
		if (j->r[i].stat != EX_OK)
			continue;
		set_from_reply(&j->r[i], r);
		if (perm) {
			free(j->r[i].dsn);
			j->r[i].dsn = xstrdup("5.0.0");
			j->r[i].noted = true;
			any = true;
		} else
			xs_rcpt(j, &j->r[i]);
	}
	if (any && j->xs != NULL)
		sb_puts(j->xs, "554 5.0.0 Service unavailable\n");
}

/* one transaction on an open connection; false if the connection broke before anything
 * was said about any recipient (the caller may retry on a fresh one) */
static bool transaction(struct conn *c, struct smtp_job *j, bool *broken)
{
	sbuf cmd = SBUF_INIT, last = SBUF_INIT;
	struct reply r;
	size_t i, naccepted = 0;
	int mailcode = 0, datacode = 0;
	bool pipe = (c->ext & EXT_PIPELINING) != 0, ok = true;
	long tmail = timeout_opt("Timeout.mail", 600), trcpt = timeout_opt("Timeout.rcpt", 3600);
	const sbuf *data = !(c->ext & EXT_8BITMIME) && j->data7 != NULL ? j->data7 : j->data;
	long size = (long)data->len;

	*broken = false;
	sb_init(&cmd);
	sb_init(&last);
	reply_init(&r);
	j->peerdsn = (c->ext & EXT_DSN) != 0;
	if ((c->ext & EXT_SIZE) && c->maxsize > 0 && size > c->maxsize) {
		sb_printf(&cmd, "552 5.2.3 Message is too large; %ld bytes max", c->maxsize);
		for (i = 0; i < j->nr; i++)
			set_result(&j->r[i], EX_UNAVAILABLE, "5.2.3", cmd.s);
		goto out;
	}
	sb_printf(&cmd, "MAIL From:<%s>", j->sender);
	if (c->ext & EXT_SIZE)
		sb_printf(&cmd, " SIZE=%ld", size);
	if ((c->ext & EXT_8BITMIME) && j->body8bitmime)
		sb_puts(&cmd, " BODY=8BITMIME");
	if (c->ext & EXT_DSN) {
		if (j->ret != NULL)
			sb_printf(&cmd, " RET=%s", j->ret);
		if (j->envid != NULL)
			sb_printf(&cmd, " ENVID=%s", j->envid);
	}
	if ((c->ext & EXT_AUTH) && j->auth != NULL)
		sb_printf(&cmd, " AUTH=%s", j->auth);
	sb_reset(&last);
	sb_puts(&last, cmd.s);
	sb_puts(&cmd, "\r\n");
	if (!pipe) {
		if (!send_all(c, cmd.s, cmd.len, tmail) || (mailcode = read_reply(c, &r, tmail)) == 0) {
			*broken = true;
			ok = false;
			goto out;
		}
		sb_reset(&cmd);
		xs_reply(c, j, &last, &r);
		if (mailcode / 100 != 2) {
			for (i = 0; i < j->nr; i++) {
				set_from_reply(&j->r[i], &r);
				xs_rcpt(j, &j->r[i]);
			}
			goto rset;
		}
	}
	for (i = 0; i < j->nr; i++) {
		size_t at = cmd.len;
		sb_printf(&cmd, "RCPT To:<%s>", j->r[i].addr);
		if (c->ext & EXT_DSN) {
			if (j->r[i].notify != NULL)
				sb_printf(&cmd, " NOTIFY=%s", j->r[i].notify);
			if (j->r[i].orcpt != NULL)
				sb_printf(&cmd, " ORCPT=%s", j->r[i].orcpt);
		}
		sb_reset(&last);
		sb_puts(&last, cmd.s + at);
		sb_puts(&cmd, "\r\n");
		if (!pipe) {
			if (!send_all(c, cmd.s, cmd.len, trcpt) || read_reply(c, &r, trcpt) == 0) {
				*broken = naccepted == 0 && i == 0;
				ok = false;
				goto lost;
			}
			sb_reset(&cmd);
			xs_reply(c, j, &last, &r);
			set_from_rcpt_reply(&j->r[i], &r);
			xs_rcpt(j, &j->r[i]);
			if (r.code / 100 == 2)
				naccepted++;
		}
	}
	if (pipe) {
		sb_puts(&cmd, "DATA\r\n");
		sb_reset(&last);
		sb_puts(&last, "DATA");
		if (!send_all(c, cmd.s, cmd.len, tmail) || (mailcode = read_reply(c, &r, tmail)) == 0) {
			*broken = true;
			ok = false;
			goto out;
		}
		xs_reply(c, j, &last, &r);
		if (mailcode / 100 != 2)
			for (i = 0; i < j->nr; i++) {
				set_from_reply(&j->r[i], &r);
				xs_rcpt(j, &j->r[i]);
			}
		for (i = 0; i < j->nr; i++) {
			if (read_reply(c, &r, trcpt) == 0) {
				ok = false;
				goto lost;
			}
			xs_reply(c, j, &last, &r);
			if (mailcode / 100 == 2) {
				set_from_rcpt_reply(&j->r[i], &r);
				xs_rcpt(j, &j->r[i]);
				if (r.code / 100 == 2)
					naccepted++;
			}
		}
		datacode = read_reply(c, &r, timeout_opt("Timeout.datainit", 300));
		if (datacode != 354 && naccepted == 0)
			xs_reply(c, j, &last, &r);
	} else if (naccepted > 0) {
		sb_reset(&last);
		sb_puts(&last, "DATA");
		if (!send_all(c, "DATA\r\n", 6, 300) ||
		    (datacode = read_reply(c, &r, timeout_opt("Timeout.datainit", 300))) == 0) {
			ok = false;
			goto lost;
		}
	} else
		goto rset;
	if (datacode == 0) {
		ok = false;
		goto lost;
	}
	if (datacode != 354) {
		if (naccepted > 0) {
			xs_reply(c, j, &last, &r);
			data_refused(j, &r);
		}
		goto rset;
	}
	if (naccepted == 0) {
		/* a 354 after no recipient: end the empty message, then forget it */
		if (!send_all(c, ".\r\n", 3, 300) || read_reply(c, &r, 300) == 0)
			ok = false;
		goto rset;
	}
	/* MSG_MORE: the body's last bytes and the final dot leave in one segment */
	if (!send_flags(c, data->s, data->len, timeout_opt("Timeout.datablock", 3600), MSG_MORE) ||
	    !send_all(c, ".\r\n", 3, timeout_opt("Timeout.datablock", 3600))) {
		ok = false;
		goto lost;
	}
	if (c->lmtp) {
		for (i = 0; i < j->nr; i++) {
			if (j->r[i].stat != EX_OK)
				continue;
			if (read_reply(c, &r, timeout_opt("Timeout.datafinal", 3600)) == 0) {
				ok = false;
				goto lost;
			}
			xs_reply(c, j, &last, &r);
			set_from_reply(&j->r[i], &r);
			xs_rcpt(j, &j->r[i]);
		}
	} else {
		if (read_reply(c, &r, timeout_opt("Timeout.datafinal", 3600)) == 0) {
			ok = false;
			goto lost;
		}
		xs_reply(c, j, &last, &r);
		if (r.code / 100 != 2)
			data_refused(j, &r);
		else
			for (i = 0; i < j->nr; i++)
				if (j->r[i].stat == EX_OK)
					set_from_reply(&j->r[i], &r);
	}
	goto out;

rset:
	if (ok && (!send_all(c, "RSET\r\n", 6, 300) || read_reply(c, &r, timeout_opt("Timeout.rset", 300)) / 100 != 2))
		ok = false;
	goto out;
lost:
	/* the connection broke in the middle: nothing is known to be delivered */
	for (i = 0; i < j->nr; i++)
		if (j->r[i].stat == EX_OK || j->r[i].text == NULL) {
			sbuf t = SBUF_INIT;
			sb_init(&t);
			sb_printf(&t, "Deferred: Connection reset by %s", c->relay);
			set_result(&j->r[i], EX_TEMPFAIL, "4.4.2", t.s);
			sb_free(&t);
		}
out:
	reply_free(&r);
	sb_free(&cmd);
	sb_free(&last);
	return ok;
}

int smtp_deliver(struct smtp_job *j)
{
	sbuf key = SBUF_INIT, why = SBUF_INIT;
	struct conn *c;
	size_t i;
	int stat = EX_TEMPFAIL, tries;

	sb_init(&key);
	sb_init(&why);
	sb_printf(&key, "%s|%s|%s", j->m->name, j->host, port_of(j->m));
	for (i = 0; i < j->nr; i++) {
		j->r[i].stat = EX_TEMPFAIL;
		j->r[i].dsn = NULL;
		j->r[i].text = NULL;
		j->r[i].rcptreply = NULL;
		j->r[i].noted = false;
	}
	for (tries = 0; tries < 2; tries++) {
		bool broken = false, fresh = false, ok;
		c = cache_get(key.s);
		if (c == NULL) {
			c = open_conn(j, key.s, &why, &stat);
			fresh = true;
		}
		if (c == NULL) {
			char dsn[8];
			bool perm = stat != EX_TEMPFAIL && stat != EX_OK;
			snprintf(dsn, sizeof dsn, "%s", perm ? "5.1.2" : "4.4.1");
			if (perm && why.len > 8 && why.s[3] == ' ' && why.s[5] == '.') {
				size_t n = strcspn(why.s + 4, " ");
				if (n < sizeof dsn)
					snprintf(dsn, sizeof dsn, "%.*s", (int)n, why.s + 4);
			}
			for (i = 0; i < j->nr; i++)
				set_result(&j->r[i], perm ? stat : EX_TEMPFAIL, dsn, why.s);
			break;
		}
		free(j->relay);
		j->relay = xstrdup(c->relay);
		ok = transaction(c, j, &broken);
		for (i = 0; ok && i < j->nr; i++)
			if (j->r[i].stat == EX_OK) {
				host_record(c->name, 0, EX_OK, j->r[i].dsn, j->r[i].text);
				break;
			}
		if (ok)
			cache_put(c);
		else
			conn_close(c, false);
		if (ok || !broken || fresh)
			break;
		/* a cached connection that died under us: once more on a new one */
	}
	stat = j->nr > 0 ? j->r[0].stat : EX_OK;
	for (i = 0; i < j->nr; i++)
		if (j->r[i].stat == EX_OK) {
			stat = EX_OK;
			break;
		}
	sb_free(&key);
	sb_free(&why);
	return stat;
}

void smtp_job_free(struct smtp_job *j)
{
	size_t i;

	for (i = 0; i < j->nr; i++) {
		free(j->r[i].dsn);
		free(j->r[i].text);
		free(j->r[i].rcptreply);
		j->r[i].dsn = j->r[i].text = j->r[i].rcptreply = NULL;
	}
	free(j->relay);
	j->relay = NULL;
}
