/* token.c -- tokenizing addresses and rule text, printing tokens (see token.h).
 *
 * The tokenizer is a small state machine over character types.  The state is the type of
 * the token being built; each (state, next character type) pair says whether the
 * character ends the current token ("break"), whether it is kept ("meta" characters such
 * as white space are dropped), and the new state.  The transition table is what makes
 * "a.b" three tokens, "a b" two, and a quoted string one. */
#include "token.h"
#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include "conf.h"
#include "diag.h"
#include "macro.h"
#include "xalloc.h"

enum { OPR, ATM, QST, SPC, ONE, ILL };
#define TYPE_MASK	0x0f
#define DROP		0x10	/* don't keep the character */
#define BREAK		0x20	/* the character ends the current token */

static const unsigned char transition[6][6] = {
	/* state \ char:  OPR          ATM          QST          SPC               ONE          ILL */
	[OPR] = { OPR | BREAK, ATM | BREAK, QST | BREAK, SPC | DROP | BREAK, ONE | BREAK, ILL | DROP | BREAK },
	[ATM] = { OPR | BREAK, ATM,         QST | BREAK, SPC | DROP | BREAK, ONE | BREAK, ILL | DROP | BREAK },
	[QST] = { QST,         QST,         OPR,         QST,               QST,         QST },
	[SPC] = { OPR,         ATM,         QST,         SPC | DROP,        ONE,         ILL | DROP | BREAK },
	[ONE] = { OPR,         OPR,         OPR,         OPR,               OPR,         ILL | DROP | BREAK },
	[ILL] = { OPR | BREAK, ATM | BREAK, QST | BREAK, SPC | DROP | BREAK, ONE | BREAK, ILL | DROP },
};

static unsigned char tables[3][256];
static bool tables_ready;
static bool operators_set;
const char *CurAddr;
int ExitStat;
void (*usrerr_hook)(const char *code, const char *enh, const char *text);
int SpaceSub = ' ';

#define NOCHAR (-1)

static void tables_init(void)
{
	int c, t;

	for (t = 0; t < 3; t++) {
		for (c = 0; c < 256; c++) {
			unsigned char k = ATM;
			if (c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == ' ')
				k = SPC;
			else if (c == '"')
				k = QST;
			else if (c == '(' || c == ')')
				k = (t == TT_NOCOMMENT) ? ATM : SPC;
			else if (c >= 0200 && (t == TT_INTERNAL || t == TT_NOCOMMENT)) {
				if (c == MACRODEXPAND || c == MATCHCLASS || c == MATCHNCLASS ||
				    c == MATCHREPL || c == METAQUOTE)
					k = ONE;
				else if (c < 0240)
					k = OPR;
			}
			tables[t][c] = k;
		}
	}
	tables_ready = true;
}

void token_set_operators(const char *opchars)
{
	static const char delimchars[] = "()<>,;\r\n";
	const unsigned char *p;
	int t;

	if (!tables_ready)
		tables_init();
	for (t = 0; t < 3; t++) {
		for (p = (const unsigned char *)opchars; *p; p++)
			if (tables[t][*p] == ATM)
				tables[t][*p] = OPR;
		for (p = (const unsigned char *)delimchars; *p; p++)
			if (tables[t][*p] == ATM)
				tables[t][*p] = OPR;
	}
	operators_set = true;
}

bool token_operators_set(void)
{
	return operators_set;
}

void shortenstring(sbuf *out, const char *s, size_t m)
{
	size_t l = strlen(s);

	if (l < m) {
		sb_puts(out, s);
		return;
	}
	if (m < 10) {
		if (m < 5)
			sb_put(out, s, m);
		else {
			sb_put(out, s, m - 3);
			sb_puts(out, "...");
		}
		return;
	}
	m = (m - 3) / 2;
	sb_put(out, s, m);
	sb_puts(out, "...");
	sb_puts(out, s + l - m);
}

