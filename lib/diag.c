/* diag.c -- diagnostics (see diag.h). */
#include "diag.h"
#include <stdarg.h>

FILE *diag_out;
const char *diag_file;
long diag_line;
int diag_errors;

static FILE *out(void)
{
	return diag_out ? diag_out : stderr;
}

void syserr(const char *fmt, ...)
{
	va_list ap;
	FILE *fp = out();

	diag_errors++;
	if (diag_file != NULL)
		fprintf(fp, "%s: line %ld: ", diag_file, diag_line);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
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
