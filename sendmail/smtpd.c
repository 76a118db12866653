/* smtpd.c -- the server side of one SMTP session (see smtpd.h).
 *
 * Replies, their codes, enhanced codes and texts are 8.17's, as observed by running it.
 * Input is read through a buffered reader of our own over the fd (lines of any length, with
 * a cap so a client cannot make us hold unbounded text); replies are collected and written
 * when we are about to wait for input, so pipelined commands get their replies in one
 * write, as 8.17 does. */
#include "smtpd.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <limits.h>
#include <sys/random.h>
#include "address.h"
#include "collect.h"
#include "conf.h"
#include "deliver.h"
#include "headers.h"
#include "log.h"
#include "macro.h"
#include "mailer.h"
#include "map.h"
#include "queue.h"
#include "rewrite.h"
#include "token.h"
#include "xalloc.h"

#define MAXCMDLINE	2046	/* 8.17: a longer command line ends the session ("Command too long") */
#define MAXREADLINE	12287	/* ... after reading at most this much of it (logged as read) */
#define MAXBADCOMMANDS	25	/* unrecognized commands allowed before 421 */

/* what reading a line gave */
enum rl { RL_LINE, RL_EOF, RL_TIMEOUT, RL_TOOLONG };

struct reader {
	int fd;
	char *buf;
	size_t len, pos, cap;
	bool eof;
};

struct rcpt {
	char *paddr;		/* as given */
	char *mailer, *host, *user;
	unsigned notify;	/* QR_HASNOTIFY|QR_NOTIFY_* from NOTIFY=, 0 if not given */
	char *orcpt;		/* ORCPT= as given, or NULL */
};

struct session {
	struct reader in;
	int outfd;
	sbuf out;
	const struct smtp_client *c;
	bool gothelo, esmtp, verbose;
	char *helo;
	/* transaction */
	bool gotmail;
	char *sender;		/* as given, angle brackets included */
	char *bodytype;
	char *envid;
	bool ret_hdrs, ret_given;
	struct rcpt *rcpts;
	size_t nrcpts;
	size_t nbadrcpts;
	size_t naccepted;	/* RCPTs answered 250, duplicates included */
	char *statmsg;		/* the last error of the transaction (mailq shows it) */
	bool discard;
	bool replied;		/* usrerr answered the command */
	long maxsize;
	long maxrcpts;
	unsigned privacy;
	char *client;		/* "name [addr]" or "user@localhost" */
	/* the log (8.17's lines) */
	char *id;		/* the queue id lines are logged under; the next message's */
	char *realhost;		/* "name" or "[addr]" */
	char *logfrom;		/* MAIL's address once parsed: a from= line is owed */
	bool didmail;		/* MAIL, EXPN, VRFY or ETRN was issued */
	bool rejected;		/* every command but QUIT refused (check_relay, early talker) */
	bool earlytalker;	/* ... for talking before HELO's reply: NOOP, RSET, EHLO served */
	const char *lastcmd;	/* for "lost input channel ... after <cmd>" */
	long declsize;		/* MAIL's SIZE= */
	int nbadcmds;
	long cmdtimeout, datatimeout;
	size_t toolong;		/* bytes read of a command line over MAXCMDLINE */
	bool closing;		/* the session ends after this command */
};

#define PRIV_NEEDMAILHELO	0x0001
#define PRIV_NEEDEXPNHELO	0x0002
#define PRIV_NEEDVRFYHELO	0x0004
#define PRIV_NOEXPN		0x0008
#define PRIV_NOVRFY		0x0010
#define PRIV_NOVERB		0x0020
#define PRIV_NOETRN		0x0040
#define PRIV_NORECEIPTS		0x0080
#define PRIV_NOBODYRETN		0x0100

static struct session *Cur;

/* ---- input ---- */

static void flush_out(struct session *s)
{
	size_t off = 0;

	while (off < s->out.len) {
		ssize_t n = write(s->outfd, s->out.s + off, s->out.len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)n;
	}
	sb_reset(&s->out);
}

/* More input: 1, or 0 at its end, or -1 when timeout seconds (0: none) pass without any. */
static int fill(struct session *s, long timeout)
{
	struct reader *r = &s->in;
	ssize_t n;

	if (r->eof)
		return 0;
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->cap - r->len < 4096) {
		r->cap = size_add(r->cap, 65536);
		r->buf = xrealloc(r->buf, r->cap);
	}
	flush_out(s);
	if (timeout > 0) {
		struct pollfd p = { .fd = r->fd, .events = POLLIN };
		int ms = timeout > INT_MAX / 1000 ? INT_MAX : (int)(timeout * 1000), pr;
		do
			pr = poll(&p, 1, ms);
		while (pr < 0 && errno == EINTR);
		if (pr == 0)
			return -1;
	}
	do
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		r->eof = true;
		return 0;
	}
	r->len += (size_t)n;
	return 1;
}

/* Input already waiting, or its end: 8.17 refuses a client that talks before our HELO/EHLO
 * reply (pipelining is only allowed after EHLO's answer). */
static bool input_pending(struct session *s)
{
	struct pollfd p = { .fd = s->in.fd, .events = POLLIN };

	if (s->in.pos < s->in.len || s->in.eof)
		return true;
	return poll(&p, 1, 0) > 0;
}

/* One line (without its LF and a CR before it).  *bare gets 1 for a line ended by LF
 * alone, 2 for a bare CR inside.  max > 0 (commands): a line longer than that is read up to
 * its end or MAXREADLINE bytes and RL_TOOLONG returned, s->toolong holding what was read.
 * RL_EOF at end of input with nothing read (a last line without LF is a line). */
static enum rl getline_smtp(struct session *s, sbuf *line, int *bare, size_t max, long timeout)
{
	struct reader *r = &s->in;
	bool got = false;
	size_t nread = 0;

	sb_reset(line);
	*bare = 0;
	for (;;) {
		char *nl;
		size_t avail;

		if (r->pos >= r->len) {
			int f = fill(s, timeout);
			if (f < 0)
				return RL_TIMEOUT;
			if (f == 0)
				return got && (max == 0 || nread <= max) ? RL_LINE : RL_EOF;
		}
		got = true;
		avail = r->len - r->pos;
		nl = memchr(r->buf + r->pos, '\n', avail);
		if (max > 0) {
			size_t take = nl != NULL ? (size_t)(nl - (r->buf + r->pos)) + 1 : avail;
			if (nread + take > MAXREADLINE)
				take = MAXREADLINE - nread;
			if (nread + take > max + 2 || (nl == NULL && nread + take > max + 1)) {
				nread += take;
				r->pos += take;
				if (nread >= MAXREADLINE || (nl != NULL && r->buf[r->pos - 1] == '\n')) {
					s->toolong = nread;
					return RL_TOOLONG;
				}
				continue;
			}
		}
		if (nl == NULL) {
			sb_put(line, r->buf + r->pos, avail);
			nread += avail;
			r->pos = r->len;
			continue;
		}
		sb_put(line, r->buf + r->pos, (size_t)(nl - (r->buf + r->pos)));
		nread += (size_t)(nl - (r->buf + r->pos)) + 1;
		r->pos = (size_t)(nl - r->buf) + 1;
		if (line->len > 0 && line->s[line->len - 1] == '\r')
			sb_truncate(line, line->len - 1);
		else
			*bare = 1;
		if (*bare == 0 && memchr(line->s, '\r', line->len) != NULL)
			*bare = 2;
		return RL_LINE;
	}
}

