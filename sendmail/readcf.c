/* readcf.c -- reading sendmail.cf.
 *
 * One logical line at a time (continuation lines, starting with white space, are joined
 * with their newline kept); the first character says what the line declares.  Rule text,
 * class words, map declarations and ruleset names are macro-expanded as they are read; D
 * values are stored unexpanded.  Errors name the file and line, and reading goes on, as in
 * 8.17: one bad line does not hide the errors after it. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "conf.h"
#include "diag.h"
#include "macro.h"
#include "mailer.h"
#include "map.h"
#include "stab.h"
#include "token.h"
#include "xalloc.h"
#include "lineread.h"
#include "spawn.h"

struct rewrite *RewriteRules[MAXRWSETS];
const char *RuleSetNames[MAXRWSETS];
struct priority Priorities[MAXPRIORITIES];
int NumPriorities;
struct hdrdef *HeaderDefs;
char **UserEnviron;
static size_t nuserenv;
char **QueueNames;
static size_t nqueues;

static int nextruleset = MAXRWSETS;

const char *rulesetname(int n, char buf[16])
{
	if (n >= 0 && n < MAXRWSETS && RuleSetNames[n] != NULL)
		return RuleSetNames[n];
	snprintf(buf, 16, "%d", n);
	return buf;
}

unsigned RulesetNamesGen;

/* strtorwset(name, NULL, false), remembered: the rules' $> calls and the policy checks look
 * the same few names up for every address and command.  An answer holds while no ruleset
 * name can have been entered since (RulesetNamesGen); a name not found is looked up again
 * (an invalid one is reported each time). */
#define RWSET_MEMO 64
static struct {
	char *name;
	int rs;
	unsigned gen;
} RwsetMemo[RWSET_MEMO];

int rwset_find(const char *name)
{
	unsigned h = 5381;
	const unsigned char *p;
	int rs;

	for (p = (const unsigned char *)name; *p != '\0'; p++)
		h = h * 33 + *p;
	h %= RWSET_MEMO;
	if (RwsetMemo[h].name != NULL && RwsetMemo[h].gen == RulesetNamesGen &&
	    strcmp(RwsetMemo[h].name, name) == 0)
		return RwsetMemo[h].rs;
	rs = strtorwset(name, NULL, false);
	if (rs >= 0) {
		free(RwsetMemo[h].name);
		RwsetMemo[h].name = xstrdup(name);
		RwsetMemo[h].rs = rs;
		RwsetMemo[h].gen = RulesetNamesGen;
	}
	return rs;
}

int strtorwset(const char *p, const char **endp, bool enter)
{
	int ruleset;

	if (enter)
		RulesetNamesGen++;

	while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
		p++;
	if (!isascii((unsigned char)*p)) {
		syserr("invalid ruleset name: \"%.20s\"", p);
		return -1;
	}
	if (isdigit((unsigned char)*p)) {
		char *e;
		long v = strtol(p, &e, 10);
		if (endp != NULL)
			*endp = e;
		if (v >= MAXRWSETS / 2 || v < 0) {
			syserr("bad ruleset %ld (%d max)", v, MAXRWSETS / 2);
			return -1;
		}
		return (int)v;
	} else {
		const char *q = p;
		char *name;
		STAB *s;
		int delim;

		while (*p != '\0' && isascii((unsigned char)*p) &&
		       (isalnum((unsigned char)*p) || *p == '_'))
			p++;
		if (q == p || !(isascii((unsigned char)*q) && isalpha((unsigned char)*q))) {
			syserr("invalid ruleset name: \"%.20s\"", q);
			return -1;
		}
		name = xstrndup(q, (size_t)(p - q));
		while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
			p++;
		delim = (unsigned char)*p;
		s = stab(name, ST_RULESET, enter ? ST_ENTER : ST_FIND);
		if (s == NULL) {
			free(name);
			return -1;
		}
		ruleset = -1;
		if (enter && delim == '=') {
			char *e;
			p++;
			while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
				p++;
			if (!isdigit((unsigned char)*p)) {
				syserr("bad ruleset definition \"%s\" (number required after `=')", q);
			} else {
				long v = strtol(p, &e, 10);
				if (endp != NULL)
					*endp = e;
				if (v >= MAXRWSETS / 2 || v < 0)
					syserr("bad ruleset number %ld in \"%s\" (%d max)", v, q,
					       MAXRWSETS / 2);
				else
					ruleset = (int)v;
			}
		} else {
			if (endp != NULL)
				*endp = p;
			if (s->v.ruleset >= 0)
				ruleset = s->v.ruleset;
			else if ((ruleset = --nextruleset) < MAXRWSETS / 2) {
				syserr("%s: too many named rulesets (%d max)", name, MAXRWSETS / 2);
				ruleset = -1;
			}
		}
		if (s->v.ruleset >= 0 && ruleset >= 0 && ruleset != s->v.ruleset) {
			syserr("%s: ruleset changed value (old %d, new %d)", name, s->v.ruleset,
			       ruleset);
			ruleset = s->v.ruleset;
		} else if (ruleset >= 0)
			s->v.ruleset = ruleset;
		if (enter && ruleset >= 0) {
			free((char *)RuleSetNames[ruleset]);
			RuleSetNames[ruleset] = xstrdup(name);
		}
		free(name);
		return ruleset;
	}
}

