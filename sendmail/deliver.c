/* deliver.c -- one delivery attempt of a queued message (see deliver.h), and the ways a
 * freshly queued message reaches it (DeliveryMode).
 *
 * Recipients are parsed again (rulesets 3 and 0) because the configuration decides the
 * mailer and host at delivery time, as in 8.17; those with the same mailer and host go in
 * one delivery when the mailer takes several (F=m, at most r=).  The message is prepared
 * once per delivery in the form the mailer wants (putmsg.h), with $g as the mailer's
 * rulesets write the sender.
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
#include "dsn.h"
#include "log.h"
#include "macro.h"
#include "mailexec.h"
#include "mailer.h"
#include "mta.h"
#include "policy.h"
#include "putmsg.h"
#include "queuerun.h"
#include "recipient.h"
#include "smtpclient.h"
#include "token.h"
#include "xalloc.h"

/* the result of one recipient in this attempt */
struct dstate {
	MAILER *m;		/* from the expanded list */
	const char *host, *user;
	char *uq;		/* user without quotes (programs, files), or NULL */
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
	bool pending;		/* in a delivery not made yet (for a checkpoint) */
	/* for the notices */
	int xstat;		/* the exit status 8.17 would give it */
	char *rstatus;		/* the reply that decided it (SMTP), or NULL */
	char *remote;		/* the host that answered, or NULL */
	int success;		/* -1, or the DSN_* action of a success notice */
	bool unreported;	/* a member of an alias of several: no success notice */
	time_t when;
};

/* the session transcript of this attempt, as 8.17 writes it into the bounce (its xf) */
static sbuf Xscript = SBUF_INIT;

/* "550 5.1.1 addr... User unknown": the reply code for a final failure */
static void xs_failure(const char *paddr, int stat, const char *dsn, const char *rstatus)
{
	const char *p = rstatus;
	if (p != NULL && strlen(p) > 4 && isdigit((unsigned char)p[0]) && p[3] == ' ') {
		/* "550 5.1.1 text" */
		const char *t = p + 4, *d = NULL;
		size_t dl = 0;
		if (isdigit((unsigned char)*t) && t[1] == '.') {
			d = t;
			dl = strcspn(t, " ");
			t += dl;
			while (*t == ' ')
				t++;
		}
		sb_printf(&Xscript, "%.3s %.*s %s... %s\n", p, (int)(d != NULL ? dl : strlen(dsn)),
			  d != NULL ? d : dsn, paddr, t);
		return;
	}
	sb_printf(&Xscript, "%s %s %s... ", stat == EX_NOUSER || stat == EX_NOHOST ? "550" : "554",
		  dsn != NULL ? dsn : exit_dsn(stat), paddr);
	if (rstatus != NULL)
		sb_puts(&Xscript, rstatus);
	else
		exit_text(stat, &Xscript);
	sb_putc(&Xscript, '\n');
}

static const char *exit_name(int stat)
{
	switch (stat) {
	case EX_TEMPFAIL: return "EX_TEMPFAIL";
	case EX_OSERR: return "EX_OSERR";
	case EX_IOERR: return "EX_IOERR";
	default: return NULL;
	}
}

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

static char *dupornull(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
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
	s->xstat = stat;
	s->when = time(NULL);
}

/* the qf text for a deferred recipient, as 8.17 words it */
/* The configuration's check_compat ruleset on this sender and recipient, asked at delivery
 * as 8.17 asks it.  A refusal, 4xx as well as 5xx, fails the recipient for good (8.17 gives
 * EX_DATAERR, status 5.5.2, whatever the ruleset's code); a discard drops it silently.
 * True if the recipient is settled. */
