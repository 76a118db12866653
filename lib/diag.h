/* diag.h -- diagnostics: where messages for the operator go.
 * Configuration errors name their place ("file: line N: message", as sendmail prints them);
 * the output stream is stdout in the interactive modes (address test mode shows errors inline
 * with answers, as 8.17 does) and stderr elsewhere. */
#ifndef DIAG_H
#define DIAG_H
#include <stdio.h>

extern FILE *diag_out;		/* where syserr/usrerr text goes; default stderr */
extern const char *diag_file;	/* current configuration file, or NULL */
extern long diag_line;		/* its current line number */
extern int diag_errors;		/* count of errors reported so far */

/* A configuration or system error: prefixed with "file: line N: " when a file is being read. */
void syserr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A message without the file/line prefix. */
void message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