/* Read one logical line: continuation lines (starting with SP or TAB) are appended with
 * their newline.  CR LF counts as a newline.  Returns false at end of file. */
static bool fgetfolded(FILE *fp, sbuf *b, long *lineno)
{
	int c;

	sb_reset(b);
	c = getc(fp);
	if (c == EOF)
		return false;
	for (;;) {
		if (c == '\r') {
			int d = getc(fp);
			if (d == '\n')
				c = '\n';
			else if (d != EOF)
				ungetc(d, fp);
		}
		if (c == EOF) {
			(*lineno)++;
			return true;
		}
		if (c == '\n') {
			int d;
			(*lineno)++;
			d = getc(fp);
			if (d == EOF)
				return true;
			ungetc(d, fp);
			if (d != ' ' && d != '\t')
				return true;
		}
		sb_putc(b, c);
		c = getc(fp);
	}
}

/* D values and mailer fields: quotes group (and are removed), backslash escapes \n \r
 * \f \b; an unquoted `delim` (if not NUL) ends the value and *endp is set to it */
char *munchstring(const char *p, int delim, const char **endp)
{
	sbuf b = SBUF_INIT;
	bool backslash = false, quoted = false;

	sb_init(&b);
	for (; *p != '\0'; p++) {
		if (backslash) {
			backslash = false;
			switch (*p) {
			case 'r': sb_putc(&b, '\r'); continue;
			case 'n': sb_putc(&b, '\n'); continue;
			case 'f': sb_putc(&b, '\f'); continue;
			case 'b': sb_putc(&b, '\b'); continue;
			}
			sb_putc(&b, *p);
		} else if (*p == '\\')
			backslash = true;
		else if (*p == '"')
			quoted = !quoted;
		else if (quoted || delim == '\0' || *p != delim)
			sb_putc(&b, *p);
		else
			break;
	}
	if (endp != NULL)
		*endp = p;
	return sb_steal(&b);
}

extern bool dontblame(const char *word);

/* 8.17 refuses class files below a directory others can write to (unless
 * DontBlameSendmail says otherwise): a message naming why, or NULL when safe. */
static const char *unsafe_path(const char *file)
{
	char *copy = xstrdup(file), *slash;
	struct stat st;
	const char *why = NULL;

	if (dontblame("classfileinunsafedirpath")) {
		free(copy);
		return NULL;
	}
	slash = copy;
	while ((slash = strchr(slash + 1, '/')) != NULL) {
		*slash = '\0';
		if (stat(copy[0] ? copy : "/", &st) == 0 && S_ISDIR(st.st_mode)) {
			if ((st.st_mode & S_IWOTH) &&
			    !((st.st_mode & S_ISVTX) && dontblame("truststickybit")))
				why = "World writable directory";
			else if ((st.st_mode & S_IWGRP) && !dontblame("groupwritabledirpathsafe"))
				why = "Group writable directory";
		}
		*slash = '/';
		if (why != NULL)
			break;
	}
	free(copy);
	return why;
}