void usrerr(const char *fmt, ...)
{
	sbuf text = SBUF_INIT, out = SBUF_INIT;
	va_list ap;
	char code[4];
	const char *msg;
	size_t i;

	sb_init(&text);
	sb_init(&out);
	va_start(ap, fmt);
	sb_vprintf(&text, fmt, ap);
	va_end(ap);
	msg = diag_skip_codes(text.s, code);
	if (code[0] == '5' || code[0] == '4')
		ExitStat = code[0] == '4' ? EX_TEMPFAIL : (ExitStat ? ExitStat : EX_DATAERR);
	if (diag_file != NULL)
		sb_printf(&out, "%s: line %ld: ", diag_file, diag_line);
	if (CurAddr != NULL && CurAddr[0] != '\0' &&
	    (!strcmp(code, "050") || !strcmp(code, "250") || !strcmp(code, "252") ||
	     !strcmp(code, "450") || !strcmp(code, "550") || !strcmp(code, "553"))) {
		shortenstring(&out, CurAddr, MAXSHORTSTR);
		sb_puts(&out, "... ");
	}
	sb_puts(&out, msg);
	for (i = 0; i < out.len; i++)
		out.s[i] &= 0177;
	if (usrerr_hook != NULL) {
		/* the enhanced status code given, if any: between the reply code and msg */
		sbuf enh = SBUF_INIT;
		sb_init(&enh);
		if (code[0] != '\0' && msg > text.s + 4)
			sb_put(&enh, text.s + 4, (size_t)(msg - text.s - 5));
		usrerr_hook(code, enh.s, out.s);
		sb_free(&enh);
	} else
		message("%s", out.s);
	sb_free(&text);
	sb_free(&out);
}

char **prescan(const char *addr, int delim, char **av, arena *a, const char **delimptr,
	       enum toktab table, bool ignore)
{
	const unsigned char *tab;
	const unsigned char *p = (const unsigned char *)addr;
	sbuf tok = SBUF_INIT;
	int c = NOCHAR, state = ATM, newstate;
	int cmntcnt = 0, anglecnt = 0;
	bool bslash = false, route_syntax = false;
	size_t n = 0;
	const char *saved_addr = CurAddr;

	if (!tables_ready)
		tables_init();
	if (!operators_set)
		token_set_operators(OperatorChars != NULL ? OperatorChars : ".:@[]");
	tab = tables[table];
	sb_init(&tok);
	CurAddr = addr;

