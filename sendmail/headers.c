/* headers.c -- a message's header block on its way into the queue (see headers.h).
 *
 * The layout rules were found by running 8.17 on many header shapes (tests/submit-diff.t
 * compares every one of them): values are kept exactly as written after the colon; the
 * configuration's defaults come first, in H-line order; a default the message supplies is
 * dropped, except for trace fields and Return-Path, which always stay; the message's own
 * fields follow in their order. */
#include "headers.h"
#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "address.h"
#include "conf.h"
#include "macro.h"
#include "mailer.h"
#include "sbuf.h"
#include "xalloc.h"

static const struct {
	const char *name;
	unsigned info;
} Known[] = {
	{ "resent-sender", HI_FROM | HI_RESENT },
	{ "resent-from", HI_FROM | HI_RESENT },
	{ "resent-reply-to", HI_FROM | HI_RESENT },
	{ "sender", HI_FROM },
	{ "from", HI_FROM },
	{ "reply-to", HI_FROM },
	{ "errors-to", HI_FROM },
	{ "full-name", HI_ACHECK },
	{ "disposition-notification-to", HI_FROM },
	{ "to", HI_RCPT },
	{ "resent-to", HI_RCPT | HI_RESENT },
	{ "cc", HI_RCPT },
	{ "resent-cc", HI_RCPT | HI_RESENT },
	{ "bcc", HI_RCPT | HI_BCC },
	{ "resent-bcc", HI_RCPT | HI_BCC | HI_RESENT },
	{ "apparently-to", HI_RCPT },
	{ "resent-message-id", HI_RESENT },
	{ "resent-date", HI_RESENT },
	{ "message", HI_EOH },
	{ "text", HI_EOH },
	{ "received", HI_TRACE | HI_FORCE },
	{ "x400-received", HI_TRACE | HI_FORCE },
	{ "via", HI_TRACE | HI_FORCE },
	{ "mail-from", HI_TRACE | HI_FORCE },
	{ "comments", HI_FORCE },
	{ "return-path", HI_FORCE | HI_ACHECK | HI_BINDLATE },
	{ "content-length", HI_ACHECK },
	{ "x-authentication-warning", HI_FORCE },
};

static unsigned info_n(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof Known / sizeof Known[0]; i++)
		if (strlen(Known[i].name) == n && strncasecmp(Known[i].name, name, n) == 0)
			return Known[i].info;
	return 0;
}

unsigned header_info(const char *name)
{
	return info_n(name, strlen(name));
}

/* ---- the parser ---- */

void hp_init(struct hparse *p)
{
	p->f = NULL;
	p->n = 0;
	p->done = false;
}

void hp_free(struct hparse *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->f[i].name);
		free(p->f[i].value);
	}
	free(p->f);
	hp_init(p);
}

size_t hp_isheader(const char *line, size_t len, size_t *colon)
{
	size_t i = 0, namelen;

	while (i < len && (unsigned char)line[i] > ' ' && (unsigned char)line[i] < 0x80 &&
	       line[i] != ':')
		i++;
	namelen = i;
	if (namelen == 0)
		return 0;
	/* blanks between the name and the colon are tolerated, as 8.17 does */
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= len || line[i] != ':')
		return 0;
	if (colon != NULL)
		*colon = i;
	return namelen;
}

int hp_line(struct hparse *p, const char *line, size_t len)
{
	size_t namelen, colon = 0;
	struct hfield *f;

	if (p->done)
		return HP_BODY;
	if (len == 0) {
		p->done = true;
		return HP_END;
	}
	if ((line[0] == ' ' || line[0] == '\t') && p->n > 0) {
		sbuf v = SBUF_INIT;
		f = &p->f[p->n - 1];
		sb_init(&v);
		sb_puts(&v, f->value);
		sb_putc(&v, '\n');
		sb_put(&v, line, strnlen(line, len));
		free(f->value);
		f->value = sb_steal(&v);
		return HP_FIELD;
	}
	namelen = hp_isheader(line, len, &colon);
	if (namelen == 0) {
		p->done = true;
		return HP_BODY;
	}
	if (info_n(line, namelen) & HI_EOH) {
		p->done = true;
		return HP_EOH;
	}
	p->f = xreallocarray(p->f, size_add(p->n, 1), sizeof *p->f);
	f = &p->f[p->n++];
	f->name = xstrndup(line, namelen);
	f->value = xstrndup(line + colon + 1, strnlen(line + colon + 1, len - colon - 1));
	return HP_FIELD;
}

