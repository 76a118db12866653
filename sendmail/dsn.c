/* dsn.c -- delivery status notifications as sendmail 8.17 writes them (see dsn.h): which
 * recipients a notice is due for, where it goes, its headers, its three parts, and the
 * queue files of the new message. */
#include "dsn.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <syslog.h>
#include "conf.h"
#include "log.h"
#include "macro.h"
#include "mailexec.h"
#include "putmsg.h"
#include "xalloc.h"

#define ERRORFUDGE	1024	/* what 8.17 counts for a notice's own text in its priority */

/* ---- formatting helpers ---- */

void dsn_interval(long secs, sbuf *out)
{
	static const struct { long n; const char *name; } units[] = {
		{ 7L * 24 * 3600, "week" }, { 24L * 3600, "day" }, { 3600, "hour" },
		{ 60, "minute" }, { 1, "second" },
	};
	size_t i;
	bool first = true;

	if (secs <= 0) {
		sb_puts(out, "zero seconds");
		return;
	}
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		long k = secs / units[i].n;
		if (k == 0)
			continue;
		secs %= units[i].n;
		sb_printf(out, "%s%ld %s%s", first ? "" : ", ", k, units[i].name, k == 1 ? "" : "s");
		first = false;
	}
}

void dsn_arpadate(time_t t, sbuf *out)
{
	struct tm tm;
	char buf[80];

	localtime_r(&t, &tm);
	if (tm.tm_gmtoff == 0)
		strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	else
		strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S %z (%Z)", &tm);
	sb_puts(out, buf);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

void dsn_xtext_decode(const char *s, sbuf *out)
{
	for (; *s != '\0'; s++) {
		int h, l;
		if (*s == '+' && (h = hexval((unsigned char)s[1])) >= 0 &&
		    (l = hexval((unsigned char)s[2])) >= 0) {
			sb_putc(out, h * 16 + l);
			s += 2;
		} else
			sb_putc(out, *s);
	}
}

long dsn_queuewarn(void)
{
	return timeout_seconds("queuewarn", 4L * 3600);
}

long dsn_queuereturn(void)
{
	return timeout_seconds("queuereturn", 5L * 24 * 3600);
}

void dsn_timeout_lines(enum dsn_reason reason, sbuf *transcript)
{
	if (reason == DSN_WARNING) {
		sb_puts(transcript, "Warning: message still undelivered after ");
		dsn_interval(dsn_queuewarn(), transcript);
		sb_puts(transcript, "\nWill keep trying until message is ");
		dsn_interval(dsn_queuereturn(), transcript);
		sb_puts(transcript, " old\n");
	} else if (reason == DSN_RETURN) {
		sb_puts(transcript, "Message could not be delivered for ");
		dsn_interval(dsn_queuereturn(), transcript);
		sb_puts(transcript, "\nMessage will be deleted from queue\n");
	}
}

const char *dsn_return_path(const struct envelope *e, sbuf *out)
{
	const char *s = e->sender != NULL ? e->sender : "";
	size_t n = strlen(s);

	sb_reset(out);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		sb_put(out, s + 1, n - 2);
	else
		sb_puts(out, s);
	return out->s;
}

/* ---- the original message ---- */

static const char *env_macro(const struct envelope *e, const char *name)
{
	size_t i;
	for (i = 0; i < e->nmacros; i++)
		if (strcmp(e->macros[i].name, name) == 0)
			return e->macros[i].value;
	return NULL;
}

static const char *env_header(const struct envelope *e, const char *name)
{
	size_t i;
	for (i = 0; i < e->nhdrs; i++)
		if (strcasecmp(e->hdrs[i].name, name) == 0)
			return e->hdrs[i].value;
	return NULL;
}

/* the Precedence class of the message (P lines), 0 when none is named */
static int precedence(const struct envelope *e)
{
	const char *v = env_header(e, "Precedence");
	sbuf w = SBUF_INIT;
	int i, cls = 0;

	if (v == NULL)
		return 0;
	sb_init(&w);
	while (*v == ' ' || *v == '\t')
		v++;
	while (*v != '\0' && *v != ' ' && *v != '\t' && *v != '\n' && *v != ';')
		sb_putc(&w, *v++);
	for (i = 0; i < NumPriorities; i++)
		if (strcasecmp(Priorities[i].name, w.s) == 0) {
			cls = Priorities[i].value;
			break;
		}
	sb_free(&w);
	return cls;
}

/* The original's headers as the returned message shows them ($g is its sender). */
static void put_headers(const struct envelope *e, sbuf *out)
{
	sbuf g = SBUF_INIT, v = SBUF_INIT;
	const char *oldg = macvalue('g');
	char *saveg = oldg != NULL ? xstrdup(oldg) : NULL;
	size_t i;

	sb_init(&g);
	sb_init(&v);
	macdefine('g', dsn_return_path(e, &g));
	for (i = 0; i < e->nhdrs; i++) {
		const struct qheader *h = &e->hdrs[i];
		/* as the file mailer (whose queue-time output 8.17 returns) gets it */
		if (!header_cond_met(h, FileMailer))
			continue;
		sb_reset(&v);
		expand(h->value, &v);
		sb_printf(out, "%s:%s\n", h->name, v.s);
	}
	macdefine('g', saveg);
	free(saveg);
	sb_free(&g);
	sb_free(&v);
}

/* The size 8.17 gives a message it read from the queue: the df plus its header lines (one
 * more for each with a ?condition?). */
static long queued_size(const struct envelope *e)
{
	long n = (long)(e->dfsize > 0 ? e->dfsize : 0);
	size_t i;
	for (i = 0; i < e->nhdrs; i++) {
		const struct qheader *h = &e->hdrs[i];
		n += (long)(strlen(h->name) + 1 + strlen(h->value));
		if (h->cond != NULL && *h->cond != '\0')
			n++;	/* as 8.17 counts them */
	}
	return n;
}

/* ---- one notice ---- */

struct notice {
	const struct envelope *e;
	const struct dsn_report *rep;
	const struct dsn_rcpt **list;	/* the recipients it reports */
	size_t n;
	bool postmaster;		/* to the postmaster: "Postmaster notify", "with id" */
	bool hdrsonly;			/* text/rfc822-headers */
	bool anyfail, anysuccess;
	const char *to;			/* its recipient */
};

static const char *action_text(const struct dsn_rcpt *r)
{
	switch (r->action) {
	case DSN_FAILED: return "failed";
	case DSN_DELAYED: return "delayed";
	case DSN_RELAYED: return "relayed (to non-DSN-aware mailer)";
	case DSN_EXPANDED: return "expanded (to multi-recipient alias)";
	case DSN_DELIVERED:
		return r->mailer != NULL && r->mailer == LocalMailer ? "delivered (to mailbox)"
								   : "delivered";
	}
	return "failed";
}

static const char *success_text(const struct dsn_rcpt *r)
{
	switch (r->action) {
	case DSN_RELAYED: return "relayed to non-DSN-aware mailer";
	case DSN_EXPANDED: return "expanded by alias";
	default:
		return r->mailer != NULL && r->mailer == LocalMailer ?
			"successfully delivered to mailbox" : "successfully delivered";
	}
}

static const char *reason_text(const struct dsn_rcpt *r)
{
	if (r->rstatus != NULL && *r->rstatus != '\0')
		return r->rstatus;
	return exit_message(r->exitstat);
}

/* X-Actual-Recipient: rfc822 addresses get $j when they have no domain, and BlankSub for
 * their blanks */
static void actual_recipient(const struct dsn_rcpt *r, sbuf *out)
{
	const char *type = r->mailer != NULL && r->mailer->addrtype != NULL ? r->mailer->addrtype
									: "rfc822";
	const char *u = r->user, *p;

	if (strcasecmp(type, "rfc822") != 0) {
		sb_printf(out, "X-Actual-Recipient: %s; %s\n", type, u);
		return;
	}
	{
		const char *bs = option_value("BlankSub");
		char sub = bs != NULL && *bs != '\0' ? *bs : ' ';
		sb_puts(out, "X-Actual-Recipient: rfc822; ");
		for (p = u; *p != '\0'; p++)
			sb_putc(out, (*p == ' ' || *p == '\t') ? sub : *p);
		if (strchr(u, '@') == NULL) {
			const char *j = macvalue('j');
			sb_printf(out, "@%s", j != NULL ? j : "localhost");
		}
		sb_putc(out, '\n');
	}
}

/* ErrorHeader: a file (a value starting with '/') or the text itself, macros expanded,
 * then a blank line */
static void error_header(sbuf *out)
{
	const char *eh = option_value("ErrorHeader");
	sbuf raw = SBUF_INIT, x = SBUF_INIT, t = SBUF_INIT;
	size_t i = 0;

	if (eh == NULL || *eh == '\0')
		return;
	sb_init(&raw);
	sb_init(&x);
	sb_init(&t);
	if (eh[0] == '/') {
		FILE *fp = fopen(eh, "r");
		char buf[4096];
		size_t n;
		if (fp == NULL) {
			sm_syslog(LOG_WARNING, NULL, "ErrorHeader %s: %s", eh, strerror(errno));
			sb_free(&raw);
			sb_free(&x);
			sb_free(&t);
			return;
		}
		while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
			sb_put(&raw, buf, n);
		fclose(fp);
	} else
		sb_puts(&raw, eh);
	while (i < raw.len) {
		const char *nl = memchr(raw.s + i, '\n', raw.len - i);
		size_t n = nl != NULL ? (size_t)(nl - (raw.s + i)) : raw.len - i;
		char *line = xstrndup(raw.s + i, n);
		sb_reset(&t);
		translate_dollars(line, &t);	/* the file says $j, not the internal form */
		sb_reset(&x);
		expand(t.s, &x);
		sb_printf(out, "%s\n", x.s);
		free(line);
		i += n + 1;
	}
	sb_putc(out, '\n');
	sb_free(&raw);
	sb_free(&x);
	sb_free(&t);
}

static void text_part(const struct notice *nt, sbuf *out)
{
	const struct envelope *e = nt->e;
	const struct dsn_report *rep = nt->rep;
	const char *from = env_macro(e, "_");
	size_t i;
	bool head;

	if (rep->reason == DSN_WARNING)
		sb_puts(out, "    **********************************************\n"
			     "    **      THIS IS A WARNING MESSAGE ONLY      **\n"
			     "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n"
			     "    **********************************************\n\n");
	sb_puts(out, "The original message was received at ");
	dsn_arpadate(e->ctime, out);
	sb_putc(out, '\n');
	if (from != NULL)
		sb_printf(out, "from %s\n", from);
	if (nt->postmaster && e->id != NULL)
		sb_printf(out, "with id %s\n", e->id);
	sb_putc(out, '\n');
	error_header(out);

	for (head = false, i = 0; i < nt->n; i++) {
		const struct dsn_rcpt *r = nt->list[i];
		const char *why;
		if (r->action != DSN_FAILED)
			continue;
		if (!head)
			sb_puts(out, "   ----- The following addresses had permanent fatal errors -----\n");
		head = true;
		sb_printf(out, "%s\n", r->paddr);
		if ((why = reason_text(r)) != NULL)
			sb_printf(out, "    (reason: %s)\n", why);
		if (r->alias != NULL)
			sb_printf(out, "    (expanded from: %s)\n", r->alias);
	}
	if (head)
		sb_putc(out, '\n');
	for (head = false, i = 0; i < nt->n; i++) {
		const struct dsn_rcpt *r = nt->list[i];
		if (r->action == DSN_FAILED || r->action == DSN_DELAYED || r->action == DSN_EXPANDED)
			continue;	/* an alias of several: the transcript alone says so, as in 8.17 */
		if (!head)
			sb_puts(out, "   ----- The following addresses had successful delivery notifications -----\n");
		head = true;
		sb_printf(out, "%s  (%s)\n", r->paddr, success_text(r));
		if (r->alias != NULL)
			sb_printf(out, "    (expanded from: %s)\n", r->alias);
	}
	if (head)
		sb_putc(out, '\n');
	if (rep->transcript != NULL && *rep->transcript != '\0') {
		size_t n = strlen(rep->transcript);
		sb_puts(out, "   ----- Transcript of session follows -----\n");
		sb_puts(out, rep->transcript);
		if (rep->transcript[n - 1] != '\n')
			sb_putc(out, '\n');
		sb_putc(out, '\n');
	}
}

static void status_part(const struct notice *nt, time_t now, sbuf *out)
{
	const struct envelope *e = nt->e;
	const char *j = macvalue('j');
	size_t i;

	if (e->envid != NULL) {
		sb_puts(out, "Original-Envelope-Id: ");
		dsn_xtext_decode(e->envid, out);
		sb_putc(out, '\n');
	}
	sb_printf(out, "Reporting-MTA: dns; %s\n", j != NULL ? j : "localhost");
	if (nt->rep->received_from != NULL)
		sb_printf(out, "Received-From-MTA: DNS; %s\n", nt->rep->received_from);
	sb_puts(out, "Arrival-Date: ");
	dsn_arpadate(e->ctime, out);
	sb_puts(out, "\n\n");
	for (i = 0; i < nt->n; i++) {
		const struct dsn_rcpt *r = nt->list[i];
		const char *diagtype = r->mailer != NULL && r->mailer->diagtype != NULL ?
			r->mailer->diagtype : "X-Unix";
		const char *st = r->status != NULL ? r->status : exit_status(r->exitstat);

		if (r->action == DSN_EXPANDED)
			continue;	/* 8.17 gives an alias of several no fields of its own */
		if (r->orcpt != NULL) {
			sb_puts(out, "Original-Recipient: ");
			dsn_xtext_decode(r->orcpt, out);
			sb_putc(out, '\n');
		}
		if (r->finalrcpt != NULL)
			sb_printf(out, "Final-Recipient: %s\n", r->finalrcpt);
		if (r->user != NULL && *r->user != '\0')
			actual_recipient(r, out);
		sb_printf(out, "Action: %s\n", action_text(r));
		sb_printf(out, "Status: %s\n", st);
		if (r->remotemta != NULL)
			sb_printf(out, "Remote-MTA: DNS; %s\n", r->remotemta);
		/* the reply that decided it, success too (a relay's RCPT reply) */
		if (r->rstatus != NULL && *r->rstatus != '\0')
			sb_printf(out, "Diagnostic-Code: %s; %s\n", diagtype, r->rstatus);
		else if ((r->action == DSN_FAILED || r->action == DSN_DELAYED) && r->exitstat != EX_OK)
			sb_printf(out, "Diagnostic-Code: %s; %d\n", diagtype, r->exitstat);
		sb_puts(out, "Last-Attempt-Date: ");
		dsn_arpadate(r->statdate != 0 ? r->statdate : now, out);
		sb_putc(out, '\n');
		/* 8.17 gives no retry date for a recipient a remote server put off (its RCPT) */
		if (r->action == DSN_DELAYED && r->remotemta == NULL) {
			sb_puts(out, "Will-Retry-Until: ");
			dsn_arpadate(e->ctime + dsn_queuereturn(), out);
			sb_putc(out, '\n');
		}
		sb_putc(out, '\n');
	}
}

static bool mime_errors(void)
{
	const char *v = option_value("SendMimeErrors");
	return v == NULL || *v == '\0' || strchr("tTyY", *v) != NULL;
}

/* Is the original 8-bit?  Its notice then says so (Content-Transfer-Encoding: 8bit). */
static bool orig_8bit(const struct envelope *e)
{
	return (e->flags & EF_HAS8BIT) ||
	       (e->bodytype != NULL && strcasecmp(e->bodytype, "8BITMIME") == 0);
}

static void build_body(const struct notice *nt, const struct queue *q, const char *boundary,
		       time_t now, sbuf *out)
{
	sbuf body = SBUF_INIT;
	bool mime = mime_errors();

	sb_init(&body);
	if (mime)
		sb_printf(out, "This is a MIME-encapsulated message\n\n--%s\n\n", boundary);
	text_part(nt, out);
	if (mime) {
		sb_printf(out, "--%s\nContent-Type: message/delivery-status\n\n", boundary);
		status_part(nt, now, out);
		sb_printf(out, "--%s\nContent-Type: %s\n", boundary,
			  nt->hdrsonly ? "text/rfc822-headers" : "message/rfc822");
		if (orig_8bit(nt->e))
			sb_puts(out, "Content-Transfer-Encoding: 8bit\n");
		sb_putc(out, '\n');
	} else
		sb_puts(out, "   ----- Original message follows -----\n\n");
	put_headers(nt->e, out);
	if (!nt->hdrsonly) {
		sb_putc(out, '\n');
		if (queue_read_body(q, nt->e, &body))
			put_file_body(&body, out);
	}
	if (mime)
		sb_printf(out, "\n--%s--\n", boundary);
	sb_putc(out, '\n');
	sb_free(&body);
}

/* Set a macro for the header expansions, keeping the old value in *save. */
static void setmac(int id, const char *v, char **save)
{
	const char *old = macvalue(id);
	*save = old != NULL ? xstrdup(old) : NULL;
	macdefine(id, v);
}

static void restoremac(int id, char *save)
{
	macdefine(id, save);
	free(save);
}

/* the headers 8.17 gives a notice, in its order: the configuration's defaults (its own
 * From: and Full-Name: in their places), then To, MIME-Version, Content-Type, Subject,
 * Auto-Submitted */
static void notice_headers(struct envelope *ne, const struct notice *nt, const char *boundary,
			   const char *subject, const char *auto_sub)
{
	struct hdrdef *d;
	sbuf v = SBUF_INIT, hv = SBUF_INIT;
	const char *n = macvalue('n');

	sb_init(&v);
	sb_init(&hv);
	if (n == NULL)
		n = "MAILER-DAEMON";
	for (d = HeaderDefs; d != NULL; d = d->next) {
		char cond[257];
		int k, nc = 0;

		if (strncasecmp(d->name, "Resent-", 7) == 0)
			continue;
		for (k = 0; k < 256; k++)
			if (bitnset(k, d->flags))
				cond[nc++] = (char)k;
		cond[nc] = '\0';
		sb_reset(&v);
		if (strcasecmp(d->name, "Received") == 0) {
			expand(d->value, &v);
			nc = 0;
			cond[0] = '\0';
		} else if (nc == 0 && d->macro == 0) {
			continue;
		} else if (strcasecmp(d->name, "Return-Path") == 0) {
			sb_puts(&v, d->value);
		} else if (strcasecmp(d->name, "From") == 0) {
			sb_printf(&v, "Mail Delivery Subsystem <%s>", n);
		} else if (strcasecmp(d->name, "Full-Name") == 0) {
			sb_puts(&v, "Mail Delivery Subsystem");
		} else {
			const char *t;
			expand(d->value, &v);
			for (t = v.s; *t == ' ' || *t == '\t'; t++)
				;
			if (*t == '\0')
				continue;
		}
		sb_reset(&hv);
		sb_putc(&hv, ' ');
		sb_puts(&hv, v.s);
		if (d->macro != 0 && nc == 0) {
			const char *mn = macname(d->macro);
			snprintf(cond, sizeof cond, "$%s", mn != NULL ? mn : "");
		}
		env_add_header(ne, cond, d->name, hv.s);
	}
	sb_reset(&hv);
	sb_printf(&hv, " %s", nt->to);
	env_add_header(ne, "", "To", hv.s);
	if (mime_errors()) {
		env_add_header(ne, "", "MIME-Version", " 1.0");
		sb_reset(&hv);
		sb_printf(&hv, " multipart/report; report-type=delivery-status;\n\tboundary=\"%s\"",
			  boundary);
		env_add_header(ne, "", "Content-Type", hv.s);
		if (orig_8bit(nt->e))
			env_add_header(ne, "", "Content-Transfer-Encoding", " 8bit");
	}
	sb_reset(&hv);
	sb_printf(&hv, " %s", subject);
	env_add_header(ne, "", "Subject", hv.s);
	sb_reset(&hv);
	sb_printf(&hv, " auto-generated (%s)", auto_sub);
	env_add_header(ne, "", "Auto-Submitted", hv.s);
	sb_free(&v);
	sb_free(&hv);
}

static int queue_notice(const struct queue *q, const struct notice *nt, time_t now,
			char ***ids, size_t *nids, sbuf *err)
{
	const struct envelope *e = nt->e;
	struct envelope ne;
	sbuf id = SBUF_INIT, boundary = SBUF_INIT, body = SBUF_INIT, subject = SBUF_INIT,
	     tmp = SBUF_INIT;
	const char *autosub, *j = macvalue('j'), *df;
	char *sv_s, *sv_u, *sv_r, *sv_i, *sv_b, *sv_a, *sv_t, *sv_us;
	struct qrcpt *r;
	long size;
	int rc;

	sb_init(&id);
	sb_init(&boundary);
	sb_init(&body);
	sb_init(&subject);
	sb_init(&tmp);
	env_init(&ne);
	queue_newid(&id);
	ne.id = sb_steal(&id);
	ne.ctime = now;
	sb_printf(&boundary, "%s.%ld/%s", ne.id, (long)now, j != NULL ? j : "localhost");

	if (nt->rep->reason == DSN_WARNING) {
		sb_puts(&subject, nt->postmaster ? "Postmaster warning: could not send message for past "
						 : "Warning: could not send message for past ");
		dsn_interval(dsn_queuewarn(), &subject);
		autosub = nt->postmaster ? "postmaster-warning" : "warning-timeout";
	} else if (!nt->anyfail) {
		sb_puts(&subject, "Return receipt");
		autosub = "return-receipt";
	} else if (nt->postmaster) {
		sb_puts(&subject, "Postmaster notify: see transcript for details");
		autosub = "postmaster-notification";
	} else {
		sb_puts(&subject, "Returned mail: see transcript for details");
		autosub = "failure";
	}

	build_body(nt, q, boundary.s, now, &body);

	/* the macros its Received: and Message-Id: headers are expanded with */
	setmac('s', "localhost", &sv_s);
	setmac('_', "localhost", &sv_us);
	setmac('r', NULL, &sv_r);
	setmac('u', NULL, &sv_u);
	setmac('i', ne.id, &sv_i);
	dsn_arpadate(now, &tmp);
	setmac('b', tmp.s, &sv_b);
	setmac('a', tmp.s, &sv_a);
	{
		struct tm tm;
		char t[32];
		localtime_r(&now, &tm);
		strftime(t, sizeof t, "%Y%m%d%H%M", &tm);
		setmac('t', t, &sv_t);
	}
	notice_headers(&ne, nt, boundary.s, subject.s, autosub);
	restoremac('s', sv_s);
	restoremac('_', sv_us);
	restoremac('r', sv_r);
	restoremac('u', sv_u);
	restoremac('i', sv_i);
	restoremac('b', sv_b);
	restoremac('a', sv_a);
	restoremac('t', sv_t);

	env_set_macro(&ne, "_", "localhost");
	env_set_macro(&ne, "r", "");
	env_set_macro(&ne, "s", "localhost");
	if ((df = env_macro(e, "{daemon_flags}")) != NULL)
		env_set_macro(&ne, "{daemon_flags}", df);
	ne.sender = xstrdup(macvalue('n') != NULL ? macvalue('n') : "MAILER-DAEMON");
	ne.flags = EF_RESPONSE | EF_SPLIT | (nt->hdrsonly ? EF_NO_BODY_RETN : 0);
	r = env_add_rcpt(&ne, nt->to, QR_PRIMARY | QR_NOTIFY_FAILURE);
	sb_reset(&tmp);
	{
		const char *to = nt->to;
		size_t tl = strlen(to);
		sb_puts(&tmp, "RFC822; ");
		if (tl >= 2 && to[0] == '<' && to[tl - 1] == '>')
			sb_put(&tmp, to + 1, tl - 2);
		else
			sb_puts(&tmp, to);
		if (strchr(tmp.s, '@') == NULL)
			sb_printf(&tmp, "@%s", j != NULL ? j : "localhost");
	}
	r->finalrcpt = sb_steal(&tmp);

	/* a notice without the body counts nothing for its size */
	size = 0;
	if (!nt->hdrsonly)
		size = ERRORFUDGE + (nt->rep->msgsize > 0 ? nt->rep->msgsize : queued_size(e));
	{
		/* the notice has no Precedence: of its own, so no class */
		const char *rf = option_value("RecipientFactor");
		ne.priority = size + (rf != NULL && *rf ? strtol(rf, NULL, 10) : 30000);
	}

	rc = queue_enqueue(q, &ne, body.s, body.len, err);
	if (rc == Q_OK) {
		*ids = xreallocarray(*ids, *nids + 1, sizeof **ids);
		(*ids)[(*nids)++] = xstrdup(ne.id);
		/* "<id>: <notice id>: DSN: <why>", as 8.17's log has it */
		const char *why = NULL;
		size_t i;
		for (i = 0; i < nt->n && why == NULL; i++)
			if (nt->list[i]->action == DSN_FAILED)
				why = reason_text(nt->list[i]);
		if (nt->rep->reason == DSN_WARNING || why == NULL)
			why = subject.s;
		sm_syslog(LOG_INFO, e->id, "%s: %s: %s", ne.id,
			  nt->postmaster ? "postmaster notify" : "DSN", why);
	}
	env_free(&ne);
	sb_free(&boundary);
	sb_free(&body);
	sb_free(&subject);
	sb_free(&tmp);
	return rc == Q_OK ? 0 : -1;
}

static bool null_sender(const struct envelope *e)
{
	const char *s = e->sender != NULL ? e->sender : "";
	const char *n = macvalue('n');
	return *s == '\0' || strcmp(s, "<>") == 0 ||
	       (n != NULL && strcasecmp(s, n) == 0);
}

int dsn_send(const struct queue *q, const struct envelope *e, const struct dsn_report *rep,
	     char ***ids, size_t *nids, sbuf *err)
{
	struct notice nt;
	const struct dsn_rcpt **list;
	time_t now = rep->now != 0 ? rep->now : time(NULL);
	size_t i;
	int sent = 0, cls = precedence(e);
	bool topm;
	const char *pmcopy = option_value("PostmasterCopy");

	memset(&nt, 0, sizeof nt);
	list = xcalloc(rep->nrcpts ? rep->nrcpts : 1, sizeof *list);
	nt.e = e;
	nt.rep = rep;
	nt.list = list;
	for (i = 0; i < rep->nrcpts; i++) {
		const struct dsn_rcpt *r = &rep->rcpts[i];
		unsigned f = r->qflags;
		bool want;
		switch (r->action) {
		case DSN_FAILED:
			want = rep->reason != DSN_WARNING && rep->reason != DSN_RECEIPT &&
			       (!(f & QR_HASNOTIFY) || (f & QR_NOTIFY_FAILURE));
			break;
		case DSN_DELAYED:
			want = rep->reason == DSN_WARNING &&
			       (!(f & QR_HASNOTIFY) || (f & QR_NOTIFY_DELAY));
			break;
		default:
			want = rep->reason != DSN_WARNING && (f & QR_NOTIFY_SUCCESS);
			break;
		}
		if (!want)
			continue;
		list[nt.n++] = r;
		if (r->action == DSN_FAILED)
			nt.anyfail = true;
		else if (r->action != DSN_DELAYED)
			nt.anysuccess = true;
	}
	if (nt.n == 0 || (rep->reason == DSN_WARNING && cls < 0)) {
		free(list);
		return 0;
	}

	/* a notice about a notice, or about mail from <>, goes to the postmaster */
	topm = null_sender(e) || (e->flags & EF_RESPONSE);
	if (topm) {
		const char *dba = option_value("DoubleBounceAddress");
		if (!nt.anyfail && rep->reason != DSN_WARNING) {
			free(list);
			return 0;	/* no receipts for the null sender */
		}
		const char *as = env_header(e, "Auto-Submitted");
		if (dba == NULL)
			dba = "postmaster";
		if ((e->flags & EF_RESPONSE) && as != NULL && strstr(as, "(postmaster-") != NULL) {
			/* the postmaster's own notice failed: nobody is left to tell */
			sm_syslog(LOG_ERR, e->id, "double bounce of a postmaster notice dropped");
			free(list);
			return 0;
		}
		if (*dba == '\0') {
			sm_syslog(LOG_NOTICE, e->id, "Cannot send DSN: DoubleBounceAddress is empty, "
				  "notice dropped");
			free(list);
			return 0;
		}
		nt.to = dba;
		nt.postmaster = true;
	} else
		nt.to = e->sender;
	/* receipts, RET=HDRS and bulk mail get the headers back, not the body */
	nt.hdrsonly = (e->flags & EF_NO_BODY_RETN) || cls < 0 ||
		      (!nt.anyfail && rep->reason != DSN_WARNING);
	if (queue_notice(q, &nt, now, ids, nids, err) != 0) {
		free(list);
		return -1;
	}
	sent++;

	/* the postmaster's copy of failures: headers only */
	if (!topm && nt.anyfail && rep->reason != DSN_WARNING && pmcopy != NULL && *pmcopy != '\0') {
		size_t k = 0;
		for (i = 0; i < nt.n; i++)
			if (list[i]->action == DSN_FAILED)
				list[k++] = list[i];
		nt.n = k;
		nt.anysuccess = false;
		nt.to = pmcopy;
		nt.postmaster = true;
		nt.hdrsonly = true;
		if (queue_notice(q, &nt, now, ids, nids, err) != 0) {
			free(list);
			return -1;
		}
		sent++;
	}
	free(list);
	return sent;
}
