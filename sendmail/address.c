/* address.c -- parsing addresses into triples, cracking comments from addresses, and
 * rewriting addresses for a mailer.  The order of the rulesets and of the lower-casing
 * steps is 8.17's, since -bt traces show every step. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "address.h"
#include "conf.h"
#include "diag.h"
#include "macro.h"
#include "map.h"
#include "rewrite.h"
#include "token.h"
#include "xalloc.h"

const char *MustQuoteChars = "@,;:\\()[].'";

static const struct { const char *name; int code; } errcodes[] = {
	{ "usage", EX_USAGE }, { "nouser", EX_NOUSER }, { "nohost", EX_NOHOST },
	{ "unavailable", EX_UNAVAILABLE }, { "software", EX_SOFTWARE },
	{ "tempfail", EX_TEMPFAIL }, { "protocol", EX_PROTOCOL }, { "config", EX_CONFIG },
	{ NULL, EX_UNAVAILABLE },
};

/* length of an enhanced status code "d.d.d" at s, followed by `delim`; 0 if none */
static int isenhsc(const char *s, int delim)
{
	int l, h;

	if (s == NULL)
		return 0;
	if (!((*s == '2' || *s == '4' || *s == '5') && s[1] == '.'))
		return 0;
	h = 0;
	l = 2;
	while (h < 3 && isdigit((unsigned char)s[l + h]))
		h++;
	if (h == 0 || s[l + h] != '.')
		return 0;
	l += h + 1;
	h = 0;
	while (h < 3 && isdigit((unsigned char)s[l + h]))
		h++;
	if (h == 0 || s[l + h] != delim)
		return 0;
	return l + h;
}

static bool is_smtp_code(const char *s)
{
	return (s[0] == '2' || s[0] == '4' || s[0] == '5') && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]) && (s[3] == ' ' || s[3] == '-' || s[3] == '\0');
}

static void setstat(int st)
{
	if (st == EX_OK || ExitStat == EX_OK || ExitStat == EX_TEMPFAIL)
		ExitStat = st;
}

static int dsntoexitstat(const char *dsn)
{
	int c1, c2;
	const char *p = dsn;

	c1 = *p;
	if (c1 == '2')
		return EX_OK;
	p = strchr(p, '.');
	if (p == NULL)
		return EX_UNAVAILABLE;
	c2 = atoi(p + 1);
	p = strchr(p + 1, '.');
	if (c1 == '4')
		return EX_TEMPFAIL;
	switch (c2) {
	case 1: return (p && atoi(p + 1) == 2) ? EX_NOHOST : EX_NOUSER;
	case 2: return EX_UNAVAILABLE;
	case 3: return EX_UNAVAILABLE;
	case 4: return EX_NOHOST;
	case 5: return EX_PROTOCOL;
	case 6: return EX_DATAERR;
	case 7: return EX_NOPERM;
	}
	return EX_UNAVAILABLE;
}

static char *scratch_copy(sbuf *b)
{
	return arena_strndup(Scratch, b->s, b->len);
}

static void badaddr(ADDRESS *a)
{
	if (ExitStat == EX_TEMPFAIL)
		a->state = QS_QUEUEUP;
	else {
		a->state = QS_BADADDR;
		a->mailer = &ErrorMailer;
	}
}