/* ---- output ---- */

static void reply(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reply(struct session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(&s->out, fmt, ap);
	va_end(ap);
	sb_puts(&s->out, "\r\n");
	s->replied = true;
}

/* usrerr from the engine (address parsing, $#error) becomes the command's reply */
static void smtp_usrerr(const char *code, const char *enh, const char *text)
{
	struct session *s = Cur;

	if (s == NULL)
		return;
	if (code[0] == '\0' || code[0] == '0') {
		if (s->verbose)
			reply(s, "050 %s", text);
		return;
	}
	if (enh[0] == '\0')
		enh = code[0] == '5' ? "5.0.0" : code[0] == '4' ? "4.0.0" : "2.0.0";
	if (code[0] == '4' || code[0] == '5') {
		free(s->statmsg);
		s->statmsg = xstrdup(text);
	}
	reply(s, "%s %s %s", code, enh, text);
}

/* ---- the log ---- */

static void new_id(struct session *s)
{
	sbuf id = SBUF_INIT;

	sb_init(&id);
	queue_newid(&id);
	free(s->id);
	s->id = sb_steal(&id);
}

/* the last reply line collected, without its CRLF */
static void last_reply(struct session *s, sbuf *out)
{
	size_t end = s->out.len, start;

	while (end > 0 && (s->out.s[end - 1] == '\n' || s->out.s[end - 1] == '\r'))
		end--;
	for (start = end; start > 0 && s->out.s[start - 1] != '\n'; start--)
		;
	sb_reset(out);
	sb_put(out, s->out.s + start, end - start);
}

/* 8.17 logs some refusals by their text alone ("<addr>... why", "Bad argument ..."): the
 * reply just given, if its code starts with prefix, without its codes */
static void log_refusal(struct session *s, const char *prefix)
{
	sbuf r = SBUF_INIT;
	const char *t;

	if (LogLevel <= 3)
		return;
	sb_init(&r);
	last_reply(s, &r);
	t = r.s;
	if (strncmp(t, prefix, strlen(prefix)) == 0) {
		t += strcspn(t, " ");
		t += strspn(t, " ");
		if (isdigit((unsigned char)t[0]) && t[1] == '.')
			t += strcspn(t, " "), t += strspn(t, " ");
		sm_syslog(LOG_NOTICE, s->id, "%s", t);
	}
	sb_free(&r);
}

/* a policy ruleset's rejection, with the reply just given */
static void log_reject(struct session *s, const char *rsname, const char *p1, const char *p2)
{
	sbuf r = SBUF_INIT;

	if (LogLevel <= 3)
		return;
	sb_init(&r);
	last_reply(s, &r);
	if (p2 != NULL)
		sm_syslog(LOG_NOTICE, s->id, "ruleset=%s, arg1=%s, arg2=%s, relay=%s, reject=%s",
			  rsname, p1, p2, s->client, r.s);
	else
		sm_syslog(LOG_NOTICE, s->id, "ruleset=%s, arg1=%s, relay=%s, reject=%s", rsname, p1,
			  s->client, r.s);
	sb_free(&r);
}

/* 8.17's line for a transaction's sender, owed once MAIL's address was parsed: logged when
 * the message is taken (with its msgid) or the transaction ends; the session's next lines
 * go under a new id. */
static void log_from(struct session *s, long size, int class, const char *msgid)
{
	sbuf b = SBUF_INIT;
	const char *dn = s->c != NULL && s->c->daemon ? s->c->daemon_name : NULL;

	if (s->logfrom == NULL)
		return;
	if (LogLevel > 4) {
		sb_init(&b);
		sb_printf(&b, "from=%s, size=%ld, class=%d, nrcpts=%zu", s->logfrom, size, class,
			  s->nrcpts);
		if (msgid != NULL)
			sb_printf(&b, ", msgid=%s", msgid);
		if (s->bodytype != NULL)
			sb_printf(&b, ", bodytype=%s", s->bodytype);
		if (s->gothelo)
			sb_printf(&b, ", proto=%s", s->esmtp ? "ESMTP" : "SMTP");
		if (dn != NULL && *dn != '\0')
			sb_printf(&b, ", daemon=%s", dn);
		sb_printf(&b, ", relay=%s", s->client);
		sm_syslog(LOG_INFO, s->id, "%s", b.s);
		sb_free(&b);
	}
	free(s->logfrom);
	s->logfrom = NULL;
	new_id(s);
}

/* ---- policy rulesets ---- */

static int find_ruleset(const char *name)
{
	int i;

	for (i = 0; i < MAXRWSETS; i++)
		if (RuleSetNames[i] != NULL && strcasecmp(RuleSetNames[i], name) == 0)
			return i;
	return -1;
}

/* Run the named ruleset on "p1" or "p1 $| p2".  An $#error result is answered (true);
 * $#discard sets the transaction's discard flag. */
static bool rscheck(struct session *s, const char *rsname, const char *p1, const char *p2,
		    const char *addr)
{
	char *pvbuf[MAXATOM + 1], **pvp;
	sbuf b = SBUF_INIT;
	int rs = find_ruleset(rsname), st;
	bool answered = false;

	if (rs < 0 || RewriteRules[rs] == NULL)
		return false;
	sb_init(&b);
	sb_puts(&b, p1);
	if (p2 != NULL) {
		sb_puts(&b, " ");
		sb_putc(&b, CONDELSE);
		sb_puts(&b, " ");
		sb_puts(&b, p2);
	}
	CurAddr = addr;
	pvp = prescan(b.s, '\0', pvbuf, Scratch, NULL, TT_INTERNAL, false);
	sb_free(&b);
	if (pvp == NULL)
		return false;
	st = rewrite(pvp, rs, 0, MAXATOM);
	if (pvp[0] != NULL && (unsigned char)pvp[0][0] == CANONNET && pvp[1] != NULL) {
		if (strcasecmp(pvp[1], "error") == 0) {
			ADDRESS a;
			s->replied = false;
			CurAddr = addr;
			buildaddr(pvp, &a, RF_COPYNONE);
			if (!s->replied)
				reply(s, "553 5.3.0 %s... Rejected", addr);
			log_reject(s, rsname, p1, p2);
			answered = true;
		} else if (strcasecmp(pvp[1], "discard") == 0)
			s->discard = true;
	} else if (st == EX_TEMPFAIL) {
		reply(s, "451 4.3.0 Temporary system failure. Please try again later.");
		log_reject(s, rsname, p1, p2);
		answered = true;
	}
	CurAddr = NULL;
	return answered;
}

/* ---- helpers ---- */

static void setmac(const char *name, const char *value)
{
	macdefine(macid(name), value);
}

static unsigned privacy_flags(void)
{
	static const struct { const char *w; unsigned f; } words[] = {
		{ "public", 0 }, { "needmailhelo", PRIV_NEEDMAILHELO },
		{ "needexpnhelo", PRIV_NEEDEXPNHELO }, { "needvrfyhelo", PRIV_NEEDVRFYHELO },
		{ "noexpn", PRIV_NOEXPN }, { "novrfy", PRIV_NOVRFY }, { "noverb", PRIV_NOVERB },
		{ "noetrn", PRIV_NOETRN }, { "noreceipts", PRIV_NORECEIPTS },
		{ "nobodyreturn", PRIV_NOBODYRETN },
		{ "goaway", PRIV_NEEDMAILHELO | PRIV_NEEDEXPNHELO | PRIV_NEEDVRFYHELO | PRIV_NOEXPN |
			    PRIV_NOVRFY | PRIV_NOVERB | PRIV_NOETRN | PRIV_NORECEIPTS | PRIV_NOBODYRETN },
	};
	const char *v = option_value("PrivacyOptions");
	unsigned f = 0;
	char *copy, *w, *save;
	size_t i;

	if (v == NULL)
		return 0;
	copy = xstrdup(v);
	for (w = strtok_r(copy, " \t,", &save); w != NULL; w = strtok_r(NULL, " \t,", &save))
		for (i = 0; i < sizeof words / sizeof words[0]; i++)
			if (strcasecmp(w, words[i].w) == 0)
				f |= words[i].f;
	free(copy);
	return f;
}

static bool option_bool(const char *name)
{
	const char *v = option_value(name);
	return v != NULL && (*v == '\0' || strchr("TtYy", *v) != NULL);
}

static long option_long(const char *name, long dflt)
{
	const char *v = option_value(name);
	return v != NULL && *v != '\0' ? strtol(v, NULL, 10) : dflt;
}

static void arpadate(time_t t, char *buf, size_t n)
{
	struct tm tm;
	localtime_r(&t, &tm);
	if (tm.tm_gmtoff == 0)
		strftime(buf, n, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	else
		strftime(buf, n, "%a, %d %b %Y %H:%M:%S %z (%Z)", &tm);
}

static void reset_transaction(struct session *s)
{
	size_t i;

	log_from(s, s->declsize, 0, NULL);
	s->declsize = 0;
	for (i = 0; i < s->nrcpts; i++) {
		free(s->rcpts[i].paddr);
		free(s->rcpts[i].mailer);
		free(s->rcpts[i].host);
		free(s->rcpts[i].user);
		free(s->rcpts[i].orcpt);
	}
	free(s->rcpts);
	s->rcpts = NULL;
	s->nrcpts = 0;
	s->nbadrcpts = 0;
	s->naccepted = 0;
	free(s->sender);
	s->sender = NULL;
	free(s->bodytype);
	s->bodytype = NULL;
	free(s->envid);
	s->envid = NULL;
	free(s->statmsg);
	s->statmsg = NULL;
	s->gotmail = false;
	s->discard = false;
	s->ret_given = s->ret_hdrs = false;
	setmac("{mail_addr}", NULL);
	setmac("{mail_host}", NULL);
	setmac("{mail_mailer}", NULL);
	setmac("{rcpt_addr}", NULL);
	setmac("{rcpt_host}", NULL);
	setmac("{rcpt_mailer}", NULL);
	setmac("{nrcpts}", "0");
	setmac("{nbadrcpts}", "0");
}

/* "FROM:" / "TO:" at p (case-insensitive, spaces allowed after the colon); the address
 * text after it, or NULL */
static char *skip_word(char *p, const char *kw)
{
	size_t n = strlen(kw);

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncasecmp(p, kw, n) != 0)
		return NULL;
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* the address text: "<...>" to its closing bracket (quotes respected), else to a space */
static size_t addr_len(const char *p)
{
	size_t i = 0;
	bool q = false;
	int depth = 0;

	for (; p[i] != '\0'; i++) {
		if (p[i] == '\\' && p[i + 1] != '\0') {
			i++;
			continue;
		}
		if (p[i] == '"')
			q = !q;
		else if (!q && p[i] == '<')
			depth++;
		else if (!q && p[i] == '>' && depth > 0) {
			if (--depth == 0)
				return i + 1;
		} else if (!q && depth == 0 && (p[i] == ' ' || p[i] == '\t'))
			return i;
	}
	return i;
}

/* ---- commands ---- */

static void cmd_helo(struct session *s, char *arg, bool ehlo)
{
	const char *j = macvalue('j');

	while (*arg == ' ')
		arg++;
	if (*arg == '\0') {
		reply(s, "501 5.0.0 %s requires domain address", ehlo ? "EHLO" : "HELO");
		return;
	}
	if (strlen(arg) > 256) {
		reply(s, "501 5.0.0 Invalid domain name");	/* 8.17: longer than a host name */
		return;
	}
	if (s->earlytalker) {
		/* 8.17 greets again, but offers nothing */
		reply(s, "250%s%s Hello %s, pleased to meet you", ehlo ? "-" : " ", j ? j : "",
		      s->client);
		if (ehlo)
			reply(s, "250 ENHANCEDSTATUSCODES");
		return;
	}
	if ((s->c == NULL || !s->c->trust_pipelining) && input_pending(s)) {
		const char *a = macvalue(macid("{client_addr}"));
		if (LogLevel > 5)
			sm_syslog(LOG_INFO, s->id, "rejecting server %s from %s [%s] due to traffic before response",
				  ehlo ? "EHLO" : "HELO", s->realhost,
				  s->c != NULL && s->c->daemon && a != NULL ? a : "0");
		reply(s, "554 5.5.0 SMTP protocol error");
		s->rejected = s->earlytalker = true;
		return;
	}
	free(s->helo);
	s->helo = xstrdup(arg);
	setmac("s", arg);
	s->gothelo = true;
	s->esmtp = ehlo;
	setmac("r", ehlo ? "ESMTP" : "SMTP");
	reset_transaction(s);
	if (!ehlo) {
		reply(s, "250 %s Hello %s, pleased to meet you", j ? j : "", s->client);
		return;
	}
	reply(s, "250-%s Hello %s, pleased to meet you", j ? j : "", s->client);
	reply(s, "250-ENHANCEDSTATUSCODES");
	reply(s, "250-PIPELINING");
	if (!(s->privacy & PRIV_NOEXPN)) {
		reply(s, "250-EXPN");
		if (!(s->privacy & PRIV_NOVERB))
			reply(s, "250-VERB");
	}
	reply(s, "250-8BITMIME");
	if (s->maxsize > 0)
		reply(s, "250-SIZE %ld", s->maxsize);
	else
		reply(s, "250-SIZE");
	if (!(s->privacy & PRIV_NORECEIPTS))
		reply(s, "250-DSN");
	if (!(s->privacy & PRIV_NOETRN))
		reply(s, "250-ETRN");
	reply(s, "250-DELIVERBY");
	reply(s, "250 HELP");
}

static void set_addr_macros(const char *prefix, ADDRESS *a)
{
	sbuf n = SBUF_INIT;

	sb_init(&n);
	sb_printf(&n, "{%s_mailer}", prefix);
	setmac(n.s, a->mailer != NULL ? a->mailer->name : NULL);
	sb_reset(&n);
	sb_printf(&n, "{%s_host}", prefix);
	setmac(n.s, a->host);
	sb_reset(&n);
	sb_printf(&n, "{%s_addr}", prefix);
	setmac(n.s, a->user);
	sb_free(&n);
}

static void cmd_mail(struct session *s, char *arg)
{
	char *p = skip_word(arg, "from:"), *addr, *params;
	size_t n;
	ADDRESS a;

	if (!s->gothelo && (s->privacy & PRIV_NEEDMAILHELO)) {
		reply(s, "503 5.0.0 Polite people say HELO first");
		return;
	}
	if (s->gotmail) {
		reply(s, "503 5.5.0 Sender already specified");
		return;
	}
	if (p == NULL) {
		reply(s, "501 5.5.2 Syntax error in parameters scanning \"from\"");
		return;
	}
	n = addr_len(p);
	addr = xstrndup(p, n);
	params = p + n;
	/* parameters */
	{
		char *copy = xstrdup(params), *w, *save;
		bool bad = false;
		for (w = strtok_r(copy, " \t", &save); w != NULL && !bad;
		     w = strtok_r(NULL, " \t", &save)) {
			char *eq = strchr(w, '=');
			if (eq != NULL)
				*eq++ = '\0';
			if (strcasecmp(w, "SIZE") == 0 && eq != NULL) {
				long sz = strtol(eq, NULL, 10);
				s->declsize = sz > 0 ? sz : 0;	/* 8.17 logs it until DATA */
				if (s->maxsize > 0 && sz > s->maxsize) {
					reply(s, "552 5.2.3 Message size exceeds fixed maximum message size (%ld)",
					      s->maxsize);
					bad = true;
				}
			} else if (strcasecmp(w, "BODY") == 0 && eq != NULL) {
				if (strcasecmp(eq, "8BITMIME") != 0 && strcasecmp(eq, "7BIT") != 0) {
					reply(s, "501 5.5.4 Unknown BODY type %s", eq);
					bad = true;
				} else {
					free(s->bodytype);
					s->bodytype = xstrdup(eq);
				}
			} else if (strcasecmp(w, "ENVID") == 0 && eq != NULL &&
				   !(s->privacy & PRIV_NORECEIPTS)) {
				free(s->envid);
				s->envid = xstrdup(eq);
			} else if (strcasecmp(w, "RET") == 0 && eq != NULL &&
				   !(s->privacy & PRIV_NORECEIPTS)) {
				s->ret_given = true;
				s->ret_hdrs = strcasecmp(eq, "HDRS") == 0;
			} else if (strcasecmp(w, "AUTH") == 0 || strcasecmp(w, "BY") == 0) {
				/* accepted, not acted on yet */
			} else {
				reply(s, "555 5.5.4 %s parameter unrecognized", w);
				bad = true;
			}
		}
		free(copy);
		if (bad) {
			free(addr);
			return;
		}
	}
	s->replied = false;
	if (strcmp(addr, "<>") == 0) {
		setmac("{mail_mailer}", "local");
		setmac("{mail_host}", NULL);
		setmac("{mail_addr}", "<>");
	} else {
		char *work = arena_strdup(Scratch, addr);
		ADDRESS *pa = parseaddr(work, &a, RF_COPYNONE, '\0', NULL, false);
		if (s->replied) {
			free(addr);
			return;
		}
		if (pa == NULL) {
			reply(s, "501 5.0.0 Missing sender address");
			free(addr);
			return;
		}
		set_addr_macros("mail", pa);
	}
	free(s->logfrom);
	s->logfrom = xstrdup(addr);
	if (rscheck(s, "check_mail", addr, NULL, addr)) {
		free(addr);
		return;
	}
	s->sender = addr;
	s->gotmail = true;
	reply(s, "250 2.1.0 %s... Sender ok", addr);
}

static bool is_alias(const char *user)
{
	MAP *m = map_find("aliases");
	char *key;
	int st = EX_OK;

	if (m == NULL)
		return false;
	key = arena_strdup(Scratch, user);
	makelower(key);
	return map_lookup(m, key, NULL, &st) != NULL || st == EX_TEMPFAIL;
}

/* RFC 3461 xtext: printable ASCII but '=', '+' only before two hex digits */
static bool xtext_ok(const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '+') {
			if (!isxdigit((unsigned char)v[1]) || !isxdigit((unsigned char)v[2]))
				return false;
			v += 2;
		} else if (*v < 33 || *v > 126 || *v == '=')
			return false;
	}
	return true;
}