/* a scanf format with one conversion that stores into a string */
static bool sane_format(const char *fmt)
{
	int conversions = 0;
	const char *p;

	for (p = fmt; *p != '\0'; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		if (*p == '*')
			continue;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == 's' || *p == '[')
			conversions++;
		else
			return false;
		if (*p == '[') {
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p != '\0' && *p != ']')
				p++;
			if (*p == '\0')
				return false;
		}
	}
	return conversions == 1;
}

static FILE *open_program(char *cmd, pid_t *pidp)
{
	char *argv[64];
	int n = 0, fd;
	char *p;
	struct spawn_opts so = { NULL, (long)DefUid, (long)DefGid, 0 };

	for (p = strtok(cmd, " \t"); p != NULL && n < 63; p = strtok(NULL, " \t"))
		argv[n++] = p;
	argv[n] = NULL;
	if (n == 0)
		return NULL;
	*pidp = spawn_reader(argv, NULL, &so, &fd);
	if (*pidp < 0)
		return NULL;
	return fdopen(fd, "r");
}

/* F lines of the form "key@class:spec": the words of one map lookup */
static void mapclass_words(int cl, char *spec, bool optional)
{
	char *at = strchr(spec, '@'), *classname, *args;
	const MAPCLASS *mc;
	MAP map;
	const char *r;
	int status = EX_OK;
	char *copy;

	*at = '\0';
	classname = at + 1;
	args = strchr(classname, ':');
	if (args == NULL) {
		syserr("fileclass: missing map class name for map %s", macname(cl));
		return;
	}
	*args++ = '\0';
	mc = mapclass_find(classname);
	if (mc == NULL) {
		syserr("fileclass: F{%s}: class %s not available", macname(cl), classname);
		return;
	}
	memset(&map, 0, sizeof map);
	map.class = mc;
	map.mname = xstrdup(macname(cl));
	map.mflags |= MF_FILECLASS;
	if (!(mc->parse ? mc->parse : map_parseargs)(&map, args))
		goto out;
	map.mflags |= MF_VALID;
	if (mc->open != NULL && !mc->open(&map, 0)) {
		if (!optional && !(map.mflags & MF_OPTIONAL))
			syserr("fileclass: F{%s}: map open failed", macname(cl));
		goto out;
	}
	map.mflags |= MF_OPEN;
	r = mc->lookup(&map, spec, NULL, &status);
	if (status != EX_OK && status != EX_NOTFOUND) {
		if (!optional)
			syserr("fileclass: F{%s}: map fetch failed", macname(cl));
	} else if (r != NULL) {
		copy = xstrdup(r);
		setclass_words(cl, copy);
		free(copy);
	}
	if (mc->close != NULL)
		mc->close(&map);
out:
	free(map.mname);
}

/* a file name that may be quoted to hold spaces; *rest is set past it */
static char *quoted_word(char *p, char **rest)
{
	char *out = p, *start = p;
	bool quoted = false;

	for (; *p != '\0'; p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && isspace((unsigned char)*p))
			break;
		*out++ = *p;
	}
	*rest = p;
	if (*p != '\0')
		p++;
	*out = '\0';
	*rest = p;
	return start;
}

static void fileclass(int cl, char *file, const char *fmt, bool optional)
{
	FILE *fp = NULL;
	pid_t pid = -1;
	sbuf line = SBUF_INIT;
	char *word;

	if (file == NULL || *file == '\0') {
		syserr("fileclass: missing file name");
		return;
	}
	if (file[0] == '|') {
		fp = open_program(file + 1, &pid);
	} else {
		const char *why = unsafe_path(file);
		struct stat st;
		if (why != NULL) {
			if (!optional)
				syserr("fileclass: cannot open '%s': %s", file, why);
			return;
		}
		fp = fopen(file, "r");
		if (fp != NULL && (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode))) {
			fclose(fp);
			fp = NULL;
			errno = EINVAL;
		}
	}
	if (fp == NULL) {
		if (!optional)
			syserr("fileclass: cannot open '%s': %s", file, strerror(errno));
		return;
	}
	if (!sane_format(fmt)) {
		syserr("fileclass: %s: bad scanf format \"%s\"", file, fmt);
		fclose(fp);
		return;
	}
	sb_init(&line);
	while (lr_getline(fp, &line, 0) > 0) {
		if (line.s[0] == '#')
			continue;
		word = xcalloc(1, line.len + 1);
		if (sscanf(line.s, fmt, word) == 1)
			setclass_words(cl, word);
		free(word);
	}
	sb_free(&line);
	fclose(fp);
	if (pid > 0) {
		int status;
		waitpid(pid, &status, 0);
	}
}