const char *hp_value(const struct hparse *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcasecmp(p->f[i].name, name) == 0)
			return p->f[i].value;
	return NULL;
}

bool hp_resent(const struct hparse *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (header_info(p->f[i].name) & HI_RESENT)
			return true;
	return false;
}

int hp_hopcount(const struct hparse *p)
{
	size_t i;
	int hops = 1;	/* our own Received: */

	for (i = 0; i < p->n; i++)
		if (header_info(p->f[i].name) & HI_TRACE)
			hops++;
	return hops;
}

bool hp_has_visible_rcpt(const struct hparse *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		unsigned info = header_info(p->f[i].name);
		if ((info & HI_RCPT) && !(info & (HI_BCC | HI_RESENT)))
			return true;
	}
	return false;
}

static bool has_rcpt_field(const struct hparse *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (header_info(p->f[i].name) & HI_RCPT)
			return true;
	return false;
}

/* what goes between the ?s of an H record: the macro condition, then the flag letters */
static void def_cond(const struct hdrdef *d, sbuf *out)
{
	int k;

	if (d->macro != 0) {
		const char *mn = macname(d->macro);
		if (strlen(mn) == 1)
			sb_printf(out, "$%s", mn);
		else
			sb_printf(out, "${%s}", mn);
	}
	for (k = 0; k < 128; k++)
		if (bitnset(k, d->flags))
			sb_putc(out, k);
}

static bool blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n')
			return false;
	return true;
}