static bool compat_settled(const struct envelope *e, struct dstate *s, const char *paddr)
{
	sbuf rep = SBUF_INIT;
	int ps;

	if (!have_ruleset("check_compat"))
		return false;
	sb_init(&rep);
	ps = rscheck("check_compat", e->sender != NULL ? e->sender : "", paddr, paddr, &rep);
	if (ps == PS_DISCARD)
		set_state(s, EX_OK, NULL, NULL, NULL);
	else if (ps == PS_REJECT) {
		sb_printf(&Xscript, "%s\n", rep.s);
		sb_printf(&Xscript, "501 %s ", exit_dsn(EX_DATAERR));
		exit_text(EX_DATAERR, &Xscript);
		sb_putc(&Xscript, '\n');
		set_state(s, EX_DATAERR, "5.5.2", NULL, NULL);
		s->xstat = EX_OK;	/* 8.17's notice gives this failure no reason, no diagnostic */
	}
	sb_free(&rep);
	return ps == PS_DISCARD || ps == PS_REJECT;
}

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
	sbuf data = SBUF_INIT, data7 = SBUF_INIT, txt = SBUF_INIT;
	time_t xstart = time(NULL);
	char *g;
	int pst = EX_OK;
	size_t k;

	sb_init(&data);
	sb_init(&data7);
	sb_init(&txt);
	macdefine('h', host);
	macdefine('u', st[idx[0]].user);
	{
		/* $g: the sender (an owner- list's own) as this mailer's rulesets write it */
		const char *snd = st[idx[0]].owner != NULL ? st[idx[0]].owner : e->sender;
		char *raw = strip_angles(snd != NULL ? snd : "");
		/* the sender as recorded (its angle brackets too: "<a:b@c>" is no group) */
		if (raw[0] != '\0')
			g = strip_angles(remotename(snd, m, RF_SENDERADDR | RF_CANONICAL, &pst));
		else if (!ipc && m->se_rwset >= 0) {
			/* the null sender as the mailer's rulesets write it (8.17's local mailer
			 * gets $n: "Return-Path: <MAILER-DAEMON>"); SMTP keeps MAIL FROM:<> */
			g = strip_angles(remotename("<>", m, RF_SENDERADDR | RF_CANONICAL, &pst));
		} else
			g = xstrdup("");
		free(raw);
		macdefine('g', g);
	}
	put_message(e, m, ipc, false, body, &data);
	/* 8-bit MIME for a peer that may not take it: a 7-bit copy ready, as 8.17 converts */
	if (ipc && !bitnset('8', m->flags) && e->bodytype != NULL &&
	    strcasecmp(e->bodytype, "8BITMIME") == 0)
		put_message(e, m, true, true, body, &data7);
	if (ipc) {
		struct smtp_job j;
		struct smtp_rcpt *rr = xcalloc(n, sizeof *rr);
		char **addrs = xcalloc(n, sizeof *addrs);
		memset(&j, 0, sizeof j);
		j.m = m;
		j.host = host != NULL ? host : "";
		/* a notice goes out from <> unless the mailer has F=g */
		j.sender = (e->flags & EF_RESPONSE) && !bitnset('g', m->flags) ? "" : g;
		j.body8bitmime = e->bodytype != NULL && strcasecmp(e->bodytype, "8BITMIME") == 0;
		j.envid = e->envid;
		j.ret = (e->flags & EF_RET_PARAM) ? ((e->flags & EF_NO_BODY_RETN) ? "HDRS" : "FULL") : NULL;
		j.auth = e->auth;
		j.data = &data;
		j.data7 = data7.len > 0 ? &data7 : NULL;
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
			rr[k].paddr = r->addr;
		}
		j.r = rr;
		j.nr = n;
		j.xs = &Xscript;
		smtp_deliver(&j);
		for (k = 0; k < n; k++) {
			struct dstate *s = &st[idx[n - 1 - k]];
			sb_reset(&txt);
			if (rr[k].stat == EX_TEMPFAIL)
				deferral_text(rr[k].stat, rr[k].text, &txt);
			else
				sb_puts(&txt, rr[k].text != NULL ? rr[k].text : "");
			if (rr[k].stat != EX_OK && !rr[k].noted) {
				if (exit_is_temporary(rr[k].stat))
					sb_printf(&Xscript, "%s... %s\n", s->addr, txt.s);
				else
					xs_failure(s->addr, rr[k].stat, rr[k].dsn, NULL);
			}
			set_state(s, rr[k].stat, rr[k].dsn, txt.s, j.relay);
			if (j.relay != NULL)
				s->remote = xstrndup(j.relay, strcspn(j.relay, " "));
			if (rr[k].stat == EX_OK) {
				s->rstatus = dupornull(rr[k].rcptreply);
				if ((s->qflags & QR_NOTIFY_SUCCESS) && !j.peerdsn && !s->unreported) {
					s->success = DSN_RELAYED;
					sb_printf(&Xscript, "%s... relayed; expect no further notifications\n",
						  s->addr);
				}
			} else if (rr[k].text != NULL && isdigit((unsigned char)rr[k].text[0]))
				s->rstatus = xstrdup(rr[k].text);
			else if (rr[k].text != NULL && strncmp(rr[k].text, "Deferred: ", 10) == 0 &&
				 isdigit((unsigned char)rr[k].text[10]))
				s->rstatus = xstrdup(rr[k].text + 10);
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
		for (k = 0; k < n; k++) {
			x.users[k] = (char *)st[idx[k]].user;
			/* a program runs without the | that named it */
			if (m == ProgMailer && x.users[k][0] == '|')
				x.users[k]++;
		}
		x.nusers = n;
		x.host = host;
		x.data = &data;
		run_ids(m, st[idx[0]].ctladdr, &uid, &gid);
		x.uid = uid;
		x.gid = gid;
		rc = file ? file_deliver(&x) : exec_deliver(&x);
		if (rc != EX_OK && x.out.len > 0) {
			/* what the agent said is part of the transcript */
			sb_put(&Xscript, x.out.s, x.out.len);
			if (x.out.s[x.out.len - 1] != '\n')
				sb_putc(&Xscript, '\n');
		}
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
		for (k = 0; k < n; k++) {
			struct dstate *s = &st[idx[k]];
			set_state(s, rc, exit_dsn(rc), rc == EX_OK ? NULL : txt.s, ipc ? host : NULL);
			if (rc == EX_OK) {
				if (s->qflags & QR_NOTIFY_SUCCESS) {
					if (!s->unreported)
						s->success = DSN_DELIVERED;
					free(s->dsn);
					s->dsn = xstrdup("2.1.5");
					sb_printf(&Xscript, "%s... Successfully delivered\n", s->addr);
				}
			} else if (exit_is_temporary(rc)) {
				const char *en = exit_name(rc);
				if (en != NULL)
					sb_printf(&Xscript, "%s... Deferred: %s mailer (%s) exited with %s\n",
						  s->addr, m->name, m->path, en);
				else
					sb_printf(&Xscript, "%s... %s\n", s->addr, txt.s);
			} else
				xs_failure(s->addr, rc, exit_dsn(rc), NULL);
		}
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
	sb_free(&data7);
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


/* ---- the notices of an attempt ---- */

static const char *env_header_value(const struct envelope *e, const char *name)
{
	size_t i;
	for (i = 0; i < e->nhdrs; i++)
		if (strcasecmp(e->hdrs[i].name, name) == 0)
			return e->hdrs[i].value;
	return NULL;
}

/* Timeout.queuewarn / queuereturn for this message's class (its Priority: header; notices
 * have their own), else the generic value */
static long class_timeout(const struct envelope *e, const char *what, long dflt)
{
	const char *p = env_header_value(e, "Priority"), *cls = "normal";

	if (e->flags & EF_RESPONSE)
		cls = "dsn";
	else if (p != NULL) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "urgent", 6) == 0)
			cls = "urgent";
		else if (strncasecmp(p, "non-urgent", 10) == 0)
			cls = "non-urgent";
	}
	return timeout_class_seconds(what, cls, dflt);
}

