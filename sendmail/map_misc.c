/* map_misc.c -- the small map classes, and the service switch file reader.
 *
 *   null      always "not found"
 *   stab      the symbol table the alias file is read into (see stab_open)
 *   dequote   remove quotes from the key, checking that the result is still one word
 *   macro     set ($@ value) or clear (no value) the macro named by the key; returns ""
 *   arith     key is an operator (+ - * / % | & l = r), the two $@ arguments its operands
 *   syslog    log the key; returns ""
 *   program   run a program with the key as its last argument; its first output line
 *   user      a field of the password entry of the key
 *   arpa      an IPv4 or "IPv6:" address as the reversed labels of its PTR name
 *   sequence  the first member map that finds the key
 *   switch    a sequence of the maps NAME.METHOD for the methods of a service
 *
 * The behaviour details (statuses, which flags are accepted) follow what 8.17 shows in
 * address test mode; see the comments at each class. */
#include <arpa/inet.h>
#include "alias.h"
#include "spawn.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "conf.h"
#include "diag.h"
#include "macro.h"
#include "map.h"
#include "stab.h"
#include "switch.h"
#include "token.h"
#include "xalloc.h"

static bool is_space(int c)
{
	return isascii(c) && isspace(c);
}

/* ------------------------------------------------------------------------------------
 * The service switch file: lines "service method method ...", '#' starts a comment.  A
 * line whose first character is white space, or that names no method, is ignored; service
 * names are compared without case.  When the file cannot be read, or does not name the
 * service, "hosts" is looked up by "dns" then "files", "aliases" by "files" (these two
 * names in lower case only), and anything else has no methods (NULL).
 * The file is read again when it changes. */

struct service {
	char *name;
	char **methods;
};

static struct {
	char *path;
	bool exists;
	struct stat st;
	struct service *svc;
	size_t nsvc;
} Switch;

static void switch_forget(void)
{
	size_t i;
	char **m;

	for (i = 0; i < Switch.nsvc; i++) {
		free(Switch.svc[i].name);
		for (m = Switch.svc[i].methods; *m != NULL; m++)
			free(*m);
		free(Switch.svc[i].methods);
	}
	free(Switch.svc);
	free(Switch.path);
	memset(&Switch, 0, sizeof Switch);
}

static void switch_read(const char *path, const struct stat *st)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;

	switch_forget();
	Switch.path = xstrdup(path);
	if (st == NULL || (fp = fopen(path, "r")) == NULL)
		return;
	Switch.exists = true;
	Switch.st = *st;
	while (getline(&line, &cap, fp) != -1) {
		char *p = strpbrk(line, "#\n"), *name;
		char **methods = NULL;
		size_t n = 0, i;

		if (p != NULL)
			*p = '\0';
		name = line;
		p = strpbrk(line, " \t");
		if (p == NULL || p == line)
			continue;
		*p++ = '\0';
		for (;;) {
			char *w;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '\0')
				break;
			w = p;
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
			if (*p != '\0')
				*p++ = '\0';
			methods = xreallocarray(methods, n + 2, sizeof(char *));
			methods[n++] = xstrdup(w);
			methods[n] = NULL;
		}
		if (n == 0)
			continue;
		/* a later line for the same service replaces an earlier one */
		for (i = 0; i < Switch.nsvc; i++)
			if (strcasecmp(Switch.svc[i].name, name) == 0)
				break;
		if (i < Switch.nsvc) {
			char **m;
			for (m = Switch.svc[i].methods; *m != NULL; m++)
				free(*m);
			free(Switch.svc[i].methods);
		} else {
			Switch.svc = xreallocarray(Switch.svc, Switch.nsvc + 1, sizeof *Switch.svc);
			Switch.svc[i].name = xstrdup(name);
			Switch.nsvc++;
		}
		Switch.svc[i].methods = methods;
	}
	free(line);
	fclose(fp);
}

char **switch_services(const char *service)
{
	static char *hosts_default[] = { "dns", "files", NULL };
	static char *aliases_default[] = { "files", NULL };
	const char *path = ServiceSwitchFile != NULL ? ServiceSwitchFile : "/etc/mail/service.switch";
	struct stat st;
	bool exists = stat(path, &st) == 0;
	size_t i;

	if (Switch.path == NULL || strcmp(Switch.path, path) != 0 || exists != Switch.exists ||
	    (exists && (st.st_mtime != Switch.st.st_mtime || st.st_size != Switch.st.st_size ||
			st.st_ino != Switch.st.st_ino || st.st_dev != Switch.st.st_dev)))
		switch_read(path, exists ? &st : NULL);
	for (i = 0; i < Switch.nsvc; i++)
		if (strcasecmp(Switch.svc[i].name, service) == 0)
			return Switch.svc[i].methods;
	if (strcmp(service, "hosts") == 0)
		return hosts_default;
	if (strcmp(service, "aliases") == 0)
		return aliases_default;
	return NULL;
}