/* NOTIFY=NEVER | a list of SUCCESS, FAILURE, DELAY: the QR_ flags, or false after the reply */
static bool dsn_notify(char *v, unsigned *flags)
{
	char *w, *save;
	bool never = false;

	if (v == NULL) {
		usrerr("501 5.5.2 NOTIFY requires a value");
		return false;
	}
	*flags = QR_HASNOTIFY;
	for (w = strtok_r(v, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save)) {
		if (strcasecmp(w, "NEVER") == 0)
			never = true;
		else if (strcasecmp(w, "SUCCESS") == 0)
			*flags |= QR_NOTIFY_SUCCESS;
		else if (strcasecmp(w, "FAILURE") == 0)
			*flags |= QR_NOTIFY_FAILURE;
		else if (strcasecmp(w, "DELAY") == 0)
			*flags |= QR_NOTIFY_DELAY;
		else {
			usrerr("501 5.5.4 Bad argument \"%s\"  to NOTIFY", w);
			return false;
		}
	}
	if (never && *flags != QR_HASNOTIFY) {
		usrerr("501 5.5.4 Bad argument \"NEVER\"  to NOTIFY");
		return false;
	}
	return true;
}

/* ORCPT=addr-type;xtext, once per RCPT */
static bool dsn_orcpt(const char *v, const char *seen)
{
	const char *semi;

	if (v == NULL) {
		usrerr("501 5.5.2 ORCPT requires a value");
		return false;
	}
	if (seen != NULL) {
		usrerr("501 5.5.0 Duplicate ORCPT parameter");
		return false;
	}
	semi = strchr(v, ';');
	if (semi == NULL || semi == v || !xtext_ok(semi + 1)) {
		usrerr("501 5.5.4 Syntax error in ORCPT parameter value");
		return false;
	}
	return true;
}