static void parse_rule(char *bp, int ruleset, struct rewrite **lastp, long lineno)
{
	sbuf ex = SBUF_INIT;
	char *p, *q;
	char *av[MAXATOM + 1];
	char **vec;
	struct rewrite *rw;
	int nfuzzy = 0;
	size_t i;
	static char *null_list[1];
	arena *a = Scratch;

	if (ruleset < 0) {
		syserr("missing valid ruleset for \"%s\"", bp);
		return;
	}
	for (p = bp + 1; *p != '\0' && *p != '\t'; p++)
		;
	if (*p == '\0') {
		syserr("invalid rewrite line \"%s\" (tab expected)", bp);
		return;
	}
	rw = xcalloc(1, sizeof *rw);
	rw->line = (int)lineno;
	if (*lastp == NULL)
		RewriteRules[ruleset] = rw;
	else
		(*lastp)->next = rw;
	*lastp = rw;

	sb_init(&ex);
	*p = '\0';
	expand(bp + 1, &ex);
	vec = prescan(ex.s, '\t', av, a, NULL, ConfigLevel >= 9 ? TT_NOCOMMENT : TT_INTERNAL, true);
	if (vec != NULL) {
		size_t n = vec_len(vec);
		rw->lhs = xcalloc(n + 1, sizeof(char *));
		for (i = 0; i < n; i++) {
			const char *botch = NULL;
			rw->lhs[i] = xstrdup(vec[i]);
			switch ((unsigned char)vec[i][0]) {
			case MATCHZANY: case MATCHANY: case MATCHONE: case MATCHCLASS:
			case MATCHNCLASS:
				nfuzzy++;
				break;
			case MATCHREPL: botch = "$1-$9"; break;
			case CANONUSER: botch = "$:"; break;
			case CALLSUBR: botch = "$>"; break;
			case CONDIF: botch = "$?"; break;
			case CONDFI: botch = "$."; break;
			case HOSTBEGIN: botch = "$["; break;
			case HOSTEND: botch = "$]"; break;
			case LOOKUPBEGIN: botch = "$("; break;
			case LOOKUPEND: botch = "$)"; break;
			}
			if (botch != NULL)
				syserr("Inappropriate use of %s on LHS", botch);
		}
	} else
		rw->lhs = null_list;
	if (nfuzzy > MAXMATCH) {
		syserr("R line: too many wildcards");
		rw->lhs = null_list;
	}

	while (*++p == '\t')
		;
	q = p;
	while (*p != '\0' && *p != '\t')
		p++;
	*p = '\0';
	expand(q, &ex);
	vec = prescan(ex.s, '\t', av, a, NULL, ConfigLevel >= 9 ? TT_NOCOMMENT : TT_INTERNAL, true);
	if (vec != NULL) {
		size_t n = vec_len(vec);
		bool inmap = false;
		int args = 0, endtoken = 0;

		rw->rhs = xcalloc(n + 1, sizeof(char *));
		for (i = 0; i < n; i++) {
			const char *botch = NULL;
			int c = (unsigned char)vec[i][0];
			rw->rhs[i] = xstrdup(vec[i]);
			switch (c) {
			case MATCHREPL:
				if (vec[i][1] <= '0' || vec[i][1] > '0' + nfuzzy)
					syserr("replacement $%c out of bounds", vec[i][1]);
				break;
			case MATCHZANY: botch = "$*"; break;
			case MATCHANY: botch = "$+"; break;
			case MATCHONE: botch = "$-"; break;
			case MATCHCLASS: botch = "$="; break;
			case MATCHNCLASS: botch = "$~"; break;
			case CANONHOST:
				if (inmap && ++args >= MAX_MAP_ARGS)
					syserr("too many arguments for map lookup");
				break;
			case HOSTBEGIN:
			case LOOKUPBEGIN:
				endtoken = (c == HOSTBEGIN) ? HOSTEND : LOOKUPEND;
				if (inmap)
					syserr("cannot nest map lookups");
				inmap = true;
				args = 0;
				break;
			case HOSTEND:
			case LOOKUPEND:
				if (c != endtoken)
					break;
				inmap = false;
				endtoken = 0;
				break;
			}
			if (botch != NULL)
				syserr("Inappropriate use of %s on RHS", botch);
		}
		if (inmap)
			syserr("missing map closing token");
	} else {
		syserr("R line: null RHS");
		rw->rhs = null_list;
	}
	sb_free(&ex);
	arena_reset(a);
}

