/* t_sbuf.c -- the string buffer, line reader and arena. */
#include <stdio.h>
#include <string.h>
#include "arena.h"
#include "lineread.h"
#include "sbuf.h"
#include "tap.h"
#include "xalloc.h"

int main(void)
{
	sbuf b = SBUF_INIT;
	arena *a;
	FILE *fp;
	int i, r;
	char *big, *p;

	sb_init(&b);
	tap_is_str(sb_str(&b), "", "a new buffer is empty");
	sb_puts(&b, "abc");
	sb_putc(&b, 'd');
	sb_printf(&b, "-%d-%s", 42, "x");
	tap_is_str(b.s, "abcd-42-x", "puts, putc and printf append");
	tap_is_int((long)b.len, 9, "length follows");
	sb_put(&b, "\0z", 2);
	tap_is_int((long)b.len, 11, "embedded NUL bytes are kept");
	tap_ok(b.s[b.len] == '\0', "always terminated");
	sb_truncate(&b, 3);
	tap_is_str(b.s, "abc", "truncate");
	sb_reset(&b);
	for (i = 0; i < 100000; i++)
		sb_putc(&b, 'a' + i % 26);
	tap_is_int((long)b.len, 100000, "grows to any size");
	p = sb_steal(&b);
	tap_ok(p[99999] == 'a' + 99999 % 26 && b.len == 0, "steal hands the storage over");
	free(p);

	fp = tmpfile();
	big = xmalloc(70001);
	memset(big, 'x', 70000);
	big[70000] = '\0';
	fprintf(fp, "one\r\ntwo\n%s\nnul\001", big);
	fputc('\0', fp);
	fputs("end", fp);
	rewind(fp);
	r = lr_getline(fp, &b, LR_STRIP_CR);
	tap_ok(r == 1 && strcmp(b.s, "one") == 0, "CR LF line with the CR stripped");
	r = lr_getline(fp, &b, 0);
	tap_is_str(b.s, "two", "plain line");
	r = lr_getline(fp, &b, 0);
	tap_ok(r == 1 && b.len == 70000, "a 70000-byte line is read whole");
	r = lr_getline(fp, &b, 0);
	tap_ok(r == 1 && b.len == 8 && b.s[3] == '\001' && b.s[4] == '\0', "last line without newline, NUL kept");
	r = lr_getline(fp, &b, 0);
	tap_is_int(r, 0, "then end of file");
	fclose(fp);
	free(big);
	sb_free(&b);

	a = arena_new();
	p = arena_strdup(a, "hello");
	tap_is_str(p, "hello", "arena copies strings");
	for (i = 0; i < 10000; i++)
		arena_alloc(a, 100);
	p = arena_alloc(a, 1 << 20);
	memset(p, 1, 1 << 20);
	tap_ok(1, "arena takes large and many allocations");
	arena_reset(a);
	p = arena_strndup(a, "abcdef", 3);
	tap_is_str(p, "abc", "usable after reset");
	arena_free(a);
	tap_is_int((long)size_add(1, 2), 3, "size_add");
	tap_is_int((long)size_mul(6, 7), 42, "size_mul");
	return tap_done();
}
