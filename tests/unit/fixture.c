/* fixture.c -- engine set-up for the unit tests (see fixture.h). */
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include "conf.h"
#include "diag.h"
#include "macro.h"
#include "mailer.h"
#include "map.h"
#include "rewrite.h"
#include "token.h"
#include "xalloc.h"

static sbuf result;

void fixture_init(void)
{
	Scratch = arena_new();
	macros_init();
	options_init();
	maps_init();
	setupmailers();
	sb_init(&result);
	diag_out = stdout;
}

int fixture_readcf(const char *text)
{
	char path[] = "/tmp/t_cfXXXXXX";
	int fd = mkstemp(path);
	int before = diag_errors;
	FILE *fp;

	if (fd < 0)
		return -1;
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	readcf(path, true);
	unlink(path);
	return diag_errors - before;
}

static const char *join(char **av)
{
	sb_reset(&result);
	for (; av != NULL && *av != NULL; av++) {
		if (result.len > 0)
			sb_putc(&result, ' ');
		xputs_sb(&result, *av);
	}
	return result.s;
}

const char *fixture_tokens(const char *addr)
{
	char *av[MAXATOM + 1];
	char **pvp = prescan(addr, '\0', av, Scratch, NULL, TT_EXTERNAL, false);
	if (pvp == NULL)
		return NULL;
	return join(pvp);
}

const char *fixture_rewrite(const char *rulesets, const char *addr, int *status)
{
	char *av[MAXATOM + 1];
	char **pvp = prescan(addr, '\0', av, Scratch, NULL, TT_NOCOMMENT, false);
	const char *r = rulesets;

	*status = EX_OK;
	if (pvp == NULL)
		return NULL;
	while (*r != '\0') {
		int rs = strtorwset(r, NULL, false);
		int st;
		if (rs < 0)
			return NULL;
		st = rewrite(pvp, rs, 0, MAXATOM);
		if (st != EX_OK)
			*status = st;
		while (*r != '\0' && *r++ != ',')
			;
	}
	return join(pvp);
}

char *fixture_scratch_dir(const char *tag)
{
	/* below $HOME/.cache rather than next to the build: the checkout may itself be below
	 * a world-writable folder such as /tmp, which map files and queues refuse */
	const char *home = getenv("HOME");
	char *dir;
	size_t n;

	if (home == NULL || *home == '\0')
		home = "/root";
	n = strlen(home) + strlen(tag) + 32;
	dir = xmalloc(n);
	snprintf(dir, n, "%s/.cache", home);
	mkdir(dir, 0700);
	snprintf(dir, n, "%s/.cache/mta-tests", home);
	mkdir(dir, 0700);
	snprintf(dir, n, "%s/.cache/mta-tests/%s.XXXXXX", home, tag);
	if (mkdtemp(dir) == NULL) {
		free(dir);
		return NULL;
	}
	return dir;
}
