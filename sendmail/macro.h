/* macro.h -- macros: names, values and expansion.
 * A macro is named by one byte: a character ($x), or an id from 0240 up that a long name
 * (${name}) was given on first use.  Values are kept in the internal form (MACROEXPAND
 * bytes for nested references), and expanded when used: at read time for R, S, K, C and
 * F lines, lazily for D values, at rewrite time for $&x. */
#ifndef MACRO_H
#define MACRO_H
#include "mta.h"

void macros_init(void);
/* Parse a macro name at p ("x" or "{name}"); *ep is set past it.  0 on error (reported). */
int macid_parse(const char *p, const char **ep);
/* The id of a name given alone ("x" or "{name}"), 0 if invalid. */
int macid(const char *p);
/* The printable name of an id: "x" or the long name (without braces). */
const char *macname(int id);
void macdefine(int id, const char *value);	/* NULL undefines; value is copied */
const char *macvalue(int id);
/* Remember every value now; macros_rollback() brings them back (a session process of the
 * daemon between two connections). */
void macros_checkpoint(void);
void macros_rollback(void);
/* Expand the internal string s into out (replacing its contents). */
void expand(const char *s, sbuf *out);
/* The cf reader's conversion of "$x" text into the internal form (also used by -bt .D). */
void translate_dollars(const char *in, sbuf *out);

#endif