static void define_header(char *line)
{
	struct hdrdef *h = xcalloc(1, sizeof *h), **pp;
	char *p = line, *colon;

	if (*p == '?') {
		p++;
		if ((unsigned char)*p == MACROEXPAND) {
			/* ?${macro}? */
			h->macro = (unsigned char)p[1];
			p += 2;
		} else {
			for (; *p != '\0' && *p != '?'; p++)
				setbitn((unsigned char)*p, h->flags);
		}
		if (*p != '?') {
			syserr("header syntax error, line \"%s\"", line);
			free(h);
			return;
		}
		p++;
	}
	colon = strchr(p, ':');
	if (colon == NULL) {
		syserr("header syntax error, line \"%s\"", line);
		free(h);
		return;
	}
	h->name = xstrndup(p, (size_t)(colon - p));
	while (*h->name && isspace((unsigned char)h->name[strlen(h->name) - 1]))
		h->name[strlen(h->name) - 1] = '\0';
	p = colon + 1;
	while (isspace((unsigned char)*p))
		p++;
	if ((unsigned char)*p == MACROEXPAND && p[1] == '>') {
		h->ruleset = xstrdup(p + 2);
	}
	h->value = xstrdup(p);
	for (pp = &HeaderDefs; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = h;
}

static void define_queue(const char *line)
{
	const char *p = line;
	size_t n = 0;
	while (p[n] != '\0' && p[n] != ',' && !isspace((unsigned char)p[n]))
		n++;
	if (n == 0) {
		syserr("readcf: null queue name");
		return;
	}
	QueueNames = xreallocarray(QueueNames, nqueues + 2, sizeof(char *));
	QueueNames[nqueues++] = xstrndup(p, n);
	QueueNames[nqueues] = NULL;
}

bool queue_known(const char *name)
{
	size_t i;
	if (strcmp(name, "mqueue") == 0)
		return true;
	for (i = 0; i < nqueues; i++)
		if (strcmp(QueueNames[i], name) == 0)
			return true;
	return false;
}

static void setuserenv(const char *line)
{
	const char *eq = strchr(line, '=');
	char *entry;

	if (eq == NULL) {
		const char *v = getenv(line);
		if (v == NULL)
			return;
		entry = xmalloc(strlen(line) + strlen(v) + 2);
		sprintf(entry, "%s=%s", line, v);
	} else
		entry = xstrdup(line);
	UserEnviron = xreallocarray(UserEnviron, nuserenv + 2, sizeof(char *));
	UserEnviron[nuserenv++] = entry;
	UserEnviron[nuserenv] = NULL;
}

bool readcf(const char *cfname, bool safe)
{
	FILE *fp;
	sbuf raw = SBUF_INIT, bp = SBUF_INIT, ex = SBUF_INIT;
	long lineno = 0;
	int ruleset = -1;
	struct rewrite *last = NULL;

	fp = fopen(cfname, "r");
	if (fp == NULL) {
		int e = errno;
		diag_file = cfname;
		diag_line = 0;
		syserr("cannot open: %s", strerror(e));
		diag_file = NULL;
		return false;
	}
	sb_init(&raw);
	sb_init(&bp);
	sb_init(&ex);
	diag_file = cfname;
	while (fgetfolded(fp, &raw, &lineno)) {
		char *line, *p;
		const char *ep;
		int mid;

		diag_line = lineno;
		errno = 0;
		if (raw.len > 0 && raw.s[0] == '#')
			continue;
		translate_dollars(raw.s, &bp);
		line = bp.s;
		switch (line[0]) {
		case '\0':
		case '#':
			break;
		case 'R':
			parse_rule(line, ruleset, &last, lineno);
			break;
		case 'S':
			expand(line + 1, &ex);
			ruleset = strtorwset(ex.s, NULL, true);
			last = NULL;
			if (ruleset < 0)
				break;
			if (RewriteRules[ruleset] != NULL) {
				if (OpMode == MD_TEST || OpMode == MD_CHECKCONFIG)
					printf("WARNING: Ruleset %s has multiple definitions\n", line + 1);
				for (last = RewriteRules[ruleset]; last->next != NULL; last = last->next)
					;
			}
			break;
		case 'D':
			mid = macid_parse(line + 1, &ep);
			if (mid == 0)
				break;
			p = munchstring(ep, '\0', NULL);
			macdefine(mid, p);
			free(p);
			break;
		case 'H':
			define_header(line + 1);
			break;
		case 'C':
		case 'T':
			if (line[0] == 'C') {
				mid = macid_parse(line + 1, &ep);
				if (mid == 0)
					break;
				expand(ep, &ex);
			} else {
				mid = 't';
				sb_reset(&ex);
				sb_puts(&ex, line + 1);
			}
			setclass_words(mid, ex.s);
			break;
		case 'F': {
			bool optional = false;
			char *file, *fmt;

			mid = macid_parse(line + 1, &ep);
			if (mid == 0)
				break;
			p = (char *)ep;
			while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
				p++;
			if (p[0] == '-' && p[1] == 'o') {
				optional = true;
				while (*p != '\0' && !isspace((unsigned char)*p))
					p++;
				while (isspace((unsigned char)*p))
					p++;
			}
			if (*p != '/' && *p != '|' && strchr(p, '@') != NULL) {
				char *q = strchr(p, '@') + 1;
				if (strcmp(q, "LDAP") == 0 || (*q != ':' && strchr(q, ':') != NULL)) {
					mapclass_words(mid, p, optional);
					break;
				}
			}
			if (*p == '|') {
				file = p;
				fmt = "%s";
			} else {
				char *rest;
				file = quoted_word(p, &rest);
				while (isspace((unsigned char)*rest))
					rest++;
				fmt = *rest ? rest : "%s";
			}
			fileclass(mid, file, fmt, optional);
			break;
		}
		case 'K':
			expand(line + 1, &ex);
			makemapentry(ex.s);
			break;
		case 'M':
			makemailer(line + 1);
			break;
		case 'O':
			if (line[1] == '\0') {
				syserr("readcf: unknown option name 0x0");
				break;
			}
			setoption((unsigned char)line[1], line + 2, safe, false);
			break;
		case 'P': {
			char *eq = strchr(line + 1, '=');
			if (NumPriorities >= MAXPRIORITIES) {
				syserr("too many P lines, %d max", MAXPRIORITIES);
				break;
			}
			if (eq == NULL) {
				syserr("unknown configuration line \"%s\"", line);
				break;
			}
			Priorities[NumPriorities].name = xstrndup(line + 1, (size_t)(eq - line - 1));
			Priorities[NumPriorities].value = atoi(eq + 1);
			NumPriorities++;
			break;
		}
		case 'Q':
			define_queue(line + 1);
			break;
		case 'V': {
			char *e;
			p = line + 1;
			while (isspace((unsigned char)*p))
				p++;
			if (!isdigit((unsigned char)*p)) {
				syserr("invalid argument to V line: \"%.20s\"", line + 1);
				break;
			}
			ConfigLevel = (int)strtol(p, &e, 10);
			if (ConfigLevel >= 5) {
				const char *w = macvalue('w');
				const char *dot = w ? strchr(w, '.') : NULL;
				if (dot != NULL) {
					char *s = xstrndup(w, (size_t)(dot - w));
					macdefine('w', s);
					free(s);
				}
			}
			if (ConfigLevel >= 6)
				ColonOkInAddr = false;
			if (*e == '/') {
				char *v = ++e;
				while (isalpha((unsigned char)*e))
					e++;
				*e = '\0';
				if (strcasecmp(v, "Berkeley") != 0)
					syserr("invalid V line vendor code: \"%s\"", v);
			}
			break;
		}
		case 'E':
			setuserenv(line + 1);
			break;
		case 'X':
			/* milter definitions: kept for the milter issue */
			break;
		default:
			syserr("unknown configuration line \"%s\"", line);
			break;
		}
	}
	if (ferror(fp))
		syserr("I/O read error");
	fclose(fp);
	diag_file = NULL;
	sb_free(&raw);
	sb_free(&bp);
	sb_free(&ex);
	return true;
}