ADDRESS *buildaddr(char **tv, ADDRESS *a, int flags)
{
	const char *mname;
	char **hostp = NULL;
	sbuf hbuf = SBUF_INIT, ubuf = SBUF_INIT;
	MAILER *m = NULL;
	int i;
	char *p;
	char **const tv0 = tv;	/* tv moves on in a vector of MAXATOM + 1 from here */
	int maxatom;

	sb_init(&hbuf);
	sb_init(&ubuf);
	memset(a, 0, sizeof *a);
	if (*tv == NULL || (unsigned char)**tv != CANONNET) {
		syserr("554 5.3.5 buildaddr: no mailer in parsed address");
		goto bad;
	}
	mname = *++tv;
	if (mname == NULL) {
		syserr("554 5.3.5 buildaddr: no mailer name");
		goto bad;
	}
	if (*++tv != NULL && (unsigned char)**tv == CANONHOST)
		hostp = ++tv;
	while (*tv != NULL && (unsigned char)**tv != CANONUSER)
		tv++;
	if (*tv == NULL) {
		syserr("554 5.3.5 buildaddr: no user");
		goto bad;
	}
	if (tv == hostp)
		hostp = NULL;
	else if (hostp != NULL) {
		char *save = *tv;
		*tv = NULL;
		cataddr(hostp, NULL, &hbuf, '\0', false);
		*tv = save;
	}
	cataddr(++tv, NULL, &ubuf, ' ', false);

	if (strcasecmp(mname, "error") == 0) {
		a->mailer = &ErrorMailer;
		a->user = scratch_copy(&ubuf);
		if (hostp != NULL) {
			a->host = scratch_copy(&hbuf);
			if (strchr(hbuf.s, '.') != NULL) {
				a->status = a->host;
				setstat(dsntoexitstat(hbuf.s));
			} else if (isdigit((unsigned char)hbuf.s[0])) {
				setstat(atoi(hbuf.s));
			} else {
				for (i = 0; errcodes[i].name != NULL; i++)
					if (strcasecmp(errcodes[i].name, hbuf.s) == 0)
						break;
				setstat(errcodes[i].code);
			}
		} else {
			a->host = NULL;
			setstat(EX_UNAVAILABLE);
		}
		stripquotes(ubuf.s);
		ubuf.len = strlen(ubuf.s);
		if (is_smtp_code(ubuf.s) && ubuf.s[3] == ' ') {
			int off = isenhsc(ubuf.s + 4, ' ');
			char code[4];
			memcpy(code, ubuf.s, 3);
			code[3] = '\0';
			if (off > 0) {
				char *enh = xstrndup(ubuf.s + 4, (size_t)off);
				usrerr("%s %s %s", code, enh, ubuf.s + 4 + off + 1);
				free(enh);
			} else if (isenhsc(hbuf.s, '\0') > 0)
				usrerr("%s %s %s", code, hbuf.s, ubuf.s + 4);
			else
				usrerr("%s %s", code, ubuf.s + 4);
		} else
			usrerr("553 5.3.0 %s", ubuf.s);
		goto bad;
	}
	for (i = 0; i < MAXMAILERS; i++)
		if (Mailer[i] != NULL && strcasecmp(Mailer[i]->name, mname) == 0) {
			m = Mailer[i];
			break;
		}
	if (m == NULL) {
		syserr("554 5.3.5 buildaddr: unknown mailer %s", mname);
		goto bad;
	}
	a->mailer = m;
	if (hostp == NULL) {
		if (!bitnset('l', m->flags)) {
			syserr("554 5.3.5 buildaddr: no host");
			goto bad;
		}
		a->host = NULL;
	} else
		a->host = scratch_copy(&hbuf);

	p = ubuf.s;
	if (bitnset('@', m->flags) && *p == '@') {
		p++;
		tv++;
	}
	if (*p == '"')
		p++;
	if (*p == '|' && bitnset('|', m->flags) && ProgMailer != NULL)
		a->mailer = m = ProgMailer;
	else if (*p == '/' && bitnset('/', m->flags) && FileMailer != NULL)
		a->mailer = m = FileMailer;
	else if (*p == ':' && bitnset(':', m->flags)) {
		stripquotes(ubuf.s);
		if (strncasecmp(ubuf.s, ":include:", 9) == 0 && InclMailer != NULL) {
			a->mailer = InclMailer;
			a->user = arena_strdup(Scratch, ubuf.s + 9);
			goto out;
		}
	}

	macdefine('h', a->host);
	maxatom = MAXATOM - (int)(tv - tv0);	/* the room left, as 8.17 counts it */
	if (ConfigLevel >= 10 || !(flags & (RF_SENDERADDR | RF_HEADERADDR))) {
		rewrite(tv, 2, 0, maxatom);
		if (m->re_rwset > 0)
			rewrite(tv, m->re_rwset, 0, maxatom);
	}
	rewrite(tv, 4, 0, maxatom);
	cataddr(tv, NULL, &ubuf, '\0', true);
	a->user = scratch_copy(&ubuf);
	if (a->host != NULL && !bitnset('h', m->flags))
		makelower(a->host);
	if (!bitnset('u', m->flags))
		makelower(a->user);
	goto out;

bad:
	badaddr(a);
out:
	sb_free(&hbuf);
	sb_free(&ubuf);
	return a;
}

