/* praliases -- list alias databases (what newaliases built), all entries or the keys given.
 *
 * The databases are the AliasFile entries of the configuration (-C, default
 * /etc/mail/sendmail.cf) or the one file given with -f.  Only the O lines are read from
 * the configuration: listing needs no rules.  Keys are looked up as given (alias names are
 * stored in lower case, as newaliases writes them), with their trailing NUL. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "dbfile.h"
#include "lineread.h"
#include "sbuf.h"
#include "xalloc.h"

#define EX_USAGE 64
#define EX_NOINPUT 66

static const char *progname;

static int print_entry(const void *k, size_t kl, const void *v, size_t vl, void *arg)
{
	(void)arg;
	/* keys and values are stored with their NUL */
	if (kl > 0 && ((const char *)k)[kl - 1] == '\0')
		kl--;
	if (vl > 0 && ((const char *)v)[vl - 1] == '\0')
		vl--;
	fwrite(k, 1, kl, stdout);
	putchar(':');
	fwrite(v, 1, vl, stdout);
	putchar('\n');
	return 0;
}

/* list one "[class:]file" database */
static void list_db(const char *spec, char **keys, int nkeys)
{
	const char *file = spec, *colon = strchr(spec, ':');
	enum dbf_kind kind = DBF_HASH;
	sbuf path = SBUF_INIT, val = SBUF_INIT;
	dbfile *db;
	int i;

	if (colon != NULL && (strchr(spec, '/') == NULL || colon < strchr(spec, '/'))) {
		if (strncasecmp(spec, "btree:", 6) == 0)
			kind = DBF_BTREE;
		file = colon + 1;
	}
	sb_init(&path);
	sb_init(&val);
	sb_puts(&path, file);
	if (!(path.len > 3 && strcmp(path.s + path.len - 3, ".db") == 0))
		sb_puts(&path, ".db");
	db = dbf_open_read(path.s, kind, NULL);
	if (db == NULL && kind == DBF_HASH)
		db = dbf_open_read(path.s, DBF_BTREE, NULL);
	if (db == NULL) {
		fprintf(stderr, "%s: %s: open: Unknown database type\n", progname, file);
		goto out;
	}
	if (nkeys == 0)
		dbf_walk(db, print_entry, NULL);
	for (i = 0; i < nkeys; i++) {
		size_t kl = strlen(keys[i]);
		int r = dbf_get(db, keys[i], kl + 1, &val);
		if (r != 1)
			r = dbf_get(db, keys[i], kl, &val);
		if (r == 1)
			print_entry(keys[i], kl, val.s, val.len, NULL);
		else
			printf("%s: No such key\n", keys[i]);
	}
	dbf_close(db);
out:
	sb_free(&path);
	sb_free(&val);
}

/* the AliasFile value(s) of a configuration file */
static int alias_specs(const char *cf, sbuf *specs)
{
	FILE *fp = fopen(cf, "r");
	sbuf line = SBUF_INIT;

	if (fp == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, cf, strerror(errno));
		return -1;
	}
	sb_init(&line);
	while (lr_getline(fp, &line, LR_STRIP_CR) > 0) {
		const char *v = NULL;
		if (strncmp(line.s, "OA", 2) == 0)
			v = line.s + 2;
		else if (line.s[0] == 'O' && isspace((unsigned char)line.s[1])) {
			const char *p = line.s + 1;
			while (isspace((unsigned char)*p))
				p++;
			if (strncasecmp(p, "AliasFile", 9) == 0) {
				p += 9;
				while (isspace((unsigned char)*p))
					p++;
				if (*p == '=')
					v = p + 1;
			}
		}
		if (v == NULL)
			continue;
		while (isspace((unsigned char)*v))
			v++;
		if (specs->len > 0)
			sb_putc(specs, ',');
		sb_puts(specs, v);
	}
	sb_free(&line);
	fclose(fp);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cf = "/etc/mail/sendmail.cf", *file = NULL;
	sbuf specs = SBUF_INIT;
	char *copy, *p, *item;
	int c;

	progname = argv[0];
	while ((c = getopt(argc, argv, "C:f:")) != -1) {
		switch (c) {
		case 'C': cf = optarg; break;
		case 'f': file = optarg; break;
		default:
			fprintf(stderr, "usage: praliases [-C cffile] [-f aliasfile] [key ...]\n");
			return EX_USAGE;
		}
	}
	sb_init(&specs);
	if (file != NULL)
		sb_puts(&specs, file);
	else if (alias_specs(cf, &specs) < 0)
		return EX_NOINPUT;
	copy = xstrdup(specs.s);
	for (p = copy; p != NULL;) {
		item = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
		while (isspace((unsigned char)*item))
			item++;
		if (*item != '\0')
			list_db(item, argv + optind, argc - optind);
	}
	free(copy);
	sb_free(&specs);
	return 0;
}