static bool option_true(const char *name)
{
	const char *v = option_value(name);
	return v != NULL && (*v == '\0' || strchr("TtYy1", *v) != NULL);
}

/* the client a message came from, as Received-From-MTA names it: $_ of an SMTP arrival */
static const char *received_from(const struct envelope *e, sbuf *out)
{
	const char *proto = NULL, *who = NULL;
	size_t i, n;

	for (i = 0; i < e->nmacros; i++) {
		if (strcmp(e->macros[i].name, "r") == 0)
			proto = e->macros[i].value;
		else if (strcmp(e->macros[i].name, "_") == 0)
			who = e->macros[i].value;
	}
	if (proto == NULL || who == NULL || strcasestr(proto, "SMTP") == NULL)
		return NULL;
	if (strchr(who, '@') != NULL && strchr(who, '@') < who + strcspn(who, " "))
		who = strchr(who, '@') + 1;
	n = strcspn(who, " ");
	if (n == 0)
		return NULL;
	sb_reset(out);
	sb_put(out, who, n);
	return out->s;
}

/* a notice can go nowhere (the postmaster's own notice failed): DeadLetterDrop, else the
 * qf is kept aside as Qf, as 8.17 does */
static bool dead_letter(const struct queue *q, struct envelope *e)
{
	const char *dl = option_value("DeadLetterDrop");
	sbuf a = SBUF_INIT, b = SBUF_INIT;
	bool aside = false;

	sb_init(&a);
	sb_init(&b);
	if (dl != NULL && *dl != '\0' && FileMailer != NULL && queue_read_body(q, e, &a)) {
		struct exec_job x;
		char *users[1];
		int rc;
		memset(&x, 0, sizeof x);
		macdefine('g', "MAILER-DAEMON");
		put_message(e, FileMailer, false, false, &a, &b);
		sb_putc(&b, '\n');
		users[0] = (char *)dl;
		x.m = FileMailer;
		x.users = users;
		x.nusers = 1;
		x.uid = x.gid = -1;
		x.data = &b;
		rc = file_deliver(&x);
		sb_free(&x.out);
		if (rc == EX_OK) {
			sm_syslog(LOG_NOTICE, e->id, "Saved message in %s", dl);
			e->nrcpts = 0;
			goto out;
		}
	}
	sb_reset(&a);
	sb_reset(&b);
	queue_file(q, "qf", e->id, &a);
	queue_file(q, "Qf", e->id, &b);
	if (rename(a.s, b.s) == 0) {
		sm_syslog(LOG_ALERT, e->id, "Losing %s: savemail panic", a.s);
		aside = true;
	}
out:
	sb_free(&a);
	sb_free(&b);
	return aside;
}