/* ------------------------------------------------------------------------------------
 * The flag parser 8.17 uses for dequote, arpa, arith and macro: only the first word is
 * looked at ("-a<text>" appends, "-s<c>" or "-S<c>" substitutes spaces); everything else
 * is ignored.  These maps keep the quotes of their key. */
static bool dequote_parse(MAP *map, char *p)
{
	map->mflags |= MF_KEEPQUOTES | MF_TRY0NULL | MF_TRY1NULL;
	map->spacesub = '\0';
	while (is_space((unsigned char)*p))
		p++;
	if (*p == '-' && p[1] != '\0') {
		char *w = p + 2;
		switch (p[1]) {
		case 'a': {
			char *e = w;
			while (*e != '\0' && !is_space((unsigned char)*e))
				e++;
			map->app = xstrndup(w, (size_t)(e - w));
			break;
		}
		case 's':
		case 'S':
			map->spacesub = (unsigned char)*w;
			break;
		default:
			break;
		}
	}
	return true;
}

/* ------------------------------------------------------------------------------------
 * null: never finds anything. */
static const char *null_lookup(MAP *map, const char *key, char **av, int *stat)
{
	*stat = EX_NOTFOUND;
	return NULL;
}

/* ------------------------------------------------------------------------------------
 * stab: in 8.17 opening reads the file as an alias file into the symbol table, and
 * lookups search the aliases read.  The alias reader is not part of this module yet: the
 * file must be readable for the map to open, and lookups find nothing (status OK, as 8.17
 * reports for a name that is not an alias). */
static void stab_store(MAP *map, const char *lhs, const char *rhs)
{
	STAB *s = stab(lhs, ST_ALIAS, ST_ENTER);
	(void)map;
	free(s->v.alias);
	s->v.alias = xstrdup(rhs);
}

static bool stab_open(MAP *map, int mode)
{
	(void)mode;
	return alias_readtext(map, false, stab_store);
}

static const char *stab_lookup(MAP *map, const char *key, char **av, int *stat)
{
	STAB *s = stab(key, ST_ALIAS, ST_FIND);

	*stat = EX_OK;
	if (s == NULL || s->v.alias == NULL)
		return NULL;
	if (map->mflags & MF_MATCHONLY)
		return map_rewrite(map, key, strlen(key), NULL);
	return map_rewrite(map, s->v.alias, strlen(s->v.alias), av);
}

/* ------------------------------------------------------------------------------------
 * dequote: quotes are removed; a backslash and the character after it are kept as they
 * are.  Not found unless the key had a quote, or if the result would not be one word:
 * unbalanced quotes, parentheses or angle brackets, a trailing backslash, white space (a
 * space is replaced by the -s character when one was given). */
static const char *dequote_lookup(MAP *map, const char *key, char **av, int *stat)
{
	sbuf b = SBUF_INIT;
	bool quoted = false, seen = false, escaped = false, bad = false;
	int parens = 0, angles = 0;
	const char *p, *r = NULL;

	*stat = EX_OK;
	sb_init(&b);
	for (p = key; *p != '\0' && !bad; p++) {
		int c = (unsigned char)*p;
		if (escaped) {
			sb_putc(&b, c);
			escaped = false;
			continue;
		}
		switch (c) {
		case '\\':
			escaped = true;
			break;
		case '"':
			quoted = !quoted;
			seen = true;
			continue;
		case '(':
			parens++;
			break;
		case ')':
			if (--parens < 0)
				bad = true;
			break;
		case '<':
			angles++;
			break;
		case '>':
			if (--angles < 0)
				bad = true;
			break;
		case ' ':
			if (map->spacesub != '\0') {
				c = map->spacesub;
				break;
			}
			bad = true;
			break;
		default:
			if (is_space(c))
				bad = true;
			break;
		}
		sb_putc(&b, c);
	}
	if (!bad && seen && !quoted && !escaped && parens == 0 && angles == 0)
		r = map_rewrite(map, b.s, b.len, av);
	sb_free(&b);
	return r;
}

