/* debug.c -- parsing -d flags (see debug.h). */
#include <ctype.h>
#include <stdlib.h>
#include "debug.h"

unsigned char DebugLevels[DEBUG_CATEGORIES];

static long number(const char **pp)
{
	long n = 0;
	const char *p = *pp;

	while (isdigit((unsigned char)*p) && n < 100000)
		n = n * 10 + (*p++ - '0');
	*pp = p;
	return n;
}

void debug_set(const char *p)
{
	while (*p != '\0') {
		long first, last, level = 1;

		if (!isdigit((unsigned char)*p)) {
			/* named categories (sm_debug) are not used by this program: skip the item */
			while (*p != '\0' && *p != ',')
				p++;
		} else {
			first = last = number(&p);
			if (*p == '-') {
				p++;
				last = isdigit((unsigned char)*p) ? number(&p) : DEBUG_CATEGORIES - 1;
			}
			if (*p == '.') {
				p++;
				level = number(&p);
			}
			if (level > 255)
				level = 255;
			for (; first <= last && first < DEBUG_CATEGORIES; first++)
				DebugLevels[first] = (unsigned char)level;
		}
		if (*p == ',')
			p++;
		else if (*p != '\0')
			break;
	}
}