/* Send the notices this attempt calls for: bounces for the recipients that failed for good
 * (they then leave the qf), success notices, and in queue runs the delay warning after
 * Timeout.queuewarn or the return after Timeout.queuereturn.  Each goes to the sender, or
 * to the owner- address the recipient's expansion set, or to Errors-To with UseErrorsTo.
 * The ids of the notices are appended to *ids for delivery once e is settled.  True when
 * the message was put aside as Qf (nothing more to do with it). */
static bool notices(const struct queue *q, struct envelope *e, const struct rcptlist *rl,
		    struct dstate *st, const struct qrcpt *held, size_t nheld, bool requeued,
		    size_t *nids, char ***ids, const char **statmsg)
{
	size_t nst = rl->n, i, k, nr = 0, ndeferred = 0;
	struct dsn_rcpt *r = xcalloc(nst + nheld + 1, sizeof *r);
	char **owners = xcalloc(nst + nheld + 1, sizeof *owners);
	const char **lists = xcalloc(nst + nheld + 1, sizeof *lists);
	enum dsn_reason reason = DSN_ERROR;
	time_t now = time(NULL);
	bool anyfail = false, dead = false, ok = true, aside = false;
	sbuf from = SBUF_INIT, err = SBUF_INIT, errto = SBUF_INIT, listxs = SBUF_INIT;
	struct qrcpt qr;
	const char *pmhdr = env_header_value(e, "Auto-Submitted");

	sb_init(&from);
	sb_init(&err);
	sb_init(&errto);
	sb_init(&listxs);
	for (i = 0; i < nst; i++)
		if (st[i].stat >= 0 && exit_is_temporary(st[i].stat))
			ndeferred++;
	if (requeued && ndeferred > 0) {
		long ret = class_timeout(e, "queuereturn", 5L * 86400);
		long warn = class_timeout(e, "queuewarn", 4L * 3600);
		if (now >= e->ctime + ret)
			reason = DSN_RETURN;
		else if (warn > 0 && now >= e->ctime + warn && !(e->flags & EF_WARNING))
			reason = DSN_WARNING;
		if (reason != DSN_ERROR)
			dsn_timeout_lines(reason, &Xscript);
	}
	for (i = 0; i < nheld; i++) {
		const struct qrcpt *h = &held[i];
		struct dsn_rcpt *d = &r[nr++];
		d->paddr = h->addr;
		d->action = DSN_FAILED;
		d->qflags = h->flags;
		d->rstatus = h->msg;
		d->exitstat = EX_UNAVAILABLE;
		d->finalrcpt = h->finalrcpt;
		d->orcpt = h->orcpt;
		anyfail = true;
	}
	for (i = 0; i < nst; i++) {
		const struct rcpt *x = &rl->v[i];
		struct dstate *s = &st[i];
		struct dsn_rcpt *d;
		bool temp = s->stat >= 0 && exit_is_temporary(s->stat);
		enum dsn_action act;
		if (s->stat < 0)
			continue;
		if (s->stat == EX_OK) {
			if (s->success < 0)
				continue;
			act = (enum dsn_action)s->success;
		} else if (temp) {
			if (reason == DSN_RETURN)
				act = DSN_FAILED;
			else if (reason == DSN_WARNING)
				act = DSN_DELAYED;
			else
				continue;
		} else
			act = DSN_FAILED;
		d = &r[nr];
		if (x->owner != NULL) {
			/* the list whose owner- gets the notice: where that owner was set */
			long p = x->parent, best = x->parent;
			while (p >= 0 && rl->v[p].owner != NULL && strcmp(rl->v[p].owner, x->owner) == 0) {
				best = p;
				p = rl->v[p].parent;
			}
			lists[nr] = best >= 0 ? rl->v[best].paddr : NULL;
		}
		owners[nr++] = x->owner;
		rcpt_qrcpt(rl, i, &qr);
		d->paddr = x->paddr;
		d->alias = x->parent >= 0 ? rl->v[x->parent].paddr : NULL;
		d->action = act;
		d->qflags = x->qflags;
		/* timeouts: 8.17's statuses for a message given up or put off */
		d->status = !temp ? s->dsn : reason == DSN_RETURN ? "4.4.7" : "4.2.0";
		d->rstatus = s->rstatus;
		d->exitstat = s->xstat;
		d->finalrcpt = qr.finalrcpt;
		d->orcpt = x->orcpt;
		d->mailer = x->mailer;
		d->user = s->user != NULL ? s->user : x->user;
		d->remotemta = s->remote;
		d->statdate = s->when;
		if (act == DSN_FAILED)
			anyfail = true;
	}
	if (nr == 0)
		goto out;
	if (anyfail && (e->flags & EF_RESPONSE) && pmhdr != NULL && strstr(pmhdr, "(postmaster-") != NULL)
		dead = true;
	if (option_true("UseErrorsTo")) {
		const char *v = env_header_value(e, "Errors-To");
		if (v != NULL) {
			while (*v == ' ' || *v == '\t')
				v++;
			sb_put(&errto, v, strcspn(v, "\n"));
		}
	}
	/* one notice per return address: the recipients of an owner- list report to it */
	for (i = 0; i < nr; i++) {
		struct dsn_report rep;
		struct dsn_rcpt *grp = xcalloc(nr, sizeof *grp);
		size_t ng = 0;
		char *saved = e->sender, *snd = NULL;
		bool seen = false;
		for (k = 0; k < i; k++)
			if (same_str(owners[k], owners[i], false))
				seen = true;
		if (seen) {
			free(grp);
			continue;
		}
		for (k = i; k < nr; k++)
			if (same_str(owners[k], owners[i], false))
				grp[ng++] = r[k];
		memset(&rep, 0, sizeof rep);
		rep.reason = reason;
		rep.rcpts = grp;
		rep.nrcpts = ng;
		rep.transcript = Xscript.len > 0 ? Xscript.s : NULL;
		if (owners[i] != NULL && lists[i] != NULL) {
			/* 8.17 tells the owner which list it was */
			sb_reset(&listxs);
			sb_put(&listxs, Xscript.s, Xscript.len);
			sb_printf(&listxs, "Message delivered to mailing list %s\n", lists[i]);
			rep.transcript = listxs.s;
		}
		rep.now = now;
		if (!requeued)
			rep.received_from = received_from(e, &from);
		if (owners[i] != NULL)
			snd = xstrdup(owners[i]);
		else if (errto.len > 0)
			snd = xstrdup(errto.s);
		if (snd != NULL)
			e->sender = snd;
		if (dsn_send(q, e, &rep, ids, nids, &err) < 0) {
			sm_syslog(LOG_ERR, e->id, "SYSERR: cannot queue a delivery status notification: %s",
				  err.s);
			ok = false;
		}
		e->sender = saved;
		free(snd);
		free(grp);
	}
	if (reason == DSN_WARNING && ok) {
		/* -bp shows the warning as the message's status */
		sbuf w = SBUF_INIT;
		sb_init(&w);
		sb_puts(&w, "Warning: could not send message for past ");
		dsn_interval(class_timeout(e, "queuewarn", 4L * 3600), &w);
		e->flags |= EF_WARNING;
		free(e->statmsg);
		e->statmsg = sb_steal(&w);
		*statmsg = NULL;
	}
	if (!ok)
		goto out;
	/* the notices are queued: what failed leaves the qf */
	for (i = 0, k = 0; i < e->nrcpts; i++) {
		if ((e->rcpts[i].flags & QR_FAILED) || reason == DSN_RETURN)
			qrcpt_clear(&e->rcpts[i]);
		else
			e->rcpts[k++] = e->rcpts[i];
	}
	e->nrcpts = k;
	if (dead)
		aside = dead_letter(q, e);
out:
	free(r);
	free(owners);
	free(lists);
	sb_free(&listxs);
	sb_free(&from);
	sb_free(&err);
	sb_free(&errto);
	return aside;
}

