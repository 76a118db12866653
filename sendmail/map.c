/* map.c -- the map framework: K line declarations, the common flags, lazy opening, the
 * lookup as rules perform it, and the result rewriting (%0..%9, -a) shared by every
 * class.  The classes themselves live in map_*.c. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "conf.h"
#include "diag.h"
#include "map.h"
#include "stab.h"
#include "token.h"
#include "xalloc.h"

/* every map declared, for closing them all without walking the symbol table */
static MAP **AllMaps;
static size_t NAllMaps;

void makelower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)lower_c((unsigned char)*s);
}

void mapclass_register(const MAPCLASS *mc)
{
	STAB *s = stab(mc->name, ST_MAPCLASS, ST_ENTER);
	s->v.mapclass = mc;
}

const MAPCLASS *mapclass_find(const char *name)
{
	STAB *s = stab(name, ST_MAPCLASS, ST_FIND);
	return s != NULL ? s->v.mapclass : NULL;
}

MAP *map_find(const char *name)
{
	STAB *s = stab(name, ST_MAP, ST_FIND);
	return s != NULL ? s->v.map : NULL;
}

int map_next_flag(char **pp)
{
	char *p = *pp;
	int c;

	while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
		p++;
	if (*p != '-') {
		*pp = p;
		return -1;
	}
	c = (unsigned char)*++p;
	if (c != '\0')
		p++;
	*pp = p;
	return c;
}

