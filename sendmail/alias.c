/* alias.c -- alias databases (see alias.h).  Each AliasFile entry becomes a map of its
 * own class (implicit by default); lookups through "aliases" follow the service switch,
 * so "files" means the AliasFile maps in the order given. */
#include <ctype.h>
#include <string.h>
#include "alias.h"
#include "conf.h"
#include "diag.h"
#include "map.h"
#include "sbuf.h"
#include "xalloc.h"

void alias_maps_init(void)
{
	const char *spec = option_value("AliasFile");
	sbuf members = SBUF_INIT, decl = SBUF_INIT;
	char *copy, *p, *item;
	int n = 0;

	sb_init(&members);
	sb_init(&decl);
	copy = xstrdup(spec != NULL ? spec : "");
	for (p = copy; p != NULL && *p != '\0';) {
		char *colon, *cls = "implicit", *file;
		char name[32];

		item = p;
		p = strchr(p, ',');
		if (p != NULL)
			*p++ = '\0';
		while (isspace((unsigned char)*item))
			item++;
		if (*item == '\0')
			continue;
		file = item;
		colon = strchr(item, ':');
		/* "class:file"; a colon after a slash belongs to the file name */
		if (colon != NULL && (strchr(item, '/') == NULL || colon < strchr(item, '/'))) {
			*colon = '\0';
			cls = item;
			file = colon + 1;
		}
		snprintf(name, sizeof name, "Alias%d", n++);
		if (mapclass_find(cls) == NULL) {
			syserr("setalias: unknown alias class %s", cls);
			continue;
		}
		sb_reset(&decl);
		sb_printf(&decl, "%s %s %s", name, cls, file);
		if (makemapentry(decl.s)) {
			MAP *m = map_find(name);
			if (m != NULL)
				m->mflags |= MF_ALIAS;
			if (members.len > 0)
				sb_putc(&members, ',');
			sb_puts(&members, name);
		}
	}
	free(copy);
	if (map_find("aliases.files") == NULL) {
		sb_reset(&decl);
		sb_printf(&decl, "aliases.files sequence %s", members.s);
		makemapentry(decl.s);
	}
	if (map_find("aliases") == NULL)
		makemapentry("aliases switch aliases");
	sb_free(&members);
	sb_free(&decl);
}