static void cmd_rcpt(struct session *s, char *arg)
{
	char *p = skip_word(arg, "to:"), *addr, *work, *orcpt = NULL;
	unsigned notify = 0;
	size_t n, i;
	ADDRESS a, *pa;

	if (!s->gotmail) {
		reply(s, "503 5.0.0 Need MAIL before RCPT");
		return;
	}
	if (p == NULL) {
		reply(s, "501 5.5.2 Syntax error in parameters scanning \"to\"");
		return;
	}
	if (s->maxrcpts > 0 && (long)s->naccepted >= s->maxrcpts) {
		reply(s, "452 4.5.3 Too many recipients");
		if (LogLevel > 3)
			sm_syslog(LOG_NOTICE, s->id, "Too many recipients");
		free(s->statmsg);
		s->statmsg = xstrdup("Too many recipients");
		return;
	}
	n = addr_len(p);
	addr = xstrndup(p, n);
	s->replied = false;
	work = arena_strdup(Scratch, addr);
	pa = parseaddr(work, &a, RF_COPYNONE, '\0', NULL, true);
	if (s->replied) {
		log_refusal(s, "5");
		goto bad;
	}
	if (pa == NULL) {
		reply(s, "501 5.0.0 Missing recipient");
		goto bad;
	}
	/* parameters */
	{
		char *copy = xstrdup(p + n), *w, *save;
		bool badp = false;
		for (w = strtok_r(copy, " \t", &save); w != NULL && !badp;
		     w = strtok_r(NULL, " \t", &save)) {
			char *eq = strchr(w, '=');
			if (eq != NULL)
				*eq++ = '\0';
			if (s->privacy & PRIV_NORECEIPTS)
				;
			else if (strcasecmp(w, "NOTIFY") == 0) {
				badp = !dsn_notify(eq, &notify);
				continue;
			} else if (strcasecmp(w, "ORCPT") == 0) {
				badp = !dsn_orcpt(eq, orcpt);
				if (!badp)
					orcpt = eq - copy + p + n;
				continue;
			}
			reply(s, "555 5.5.4 %s parameter unrecognized", w);
			badp = true;
		}
		if (orcpt != NULL)
			orcpt = xstrndup(orcpt, strcspn(orcpt, " \t"));
		free(copy);
		if (badp) {
			log_refusal(s, "501");
			goto bad;
		}
	}
	set_addr_macros("rcpt", pa);
	if (rscheck(s, "check_rcpt", addr, NULL, addr))
		goto bad;
	/* duplicates answer with the address first given */
	for (i = 0; i < s->nrcpts; i++) {
		struct rcpt *r = &s->rcpts[i];
		if (strcmp(r->mailer, pa->mailer->name) == 0 && strcmp(r->user, pa->user) == 0 &&
		    strcasecmp(r->host ? r->host : "", pa->host ? pa->host : "") == 0) {
			reply(s, "250 2.1.5 %s... Recipient ok", r->paddr);
			s->naccepted++;
			free(addr);
			free(orcpt);	/* fuzz_smtp found it leaking */
			return;
		}
	}
	if (pa->mailer == LocalMailer && pa->user != NULL && pa->user[0] != '|' &&
	    pa->user[0] != '/' && !is_alias(pa->user)) {
		char *u = arena_strdup(Scratch, pa->user), *plus;
		if ((plus = strchr(u, '+')) != NULL)
			*plus = '\0';
		if (bitnset('w', LocalMailer->flags) && getpwnam(u) == NULL) {
			CurAddr = addr;
			usrerr("550 5.1.1 User unknown");
			CurAddr = NULL;
			if (LogLevel > 3)
				sm_syslog(LOG_NOTICE, s->id, "%s... User unknown", addr);
			goto bad;
		}
	}
	s->rcpts = xreallocarray(s->rcpts, s->nrcpts + 1, sizeof *s->rcpts);
	s->rcpts[s->nrcpts].paddr = addr;
	s->rcpts[s->nrcpts].mailer = xstrdup(pa->mailer->name);
	s->rcpts[s->nrcpts].host = pa->host ? xstrdup(pa->host) : NULL;
	s->rcpts[s->nrcpts].user = xstrdup(pa->user ? pa->user : "");
	s->rcpts[s->nrcpts].notify = notify;
	s->rcpts[s->nrcpts].orcpt = orcpt;
	s->nrcpts++;
	s->naccepted++;
	{
		char num[32];
		snprintf(num, sizeof num, "%zu", s->nrcpts);
		setmac("{nrcpts}", num);
	}
	reply(s, "250 2.1.5 %s... Recipient ok", addr);
	return;
bad:
	s->nbadrcpts++;
	free(addr);
	free(orcpt);
}

