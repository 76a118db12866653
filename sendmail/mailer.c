/* mailer.c -- M lines: parsing a delivery agent's fields, and printing them as =M does. */
#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include "conf.h"
#include "diag.h"
#include "macro.h"
#include "mailer.h"
#include "stab.h"
#include "token.h"
#include "xalloc.h"

MAILER *Mailer[MAXMAILERS + 1];
MAILER *LocalMailer, *ProgMailer, *FileMailer, *InclMailer;
MAILER ErrorMailer = { .name = "*error*", .path = "[ERROR]", .mno = -1, .uid = -1, .gid = -1,
		       .eol = "\n", .maxrcpt = 100 };
static int nextmailer;

#define SMTPLINELIM 990
#define DEFAULT_MAX_RCPT 100

extern bool queue_known(const char *name);

static char **makeargv(char *p)
{
	char **av = NULL;
	size_t n = 0;

	while (*p != '\0' && n < 256) {
		char *q = p;
		while (*p != '\0' && !(isascii((unsigned char)*p) && isspace((unsigned char)*p)))
			p++;
		while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
			*p++ = '\0';
		av = xreallocarray(av, n + 2, sizeof(char *));
		av[n++] = xstrdup(q);
	}
	av = xreallocarray(av, n + 1, sizeof(char *));
	av[n] = NULL;
	return av;
}

static void free_mailer(MAILER *m)
{
	char **a;
	if (m == NULL)
		return;
	if (m->argv != NULL) {
		for (a = m->argv; *a != NULL; a++)
			free(*a);
		free(m->argv);
	}
	free(m->name);
	free(m->path);
	free(m->execdir);
	free(m->defcharset);
	free(m->qgrp);
	free(m->rootdir);
	free(m->tbuf);
	free(m);
}

static bool set_uid(MAILER *m, char *p)
{
	if (isascii((unsigned char)*p) && !isdigit((unsigned char)*p)) {
		char *q = p;
		struct passwd *pw;
		while (*p != '\0' && isascii((unsigned char)*p) &&
		       (isalnum((unsigned char)*p) || strchr("-_", *p) != NULL))
			p++;
		while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
			*p++ = '\0';
		if (*p != '\0')
			*p++ = '\0';
		if (*q == '\0') {
			syserr("mailer %s: null user name", m->name);
			return false;
		}
		pw = getpwnam(q);
		if (pw == NULL) {
			syserr("readcf: mailer U= flag: unknown user %s", q);
			return false;
		}
		m->uid = pw->pw_uid;
		m->gid = pw->pw_gid;
	} else {
		char *q;
		m->uid = strtol(p, &q, 0);
		p = q;
		while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
			p++;
		if (*p != '\0')
			p++;
	}
	while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
		p++;
	if (*p == '\0')
		return true;
	if (isascii((unsigned char)*p) && !isdigit((unsigned char)*p)) {
		char *q = p;
		struct group *gr;
		while (isascii((unsigned char)*p) &&
		       (isalnum((unsigned char)*p) || strchr("-_.+", *p) != NULL))
			p++;
		*p = '\0';
		if (*q == '\0') {
			syserr("mailer %s: null group name", m->name);
			return false;
		}
		gr = getgrnam(q);
		if (gr == NULL) {
			syserr("readcf: mailer U= flag: unknown group %s", q);
			return false;
		}
		m->gid = gr->gr_gid;
	} else
		m->gid = strtol(p, NULL, 0);
	return true;
}