/* Append to e the recipients of this attempt that are not done: deferred, failed (X, for the
 * bounce) and, at a checkpoint, those whose delivery is still to come. */
static void remaining_rcpts(struct envelope *e, const struct dstate *st, size_t nst,
			    struct rcptlist *rl, const char **firstdefer)
{
	size_t i;

	for (i = 0; i < nst; i++) {
		const struct dstate *s = &st[i];
		struct qrcpt qr, *nr;
		if (!s->pending && (s->stat < 0 || s->stat == EX_OK))
			continue;	/* expanded, duplicate, or delivered */
		rcpt_qrcpt(rl, i, &qr);
		nr = env_add_rcpt(e, qr.addr, qr.flags);
		free(nr->addr);
		nr->addr = xstrdup(qr.addr);
		nr->orcpt = dupornull(qr.orcpt);
		nr->finalrcpt = dupornull(qr.finalrcpt);
		nr->ctladdr = dupornull(qr.ctladdr);
		if (s->pending)
			continue;
		if (!exit_is_temporary(s->stat)) {
			/* the reason goes with the recipient to its bounce; a deferred one has
			 * only the envelope's M, as in 8.17's qf */
			nr->msg = dupornull(s->text);
			nr->flags |= QR_FAILED;
		} else if (*firstdefer == NULL && s->text != NULL)
			*firstdefer = s->text;
	}
}