/* ---- DATA ---- */

static bool df_put(void *arg, const void *p, size_t n)
{
	return queue_write_body(arg, p, n) == 0;
}

/* The message goes straight into a new df as it comes; the header is parsed on the way
 * (collect.c) and laid out in the qf by headers.c, as for command-line submission. */
/* the from= line of a message taken (its msgid, class from Precedence); with stat, a to=
 * line per recipient saying why it was refused after all */
static void log_message(struct session *s, struct envelope *e, long size, const char *stat)
{
	const char *msgid = NULL;
	int class = 0, k;
	size_t i;
	sbuf mid = SBUF_INIT, id = SBUF_INIT;

	sb_init(&mid);
	sb_init(&id);
	for (i = 0; i < e->nhdrs; i++) {
		const char *v = e->hdrs[i].value, *end;
		while (*v == ' ' || *v == '\t' || *v == '\n')
			v++;
		end = v + strlen(v);
		while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
			end--;
		if (msgid == NULL && strcasecmp(e->hdrs[i].name, "Message-Id") == 0 &&
		    (e->hdrs[i].cond == NULL || e->hdrs[i].cond[0] == '\0' ||
		     strchr(e->hdrs[i].cond, 'M') != NULL)) {
			sb_put(&mid, v, (size_t)(end - v));
			msgid = mid.s;
		} else if (strcasecmp(e->hdrs[i].name, "Precedence") == 0)
			for (k = 0; k < NumPriorities; k++)
				if (strlen(Priorities[k].name) == (size_t)(end - v) &&
				    strncasecmp(Priorities[k].name, v, (size_t)(end - v)) == 0)
					class = Priorities[k].value;
	}
	sb_puts(&id, s->id);
	log_from(s, size, class, msgid);
	if (stat != NULL && LogLevel > 4)
		for (i = 0; i < s->nrcpts; i++) {
			long d = (long)(time(NULL) - e->ctime);
			sm_syslog(LOG_INFO, id.s, "to=%s, delay=%02ld:%02ld:%02ld, pri=%ld, stat=%s",
				  s->rcpts[i].paddr, d / 3600, d / 60 % 60, d % 60, e->priority, stat);
		}
	sb_free(&mid);
	sb_free(&id);
}

