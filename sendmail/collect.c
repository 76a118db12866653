/* collect.c -- reading a message from a local program (see collect.h). */
#include "collect.h"
#include <stdlib.h>
#include <string.h>
#include "lineread.h"
#include "xalloc.h"

static bool any8(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] & 0x80)
			return true;
	return false;
}

/* the ctime-style date in a UNIX "From " line: from a day name followed by a month name */
static char *from_date(const char *l)
{
	static const char *const days[] = { "Sun ", "Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat " };
	static const char *const months = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *p;
	size_t i;

	for (p = l; *p != '\0'; p++)
		for (i = 0; i < 7; i++)
			if (strncmp(p, days[i], 4) == 0 && strlen(p) >= 24) {
				const char *m = strstr(months, (char[4]){ p[4], p[5], p[6], '\0' });
				if (m != NULL && (m - months) % 3 == 0)
					return xstrdup(p);
			}
	return NULL;
}

static void emit(struct collector *k, const char *p, size_t n, bool nl)
{
	struct collected *c = k->c;

	c->msgsize += (long)n + (nl ? 1 : 0);
	if (k->maxsize > 0 && c->msgsize > k->maxsize)
		c->toobig = true;
	if (c->toobig || !k->ok)
		return;
	if (n > 0 && !k->put(k->arg, p, n))
		k->ok = false;
	if (nl && k->ok && !k->put(k->arg, "\n", 1))
		k->ok = false;
}

void collector_init(struct collector *k, struct collected *c, long maxsize,
		    bool (*put)(void *arg, const void *p, size_t n), void *arg)
{
	memset(c, 0, sizeof *c);
	hp_init(&c->hdr);
	k->c = c;
	k->put = put;
	k->arg = arg;
	k->maxsize = maxsize;
	k->ok = true;
	k->inhdr = true;
	k->first = true;
	k->stop = false;
}

void collector_line(struct collector *k, const char *l, size_t len, bool nl)
{
	struct collected *c = k->c;

	if (k->stop)
		return;
	if (any8(l, len))
		c->has8bit = true;
	if (k->first && k->inhdr && len >= 5 && strncmp(l, "From ", 5) == 0) {
		/* a UNIX mailbox separator: taken off, its date kept */
		char *copy = xstrndup(l, len);
		k->first = false;
		c->unixfrom = true;
		c->fromdate = from_date(copy);
		free(copy);
		c->msgsize += (long)len + (nl ? 1 : 0);
		return;
	}
	k->first = false;
	if (k->inhdr && nl) {
		int r = hp_line(&c->hdr, l, len);
		if (r == HP_FIELD) {
			c->msgsize += (long)len + 1;
			return;
		}
		k->inhdr = false;
		if (r == HP_END) {
			c->msgsize += 1;
			return;
		}
		if (r == HP_EOH) {
			/* 8.17 puts such a line at the top of the body without its line end */
			emit(k, l, len, false);
			c->msgsize += 1;
			return;
		}
	}
	if (k->inhdr) {
		/* an unterminated last line in the header: 8.17 counts it and keeps nothing */
		c->hdr.done = true;
		c->msgsize += (long)len;
		k->stop = true;
		return;
	}
	emit(k, l, len, nl);
}

bool collector_done(struct collector *k)
{
	if (k->maxsize > 0 && k->c->msgsize > k->maxsize)
		k->c->toobig = true;
	return k->ok;
}

bool collect(FILE *fp, bool ignoredots, long maxsize, struct collected *c,
	     bool (*put)(void *arg, const void *p, size_t n), void *arg)
{
	sbuf line = SBUF_INIT;
	struct collector k;
	int r;

	collector_init(&k, c, maxsize, put, arg);
	sb_init(&line);
	while ((r = lr_getline(fp, &line, LR_STRIP_CR)) == 1) {
		const char *l = line.s;
		size_t len = line.len;

		if (!ignoredots && l[0] == '.') {
			if (len == 1)
				break;
			if (l[1] == '.') {
				l++;
				len--;
			}
		}
		collector_line(&k, l, len, !feof(fp));
	}
	sb_free(&line);
	return collector_done(&k) && r >= 0;
}

void collected_free(struct collected *c)
{
	hp_free(&c->hdr);
	free(c->fromdate);
	c->fromdate = NULL;
}
