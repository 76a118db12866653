/* mta.h -- definitions shared by the whole engine: the internal metasymbol bytes of the
 * sendmail.cf language, the limits 8.17 enforces (they are part of its observable
 * behaviour: messages name them), and the small types every module passes around.
 *
 * Addresses are rewritten as NULL-terminated vectors of token strings.  Operator
 * metasymbols ($*, $#, $>, ...) are single bytes in the 0200-0377 range inside those
 * strings, exactly where 8.17 puts them, so that a configuration's rules, the -bt trace
 * and the printing of tokens agree byte for byte with the reference. */
#ifndef MTA_H
#define MTA_H
#include <stdbool.h>
#include <stddef.h>
#include "sbuf.h"
#include "arena.h"

/* metasymbols (octal, as the language defines them) */
#define MATCHZANY	0220	/* $* */
#define MATCHANY	0221	/* $+ */
#define MATCHONE	0222	/* $- */
#define MATCHCLASS	0223	/* $= */
#define MATCHNCLASS	0224	/* $~ */
#define MATCHREPL	0225	/* $1 .. $9 (followed by the digit) */
#define CANONNET	0226	/* $# */
#define CANONHOST	0227	/* $@ */
#define CANONUSER	0230	/* $: */
#define CALLSUBR	0231	/* $> */
#define CONDIF		0232	/* $? */
#define CONDELSE	0233	/* $| */
#define CONDFI		0234	/* $. */
#define HOSTBEGIN	0235	/* $[ */
#define HOSTEND		0236	/* $] */
#define LOOKUPBEGIN	0205	/* $( */
#define LOOKUPEND	0206	/* $) */
#define MACROEXPAND	0201	/* $x, ${name} */
#define MACRODEXPAND	0202	/* $&x: expanded when the rule runs */
#define METAQUOTE	0377	/* quotes a raw byte in the meta range */
#define MATCHZERO	CANONHOST	/* $@ on a left-hand side: matches nothing */

/* limits of the language */
#define MAXATOM		1000	/* tokens in an address */
#define MAXNAME		256	/* bytes in one token */
#define MAXLINE		2048
#define MAXRWSETS	200	/* ruleset numbers 0..199 */
#define MAXMATCH	9	/* $1 .. $9 */
#define MAX_MAP_ARGS	10
#define MAX_SUBR	16	/* $> calls on one right-hand side */
#define MAXRULERECURSION 50
#define MAXMAILERS	25
#define MAXKEY		1024
#define MAXMACROID	0377
#define MAXMACNAMELEN	25
#define MAXPRIORITIES	25
#define MAXMXHOSTS	100
#define MAXMAPSTACK	12

/* exit codes (sysexits) */
#define EX_OK		0
#define EX_USAGE	64
#define EX_DATAERR	65
#define EX_NOINPUT	66
#define EX_NOUSER	67
#define EX_NOHOST	68
#define EX_UNAVAILABLE	69
#define EX_SOFTWARE	70
#define EX_OSERR	71
#define EX_OSFILE	72
#define EX_CANTCREAT	73
#define EX_IOERR	74
#define EX_TEMPFAIL	75
#define EX_PROTOCOL	76
#define EX_NOPERM	77
#define EX_CONFIG	78
#define EX_NOTFOUND	EX_NOHOST

#define VERSION_STRING	"8.17.1.9"
#define CF_LEVEL_MAX	10

/* operating modes (-b letters) */
#define MD_DELIVER	'm'
#define MD_SMTP		's'
#define MD_DAEMON	'd'
#define MD_FGDAEMON	'D'
#define MD_TEST		't'
#define MD_VERIFY	'v'
#define MD_INITALIAS	'i'
#define MD_PRINT	'p'
#define MD_PRINTNQE	'P'
#define MD_HOSTSTAT	'h'
#define MD_PURGESTAT	'H'
#define MD_CHECKCONFIG	'C'
#define MD_ARPAFTP	'a'

/* global state of the running program (set by main and the configuration) */
extern int OpMode;
extern int ConfigLevel;
extern int Verbose;
extern arena *Scratch;		/* per-address/per-command allocations */

/* bitmaps of 256 bits for flag letters (mailer F=, map flags) */
typedef unsigned char bitmap256[32];
#define setbitn(b, map)	((map)[((b) & 0xff) >> 3] |= (unsigned char)(1u << ((b) & 7)))
#define clrbitn(b, map)	((map)[((b) & 0xff) >> 3] &= (unsigned char)~(1u << ((b) & 7)))
#define bitnset(b, map)	(((map)[((b) & 0xff) >> 3] >> ((b) & 7)) & 1)

static inline int lower_c(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

#endif
