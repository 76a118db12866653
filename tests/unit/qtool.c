/* qtool.c -- the queue module driven from the command line, for tests/queue-diff.t.
 *
 *   qtool enqueue DIR RECORD... < body   build an envelope through the envelope API (one
 *                                       argument per qf record: "Ssender", "RPN:addr",
 *                                       "H?P?Return-Path: <...>", "$rESMTP", "C:ctl", ...)
 *                                       and queue it with the durable writer; prints the id
 *   qtool roundtrip FILE                 parse a qf and print it as we write it
 *   qtool lock DIR ID SECONDS            hold the qf of ID locked, as a queue runner does
 *   qtool read DIR ID                    lock and read: exit 0 read, 3 locked, 2 missing
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "diag.h"
#include "queue.h"
#include "xalloc.h"

static unsigned letters(const char *s, size_t n, const char *table)
{
	unsigned bits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *p = strchr(table, s[i]);
		if (p == NULL || s[i] == '\0') {
			fprintf(stderr, "qtool: unknown flag %c\n", s[i]);
			exit(64);
		}
		bits |= 1u << (p - table);
	}
	return bits;
}

static int enqueue(const char *dir, char **args)
{
	struct queue q;
	struct envelope e;
	sbuf body = SBUF_INIT, err = SBUF_INIT;
	char *ctl = NULL, *orcpt = NULL, *final = NULL, buf[65536];
	size_t n;

	if (!queue_init(&q, dir, NULL)) {
		perror(dir);
		return 1;
	}
	env_init(&e);
	for (; *args != NULL; args++) {
		char *a = *args, *v = a + 1;
		switch (a[0]) {
		case 'T': e.ctime = strtol(v, NULL, 10); break;
		case 'K': e.dtime = strtol(v, NULL, 10); break;
		case 'N': e.ntries = strtol(v, NULL, 10); break;
		case 'P': e.priority = strtol(v, NULL, 10); break;
		case 'd': e.dfqueue = xstrdup(v); break;
		case 'I': e.dfino = xstrdup(v); break;
		case 'B': e.bodytype = xstrdup(v); break;
		case 'q': e.quarmsg = xstrdup(v); break;
		case 'M': e.statmsg = xstrdup(v); break;
		case 'F': e.flags = letters(v, strlen(v), "wr8bdnse"); break;
		case 'S': e.sender = xstrdup(v); break;
		case 'Z': e.envid = xstrdup(v); break;
		case 'A': e.auth = xstrdup(v); break;
		case '!': e.deliverby = xstrdup(v); break;
		case '$': {
			size_t len = 1;
			char *name;
			if (*v == '{' && strchr(v, '}') != NULL)
				len = (size_t)(strchr(v, '}') - v) + 1;
			name = xstrndup(v, len);
			env_set_macro(&e, name, v + len);
			free(name);
			break;
		}
		case 'C': free(ctl); ctl = *v != '\0' ? xstrdup(v) : NULL; break;
		case 'Q': free(orcpt); orcpt = xstrdup(v); break;
		case 'r': free(final); final = xstrdup(v); break;
		case 'R': {
			char *colon = strchr(v, ':');
			struct qrcpt *r;
			if (colon == NULL) {
				fprintf(stderr, "qtool: R needs flags: %s\n", a);
				return 64;
			}
			r = env_add_rcpt(&e, colon + 1, letters(v, (size_t)(colon - v), "PNSFDBAY"));
			r->ctladdr = ctl != NULL ? xstrdup(ctl) : NULL;
			r->orcpt = orcpt;
			r->finalrcpt = final;
			orcpt = final = NULL;
			break;
		}
		case 'H': {
			char *cond = NULL, *name = v, *colon;
			if (*v == '?' && strchr(v + 1, '?') != NULL) {
				cond = v + 1;
				name = strchr(v + 1, '?');
				*name++ = '\0';
			}
			colon = strchr(name, ':');
			if (colon == NULL) {
				fprintf(stderr, "qtool: bad header %s\n", a);
				return 64;
			}
			*colon = '\0';
			env_add_header(&e, cond, name, colon + 1);
			break;
		}
		default:
			fprintf(stderr, "qtool: unknown record %s\n", a);
			return 64;
		}
	}
	free(ctl);
	free(orcpt);
	free(final);
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
		sb_put(&body, buf, n);
	if (queue_enqueue(&q, &e, body.s != NULL ? body.s : "", body.len, &err) != Q_OK) {
		fprintf(stderr, "qtool: %s\n", err.s);
		return 1;
	}
	printf("%s\n", e.id);
	env_free(&e);
	queue_free(&q);
	sb_free(&body);
	sb_free(&err);
	return 0;
}

static int roundtrip(const char *file)
{
	struct envelope e;
	sbuf out = SBUF_INIT, err = SBUF_INIT;
	FILE *fp = fopen(file, "r");
	int rc;

	if (fp == NULL) {
		perror(file);
		return 1;
	}
	env_init(&e);
	rc = qf_parse(fp, &e, &err);
	fclose(fp);
	if (err.len > 0)
		fprintf(stderr, "%s: %s\n", file, err.s);
	if (rc != Q_OK)
		return 1;
	qf_format(&e, &out);
	fwrite(out.s, 1, out.len, stdout);
	env_free(&e);
	sb_free(&out);
	sb_free(&err);
	return 0;
}

static int readlock(const char *dir, const char *id, int seconds)
{
	struct queue q;
	struct envelope e;
	sbuf err = SBUF_INIT;
	int rc;

	if (!queue_init(&q, dir, NULL)) {
		perror(dir);
		return 1;
	}
	env_init(&e);
	rc = queue_read(&q, id, &e, true, &err);
	if (rc == Q_OK && seconds > 0) {
		printf("locked\n");
		fflush(stdout);
		sleep((unsigned)seconds);
	}
	if (rc == Q_ERROR)
		fprintf(stderr, "qtool: %s\n", err.s);
	env_free(&e);
	queue_free(&q);
	sb_free(&err);
	return rc == Q_OK ? 0 : rc == Q_LOCKED ? 3 : rc == Q_NOTFOUND ? 2 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "enqueue") == 0)
		return enqueue(argv[2], argv + 3);
	if (argc == 3 && strcmp(argv[1], "roundtrip") == 0)
		return roundtrip(argv[2]);
	if (argc == 5 && strcmp(argv[1], "lock") == 0)
		return readlock(argv[2], argv[3], atoi(argv[4]));
	if (argc == 4 && strcmp(argv[1], "read") == 0)
		return readlock(argv[2], argv[3], 0);
	fprintf(stderr, "usage: qtool enqueue DIR RECORD... | roundtrip FILE | lock DIR ID SECONDS | "
		"read DIR ID\n");
	return 64;
}