static void cmd_data(struct session *s)
{
	sbuf line = SBUF_INIT, err = SBUF_INIT;
	bool gotdot = false, ok;
	int bare = 0;
	struct envelope e;
	struct queue q;
	struct collected c;
	struct collector k;
	time_t now;
	size_t i;
	char *gaddr = NULL, *fullname = NULL;
	long size = 0, hdrsize = 0, maxhdrs = option_long("MaxHeadersLength", 32768);
	bool hdrtoobig = false, nul = false, rejectnul = option_bool("RejectNUL");
	const char *failtext = NULL;	/* the message is refused after its dot with this */
	enum rl got = RL_LINE;

	if (!s->gotmail) {
		reply(s, "503 5.0.0 Need MAIL command");
		return;
	}
	if (s->nrcpts == 0) {
		reply(s, "503 5.0.0 Need RCPT (recipient)");
		return;
	}
	{
		char num[32];
		snprintf(num, sizeof num, "%zu", s->nrcpts);
		if (rscheck(s, "check_data", num, NULL, NULL))
			return;
	}
	env_init(&e);
	now = time(NULL);
	e.ctime = now;
	e.id = xstrdup(s->id);	/* the message takes the id the session's lines went under */
	sb_init(&err);
	if (!queue_init(&q, queue_directory(), ".")) {
		reply(s, "451 4.3.0 Temporary system failure. Please try again later.");
		env_free(&e);
		sb_free(&err);
		return;
	}
	if (queue_create(&q, &e, &err) != Q_OK) {
		reply(s, "451 4.3.0 Temporary system failure. Please try again later.");
		env_free(&e);
		queue_free(&q);
		sb_free(&err);
		return;
	}
	reply(s, "354 End data with <CR><LF>.<CR><LF>");
	sb_init(&line);
	collector_init(&k, &c, s->maxsize, df_put, &e);
	for (;;) {
		char *l;
		size_t len;

		if ((got = getline_smtp(s, &line, &bare, 0, s->datatimeout)) != RL_LINE)
			break;
		if (bare) {
			/* Debian's 8.17: the connection ends at the first bare LF or CR */
			const char *what = bare == 1 ? "Bare linefeed (LF)" : "Bare carriage return (CR)";
			queue_abort(&q, &e);
			reply(s, "421 4.5.0 %s not allowed", what);
			if (LogLevel > 1)
				sm_syslog(LOG_NOTICE, s->id,
					  "collect: relay=%s, from=%s, info=%s not allowed, where=%s, status=tempfail",
					  s->realhost, s->sender, what, k.inhdr ? "header" : "body");
			log_from(s, size + (long)line.len, 0, NULL);
			s->closing = true;
			goto out;
		}
		l = line.s;
		len = line.len;
		if (len == 1 && l[0] == '.') {
			gotdot = true;
			break;
		}
		if (l[0] == '.') {
			l++;
			len--;
		}
		size += (long)len + 1;
		if (rejectnul && memchr(l, '\0', len) != NULL)
			nul = true;
		if (k.inhdr && maxhdrs > 0) {
			/* 8.17 refuses the message after its dot; what is over is not kept */
			hdrsize += (long)len + 1;
			if (hdrsize > maxhdrs)
				hdrtoobig = true;
		}
		if (!hdrtoobig)
			collector_line(&k, l, len, true);
	}
	ok = collector_done(&k);
	if (!gotdot) {
		/* the connection was lost or went silent: 8.17's answer and lines */
		const char *info = got == RL_TIMEOUT ? "read timeout" : "unexpected close";
		queue_abort(&q, &e);
		reply(s, "421 4.4.1 collect: relay=%s, from=%s, info=%s", s->realhost, s->sender, info);
		if (got == RL_TIMEOUT) {
			struct passwd *pw = getpwuid(getuid());
			sm_syslog(LOG_CRIT, s->id, "SYSERR(%s): collect: relay=%s, from=%s, info=%s",
				  pw != NULL ? pw->pw_name : "root", s->realhost, s->sender, info);
		} else {
			if (LogLevel > 0)
				sm_syslog(LOG_WARNING, s->id, "collect: premature EOM: %s", info);
			if (LogLevel > 1)
				sm_syslog(LOG_NOTICE, s->id, "collect: relay=%s, from=%s, info=%s",
					  s->realhost, s->sender, info);
		}
		log_from(s, size, 0, NULL);
		s->closing = true;
		goto out;
	}
	if (c.toobig) {
		queue_abort(&q, &e);
		reply(s, "552 5.2.3 Message exceeds maximum fixed size (%ld)", s->maxsize);
		goto out;
	}
	if (hdrtoobig) {
		if (LogLevel > 6)
			sm_syslog(LOG_NOTICE, s->id, "headers too large (%ld max) from %s during message collect",
				  maxhdrs, s->realhost);
		failtext = "Headers too large";
	} else if (nul)
		failtext = "NUL byte not allowed";
	if (s->discard) {
		queue_abort(&q, &e);
		reply(s, "250 2.0.0 Message accepted for delivery");
		goto out;
	}
	if (!ok) {
		queue_abort(&q, &e);
		reply(s, "451 4.3.0 Temporary system failure. Please try again later.");
		goto out;
	}

	header_macros(e.id, now, c.fromdate);
	gaddr = bare_address(s->sender);
	setmac("g", gaddr);
	setmac("f", gaddr);
	setmac("u", s->nrcpts == 1 && s->naccepted + s->nbadrcpts == 1 ? s->rcpts[0].paddr : NULL);
	fullname = sender_fullname(s->sender, NULL);
	{
		const char *fn = hp_value(&c.hdr, "Full-Name");
		if (fn != NULL) {
			while (*fn == ' ' || *fn == '\t')
				fn++;
			free(fullname);
			fullname = xstrdup(fn);
		}
	}
	setmac("x", fullname);
	e.priority = message_priority(&c.hdr, c.msgsize, s->nrcpts, &e.flags);
	e.flags |= EF_SPLIT;
	if (c.has8bit)
		e.flags |= EF_HAS8BIT;
	if (hp_has_visible_rcpt(&c.hdr))
		e.flags |= EF_DELETE_BCC;
	e.sender = xstrdup(s->sender);
	if (s->bodytype != NULL)
		e.bodytype = xstrdup(s->bodytype);
	if (s->envid != NULL)
		e.envid = xstrdup(s->envid);
	if (s->ret_given)
		e.flags |= EF_RET_PARAM | (s->ret_hdrs ? EF_NO_BODY_RETN : 0);
	if (s->statmsg != NULL)
		e.statmsg = xstrdup(s->statmsg);
	env_set_macro(&e, "_", s->client);
	env_set_macro(&e, "r", s->esmtp ? "ESMTP" : (s->gothelo ? "SMTP" : ""));
	if (s->helo != NULL)
		env_set_macro(&e, "s", s->helo);
	if (macvalue(macid("{daemon_flags}")) != NULL)
		env_set_macro(&e, "{daemon_flags}", macvalue(macid("{daemon_flags}")));
	{
		const char **list = xreallocarray(NULL, s->nrcpts + 1, sizeof *list);
		struct hdrctx ctx = { NULL, 0, option_value("NoRecipientAction"), list, s->nrcpts };
		for (i = 0; i < s->nrcpts; i++) {
			struct qrcpt *r = env_add_rcpt(&e, s->rcpts[i].paddr, QR_PRIMARY |
						       (s->rcpts[i].notify ? s->rcpts[i].notify
							: QR_NOTIFY_FAILURE | QR_NOTIFY_DELAY));
			r->finalrcpt = final_rcpt(s->rcpts[i].paddr);
			if (s->rcpts[i].orcpt != NULL)
				r->orcpt = xstrdup(s->rcpts[i].orcpt);
			list[i] = s->rcpts[i].paddr;
		}
		headers_to_envelope(&e, &c.hdr, &ctx);
		free(list);
	}
	if (failtext != NULL) {
		/* refused after the dot: 8.17 logs the message as taken, then each recipient */
		sbuf why = SBUF_INIT;
		sb_init(&why);
		if (hdrtoobig)
			sb_printf(&why, "%s (%ld max)", failtext, maxhdrs);
		else
			sb_puts(&why, failtext);
		reply(s, "%s %s", hdrtoobig ? "552 5.6.0" : "554 5.6.1", why.s);
		e.priority += size - c.msgsize;	/* what was not kept counts (8.17's pri=) */
		log_message(s, &e, size, why.s);
		queue_abort(&q, &e);
		sb_free(&why);
		goto out;
	}
	sb_reset(&err);
	if (queue_commit(&q, &e, &err) != Q_OK)
		reply(s, "451 4.3.0 Temporary system failure. Please try again later.");
	else {
		reply(s, "250 2.0.0 %s Message accepted for delivery", e.id);
		log_message(s, &e, size, NULL);
		flush_out(s);
		deliver_committed(&e);	/* as DeliveryMode says (deliver.h) */
	}
out:
	collected_free(&c);
	env_free(&e);
	queue_free(&q);
	free(gaddr);
	free(fullname);
	sb_free(&line);
	sb_free(&err);
	reset_transaction(s);
}