/* The user part as the mailer will get it: an unquoted control character (0177 too, which
 * a 0377 byte became) is refused, and so is a trailing backslash or an unbalanced quote,
 * as 8.17 refuses them ("Syntax error in mailbox address ..."); each bad byte is shown,
 * and left, as '?'.  Inside quotes anything goes (the mailer gets it as it is). */
static bool hasctrlchar(char *s, bool isrcpt)
{
	const char *why = NULL;
	char *b = s;
	bool quoted = false;

	if (s == NULL)
		return false;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (!quoted && (c < ' ' || c == 0177)) {
			why = "non-printable character";
			*s = '?';
			continue;
		}
		if (c == '"')
			quoted = !quoted;
		else if (c == '\\') {
			if (s[1] == '\0') {
				why = "trailing \\ character";
				*s = '?';
				break;
			}
			s++;
		}
	}
	if (quoted)
		why = "unbalanced quote";
	if (why == NULL)
		return false;
	usrerr("501 5.1.%d Syntax error in mailbox address \"%s\" (%s)", isrcpt ? 3 : 7, b, why);
	return true;
}

/* A recipient's queue group comes from the "queuegroup" ruleset when the configuration has
 * one (its answer is "$# group"); the address is rewritten from its user part. */
static void choose_queuegroup(ADDRESS *a)
{
	char *pvbuf[MAXATOM + 1];
	char **pvp;
	int rs = strtorwset("queuegroup", NULL, false);

	if (rs < 0 || a->user == NULL)
		return;
	pvp = prescan(a->user, '\0', pvbuf, Scratch, NULL, TT_INTERNAL, false);
	if (pvp == NULL)
		return;
	if (rewrite(pvp, rs, 0, MAXATOM) == EX_OK && pvp[0] != NULL &&
	    (unsigned char)pvp[0][0] == CANONNET && pvp[1] != NULL && pvp[1][0] != '\0')
		a->qgroup = arena_strdup(Scratch, pvp[1]);
}

ADDRESS *parseaddr(char *addr, ADDRESS *a, int flags, int delim, const char **delimptr,
		   bool isrcpt)
{
	char *pvbuf[MAXATOM + 1];
	char **pvp;
	const char *dp;
	bool qup = false;

	if (delimptr == NULL)
		delimptr = &dp;
	CurAddr = addr;
	pvp = prescan(addr, delim, pvbuf, Scratch, delimptr, TT_EXTERNAL, false);
	CurAddr = addr;
	if (pvp == NULL)
		return NULL;
	if (invalidaddr(addr, delim == '\0' ? NULL : (char *)*delimptr, isrcpt))
		return NULL;
	/* the scanner's complaints named the whole rest of a list or command line; what the
	 * rulesets say names this address alone, as 8.17 shows them */
	if (delim != '\0' && *delimptr != NULL && **delimptr != '\0')
		CurAddr = arena_strndup(Scratch, addr, (size_t)(*delimptr - addr));
	if (rewrite(pvp, 3, 0, MAXATOM) == EX_TEMPFAIL)
		qup = true;
	if (rewrite(pvp, 0, 0, MAXATOM) == EX_TEMPFAIL)
		qup = true;
	buildaddr(pvp, a, flags);
	a->paddr = addr;
	if (a->state == QS_BADADDR)
		return a;
	if (hasctrlchar(a->user, isrcpt)) {
		/* refused, but still an address of its mailer (-bt shows it so) */
		a->state = QS_BADADDR;
		return a;
	}
	if (!(flags & (RF_SENDERADDR | RF_HEADERADDR | RF_RM_ADDR)) && OpMode != MD_INITALIAS)
		choose_queuegroup(a);
	if (qup) {
		usrerr("050 Transient parse error -- message queued for future delivery");
		a->state = QS_QUEUEUP;
		a->status = "4.4.3";
	}
	return a;
}

/* crackaddr's output buffer: 8.17 works in a buffer of MAXNAME+1 bytes and keeps room for
 * the closing quote, parenthesis and angle it may have to add; `lim` models that room. */
struct crackbuf {
	sbuf b;
	size_t lim;
};

#define CB_ROOM(cb)	((cb)->b.len < (cb)->lim)
static void cb_append(struct crackbuf *cb, int c)
{
	if (CB_ROOM(cb))
		sb_putc(&cb->b, c);
}

/* A group name ("phrase:") or a display name ("phrase <") has been found: the text since
 * addrhead is written again, quoted if it needs to be, up to and including the separator.
 * p is just past the separator; returns where to go on.  An empty quoted phrase (the
 * buffer is at emptylen right after the opening quote) loses its quote. */
