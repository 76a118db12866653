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
#include <sys/time.h>
#include <sys/wait.h>
#include "address.h"
#include "clientname.h"
#include "cmdline.h"
#include "collect.h"
#include "conf.h"
#include "daemon.h"
#include "deliver.h"
#include "headers.h"
#include "log.h"
#include "policy.h"
#include "macro.h"
#include "mailer.h"
#include "map.h"
#include "queue.h"
#include "queuerun.h"
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
	bool polls;		/* not a socket: wait with poll() */
	long rcvtimeo;		/* the socket's SO_RCVTIMEO now (seconds, 0: none; -1: not set yet) */
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
	char *localuser;	/* the sender's user if it goes to the local mailer (its $x) */
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
	bool rejected;		/* in nullserver mode (check_relay, early talkers): the commands
				   that could lead to a message get nullserver's answer */
	bool earlytalker;	/* ... for talking before HELO's reply: NOOP, RSET, EHLO served */
	const char *lastcmd;	/* for "lost input channel ... after <cmd>" */
	long declsize;		/* MAIL's SIZE= */
	int nbadcmds;
	long cmdtimeout, datatimeout;
	size_t toolong;		/* bytes read of a command line over MAXCMDLINE */
	bool closing;		/* the session ends after this command */
	/* policy */
	char *nullserver;	/* check_relay's refusal: the answer to every later command */
	unsigned feat;		/* FEAT_*: what srv_features, PrivacyOptions and the daemon allow */
	char *auth;		/* AUTH= of MAIL */
	char *deliverby;	/* BY= of MAIL, as the qf keeps it */
	long msgsize;		/* SIZE= of MAIL (0: not given) */
	bool quarantine;
	char *quarmsg;
	struct clientname cn;
};

#define FEAT_EXPN	0x01
#define FEAT_VERB	0x02
#define FEAT_DSN	0x04
#define FEAT_ETRN	0x08
#define FEAT_PIPELINING	0x10

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
	/* on a socket, the read itself times out: one system call per read, not two */
	if (!r->polls && r->rcvtimeo != (timeout > 0 ? timeout : 0)) {
		struct timeval tv = { .tv_sec = timeout > 0 ? timeout : 0, .tv_usec = 0 };
		if (setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0)
			r->rcvtimeo = timeout > 0 ? timeout : 0;
		else
			r->polls = true;
	}
	if (timeout > 0 && r->polls) {
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
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !r->polls && timeout > 0)
		return -1;
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
	size_t i = s->out.len;

	va_start(ap, fmt);
	sb_vprintf(&s->out, fmt, ap);
	va_end(ap);
	/* replies are 7-bit, as 8.17 writes them: a client's 8-bit bytes echoed back (an
	 * address, an unknown command) lose their 8th bit */
	for (; i < s->out.len; i++)
		s->out.s[i] &= 0177;
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
	if (s->replied && (code[0] == '4' || code[0] == '5'))
		return;		/* one reply per command: the first error stands (a second would desync
				 * the client, e.g. a NUL inside a quoted address) */
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
	/* the policy rulesets see it as $i; a refused connection has none */
	setmac("i", s->rejected ? NULL : s->id);
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

/* End the session after check_relay's 421. */
static void close_session(struct session *s) __attribute__((noreturn));
static void close_session(struct session *s)
{
	flush_out(s);
	exit(EX_OK);
}

/* ---- policy rulesets ---- */

/* A check_* ruleset: its refusal is the command's answer (true), a 421 included (8.17 ends
 * the session for check_relay's only); $#discard marks the transaction. */
static bool rs_refuses(struct session *s, const char *rsname, const char *p1, const char *p2,
		       const char *addr)
{
	sbuf r = SBUF_INIT;
	int st;

	sb_init(&r);
	st = rscheck(rsname, p1, p2, addr, &r);
	if (st == PS_DISCARD)
		s->discard = true;
	else if (st == PS_QUARANTINE) {
		free(s->quarmsg);
		s->quarmsg = xstrdup(r.s);
	}
	if (st != PS_REJECT) {
		sb_free(&r);
		return false;
	}
	/* unlike other errors, a ruleset's refusal does not become mailq's status message */
	reply(s, "%s", r.s);
	sb_free(&r);
	return true;
}

/* ---- helpers ---- */

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
	free(s->localuser);
	s->localuser = NULL;
	free(s->bodytype);
	s->bodytype = NULL;
	free(s->envid);
	s->envid = NULL;
	free(s->statmsg);
	s->statmsg = NULL;
	s->gotmail = false;
	s->discard = false;
	s->ret_given = s->ret_hdrs = false;
	free(s->auth);
	s->auth = NULL;
	free(s->deliverby);
	s->deliverby = NULL;
	free(s->quarmsg);
	s->quarmsg = NULL;
	s->msgsize = 0;
	{
		static const char *const txmacros[] = {
			"{mail_addr}", "{mail_host}", "{mail_mailer}", "{rcpt_addr}", "{rcpt_host}",
			"{rcpt_mailer}", "{nrcpts}", "{nbadrcpts}", "{ntries}", "{msg_size}",
			"{addr_type}", "{dsn_ret}", "{dsn_envid}", "{dsn_notify}", "{msg_id}",
			"{bodytype}", "f", "u", "s", NULL
		};
		size_t k;
		for (k = 0; txmacros[k] != NULL; k++)
			setmac(txmacros[k], NULL);
	}
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

/* Where the address of MAIL FROM: or RCPT TO: ends: at the first blank outside angle
 * brackets, quotes and comments, as 8.17's address scanner reads it with a blank for its
 * delimiter ("<a@b>x" is one address, "<>/x@y>" one with an unbalanced '>'); a space
 * right after a backslash ends it too, as there. */
