/* deliver.c -- one delivery attempt of a queued message (see deliver.h), and the ways a
 * freshly queued message reaches it (DeliveryMode).
 *
 * Recipients are parsed again (rulesets 3 and 0) because the configuration decides the
 * mailer and host at delivery time, as in 8.17; those with the same mailer and host go in
 * one delivery when the mailer takes several (F=m, at most r=).  The message is prepared
 * once per delivery in the form the mailer wants: headers whose ?flags? the mailer has,
 * macros in them expanded with $g as the mailer's rulesets write the sender, the UNIX From
 * line unless F=n (not for SMTP), ">From " escaping with F=E, dots doubled for SMTP and
 * F=X, the E= line ends.
 *
 * Background delivery in the daemon does not fork per message: the daemon starts a few
 * delivery processes that share one datagram socket; an SMTP session, once the message is
 * committed and its 250 sent, unlocks the qf and sends the queue id there.  Whichever
 * process receives it locks the qf and delivers over its cached connections.  A lost
 * datagram leaves the message queued for the next queue run, never lost. */
#include "deliver.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "address.h"
#include "cmdline.h"
#include "conf.h"
#include "log.h"
#include "macro.h"
#include "mailexec.h"
#include "mailer.h"
#include "mta.h"
#include "queuerun.h"
#include "recipient.h"
#include "smtpclient.h"
#include "token.h"
#include "xalloc.h"

void (*dsn_hook)(const struct queue *q, struct envelope *e);

/* the result of one recipient in this attempt */
struct dstate {
	MAILER *m;		/* from the expanded list */
	const char *host, *user;
	const char *owner;	/* envelope sender of an owner- list, or NULL */
	unsigned qflags;	/* QR_* of the R record */
	const char *orcpt;
	const char *addr;	/* as the log's to= shows it */
	char *ctladdr;		/* the C record ("user:uid:gid:addr"), or NULL */
	char *ctltext;		/* the log's ctladdr= text, or NULL */
	int stat;		/* -1: not tried yet */
	char *dsn;
	char *text;		/* deferral/failure text for the qf and the log */
	char *relay;
	size_t group;
};

static long option_num(const char *name, long dflt)
{
	const char *v = option_value(name);
	return v != NULL && *v != '\0' ? atol(v) : dflt;
}

/* "hh:mm:ss" or "Nd+hh:mm:ss", as 8.17 prints delays */
static void fmt_delay(sbuf *out, long secs)
{
	if (secs < 0)
		secs = 0;
	if (secs >= 86400)
		sb_printf(out, "%ldd+", secs / 86400);
	secs %= 86400;
	sb_printf(out, "%02ld:%02ld:%02ld", secs / 3600, (secs / 60) % 60, secs % 60);
}

static char *strip_angles(const char *s)
{
	size_t n = strlen(s);
	while (*s == ' ')
		s++, n--;
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		return xstrndup(s + 1, n - 2);
	return xstrdup(s);
}

/* ---- the message text for a mailer ---- */

struct render {
	const char *eol;
	size_t eollen;
	bool dots;		/* double a leading dot */
	bool escfrom;		/* ">From " */
};

static void put_line(sbuf *out, const char *l, size_t n, const struct render *r, bool body)
{
	if (r->dots && n > 0 && l[0] == '.')
		sb_putc(out, '.');
	if (body && r->escfrom && n >= 5 && memcmp(l, "From ", 5) == 0)
		sb_putc(out, '>');
	sb_put(out, l, n);
	sb_put(out, r->eol, r->eollen);
}

static void put_text(sbuf *out, const char *s, size_t n, const struct render *r, bool body)
{
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t l = nl != NULL ? (size_t)(nl - s) : n;
		put_line(out, s, l, r, body);
		if (nl == NULL)
			break;
		n -= l + 1;
		s = nl + 1;
	}
}

static bool header_wanted(const struct qheader *h, MAILER *m)
{
	const char *c = h->cond;

	if (strcasecmp(h->name, "Bcc") == 0 || strcasecmp(h->name, "Resent-Bcc") == 0)
		return false;
	if (c == NULL || *c == '\0')
		return true;
	if (c[0] == '$') {
		/* ?${macro}?: only when the macro has a value */
		const char *v;
		int id = macid(c + 1);
		v = id != 0 ? macvalue(id) : NULL;
		return v != NULL && *v != '\0';
	}
	for (; *c != '\0'; c++)
		if (bitnset((unsigned char)*c, m->flags))
			return true;
	return false;
}

