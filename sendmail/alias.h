/* alias.h -- alias databases: the maps AliasFile names, and the "aliases" map over them. */
#ifndef ALIAS_H
#define ALIAS_H
#include <stdbool.h>

/* Declare Alias0..AliasN from the AliasFile option ("[class:]file,..."), "aliases.files"
 * as the sequence of them, and "aliases" as the switch over the aliases service, unless
 * the configuration declared those names itself. */
void alias_maps_init(void);

struct map;
/* Read the text alias file of map, parsing each name as a local recipient, and hand each
 * (name, value) to store.  Errors name the file and line; the totals are announced as 8.17
 * does ("file: N aliases, longest L bytes, T bytes total") when announce is set.  False if
 * the file cannot be opened. */
bool alias_readtext(struct map *map, bool announce,
		    void (*store)(struct map *map, const char *lhs, const char *rhs));

/* newaliases (-bi): rebuild every AliasFile database from its text; the exit status */
int alias_rebuild(void);

#endif
