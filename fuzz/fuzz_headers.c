/* fuzz_headers.c -- fuzz target: the input is a message as a local program would hand it to
 * `sendmail -t` (or its DATA part, dots already undone).
 *
 * It is read twice by collect() (stdin's reader, with and without IgnoreDots), then fed
 * line by line to the collector SMTP DATA uses; the fields found go through what submission
 * does with them: -t's address lists (split_addrlist, bare_address), hop count, Resent-,
 * full-name quoting, and the H-record layout (headers_to_envelope) under a set of
 * configured defaults like a generated cf's (with ?flags? and a ${macro} condition), whose
 * qf text is then formatted.  No configuration file is read and no file is written.  The
 * Scratch arena is emptied after each input, so this target runs in-process under
 * libFuzzer. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "address.h"
#include "collect.h"
#include "conf.h"
#include "diag.h"
#include "headers.h"
#include "macro.h"
#include "mailer.h"
#include "map.h"
#include "queue.h"
#include "sandbox.h"

static struct hdrdef *mkdef(struct hdrdef *next, const char *name, const char *flags,
			    const char *macro, const char *value)
{
	struct hdrdef *d = calloc(1, sizeof *d);
	sbuf v = SBUF_INIT;

	if (d == NULL)
		abort();
	sb_init(&v);
	translate_dollars(value, &v);
	d->name = strdup(name);
	d->value = sb_steal(&v);
	for (; *flags != '\0'; flags++)
		setbitn(*flags, d->flags);
	d->macro = macro != NULL ? macid(macro) : 0;
	d->next = next;
	return d;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct hdrdef *d = NULL;

	(void)argc;
	(void)argv;
	Scratch = arena_new();
	macros_init();
	options_init();
	maps_init();
	setupmailers();
	diag_out = fuzz_devnull();
	/* the defaults of a generated configuration, last first */
	d = mkdef(d, "X-Conditional", "", "{daemon_flags}", "yes $j");
	d = mkdef(d, "Message-Id", "M", NULL, "<$t.$i@$j>");
	d = mkdef(d, "Resent-Message-Id", "M", NULL, "<$t.$i@$j>");
	d = mkdef(d, "Full-Name", "x", NULL, "$x");
	d = mkdef(d, "From", "F", NULL, "$?x$x <$g>$|$g$.");
	d = mkdef(d, "Resent-From", "F", NULL, "$?x$x <$g>$|$g$.");
	d = mkdef(d, "Date", "D", NULL, "$a");
	d = mkdef(d, "Received", "", NULL, "$?sfrom $s $.by $j id $i$?u\n\tfor $u$.; $b");
	d = mkdef(d, "Return-Path", "P", NULL, "<$g>");
	HeaderDefs = d;
	macdefine('j', "mail.example.com");
	macdefine('g', "sender@example.org");
	macdefine('i', "6AL9ABCD000001");
	return 0;
}

static bool sink(void *arg, const void *p, size_t n)
{
	size_t *total = arg;
	(void)p;
	*total += n;
	return true;
}

static void use_fields(const struct hparse *h)
{
	struct envelope e;
	struct hdrctx ctx;
	const char *warn[1] = { "mail.example.com: nobody set sender to x using -f" };
	const char *rcpts[2] = { "a@example.org", "Joe <b@example.org>" };
	sbuf out = SBUF_INIT;
	size_t i, k;

	for (i = 0; i < h->n; i++) {
		unsigned info = header_info(h->f[i].name);
		if (info & (HI_RCPT | HI_FROM)) {
			char **v;
			size_t n = split_addrlist(h->f[i].value, &v);
			for (k = 0; k < n; k++) {
				free(bare_address(v[k]));
				free(v[k]);
			}
			free(v);
		}
		if (strcasecmp(h->f[i].name, "Full-Name") == 0) {
			char *q = fullname_quote(h->f[i].value);
			macdefine('x', q);
			free(q);
		}
	}
	(void)hp_hopcount(h);
	(void)hp_resent(h);
	(void)hp_has_visible_rcpt(h);
	memset(&ctx, 0, sizeof ctx);
	ctx.warnings = warn;
	ctx.nwarnings = 1;
	ctx.norcpt_action = "add-to";
	ctx.rcpts = rcpts;
	ctx.nrcpts = 2;
	env_init(&e);
	header_macros("6AL9ABCD000001", 1795252011, NULL);
	headers_to_envelope(&e, h, &ctx);
	sb_init(&out);
	qf_format(&e, &out);
	sb_free(&out);
	env_free(&e);
	macdefine('x', NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct collected c;
	struct collector k;
	size_t total = 0, start, i;
	int dots;

	for (dots = 0; dots < 2; dots++) {
		FILE *fp = fmemopen((void *)data, size, "r");
		if (fp == NULL)
			return 0;
		collect(fp, dots, dots ? 0 : 200, &c, sink, &total);
		fclose(fp);
		if (c.fromdate != NULL)
			header_macros("6AL9ABCD000001", 1795252011, c.fromdate);
		use_fields(&c.hdr);
		collected_free(&c);
	}
	collector_init(&k, &c, 0, sink, &total);
	for (start = i = 0; i <= size; i++)
		if (i == size || data[i] == '\n') {
			collector_line(&k, (const char *)data + start, i - start, i < size);
			start = i + 1;
		}
	collector_done(&k);
	use_fields(&c.hdr);
	collected_free(&c);
	arena_reset(Scratch);
	return 0;
}
