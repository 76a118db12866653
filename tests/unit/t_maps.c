/* t_maps.c -- the map classes of map_text.c, map_regex.c, map_misc.c and map_dns.c, declared
 * from K line text and looked up as rules and address test mode do.  The expected values
 * are what sendmail 8.17 answers for the same declarations. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "conf.h"
#include "diag.h"
#include "dns.h"
#include "macro.h"
#include "map.h"
#include "switch.h"
#include "fixture.h"
#include "tap.h"
#include "xalloc.h"

static int Status;

/* the lookup as a rule does it: $(name key $@ a1 $@ a2 $) */
static const char *look(const char *name, const char *key, const char *a1, const char *a2)
{
	MAP *map = map_find(name);
	char *k, *av[4];

	Status = EX_OK;
	if (map == NULL)
		return "(no such map)";
	k = arena_strdup(Scratch, key);
	av[0] = k;
	av[1] = (char *)a1;
	av[2] = a1 != NULL ? (char *)a2 : NULL;
	av[3] = NULL;
	return map_lookup(map, k, av, &Status);
}

/* what was reported (syserr) since the last call, lines joined by '|' */
static FILE *Diag;
static const char *reported(void)
{
	static sbuf b;
	static long rpos;
	int c;

	if (b.s == NULL)
		sb_init(&b);
	sb_reset(&b);
	if (Diag == NULL)
		return "";
	fflush(Diag);
	fseek(Diag, rpos, SEEK_SET);
	while ((c = getc(Diag)) != EOF)
		sb_putc(&b, c == '\n' ? '|' : c);
	rpos = ftell(Diag);
	fseek(Diag, 0, SEEK_END);
	return b.s;
}

/* the lookup as address test mode's /map does it (the class's own status, no dequoting) */
static const char *rawlook(const char *name, const char *key)
{
	MAP *map = map_find(name);
	char *k, *av[2];

	Status = EX_OK;
	if (map == NULL)
		return "(no such map)";
	if (!map_openmap(map))
		return NULL;
	k = arena_strdup(Scratch, key);
	av[0] = k;
	av[1] = NULL;
	return map->class->lookup(map, k, av, &Status);
}


