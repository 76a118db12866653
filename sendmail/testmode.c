/* testmode.c -- address test mode (-bt): the administrator's window into the rules.
 *
 * Each input line is one command: run rulesets over addresses ("3,0 user@host"), show or
 * set macros and classes ($x, $=X, .Dx, .Cx), dump rulesets and mailers (=S, =M), and the
 * slash commands (/parse, /try, /tryflags, /canon, /mx, /map, /quit).  Output, including
 * error messages, goes to stdout in 8.17's words, so that a session can be diffed. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "address.h"
#include "conf.h"
#include "debug.h"
#include "diag.h"
#include "dns.h"
#include "host.h"
#include "lineread.h"
#include "macro.h"
#include "mailer.h"
#include "map.h"
#include "rewrite.h"
#include "stab.h"
#include "testmode.h"
#include "token.h"
#include "xalloc.h"

static int tryflags = RF_COPYNONE;

static void dump_class(STAB *s, void *arg)
{
	int cl = *(int *)arg;
	if (s->type == ST_CLASS && bitnset(cl, s->v.classes)) {
		fputs(s->name, stdout);
		putchar('\n');
	}
}

static void dump_ruleset(int rs)
{
	struct rewrite *rw;
	sbuf b = SBUF_INIT;
	char **s;

	sb_init(&b);
	for (rw = RewriteRules[rs]; rw != NULL; rw = rw->next) {
		sb_putc(&b, 'R');
		for (s = rw->lhs; *s != NULL; s++) {
			xputs_sb(&b, *s);
			sb_putc(&b, ' ');
		}
		sb_puts(&b, "\t\t");
		for (s = rw->rhs; *s != NULL; s++) {
			xputs_sb(&b, *s);
			sb_putc(&b, ' ');
		}
		sb_putc(&b, '\n');
	}
	fwrite(b.s, 1, b.len, stdout);
	sb_free(&b);
}

static bool is_space(int c)
{
	return isascii(c) && isspace(c);
}

static void cmd_dot(char *line)
{
	const char *ep;
	int mid;
	sbuf v = SBUF_INIT, ex = SBUF_INIT;

	switch (line[1]) {
	case 'D':
		mid = macid_parse(&line[2], &ep);
		if (mid == 0)
			return;
		sb_init(&v);
		translate_dollars(ep, &v);
		macdefine(mid, v.s);
		sb_free(&v);
		break;
	case 'C':
		if (line[2] == '\0')
			return;
		mid = macid_parse(&line[2], &ep);
		if (mid == 0)
			return;
		sb_init(&v);
		sb_init(&ex);
		translate_dollars(ep, &v);
		expand(v.s, &ex);
		setclass_words(mid, ex.s);
		sb_free(&v);
		sb_free(&ex);
		break;
	case '\0':
		printf("Usage: .[DC]macro value(s)\n");
		break;
	default:
		printf("Unknown \".\" command %s\n", line);
		break;
	}
}

static void cmd_equals(char *line)
{
	int rs, i;

	switch (line[1]) {
	case 'S':
		rs = strtorwset(&line[2], NULL, false);
		if (rs < 0) {
			printf("Undefined ruleset %s\n", &line[2]);
			return;
		}
		dump_ruleset(rs);
		break;
	case 'M':
		for (i = 0; i < MAXMAILERS; i++)
			if (Mailer[i] != NULL)
				printmailer(stdout, Mailer[i]);
		break;
	case '\0':
		printf("Usage: =Sruleset or =M\n");
		break;
	default:
		printf("Unknown \"=\" command %s\n", line);
		break;
	}
}

static void cmd_dollar(char *line)
{
	int mid;
	const char *v;

	if (line[1] == '=') {
		mid = macid(&line[2]);
		if (mid != 0)
			stab_apply(dump_class, &mid);
		return;
	}
	mid = macid(&line[1]);
	if (mid == 0)
		return;
	v = macvalue(mid);
	if (v == NULL)
		printf("Undefined\n");
	else {
		xputs(stdout, v);
		putchar('\n');
	}
}

static bool cmd_slash(char *line)
{
	char *p, *q, *end;

	end = line + strlen(line);
	while (--end >= line && is_space((unsigned char)*end))
		*end = '\0';
	p = strpbrk(line, " \t");
	if (p != NULL) {
		while (is_space((unsigned char)*p))
			*p++ = '\0';
	} else
		p = "";
	if (line[1] == '\0') {
		printf("Usage: /[canon|map|mx|parse|try|tryflags]\n");
		return true;
	}
	if (strcasecmp(&line[1], "quit") == 0)
		return false;
	if (strcasecmp(&line[1], "mx") == 0) {
		char *mx[MAXMXHOSTS + 1];
		int rcode = EX_OK, n, i;
		if (*p == '\0') {
			printf("Usage: /mx address\n");
			return true;
		}
		n = getmxrr(p, mx, MAXMXHOSTS, false, &rcode, Scratch);
		if (n == NULLMX)
			printf("getmxrr(%s) returns null MX (See RFC7505)\n", p);
		else {
			printf("getmxrr(%s) returns %d value(s):\n", p, n);
			for (i = 0; i < n; i++)
				printf("\t%s\n", mx[i]);
		}
	} else if (strcasecmp(&line[1], "canon") == 0) {
		sbuf host = SBUF_INIT;
		if (*p == '\0') {
			printf("Usage: /canon address\n");
			return true;
		}
		if (strlen(p) >= 256) {
			printf("Name too long\n");
			return true;
		}
		sb_init(&host);
		sb_puts(&host, p);
		getcanonname(&host, !HasWildcardMX, NULL);
		printf("getcanonname(%s) returns %s\n", p, host.s);
		sb_free(&host);
	} else if (strcasecmp(&line[1], "map") == 0) {
		MAP *map;
		int rcode = EX_OK;
		char *av[2];
		const char *r;
		if (*p == '\0') {
			printf("Usage: /map mapname key\n");
			return true;
		}
		for (q = p; *q != '\0' && !is_space((unsigned char)*q); q++)
			;
		if (*q == '\0') {
			printf("No key specified\n");
			return true;
		}
		*q++ = '\0';
		map = map_find(p);
		if (map == NULL) {
			printf("Map named \"%s\" not found\n", p);
			return true;
		}
		if (!(map->mflags & MF_OPEN) && !map_openmap(map)) {
			printf("Map named \"%s\" not open\n", p);
			return true;
		}
		printf("map_lookup: %s (%s) ", p, q);
		fflush(stdout);
		av[0] = q;
		av[1] = NULL;
		r = map->class->lookup(map, q, av, &rcode);
		if (r == NULL)
			printf("no match (%d)\n", rcode);
		else
			printf("returns %s (%d)\n", r, rcode);
	} else if (strcasecmp(&line[1], "try") == 0) {
		MAILER *m;
		int rcode = EX_OK;
		char *r;
		q = strpbrk(p, " \t");
		if (q != NULL) {
			while (is_space((unsigned char)*q))
				*q++ = '\0';
		}
		if (q == NULL || *q == '\0') {
			printf("Usage: /try mailer address\n");
			return true;
		}
		m = mailer_find(p);
		if (m == NULL) {
			printf("Unknown mailer %s\n", p);
			return true;
		}
		printf("Trying %s %s address %s for mailer %s\n",
		       (tryflags & RF_HEADERADDR) ? "header" : "envelope",
		       (tryflags & RF_SENDERADDR) ? "sender" : "recipient", q, p);
		r = remotename(q, m, tryflags, &rcode);
		printf("Rcode = %d, addr = %s\n", rcode, r == NULL ? "<NULL>" : r);
	} else if (strcasecmp(&line[1], "tryflags") == 0) {
		char at[4];
		if (*p == '\0') {
			printf("Usage: /tryflags [Hh|Ee][Ss|Rr]\n");
			return true;
		}
		for (; *p != '\0'; p++) {
			switch (*p) {
			case 'H': case 'h': tryflags |= RF_HEADERADDR; break;
			case 'E': case 'e': tryflags &= ~RF_HEADERADDR; break;
			case 'S': case 's': tryflags |= RF_SENDERADDR; break;
			case 'R': case 'r': tryflags &= ~RF_SENDERADDR; break;
			}
		}
		at[0] = (tryflags & RF_HEADERADDR) ? 'h' : 'e';
		at[1] = ' ';
		at[2] = (tryflags & RF_SENDERADDR) ? 's' : 'r';
		at[3] = '\0';
		macdefine(macid("{addr_type}"), at);
	} else if (strcasecmp(&line[1], "parse") == 0) {
		ADDRESS a;
		char *cracked;
		char *addr;
		if (*p == '\0') {
			printf("Usage: /parse address\n");
			return true;
		}
		addr = arena_strdup(Scratch, p);
		cracked = crackaddr(addr);
		printf("Cracked address = ");
		xputs(stdout, cracked);
		printf("\nParsing %s %s address\n", (tryflags & RF_HEADERADDR) ? "header" : "envelope",
		       (tryflags & RF_SENDERADDR) ? "sender" : "recipient");
		fflush(stdout);
		if (parseaddr(addr, &a, tryflags, '\0', NULL, true) == NULL)
			printf("Cannot parse\n");
		else if (a.host != NULL && a.host[0] != '\0')
			printf("mailer %s, host %s, user %s\n", a.mailer->name, a.host,
			       a.user ? a.user : "");
		else
			printf("mailer %s, user %s\n", a.mailer->name, a.user ? a.user : "");
	} else if (strcasecmp(&line[1], "expand") == 0) {
		sbuf out = SBUF_INIT;
		sb_init(&out);
		expand(p, &out);
		fputs(out.s, stdout);
		sb_free(&out);
	} else {
		printf("Unknown \"/\" command %s\n", line);
	}
	return true;
}

static void cmd_rulesets(char *line)
{
	char *p, *q;
	const char *delim;

	for (p = line; is_space((unsigned char)*p); p++)
		;
	q = p;
	while (*p != '\0' && !is_space((unsigned char)*p))
		p++;
	if (*p == '\0') {
		printf("No address!\n");
		return;
	}
	*p = '\0';
	CurAddr = NULL;
	if (invalidaddr(p + 1, NULL, true))
		return;
	do {
		char *pvbuf[MAXATOM + 1];
		char **pvp;
		char *r;

		pvp = prescan(++p, ',', pvbuf, Scratch, &delim,
			      ConfigLevel >= 9 ? TT_NOCOMMENT : TT_EXTERNAL, false);
		if (pvp == NULL) {
			p = (char *)delim;
			continue;
		}
		r = q;
		while (*r != '\0') {
			int rs, status;
			rs = strtorwset(r, NULL, false);
			if (rs < 0) {
				printf("Undefined ruleset %s\n", r);
				break;
			}
			status = rewrite(pvp, rs, 0, MAXATOM);
			if (status != EX_OK)
				printf("== Ruleset %s (%d) status %d\n", r, rs, status);
			while (*r != '\0' && *r++ != ',')
				;
		}
		p = (char *)delim;
	} while (*p != '\0');
}

/* one command; false for /quit */
static bool testmodeline(char *line)
{
	if (line[0] == '#' || line[0] == '\0')
		return true;
	while (*line == ' ')
		line++;
	switch (line[0]) {
	case '.':
		cmd_dot(line);
		return true;
	case '=':
		cmd_equals(line);
		return true;
	case '-':
		switch (line[1]) {
		case 'd':
			debug_set(&line[2]);
			break;
		case '\0':
			printf("Usage: -d{debug arguments}\n");
			break;
		default:
			printf("Unknown \"-\" command %s\n", line);
			break;
		}
		return true;
	case '$':
		cmd_dollar(line);
		return true;
	case '/':
		return cmd_slash(line);
	case '?':
		printf("Sendmail %s -- HELP not implemented\n", VERSION_STRING);
		return true;
	}
	cmd_rulesets(line);
	return true;
}

int testmode(FILE *in)
{
	sbuf line = SBUF_INIT;

	sb_init(&line);
	diag_out = stdout;
	TraceRules = true;
	macdefine(macid("{addr_type}"), "e r");
	if (Verbose)
		printf("ADDRESS TEST MODE (ruleset 3 NOT automatically invoked)\n"
		       "Enter <ruleset> <address>\n");
	for (;;) {
		bool more;
		if (Verbose >= 2)
			printf("> ");
		fflush(stdout);
		if (lr_getline(in, &line, 0) <= 0)
			break;
		if (Verbose < 2)
			printf("> %s\n", line.s);
		more = testmodeline(line.s);
		fflush(stdout);
		arena_reset(Scratch);
		CurAddr = NULL;
		if (!more)
			break;
	}
	fflush(stdout);
	sb_free(&line);
	return ExitStat ? ExitStat : diag_exitstat;
}