/* ---- VRFY / EXPN ---- */

static void cmd_vrfy(struct session *s, char *arg, bool expn)
{
	ADDRESS a, *pa;
	char *work;

	while (*arg == ' ')
		arg++;
	if (expn ? (s->privacy & PRIV_NOEXPN) : (s->privacy & PRIV_NOVRFY)) {
		if (expn)
			reply(s, "502 5.7.0 Sorry, we do not allow this operation");
		else
			reply(s, "252 2.5.2 Cannot VRFY user; try RCPT to attempt delivery (or try finger)");
		return;
	}
	if (!s->gothelo && (s->privacy & (expn ? PRIV_NEEDEXPNHELO : PRIV_NEEDVRFYHELO))) {
		reply(s, "503 5.0.0 I demand that you introduce yourself first");
		return;
	}
	if (*arg == '\0') {
		reply(s, "501 5.5.2 Argument required");
		return;
	}
	if (rscheck(s, expn ? "check_expn" : "check_vrfy", arg, NULL, arg))
		return;
	s->replied = false;
	work = arena_strdup(Scratch, arg);
	pa = parseaddr(work, &a, RF_COPYNONE, '\0', NULL, true);
	if (s->replied)
		return;
	if (pa == NULL) {
		reply(s, "501 5.5.2 Argument required");
		return;
	}
	if (pa->mailer == LocalMailer && !is_alias(pa->user) && getpwnam(pa->user) == NULL) {
		CurAddr = arg;
		usrerr("550 5.1.1 User unknown");
		CurAddr = NULL;
		return;
	}
	if (pa->mailer == LocalMailer) {
		struct passwd *pw = getpwnam(pa->user);
		const char *j = macvalue('j');
		if (pw != NULL && pw->pw_gecos != NULL && pw->pw_gecos[0] != '\0') {
			char *g = xstrdup(pw->pw_gecos), *comma = strchr(g, ',');
			if (comma)
				*comma = '\0';
			reply(s, "250 2.1.5 %s <%s@%s>", g, pa->user, j ? j : "");
			free(g);
		} else
			reply(s, "250 2.1.5 <%s@%s>", pa->user, j ? j : "");
	} else
		reply(s, "250 2.1.5 <%s@%s>", pa->user, pa->host ? pa->host : "");
}

/* ---- the session ---- */

static bool known_command(const char *cmd, size_t clen)
{
	static const char *const names[] = { "helo", "ehlo", "mail", "rcpt", "data", "rset", "noop",
		"quit", "vrfy", "expn", "verb", "help", "etrn", "starttls", "auth" };
	size_t k;

	for (k = 0; k < sizeof names / sizeof names[0]; k++)
		if (clen == strlen(names[k]) && strncasecmp(cmd, names[k], clen) == 0)
			return true;
	return false;
}

static void client_identity(struct session *s)
{
	const struct smtp_client *c = s->c;
	char addr[INET6_ADDRSTRLEN + 8] = "", host[NI_MAXHOST] = "";
	const char *resolve = "FAIL";
	sbuf b = SBUF_INIT;

	sb_init(&b);
	if (c == NULL || !c->daemon) {
		struct passwd *pw = getpwuid(getuid());
		sb_printf(&b, "%s@localhost", pw ? pw->pw_name : "root");
		s->client = sb_steal(&b);
		setmac("{client_addr}", "127.0.0.1");
		setmac("{client_name}", "localhost");
		setmac("_", s->client);
		setmac("{daemon_flags}", "c u");
		return;
	}
	if (c->peer.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&c->peer;
		inet_ntop(AF_INET, &in->sin_addr, addr, sizeof addr);
	} else if (c->peer.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&c->peer;
		char a6[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &in6->sin6_addr, a6, sizeof a6);
		snprintf(addr, sizeof addr, "IPv6:%s", a6);
	}
	{
		int r = getnameinfo((const struct sockaddr *)&c->peer, c->peerlen, host, sizeof host,
				    NULL, 0, NI_NAMEREQD);
		if (r == 0) {
			/* forward-confirm the name */
			struct addrinfo hints, *res = NULL, *ai;
			bool ok = false;
			memset(&hints, 0, sizeof hints);
			hints.ai_family = c->peer.ss_family;
			if (getaddrinfo(host, NULL, &hints, &res) == 0) {
				for (ai = res; ai != NULL; ai = ai->ai_next) {
					char h2[NI_MAXHOST], h1[NI_MAXHOST];
					getnameinfo(ai->ai_addr, ai->ai_addrlen, h2, sizeof h2, NULL, 0,
						    NI_NUMERICHOST);
					getnameinfo((const struct sockaddr *)&c->peer, c->peerlen, h1,
						    sizeof h1, NULL, 0, NI_NUMERICHOST);
					if (strcmp(h1, h2) == 0)
						ok = true;
				}
				freeaddrinfo(res);
			}
			resolve = ok ? "OK" : "FORGED";
		} else
			resolve = r == EAI_AGAIN ? "TEMP" : "FAIL";
	}
	if (strcmp(resolve, "OK") == 0) {
		sb_printf(&b, "%s [%s]", host, addr);
		setmac("{client_name}", host);
	} else {
		if (strcmp(resolve, "FORGED") == 0)
			sb_printf(&b, "[%s] (may be forged)", addr);
		else
			sb_printf(&b, "[%s]", addr);
		{
			sbuf br = SBUF_INIT;
			sb_init(&br);
			sb_printf(&br, "[%s]", addr);
			setmac("{client_name}", br.s);
			sb_free(&br);
		}
	}
	s->client = sb_steal(&b);
	setmac("{client_addr}", addr);
	setmac("{client_resolve}", resolve);
	setmac("_", s->client);
	{
		char port[16];
		if (c->peer.ss_family == AF_INET)
			snprintf(port, sizeof port, "%u", ntohs(((const struct sockaddr_in *)(const void *)&c->peer)->sin_port));
		else
			snprintf(port, sizeof port, "%u", ntohs(((const struct sockaddr_in6 *)(const void *)&c->peer)->sin6_port));
		setmac("{client_port}", port);
	}
	if (c->local.ss_family == AF_INET) {
		char la[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)&c->local)->sin_addr, la, sizeof la);
		setmac("{if_addr}", la);
		setmac("{daemon_addr}", la);
	}
	setmac("{daemon_name}", c->daemon_name);
	setmac("{daemon_flags}", "");
	sb_free(&b);
}

