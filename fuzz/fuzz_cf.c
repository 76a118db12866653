/* fuzz_cf.c -- fuzz target: the input is a sendmail.cf.
 *
 * The configuration is read by readcf() (from a memfd, named by /proc/self/fd/N, so no file
 * is left behind), completed as main() completes it (alias maps, the host map, mailers),
 * and then exercised, so that the rules it declares run too:
 *   - rulesets 3,0 on a list of a few addresses, as -bt's "3,0 a, b" does (prescan, then
 *     rewrite);
 *   - parseaddr() and crackaddr() on each, and remotename() for every mailer, sender and
 *     recipient, envelope and header (rulesets 1/2, the mailers' S=/R=, 4);
 *   - every ruleset that has rules, once, on one address;
 *   - if the input has a line "#@bt", what follows it is not configuration but address test
 *     mode commands, run by testmode() itself ("3,0 a@b", "/parse x", "/try esmtp x",
 *     "/map name key", "$=w", ".Dx v", "=S0", ...).
 * Everything the engine prints goes to /dev/null (to stdout with FUZZ_VERBOSE set); rule
 * tracing is off except inside the -bt section (where it is part of what is tested).
 *
 * The cf reader accumulates global state (rules, classes, macros, maps, mailers) and has no
 * reset, so this target is meant to see one input per process: under AFL++ (fork server,
 * see afl_main.c and README) for fuzzing, or as a libFuzzer binary given one file to
 * reproduce a crash.  Given many inputs in one process it still works, but later inputs
 * see the configurations of earlier ones. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "address.h"
#include "alias.h"
#include "conf.h"
#include "diag.h"
#include "hostname.h"
#include "macro.h"
#include "mailer.h"
#include "map.h"
#include "rewrite.h"
#include "sandbox.h"
#include "testmode.h"
#include "token.h"

#define BT_MARK "#@bt\n"

static int cf_fd = -1;
static char cf_path[64];
static FILE *sink;	/* where diagnostics go: /dev/null, or stdout with FUZZ_VERBOSE set */

static const char *const probes[] = {
	"user",
	"user@example.com",
	"Full Name <user+detail@sub.example.com> (comment)",
	"<@relay.example,@b.example:\"quoted user\"@[127.0.0.1]>",
	"host!other!user%inner@localhost.",
	"<>",
};
#define NPROBES (sizeof probes / sizeof probes[0])
static const char probe_list[] = "user, user@example.com, "
	"Full Name <user+detail@sub.example.com> (comment), "
	"<@relay.example,@b.example:\"quoted user\"@[127.0.0.1]>, "
	"host!other!user%inner@localhost., <>";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cf_fd = memfd_create("fuzz_cf", 0);
	if (cf_fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(cf_path, sizeof cf_path, "/proc/self/fd/%d", cf_fd);
	/* everything the engine prints (rule traces, -bt answers) goes nowhere, unless
	 * FUZZ_VERBOSE is set (to see what an input does when reproducing it) */
	if (getenv("FUZZ_VERBOSE") != NULL)
		sink = stdout;
	else {
		if (freopen("/dev/null", "w", stdout) == NULL)
			abort();
		sink = fuzz_devnull();
	}
	Scratch = arena_new();
	macros_init();
	options_init();
	maps_init();
	setupmailers();
	set_identity();
	OpMode = MD_TEST;
	macdefine(macid("{opMode}"), "t");
	return 0;
}

/* -bt "rulesets addr[,addr...]" as testmode's cmd_rulesets does it, without tracing */
static void run_rulesets(const char *rulesets, const char *addrs)
{
	char *buf = arena_strdup(Scratch, addrs);
	const char *p = buf, *delim;

	if (invalidaddr(buf, NULL, true))
		return;
	for (;;) {
		char *pvbuf[MAXATOM + 1];
		char **pvp = prescan(p, ',', pvbuf, Scratch, &delim,
				     ConfigLevel >= 9 ? TT_NOCOMMENT : TT_EXTERNAL, false);
		const char *r = rulesets;

		while (pvp != NULL && *r != '\0') {
			int rs = strtorwset(r, NULL, false);
			if (rs < 0)
				break;
			rewrite(pvp, rs, 0, MAXATOM);
			while (*r != '\0' && *r++ != ',')
				;
		}
		if (*delim == '\0' || delim < p)
			break;
		p = delim + 1;
	}
}

static void exercise(void)
{
	size_t i;
	int rs, m, f;

	/* -bt's "3,0 a, b, ..." on all of them as one list, then each parsed as delivery
	 * would parse it (3 and 0 again, then buildaddr) */
	run_rulesets("3,0", probe_list);
	arena_reset(Scratch);
	for (i = 0; i < NPROBES; i++) {
		ADDRESS a;
		char *addr = arena_strdup(Scratch, probes[i]);

		crackaddr(addr);
		memset(&a, 0, sizeof a);
		parseaddr(addr, &a, RF_COPYNONE, '\0', NULL, true);
		arena_reset(Scratch);
	}
	/* the rewriting for each mailer (1 or 2, S= or R=, 4): envelope and header, sender
	 * and recipient, the last one canonical */
	for (m = 0; m < MAXMAILERS; m++) {
		if (Mailer[m] == NULL)
			continue;
		for (f = 0; f < 4; f++) {
			int st = EX_OK;
			int flags = ((f & 1) ? RF_SENDERADDR : 0) | ((f & 2) ? RF_HEADERADDR : 0) |
				    (f == 3 ? RF_CANONICAL : 0);
			remotename(probes[(f & 1) ? 1 : 2], Mailer[m], flags, &st);
			arena_reset(Scratch);
		}
	}
	/* every ruleset with rules, whether or not 3 and 0 call it */
	for (rs = 0; rs < MAXRWSETS; rs++) {
		char *pvbuf[MAXATOM + 1];
		char **pvp;

		if (RewriteRules[rs] == NULL)
			continue;
		pvp = prescan("<user@example.com>", '\0', pvbuf, Scratch, NULL, TT_EXTERNAL, false);
		if (pvp != NULL)
			rewrite(pvp, rs, 0, MAXATOM);
		arena_reset(Scratch);
	}
}

struct input {
	const char *bt;		/* address test mode commands, or NULL */
	size_t btlen;
};

static void body(void *arg)
{
	struct input *in = arg;

	readcf(cf_path, true);
	alias_maps_init();
	if (map_find("host") == NULL)
		map_declare("host", "host", ConfigLevel >= 2 ? "-a. -D" : "");
	mailers_after_cf();
	TraceRules = false;
	diag_out = sink;
	exercise();
	if (in->bt != NULL && in->btlen > 0) {
		FILE *fp = fmemopen((void *)in->bt, in->btlen, "r");
		if (fp != NULL) {
			testmode(fp);
			fclose(fp);
		}
		TraceRules = false;
		diag_out = sink;
	}
	maps_close();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { NULL, 0 };
	size_t cflen = size;
	const uint8_t *mark = memmem(data, size, BT_MARK, sizeof BT_MARK - 1);

	if (mark != NULL && (mark == data || mark[-1] == '\n')) {
		cflen = (size_t)(mark - data);
		in.bt = (const char *)mark + sizeof BT_MARK - 1;
		in.btlen = size - cflen - (sizeof BT_MARK - 1);
	}
	if (ftruncate(cf_fd, 0) < 0 || pwrite(cf_fd, data, cflen, 0) != (ssize_t)cflen)
		abort();
	diag_out = sink;
	TraceRules = false;
	fuzz_run(body, &in);
	arena_reset(Scratch);
	CurAddr = NULL;
	return 0;
}