void headers_to_envelope(struct envelope *e, const struct hparse *msg, const struct hdrctx *ctx)
{
	const struct hdrdef *d;
	bool resent = hp_resent(msg);
	sbuf cond = SBUF_INIT, v = SBUF_INIT, hv = SBUF_INIT;
	char **dropname = NULL, **dropcond = NULL;
	size_t ndrop = 0, i, k;

	sb_init(&cond);
	sb_init(&v);
	sb_init(&hv);
	for (d = HeaderDefs; d != NULL; d = d->next) {
		unsigned info = header_info(d->name);

		if (strncasecmp(d->name, "Resent-", 7) == 0 && !resent)
			continue;
		sb_reset(&cond);
		def_cond(d, &cond);
		if (!(info & HI_FORCE) && hp_value(msg, d->name) != NULL) {
			/* the message's own field replaces this default */
			dropname = xreallocarray(dropname, ndrop + 1, sizeof *dropname);
			dropcond = xreallocarray(dropcond, ndrop + 1, sizeof *dropcond);
			dropname[ndrop] = d->name;
			dropcond[ndrop++] = xstrdup(sb_str(&cond));
			continue;
		}
		sb_reset(&hv);
		sb_putc(&hv, ' ');
		if (info & HI_BINDLATE)
			sb_puts(&hv, d->value);
		else {
			expand(d->value, &v);
			if (blank(sb_str(&v)))
				continue;
			if (info & HI_FROM) {
				/* an originator default goes through crackaddr: a phrase that needs
				 * quotes gets them, as in 8.17 */
				sbuf x = SBUF_INIT;
				sb_init(&x);
				expand(crackaddr(v.s), &x);
				sb_reset(&v);
				sb_puts(&v, x.s);
				sb_free(&x);
			}
			sb_puts(&hv, v.s);
		}
		env_add_header(e, sb_str(&cond), d->name, sb_str(&hv));
	}
	for (i = 0; ctx != NULL && i < ctx->nwarnings; i++) {
		sb_reset(&hv);
		sb_putc(&hv, ' ');
		sb_puts(&hv, ctx->warnings[i]);
		env_add_header(e, "", "X-Authentication-Warning", sb_str(&hv));
	}
	for (i = 0; i < msg->n; i++) {
		const char *c = "";
		if (header_info(msg->f[i].name) & HI_ACHECK)
			for (k = 0; k < ndrop; k++)
				if (strcasecmp(dropname[k], msg->f[i].name) == 0) {
					c = dropcond[k];
					break;
				}
		if (header_info(msg->f[i].name) & (HI_FROM | HI_RCPT)) {
			/* address fields: a fold after a comma becomes one blank, as 8.17 writes them */
			const char *p = msg->f[i].value;
			sb_reset(&hv);
			for (; *p != '\0'; p++) {
				sb_putc(&hv, *p);
				if (*p == ',' && p[1] == '\n') {
					p++;
					while (p[1] == ' ' || p[1] == '\t')
						p++;
					sb_putc(&hv, ' ');
				}
			}
			env_add_header(e, c, msg->f[i].name, sb_str(&hv));
		} else
			env_add_header(e, c, msg->f[i].name, msg->f[i].value);
	}
	if (ctx != NULL && ctx->norcpt_action != NULL && !has_rcpt_field(msg)) {
		const char *a = ctx->norcpt_action;
		sb_reset(&hv);
		sb_putc(&hv, ' ');
		if (strcasecmp(a, "add-to-undisclosed") == 0) {
			sb_puts(&hv, "undisclosed-recipients:;");
			env_add_header(e, "", "To", sb_str(&hv));
		} else if (strcasecmp(a, "add-to") == 0 || strcasecmp(a, "add-apparently-to") == 0) {
			/* one field per recipient, the last one first */
			for (k = ctx->nrcpts; k > 0; k--) {
				sb_reset(&hv);
				sb_putc(&hv, ' ');
				sb_puts(&hv, ctx->rcpts[k - 1]);
				env_add_header(e, "", strcasecmp(a, "add-to") == 0 ? "To" : "Apparently-To",
					       sb_str(&hv));
			}
		} else if (strcasecmp(a, "add-bcc") == 0)
			env_add_header(e, "", "Bcc", "  ");
	}
	for (k = 0; k < ndrop; k++)
		free(dropcond[k]);
	free(dropname);
	free(dropcond);
	sb_free(&cond);
	sb_free(&v);
	sb_free(&hv);
}

/* ---- names and addresses ---- */

