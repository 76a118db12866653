/* token.h -- the address tokenizer and token-vector helpers.
 * prescan() splits text into tokens by a table of character types (operator, atom, quoted
 * string, space, take-one, illegal), following 8.17's rules exactly: which table applies
 * (external addresses, internal strings, rule text) decides whether parentheses are
 * comments and whether meta bytes are operators. */
#ifndef TOKEN_H
#define TOKEN_H
#include <stdio.h>
#include "mta.h"

enum toktab { TT_EXTERNAL, TT_INTERNAL, TT_NOCOMMENT };

/* Set the operator characters (OperatorChars plus the fixed delimiters). */
void token_set_operators(const char *opchars);
bool token_operators_set(void);

/* Tokenize addr up to delim (or NUL).  Tokens are allocated in `a`; the vector (NULL
 * terminated, at most MAXATOM tokens) is written to av.  *delimptr (if not NULL) is set to
 * the delimiter position.  Returns av, or NULL after reporting an error.  `ignore`
 * (for rule text) skips the patching-up of unbalanced quotes, comments and brackets. */
char **prescan(const char *addr, int delim, char **av, arena *a, const char **delimptr,
	       enum toktab table, bool ignore);

/* Print one token as 8.17 prints it (metasymbols as $x, long names as ${name}). */
void xputs(FILE *fp, const char *s);
void xputs_sb(sbuf *b, const char *s);
/* Print " tok" for each token, then a newline. */
void printav(FILE *fp, char **av);

/* Join tokens first..last (last NULL = to the end) into b, with `spacesub` between two
 * atoms (0 = nothing), as 8.17's cataddr does. */
void cataddr(char **first, char **last, sbuf *b, int spacesub, bool external);

size_t vec_len(char **av);
/* 8.17's checks on input before it is tokenized: control and 8-bit characters. */
bool invalidaddr(char *addr, char *delimptr, bool isrcpt);
extern int SpaceSub;		/* BlankSub: what joins two atoms when tokens are put together */

/* strip quotes and backslashes from a string in place (stripquotes) */
void stripquotes(char *s);

extern const char *CurAddr;	/* the address being parsed, for error messages */
/* an address error (usrerr): printed as "addr... message" with the SMTP code stripped */
void usrerr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int ExitStat;
/* When set (SMTP server), usrerr hands each message here instead of printing it: the reply
 * code ("" if none), the enhanced status code given ("" if none) and the text with the
 * address prefix. */
extern void (*usrerr_hook)(const char *code, const char *enh, const char *text);
/* s, or its first and last parts around "..." when it is m bytes or longer */
#define MAXSHORTSTR 203
void shortenstring(sbuf *out, const char *s, size_t m);

#endif