int smtpd(int infd, int outfd, const struct smtp_client *c)
{
	struct session s;
	sbuf line = SBUF_INIT, greet = SBUF_INIT;
	const char *j = macvalue('j');
	char date[80];
	int bare;
	enum rl got = RL_EOF;
	const char *dname = c != NULL && c->daemon && c->daemon_name != NULL ? c->daemon_name : "";

	memset(&s, 0, sizeof s);
	s.in.fd = infd;
	s.outfd = outfd;
	s.c = c;
	sb_init(&s.out);
	sb_init(&line);
	sb_init(&greet);
	Cur = &s;
	usrerr_hook = smtp_usrerr;
	s.maxsize = option_long("MaxMessageSize", 0);
	s.maxrcpts = option_long("MaxRecipientsPerMessage", 0);
	s.privacy = privacy_flags();
	s.cmdtimeout = timeout_seconds("command", 3600);
	s.datatimeout = timeout_seconds("datablock", 3600);
	s.lastcmd = "connect";
	arpadate(time(NULL), date, sizeof date);
	setmac("b", date);
	new_id(&s);
	client_identity(&s);
	{
		const char *cn = macvalue(macid("{client_name}"));
		s.realhost = xstrdup(cn != NULL ? cn : "localhost");
	}
	reset_transaction(&s);

	if (c != NULL && c->daemon) {
		const char *cn = macvalue(macid("{client_name}"));
		const char *ca = macvalue(macid("{client_addr}"));
		if (rscheck(&s, "check_relay", cn ? cn : "", ca ? ca : "", ca)) {
			/* 8.17 refuses every command but QUIT after a rejected connection */
			s.rejected = true;
		}
	}
	{
		const char *g = option_value("SmtpGreetingMessage");
		sbuf x = SBUF_INIT, t = SBUF_INIT;
		const char *sp;
		sb_init(&x);
		sb_init(&t);
		if (g == NULL)
			g = "$j Sendmail $v ready at $b";
		translate_dollars(g, &t);
		expand(t.s, &x);
		sp = strchr(x.s, ' ');
		if (s.rejected) {
			sbuf r = SBUF_INIT;
			sb_init(&r);
			sb_put(&r, s.out.s, s.out.len);
			sb_reset(&s.out);
			/* the rejection reply goes out in the greeting's place */
			sb_put(&s.out, r.s, r.len);
			sb_free(&r);
		} else if (sp != NULL)
			reply(&s, "220 %.*s ESMTP%s", (int)(sp - x.s), x.s, sp);
		else
			reply(&s, "220 %s ESMTP", x.s);
		sb_free(&x);
		sb_free(&t);
	}
	while (!s.closing && (got = getline_smtp(&s, &line, &bare, MAXCMDLINE, s.cmdtimeout)) != RL_EOF) {
		char *cmd = line.s, *arg;
		size_t clen;

		if (got == RL_TIMEOUT)
			break;
		if (got == RL_TOOLONG) {
			if (LogLevel > 5)
				sm_syslog(LOG_INFO, s.id, "%s: SMTP violation, input too long: %zu", s.client,
					  s.toolong);
			reply(&s, "421 4.7.0 %s Command too long, possible attack %s", j ? j : "", s.client);
			break;
		}
		arena_reset(Scratch);
		s.replied = false;
		while (*cmd == ' ' || *cmd == '\t')
			cmd++;
		for (clen = 0; cmd[clen] != '\0' && cmd[clen] != ' ' && cmd[clen] != '\t'; clen++)
			;
		arg = cmd + clen;
		while (*arg == ' ' || *arg == '\t')
			arg++;
#define IS(w) (clen == strlen(w) && strncasecmp(cmd, w, clen) == 0)
		if (IS("quit")) {
			reply(&s, "221 2.0.0 %s closing connection", j ? j : "");
			got = RL_LINE;
			break;
		}
		if (s.rejected && !(s.earlytalker && (IS("noop") || IS("rset") || IS("ehlo") ||
						      IS("helo") || !known_command(cmd, clen)))) {
			reply(&s, "550 5.0.0 Command rejected");
			continue;
		}
		if (IS("mail") || IS("expn") || IS("vrfy") || IS("etrn"))
			s.didmail = true;
		{
			static const char *const names[] = { "helo", "ehlo", "mail", "rcpt", "data", "rset",
				"noop", "vrfy", "expn", "verb", "help", "etrn" };
			size_t k;
			for (k = 0; k < sizeof names / sizeof names[0]; k++)
				if (IS(names[k]))
					s.lastcmd = names[k];
		}
		if (IS("helo"))
			cmd_helo(&s, arg, false);
		else if (IS("ehlo"))
			cmd_helo(&s, arg, true);
		else if (IS("mail"))
			cmd_mail(&s, cmd + clen);
		else if (IS("rcpt"))
			cmd_rcpt(&s, cmd + clen);
		else if (IS("data"))
			cmd_data(&s);
		else if (IS("rset")) {
			reset_transaction(&s);
			reply(&s, "250 2.0.0 Reset state");
		} else if (IS("noop"))
			reply(&s, "250 2.0.0 OK");
		else if (IS("vrfy"))
			cmd_vrfy(&s, arg, false);
		else if (IS("expn"))
			cmd_vrfy(&s, arg, true);
		else if (IS("verb")) {
			if (s.privacy & PRIV_NOVERB)
				reply(&s, "502 5.7.0 Verbose unavailable");
			else {
				s.verbose = true;
				reply(&s, "250 2.0.0 Verbose mode");
			}
		} else if (IS("help"))
			reply(&s, "502 5.3.0 Sendmail %s -- HELP not implemented", VERSION_STRING);
		else if (IS("etrn")) {
			if (s.privacy & PRIV_NOETRN)
				reply(&s, "502 5.7.0 Sorry, we do not allow this operation");
			else if (*arg == '\0')
				reply(&s, "500 5.5.2 Parameter required");
			else if (!rscheck(&s, "check_etrn", arg, NULL, arg))
			{
				reply(&s, "250 2.0.0 Queuing for node %s started", arg);
				if (LogLevel > 5)
					sm_syslog(LOG_INFO, s.id, "%s: ETRN %s", s.client, arg);
			}
		} else {
			sbuf q = SBUF_INIT;
			sb_init(&q);
			shortenstring(&q, line.s, MAXSHORTSTR);
			if (++s.nbadcmds > MAXBADCOMMANDS) {
				reply(&s, "421 4.7.0 %s Too many bad commands; closing connection", j ? j : "");
				sb_free(&q);
				break;
			}
			reply(&s, "500 5.5.1 Command unrecognized: \"%s\"", q.s);
			sb_free(&q);
		}
#undef IS
	}
	flush_out(&s);
	/* 8.17's lines for how the session ended */
	if (got == RL_TIMEOUT && LogLevel > 1)
		sm_syslog(LOG_NOTICE, s.id, "timeout waiting for input from %s during server cmd read",
			  s.realhost);
	if ((got == RL_EOF || got == RL_TIMEOUT) && !s.closing && !s.rejected && s.gotmail &&
	    LogLevel > 1 && c != NULL && c->daemon)
		sm_syslog(LOG_NOTICE, s.id, "lost input channel from %s to %s after %s", s.client, dname,
			  s.lastcmd);
	reset_transaction(&s);
	if (!s.didmail && !s.rejected && LogLevel > 5 && c != NULL && c->daemon)
		sm_syslog(LOG_INFO, s.id, "%s did not issue MAIL/EXPN/VRFY/ETRN during connection to %s",
			  s.client, dname);
	free(s.logfrom);
	free(s.id);
	free(s.realhost);
	free(s.helo);
	free(s.client);
	free(s.in.buf);
	sb_free(&s.out);
	sb_free(&line);
	sb_free(&greet);
	usrerr_hook = NULL;
	Cur = NULL;
	return EX_OK;
}