char *fullname_quote(const char *name)
{
	const char *p;
	int depth = 0;
	bool quoted = false, quoteit = false;
	sbuf b = SBUF_INIT;

	for (p = name; *p != '\0'; p++) {
		if (*p == '\\') {
			if (p[1] != '\0')
				p++;
			continue;
		}
		if (*p == '"' && depth == 0) {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		if (*p == '(') {
			depth++;
			continue;
		}
		if (*p == ')') {
			if (depth == 0)
				quoteit = true;
			else
				depth--;
			continue;
		}
		if (depth == 0 && strchr(MustQuoteChars, *p) != NULL)
			quoteit = true;
	}
	if (depth != 0)
		quoteit = true;
	if (!quoteit)
		return xstrdup(name);
	sb_init(&b);
	sb_putc(&b, '"');
	sb_puts(&b, name);
	sb_putc(&b, '"');
	return sb_steal(&b);
}

char *bare_address(const char *addr)
{
	const char *p;
	sbuf b = SBUF_INIT;
	int depth = 0;
	bool quoted = false;
	const char *lt = NULL, *gt = NULL;
	char *s, *t;

	/* the part in angle brackets, if there is one */
	for (p = addr; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p == '"' && depth == 0)
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (depth == 0 && *p == '<' && lt == NULL)
			lt = p;
		else if (depth == 0 && *p == '>' && lt != NULL && gt == NULL)
			gt = p;
	}
	sb_init(&b);
	if (lt != NULL && gt != NULL)
		sb_put(&b, lt + 1, (size_t)(gt - lt - 1));
	else {
		/* comments out, a group's "name:" and ";" off */
		const char *start = addr, *colon = NULL;
		depth = 0;
		quoted = false;
		for (p = addr; *p != '\0'; p++) {
			if (*p == '\\' && p[1] != '\0') {
				p++;
				continue;
			}
			if (*p == '"' && depth == 0)
				quoted = !quoted;
			else if (!quoted && *p == '(')
				depth++;
			else if (!quoted && *p == ')' && depth > 0)
				depth--;
			else if (!quoted && depth == 0 && *p == ':' && colon == NULL)
				colon = p;
		}
		if (colon != NULL)
			start = colon + 1;
		depth = 0;
		quoted = false;
		for (p = start; *p != '\0'; p++) {
			if (*p == '\\' && p[1] != '\0') {
				if (depth == 0)
					sb_put(&b, p, 2);
				p++;
				continue;
			}
			if (*p == '"' && depth == 0)
				quoted = !quoted;
			else if (!quoted && *p == '(') {
				depth++;
				continue;
			} else if (!quoted && *p == ')' && depth > 0) {
				depth--;
				continue;
			}
			if (depth == 0)
				sb_putc(&b, *p);
		}
	}
	s = sb_steal(&b);
	for (t = s; *t == ' ' || *t == '\t' || *t == '\n'; t++)
		;
	memmove(s, t, strlen(t) + 1);
	t = s + strlen(s);
	while (t > s && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\n' || t[-1] == ';'))
		*--t = '\0';
	return s;
}

size_t split_addrlist(const char *list, char ***out)
{
	const char *p, *start = list;
	int depth = 0, angle = 0;
	bool quoted = false;
	char **v = NULL;
	size_t n = 0;

	for (p = list;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p == '\0' || (*p == ',' && !quoted && depth == 0 && angle == 0)) {
			const char *a = start, *z = p;
			while (a < z && isspace((unsigned char)*a))
				a++;
			while (z > a && isspace((unsigned char)z[-1]))
				z--;
			if (z > a) {
				v = xreallocarray(v, n + 1, sizeof *v);
				v[n++] = xstrndup(a, (size_t)(z - a));
			}
			if (*p == '\0')
				break;
			start = p + 1;
			continue;
		}
		if (*p == '"' && depth == 0)
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (depth == 0 && *p == '<')
			angle++;
		else if (depth == 0 && *p == '>' && angle > 0)
			angle--;
	}
	*out = v;
	return n;
}

/* ---- what the headers need from the envelope ---- */

char *qualify_addr(const char *bare)
{
	const char *j = macvalue('j');
	sbuf b = SBUF_INIT;

	sb_init(&b);
	sb_puts(&b, bare);
	if (strchr(bare, '@') == NULL) {
		sb_putc(&b, '@');
		sb_puts(&b, j != NULL ? j : "");
	}
	return sb_steal(&b);
}

/* "Sat, 21 Nov 2026 09:06:51 GMT" or "... -0500 (EST)", from tm */
void arpadate_tm(const struct tm *tm, sbuf *out)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mons[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
					    "Aug", "Sep", "Oct", "Nov", "Dec" };
	long off = tm->tm_gmtoff / 60;

	sb_printf(out, "%s, %d %s %d %02d:%02d:%02d ", days[tm->tm_wday % 7], tm->tm_mday,
		  mons[tm->tm_mon % 12], tm->tm_year + 1900, tm->tm_hour, tm->tm_min, tm->tm_sec);
	if (off == 0)
		sb_puts(out, "GMT");
	else
		sb_printf(out, "%c%02ld%02ld (%s)", off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60,
			  tm->tm_zone != NULL ? tm->tm_zone : "");
}