	do {
		sb_reset(&tok);
		for (;;) {
			/* a 0377 byte is kept as 0177, as 8.17 does: 0377 is its quoting byte for
			 * macro expansion, never an address character (so an unquoted one is
			 * then refused as non-printable, a quoted one reaches the mailer so) */
			if (c != NOCHAR && !bslash)
				sb_putc(&tok, c == 0377 ? 0177 : c);
			c = *p++;
			if (c == '\0') {
				if (ignore)
					break;
				if (state == QST) {
					usrerr("553 Unbalanced '\"'");
					c = '"';
				} else if (cmntcnt > 0) {
					usrerr("553 Unbalanced '('");
					c = ')';
				} else if (anglecnt > 0) {
					c = '>';
					usrerr("553 Unbalanced '<'");
				} else
					break;
				p--;
			} else if (c == delim && cmntcnt <= 0 && state != QST) {
				if (anglecnt <= 0)
					break;
				if (delim == ',' && !route_syntax) {
					usrerr("553 Unbalanced '<'");
					c = '>';
					p--;
				}
			}

			if (bslash) {
				bslash = false;
				if (cmntcnt > 0) {
					c = NOCHAR;
					continue;
				} else if (c != '!' || state == QST) {
					sb_putc(&tok, '\\');
					continue;
				}
			}

			if (c == '\\') {
				bslash = true;
			} else if (state == QST) {
				/* inside a quoted string: nothing special */
			} else if (c == '(' && tab['('] == SPC) {
				cmntcnt++;
				c = NOCHAR;
			} else if (c == ')' && tab['('] == SPC) {
				if (cmntcnt <= 0) {
					/* in rule text a lone ) is just a token */
					if (!ignore) {
						usrerr("553 Unbalanced ')'");
						c = NOCHAR;
					}
				} else
					cmntcnt--;
			} else if (cmntcnt > 0) {
				c = NOCHAR;
			} else if (c == '<') {
				const unsigned char *q = p;
				anglecnt++;
				while (isascii(*q) && isspace(*q))
					q++;
				if (*q == '@')
					route_syntax = true;
			} else if (c == '>') {
				if (anglecnt <= 0) {
					/* in rule text a lone > is just a token */
					if (!ignore) {
						usrerr("553 Unbalanced '>'");
						c = NOCHAR;
					}
				} else
					anglecnt--;
				route_syntax = false;
			} else if (delim == ' ' && isascii(c) && isspace(c))
				c = ' ';

			if (c == NOCHAR)
				continue;
			if (c == delim && anglecnt <= 0 && state != QST)
				break;

			newstate = transition[state][tab[c & 0xff]];
			state = newstate & TYPE_MASK;
			if (state == ILL) {
				if (isascii(c) && isprint(c))
					usrerr("553 Illegal character %c", c);
				else
					usrerr("553 Illegal character 0x%02x", c & 0xff);
			}
			if (newstate & DROP)
				c = NOCHAR;
			if (newstate & BREAK)
				break;
		}
		if (tok.len > 0) {
			if (n >= MAXATOM) {
				usrerr("553 5.1.0 prescan: too many tokens");
				goto fail;
			}
			if (tok.len + 1 > MAXNAME) {
				usrerr("553 5.1.0 prescan: token too long");
				goto fail;
			}
			av[n++] = arena_strndup(a, tok.s, tok.len);
		}
	} while (c != '\0' && (c != delim || anglecnt > 0));
	av[n] = NULL;
	if (n == 0)
		goto fail;	/* nothing but white space and comments */
	if (delimptr != NULL) {
		if ((const char *)p > addr)
			p--;
		*delimptr = (const char *)p;
	}
	sb_free(&tok);
	CurAddr = saved_addr;
	return av;

fail:
	if (delimptr != NULL) {
		if ((const char *)p > addr)
			p--;
		*delimptr = (const char *)p;
	}
	sb_free(&tok);
	CurAddr = saved_addr;
	return NULL;
}

static const struct { char name; unsigned char code; } metanames[] = {
	{ '*', MATCHZANY }, { '+', MATCHANY }, { '-', MATCHONE }, { '=', MATCHCLASS },
	{ '~', MATCHNCLASS }, { '#', CANONNET }, { '@', CANONHOST }, { ':', CANONUSER },
	{ '>', CALLSUBR }, { '?', CONDIF }, { '|', CONDELSE }, { '.', CONDFI },
	{ '[', HOSTBEGIN }, { ']', HOSTEND }, { '(', LOOKUPBEGIN }, { ')', LOOKUPEND },
	{ '&', MACRODEXPAND },
};