static struct qrcpt qrcpt_dup(const struct qrcpt *r)
{
	struct qrcpt c;

	c.addr = xstrdup(r->addr);
	c.flags = r->flags;
	c.xflags = dupornull(r->xflags);
	c.orcpt = dupornull(r->orcpt);
	c.finalrcpt = dupornull(r->finalrcpt);
	c.ctladdr = dupornull(r->ctladdr);
	c.msg = dupornull(r->msg);
	return c;
}

/* CheckpointInterval: rewrite the qf with what is left, so that a crash after this repeats
 * no delivery made before it (failed recipients go in flagged X: the next attempt bounces
 * them).  e's own recipient list is kept for the rest of the attempt. */
static void checkpoint(const struct queue *q, struct envelope *e, const struct qrcpt *held,
		       size_t nheld, const struct dstate *st, size_t nst, struct rcptlist *rl)
{
	struct qrcpt *save = e->rcpts;
	size_t nsave = e->nrcpts, i;
	const char *firstdefer = NULL;
	sbuf err = SBUF_INIT;

	sb_init(&err);
	e->rcpts = NULL;
	e->nrcpts = 0;
	for (i = 0; i < nheld; i++) {
		struct qrcpt *nr = env_add_rcpt(e, "", 0);
		free(nr->addr);
		*nr = qrcpt_dup(&held[i]);
	}
	remaining_rcpts(e, st, nst, rl, &firstdefer);
	if (queue_update(q, e, &err) != Q_OK)
		sm_syslog(LOG_ERR, e->id, "SYSERR: checkpoint: cannot rewrite the queue file: %s", err.s);
	for (i = 0; i < e->nrcpts; i++)
		qrcpt_clear(&e->rcpts[i]);
	free(e->rcpts);
	e->rcpts = save;
	e->nrcpts = nsave;
	sb_free(&err);
}