/* the date of a UNIX From line ("Mon Jan  1 00:00:00 2024"), in the form of $a */
static bool ctime_to_arpa(const char *ud, time_t now, sbuf *out)
{
	struct tm tm, cur;
	char day[4], mon[4];
	int d, h, m, s, y;
	static const char *const mons = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static const char *const days = "SunMonTueWedThuFriSat";
	const char *mp, *dp;

	if (sscanf(ud, "%3s %3s %d %d:%d:%d %d", day, mon, &d, &h, &m, &s, &y) != 7)
		return false;
	mp = strstr(mons, mon);
	dp = strstr(days, day);
	if (mp == NULL || dp == NULL)
		return false;
	localtime_r(&now, &cur);
	memset(&tm, 0, sizeof tm);
	tm = cur;
	tm.tm_wday = (int)(dp - days) / 3;
	tm.tm_mon = (int)(mp - mons) / 3;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = s;
	tm.tm_year = y - 1900;
	arpadate_tm(&tm, out);
	return true;
}

/* the gecos full name: up to a comma, '&' standing for the login, capitalised */
static char *gecos_name(const struct passwd *pw)
{
	sbuf b = SBUF_INIT;
	const char *p;

	if (pw->pw_gecos == NULL || pw->pw_gecos[0] == '\0' || pw->pw_gecos[0] == ',')
		return NULL;
	sb_init(&b);
	for (p = pw->pw_gecos; *p != '\0' && *p != ','; p++) {
		if (*p == '&') {
			sb_putc(&b, toupper((unsigned char)pw->pw_name[0]));
			sb_puts(&b, pw->pw_name + 1);
		} else
			sb_putc(&b, *p);
	}
	return sb_steal(&b);
}


char *final_rcpt(const char *paddr)
{
	char *bare = bare_address(paddr), *q = qualify_addr(bare);
	sbuf f = SBUF_INIT;

	sb_init(&f);
	sb_puts(&f, "RFC822; ");
	sb_puts(&f, q);
	free(q);
	free(bare);
	return sb_steal(&f);
}

char *local_fullname(const char *user, const char *given)
{
	struct passwd *pw;
	char *g, *q;

	if (given != NULL && given[0] != '\0')
		return fullname_quote(given);
	pw = getpwnam(user);
	if (pw == NULL || (g = gecos_name(pw)) == NULL)
		return NULL;
	q = fullname_quote(g);
	free(g);
	return q;
}

char *sender_fullname(const char *sender, const char *given)
{
	ADDRESS a, *pa;
	char *work = arena_strdup(Scratch, sender);

	pa = parseaddr(work, &a, RF_COPYNONE | RF_SENDERADDR, '\0', NULL, false);
	if (pa == NULL || pa->mailer != LocalMailer || pa->user == NULL)
		return NULL;
	return local_fullname(pa->user, given);
}

void header_macros(const char *id, time_t now, const char *fromdate)
{
	struct tm tm;
	sbuf b = SBUF_INIT;
	char t[32];

	sb_init(&b);
	macdefine('i', id);
	localtime_r(&now, &tm);
	arpadate_tm(&tm, &b);
	macdefine('b', b.s);
	sb_reset(&b);
	if (fromdate != NULL && ctime_to_arpa(fromdate, now, &b))
		macdefine('a', b.s);
	else
		macdefine('a', macvalue('b'));
	strftime(t, sizeof t, "%Y%m%d%H%M", &tm);
	macdefine('t', t);
	sb_free(&b);
}

static long option_num(const char *name, long dflt)
{
	const char *v = option_value(name);
	return v != NULL && *v != '\0' ? strtol(v, NULL, 10) : dflt;
}

long message_priority(const struct hparse *h, long msgsize, size_t nrcpts, unsigned *eflags)
{
	long pri = msgsize + option_num("RecipientFactor", 30000) * (long)nrcpts;
	const char *prec = hp_value(h, "Precedence");
	int k;

	if (prec == NULL)
		return pri;
	while (*prec == ' ' || *prec == '\t')
		prec++;
	for (k = 0; k < NumPriorities; k++)
		if (strcasecmp(Priorities[k].name, prec) == 0) {
			pri -= (long)Priorities[k].value * option_num("ClassFactor", 1800);
			/* bulk, junk, list: no body in a bounce */
			if (Priorities[k].value < 0)
				*eflags |= EF_NO_BODY_RETN;
			break;
		}
	return pri;
}
