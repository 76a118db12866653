/* submit.c -- the default mode: a local program hands us a message (see submit.h).
 *
 * Order of work, as 8.17 does it, since it shows in the output: flags checked, the sender
 * and its full name worked out, the command-line recipients parsed (each argument a list),
 * the message read into a new df, recipients from the header with -t, the hop count checked,
 * the H records laid out (headers.c), the qf committed; then delivery if the mode asks.
 *
 * Recipients go through recipient expansion as 8.17's do at submission (aliases, local
 * users checked, duplicates across lists dropped, sorted by host: recipient.h); the ones it
 * refuses are reported and, when nothing is left to queue, the message goes where
 * ErrorMode says (savemail.h). */
#include "submit.h"
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "address.h"
#include "cmdline.h"
#include "collect.h"
#include "conf.h"
#include "deliver_hook.h"
#include "diag.h"
#include "headers.h"
#include "log.h"
#include "macro.h"
#include "mailer.h"
#include "queue.h"
#include "recipient.h"
#include "savemail.h"
#include "stab.h"
#include "xalloc.h"

int (*deliver_after_queue)(struct envelope *e, const struct queue *q, int mode);

/* ---- flags ---- */

static bool notify_flags(const char *arg, unsigned *flags)
{
	char *copy = xstrdup(arg), *w, *save;
	bool ok = true, never = false, other = false;

	*flags = QR_HASNOTIFY;
	for (w = strtok_r(copy, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save)) {
		if (strcasecmp(w, "never") == 0)
			never = true;
		else if (strcasecmp(w, "success") == 0)
			*flags |= QR_NOTIFY_SUCCESS, other = true;
		else if (strcasecmp(w, "failure") == 0)
			*flags |= QR_NOTIFY_FAILURE, other = true;
		else if (strcasecmp(w, "delay") == 0)
			*flags |= QR_NOTIFY_DELAY, other = true;
		else
			ok = false;
	}
	free(copy);
	return ok && !(never && other);
}

/* xtext (RFC 3461) as 8.17 checks -V: printable, no '+' unless a valid escape, no '=' */
static bool xtext_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= ' ' || c >= 0177 || c == '=')
			return false;
		if (c == '+') {
			if (!isxdigit((unsigned char)s[1]) || !isxdigit((unsigned char)s[2]))
				return false;
			s += 2;
		}
	}
	return true;
}

static void xtextify(const char *s, sbuf *out)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < '!' || c > '~' || c == '+' || c == '=')
			sb_printf(out, "+%02X", c);
		else
			sb_putc(out, c);
	}
}

static bool has_word(const char *list, const char *word)
{
	char *copy, *w, *save;
	bool found = false;

	if (list == NULL)
		return false;
	copy = xstrdup(list);
	for (w = strtok_r(copy, " \t,", &save); w != NULL; w = strtok_r(NULL, " \t,", &save))
		if (strcasecmp(w, word) == 0)
			found = true;
	free(copy);
	return found;
}

static bool body_put(void *arg, const void *p, size_t n)
{
	return queue_write_body(arg, p, n) == 0;
}

static long option_num(const char *name, long dflt)
{
	const char *v = option_value(name);
	return v != NULL && *v != '\0' ? strtol(v, NULL, 10) : dflt;
}

static int errmode(void)
{
	const char *v = option_value("ErrorMode");
	return v != NULL && *v != '\0' ? *v : 'p';
}