/* the whole message for mailer m into out; body is the df's bytes */
static void render_message(const struct envelope *e, MAILER *m, bool smtp, const sbuf *body,
			   sbuf *out)
{
	struct render r;
	sbuf x = SBUF_INIT, l = SBUF_INIT;
	size_t i;

	sb_init(&x);
	sb_init(&l);
	r.eol = smtp ? "\r\n" : (m->eol != NULL ? m->eol : "\n");
	r.eollen = strlen(r.eol);
	r.dots = smtp || bitnset('X', m->flags);
	r.escfrom = bitnset('E', m->flags);
	if (!smtp && !bitnset('n', m->flags)) {
		const char *fl = option_value("UnixFromLine");
		sbuf t = SBUF_INIT;
		sb_init(&t);
		translate_dollars(fl != NULL ? fl : "From $g $d", &t);
		expand(t.s, &x);
		put_line(out, x.s, x.len, &r, false);
		sb_free(&t);
	}
	for (i = 0; i < e->nhdrs; i++) {
		const struct qheader *h = &e->hdrs[i];
		if (!header_wanted(h, m))
			continue;
		sb_reset(&l);
		sb_puts(&l, h->name);
		sb_putc(&l, ':');
		if (strchr(h->value, '\201') != NULL) {
			expand(h->value, &x);
			sb_put(&l, x.s, x.len);
		} else
			sb_puts(&l, h->value);
		put_text(out, l.s, l.len, &r, false);
	}
	put_line(out, "", 0, &r, false);
	put_text(out, body->s, body->len, &r, true);
	sb_free(&x);
	sb_free(&l);
}

static bool read_body(const struct queue *q, const struct envelope *e, sbuf *body)
{
	sbuf path = SBUF_INIT;
	FILE *fp;
	char buf[65536];
	size_t n;
	bool ok;

	sb_init(&path);
	queue_file(q, "df", e->id, &path);
	fp = fopen(path.s, "re");
	sb_free(&path);
	if (fp == NULL)
		return false;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		sb_put(body, buf, n);
	ok = !ferror(fp);
	fclose(fp);
	return ok;
}

/* ---- the envelope's macros ---- */

static void set_envelope_macros(const struct envelope *e)
{
	size_t i;
	char *s;
	time_t now = time(NULL);
	char d[64];

	for (i = 0; i < e->nmacros; i++) {
		int id = macid(e->macros[i].name);
		if (id != 0)
			macdefine(id, e->macros[i].value);
	}
	macdefine('i', e->id);
	s = strip_angles(e->sender != NULL ? e->sender : "");
	macdefine('f', s);
	macdefine('g', s);
	free(s);
	ctime_r(&now, d);
	d[strcspn(d, "\n")] = '\0';
	macdefine('d', d);
}

/* whom programs and files run as: the controlling user, U=, else DefaultUser */
static void run_ids(MAILER *m, const char *ctladdr, long *uid, long *gid)
{
	*uid = *gid = -1;
	if (bitnset('S', m->flags))
		return;
	if (ctladdr != NULL && ctladdr[0] != ':') {
		const char *p = strchr(ctladdr, ':');
		if (p != NULL) {
			*uid = atol(p + 1);
			p = strchr(p + 1, ':');
			*gid = p != NULL ? atol(p + 1) : (long)DefGid;
			return;
		}
	}
	if (m->uid >= 0) {
		*uid = m->uid;
		*gid = m->gid >= 0 ? m->gid : (long)DefGid;
		return;
	}
	*uid = (long)DefUid;
	*gid = (long)DefGid;
}

/* ---- logging ---- */