static size_t addr_len(const char *p)
{
	size_t i;
	bool q = false, esc = false;
	int angles = 0, cmnt = 0;

	for (i = 0; p[i] != '\0'; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == ' ' && cmnt <= 0 && !q && angles <= 0)
			return i;
		if (esc)
			esc = false;
		else if (c == '\\')
			esc = true;
		else if (q)
			q = c != '"';
		else if (c == '(')
			cmnt++;
		else if (c == ')') {
			if (cmnt > 0)
				cmnt--;
		} else if (cmnt > 0)
			continue;
		else if (c == '"')
			q = true;
		else if (c == '<')
			angles++;
		else if (c == '>') {
			if (angles > 0)
				angles--;
		} else if (isspace(c) && angles <= 0)
			return i;
	}
	return i;
}

/* A CR (or another control character but TAB) anywhere in a MAIL or RCPT address the
 * parser took is refused: 8.17 takes a CR outside quotes as a blank, and any control
 * character inside quotes, and keeps the raw text for the qf's S and R records and the
 * log, where they have no business (our rule, stricter than 8.17).  Asked after the
 * parser, so that what 8.17 refuses is refused in its words (an unquoted control
 * character: "Syntax error in mailbox address"). */
static bool ctrl_refused(struct session *s, const char *addr)
{
	const unsigned char *c;
	sbuf shown = SBUF_INIT;

	for (c = (const unsigned char *)addr; *c != '\0'; c++)
		if (*c < 0x20 && *c != '\t')
			break;
	if (*c == '\0')
		return false;
	sb_init(&shown);
	for (c = (const unsigned char *)addr; *c != '\0'; c++)
		sb_putc(&shown, *c < 0x20 ? '?' : (char)*c);
	reply(s, "553 5.1.1 %s...  address contains control characters", shown.s);
	sb_free(&shown);
	return true;
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
	{
		/* 8.17's check: letters, digits and "[].-_#:" only, trailing blanks dropped;
		 * anything else (a CR, shell characters, 8-bit bytes) is refused unless
		 * AllowBogusHELO -- the name goes into $s, the qf and Received: */
		size_t n = 0;
		bool bogus = false;
		while (arg[n] != '\0' && (isalnum((unsigned char)arg[n]) ||
					  strchr("[].-_#:", arg[n]) != NULL) && (unsigned char)arg[n] < 0x80)
			n++;
		if (arg[n] == ' ' || arg[n] == '\t') {
			size_t t = n;
			while (arg[t] == ' ' || arg[t] == '\t')
				t++;
			if (arg[t] == '\0')
				arg[n] = '\0';
			else
				bogus = true;
		} else if (arg[n] != '\0')
			bogus = true;
		if (bogus && !option_bool("AllowBogusHELO")) {
			reply(s, "501 5.0.0 Invalid domain name");
			return;
		}
	}
	if (s->rejected) {
		/* nullserver: 8.17 greets again, but offers nothing */
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
		free(s->nullserver);
		s->nullserver = xstrdup("550 5.0.0 Command rejected");
		return;
	}
	free(s->helo);
	s->helo = xstrdup(arg);
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
	if (s->feat & FEAT_PIPELINING)
		reply(s, "250-PIPELINING");
	if (s->feat & FEAT_EXPN) {
		reply(s, "250-EXPN");
		if (s->feat & FEAT_VERB)
			reply(s, "250-VERB");
	}
	reply(s, "250-8BITMIME");
	if (s->maxsize > 0)
		reply(s, "250-SIZE %ld", s->maxsize);
	else
		reply(s, "250-SIZE");
	if (s->feat & FEAT_DSN)
		reply(s, "250-DSN");
	if (s->feat & FEAT_ETRN)
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

/* an error answer to a command parameter: the reply, and mailq's status message */
static void param_error(struct session *s, const char *code, const char *enh, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void param_error(struct session *s, const char *code, const char *enh, const char *fmt, ...)
{
	sbuf t = SBUF_INIT;
	va_list ap;

	sb_init(&t);
	va_start(ap, fmt);
	sb_vprintf(&t, fmt, ap);
	va_end(ap);
	reply(s, "%s %s %s", code, enh, t.s);
	free(s->statmsg);
	s->statmsg = sb_steal(&t);
}

/* RFC 3461 xtext: printable ASCII but '+' and '=', or "+XX" with upper-case hex */
static bool xtext_ok(const char *p)
{
	for (; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '+') {
			if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]) ||
			    islower((unsigned char)p[1]) || islower((unsigned char)p[2]))
				return false;
			p += 2;
		} else if (c < '!' || c > '~' || c == '=')
			return false;
	}
	return true;
}