int submit_main(void)
{
	struct passwd *pw = getpwuid(getuid());
	const char *realname = pw != NULL ? pw->pw_name : "root";
	bool trusted, bodytype_bad = false;
	unsigned notify = QR_NOTIFY_FAILURE | QR_NOTIFY_DELAY;
	struct rcptlist rl;
	struct rcpt_session *rs;
	unsigned rxflags = (Cmd.noalias ? RX_NOALIAS : 0) | (errmode() != 'p' ? RX_HUSH : 0);
	size_t nok = 0;
	int rstat, hops;
	struct envelope e;
	struct queue q;
	struct collected c;
	sbuf b = SBUF_INIT, err = SBUF_INIT;
	char *sender, *gaddr = NULL, *fullname = NULL;
	const char **warnings = NULL;
	size_t nwarn = 0, i, ncmdline;
	time_t now;
	int status = EX_OK, rc;
	bool ignoredots, sender_is_user;

	sb_init(&b);
	sb_init(&err);
	tz_from_options();
	/* flags first: 8.17 refuses these before reading anything */
	if (Cmd.notify != NULL && !notify_flags(Cmd.notify, &notify)) {
		message("Invalid -N argument");
		return EX_USAGE;
	}
	if (Cmd.ret != NULL && strcasecmp(Cmd.ret, "hdrs") != 0 && strcasecmp(Cmd.ret, "full") != 0) {
		message("Invalid -R value");
		return EX_USAGE;
	}
	if (Cmd.envid != NULL && !xtext_ok(Cmd.envid)) {
		message("Invalid syntax in -V flag");
		return EX_USAGE;
	}
	if (Cmd.bodytype != NULL && strcasecmp(Cmd.bodytype, "7BIT") != 0 &&
	    strcasecmp(Cmd.bodytype, "8BITMIME") != 0) {
		/* reported, and the message goes on without a body type, as in 8.17 */
		message("Illegal body type %s", Cmd.bodytype);
		bodytype_bad = true;
		status = EX_USAGE;
	}
	if (!Cmd.readrcpts && Cmd.nargs == 0) {
		message("Recipient names must be specified");
		return EX_USAGE;
	}

	trusted = getuid() == 0 || wordinclass(realname, 't') ||
		  (option_value("TrustedUser") != NULL &&
		   strcmp(option_value("TrustedUser"), realname) == 0);

	/* the client and its protocol, as the qf keeps them */
	env_init(&e);
	sb_printf(&b, "%s@localhost", realname);
	macdefine(macid("_"), b.s);
	env_set_macro(&e, "_", b.s);
	if (Cmd.protocol != NULL) {
		char *p = xstrdup(Cmd.protocol), *colon = strchr(p, ':');
		if (colon != NULL)
			*colon++ = '\0';
		macdefine('r', p);
		env_set_macro(&e, "r", p);
		if (colon != NULL) {
			macdefine('s', colon);
			env_set_macro(&e, "s", colon);
		}
		free(p);
	}
	macdefine(macid("{daemon_flags}"), "c u");
	env_set_macro(&e, "{daemon_flags}", "c u");

	/* the sender */
	sender = xstrdup(Cmd.from != NULL ? Cmd.from : realname);
	/* a CR or LF in -f would reach the qf's S record and the log: 8.17 reads such a byte as
	 * a blank in the address (x\ry delivers as x.y); so do we, and keep the blank */
	for (char *sp = sender; *sp != '\0'; sp++)
		if ((unsigned char)*sp < 0x20)
			*sp = ' ';
	gaddr = bare_address(sender);
	fullname = sender_fullname(sender, Cmd.fullname);
	if (Cmd.from != NULL && !trusted && strcmp(Cmd.from, realname) != 0 &&
	    has_word(option_value("PrivacyOptions"), "authwarnings")) {
		const char *j = macvalue('j');
		sb_reset(&b);
		sb_printf(&b, "%s: %s set sender to %s using -%c", j ? j : "", realname, Cmd.from,
			  Cmd.fromflag ? Cmd.fromflag : 'f');
		warnings = xreallocarray(warnings, nwarn + 1, sizeof *warnings);
		warnings[nwarn++] = sb_steal(&b);
		sb_init(&b);
	}
	if (!trusted && (Cmd.cffile != NULL || Cmd.queuedir_given)) {
		const char *j = macvalue('j');
		if (Cmd.cffile != NULL || Cmd.queuedir_given) {
			sb_reset(&b);
			sb_printf(&b, "%s: Processed from queue %s", j ? j : "", queue_directory());
			warnings = xreallocarray(warnings, nwarn + 1, sizeof *warnings);
			warnings[nwarn++] = sb_steal(&b);
			sb_init(&b);
		}
		if (Cmd.cffile != NULL) {
			sb_reset(&b);
			sb_printf(&b, "%s: Processed by %s with -C %s", j ? j : "", realname, Cmd.cffile);
			warnings = xreallocarray(warnings, nwarn + 1, sizeof *warnings);
			warnings[nwarn++] = sb_steal(&b);
			sb_init(&b);
		}
	}
	sender_is_user = Cmd.from == NULL || strcmp(gaddr, realname) == 0;
	macdefine('f', gaddr);
	macdefine('g', gaddr);
	e.sender = xstrdup(sender);
	if (trusted || Cmd.from == NULL || strcmp(Cmd.from, realname) == 0) {
		char *qa = qualify_addr(gaddr);
		sb_reset(&b);
		xtextify(qa, &b);
		e.auth = xstrdup(b.s);
		free(qa);
	}

	/* the command line's recipients */
	rcptlist_init(&rl);
	rs = rcpt_begin(&rl, sender, rxflags);
	for (i = 0; i < (size_t)Cmd.nargs; i++)
		rcpt_list(rs, Cmd.args[i], QR_PRIMARY | notify);
	ncmdline = 0;
	for (i = 0; i < rl.n; i++)
		if (rl.v[i].parent < 0) {
			ncmdline++;
			macdefine('u', rl.v[i].paddr);
		}
	if (ncmdline != 1)
		macdefine('u', NULL);

	/* the message, into a new df */
	if (!queue_init(&q, queue_directory(), ".")) {
		syserr("can not chdir(%s/): %s", queue_directory(), strerror(errno));
		if (rs != NULL)
			(void)rcpt_end(rs);
		rcptlist_free(&rl);
		env_free(&e);
		return EX_CONFIG;
	}
	now = time(NULL);
	e.ctime = now;
	if (queue_create(&q, &e, &err) != Q_OK) {
		syserr("%s", err.s);
		if (rs != NULL)
			(void)rcpt_end(rs);
		rcptlist_free(&rl);
		env_free(&e);
		queue_free(&q);
		return EX_CANTCREAT;
	}
	{
		const char *v = option_value("IgnoreDots");
		ignoredots = v != NULL && (v[0] == '\0' || strchr("tTyY", v[0]) != NULL);
	}
	if (!collect(stdin, ignoredots, option_num("MaxMessageSize", 0), &c, body_put, &e)) {
		syserr("collect: Cannot write %s", e.id);
		queue_abort(&q, &e);
		collected_free(&c);
		if (rs != NULL)
			(void)rcpt_end(rs);
		rcptlist_free(&rl);
		env_free(&e);
		queue_free(&q);
		return EX_IOERR;
	}

	/* the macros the headers use */
	header_macros(e.id, now, c.fromdate);
	{
		const char *fn = hp_value(&c.hdr, "Full-Name");
		if (fn != NULL) {
			while (*fn == ' ' || *fn == '\t')
				fn++;
			free(fullname);
			fullname = xstrdup(fn);
		}
	}
	macdefine('x', fullname);

	/* -t: the recipients in the header, after the command line's */
	if (Cmd.readrcpts) {
		bool resent = hp_resent(&c.hdr);
		for (i = 0; i < c.hdr.n; i++) {
			unsigned info = header_info(c.hdr.f[i].name);
			if ((info & HI_RCPT) && strcasecmp(c.hdr.f[i].name, "Apparently-To") != 0 &&
			    (resent ? (info & HI_RESENT) != 0 : (info & HI_RESENT) == 0))
				rcpt_list(rs, c.hdr.f[i].value, QR_PRIMARY | notify);
		}
	}
	rstat = rcpt_end(rs);
	rs = NULL;
	for (i = 0; i < rl.n; i++) {
		if (rl.v[i].parent < 0 && rl.v[i].finalrcpt == NULL)
			rl.v[i].finalrcpt = final_rcpt(rl.v[i].paddr);
		if (rl.v[i].state == RS_OK || rl.v[i].state == RS_QUEUEUP)
			nok++;
	}
	/* 8.17 marks the other members of an original alias one of whose members failed as
	 * originals themselves */
	for (i = 0; i < rl.n; i++) {
		long p = rl.v[i].parent;
		size_t k;
		if (p < 0 || rl.v[p].parent >= 0 || rl.v[i].state != RS_OK)
			continue;
		for (k = 0; k < rl.n; k++)
			if (rl.v[k].parent == p && rl.v[k].state == RS_BAD)
				rl.v[i].qflags |= QR_PRIMARY;
	}
	for (i = 0; i < rl.n; i++)
		if (rl.v[i].parent >= 0 && rl.v[i].finalrcpt == NULL) {
			long p = rl.v[i].parent;
			while (p >= 0 && rl.v[p].finalrcpt == NULL)
				p = rl.v[p].parent;
			if (p >= 0)
				rl.v[i].finalrcpt = xstrdup(rl.v[p].finalrcpt);
		}
	if (rl.n == 0) {
		message(Cmd.readrcpts ? "No recipient addresses found in header"
				      : "Recipient names must be specified");
		queue_abort(&q, &e);
		goto out;
	}
	if (c.toobig) {
		message("Message exceeds maximum fixed size (%ld)", option_num("MaxMessageSize", 0));
		queue_abort(&q, &e);
		status = EX_DATAERR;
		goto out;
	}
	/* -h gives the count when the header has fewer Received: lines (not a sum) */
	hops = hp_hopcount(&c.hdr);
	if (Cmd.hopcount > hops)
		hops = Cmd.hopcount;
	if (hops > option_num("MaxHopCount", 25)) {
		/* every recipient fails; the message goes where ErrorMode says (not a word on
		 * the terminal, as in 8.17) */
		const char *to = NULL;
		for (i = 0; i < rl.n; i++) {
			if (rl.v[i].state != RS_OK && rl.v[i].state != RS_QUEUEUP)
				continue;
			if (to == NULL)
				to = rl.v[i].paddr;
			rl.v[i].state = RS_BAD;
			rl.v[i].status = "5.4.6";
			rl.v[i].exitstat = EX_UNAVAILABLE;
			free(rl.v[i].rstatus);
			rl.v[i].rstatus = xstrdup("554 5.4.6 Too many hops");
			rl.nbad++;
		}
		sb_reset(&rl.transcript);
		sb_printf(&rl.transcript, "554 5.4.6 Too many hops %d (%ld max): from %s via localhost, to %s\n",
			  hops, option_num("MaxHopCount", 25), gaddr, to != NULL ? to : "");
		nok = 0;
		status = EX_UNAVAILABLE;
	}
	if (status == EX_OK)
		status = rstat;

	/* the envelope */
	e.priority = message_priority(&c.hdr, c.msgsize, rcpt_count(&rl), &e.flags);
	e.flags |= EF_SPLIT;
	if (c.has8bit)
		e.flags |= EF_HAS8BIT;
	if (hp_has_visible_rcpt(&c.hdr))
		e.flags |= EF_DELETE_BCC;
	if (Cmd.bodytype != NULL && !bodytype_bad)
		e.bodytype = xstrdup(strcasecmp(Cmd.bodytype, "8BITMIME") == 0 && !c.has8bit ? "7BIT"
				     : strcasecmp(Cmd.bodytype, "8BITMIME") == 0 ? "8BITMIME" : "7BIT");
	if (Cmd.envid != NULL)
		e.envid = xstrdup(Cmd.envid);
	if (Cmd.ret != NULL)
		e.flags |= EF_RET_PARAM | (strcasecmp(Cmd.ret, "hdrs") == 0 ? EF_NO_BODY_RETN : 0);
	{
		struct ctlstate last = { false, 0, 0, NULL, NULL };
		for (i = 0; i < rl.n; i++) {
			struct qrcpt *r;
			if (rl.v[i].state != RS_OK && rl.v[i].state != RS_QUEUEUP)
				continue;
			r = env_add_rcpt(&e, rl.v[i].paddr, rl.v[i].qflags);
			r->finalrcpt = rl.v[i].finalrcpt != NULL ? xstrdup(rl.v[i].finalrcpt) : NULL;
			r->ctladdr = rcpt_qf_ctladdr(&rl, i, &last);
		}
		ctlstate_free(&last);
	}
	if (rl.nbad > 0 && rl.lastmsg != NULL)
		e.statmsg = xstrdup(rl.lastmsg);
	{
		struct hdrctx ctx = { warnings, nwarn, option_value("NoRecipientAction"), NULL, 0 };
		const char **list = xreallocarray(NULL, rl.n ? rl.n : 1, sizeof *list);
		size_t n = 0;
		for (i = 0; i < rl.n; i++)
			if (rl.v[i].parent < 0 && rl.v[i].state != RS_DUP)
				list[n++] = rl.v[i].paddr;
		ctx.rcpts = list;
		ctx.nrcpts = n;
		headers_to_envelope(&e, &c.hdr, &ctx);
		free(list);
	}
	/* the refused ones: dead.letter or a bounce, as ErrorMode says */
	if (rl.nbad > 0) {
		struct passwd *spw;
		if (e.dfp != NULL)
			fflush(e.dfp);
		spw = sender_is_user ? getpwnam(realname) : NULL;
		status = savemail(&q, &e, &rl, sender_is_user, spw != NULL ? spw->pw_dir : NULL,
				  c.msgsize, status);
	}
	if (nok == 0) {
		queue_abort(&q, &e);
		goto out;
	}
	sb_reset(&err);
	if (queue_commit(&q, &e, &err) != Q_OK) {
		syserr("queueup: cannot create %s: %s", e.id, err.s);
		status = EX_CANTCREAT;
		goto out;
	}
	{
		const char *mid = hp_value(&c.hdr, "Message-Id");
		sm_syslog(LOG_INFO, e.id, "from=%s, size=%ld, class=0, nrcpts=%zu, msgid=%s, relay=%s@localhost",
			  sender, c.msgsize, nok, mid != NULL ? mid + (mid[0] == ' ') : "", realname);
	}
	if ((DeliveryMode == 'i' || DeliveryMode == 'b') && deliver_after_queue != NULL) {
		rc = deliver_after_queue(&e, &q, DeliveryMode);
		if (status == EX_OK)
			status = rc;
	}
out:
	for (i = 0; i < nwarn; i++)
		free((char *)warnings[i]);
	free(warnings);
	collected_free(&c);
	rcptlist_free(&rl);
	env_free(&e);
	queue_free(&q);
	free(sender);
	free(gaddr);
	free(fullname);
	sb_free(&b);
	sb_free(&err);
	return status;
}
