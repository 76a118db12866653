/* dsntool.c -- the DSN module driven from the command line, for tests/dsn-diff.t: build the
 * notices for a queued message from a description of what happened to its recipients, as
 * the delivery engine will.
 *
 *   dsntool CF QUEUEDIR ID SPEC     prints the ids of the notices queued in QUEUEDIR
 *
 * SPEC lines (until "transcript", whose following lines are the session transcript):
 *   O Name=Value        an option, as -O would give it (before the configuration is read)
 *   reason error|warning|return|receipt
 *   now SECONDS         the time of the notice (default: now)
 *   msgsize N           the original's size as received (default: from its queue files)
 *   from HOST           the client it came from, when the notice follows its receipt
 *   rcpt PADDR          a recipient to report; then its fields, one per line:
 *     alias A, action failed|delayed|delivered|relayed|expanded, flags PNSFD (its R
 *     letters), status 5.1.1, rstatus TEXT, exit N, final TEXT, orcpt TEXT, mailer NAME,
 *     user TEXT, remote HOST, date SECONDS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"
#include "conf.h"
#include "diag.h"
#include "dsn.h"
#include "hostname.h"
#include "log.h"
#include "macro.h"
#include "map.h"
#include "xalloc.h"

static unsigned qletters(const char *s)
{
	static const char table[] = "PNSFDBAY";
	unsigned bits = 0;
	for (; *s; s++) {
		const char *p = strchr(table, *s);
		if (p != NULL)
			bits |= 1u << (p - table);
	}
	return bits;
}

int main(int argc, char **argv)
{
	struct dsn_report rep;
	struct dsn_rcpt *r = NULL, *cur = NULL;
	size_t nr = 0, i, nids = 0;
	char **ids = NULL, *line = NULL, **mnames = NULL;
	size_t nmn = 0;
	size_t cap = 0;
	ssize_t len;
	sbuf xs = SBUF_INIT, err = SBUF_INIT;
	struct queue q;
	struct envelope e;
	FILE *fp;
	bool inx = false;
	int rc;

	if (argc != 5) {
		fprintf(stderr, "usage: dsntool CF QUEUEDIR ID SPEC\n");
		return 64;
	}
	Scratch = arena_new();
	log_open("dsntool");
	macros_init();
	options_init();
	maps_init();
	setupmailers();
	set_identity();
	memset(&rep, 0, sizeof rep);
	sb_init(&xs);
	sb_init(&err);
	if ((fp = fopen(argv[4], "r")) == NULL) {
		perror(argv[4]);
		return 66;
	}
	while ((len = getline(&line, &cap, fp)) >= 0) {
		char *v;
		if (inx) {
			sb_put(&xs, line, (size_t)len);
			continue;
		}
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		while (*line == ' ' && len > 0)
			memmove(line, line + 1, (size_t)len--);
		v = strchr(line, ' ');
		if (v != NULL)
			*v++ = '\0';
		else
			v = line + len;
		if (strcmp(line, "transcript") == 0) {
			inx = true;
		} else if (strcmp(line, "O") == 0) {
			setoption(' ', v, false, true);
		} else if (strcmp(line, "reason") == 0) {
			rep.reason = !strcmp(v, "warning") ? DSN_WARNING : !strcmp(v, "return") ? DSN_RETURN
				   : !strcmp(v, "receipt") ? DSN_RECEIPT : DSN_ERROR;
		} else if (strcmp(line, "now") == 0) {
			rep.now = strtol(v, NULL, 10);
		} else if (strcmp(line, "from") == 0) {
			rep.received_from = xstrdup(v);
		} else if (strcmp(line, "msgsize") == 0) {
			rep.msgsize = strtol(v, NULL, 10);
		} else if (strcmp(line, "rcpt") == 0) {
			r = xreallocarray(r, nr + 1, sizeof *r);
			cur = &r[nr++];
			memset(cur, 0, sizeof *cur);
			cur->paddr = xstrdup(v);
		} else if (cur == NULL) {
			fprintf(stderr, "dsntool: %s: \"%s\" before any rcpt\n", argv[4], line);
			return 65;
		} else if (strcmp(line, "alias") == 0) {
			cur->alias = xstrdup(v);
		} else if (strcmp(line, "action") == 0) {
			cur->action = !strcmp(v, "delayed") ? DSN_DELAYED : !strcmp(v, "delivered") ?
				DSN_DELIVERED : !strcmp(v, "relayed") ? DSN_RELAYED : !strcmp(v, "expanded") ?
				DSN_EXPANDED : DSN_FAILED;
		} else if (strcmp(line, "flags") == 0) {
			cur->qflags = qletters(v);
		} else if (strcmp(line, "status") == 0) {
			cur->status = xstrdup(v);
		} else if (strcmp(line, "rstatus") == 0) {
			cur->rstatus = xstrdup(v);
		} else if (strcmp(line, "exit") == 0) {
			cur->exitstat = atoi(v);
		} else if (strcmp(line, "final") == 0) {
			cur->finalrcpt = xstrdup(v);
		} else if (strcmp(line, "orcpt") == 0) {
			cur->orcpt = xstrdup(v);
		} else if (strcmp(line, "mailer") == 0) {
			mnames = xreallocarray(mnames, nr, sizeof *mnames);
			for (i = nmn; i < nr; i++)
				mnames[i] = NULL;
			nmn = nr;
			free(mnames[nr - 1]);
			mnames[nr - 1] = xstrdup(v);
		} else if (strcmp(line, "user") == 0) {
			cur->user = xstrdup(v);
		} else if (strcmp(line, "remote") == 0) {
			cur->remotemta = xstrdup(v);
		} else if (strcmp(line, "date") == 0) {
			cur->statdate = strtol(v, NULL, 10);
		} else {
			fprintf(stderr, "dsntool: %s: what is \"%s\"?\n", argv[4], line);
			return 65;
		}
	}
	fclose(fp);
	free(line);
	if (!readcf(argv[1], true))
		return 78;
	mailers_after_cf();
	for (i = 0; i < nr && i < nmn; i++) {
		if (mnames[i] == NULL)
			continue;
		r[i].mailer = !strcmp(mnames[i], "error") ? &ErrorMailer : mailer_find(mnames[i]);
		if (r[i].mailer == NULL) {
			fprintf(stderr, "dsntool: no mailer %s\n", mnames[i]);
			return 65;
		}
	}
	rep.rcpts = r;
	rep.nrcpts = nr;
	rep.transcript = xs.len > 0 ? xs.s : NULL;
	if (!queue_init(&q, argv[2], ".")) {
		perror(argv[2]);
		return 66;
	}
	env_init(&e);
	if (queue_read(&q, argv[3], &e, false, &err) != Q_OK) {
		fprintf(stderr, "dsntool: %s: %s\n", argv[3], err.s);
		return 66;
	}
	rc = dsn_send(&q, &e, &rep, &ids, &nids, &err);
	if (rc < 0) {
		fprintf(stderr, "dsntool: %s\n", err.s);
		return 74;
	}
	for (i = 0; i < nids; i++)
		printf("%s\n", ids[i]);
	return 0;
}