static void log_group(const struct envelope *e, struct dstate *st, size_t *idx, size_t n,
		      MAILER *m, time_t xstart)
{
	sbuf b = SBUF_INIT;
	size_t k;
	time_t now = time(NULL);
	struct dstate *s0 = &st[idx[0]];

	if (LogLevel < 9 && s0->stat == EX_OK && LogLevel < 1)
		return;
	sb_init(&b);
	sb_puts(&b, "to=");
	for (k = 0; k < n; k++) {
		if (k > 0)
			sb_putc(&b, ',');
		sb_puts(&b, st[idx[k]].addr);
	}
	if (s0->ctltext != NULL)
		sb_printf(&b, ", ctladdr=%s", s0->ctltext);
	sb_puts(&b, ", delay=");
	fmt_delay(&b, (long)(now - e->ctime));
	sb_puts(&b, ", xdelay=");
	fmt_delay(&b, (long)(now - xstart));
	sb_printf(&b, ", mailer=%s, pri=%ld", m != NULL ? m->name : "error", e->priority);
	if (s0->relay != NULL)
		sb_printf(&b, ", relay=%s", s0->relay);
	sb_printf(&b, ", dsn=%s, stat=", s0->dsn != NULL ? s0->dsn : exit_dsn(s0->stat));
	if (s0->stat == EX_OK) {
		sb_puts(&b, "Sent");
		if (s0->text != NULL && isdigit((unsigned char)s0->text[0])) {
			const char *t = s0->text + 3;
			while (*t == ' ' || *t == '-')
				t++;
			if (isdigit((unsigned char)*t) && t[1] == '.') {
				t += strcspn(t, " ");
				while (*t == ' ')
					t++;
			}
			sb_printf(&b, " (%s)", t);
		}
	} else if (s0->text != NULL)
		sb_puts(&b, s0->text);
	else
		exit_text(s0->stat, &b);
	sm_syslog(s0->stat == EX_OK ? LOG_INFO : LOG_INFO, e->id, "%s", b.s);
	sb_free(&b);
}

/* ---- one delivery (a mailer and a host, some recipients) ---- */

static void set_state(struct dstate *s, int stat, const char *dsn, const char *text, const char *relay)
{
	free(s->dsn);
	free(s->text);
	free(s->relay);
	s->stat = stat;
	s->dsn = dsn != NULL ? xstrdup(dsn) : NULL;
	s->text = text != NULL ? xstrdup(text) : NULL;
	s->relay = relay != NULL ? xstrdup(relay) : NULL;
}

/* the qf text for a deferred recipient, as 8.17 words it */
static void deferral_text(int stat, const char *what, sbuf *out)
{
	if (what != NULL && strncmp(what, "Deferred", 8) == 0) {
		sb_puts(out, what);
		return;
	}
	sb_puts(out, "Deferred");
	if (what != NULL && *what != '\0') {
		sb_puts(out, ": ");
		sb_puts(out, what);
	} else if (stat != EX_TEMPFAIL) {
		sb_puts(out, ": ");
		exit_text(stat, out);
	}
}