void makemailer(char *line)
{
	MAILER *m = xcalloc(1, sizeof *m);
	char *p;
	STAB *s;
	int i;

	for (p = line; *p != '\0' && *p != ',' && !(isascii((unsigned char)*p) && isspace((unsigned char)*p)); p++)
		;
	if (*p != '\0')
		*p++ = '\0';
	if (line[0] == '\0') {
		syserr("name required for mailer");
		free(m);
		return;
	}
	m->name = xstrdup(line);
	m->uid = -1;
	m->gid = -1;

	while (*p != '\0') {
		const char *delim;
		char *val;
		int fcode;
		char *endp;

		while (*p != '\0' && (*p == ',' || (isascii((unsigned char)*p) && isspace((unsigned char)*p))))
			p++;
		if (*p == '\0')
			break;
		fcode = (unsigned char)*p;
		while (*p != '\0' && *p != '=' && *p != ',')
			p++;
		if (*p++ != '=') {
			syserr("mailer %s: `=' expected", m->name);
			free_mailer(m);
			return;
		}
		while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
			p++;
		val = munchstring(p, ',', &delim);

		switch (fcode) {
		case 'P':
			if (*val != '\0') {
				free(m->path);
				m->path = xstrdup(val);
			}
			break;
		case 'F':
			for (endp = val; *endp != '\0'; endp++)
				if (!(isascii((unsigned char)*endp) && isspace((unsigned char)*endp)))
					setbitn((unsigned char)*endp, m->flags);
			break;
		case 'S':
		case 'R': {
			const char *e = NULL;
			i = strtorwset(val, &e, true);
			if (i < 0) {
				free(val);
				free_mailer(m);
				return;
			}
			if (fcode == 'S')
				m->sh_rwset = m->se_rwset = i;
			else
				m->rh_rwset = m->re_rwset = i;
			if (e != NULL && *e++ == '/') {
				i = strtorwset(e, NULL, true);
				if (i < 0) {
					free(val);
					free_mailer(m);
					return;
				}
				if (fcode == 'S')
					m->sh_rwset = i;
				else
					m->rh_rwset = i;
			}
			break;
		}
		case 'E':
			if (*val == '\0')
				syserr("mailer %s: null end-of-line string", m->name);
			else
				m->eol = xstrdup(val);
			break;
		case 'A':
			if (*val != '\0')
				m->argv = makeargv(val);
			break;
		case 'M':
			m->maxsize = atol(val);
			break;
		case 'm':
			m->maxdeliveries = atoi(val);
			break;
		case 'r':
			m->maxrcpt = atoi(val);
			break;
		case 'L':
			m->linelimit = atoi(val);
			if (m->linelimit < 0)
				m->linelimit = 0;
			break;
		case 'N':
			m->nice = atoi(val);
			break;
		case 'D':
			if (*val == '\0')
				syserr("mailer %s: null working directory", m->name);
			else
				m->execdir = xstrdup(val);
			break;
		case 'C':
			if (*val == '\0')
				syserr("mailer %s: null charset", m->name);
			else
				m->defcharset = xstrdup(val);
			break;
		case 'Q':
			if (*val == '\0')
				syserr("mailer %s: null queue", m->name);
			else if (!queue_known(val))
				syserr("mailer %s: unknown queue %s", m->name, val);
			else
				m->qgrp = xstrdup(val);
			break;
		case 'T': {
			char *t = xstrdup(val), *a, *d;
			free(m->tbuf);
			m->tbuf = t;
			a = strchr(t, '/');
			if (a != NULL) {
				*a++ = '\0';
				if (*a == '\0')
					a = NULL;
			}
			m->mtatype = *t ? t : "dns";
			d = a != NULL ? strchr(a, '/') : NULL;
			if (d != NULL) {
				*d++ = '\0';
				if (*d == '\0')
					d = NULL;
			}
			m->addrtype = (a == NULL || *a == '\0') ? "rfc822" : a;
			m->diagtype = (d == NULL || *d == '\0') ? "smtp" : d;
			break;
		}
		case 'U':
			set_uid(m, val);
			break;
		case 'W':
			m->wait = convtime(val, 's');
			break;
		case '/':
			if (*val == '\0')
				syserr("mailer %s: null root directory", m->name);
			else
				m->rootdir = xstrdup(val);
			break;
		default:
			syserr("M%s: unknown mailer equate %c=", m->name, fcode);
			break;
		}
		free(val);
		p = (char *)delim;
	}

	if (m->argv == NULL) {
		syserr("M%s: A= argument required", m->name);
		free_mailer(m);
		return;
	}
	if (m->path == NULL) {
		syserr("M%s: P= argument required", m->name);
		free_mailer(m);
		return;
	}
	s = stab(m->name, ST_MAILER, ST_FIND);
	if (s == NULL && nextmailer >= MAXMAILERS) {
		syserr("too many mailers defined (%d max)", MAXMAILERS);
		free_mailer(m);
		return;
	}
	if (m->maxrcpt <= 0)
		m->maxrcpt = DEFAULT_MAX_RCPT;
	/* programs and files take one recipient per delivery */
	if (strcmp(m->name, "prog") == 0 || strcmp(m->name, "*file*") == 0)
		clrbitn('m', m->flags);
	if (bitnset('L', m->flags)) {
		if (m->linelimit == 0)
			m->linelimit = SMTPLINELIM;
		if (ConfigLevel < 2)
			setbitn('7', m->flags);
	}
	if (strcmp(m->path, "[TCP]") == 0) {
		syserr("M%s: P=[TCP] must be replaced by P=[IPC]", m->name);
		free_mailer(m);
		return;
	}
	if (strcmp(m->path, "[IPC]") == 0) {
		if (m->argv[0] == NULL || m->argv[1] == NULL || m->argv[1][0] == '\0') {
			syserr("M%s: too few parameters for %s mailer", m->name, m->path);
			free_mailer(m);
			return;
		}
		if (strcmp(m->argv[0], "TCP") != 0 && strcmp(m->argv[0], "FILE") != 0) {
			syserr("M%s: faulty first argument for %s mailer", m->name, m->path);
			free_mailer(m);
			return;
		}
		if (m->mtatype == NULL)
			m->mtatype = "dns";
		if (m->addrtype == NULL)
			m->addrtype = "rfc822";
		if (m->diagtype == NULL)
			m->diagtype = strcmp(m->argv[0], "FILE") == 0 ? "x-unix" : "smtp";
	} else if (strcmp(m->path, "[FILE]") == 0) {
		if (m->argv[0] == NULL || m->argv[1] == NULL || m->argv[2] != NULL) {
			syserr("M%s: too %s parameters for [FILE] mailer", m->name,
			       (m->argv[0] == NULL || m->argv[1] == NULL) ? "few" : "many");
			free_mailer(m);
			return;
		}
		if (strcmp(m->argv[0], "FILE") != 0) {
			syserr("M%s: first argument in [FILE] mailer must be FILE", m->name);
			free_mailer(m);
			return;
		}
	}
	if (m->eol == NULL) {
		char **pp;
		bool has_u = false;
		for (pp = m->argv; *pp != NULL && !has_u; pp++) {
			const unsigned char *q;
			for (q = (const unsigned char *)*pp; *q != '\0'; q++)
				if (*q == MACROEXPAND && q[1] == 'u') {
					has_u = true;
					break;
				}
		}
		m->eol = has_u ? "\n" : "\r\n";
	}
	s = stab(m->name, ST_MAILER, ST_ENTER);
	if (s->v.mailer != NULL) {
		i = s->v.mailer->mno;
		free_mailer(s->v.mailer);
	} else
		i = nextmailer++;
	Mailer[i] = s->v.mailer = m;
	m->mno = i;
}

