/* fuzz_address.c -- fuzz target: the input is an address (or a list of them).
 *
 * The tokenizer, prescan(), runs on it with every character table (external addresses,
 * internal strings, rule text without comments), with no delimiter and with ',' (a
 * list, walked as -bt walks "3,0 a, b, c") and with TAB in the cf reader's mode (no
 * patching-up of unbalanced quotes, comments and angles: rule text); the tokens are then joined back (cataddr) and
 * printed (printav, as -bt does).  crackaddr() and invalidaddr() run on copies, and
 * stripquotes() and shortenstring() on another.  No configuration is read: the tables are
 * the built-in ones.  The only state kept between inputs is the Scratch arena, emptied
 * after each, so this target runs in-process under libFuzzer. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "address.h"
#include "conf.h"
#include "diag.h"
#include "macro.h"
#include "mailer.h"
#include "map.h"
#include "sandbox.h"
#include "token.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	Scratch = arena_new();
	macros_init();
	options_init();
	maps_init();
	setupmailers();
	diag_out = fuzz_devnull();
	return 0;
}

static void tokenize(const char *addr, int delim, enum toktab table, bool ignore)
{
	const char *p = addr, *dp;
	FILE *out = fuzz_devnull();
	sbuf b = SBUF_INIT;

	sb_init(&b);
	for (;;) {
		char *av[MAXATOM + 1];
		char **pvp = prescan(p, delim, av, Scratch, &dp, table, ignore);

		if (pvp != NULL) {
			size_t n = vec_len(pvp);
			printav(out, pvp);
			cataddr(pvp, NULL, &b, ' ', true);
			if (n > 1)
				cataddr(pvp + 1, pvp + n - 1, &b, '\0', false);
		}
		if (dp < p || dp > addr + strlen(addr))
			abort();	/* the delimiter pointer left the string */
		if (delim == '\0' || *dp == '\0')
			break;
		p = dp + 1;
	}
	sb_free(&b);
}

static void body(void *arg)
{
	const char *addr = arg;
	static const enum toktab tables[] = { TT_EXTERNAL, TT_INTERNAL, TT_NOCOMMENT };
	size_t t;
	char *copy;
	sbuf b = SBUF_INIT;

	for (t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		tokenize(addr, '\0', tables[t], false);
		tokenize(addr, ',', tables[t], false);
		tokenize(addr, '\t', tables[t], true);	/* rule text, as readcf splits it */
		arena_reset(Scratch);
	}
	crackaddr(addr);
	copy = arena_strdup(Scratch, addr);
	invalidaddr(copy, NULL, true);
	copy = arena_strdup(Scratch, addr);
	{
		char *comma = strchr(copy, ',');
		invalidaddr(copy, comma, false);
	}
	copy = arena_strdup(Scratch, addr);
	stripquotes(copy);
	sb_init(&b);
	shortenstring(&b, addr, MAXSHORTSTR);
	sb_free(&b);
	xputs(fuzz_devnull(), addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *addr = malloc(size + 1);

	if (addr == NULL)
		return 0;
	memcpy(addr, data, size);
	addr[size] = '\0';
	fuzz_run(body, addr);
	free(addr);
	arena_reset(Scratch);
	CurAddr = NULL;
	ExitStat = 0;
	return 0;
}