static void deliver_group(struct envelope *e, struct dstate *st, size_t *idx, size_t n,
			  const sbuf *body)
{
	MAILER *m = st[idx[0]].m;
	const char *host = st[idx[0]].host;
	bool ipc = m->path != NULL && strcmp(m->path, "[IPC]") == 0;
	bool file = m->path != NULL && strcmp(m->path, "[FILE]") == 0;
	sbuf data = SBUF_INIT, txt = SBUF_INIT;
	time_t xstart = time(NULL);
	char *g;
	int pst = EX_OK;
	size_t k;

	sb_init(&data);
	sb_init(&txt);
	macdefine('h', host);
	macdefine('u', st[idx[0]].user);
	{
		/* $g: the sender (an owner- list's own) as this mailer's rulesets write it */
		const char *snd = st[idx[0]].owner != NULL ? st[idx[0]].owner : e->sender;
		char *raw = strip_angles(snd != NULL ? snd : "");
		g = raw[0] == '\0' ? xstrdup("") :
			strip_angles(remotename(raw, m, RF_SENDERADDR | RF_CANONICAL, &pst));
		free(raw);
		macdefine('g', g);
	}
	render_message(e, m, ipc, body, &data);
	if (ipc) {
		struct smtp_job j;
		struct smtp_rcpt *rr = xcalloc(n, sizeof *rr);
		char **addrs = xcalloc(n, sizeof *addrs);
		memset(&j, 0, sizeof j);
		j.m = m;
		j.host = host != NULL ? host : "";
		j.sender = g;
		j.body8bitmime = e->bodytype != NULL && strcasecmp(e->bodytype, "8BITMIME") == 0;
		j.envid = e->envid;
		j.ret = (e->flags & EF_RET_PARAM) ? ((e->flags & EF_NO_BODY_RETN) ? "HDRS" : "FULL") : NULL;
		j.auth = e->auth;
		j.data = &data;
		/* 8.17 chains a delivery's recipients last first: RCPTs go in that order */
		for (k = 0; k < n; k++) {
			const struct dstate *r = &st[idx[n - 1 - k]];
			addrs[k] = strip_angles(r->user);
			rr[k].addr = addrs[k];
			if (r->qflags & QR_HASNOTIFY) {
				sbuf nf = SBUF_INIT;
				sb_init(&nf);
				if (r->qflags & QR_NOTIFY_SUCCESS)
					sb_puts(&nf, "SUCCESS");
				if (r->qflags & QR_NOTIFY_FAILURE)
					sb_printf(&nf, "%sFAILURE", nf.len ? "," : "");
				if (r->qflags & QR_NOTIFY_DELAY)
					sb_printf(&nf, "%sDELAY", nf.len ? "," : "");
				if (nf.len == 0)
					sb_puts(&nf, "NEVER");
				rr[k].notify = sb_steal(&nf);
			}
			rr[k].orcpt = r->orcpt;
		}
		j.r = rr;
		j.nr = n;
		smtp_deliver(&j);
		for (k = 0; k < n; k++) {
			struct dstate *s = &st[idx[n - 1 - k]];
			sb_reset(&txt);
			if (rr[k].stat == EX_TEMPFAIL)
				deferral_text(rr[k].stat, rr[k].text, &txt);
			else
				sb_puts(&txt, rr[k].text != NULL ? rr[k].text : "");
			set_state(s, rr[k].stat, rr[k].dsn, txt.s, j.relay);
			free(addrs[k]);
			free((char *)rr[k].notify);
		}
		smtp_job_free(&j);
		free(rr);
		free(addrs);
	} else {
		struct exec_job x;
		long uid, gid;
		int rc;
		memset(&x, 0, sizeof x);
		x.m = m;
		x.users = xcalloc(n, sizeof *x.users);
		for (k = 0; k < n; k++)
			x.users[k] = (char *)st[idx[k]].user;
		x.nusers = n;
		x.host = host;
		x.data = &data;
		run_ids(m, st[idx[0]].ctladdr, &uid, &gid);
		x.uid = uid;
		x.gid = gid;
		rc = file ? file_deliver(&x) : exec_deliver(&x);
		sb_reset(&txt);
		if (rc == EX_OK)
			;
		else if (exit_is_temporary(rc))
			deferral_text(rc, NULL, &txt);
		else
			exit_text(rc, &txt);
		if (rc != EX_OK && x.out.len > 0 && LogLevel > 0) {
			/* what the agent said goes to the log, as 8.17's transcript would keep it */
			char *t = x.out.s;
			size_t tl = strcspn(t, "\n");
			sm_syslog(LOG_INFO, e->id, "%s: %.*s", m->name, (int)tl, t);
		}
		for (k = 0; k < n; k++)
			set_state(&st[idx[k]], rc, exit_dsn(rc), rc == EX_OK ? NULL : txt.s,
				  ipc ? host : NULL);
		if (m == LocalMailer || bitnset('l', m->flags)) {
			for (k = 0; k < n; k++) {
				free(st[idx[k]].relay);
				st[idx[k]].relay = NULL;
			}
		}
		sb_free(&x.out);
		free(x.users);
	}
	/* one log line per outcome */
	{
		size_t *sub = xcalloc(n, sizeof *sub), ns, a, b;
		bool *done = xcalloc(n, sizeof *done);
		for (a = 0; a < n; a++) {
			if (done[a])
				continue;
			ns = 0;
			for (b = a; b < n; b++) {
				struct dstate *sa = &st[idx[a]], *sb = &st[idx[b]];
				if (done[b] || sa->stat != sb->stat ||
				    strcmp(sa->text ? sa->text : "", sb->text ? sb->text : "") != 0)
					continue;
				done[b] = true;
				sub[ns++] = idx[b];
			}
			log_group(e, st, sub, ns, m, xstart);
		}
		free(sub);
		free(done);
	}
	free(g);
	sb_free(&data);
	sb_free(&txt);
}

