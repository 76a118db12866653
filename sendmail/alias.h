/* alias.h -- alias databases: the maps AliasFile names, and the "aliases" map over them. */
#ifndef ALIAS_H
#define ALIAS_H

/* Declare Alias0..AliasN from the AliasFile option ("[class:]file,..."), "aliases.files"
 * as the sequence of them, and "aliases" as the switch over the aliases service, unless
 * the configuration declared those names itself. */
void alias_maps_init(void);

#endif
