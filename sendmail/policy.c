/* policy.c -- calling the configuration's policy rulesets from the SMTP server (see
 * policy.h).
 *
 * A ruleset's $#error answer is turned into the reply by buildaddr, whose usrerr text we
 * catch here rather than letting it reach the client, so that the caller decides what to do
 * with it: answer the command, keep it for every later command (a refused connection), or
 * close the session (a 421). */
#include "policy.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include "address.h"
#include "conf.h"
#include "log.h"
#include "macro.h"
#include "rewrite.h"
#include "token.h"
#include "xalloc.h"

static sbuf *Catch;

static void catch_usrerr(const char *code, const char *enh, const char *text)
{
	if (Catch == NULL || Catch->len > 0)
		return;		/* the first error is the answer */
	if (code[0] == '\0')
		code = "553";
	if (enh[0] == '\0')
		enh = code[0] == '5' ? "5.0.0" : code[0] == '4' ? "4.0.0" : "2.0.0";
	sb_printf(Catch, "%s %s %s", code, enh, text);
}

bool have_ruleset(const char *rwset)
{
	int rs = rwset_find(rwset);
	return rs >= 0 && RewriteRules[rs] != NULL;
}

void setmac(const char *name, const char *value)
{
	macdefine(macid(name), value);
}

void setmac_long(const char *name, long value)
{
	char num[32];
	snprintf(num, sizeof num, "%ld", value);
	macdefine(macid(name), num);
}

/* run the ruleset on the input; the rewritten vector (in Scratch) or NULL */
static char **run(const char *rwset, const char *p1, const char *p2, int *stat)
{
	static char *pvbuf[MAXATOM + 1];
	char **pvp;
	sbuf b = SBUF_INIT;
	int rs = rwset_find(rwset);

	*stat = EX_OK;
	if (rs < 0 || RewriteRules[rs] == NULL)
		return NULL;
	sb_init(&b);
	sb_puts(&b, p1 != NULL ? p1 : "");
	if (p2 != NULL) {
		sb_puts(&b, " ");
		sb_putc(&b, CONDELSE);
		sb_puts(&b, " ");
		sb_puts(&b, p2);
	}
	pvp = prescan(b.s, '\0', pvbuf, Scratch, NULL, TT_INTERNAL, false);
	sb_free(&b);
	if (pvp == NULL)
		return NULL;
	*stat = rewrite(pvp, rs, 0, MAXATOM);
	return pvp;
}

static void logrs(const char *rwset, const char *p1, const char *p2, const char *what,
		  const char *text)
{
	const char *relay = macvalue('_'), *id = macvalue('i');
	sbuf a = SBUF_INIT;

	if (LogLevel <= 3)
		return;
	sb_init(&a);
	sb_printf(&a, "ruleset=%s, arg1=%s", rwset, p1 != NULL ? p1 : "");
	if (p2 != NULL)
		sb_printf(&a, ", arg2=%s", p2);
	if (relay != NULL)
		sb_printf(&a, ", relay=%s", relay);
	if (text != NULL)
		sb_printf(&a, ", %s=%s", what, text);
	else
		sb_printf(&a, ", %s", what);
	sm_syslog(LOG_NOTICE, id, "%s", a.s);
	sb_free(&a);
}

int rscheck(const char *rwset, const char *p1, const char *p2, const char *addr, sbuf *reply)
{
	char **pvp;
	int st, result = PS_OK;
	const char *saveaddr = CurAddr;
	void (*savehook)(const char *, const char *, const char *) = usrerr_hook;

	sb_reset(reply);
	pvp = run(rwset, p1, p2, &st);
	if (pvp == NULL)
		return PS_OK;
	if (pvp[0] != NULL && (unsigned char)pvp[0][0] == CANONNET && pvp[1] != NULL) {
		if (strcasecmp(pvp[1], "error") == 0) {
			ADDRESS a;
			char **h = pvp + 2;
			bool quarantine = false;
			if (*h != NULL && (unsigned char)**h == CANONHOST && h[1] != NULL &&
			    strcasecmp(h[1], "quarantine") == 0)
				quarantine = true;
			if (quarantine) {
				char **u = h;
				while (*u != NULL && (unsigned char)**u != CANONUSER)
					u++;
				if (*u != NULL) {
					cataddr(u + 1, NULL, reply, ' ', false);
					stripquotes(reply->s);
					reply->len = strlen(reply->s);
				}
				logrs(rwset, p1, p2, "quarantine", reply->s);
				return PS_QUARANTINE;
			}
			Catch = reply;
			usrerr_hook = catch_usrerr;
			CurAddr = addr;
			memset(&a, 0, sizeof a);
			buildaddr(pvp, &a, RF_COPYNONE);
			usrerr_hook = savehook;
			CurAddr = saveaddr;
			Catch = NULL;
			if (reply->len == 0) {
				if (addr != NULL)
					sb_printf(reply, "553 5.3.0 %s... Rejected", addr);
				else
					sb_puts(reply, "553 5.3.0 Rejected");
			}
			logrs(rwset, p1, p2, "reject", reply->s);
			result = PS_REJECT;
		} else if (strcasecmp(pvp[1], "discard") == 0) {
			logrs(rwset, p1, p2, "discard", NULL);
			result = PS_DISCARD;
		}
	}
	/* A map's temporary failure alone refuses nothing: the rules see it (-T<TMPF>) and
	 * answer for it, as with 8.17 (a DNS blocklist that cannot be asked lets mail in). */
	(void)st;
	return result;
}

bool rsquery(const char *rwset, const char *key, sbuf *out, bool *iserror)
{
	char **pvp;
	int st;

	sb_reset(out);
	*iserror = false;
	pvp = run(rwset, key, NULL, &st);
	if (pvp == NULL || pvp[0] == NULL)
		return false;
	if ((unsigned char)pvp[0][0] == CANONNET) {
		pvp++;
		if (*pvp != NULL && strcasecmp(*pvp, "error") == 0)
			*iserror = true;
	}
	cataddr(pvp, NULL, out, '\0', false);
	return out->len > 0;
}