/* ------------------------------------------------------------------------------------
 * macro: $(name {Macro} $@ value $) sets the macro, without a value clears it. */
static const char *macro_lookup(MAP *map, const char *key, char **av, int *stat)
{
	int id;

	*stat = EX_OK;
	if (key == NULL || *key == '\0')
		return NULL;
	id = macid_parse(key, NULL);
	if (id == 0)
		return NULL;	/* macid_parse has reported it */
	if (av != NULL && av[0] != NULL && av[1] != NULL)
		macdefine(id, av[1]);
	else
		macdefine(id, NULL);
	return "";
}

/* ------------------------------------------------------------------------------------
 * arith: the operands are read as C integers (strtol base 0: "0x10", "010"); the result
 * is a decimal number, or TRUE/FALSE for l (less than) and = (equal); r is a random
 * number between the two operands.  Not found for an unknown operator, a missing operand,
 * division by zero or an empty range.  The result is not rewritten (-a is not applied). */
static const char *arith_lookup(MAP *map, const char *key, char **av, int *stat)
{
	static bool seeded;
	long a, b;
	unsigned long ua, ub, ur = 0;
	char buf[32];
	const char *r = NULL;

	*stat = EX_CONFIG;
	if (av == NULL || av[0] == NULL || av[1] == NULL || av[2] == NULL || key[0] == '\0')
		return NULL;
	a = strtol(av[1], NULL, 0);
	b = strtol(av[2], NULL, 0);
	ua = (unsigned long)a;
	ub = (unsigned long)b;
	switch (key[0]) {
	case '+': ur = ua + ub; break;
	case '-': ur = ua - ub; break;
	case '*': ur = ua * ub; break;
	case '/':
		if (b == 0)
			return NULL;
		ur = b == -1 ? 0 - ua : (unsigned long)(a / b);
		break;
	case '%':
		if (b == 0)
			return NULL;
		ur = b == -1 ? 0 : (unsigned long)(a % b);
		break;
	case '|': ur = ua | ub; break;
	case '&': ur = ua & ub; break;
	case 'l': r = a < b ? "TRUE" : "FALSE"; break;
	case '=': r = a == b ? "TRUE" : "FALSE"; break;
	case 'r': {
		unsigned long span;
		if (a > b)
			return NULL;
		if (!seeded) {
			srandom((unsigned)time(NULL) ^ (unsigned)getpid());
			seeded = true;
		}
		span = ub - ua;
		if (span == ~0UL)
			ur = ua + (((unsigned long)random() << 31) ^ (unsigned long)random());
		else
			ur = ua + (((unsigned long)random() << 31) ^ (unsigned long)random()) % (span + 1);
		break;
	}
	default:
		return NULL;
	}
	*stat = EX_OK;
	if (r != NULL)
		return r;
	snprintf(buf, sizeof buf, "%ld", (long)ur);
	return arena_strdup(Scratch, buf);
}

/* ------------------------------------------------------------------------------------
 * syslog: its own flags: -L<priority> (a syslog level name, with or without LOG_), -D,
 * -S<c>; -k, -v and -z are accepted and ignored; anything else is reported. */
static const struct {
	const char *name;
	int level;
} Levels[] = {
	{ "EMERG", LOG_EMERG }, { "ALERT", LOG_ALERT }, { "CRIT", LOG_CRIT },
	{ "ERR", LOG_ERR }, { "WARNING", LOG_WARNING }, { "NOTICE", LOG_NOTICE },
	{ "INFO", LOG_INFO }, { "DEBUG", LOG_DEBUG },
};

static bool syslog_parse(MAP *map, char *p)
{
	bool ok = true;

	map->loglevel = LOG_INFO;
	map->spacesub = SpaceSub;
	for (;;) {
		int c = map_next_flag(&p);

		if (c < 0)
			break;
		switch (c) {
		case 'D':
			map->mflags |= MF_DEFER;
			break;
		case 'S':
			map->spacesub = (unsigned char)*p;
			break;
		case 'L': {
			char *e, save;
			const char *name;
			size_t i;
			while (is_space((unsigned char)*p))
				p++;
			for (e = p; *e != '\0' && !is_space((unsigned char)*e); e++)
				;
			save = *e;
			*e = '\0';
			name = strncasecmp(p, "LOG_", 4) == 0 ? p + 4 : p;
			for (i = 0; i < sizeof Levels / sizeof Levels[0]; i++)
				if (strcasecmp(name, Levels[i].name) == 0)
					break;
			if (i < sizeof Levels / sizeof Levels[0])
				map->loglevel = Levels[i].level;
			else {
				syserr("syslog_map_parseargs: Unknown priority %s", name);
				ok = false;
			}
			*e = save;
			p = e;
			break;
		}
		case 'k':
		case 'v':
			while (is_space((unsigned char)*p))
				p++;
			break;
		case 'z':
			break;
		default:
			syserr("Illegal option %c map syslog", c);
			break;
		}
		while (*p != '\0' && !is_space((unsigned char)*p))
			p++;
	}
	return ok;
}