/* one "KEY[=value]" parameter of MAIL; false when answered with an error */
static bool mail_param(struct session *s, char *kw, char *val, unsigned *seen)
{
	enum { P_SIZE = 1, P_BODY = 2, P_ENVID = 4, P_RET = 8, P_AUTH = 16, P_BY = 32 };

	if (strcasecmp(kw, "SIZE") == 0) {
		char *end;
		unsigned long long v;
		if (val == NULL) {
			param_error(s, "501", "5.5.2", "SIZE requires a value");
			return false;
		}
		errno = 0;
		if (*val == '-') {
			param_error(s, "552", "5.2.3", "Message size invalid");
			return false;
		}
		v = strtoull(val, &end, 10);
		if (errno == ERANGE || v > (unsigned long long)LONG_MAX) {
			param_error(s, "552", "5.2.3", "Message size exceeds maximum value");
			return false;
		}
		s->msgsize = (long)v;
		s->declsize = s->msgsize;	/* 8.17 logs it until DATA */
		setmac_long("{msg_size}", s->msgsize);
		if (s->maxsize > 0 && s->msgsize > s->maxsize) {
			param_error(s, "552", "5.2.3",
				    "Message size exceeds fixed maximum message size (%ld)", s->maxsize);
			return false;
		}
		*seen |= P_SIZE;
	} else if (strcasecmp(kw, "BODY") == 0) {
		if (val == NULL) {
			param_error(s, "501", "5.5.2", "BODY requires a value");
			return false;
		}
		if (strcasecmp(val, "8BITMIME") != 0 && strcasecmp(val, "7BIT") != 0) {
			param_error(s, "501", "5.5.4", "Unknown BODY type %s", val);
			return false;
		}
		free(s->bodytype);
		s->bodytype = xstrdup(val);
		*seen |= P_BODY;
	} else if (strcasecmp(kw, "ENVID") == 0) {
		if (!(s->feat & FEAT_DSN)) {
			param_error(s, "504", "5.7.0", "Sorry, ENVID not supported, we do not allow DSN");
			return false;
		}
		if (val == NULL) {
			param_error(s, "501", "5.5.2", "ENVID requires a value");
			return false;
		}
		if (!xtext_ok(val)) {
			param_error(s, "501", "5.5.4", "Syntax error in ENVID parameter value");
			return false;
		}
		if ((*seen & P_ENVID) || s->envid != NULL) {
			param_error(s, "501", "5.5.0", "Duplicate ENVID parameter");
			return false;
		}
		free(s->envid);
		s->envid = xstrdup(val);
		setmac("{dsn_envid}", val);
		*seen |= P_ENVID;
	} else if (strcasecmp(kw, "RET") == 0) {
		if (!(s->feat & FEAT_DSN)) {
			param_error(s, "504", "5.7.0", "Sorry, RET not supported, we do not allow DSN");
			return false;
		}
		if (val == NULL) {
			param_error(s, "501", "5.5.2", "RET requires a value");
			return false;
		}
		if ((*seen & P_RET) || s->ret_given) {
			param_error(s, "501", "5.5.0", "Duplicate RET parameter");
			return false;
		}
		if (strcasecmp(val, "HDRS") != 0 && strcasecmp(val, "FULL") != 0) {
			param_error(s, "501", "5.5.2", "Bad argument \"%s\" to RET", val);
			return false;
		}
		s->ret_given = true;
		s->ret_hdrs = strcasecmp(val, "HDRS") == 0;
		setmac("{dsn_ret}", val);
		*seen |= P_RET;
	} else if (strcasecmp(kw, "AUTH") == 0) {
		if (val == NULL) {
			param_error(s, "501", "5.5.2", "AUTH= requires a value");
			return false;
		}
		if (*seen & P_AUTH) {
			param_error(s, "501", "5.5.0", "Duplicate AUTH parameter");
			return false;
		}
		if (!xtext_ok(val) && strcmp(val, "<>") != 0) {
			param_error(s, "501", "5.5.4", "Syntax error in AUTH parameter value");
			return false;
		}
		/* without an authenticated session the claim is not passed on (8.17 drops it) */
		*seen |= P_AUTH;
	} else if (strcasecmp(kw, "BY") == 0) {
		char *semi, *end;
		long secs;
		if (val == NULL) {
			param_error(s, "501", "5.5.2", "BY= requires a value");
			return false;
		}
		if ((*seen & P_BY) || s->deliverby != NULL) {
			param_error(s, "501", "5.5.0", "Duplicate BY parameter");
			return false;
		}
		semi = strchr(val, ';');
		if (semi == NULL) {
			param_error(s, "501", "5.5.2", "BY= missing ';'");
			return false;
		}
		secs = strtol(val, &end, 10);
		if (toupper((unsigned char)semi[1]) != 'R' && toupper((unsigned char)semi[1]) != 'N') {
			param_error(s, "501", "5.5.2", "illegal by-mode '%c'", semi[1]);
			return false;
		}
		if (toupper((unsigned char)semi[1]) == 'R' && secs <= 0) {
			param_error(s, "501", "5.5.4", "mode R requires BY time > 0");
			return false;
		}
		{
			/* the qf's "!" record: the mode as a flag byte (1 notify, 2 return, 0x10
			 * trace), a space, the seconds */
			char b[64];
			int flag = toupper((unsigned char)semi[1]) == 'N' ? 1 : 2;
			if (semi[2] == 'T' || semi[2] == 't')
				flag |= 0x10;
			snprintf(b, sizeof b, "%c %ld", flag, secs);
			free(s->deliverby);
			s->deliverby = xstrdup(b);
		}
		*seen |= P_BY;
	} else {
		param_error(s, "555", "5.5.4", "%.*s parameter unrecognized", (int)strcspn(kw, "("), kw);	/* 8.17 cuts the name at a comment */
		return false;
	}
	return true;
}