static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = xmalloc(strlen(dir) + strlen(name) + 2);
	FILE *fp;

	sprintf(path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	if (fp != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
	return path;
}

static void decl(const char *line)
{
	char *copy = xstrdup(line);
	if (!makemapentry(copy))
		tap_diag("declaration failed: %s", line);
	free(copy);
}

static void test_text(const char *dir)
{
	char *file = write_file(dir, "t.txt",
				"root:x\nfoo bar baz\nFoo:Upper:three\n# comment\n"
				"baz  qux  quux\n  lead val\nk1\na::b:c\npct %1-%0-%%\n");
	sbuf l = SBUF_INIT;

	sb_init(&l);
#define K(fmt) do { sb_reset(&l); sb_printf(&l, fmt, file); decl(l.s); } while (0)
	K("t1 text %s");
	K("t2 text -z: -k0 -v2 %s");
	K("t3 text -v1 -a.X %s");
	K("t4 text -v2 %s");
	K("t5 text -k1 -v0 %s");
	K("t6 text -z: -v1 %s");
	K("t7 text -m %s");
	K("t8 text -v1 %s");
	K("t9 text -kfoo %s");
#undef K
	decl("t10 text relative.txt");
	decl("t11 text -o /nonexistent/file.txt");
	sb_free(&l);

	tap_is_str(look("t1", "foo", NULL, NULL), "foo", "text: the value column defaults to 0");
	tap_is_str(look("t1", "FOO", NULL, NULL), "foo", "text: keys compare without case");
	tap_is_str(look("t2", "foo", NULL, NULL), "three", "text: -z: -k0 -v2");
	tap_is_str(rawlook("t2", "root"), NULL, "text: a line without the value column");
	tap_is_int(Status, EX_NOTFOUND, "text: not found is EX_NOTFOUND");
	tap_is_str(look("t3", "foo", NULL, NULL), "bar.X", "text: -v1 and -a");
	tap_is_str(look("t4", "baz", NULL, NULL), "quux", "text: runs of blanks are one delimiter");
	tap_is_str(look("t8", "lead", NULL, NULL), "lead",
		   "text: with leading blanks, columns 0 and 1 are both the first word");
	tap_is_str(look("t5", "bar", NULL, NULL), "foo", "text: -k1 -v0");
	tap_is_str(look("t6", "a", NULL, NULL), "", "text: -z keeps empty columns");
	tap_is_str(look("t1", "#", NULL, NULL), NULL, "text: comment lines are skipped");
	tap_is_str(look("t7", "FOO", NULL, NULL), "FOO", "text: -m returns the key as given");
	tap_is_str(look("t8", "pct", "A1", NULL), "A1-pct-%", "text: %%1 %%0 %%%% in the value");
	tap_is_str(look("t8", "k1", NULL, NULL), NULL, "text: a one-column line has no column 1");
	tap_is_str(look("t9", "foo", NULL, NULL), NULL, "text: -k must be a number");
	sb_init(&l);
	sb_printf(&l, "text map \"t9\", file %s: -k should specify a number, not foo|", file);
	tap_is_str(reported(), l.s, "text: ... reported");
	sb_free(&l);
	tap_is_int(Status, EX_TEMPFAIL, "text: ... and the map fails temporarily");
	tap_is_str(look("t10", "foo", NULL, NULL), NULL, "text: a relative file name is refused");
	tap_is_str(reported(), "text map \"t10\": file name must be fully qualified|",
		   "text: ... reported");
	tap_is_int(Status, EX_TEMPFAIL, "text: ... temporarily");
	tap_is_str(look("t11", "foo", NULL, NULL), NULL, "text: an optional missing file");
	tap_is_int(Status, EX_OK, "text: ... is just not found");
	unlink(file);
	free(file);
}

static void test_regex(void)
{
	decl("r1 regex ^foo(.*)bar$");
	decl("r2 regex -s1 ^foo(.*)bar$");
	decl("r3 regex -n ^foo");
	decl("r4 regex -f ^foo");
	decl("r5 regex -s1,2 -d+ ^(a*)(b*)$");
	decl("r6 regex -m -a.X ^f(o+)");
	decl("r7 regex -s ^f(o+)");
	decl("r8 regex -b -s1 ^f\\(o*\\)$");
	decl("r9 regex ^a b$");
	decl("r10 regex -s1,2 -d: ^(.)(.*)");
	decl("r11 regex ^f(o");
	decl("r12 regex -s5 ^f(o+)");
	decl("r13 regex -s1,2,3 -d: ^(a)(x)?(b)");
	tap_is_str(reported(), "pattern-compile-error: Unmatched ( or \\(|"
		   "field (5) out of range, only 2 substrings in pattern|", "regex: errors reported");

	tap_is_str(look("r1", "fooXbar", NULL, NULL), "", "regex: a match without -s is empty");
	tap_is_str(look("r1", "FOOxBAR", NULL, NULL), "", "regex: case-insensitive by default");
	tap_is_str(look("r1", "xfoo", NULL, NULL), NULL, "regex: no match");
	tap_is_int(Status, EX_OK, "regex: ... with status OK");
	tap_is_str(look("r2", "fooXYZbar", NULL, NULL), "XYZ", "regex: -s1");
	tap_is_str(look("r3", "foo", NULL, NULL), NULL, "regex: -n inverts (match)");
	tap_is_str(look("r3", "bar", NULL, NULL), "", "regex: -n inverts (no match)");
	tap_is_str(look("r4", "FOO", NULL, NULL), NULL, "regex: -f is case sensitive");
	tap_is_str(look("r5", "aabb", NULL, NULL), "aa+bb", "regex: -s1,2 -d+");
	tap_is_str(look("r5", "bb", NULL, NULL), "+bb", "regex: an empty group");
	tap_is_str(look("r6", "FOOx", NULL, NULL), "FOOx.X", "regex: -m returns the key, -a appends");
	tap_is_str(look("r7", "foox", NULL, NULL), "foo\233oo",
		   "regex: bare -s: every group, joined by $|");
	tap_is_str(look("r8", "foo", NULL, NULL), "oo", "regex: -b basic syntax");
	tap_is_str(look("r9", "a b", NULL, NULL), "", "regex: the pattern may hold spaces");
	tap_is_str(look("r10", "hello", "2", NULL), "ello",
		   "regex: the first argument replaces the -s list");
	tap_is_str(look("r10", "hello", "2,1", NULL), "ello:h", "regex: ... as a list");
	tap_is_str(look("r11", "foo", NULL, NULL), NULL, "regex: a bad pattern makes no map");
	tap_ok(!(map_find("r11")->mflags & MF_VALID), "regex: ... not valid");
	tap_ok(!(map_find("r12")->mflags & MF_VALID), "regex: -s beyond the groups: not valid");
	tap_is_str(look("r13", "ab", NULL, NULL), "a::b", "regex: an unmatched group is empty");
}

static void test_arith(void)
{
	decl("ar arith");
	tap_is_str(look("ar", "+", "3", "4"), "7", "arith: +");
	tap_is_str(look("ar", "-", "3", "4"), "-1", "arith: -");
	tap_is_str(look("ar", "*", "65536", "65536"), "4294967296", "arith: * in long");
	tap_is_str(look("ar", "/", "13", "4"), "3", "arith: /");
	tap_is_str(look("ar", "/", "-7", "2"), "-3", "arith: / truncates");
	tap_is_str(look("ar", "%", "-7", "2"), "-1", "arith: %%");
	tap_is_str(look("ar", "/", "13", "0"), NULL, "arith: division by zero finds nothing");
	tap_is_str(look("ar", "|", "12", "3"), "15", "arith: |");
	tap_is_str(look("ar", "&", "12", "6"), "4", "arith: &");
	tap_is_str(look("ar", "l", "3", "4"), "TRUE", "arith: l");
	tap_is_str(look("ar", "l", "4", "3"), "FALSE", "arith: l false");
	tap_is_str(look("ar", "=", "4", "4"), "TRUE", "arith: =");
	tap_is_str(look("ar", "L", "3", "4"), NULL, "arith: operators are not folded");
	tap_is_str(look("ar", "+", "0x10", "08"), "16", "arith: operands as C integers");
	tap_is_str(look("ar", "r", "3", "3"), "3", "arith: r in [3,3]");
	tap_is_str(look("ar", "r", "5", "3"), NULL, "arith: r with an empty range");
	tap_is_str(rawlook("ar", "+"), NULL, "arith: no operands");
	tap_is_int(Status, EX_CONFIG, "arith: ... is a configuration error");
	tap_is_str(look("ar", "/", "-9223372036854775808", "-1"), "-9223372036854775808",
		   "arith: LONG_MIN / -1 does not trap");
}

static void test_dequote(void)
{
	decl("dq dequote");
	decl("dq2 dequote -s+");
	decl("dq3 dequote -a.X");
	tap_is_str(look("dq", "\"foo\"", NULL, NULL), "foo", "dequote: quotes removed");
	tap_is_str(look("dq", "foo", NULL, NULL), NULL, "dequote: no quotes, nothing found");
	tap_is_int(Status, EX_OK, "dequote: ... status OK");
	tap_is_str(look("dq", "\"foo bar\"", NULL, NULL), NULL, "dequote: a space makes two words");
	tap_is_str(look("dq2", "\"foo  bar\"", NULL, NULL), "foo++bar", "dequote: -s replaces spaces");
	tap_is_str(look("dq", "a\"b\"c", NULL, NULL), "abc", "dequote: quotes inside a word");
	tap_is_str(look("dq", "\"a\\\"b\"", NULL, NULL), "a\\\"b", "dequote: backslashes kept");
	tap_is_str(look("dq", "\"a(b\"", NULL, NULL), NULL, "dequote: unbalanced (");
	tap_is_str(look("dq", "\"<a>\"", NULL, NULL), "<a>", "dequote: balanced <>");
	tap_is_str(look("dq", "\"a><b\"", NULL, NULL), NULL, "dequote: > before <");
	tap_is_str(look("dq", "\"\"", NULL, NULL), "", "dequote: an empty string");
	tap_is_str(look("dq", "\"a", NULL, NULL), NULL, "dequote: unterminated quote");
	tap_is_str(look("dq3", "\"a\"", NULL, NULL), "a.X", "dequote: -a");
}

static void test_macro(void)
{
	decl("mac macro");
	tap_is_str(look("mac", "{MyMac}", "hello", NULL), "", "macro: setting returns empty");
	tap_is_str(macvalue(macid("{MyMac}")), "hello", "macro: ... and sets ${MyMac}");
	tap_is_str(look("mac", "x", "v1", NULL), "", "macro: a one-letter name");
	tap_is_str(macvalue('x'), "v1", "macro: ... sets $x");
	tap_ok(macvalue('X') == NULL, "macro: names are not folded");
	look("mac", "{MyMac}", NULL, NULL);
	tap_ok(macvalue(macid("{MyMac}")) == NULL, "macro: no value clears it");
}

static void test_simple(void)
{
	decl("nl null");
	decl("u user");
	decl("u2 user -vuid");
	decl("u3 user -vdir");
	decl("u4 user -vfoo");
	decl("u5 user -m");
	decl("pa arpa");
	decl("pa2 arpa -a.X");
	decl("sq sequence nl u");
	decl("sq2 sequence u nl");
	decl("sq3 sequence nl, pa");
	decl("pr program /bin/echo hello");
	decl("pr2 program /bin/false");
	decl("pr3 program /nonexistent/program");
	decl("sl syslog -Lnotice");
	decl("sl2 syslog -Lbogus");
	decl("sl3 syslog -a.X");
	decl("sq4 sequence nl nosuchmap");
	tap_is_str(reported(), "syslog_map_parseargs: Unknown priority bogus|"
		   "Illegal option a map syslog|Sequence map sq4: unknown member map nosuchmap|",
		   "syslog and sequence: errors reported");

	tap_is_str(rawlook("nl", "x"), NULL, "null: finds nothing");
	tap_is_int(Status, EX_NOTFOUND, "null: ... EX_NOTFOUND");
	tap_is_str(look("u", "root", NULL, NULL), "root", "user: the name by default");
	tap_is_str(look("u", "ROOT", NULL, NULL), "root", "user: the key is folded");
	tap_is_str(look("u2", "root", NULL, NULL), "0", "user: -vuid");
	tap_is_str(look("u3", "root", NULL, NULL), "/root", "user: -vdir");
	tap_is_str(rawlook("u", "no-such-user-here"), NULL, "user: unknown user");
	tap_is_int(Status, EX_NOUSER, "user: ... EX_NOUSER");
	tap_is_str(look("u4", "root", NULL, NULL), NULL, "user: an unknown -v column");
	tap_is_str(reported(), "User map u4: unknown column name foo|", "user: ... reported");
	tap_is_int(Status, EX_TEMPFAIL, "user: ... fails temporarily");
	tap_is_str(look("u5", "ROOT", NULL, NULL), "root", "user: -m gives the folded key");
	tap_is_str(look("pa", "1.2.3.4", NULL, NULL), "4.3.2.1", "arpa: IPv4");
	tap_is_str(look("pa", "IPv6:2001:db8::1", NULL, NULL),
		   "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2", "arpa: IPv6");
	tap_is_str(rawlook("pa", "2001:db8::1"), NULL, "arpa: IPv6 needs the IPv6: tag");
	tap_is_int(Status, EX_DATAERR, "arpa: ... EX_DATAERR");
	tap_is_str(look("pa", "01.02.03.04", NULL, NULL), NULL, "arpa: no leading zeros");
	tap_is_str(look("pa2", "1.2.3.4", NULL, NULL), "4.3.2.1.X", "arpa: -a");
	tap_is_str(look("pa", "\"1.2.3.4\"", NULL, NULL), NULL, "arpa: keeps the quotes of its key");
	tap_is_str(look("sq", "root", NULL, NULL), "root", "sequence: the second member finds it");
	tap_is_str(rawlook("sq", "nosuch"), NULL, "sequence: nobody finds it");
	tap_is_int(Status, EX_NOUSER, "sequence: ... the last member's status");
	tap_is_str(rawlook("sq2", "nosuch"), NULL, "sequence: other order");
	tap_is_int(Status, EX_NOTFOUND, "sequence: ... the last member's status");
	tap_is_str(look("sq3", "1.2.3.4", NULL, NULL), "4.3.2.1", "sequence: commas separate");
	tap_is_str(look("pr", "key", NULL, NULL), "hello key", "program: args, then the key");
	tap_is_str(rawlook("pr2", "key"), NULL, "program: exit status 1");
	tap_is_int(Status, 1, "program: ... is the status");
	tap_is_str(rawlook("pr3", "key"), NULL, "program: cannot run");
	tap_is_int(Status, EX_CONFIG, "program: ... EX_CONFIG");
	tap_is_str(look("sl", "unit test t_maps: syslog map", NULL, NULL), "", "syslog: returns empty");
	tap_ok(!(map_find("sl2")->mflags & MF_VALID), "syslog: an unknown priority");
}

static void test_switch(const char *dir)
{
	char *ss = write_file(dir, "service.switch",
			      "# comment\nhosts\tfiles  dns\naliases files nis # trailing\n"
			      "passwd: files\n  indented files\nempty\nfoo bar\n");
	char **m;

	ServiceSwitchFile = ss;
	m = switch_services("hosts");
	tap_ok(m != NULL && m[0] != NULL && !strcmp(m[0], "files") && m[1] != NULL &&
	       !strcmp(m[1], "dns") && m[2] == NULL, "switch file: hosts files dns");
	m = switch_services("ALIASES");
	tap_ok(m != NULL && m[0] && !strcmp(m[0], "files") && m[1] && !strcmp(m[1], "nis") && !m[2],
	       "switch file: names compare without case; comments");
	tap_ok(switch_services("passwd") == NULL, "switch file: no colon syntax");
	tap_ok(switch_services("indented") == NULL, "switch file: an indented line is ignored");
	tap_ok(switch_services("empty") == NULL, "switch file: a service without methods");

	decl("sw switch foo");
	decl("sw.bar arpa");
	tap_is_str(look("sw", "1.2.3.4", NULL, NULL), "4.3.2.1", "switch: member NAME.METHOD");
	decl("sw3 switch foo");
	reported();
	tap_is_str(look("sw3", "x", NULL, NULL), NULL, "switch: no member maps");
	tap_is_str(reported(), "Switch map sw3: unknown member map sw3.bar|", "switch: ... reported");
	decl("sw2 switch nothing");
	tap_is_str(look("sw2", "x", NULL, NULL), NULL, "switch: a service without methods");
	tap_is_int(Status, EX_TEMPFAIL, "switch: ... fails temporarily");

	ServiceSwitchFile = "/nonexistent/service.switch";
	m = switch_services("hosts");
	tap_ok(m != NULL && m[0] && !strcmp(m[0], "dns") && m[1] && !strcmp(m[1], "files") && !m[2],
	       "switch default: hosts dns files");
	m = switch_services("aliases");
	tap_ok(m != NULL && m[0] && !strcmp(m[0], "files") && !m[1], "switch default: aliases files");
	tap_ok(switch_services("HOSTS") == NULL, "switch default: only the lower-case names");
	unlink(ss);
	free(ss);
}

static void test_dns(void)
{
	char *mx[MAXMXHOSTS + 1];
	int rcode;

	decl("d1 dns -RFOO");
	decl("d2 dns -RMX -z, -Z2");
	tap_is_str(reported(), "dns map d1: wrong type FOO|dns map d1: missing -R type|",
		   "dns: errors reported");
	tap_is_int(map_find("d1")->dnstype, 0, "dns: an unknown -R type");
	tap_is_str(rawlook("d1", "example.com"), NULL, "dns: ... finds nothing");
	tap_is_int(Status, EX_NOTFOUND, "dns: ... EX_NOTFOUND");
	tap_is_int(map_find("d2")->sizelimit, 2, "dns: -Z");
	tap_is_int(map_find("d2")->coldelim, ',', "dns: -z");
	tap_is_int(getmxrr("[192.0.2.1]", mx, MAXMXHOSTS, false, &rcode, Scratch), 1,
		   "getmxrr: an address literal");
	tap_is_str(mx[0], "[192.0.2.1]", "getmxrr: ... is itself");
	tap_is_int(getmxrr("[IPv6:2001:db8::1]", mx, MAXMXHOSTS, false, &rcode, Scratch), 1,
		   "getmxrr: an IPv6 literal");
	tap_is_int(getmxrr("[foo]", mx, MAXMXHOSTS, false, &rcode, Scratch), 0,
		   "getmxrr: a bad literal");
	UseNameServer = false;
	tap_is_int(getmxrr("example.com", mx, MAXMXHOSTS, false, &rcode, Scratch), 0,
		   "getmxrr: no name server in use");
	tap_is_int(rcode, EX_OK, "getmxrr: ... status OK");
	UseNameServer = true;
}

int main(void)
{
	char *dir;

	Scratch = arena_new();
	macros_init();
	options_init();
	maps_init();
	Diag = tmpfile();
	if (Diag != NULL) {
		diag_out = Diag;
		setvbuf(Diag, NULL, _IONBF, 0);
	}
	dir = fixture_scratch_dir("t_maps");
	if (dir == NULL) {
		tap_ok(0, "cannot make a scratch folder");
		return tap_done();
	}
	reported();
	test_text(dir);
	test_regex();
	test_arith();
	test_dequote();
	test_macro();
	test_simple();
	test_switch(dir);
	test_dns();
	rmdir(dir);
	free(dir);
	return tap_done();
}
