/* rewrite.h -- running rulesets over token vectors. */
#ifndef REWRITE_H
#define REWRITE_H
#include "mta.h"

/* Rewrite pvp (NULL terminated, room for MAXATOM + 1 pointers) in place by ruleset rs.
 * Returns EX_OK or an error status (EX_TEMPFAIL from a map, EX_CONFIG, EX_DATAERR ...).
 * In address test mode each ruleset's input and result are printed. */
int rewrite(char **pvp, int rs, int reclevel, int maxatom);

extern bool TraceRules;		/* print "name input:/returns:" lines (address test mode) */

#endif