void xputs_sb(sbuf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int c;
	size_t i;

	if (s == NULL) {
		sb_puts(b, "<null>");
		return;
	}
	while ((c = *s++) != '\0') {
		if (!isascii(c)) {
			if (c == MATCHREPL) {
				sb_putc(b, '$');
				if (*s == '\0')
					continue;
				c = *s++;
				goto printchar;
			}
			if (c == MACROEXPAND || c == MACRODEXPAND) {
				sb_putc(b, '$');
				if (c == MACRODEXPAND)
					sb_putc(b, '&');
				if (*s == '\0')
					continue;
				if (strchr("=~&?", *s) != NULL)
					sb_putc(b, *s++);
				if (*s == '\0') {
					/* "$&" at the very end (a bad name became a NUL): 8.17
					 * prints the NUL and reads on past it; stop after the NUL */
					sb_putc(b, '\0');
					break;
				}
				if (*s & 0200)
					sb_printf(b, "{%s}", macname(*s++));
				else
					sb_putc(b, *s++);
				continue;
			}
			for (i = 0; i < sizeof metanames / sizeof metanames[0]; i++)
				if (metanames[i].code == c)
					break;
			if (i < sizeof metanames / sizeof metanames[0]) {
				sb_putc(b, '$');
				sb_putc(b, metanames[i].name);
				if (c == MATCHCLASS || c == MATCHNCLASS) {
					if (*s & 0200)
						sb_printf(b, "{%s}", macname(*s++));
					else if (*s != '\0')
						sb_putc(b, *s++);
				}
				continue;
			}
			sb_puts(b, "M-");
			c &= 0177;
		}
printchar:
		if (isascii(c) && isprint(c)) {
			sb_putc(b, c);
			continue;
		}
		switch (c) {
		case '\n': c = 'n'; break;
		case '\r': c = 'r'; break;
		case '\t': c = 't'; break;
		default:
			/* 8.17 shows other control characters as nothing at all */
			continue;
		}
		sb_putc(b, '\\');
		sb_putc(b, c);
	}
}

void xputs(FILE *fp, const char *s)
{
	sbuf b = SBUF_INIT;

	sb_init(&b);
	xputs_sb(&b, s);
	fwrite(b.s, 1, b.len, fp);
	sb_free(&b);
}

void printav(FILE *fp, char **av)
{
	sbuf b = SBUF_INIT;

	sb_init(&b);
	for (; *av != NULL; av++) {
		sb_putc(&b, ' ');
		xputs_sb(&b, *av);
	}
	sb_putc(&b, '\n');
	fwrite(b.s, 1, b.len, fp);
	sb_free(&b);
}

void cataddr(char **first, char **last, sbuf *b, int spacesub, bool external)
{
	bool oatomtok = false, natomtok;
	char **pp;

	sb_reset(b);
	if (first == NULL || *first == NULL)
		return;
	if (spacesub == 0)
		spacesub = SpaceSub;
	(void)external;
	for (pp = first; *pp != NULL; pp++) {
		const unsigned char *t = (const unsigned char *)*pp;
		natomtok = (tables[TT_INTERNAL][t[0]] == ATM);
		if (oatomtok && natomtok)
			sb_putc(b, spacesub);
		sb_puts(b, *pp);
		oatomtok = natomtok;
		if (pp == last)
			break;
	}
}

size_t vec_len(char **av)
{
	size_t n = 0;
	while (av[n] != NULL)
		n++;
	return n;
}

void stripquotes(char *s)
{
	char *p = s, *q = s;
	int c;
	bool bslash = false;

	if (s == NULL)
		return;
	while ((c = (unsigned char)*p++) != '\0') {
		if (!bslash) {
			if (c == '"')
				continue;
			if (c == '\\') {
				bslash = true;
				continue;
			}
		}
		bslash = false;
		*q++ = (char)c;
	}
	*q = '\0';
}

bool invalidaddr(char *addr, char *delimptr, bool isrcpt)
{
	char saved = '\0';
	char *p;
	size_t len = 0;
	bool bad = false;

	if (delimptr != NULL) {
		saved = *delimptr;
		*delimptr = '\0';
	}
	for (p = addr; *p != '\0'; p++) {
		/* bytes that would be taken for metasymbols are refused (and blotted out) */
		if ((*p & 0340) == 0200) {
			bad = true;
			*p = '?';
		}
		if (++len > MAXNAME - 1) {
			char c = *p;
			*p = '\0';
			usrerr("553 5.1.0 Address \"%s\" too long (%d bytes max)", addr, MAXNAME - 1);
			*p = c;
			bad = true;
			goto out;
		}
	}
	if (bad)
		usrerr("501 5.1.%d 8-bit character in mailbox address \"%s\"", isrcpt ? 3 : 7, addr);
out:
	if (delimptr != NULL)
		*delimptr = saved;
	return bad;
}