void setupmailers(void)
{
	char buf[128];

	snprintf(buf, sizeof buf, "prog, P=/bin/sh, F=lsouDq9, T=X-Unix/X-Unix/X-Unix, A=sh -c %cu",
		 MACROEXPAND);
	makemailer(buf);
	snprintf(buf, sizeof buf,
		 "*file*, P=[FILE], F=lsDFMPEouq9, T=X-Unix/X-Unix/X-Unix, A=FILE %cu", MACROEXPAND);
	makemailer(buf);
	snprintf(buf, sizeof buf, "*include*, P=/dev/null, F=su, A=INCLUDE %cu", MACROEXPAND);
	makemailer(buf);
}

MAILER *mailer_find(const char *name)
{
	STAB *s = stab(name, ST_MAILER, ST_FIND);
	return s != NULL ? s->v.mailer : NULL;
}

void mailers_after_cf(void)
{
	LocalMailer = mailer_find("local");
	ProgMailer = mailer_find("prog");
	FileMailer = mailer_find("*file*");
	InclMailer = mailer_find("*include*");
	if (LocalMailer == NULL)
		message("No local mailer defined");
}

static void print_rwset(sbuf *b, int n, char sep)
{
	if (n >= 0 && n < MAXRWSETS && RuleSetNames[n] != NULL)
		sb_printf(b, "%s%c", RuleSetNames[n], sep);
	else
		sb_printf(b, "%d%c", n, sep);
}

void printmailer(FILE *fp, const MAILER *m)
{
	sbuf b = SBUF_INIT;
	int j;
	char **a;

	sb_init(&b);
	sb_printf(&b, "mailer %d (%s): P=%s S=", m->mno, m->name, m->path);
	print_rwset(&b, m->se_rwset, '/');
	print_rwset(&b, m->sh_rwset, ' ');
	sb_puts(&b, "R=");
	print_rwset(&b, m->re_rwset, '/');
	print_rwset(&b, m->rh_rwset, ' ');
	sb_printf(&b, "M=%ld U=%d:%d F=", m->maxsize, (int)m->uid, (int)m->gid);
	for (j = 0; j <= 0177; j++)
		if (bitnset(j, m->flags))
			sb_putc(&b, j);
	sb_printf(&b, " L=%d E=", m->linelimit);
	xputs_sb(&b, m->eol);
	if (m->defcharset != NULL)
		sb_printf(&b, " C=%s", m->defcharset);
	sb_printf(&b, " T=%s/%s/%s", m->mtatype ? m->mtatype : "<undefined>",
		  m->addrtype ? m->addrtype : "<undefined>",
		  m->diagtype ? m->diagtype : "<undefined>");
	sb_printf(&b, " r=%d", m->maxrcpt);
	if (m->argv != NULL) {
		sb_puts(&b, " A=");
		for (a = m->argv; *a != NULL; a++) {
			if (a != m->argv)
				sb_putc(&b, ' ');
			xputs_sb(&b, *a);
		}
	}
	sb_putc(&b, '\n');
	fwrite(b.s, 1, b.len, fp);
	sb_free(&b);
}
