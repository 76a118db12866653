/* diag.c -- diagnostics (see diag.h). */
#include "diag.h"
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "sbuf.h"

FILE *diag_out;
const char *diag_file;
long diag_line;
int diag_errors;
int diag_exitstat;

static FILE *out(void)
{
	return diag_out ? diag_out : stderr;
}

const char *diag_skip_codes(const char *msg, char code[4])
{
	const char *p = msg;
	size_t i, j;

	code[0] = '\0';
	if (!(isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	      isdigit((unsigned char)p[2]) && (p[3] == ' ' || p[3] == '-')))
		return msg;
	memcpy(code, p, 3);
	code[3] = '\0';
	p += 4;
	/* an enhanced status code d.ddd.ddd */
	if (isdigit((unsigned char)p[0]) && p[1] == '.') {
		i = 2;
		while (isdigit((unsigned char)p[i]))
			i++;
		if (i > 2 && p[i] == '.') {
			j = i + 1;
			while (isdigit((unsigned char)p[j]))
				j++;
			if (j > i + 1 && p[j] == ' ')
				p += j + 1;
		}
	}
	return p;
}

void syserr(const char *fmt, ...)
{
	va_list ap;
	FILE *fp = out();
	sbuf b = SBUF_INIT;
	char code[4];
	int saved = errno;
	size_t i;

	sb_init(&b);
	diag_errors++;
	if (diag_exitstat == 0)
		diag_exitstat = saved != 0 ? 71 : 70;	/* EX_OSERR : EX_SOFTWARE */
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	for (i = 0; i < b.len; i++)
		b.s[i] &= 0177;
	if (diag_file != NULL)
		fprintf(fp, "%s: line %ld: ", diag_file, diag_line);
	fprintf(fp, "%s\n", diag_skip_codes(b.s, code));
	fflush(fp);
	sb_free(&b);
	errno = saved;
}

void message(const char *fmt, ...)
{
	va_list ap;
	FILE *fp = out();

	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
}