size_t deliver_envelope(const struct queue *q, struct envelope *e, bool requeued)
{
	struct dstate *st;
	struct rcptlist rl;
	struct qrcpt *held = NULL;	/* X recipients: not tried again, kept as they are */
	size_t nheld = 0, i, k, left, ngroups = 0, nst;
	size_t **groups = NULL, *gsize = NULL, nids = 0;
	char **ids = NULL;
	sbuf body = SBUF_INIT, err = SBUF_INIT, ct = SBUF_INIT;
	time_t start = time(NULL);
	bool aside;
	const char *firstdefer = NULL;
	long cpi;
	size_t sincecp = 0;

	sb_init(&body);
	sb_init(&err);
	sb_init(&ct);
	if (Xscript.s == NULL)
		sb_init(&Xscript);
	sb_reset(&Xscript);
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
		st[i].success = -1;
		rcpt_qrcpt(&rl, i, &qr);
		st[i].ctladdr = dupornull(qr.ctladdr);
		st[i].qflags = r->qflags;
		st[i].unreported = rcpt_unreported(&rl, i);
		st[i].orcpt = r->orcpt;
		st[i].addr = r->paddr;
		st[i].ctltext = dupornull(rcpt_ctladdr_text(&rl, i, &ct));
		if (r->state == RS_BAD) {
			int xs = r->exitstat != EX_OK ? r->exitstat : EX_UNAVAILABLE;
			set_state(&st[i], xs, r->status != NULL ? r->status : exit_dsn(xs),
				  r->rstatus != NULL ? r->rstatus : "Unknown address", NULL);
			st[i].rstatus = dupornull(r->rstatus);
			xs_failure(r->paddr, xs, st[i].dsn, r->rstatus);
			log_group(e, st, &i, 1, r->mailer, start);
			continue;
		}
		if (r->state == RS_QUEUEUP) {
			sb_reset(&ct);
			deferral_text(EX_TEMPFAIL, r->rstatus, &ct);
			set_state(&st[i], EX_TEMPFAIL, r->status != NULL ? r->status : "4.4.3", ct.s, NULL);
			sb_printf(&Xscript, "%s... %s\n", r->paddr, ct.s);
			log_group(e, st, &i, 1, r->mailer, start);
			continue;
		}
		if (r->state == RS_EXPANDED && (r->iflags & RI_MANY)) {
			/* NOTIFY=SUCCESS ends at an alias of several: its receipt */
			sb_printf(&Xscript, "%s... expanded to multiple addresses\n", r->paddr);
			st[i].stat = EX_OK;
			st[i].success = DSN_EXPANDED;
			continue;
		}
		if (r->state != RS_OK || r->mailer == NULL)
			continue;
		if (compat_settled(e, &st[i], r->paddr)) {
			if (st[i].stat != EX_OK)
				log_group(e, st, &i, 1, r->mailer, start);
			continue;
		}
		st[i].m = r->mailer;
		st[i].host = r->host;
		st[i].user = r->user;
		if ((r->mailer == ProgMailer || r->mailer == FileMailer) && r->user != NULL &&
		    strchr(r->user, '"') != NULL) {
			/* "|program", |"program" and "/file" run without their quotes */
			st[i].uq = xstrdup(r->user);
			stripquotes(st[i].uq);
			st[i].user = st[i].uq;
		}
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
		st[i].pending = true;
	}
	if (ngroups > 0 && !queue_read_body(q, e, &body)) {
		sm_syslog(LOG_ERR, e->id, "SYSERR: cannot read df%s: %s", e->id, strerror(errno));
		for (k = 0; k < ngroups; k++)
			for (i = 0; i < gsize[k]; i++)
			{
				set_state(&st[groups[k][i]], EX_TEMPFAIL, "4.3.0",
					  "Deferred: Operating system error", NULL);
				st[groups[k][i]].pending = false;
			}
		ngroups = 0;
	}
	cpi = option_num("CheckpointInterval", 10);
	for (k = 0; k < ngroups; k++) {
		deliver_group(e, st, groups[k], gsize[k], &body);
		macdefine('h', NULL);
		macdefine('u', NULL);
		for (i = 0; i < gsize[k]; i++) {
			st[groups[k][i]].pending = false;
			if (st[groups[k][i]].stat == EX_OK)
				sincecp++;
		}
		if (cpi > 0 && sincecp >= (size_t)cpi && k + 1 < ngroups) {
			checkpoint(q, e, held, nheld, st, nst, &rl);
			sincecp = 0;
		}
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
	remaining_rcpts(e, st, nst, &rl, &firstdefer);
	aside = notices(q, e, &rl, st, held, nheld, requeued, &nids, &ids, &firstdefer);
	left = e->nrcpts;
	if (aside)
		queue_unlock(e);
	else if (left == 0) {
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
		free(st[i].rstatus);
		free(st[i].remote);
		free(st[i].uq);
		free(st[i].ctladdr);
		free(st[i].ctltext);
	}
	free(st);
	free(held);
	rcptlist_free(&rl);
	sb_free(&body);
	sb_free(&err);
	sb_free(&ct);
	sb_reset(&Xscript);
	/* the notices go out at once, as 8.17 sends them, once the original is settled */
	for (i = 0; i < nids; i++) {
		deliver_queued(q, ids[i], false);
		free(ids[i]);
	}
	free(ids);
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
