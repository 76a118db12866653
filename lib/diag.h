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
extern int diag_exitstat;	/* exit status the first error calls for (0: none yet) */

/* The text of an SMTP-style message without its reply code ("553 ") and enhanced status
 * code ("5.1.1 "); the reply code is copied to code ("" if none). */
const char *diag_skip_codes(const char *msg, char code[4]);

/* A configuration or system error: prefixed with "file: line N: " when a file is being read. */
void syserr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A message without the file/line prefix. */
void message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