/* ---- the attempt ---- */

static bool same_str(const char *a, const char *b, bool icase)
{
	if (a == NULL || b == NULL)
		return a == b;
	return icase ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

static void qrcpt_clear(struct qrcpt *r)
{
	free(r->addr);
	free(r->xflags);
	free(r->orcpt);
	free(r->finalrcpt);
	free(r->ctladdr);
	free(r->msg);
	memset(r, 0, sizeof *r);
}

static char *dupornull(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

size_t deliver_envelope(const struct queue *q, struct envelope *e, bool requeued)
{
	struct dstate *st;
	struct rcptlist rl;
	struct qrcpt *held = NULL;	/* X recipients: not tried again, kept as they are */
	size_t nheld = 0, i, k, left, ngroups = 0, nst;
	size_t **groups = NULL, *gsize = NULL;
	sbuf body = SBUF_INIT, err = SBUF_INIT, ct = SBUF_INIT;
	time_t start = time(NULL);
	bool anyfailed = false;
	const char *firstdefer = NULL;

	sb_init(&body);
	sb_init(&err);
	sb_init(&ct);
	if (requeued)
		e->priority += option_num("RetryFactor", 90000);
	set_envelope_macros(e);

	/* recipients that failed before wait for their bounce: set them aside */
	for (i = 0, k = 0; i < e->nrcpts; i++) {
		if (e->rcpts[i].flags & QR_FAILED) {
			held = xreallocarray(held, nheld + 1, sizeof *held);
			held[nheld++] = e->rcpts[i];
		} else
			e->rcpts[k++] = e->rcpts[i];
	}
	e->nrcpts = k;

	rcptlist_init(&rl);
	rcpt_expand_envelope(e, &rl, RX_QUIET);
	nst = rl.n;
	st = xcalloc(nst ? nst : 1, sizeof *st);
	for (i = 0; i < nst; i++) {
		struct rcpt *r = &rl.v[i];
		struct qrcpt qr;
		st[i].stat = -1;
		rcpt_qrcpt(&rl, i, &qr);
		st[i].ctladdr = dupornull(qr.ctladdr);
		st[i].qflags = r->qflags;
		st[i].orcpt = r->orcpt;
		st[i].addr = r->paddr;
		st[i].ctltext = dupornull(rcpt_ctladdr_text(&rl, i, &ct));
		if (r->state == RS_BAD) {
			int xs = r->exitstat != EX_OK ? r->exitstat : EX_UNAVAILABLE;
			set_state(&st[i], xs, r->status != NULL ? r->status : exit_dsn(xs),
				  r->rstatus != NULL ? r->rstatus : "Unknown address", NULL);
			log_group(e, st, &i, 1, r->mailer, start);
			continue;
		}
		if (r->state == RS_QUEUEUP) {
			sb_reset(&ct);
			deferral_text(EX_TEMPFAIL, r->rstatus, &ct);
			set_state(&st[i], EX_TEMPFAIL, r->status != NULL ? r->status : "4.4.3", ct.s, NULL);
			log_group(e, st, &i, 1, r->mailer, start);
			continue;
		}
		if (r->state != RS_OK || r->mailer == NULL)
			continue;
		st[i].m = r->mailer;
		st[i].host = r->host;
		st[i].user = r->user;
		st[i].owner = r->owner;
		/* its delivery: same mailer, host and sender, if the mailer takes several */
		for (k = 0; k < ngroups; k++) {
			struct dstate *g0 = &st[groups[k][0]];
			MAILER *m = g0->m;
			if (m != r->mailer || !bitnset('m', m->flags) ||
			    (m->maxrcpt > 0 && gsize[k] >= (size_t)m->maxrcpt))
				continue;
			if (!same_str(g0->host, r->host, true) || !same_str(g0->owner, r->owner, false) ||
			    !same_str(g0->ctladdr, st[i].ctladdr, false))
				continue;
			break;
		}
		if (k == ngroups) {
			groups = xreallocarray(groups, ngroups + 1, sizeof *groups);
			gsize = xreallocarray(gsize, ngroups + 1, sizeof *gsize);
			groups[ngroups] = NULL;
			gsize[ngroups] = 0;
			ngroups++;
		}
		groups[k] = xreallocarray(groups[k], gsize[k] + 1, sizeof **groups);
		groups[k][gsize[k]++] = i;
	}
	if (ngroups > 0 && !read_body(q, e, &body)) {
		sm_syslog(LOG_ERR, e->id, "SYSERR: cannot read df%s: %s", e->id, strerror(errno));
		for (k = 0; k < ngroups; k++)
			for (i = 0; i < gsize[k]; i++)
				set_state(&st[groups[k][i]], EX_TEMPFAIL, "4.3.0",
					  "Deferred: Operating system error", NULL);
		ngroups = 0;
	}
	for (k = 0; k < ngroups; k++) {
		deliver_group(e, st, groups[k], gsize[k], &body);
		macdefine('h', NULL);
		macdefine('u', NULL);
	}
	macdefine('g', NULL);

	/* the new recipient list: what waits for its bounce, what is still to do */
	for (i = 0; i < e->nrcpts; i++)
		qrcpt_clear(&e->rcpts[i]);
	e->nrcpts = 0;
	for (i = 0; i < nheld; i++) {
		struct qrcpt *nr = env_add_rcpt(e, "", 0);
		free(nr->addr);
		*nr = held[i];
	}
	for (i = 0; i < nst; i++) {
		struct dstate *s = &st[i];
		struct qrcpt qr, *nr;
		if (s->stat < 0 || s->stat == EX_OK)
			continue;	/* expanded, duplicate, or delivered */
		rcpt_qrcpt(&rl, i, &qr);
		nr = env_add_rcpt(e, qr.addr, qr.flags);
		free(nr->addr);
		nr->addr = xstrdup(qr.addr);
		nr->orcpt = dupornull(qr.orcpt);
		nr->finalrcpt = dupornull(qr.finalrcpt);
		nr->ctladdr = dupornull(qr.ctladdr);
		nr->msg = dupornull(s->text);
		if (!exit_is_temporary(s->stat)) {
			nr->flags |= QR_FAILED;
			anyfailed = true;
		} else if (firstdefer == NULL && s->text != NULL)
			firstdefer = s->text;
	}
	if (anyfailed && dsn_hook != NULL)
		dsn_hook(q, e);
	left = e->nrcpts;
	if (left == 0) {
		if (queue_remove(q, e) != 0)
			sm_syslog(LOG_ERR, e->id, "SYSERR: cannot remove queue files: %s", strerror(errno));
	} else {
		e->ntries++;
		e->dtime = start;
		if (firstdefer != NULL) {
			free(e->statmsg);
			e->statmsg = xstrdup(firstdefer);
		}
		if (queue_update(q, e, &err) != Q_OK)
			sm_syslog(LOG_ERR, e->id, "SYSERR: cannot rewrite the queue file: %s", err.s);
		queue_unlock(e);
	}
	for (i = 0; i < ngroups; i++)
		free(groups[i]);
	free(groups);
	free(gsize);
	for (i = 0; i < nst; i++) {
		free(st[i].dsn);
		free(st[i].text);
		free(st[i].relay);
		free(st[i].ctladdr);
		free(st[i].ctltext);
	}
	free(st);
	free(held);
	rcptlist_free(&rl);
	sb_free(&body);
	sb_free(&err);
	sb_free(&ct);
	return left;
}

int deliver_queued(const struct queue *q, const char *id, bool requeued)
{
	struct envelope e;
	sbuf err = SBUF_INIT;
	int rc;

	sb_init(&err);
	env_init(&e);
	rc = queue_read(q, id, &e, true, &err);
	if (rc == Q_ERROR)
		sm_syslog(LOG_ERR, id, "SYSERR: %s", err.s);
	if (rc == Q_OK) {
		if (e.quarmsg != NULL)
			queue_unlock(&e);	/* quarantined: held until released */
		else
			deliver_envelope(q, &e, requeued);
	}
	env_free(&e);
	sb_free(&err);
	return rc;
}