static const char *rewrite_head(struct crackbuf *cb, size_t bufhead, const char *addr,
				const char *addrhead, const char *p, bool quoteit, int sep,
				size_t emptylen)
{
	const char *q;
	int c;

	sb_truncate(&cb->b, bufhead);
	if (quoteit) {
		cb_append(cb, '"');
		/* back up over the separator and the white space before it */
		--p;
		while (p > addr && isascii((unsigned char)*--p) && isspace((unsigned char)*p))
			;
		p++;
	}
	for (q = addrhead; q < p;) {
		c = (unsigned char)*q++;
		if (quoteit && c == '"')
			cb_append(cb, '\\');
		cb_append(cb, c);
	}
	if (quoteit) {
		if (cb->b.len == emptylen)
			sb_truncate(&cb->b, cb->b.len - 1);
		else
			cb_append(cb, '"');
		while ((c = (unsigned char)*p++) != sep)
			cb_append(cb, c);
		cb_append(cb, c);
	}
	return p;
}

char *crackaddr(const char *addr)
{
	struct crackbuf cb;
	const char *p, *addrhead;
	size_t bufhead;
	int c, cmtlev, realcmtlev, anglelev, copylev, bracklev;
	bool addangle, qmode, realqmode, putgmac = false, quoteit = false;
	bool gotangle = false, gotcolon = false;
	const size_t bufend = MAXNAME;
	char *result;

	sb_init(&cb.b);
	cb.lim = bufend;
	while (*addr != '\0' && isascii((unsigned char)*addr) && isspace((unsigned char)*addr))
		cb_append(&cb, *addr++);
	bufhead = cb.b.len;
	p = addrhead = addr;
	copylev = anglelev = cmtlev = realcmtlev = bracklev = 0;
	qmode = realqmode = addangle = false;

	while ((c = (unsigned char)*p++) != '\0') {
		if (copylev > 0)
			cb_append(&cb, c);
		if (c == '\\') {
			if (cmtlev <= 0 && !qmode)
				quoteit = true;
			if ((c = (unsigned char)*p++) == '\0') {
				p--;
				goto putg;
			}
			if (copylev > 0)
				cb_append(&cb, c);
			goto putg;
		}
		if (c == '"' && cmtlev <= 0) {
			qmode = !qmode;
			if (copylev > 0 && CB_ROOM(&cb)) {
				if (realqmode)
					cb.lim--;
				else
					cb.lim++;
				realqmode = !realqmode;
			}
			continue;
		}
		if (qmode)
			goto putg;
		if (c == '(') {
			cmtlev++;
			if (CB_ROOM(&cb)) {
				cb.lim--;
				realcmtlev++;
				if (copylev++ <= 0) {
					if (cb.b.len != bufhead)
						cb_append(&cb, ' ');
					cb_append(&cb, c);
				}
			}
		}
		if (cmtlev > 0) {
			if (c == ')') {
				cmtlev--;
				copylev--;
				if (CB_ROOM(&cb)) {
					realcmtlev--;
					cb.lim++;
				}
			}
			continue;
		} else if (c == ')') {
			if (copylev > 0 && CB_ROOM(&cb) && cb.b.len > bufhead)
				sb_truncate(&cb.b, cb.b.len - 1);
		}
		if (c == '[')
			bracklev++;
		else if (c == ']')
			bracklev--;

		if (c == ':' && anglelev <= 0 && bracklev <= 0 && !gotcolon && !ColonOkInAddr) {

			if (*p == ':' || *p == '.') {
				if (cmtlev <= 0 && !qmode)
					quoteit = true;
				if (copylev > 0) {
					cb_append(&cb, c);
					cb_append(&cb, *p);
				}
				p++;
				goto putg;
			}
			gotcolon = true;
			p = rewrite_head(&cb, bufhead, addr, addrhead, p, quoteit, ':', bufhead + 1);
			while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
				cb_append(&cb, *p++);
			copylev = 0;
			putgmac = quoteit = false;
			bufhead = cb.b.len;
			addrhead = p;
			continue;
		}
		if (c == ';' && copylev <= 0 && !ColonOkInAddr)
			cb_append(&cb, c);
		if (strchr(MustQuoteChars, c) != NULL) {
			if (cmtlev <= 0 && !qmode)
				quoteit = true;
		}
		if (c == '<') {
			if (gotangle)
				quoteit = true;
			gotangle = true;
			anglelev = 1;
			if (CB_ROOM(&cb)) {
				if (!addangle)
					cb.lim--;
				addangle = true;
			}
			/* 8.17 compares with the start of its buffer here, not with bufhead */
			p = rewrite_head(&cb, bufhead, addr, addrhead, p, quoteit, '<', 1);
			copylev = 0;
			putgmac = quoteit = false;
			continue;
		}
		if (c == '>') {
			if (anglelev > 0) {
				anglelev--;
				if (CB_ROOM(&cb)) {
					if (addangle)
						cb.lim++;
					addangle = false;
				}
			} else if (CB_ROOM(&cb)) {
				if (copylev > 0 && cb.b.len > bufhead)
					sb_truncate(&cb.b, cb.b.len - 1);
				quoteit = true;
				continue;
			}
			if (copylev++ <= 0)
				cb_append(&cb, c);
			continue;
		}
putg:
		if (copylev <= 0 && !putgmac) {
			if (cb.b.len > 0 && cb.b.s[cb.b.len - 1] == ')')
				cb_append(&cb, ' ');
			cb_append(&cb, MACROEXPAND);
			cb_append(&cb, 'g');
			putgmac = true;
		}
	}
	if (realqmode && cb.b.len < bufend)
		sb_putc(&cb.b, '"');
	while (realcmtlev-- > 0 && cb.b.len < bufend)
		sb_putc(&cb.b, ')');
	if (addangle && cb.b.len < bufend)
		sb_putc(&cb.b, '>');
	result = arena_strndup(Scratch, cb.b.s, cb.b.len);
	sb_free(&cb.b);
	return result;
}