static void cmd_mail(struct session *s, char *arg)
{
	char *p = skip_word(arg, "from:"), *addr, *params;
	size_t n;
	ADDRESS a;
	ADDRESS *pa = NULL;

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
	setmac("{addr_type}", "e s");
	setmac("{nrcpts}", "0");
	setmac("{nbadrcpts}", "0");
	setmac("{ntries}", "0");
	free(s->localuser);
	s->localuser = NULL;
	/* the HELO name is a macro of the transaction in 8.17, not of the session */
	setmac("s", s->helo);
	s->replied = false;
	if (strcmp(addr, "<>") == 0) {
		setmac("{mail_mailer}", "local");
		setmac("{mail_host}", NULL);
		setmac("{mail_addr}", "<>");
		setmac("f", "<>");
	} else {
		/* the whole rest of the line is scanned: a complaint of the scanner names it */
		char *work = arena_strdup(Scratch, p);
		const char *dp;
		pa = parseaddr(work, &a, RF_COPYNONE | RF_SENDERADDR, ' ', &dp, false);
		if (s->replied || ctrl_refused(s, addr))
			goto fail;
		if (pa == NULL) {
			reply(s, "501 5.0.0 Missing sender address");
			goto fail;
		}
		set_addr_macros("mail", pa);
		s->localuser = pa->mailer == LocalMailer && pa->user != NULL ? xstrdup(pa->user) : NULL;
		{
			char *g = xstrdup(addr);
			size_t gl = strlen(g);
			if (gl >= 2 && g[0] == '<' && g[gl - 1] == '>') {
				memmove(g, g + 1, gl - 2);
				g[gl - 2] = '\0';
			}
			setmac("f", g);
			free(g);
		}
	}
	/* parameters */
	{
		char *copy = xstrdup(params), *w, *save;
		unsigned seen = 0;
		int np = 0;
		bool bad = false;
		for (w = strtok_r(copy, " \t\r\f\v", &save); w != NULL && !bad;
		     w = strtok_r(NULL, " \t\r\f\v", &save)) {
			char *eq = strchr(w, '=');
			if (eq != NULL)
				*eq++ = '\0';
			if (++np > 20) {
				param_error(s, "501", "5.5.4", "Too many parameters");
				bad = true;
				break;
			}
			if (!mail_param(s, w, eq, &seen))
				bad = true;
		}
		free(copy);
		if (bad)
			goto fail;
	}
	free(s->logfrom);
	s->logfrom = xstrdup(addr);
	if (rs_refuses(s, "check_mail", addr, NULL, addr))
		goto fail;
	s->sender = addr;
	s->gotmail = true;
	reply(s, "250 2.1.0 %s... Sender ok", addr);
	setmac("{addr_type}", NULL);
	return;
fail:
	setmac("{addr_type}", NULL);
	/* what the parameters set stays in the envelope (a later ENVID= is a duplicate), as
	 * in 8.17, until RSET or the end of a message */
	free(addr);
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

/* NOTIFY=NEVER or a list of SUCCESS, FAILURE, DELAY */
static bool parse_notify(const char *v, unsigned *flags)
{
	char *copy, *w, *save;
	bool ok = true;

	*flags = QR_HASNOTIFY;
	if (strcasecmp(v, "NEVER") == 0)
		return true;
	copy = xstrdup(v);
	for (w = strtok_r(copy, ",", &save); w != NULL && ok; w = strtok_r(NULL, ",", &save)) {
		if (strcasecmp(w, "SUCCESS") == 0)
			*flags |= QR_NOTIFY_SUCCESS;
		else if (strcasecmp(w, "FAILURE") == 0)
			*flags |= QR_NOTIFY_FAILURE;
		else if (strcasecmp(w, "DELAY") == 0)
			*flags |= QR_NOTIFY_DELAY;
		else
			ok = false;
	}
	free(copy);
	return ok;
}

/* the RCPT parameters; false when one was answered with an error */
static bool rcpt_params(struct session *s, const char *params, unsigned *notify, char **orcpt)
{
	char *copy = xstrdup(params), *w, *save;
	bool ok = true;

	*notify = 0;
	*orcpt = NULL;
	for (w = strtok_r(copy, " \t\r\f\v", &save); w != NULL && ok; w = strtok_r(NULL, " \t\r\f\v", &save)) {
		char *eq = strchr(w, '=');
		if (eq != NULL)
			*eq++ = '\0';
		if (strcasecmp(w, "NOTIFY") == 0 || strcasecmp(w, "ORCPT") == 0) {
			bool isnotify = toupper((unsigned char)w[0]) == 'N';
			if (!(s->feat & FEAT_DSN)) {
				param_error(s, "504", "5.7.0",
					    "Sorry, %s not supported, we do not allow DSN",
					    isnotify ? "NOTIFY" : "ORCPT");
				ok = false;
			} else if (eq == NULL) {
				param_error(s, "501", "5.5.2", "%s requires a value",
					    isnotify ? "NOTIFY" : "ORCPT");
				ok = false;
			} else if (isnotify) {
				char *c = xstrdup(eq), *bad = c, *sv;
				if (!parse_notify(eq, notify)) {
					/* the word that failed, as 8.17 names it */
					for (bad = strtok_r(c, ",", &sv); bad != NULL;
					     bad = strtok_r(NULL, ",", &sv)) {
						if (strcasecmp(bad, "SUCCESS") && strcasecmp(bad, "FAILURE") &&
						    strcasecmp(bad, "DELAY"))
							break;
					}
					param_error(s, "501", "5.5.4", "Bad argument \"%s\"  to NOTIFY",
						    bad != NULL ? bad : eq);
					ok = false;
				} else
					setmac("{dsn_notify}", eq);
				free(c);
			} else {
				char *semi = strchr(eq, ';');
				if (*orcpt != NULL) {
					param_error(s, "501", "5.5.0", "Duplicate ORCPT parameter");
					ok = false;
				} else if (semi == NULL || semi == eq || !xtext_ok(semi + 1)) {
					param_error(s, "501", "5.5.4", "Syntax error in ORCPT parameter value");
					ok = false;
				} else
					*orcpt = xstrdup(eq);
			}
		} else {
			param_error(s, "555", "5.5.4", "%.*s parameter unrecognized", (int)strcspn(w, "("), w);
			ok = false;
		}
	}
	free(copy);
	if (!ok) {
		free(*orcpt);
		*orcpt = NULL;
	}
	return ok;
}

static void cmd_rcpt(struct session *s, char *arg)
{
	char *p = skip_word(arg, "to:"), *addr, *work, *orcpt = NULL;
	const char *dp;
	size_t n, i;
	unsigned notify = 0;
	ADDRESS a, *pa;
	long throttle = option_long("BadRcptThrottle", 0);

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
	/* BadRcptThrottle: a client that keeps trying bad recipients is slowed down */
	if (throttle > 0 && (long)s->nbadrcpts >= throttle) {
		struct timespec ts = { 1, 0 };
		flush_out(s);
		if (LogLevel > 5 && (long)s->nbadrcpts == throttle)
			sm_syslog(LOG_INFO, s->id,
				  "%s: Possible SMTP RCPT flood, throttling.", s->client);
		nanosleep(&ts, NULL);
	}
	n = addr_len(p);
	addr = xstrndup(p, n);
	setmac("{addr_type}", "e r");
	setmac("{dsn_notify}", NULL);
	s->replied = false;
	work = arena_strdup(Scratch, p);	/* the whole rest, as in MAIL */
	pa = parseaddr(work, &a, RF_COPYNONE, ' ', &dp, true);
	if (!s->replied && ctrl_refused(s, addr))
		pa = NULL;
	if (s->replied) {
		log_refusal(s, "5");
		goto bad;
	}
	if (pa == NULL) {
		reply(s, "501 5.0.0 Missing recipient");
		goto bad;
	}
	if (!rcpt_params(s, p + n, &notify, &orcpt)) {
		log_refusal(s, "501");
		goto bad;
	}
	set_addr_macros("rcpt", pa);
	if (rs_refuses(s, "check_rcpt", addr, NULL, addr))
		goto bad;
	/* duplicates answer with the address first given */
	for (i = 0; i < s->nrcpts; i++) {
		struct rcpt *r = &s->rcpts[i];
		if (strcmp(r->mailer, pa->mailer->name) == 0 && strcmp(r->user, pa->user) == 0 &&
		    strcasecmp(r->host ? r->host : "", pa->host ? pa->host : "") == 0) {
			reply(s, "250 2.1.5 %s... Recipient ok", r->paddr);
			s->naccepted++;
			free(addr);
			free(orcpt);
			goto good;
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
	setmac_long("{nrcpts}", (long)s->nrcpts);
	reply(s, "250 2.1.5 %s... Recipient ok", addr);
good:
	/* an accepted recipient's macros are not left for the next stage */
	setmac("{rcpt_addr}", NULL);
	setmac("{rcpt_host}", NULL);
	setmac("{rcpt_mailer}", NULL);
	setmac("{addr_type}", NULL);
	setmac("{dsn_notify}", NULL);
	return;
bad:
	setmac("{addr_type}", NULL);
	setmac("{dsn_notify}", NULL);
	free(orcpt);
	s->nbadrcpts++;
	setmac_long("{nbadrcpts}", (long)s->nbadrcpts);
	free(addr);
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
		if (rs_refuses(s, "check_data", num, NULL, NULL))
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
	/* the end of the header and of the message, as the policy sees them */
	if (failtext == NULL) {
		size_t hbytes = 0;
		char num[32], num2[32];
		for (i = 0; i < c.hdr.n; i++) {
			hbytes += strlen(c.hdr.f[i].name) + strlen(c.hdr.f[i].value) + 2;
			if (strcasecmp(c.hdr.f[i].name, "Message-Id") == 0) {
				const char *v = c.hdr.f[i].value;
				while (*v == ' ' || *v == '\t')
					v++;
				setmac("{msg_id}", v);
			}
		}
		if (c.hdr.done)
			hbytes++;	/* the empty line that ended it */
		snprintf(num, sizeof num, "%zu", c.hdr.n);
		snprintf(num2, sizeof num2, "%zu", hbytes);
		if (rs_refuses(s, "check_eoh", num, num2, NULL)) {
			queue_abort(&q, &e);
			goto out;
		}
		setmac_long("{msg_size}", c.msgsize);
		snprintf(num, sizeof num, "%ld", c.msgsize);
		if (rs_refuses(s, "check_eom", num, NULL, NULL)) {
			queue_abort(&q, &e);
			goto out;
		}
	}
	if (s->discard) {
		queue_abort(&q, &e);
		reply(s, "250 2.0.0 %s Message accepted for delivery", e.id != NULL ? e.id : "");
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
	/* MAIL parsed the sender already: a local one has a full name */
	fullname = s->localuser != NULL ? local_fullname(s->localuser, NULL) : NULL;
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
	if (s->deliverby != NULL)
		e.deliverby = xstrdup(s->deliverby);
	if (s->auth != NULL)
		e.auth = xstrdup(s->auth);
	if (s->quarmsg != NULL)
		e.quarmsg = xstrdup(s->quarmsg);
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

struct expn {
	char **addr;		/* the reply text for each address: "Full Name <user@host>" */
	char **key;		/* mailer:host:user, to drop duplicates */
	bool *local;
	size_t n;
};

/* the reply text for one resolved address */
static char *vrfy_text(ADDRESS *pa, const char *given)
{
	sbuf b = SBUF_INIT;
	const char *j = macvalue('j');

	sb_init(&b);
	if (pa->mailer == LocalMailer) {
		struct passwd *pw = is_alias(pa->user) ? NULL : getpwnam(pa->user);
		if (pw != NULL && pw->pw_gecos != NULL && pw->pw_gecos[0] != '\0') {
			size_t k = strcspn(pw->pw_gecos, ",");
			sb_put(&b, pw->pw_gecos, k);
			sb_putc(&b, ' ');
		}
		sb_printf(&b, "<%s@%s>", pa->user, j ? j : "");
	} else {
		size_t gl = strlen(given);
		if (gl >= 2 && given[0] == '<' && given[gl - 1] == '>')
			sb_printf(&b, "%.*s", (int)gl, given);
		else
			sb_printf(&b, "<%s>", given);
	}
	return sb_steal(&b);
}

/* the members of an alias value: comma-separated, quotes and brackets respected */
static char **split_members(const char *v, size_t *n)
{
	char **out = NULL;
	size_t cnt = 0;
	const char *p = v;

	while (*p != '\0') {
		const char *st;
		bool q = false;
		int depth = 0;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		st = p;
		for (; *p != '\0'; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				q = !q;
			else if (!q && *p == '<')
				depth++;
			else if (!q && *p == '>' && depth > 0)
				depth--;
			else if (!q && depth == 0 && *p == ',')
				break;
		}
		{
			size_t len = (size_t)(p - st);
			while (len > 0 && (st[len - 1] == ' ' || st[len - 1] == '\t' || st[len - 1] == '\n'))
				len--;
			out = xreallocarray(out, cnt + 1, sizeof *out);
			out[cnt++] = xstrndup(st, len);
		}
	}
	*n = cnt;
	return out;
}

/* expand one address into x; false after an error reply */
static bool expand_addr(struct session *s, const char *addr, struct expn *x, int depth)
{
	ADDRESS a, *pa;
	char *work = arena_strdup(Scratch, addr), *key;
	const char *v;
	MAP *m;
	int st = EX_OK;
	size_t i;

	if (depth > option_long("MaxAliasRecursion", 10)) {
		reply(s, "554 5.4.6 aliasing/forwarding loop broken");
		return false;
	}
	s->replied = false;
	pa = parseaddr(work, &a, RF_COPYNONE, '\0', NULL, true);
	if (s->replied)
		return false;
	if (pa == NULL) {
		reply(s, "501 5.5.2 Argument required");
		return false;
	}
	if (pa->mailer == LocalMailer && (m = map_find("aliases")) != NULL) {
		key = arena_strdup(Scratch, pa->user);
		makelower(key);
		v = map_lookup(m, key, NULL, &st);
		if (v != NULL) {
			size_t n;
			char *copy = xstrdup(v);
			char **mem = split_members(copy, &n);
			bool ok = true;
			free(copy);
			for (i = 0; i < n; i++) {
				if (ok && strncasecmp(mem[i], ":include:", 9) == 0) {
					FILE *fp = fopen(mem[i] + 9, "r");
					char *line = NULL;
					size_t cap = 0;
					if (fp == NULL) {
						CurAddr = mem[i];
						usrerr("550 5.2.4 Cannot open %s: %s", mem[i] + 9, strerror(errno));
						CurAddr = NULL;
						ok = false;
					}
					while (ok && fp != NULL && getline(&line, &cap, fp) > 0) {
						size_t k = strcspn(line, "\r\n");
						line[k] = '\0';
						if (line[0] == '\0' || line[0] == '#')
							continue;
						ok = expand_addr(s, line, x, depth + 1);
					}
					free(line);
					if (fp != NULL)
						fclose(fp);
				} else if (ok)
					ok = expand_addr(s, mem[i], x, depth + 1);
				free(mem[i]);
			}
			free(mem);
			return ok;
		}
	}
	if (pa->mailer == LocalMailer && pa->user[0] != '|' && pa->user[0] != '/' &&
	    getpwnam(pa->user) == NULL) {
		CurAddr = addr;
		usrerr("550 5.1.1 User unknown");
		CurAddr = NULL;
		return false;
	}
	{
		sbuf k = SBUF_INIT;
		sb_init(&k);
		sb_printf(&k, "%s:%s:%s", pa->mailer->name, pa->host ? pa->host : "", pa->user);
		for (i = 0; i < x->n; i++)
			if (strcasecmp(x->key[i], k.s) == 0)
				break;
		if (i < x->n) {
			/* found again: it counts where it was found last */
			free(x->addr[i]);
			free(x->key[i]);
			memmove(x->addr + i, x->addr + i + 1, (x->n - i - 1) * sizeof *x->addr);
			memmove(x->key + i, x->key + i + 1, (x->n - i - 1) * sizeof *x->key);
			memmove(x->local + i, x->local + i + 1, (x->n - i - 1) * sizeof *x->local);
			x->n--;
		}
		x->addr = xreallocarray(x->addr, x->n + 1, sizeof *x->addr);
		x->key = xreallocarray(x->key, x->n + 1, sizeof *x->key);
		x->local = xreallocarray(x->local, x->n + 1, sizeof *x->local);
		x->addr[x->n] = vrfy_text(pa, addr);
		x->key[x->n] = sb_steal(&k);
		x->local[x->n] = pa->mailer == LocalMailer;
		x->n++;
	}
	return true;
}

static void cmd_vrfy(struct session *s, char *arg, bool expn)
{
	ADDRESS a, *pa;
	char *work;

	while (*arg == ' ')
		arg++;
	if (expn ? !(s->feat & FEAT_EXPN) : (s->privacy & PRIV_NOVRFY)) {
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
	if (rs_refuses(s, expn ? "check_expn" : "check_vrfy", arg, NULL, NULL)) {
		s->nbadrcpts++;
		return;
	}
	if (expn) {
		struct expn x;
		size_t i, k, order = 0;
		memset(&x, 0, sizeof x);
		if (expand_addr(s, arg, &x, 0)) {
			/* 8.17 lists the local addresses last found first, then the others */

			char **out = xreallocarray(NULL, x.n + 1, sizeof *out);
			for (i = x.n; i-- > 0;)
				if (x.local[i])
					out[order++] = x.addr[i];
			for (i = 0; i < x.n; i++)
				if (!x.local[i])
					out[order++] = x.addr[i];
			for (k = 0; k < order; k++)
				reply(s, "250%c2.1.5 %s", k + 1 < order ? '-' : ' ', out[k]);
			free(out);
		} else
			s->nbadrcpts++;
		for (i = 0; i < x.n; i++) {
			free(x.addr[i]);
			free(x.key[i]);
		}
		free(x.addr);
		free(x.key);
		free(x.local);
		return;
	}
	s->replied = false;
	work = arena_strdup(Scratch, arg);
	pa = parseaddr(work, &a, RF_COPYNONE, '\0', NULL, true);
	if (s->replied) {
		s->nbadrcpts++;
		return;
	}
	if (pa == NULL) {
		reply(s, "501 5.5.2 Argument required");
		return;
	}
	if (pa->mailer == LocalMailer && !is_alias(pa->user) && getpwnam(pa->user) == NULL) {
		CurAddr = arg;
		usrerr("550 5.1.1 User unknown");
		CurAddr = NULL;
		s->nbadrcpts++;
		return;
	}
	{
		char *t = vrfy_text(pa, arg);
		reply(s, "%s 2.1.5 %s", bitnset('q', pa->mailer->flags) ? "250" : "252", t);
		free(t);
	}
}

/* ---- HELP ---- */

static void cmd_help(struct session *s, char *arg)
{
	const char *hf = option_value("HelpFile");
	FILE *fp = hf != NULL && *hf != '\0' ? fopen(hf, "r") : NULL;
	char *line = NULL, *topic;
	size_t cap = 0, tl;
	bool found = false;
	sbuf x = SBUF_INIT, t = SBUF_INIT;

	if (fp == NULL) {
		reply(s, "502 5.3.0 Sendmail %s -- HELP not implemented", VERSION_STRING);
		return;
	}
	while (*arg == ' ' || *arg == '\t')
		arg++;
	topic = xstrdup(*arg != '\0' ? arg : "smtp");
	tl = strlen(topic);
	sb_init(&x);
	sb_init(&t);
	while (getline(&line, &cap, fp) > 0) {
		size_t k = strcspn(line, "\r\n");
		char *tab;
		line[k] = '\0';
		if (line[0] == '#')
			continue;
		tab = strchr(line, '\t');
		if (tab == NULL ? strcasecmp(line, topic) != 0
				: (size_t)(tab - line) != tl || strncasecmp(line, topic, tl) != 0)
			continue;
		/* the text is expanded as a macro template ($v, $j ...) */
		sb_reset(&t);
		translate_dollars(tab != NULL ? tab + 1 : "", &t);
		expand(t.s, &x);
		reply(s, "214-2.0.0 %s", x.s);
		found = true;
	}
	fclose(fp);
	free(line);
	if (found)
		reply(s, "214 2.0.0 End of HELP info");
	else
		reply(s, "504 5.3.0 HELP topic \"%s\" unknown", topic);
	free(topic);
	sb_free(&x);
	sb_free(&t);
}

/* ---- ETRN ---- */

/* A queue run in the background for the recipients at host ("@domain": its subdomains
 * too), as -qR selects them: "@host" as a part of the address, or "domain" for "@domain".
 * Two forks, so that the session neither waits for it nor leaves a zombie. */
static void etrn_run(struct session *s, const char *host)
{
	pid_t pid = fork();

	if (pid < 0)
		return;
	if (pid > 0) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return;
	}
	if (fork() != 0)
		_exit(0);
	{
		static const char *qargs[1];
		sbuf r = SBUF_INIT;
		sb_init(&r);
		if (host[0] == '@')
			sb_printf(&r, "R%s", host + 1);
		else
			sb_printf(&r, "R@%s", host);
		qargs[0] = sb_steal(&r);
		Cmd.qargs = qargs;
		Cmd.nqargs = 1;
		close(s->in.fd);
		if (s->outfd != s->in.fd)
			close(s->outfd);
		_exit(queue_run_once() >= 0 ? EX_OK : EX_TEMPFAIL);
	}
}

static void cmd_etrn(struct session *s, char *arg)
{
	if (!(s->feat & FEAT_ETRN)) {
		reply(s, "502 5.7.0 Sorry, we do not allow this operation");
		return;
	}
	if (*arg == '\0') {
		reply(s, "500 5.5.2 Parameter required");
		return;
	}
	if (rs_refuses(s, "check_etrn", arg, NULL, NULL))
		return;
	if (arg[0] == '#') {
		/* a queue group: only the default one, "mqueue", exists here */
		if (strcmp(arg + 1, "mqueue") != 0) {
			reply(s, "459 4.5.4 Queue %s unknown", arg + 1);
			return;
		}
		reply(s, "250 2.0.0 Queuing for queue group %s started", arg + 1);
		return;
	}
	if (LogLevel > 5)
		sm_syslog(LOG_INFO, s->id, "%s: ETRN %s", s->client, arg);
	reply(s, "250 2.0.0 Queuing for node %s started", arg);
	flush_out(s);
	etrn_run(s, arg);
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
	clientname_lookup((const struct sockaddr *)&c->peer, c->peerlen, &s->cn);
	if (strcmp(s->cn.resolve, "OK") == 0 || strcmp(s->cn.resolve, "FORGED") == 0)
		sb_printf(&b, "%s [%s]", s->cn.ptr, s->cn.addr);
	else
		sb_printf(&b, "[%s]", s->cn.addr);
	if (strcmp(s->cn.resolve, "FORGED") == 0)
		sb_puts(&b, " (may be forged)");
	s->client = sb_steal(&b);
	setmac("{client_addr}", s->cn.addr);
	setmac("{client_name}", s->cn.name);
	setmac("{client_ptr}", s->cn.ptr);
	setmac("{client_resolve}", s->cn.resolve);
	setmac("{client_port}", s->cn.port);
	setmac("_", s->cn.relay);
	if (macvalue(macid("{daemon_name}")) == NULL && c->daemon_name != NULL)
		setmac("{daemon_name}", c->daemon_name);
}

/* what EHLO offers and the commands allow: PrivacyOptions, the daemon's modifiers, then
 * the srv_features ruleset (a lower-case letter turns a feature on, upper-case off) */
static unsigned features(struct session *s)
{
	unsigned f = FEAT_PIPELINING;
	sbuf r = SBUF_INIT;
	bool err;
	const char *m = s->c != NULL ? s->c->modifiers : NULL;

	if (!(s->privacy & PRIV_NOEXPN))
		f |= FEAT_EXPN;
	if (!(s->privacy & PRIV_NOVERB))
		f |= FEAT_VERB;
	if (!(s->privacy & PRIV_NORECEIPTS))
		f |= FEAT_DSN;
	if (!(s->privacy & PRIV_NOETRN) && (m == NULL || strchr(m, 'E') == NULL))
		f |= FEAT_ETRN;
	sb_init(&r);
	if (s->c != NULL && s->c->daemon && rsquery("srv_features", "srv_features", &r, &err) && !err) {
		const char *p;
		for (p = r.s; *p != '\0'; p++) {
			unsigned bit;
			switch (tolower((unsigned char)*p)) {
			case 'x': bit = FEAT_EXPN; break;
			case 'b': bit = FEAT_VERB; break;
			case 'd': bit = FEAT_DSN; break;
			case 'e': bit = FEAT_ETRN; break;
			case 'p': bit = FEAT_PIPELINING; break;
			default: bit = 0; break;
			}
			if (islower((unsigned char)*p))
				f |= bit;
			else
				f &= ~bit;
		}
	}
	sb_free(&r);
	return f;
}

/* greet_pause: wait before the greeting; true if the client spoke first */
static bool greet_pause(struct session *s)
{
	sbuf r = SBUF_INIT;
	bool err, early = false;
	long ms;
	const char *cn = macvalue(macid("{client_name}")), *ca = macvalue(macid("{client_addr}"));
	sbuf key = SBUF_INIT;

	if (s->c == NULL || !s->c->daemon || !have_ruleset("greet_pause"))
		return false;
	sb_init(&r);
	sb_init(&key);
	sb_printf(&key, "%s", cn ? cn : "");
	(void)ca;
	{
		/* the ruleset gets "client_name $| client_addr" */
		sbuf in = SBUF_INIT;
		sb_init(&in);
		sb_printf(&in, "%s %c %s", cn ? cn : "", CONDELSE, ca ? ca : "");
		if (rsquery("greet_pause", in.s, &r, &err) && !err) {
			ms = strtol(r.s, NULL, 10);
			if (ms > 0) {
				struct pollfd pfd = { s->in.fd, POLLIN, 0 };
				int n;
				do
					n = poll(&pfd, 1, (int)(ms > 3600000 ? 3600000 : ms));
				while (n < 0 && errno == EINTR);
				if (n > 0 && (pfd.revents & POLLIN)) {
					early = true;
					if (LogLevel > 0)
						sm_syslog(LOG_INFO, macvalue('i'),
							  "rejecting commands from %s [%s] due to pre-greeting traffic after %ld seconds",
							  s->cn.ptr != NULL && s->cn.ptr[0] != '[' ? s->cn.ptr : "",
							  s->cn.addr, ms / 1000);
				}
			}
		}
		sb_free(&in);
	}
	sb_free(&r);
	sb_free(&key);
	return early;
}

int smtpd(int infd, int outfd, const struct smtp_client *c)
{
	struct session s;
	sbuf line = SBUF_INIT, greet = SBUF_INIT;
	const char *j = macvalue('j');
	char date[80];
	int bare;
	enum rl got = RL_EOF;
	bool early = false;
	const char *dname = c != NULL && c->daemon && c->daemon_name != NULL ? c->daemon_name : "";

	memset(&s, 0, sizeof s);
	s.in.fd = infd;
	s.in.rcvtimeo = -1;
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
	client_identity(&s);
	{
		const char *cn = macvalue(macid("{client_name}"));
		s.realhost = xstrdup(cn != NULL ? cn : "localhost");
	}
	reset_transaction(&s);

	if (c != NULL && c->daemon) {
		/* check_relay: a refusal answers the commands that could lead to a message */
		sbuf r = SBUF_INIT;
		sb_init(&r);
		if (rscheck("check_relay", s.cn.name, s.cn.addr, NULL, &r) == PS_REJECT) {
			if (strncmp(r.s, "421", 3) == 0) {
				reply(&s, "%s", r.s);
				close_session(&s);
			}
			s.nullserver = xstrdup(r.s);
			s.rejected = true;
			setmac("i", NULL);	/* a refused connection gets no envelope */
		}
		sb_free(&r);
	}
	new_id(&s);	/* after check_relay: a refused connection has no envelope ($i) */
	s.feat = features(&s);
	early = greet_pause(&s);
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
		if (early) {
			reply(&s, "554 %s ESMTP not accepting messages", j ? j : "");
			free(s.nullserver);
			s.nullserver = xstrdup("550 5.0.0 Command rejected");
			s.rejected = true;
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
		/* nullserver: what could lead to a message gets the refusal; HELO, EHLO, RSET,
		 * NOOP and unknown commands are answered as usual */
		if (s.rejected && known_command(cmd, clen) && !IS("noop") && !IS("rset") &&
		    !IS("ehlo") && !IS("helo")) {
			reply(&s, "%s", s.nullserver != NULL ? s.nullserver : "550 5.0.0 Command rejected");
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
			if (!(s.feat & FEAT_VERB))
				reply(&s, "502 5.7.0 Verbose unavailable");
			else {
				s.verbose = true;
				reply(&s, "250 2.0.0 Verbose mode");
			}
		} else if (IS("help"))
			cmd_help(&s, arg);
		else if (IS("etrn"))
			cmd_etrn(&s, arg);
		else {
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
	free(s.nullserver);
	clientname_free(&s.cn);
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
