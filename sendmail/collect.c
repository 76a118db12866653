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

struct out {
	bool (*put)(void *, const void *, size_t);
	void *arg;
	bool ok;
	bool toobig;
	long maxsize;
};

static void emit(struct collected *c, struct out *o, const char *p, size_t n, bool nl)
{
	c->msgsize += (long)n + (nl ? 1 : 0);
	if (o->maxsize > 0 && c->msgsize > o->maxsize)
		c->toobig = true;
	if (c->toobig || !o->ok)
		return;
	if (n > 0 && !o->put(o->arg, p, n))
		o->ok = false;
	if (nl && o->ok && !o->put(o->arg, "\n", 1))
		o->ok = false;
}

bool collect(FILE *fp, bool ignoredots, long maxsize, struct collected *c,
	     bool (*put)(void *arg, const void *p, size_t n), void *arg)
{
	sbuf line = SBUF_INIT;
	struct out o = { put, arg, true, false, maxsize };
	bool inhdr = true, first = true;
	int r;

	memset(c, 0, sizeof *c);
	hp_init(&c->hdr);
	sb_init(&line);
	while ((r = lr_getline(fp, &line, LR_STRIP_CR)) == 1) {
		const char *l = line.s;
		size_t len = line.len;
		bool nl = !feof(fp);

		if (!ignoredots && l[0] == '.') {
			if (len == 1)
				break;
			if (l[1] == '.') {
				l++;
				len--;
			}
		}
		if (any8(l, len))
			c->has8bit = true;
		if (first && inhdr && len >= 5 && strncmp(l, "From ", 5) == 0) {
			/* a UNIX mailbox separator: taken off, its date kept */
			first = false;
			c->unixfrom = true;
			c->fromdate = from_date(sb_str(&line));
			c->msgsize += (long)len + (nl ? 1 : 0);
			continue;
		}
		first = false;
		if (inhdr && nl) {
			int k = hp_line(&c->hdr, l, len);
			if (k == HP_FIELD) {
				c->msgsize += (long)len + (nl ? 1 : 0);
				continue;
			}
			inhdr = false;
			if (k == HP_END) {
				c->msgsize += 1;
				continue;
			}
			if (k == HP_EOH) {
				/* 8.17 puts such a line at the top of the body without its line end */
				emit(c, &o, l, len, false);
				c->msgsize += nl ? 1 : 0;
				continue;
			}
		}
		if (inhdr) {
			/* an unterminated last line in the header: 8.17 counts it and keeps nothing */
			c->hdr.done = true;
			c->msgsize += (long)len;
			break;
		}
		emit(c, &o, l, len, nl);
	}
	sb_free(&line);
	if (maxsize > 0 && c->msgsize > maxsize)
		c->toobig = true;
	return r >= 0 && o.ok;
}

void collected_free(struct collected *c)
{
	hp_free(&c->hdr);
	free(c->fromdate);
	c->fromdate = NULL;
}