char *remotename(const char *name, MAILER *m, int flags, int *pstat)
{
	char *pvbuf[MAXATOM + 1];
	char **pvp;
	const char *fancy;
	int rwset;
	char addrtype[4];
	sbuf lbuf = SBUF_INIT, out = SBUF_INIT;
	char *oldg, *result;
	const char *g;

	if (flags & RF_SENDERADDR) {
		rwset = (flags & RF_HEADERADDR) ? m->sh_rwset : m->se_rwset;
		addrtype[2] = 's';
	} else {
		rwset = (flags & RF_HEADERADDR) ? m->rh_rwset : m->re_rwset;
		addrtype[2] = 'r';
	}
	if (rwset < 0)
		return (char *)name;
	addrtype[0] = (flags & RF_HEADERADDR) ? 'h' : 'e';
	addrtype[1] = ' ';
	addrtype[3] = '\0';
	macdefine(macid("{addr_type}"), addrtype);

	if ((flags & RF_CANONICAL) || bitnset('c', m->flags))
		fancy = "\201g";
	else
		fancy = crackaddr(name);

	pvp = prescan(name, '\0', pvbuf, Scratch, NULL, TT_EXTERNAL, false);
	if (pvp == NULL)
		return (char *)name;
	if (rewrite(pvp, 3, 0, MAXATOM) == EX_TEMPFAIL)
		*pstat = EX_TEMPFAIL;
	if (flags & RF_SENDERADDR) {
		if (rewrite(pvp, 1, 0, MAXATOM) == EX_TEMPFAIL)
			*pstat = EX_TEMPFAIL;
	} else {
		if (rewrite(pvp, 2, 0, MAXATOM) == EX_TEMPFAIL)
			*pstat = EX_TEMPFAIL;
	}
	if (rwset > 0 && rewrite(pvp, rwset, 0, MAXATOM) == EX_TEMPFAIL)
		*pstat = EX_TEMPFAIL;
	if (rewrite(pvp, 4, 0, MAXATOM) == EX_TEMPFAIL)
		*pstat = EX_TEMPFAIL;

	sb_init(&lbuf);
	sb_init(&out);
	cataddr(pvp, NULL, &lbuf, '\0', false);
	g = macvalue('g');
	oldg = g != NULL ? xstrdup(g) : NULL;
	macdefine('g', lbuf.s);
	if ((flags & RF_CANONICAL) && lbuf.s[0] == '@')
		expand("<\201g>", &out);
	else
		expand(fancy, &out);
	macdefine('g', oldg);
	free(oldg);
	result = arena_strndup(Scratch, out.s, out.len);
	sb_free(&lbuf);
	sb_free(&out);
	return result;
}
