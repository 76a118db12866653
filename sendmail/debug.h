/* debug.h -- -d debug flags: "category.level" lists as 8.17 takes them (-d21.12,
 * -d0-99.1, -d8,21.4).  Output goes to stdout, interleaved with -bt answers. */
#ifndef DEBUG_H
#define DEBUG_H
#include <stdbool.h>

#define DEBUG_CATEGORIES 100
extern unsigned char DebugLevels[DEBUG_CATEGORIES];
#define tTd(cat, lev) ((cat) < DEBUG_CATEGORIES && DebugLevels[cat] >= (lev))

/* Apply a -d argument; a malformed one is reported and ignored. */
void debug_set(const char *spec);

#endif