static const char *syslog_lookup(MAP *map, const char *key, char **av, int *stat)
{
	const char *qid = macvalue('i');

	*stat = EX_OK;
	syslog(LOG_MAIL | map->loglevel, "%s: %s", qid != NULL && *qid != '\0' ? qid : "NOQUEUE", key);
	return "";
}

/* ------------------------------------------------------------------------------------
 * program: Kname program /path/to/program [arg ...]
 * The program runs with its arguments and the key as the last one, no shell, as
 * DefaultUser when we are root (only its group: supplementary groups are dropped), in
 * /tmp, with the environment AGENT=sendmail plus the E lines, standard input closed,
 * standard error shared.  The first line of its output (up to
 * 2047 bytes, without the newline) is the value; no output at all is "not found"; an exit
 * status other than 0 is "not found" with that status. */
#define PROG_MAXLINE	2047

static bool program_parse(MAP *map, char *args)
{
	size_t n = 0;
	char *p;

	if (!map_parseargs(map, args))
		return false;
	map->args = xcalloc(1, sizeof(char *));
	for (p = map->rebuild; p != NULL && *p != '\0';) {
		char *w;
		while (is_space((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		w = p;
		while (*p != '\0' && !is_space((unsigned char)*p))
			p++;
		map->args = xreallocarray(map->args, n + 2, sizeof(char *));
		map->args[n++] = xstrndup(w, (size_t)(p - w));
		map->args[n] = NULL;
	}
	return true;
}

static const char *program_lookup(MAP *map, const char *key, char **av, int *stat)
{
	int pfd[2], status;
	pid_t pid;
	size_t nargs = 0, nenv = 0, i;
	char **argv, **envp;
	char buf[PROG_MAXLINE + 1];
	size_t len = 0;
	bool got = false, eof = false;
	const char *r = NULL;

	*stat = EX_OK;
	while (map->args != NULL && map->args[nargs] != NULL)
		nargs++;
	argv = xreallocarray(NULL, nargs + 3, sizeof(char *));
	argv[0] = map->file;
	for (i = 0; i < nargs; i++)
		argv[i + 1] = map->args[i];
	argv[nargs + 1] = (char *)key;
	argv[nargs + 2] = NULL;
	while (UserEnviron != NULL && UserEnviron[nenv] != NULL)
		nenv++;
	envp = xreallocarray(NULL, nenv + 2, sizeof(char *));
	envp[0] = "AGENT=sendmail";
	for (i = 0; i < nenv; i++)
		envp[i + 1] = UserEnviron[i];
	envp[nenv + 1] = NULL;

	{
		struct spawn_opts so = { "/tmp", (long)DefUid, (long)DefGid, 1 };
		pid = spawn_reader(argv, envp, &so, &pfd[0]);
	}
	if (pid < 0) {
		*stat = EX_OSERR;
		goto out;
	}
	while (len < PROG_MAXLINE) {
		ssize_t n = read(pfd[0], buf + len, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			eof = true;
			break;
		}
		got = true;
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	if (status == -1)
		*stat = EX_OSERR;
	else if (WIFEXITED(status))
		*stat = WEXITSTATUS(status);
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE && !eof)
		*stat = EX_OK;	/* we stopped reading after the first line */
	else
		*stat = EX_OSERR;
	if (*stat == EX_OK && got)
		r = map_rewrite(map, buf, strlen(buf), av);
out:
	free(argv);
	free(envp);
	return r;
}

/* ------------------------------------------------------------------------------------
 * user: -v names the field: name, passwd, uid, gid, gecos, dir, shell (default name).
 * The key is folded to lower case even with -f (as 8.17 answers "ROOT"). */
static const char *const UserFields[] = { "name", "passwd", "uid", "gid", "gecos", "dir",
					  "shell" };

static bool user_open(MAP *map, int mode)
{
	size_t i;

	(void)mode;
	map->valcolno = 0;
	if (map->valcolnm == NULL)
		return true;
	for (i = 0; i < sizeof UserFields / sizeof UserFields[0]; i++)
		if (strcasecmp(map->valcolnm, UserFields[i]) == 0) {
			map->valcolno = (int)i;
			return true;
		}
	syserr("User map %s: unknown column name %s", map->mname, map->valcolnm);
	return false;
}

static const char *user_lookup(MAP *map, const char *key, char **av, int *stat)
{
	char *name = xstrdup(key), num[32];
	struct passwd *pw;
	const char *v = NULL, *r;

	makelower(name);
	errno = 0;
	pw = getpwnam(name);
	if (pw == NULL) {
		free(name);
		*stat = EX_NOUSER;
		return NULL;
	}
	*stat = EX_OK;
	if (map->mflags & MF_MATCHONLY) {
		r = map_rewrite(map, name, strlen(name), NULL);
		free(name);
		return r;
	}
	switch (map->valcolno) {
	case 0: v = pw->pw_name; break;
	case 1: v = pw->pw_passwd; break;
	case 2: snprintf(num, sizeof num, "%ld", (long)pw->pw_uid); v = num; break;
	case 3: snprintf(num, sizeof num, "%ld", (long)pw->pw_gid); v = num; break;
	case 4: v = pw->pw_gecos; break;
	case 5: v = pw->pw_dir; break;
	case 6: v = pw->pw_shell; break;
	}
	if (v == NULL)
		v = "";
	r = map_rewrite(map, v, strlen(v), av);
	free(name);
	return r;
}

/* ------------------------------------------------------------------------------------
 * arpa: "1.2.3.4" -> "4.3.2.1"; "IPv6:2001:db8::1" -> the 32 nibbles reversed and
 * dotted.  Anything else: not found, EX_DATAERR.  (No in-addr.arpa / ip6.arpa suffix.) */
static const char *arpa_lookup(MAP *map, const char *key, char **av, int *stat)
{
	char buf[80];
	unsigned char a[16];

	if (strncasecmp(key, "IPv6:", 5) == 0) {
		static const char hex[] = "0123456789abcdef";
		char *p = buf;
		int i;
		if (inet_pton(AF_INET6, key + 5, a) != 1)
			goto bad;
		for (i = 15; i >= 0; i--) {
			*p++ = hex[a[i] & 0xf];
			*p++ = '.';
			*p++ = hex[a[i] >> 4];
			*p++ = i > 0 ? '.' : '\0';
		}
	} else {
		if (inet_pton(AF_INET, key, a) != 1)
			goto bad;
		snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[3], a[2], a[1], a[0]);
	}
	*stat = EX_OK;
	return map_rewrite(map, buf, strlen(buf), av);
bad:
	*stat = EX_DATAERR;
	return NULL;
}

/* ------------------------------------------------------------------------------------
 * sequence and switch.  Members are kept in a private list (8.17 takes more than
 * MAXMAPSTACK of them); the first MAXMAPSTACK are also in map->stack.  A lookup asks each
 * member in turn; the first value found is the result.  Otherwise the status is
 * EX_TEMPFAIL if any member failed temporarily, else that of the last member asked
 * (EX_NOTFOUND when there is none). */
struct members {
	MAP **m;
	size_t n;
};

static void add_member(MAP *map, MAP *member)
{
	struct members *ms = map->db;

	if (ms == NULL)
		map->db = ms = xcalloc(1, sizeof *ms);
	ms->m = xreallocarray(ms->m, ms->n + 1, sizeof(MAP *));
	ms->m[ms->n] = member;
	if (ms->n < MAXMAPSTACK)
		map->stack[ms->n] = member;
	ms->n++;
}

static void clear_members(MAP *map)
{
	struct members *ms = map->db;

	if (ms != NULL) {
		free(ms->m);
		free(ms);
	}
	map->db = NULL;
	memset(map->stack, 0, sizeof map->stack);
}

static bool sequence_parse(MAP *map, char *p)
{
	map->mflags |= MF_TRY0NULL | MF_TRY1NULL;
	map->db = NULL;
	map->file = xstrdup(p);
	for (;;) {
		char *name, save;
		MAP *m;
		while (*p != '\0' && !(isascii((unsigned char)*p) && isalnum((unsigned char)*p)))
			p++;
		if (*p == '\0')
			break;
		name = p;
		while (*p != '\0' && *p != ',' && !is_space((unsigned char)*p))
			p++;
		save = *p;
		*p = '\0';
		m = map_find(name);
		if (m == NULL)
			syserr("Sequence map %s: unknown member map %s", map->mname, name);
		else
			add_member(map, m);
		*p = save;
	}
	return true;
}

static const char *sequence_lookup(MAP *map, const char *key, char **av, int *stat)
{
	static int depth;
	struct members *ms = map->db;
	bool tempfail = false;
	int last = EX_NOTFOUND;
	size_t i;

	if (depth > MAXMAPSTACK) {
		*stat = EX_CONFIG;
		return NULL;
	}
	depth++;
	for (i = 0; ms != NULL && i < ms->n; i++) {
		MAP *m = ms->m[i];
		const char *r;
		int st = EX_OK;

		if (!(m->mflags & MF_OPEN) && !map_openmap(m))
			continue;
		r = m->class->lookup(m, key, av, &st);
		if (r != NULL) {
			depth--;
			*stat = EX_OK;
			return r;
		}
		if (st == EX_TEMPFAIL)
			tempfail = true;
		last = st;
	}
	depth--;
	*stat = tempfail ? EX_TEMPFAIL : (last == EX_OK ? EX_NOTFOUND : last);
	return NULL;
}

/* switch: Kname switch service.  Opening looks up the methods of the service and takes
 * the maps "name.method" that exist (reporting the others); no methods: the open fails. */
static bool switch_open(MAP *map, int mode)
{
	char **methods = switch_services(map->file);
	sbuf b = SBUF_INIT;

	(void)mode;
	clear_members(map);
	if (methods == NULL)
		return false;
	sb_init(&b);
	for (; *methods != NULL; methods++) {
		MAP *m;
		sb_reset(&b);
		sb_printf(&b, "%s.%s", map->mname, *methods);
		m = map_find(b.s);
		if (m == NULL || m == map)
			syserr("Switch map %s: unknown member map %s", map->mname, b.s);
		else
			add_member(map, m);
	}
	sb_free(&b);
	return true;
}

static void switch_close(MAP *map)
{
	clear_members(map);
}

/* ------------------------------------------------------------------------------------ */
static const MAPCLASS null_class = { "null", NULL, MCF_OPTFILE | MCF_ALIASOK, NULL, NULL,
				     null_lookup, NULL };
static const MAPCLASS stab_class = { "stab", NULL, MCF_ALIASOK | MCF_ALIASONLY, NULL, stab_open,
				     stab_lookup, NULL };
static const MAPCLASS dequote_class = { "dequote", NULL, MCF_OPTFILE, dequote_parse, NULL,
					dequote_lookup, NULL };
static const MAPCLASS macro_class = { "macro", NULL, MCF_OPTFILE, dequote_parse, NULL,
				      macro_lookup, NULL };
static const MAPCLASS arith_class = { "arith", NULL, MCF_OPTFILE, dequote_parse, NULL,
				      arith_lookup, NULL };
static const MAPCLASS syslog_class = { "syslog", NULL, MCF_OPTFILE, syslog_parse, NULL,
				       syslog_lookup, NULL };
static const MAPCLASS program_class = { "program", NULL, 0, program_parse, NULL,
					program_lookup, NULL };
static const MAPCLASS user_class = { "user", NULL, MCF_OPTFILE, NULL, user_open, user_lookup,
				     NULL };
static const MAPCLASS arpa_class = { "arpa", NULL, MCF_OPTFILE, dequote_parse, NULL,
				     arpa_lookup, NULL };
static const MAPCLASS sequence_class = { "sequence", NULL, MCF_ALIASOK, sequence_parse, NULL,
					 sequence_lookup, NULL };
static const MAPCLASS switch_class = { "switch", NULL, MCF_ALIASOK, NULL, switch_open,
				       sequence_lookup, switch_close };

void map_misc_init(void)
{
	mapclass_register(&null_class);
	mapclass_register(&stab_class);
	mapclass_register(&dequote_class);
	mapclass_register(&macro_class);
	mapclass_register(&arith_class);
	mapclass_register(&syslog_class);
	mapclass_register(&program_class);
	mapclass_register(&user_class);
	mapclass_register(&arpa_class);
	mapclass_register(&sequence_class);
	mapclass_register(&switch_class);
}