bool map_parseargs(MAP *map, char *p)
{
	map->mflags |= MF_TRY0NULL | MF_TRY1NULL;
	map->spacesub = SpaceSub;
	for (;;) {
		while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
			p++;
		if (*p != '-')
			break;
		switch (*++p) {
		case 'A': map->mflags |= MF_APPEND; break;
		case 'a': map->app = ++p; break;
		case 'D': map->mflags |= MF_DEFER; break;
		case 'd': {
			char *h;
			++p;
			h = strchr(p, ' ');
			if (h != NULL)
				*h = '\0';
			map->timeout = convtime(p, 's');
			if (h != NULL)
				*h = ' ';
			break;
		}
		case 'f': map->mflags |= MF_NOFOLDCASE; break;
		case 'k':
			while (isascii((unsigned char)*++p) && isspace((unsigned char)*p))
				;
			map->keycolnm = p;
			break;
		case 'm': map->mflags |= MF_MATCHONLY; break;
		case 'N':
			map->mflags |= MF_INCLNULL;
			map->mflags &= ~MF_TRY0NULL;
			break;
		case 'O': map->mflags &= ~MF_TRY1NULL; break;
		case 'o': map->mflags |= MF_OPTIONAL; break;
		case 'q': map->mflags |= MF_KEEPQUOTES; break;
		case 'S': map->spacesub = (unsigned char)*++p; break;
		case 'T': map->tapp = ++p; break;
		case 't': map->mflags |= MF_NODEFER; break;
		case 'v':
			while (isascii((unsigned char)*++p) && isspace((unsigned char)*p))
				;
			map->valcolnm = p;
			break;
		case 'z':
			if (*++p != '\\')
				map->coldelim = *p;
			else {
				switch (*++p) {
				case 'n': map->coldelim = '\n'; break;
				case 't': map->coldelim = '\t'; break;
				default: map->coldelim = '\\'; break;
				}
			}
			break;
		default:
			syserr("Illegal option %c map %s", *p, map->mname);
			break;
		}
		while (*p != '\0' && !(isascii((unsigned char)*p) && isspace((unsigned char)*p)))
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	if (map->app != NULL)
		map->app = xstrdup(map->app);
	if (map->tapp != NULL)
		map->tapp = xstrdup(map->tapp);
	if (map->keycolnm != NULL)
		map->keycolnm = xstrdup(map->keycolnm);
	if (map->valcolnm != NULL)
		map->valcolnm = xstrdup(map->valcolnm);
	if (*p != '\0') {
		char *f = p;
		while (*p != '\0' && !(isascii((unsigned char)*p) && isspace((unsigned char)*p)))
			p++;
		if (*p != '\0')
			*p++ = '\0';
		map->file = xstrdup(f);
	}
	while (*p != '\0' && isascii((unsigned char)*p) && isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		map->rebuild = xstrdup(p);
	if (map->file == NULL && !(map->class->cflags & MCF_OPTFILE)) {
		syserr("No file name for %s map %s", map->class->name, map->mname);
		return false;
	}
	return true;
}

bool makemapentry(const char *line)
{
	char *copy = xstrdup(line), *p = copy, *mapname, *classname;
	const MAPCLASS *mc;
	STAB *s;
	MAP *map;
	bool ok = false;

	while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
		p++;
	if (!(isascii((unsigned char)*p) && isalnum((unsigned char)*p))) {
		syserr("readcf: config K line: no map name");
		goto out;
	}
	mapname = p;
	while ((isascii((unsigned char)*++p) && isalnum((unsigned char)*p)) || *p == '_' || *p == '.')
		;
	if (*p != '\0')
		*p++ = '\0';
	while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
		p++;
	if (!(isascii((unsigned char)*p) && isalnum((unsigned char)*p))) {
		syserr("readcf: config K line, map %s: no map class", mapname);
		goto out;
	}
	classname = p;
	while (isascii((unsigned char)*++p) && isalnum((unsigned char)*p))
		;
	if (*p != '\0')
		*p++ = '\0';
	while (isascii((unsigned char)*p) && isspace((unsigned char)*p))
		p++;
	mc = mapclass_find(classname);
	if (mc == NULL) {
		syserr("readcf: map %s: class %s not available", mapname, classname);
		goto out;
	}
	s = stab(mapname, ST_MAP, ST_ENTER);
	if (s->v.map == NULL) {
		s->v.map = xcalloc(1, sizeof(MAP));
		AllMaps = xreallocarray(AllMaps, NAllMaps + 1, sizeof *AllMaps);
		AllMaps[NAllMaps++] = s->v.map;
	}
	map = s->v.map;
	if (map->mflags & MF_OPEN && map->class->close != NULL)
		map->class->close(map);
	/* a map declared again starts afresh */
	free(map->mname);
	free(map->file);
	free(map->app);
	free(map->tapp);
	free(map->keycolnm);
	free(map->valcolnm);
	free(map->rebuild);
	memset(map, 0, sizeof *map);
	map->class = mc;
	map->mname = xstrdup(mapname);
	if ((mc->parse ? mc->parse : map_parseargs)(map, p))
		map->mflags |= MF_VALID;
	ok = true;
out:
	free(copy);
	return ok;
}

MAP *map_declare(const char *name, const char *classname, const char *args)
{
	MAP *map = map_find(name);
	sbuf line = SBUF_INIT;

	if (map != NULL)
		return map;
	sb_init(&line);
	sb_printf(&line, "%s %s %s", name, classname, args);
	makemapentry(line.s);
	sb_free(&line);
	return map_find(name);
}

static const char *bogus_lookup(MAP *map, const char *key, char **av, int *stat)
{
	(void)map; (void)key; (void)av;
	*stat = EX_TEMPFAIL;
	return NULL;
}

static const MAPCLASS BogusMapClass = { "bogus", NULL, 0, NULL, NULL, bogus_lookup, NULL };

bool map_openmap(MAP *map)
{
	if (!(map->mflags & MF_VALID))
		return false;
	if (map->mflags & MF_OPEN)
		return true;
	errno = 0;
	if (map->class->open == NULL || map->class->open(map, 0)) {
		map->mflags |= MF_OPEN;
	} else if (!(map->mflags & MF_OPTIONAL)) {
		map->orgclass = map->class;
		map->class = &BogusMapClass;
		map->mflags |= MF_OPEN | MF_OPENBOGUS;
	} else {
		map->mflags &= ~MF_VALID;
		map->mflags |= MF_OPTFAILED;
	}
	return (map->mflags & MF_OPEN) != 0;
}

const char *map_lookup(MAP *map, char *key, char **av, int *pstat)
{
	int status = EX_OK;
	const char *r;

	if (map == NULL)
		return NULL;
	if (!(map->mflags & MF_OPEN) && !map_openmap(map))
		return NULL;
	if (DeliveryMode == 'd' && (map->mflags & MF_DEFER)) {
		*pstat = EX_TEMPFAIL;
		return NULL;
	}
	if (!(map->mflags & MF_KEEPQUOTES))
		stripquotes(key);
	r = map->class->lookup(map, key, av, &status);
	if (status == EX_TEMPFAIL) {
		if (map->mflags & MF_NODEFER)
			return NULL;
		*pstat = EX_TEMPFAIL;
		if (map->tapp != NULL) {
			size_t n = size_add(size_add(strlen(key), strlen(map->tapp)), 1);
			char *b = arena_alloc(Scratch, n);
			snprintf(b, n, "%s%s", key, map->tapp);
			return b;
		}
		return NULL;
	}
	return r;
}

const char *map_rewrite(MAP *map, const char *s, size_t slen, char **av)
{
	sbuf b = SBUF_INIT;
	char *out;
	size_t i;

	sb_init(&b);
	if (av == NULL) {
		sb_put(&b, s, strnlen(s, slen));
	} else {
		for (i = 0; i < slen && s[i] != '\0'; i++) {
			int c = (unsigned char)s[i];
			char **avp;
			if (c != '%') {
				sb_putc(&b, c);
				continue;
			}
			if (++i >= slen || s[i] == '\0') {
				sb_putc(&b, '%');
				break;
			}
			c = (unsigned char)s[i];
			if (c == '%') {
				sb_putc(&b, '%');
				continue;
			}
			if (!(isascii(c) && isdigit(c))) {
				sb_putc(&b, '%');
				sb_putc(&b, c);
				continue;
			}
			for (avp = av; --c >= '0' && *avp != NULL; avp++)
				;
			if (*avp == NULL)
				continue;
			sb_puts(&b, *avp);
		}
	}
	if (map->app != NULL)
		sb_puts(&b, map->app);
	out = arena_strndup(Scratch, b.s, b.len);
	sb_free(&b);
	return out;
}

void maps_close(void)
{
	size_t i;

	for (i = 0; i < NAllMaps; i++) {
		MAP *m = AllMaps[i];
		if (m->mflags & MF_OPEN) {
			if (m->class->close != NULL)
				m->class->close(m);
			m->mflags &= ~MF_OPEN;
		}
	}
}

void maps_reset(void)
{
	size_t i;

	maps_close();
	for (i = 0; i < NAllMaps; i++) {
		MAP *m = AllMaps[i];
		if (m->mflags & MF_OPENBOGUS) {
			m->class = m->orgclass;
			m->mflags &= ~(MF_OPEN | MF_OPENBOGUS);
		} else if (m->mflags & MF_OPTFAILED)
			m->mflags = (m->mflags & ~MF_OPTFAILED) | MF_VALID;
	}
}

void maps_init(void)
{
	map_db_init();
	map_host_init();
	map_text_init();
	map_dns_init();
	map_regex_init();
	map_misc_init();
}
