/* rewrite.c -- the rule engine: matching left-hand sides against an address's tokens and
 * building the replacement from the right-hand side.
 *
 * Matching is backtracking, leftmost, with the shortest binding tried first for $* and
 * $+ and the shortest phrase first for $=X; a matched rule is applied again until it
 * stops matching (at most 100 times), unless its right-hand side starts with $: (once)
 * or $@ (once, then leave the ruleset).  After substitution, map lookups ($( $), $[ $])
 * run left to right, then $> subroutine calls right to left, each on the rest of the
 * vector after it.  These orders are what makes traces and results agree with 8.17. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "conf.h"
#include "debug.h"
#include "diag.h"
#include "macro.h"
#include "map.h"
#include "rewrite.h"
#include "stab.h"
#include "token.h"
#include "xalloc.h"

bool TraceRules;

struct match {
	char **first;		/* first token matched */
	char **last;		/* last token matched (first - 1: none) */
	char **pattern;		/* the pattern element */
};

static int callsubr(char **pvp, int reclevel);

static sbuf tracebuf, phrasebuf;

/* "name" left-aligned in 16 columns (cut at 16), then the tokens */
static void trace(const char *rulename, const char *what, char **pvp)
{
	sbuf *b = &tracebuf;
	size_t n = strnlen(rulename, 16);
	char **p;

	sb_reset(b);
	sb_put(b, rulename, n);
	for (; n < 16; n++)
		sb_putc(b, ' ');
	sb_putc(b, ' ');
	sb_puts(b, what);
	sb_putc(b, ':');
	for (p = pvp; *p != NULL; p++) {
		sb_putc(b, ' ');
		xputs_sb(b, *p);
	}
	sb_putc(b, '\n');
	fwrite(b->s, 1, b->len, stdout);
}

/* join tokens first..last for a class lookup */
static bool phrase_in_class(char **first, char **last, int cl)
{
	size_t len = 0;
	char **p;

	if (first == last)
		return wordinclass(*first, cl);
	/* a phrase longer than every class word cannot be in the class */
	for (p = first; ; p++) {
		len += strlen(*p);	/* a lower bound: joining may add separators */
		if (len > ClassWordMax)
			return false;
		if (p == last)
			break;
	}
	cataddr(first, last, &phrasebuf, '\0', true);
	return wordinclass(phrasebuf.s, cl);
}

/* a $@ argument of a map lookup: its tokens joined; arguments past the ninth are dropped */
static void add_map_arg(char **tokens, char **argvect, int *nargs)
{
	sbuf arg = SBUF_INIT;

	sb_init(&arg);
	cataddr(tokens, NULL, &arg, '\0', false);
	if (*nargs < MAX_MAP_ARGS - 1)
		argvect[++*nargs] = arena_strndup(Scratch, arg.s, arg.len);
	sb_free(&arg);
}

int rewrite(char **pvp, int ruleset, int reclevel, int maxatom)
{
	char namebuf[16];
	const char *rulename;
	struct rewrite *rwr;
	struct match mlist[MAXMATCH + 2];
	char *npvp[MAXATOM + 1];
	int ruleno, loopcount;
	int rstat = EX_OK;

	if (ruleset < 0 || ruleset >= MAXRWSETS) {
		syserr("554 5.3.5 rewrite: illegal ruleset number %d", ruleset);
		return EX_CONFIG;
	}
	rulename = rulesetname(ruleset, namebuf);
	if (TraceRules)
		trace(rulename, "  input", pvp);
	if (reclevel++ > MaxRuleRecursion) {
		syserr("rewrite: excessive recursion (max %d), ruleset %s", MaxRuleRecursion,
		       rulename);
		return EX_CONFIG;
	}
	if (pvp == NULL)
		return EX_USAGE;

	ruleno = 1;
	loopcount = 0;
	for (rwr = RewriteRules[ruleset]; rwr != NULL;) {
		char **avp, **rvp;
		struct match *mlp;
		char *rp, *ap;

		if (pvp[0] != NULL && (unsigned char)pvp[0][0] == CANONNET)
			break;

		if (tTd(21, 12)) {
			if (tTd(21, 15))
				printf("-----trying rule (line %d):", rwr->line);
			else
				printf("-----trying rule:");
			printav(stdout, rwr->lhs);
		}
		mlp = mlist;
		rvp = rwr->lhs;
		avp = pvp;
		if (++loopcount > 100) {
			syserr("554 5.3.5 Infinite loop in ruleset %s, rule %d", rulename, ruleno);
			break;
		}

		while ((ap = *avp) != NULL || *rvp != NULL) {
			rp = *rvp;
			if (tTd(21, 35)) {
				printf("ADVANCE rp=");
				xputs(stdout, rp != NULL ? rp : "<null>");
				printf(", ap=");
				xputs(stdout, ap != NULL ? ap : "<null>");
				printf("\n");
			}
			if (rp == NULL)
				goto backup;
			if (ap == NULL && (unsigned char)rp[0] != MATCHZANY &&
			    (unsigned char)rp[0] != MATCHZERO)
				goto backup;

			switch ((unsigned char)rp[0]) {
			case MATCHCLASS:
				mlp->pattern = rvp;
				mlp->first = avp;
extendclass:
				ap = *avp;
				if (ap == NULL)
					goto backup;
				mlp->last = avp++;
				if (!phrase_in_class(mlp->first, mlp->last, (unsigned char)rp[1]))
					goto extendclass;
				mlp++;
				break;
			case MATCHNCLASS:
				if (wordinclass(ap, (unsigned char)rp[1]))
					goto backup;
				/* FALLTHROUGH */
			case MATCHONE:
			case MATCHANY:
				mlp->pattern = rvp;
				mlp->first = avp;
				mlp->last = avp++;
				mlp++;
				break;
			case MATCHZANY:
				mlp->pattern = rvp;
				mlp->first = avp;
				mlp->last = avp - 1;
				mlp++;
				break;
			case MATCHZERO:
				/* matches no tokens, wherever it stands */
				break;
			case MACRODEXPAND: {
				/* match the tokens against the macro's current value, as text */
				const char *mv = macvalue((unsigned char)rp[1]);
				char **start = avp;
				if (tTd(21, 2))
					printf("rewrite: LHS $&{%s} => \"%s\"\n", macname((unsigned char)rp[1]),
					       mv ? mv : "(NULL)");
				if (mv == NULL)
					break;
				while (*mv != '\0') {
					size_t l;
					if (*avp == NULL || strncasecmp(mv, *avp, strlen(*avp)) != 0) {
						avp = start;
						goto backup;
					}
					l = strlen(*avp++);
					mv += l;
				}
				break;
			}
			default:
				if (lower_c((unsigned char)*rp) != lower_c((unsigned char)*ap) ||
				    strcasecmp(rp, ap) != 0)
					goto backup;
				avp++;
				break;
			}
			rvp++;
			continue;

backup:
			while (--mlp >= mlist) {
				rvp = mlp->pattern;
				rp = *rvp;
				avp = mlp->last + 1;
				ap = *avp;
				if (tTd(21, 36)) {
					printf("BACKUP  rp=");
					xputs(stdout, rp);
					printf(", ap=");
					xputs(stdout, ap != NULL ? ap : "<null>");
					printf("\n");
				}
				if (ap == NULL)
					continue;
				if ((unsigned char)rp[0] == MATCHANY || (unsigned char)rp[0] == MATCHZANY) {
					mlp->last = avp++;
					rvp++;
					mlp++;
					break;
				}
				if ((unsigned char)rp[0] == MATCHCLASS) {
					mlp->last = avp;
					goto extendclass;
				}
			}
			if (mlp < mlist)
				break;
		}

		if (mlp < mlist || *rvp != NULL) {
			if (tTd(21, 10))
				printf("----- rule fails\n");
			rwr = rwr->next;
			ruleno++;
			loopcount = 0;
			continue;
		}

		/* the rule matched: build the replacement */
		rvp = rwr->rhs;
		if (tTd(21, 12)) {
			printf("-----rule matches:");
			printav(stdout, rvp);
		}
		rp = *rvp;
		if (rp != NULL) {
			if ((unsigned char)rp[0] == CANONUSER) {
				rvp++;
				rwr = rwr->next;
				ruleno++;
				loopcount = 0;
			} else if ((unsigned char)rp[0] == CANONHOST) {
				rvp++;
				rwr = NULL;
			}
		}

		avp = npvp;
		for (; *rvp != NULL; rvp++) {
			rp = *rvp;
			if ((unsigned char)rp[0] == MATCHREPL) {
				int k = rp[1] - '1';	/* $0 gives -1: checked before indexing */
				struct match *m;
				char **pp;
				if (k < 0 || k >= mlp - mlist) {
					syserr("554 5.3.5 rewrite: ruleset %s: replacement $%c out of bounds",
					       rulename, rp[1]);
					return EX_CONFIG;
				}
				m = &mlist[k];
				for (pp = m->first; pp <= m->last; pp++) {
					if (avp >= &npvp[maxatom])
						goto toolong;
					*avp++ = *pp;
				}
			} else if ((unsigned char)rp[0] != MACRODEXPAND) {
				if (avp >= &npvp[maxatom])
					goto toolong;
				*avp++ = rp;
			} else {
				/* $&x: tokenize the macro's value now */
				const char *mval = macvalue((unsigned char)rp[1]);
				char *xv[MAXATOM + 1];
				char **xpvp;
				if (tTd(21, 2))
					printf("rewrite: RHS $&{%s} => \"%s\"\n", macname((unsigned char)rp[1]),
					       mval ? mval : "(NULL)");
				if (mval == NULL || *mval == '\0')
					continue;
				xpvp = prescan(mval, '\0', xv, Scratch, NULL, TT_EXTERNAL, false);
				if (xpvp == NULL)
					return EX_DATAERR;
				for (; *xpvp != NULL; xpvp++) {
					if (avp >= &npvp[maxatom])
						goto toolong;
					*avp++ = *xpvp;
				}
			}
		}
		*avp = NULL;

		/* map lookups */
		for (rvp = npvp; *rvp != NULL; rvp++) {
			char **hbrvp = rvp, **key_rvp, **default_rvp = NULL, **xpvp = NULL;
			char *argvect[MAX_MAP_ARGS + 1];
			int nargs = 0, endtoken;
			const char *mapname;
			const char *replac;
			MAP *map;
			sbuf cbuf = SBUF_INIT;
			char *tail[MAXATOM + 1];
			char *xv[MAXATOM + 1];
			char *nullpvp[1];
			size_t ntail, i;
			bool external;

			if ((unsigned char)rvp[0][0] == HOSTBEGIN) {
				endtoken = HOSTEND;
				mapname = "host";
			} else if ((unsigned char)rvp[0][0] == LOOKUPBEGIN) {
				endtoken = LOOKUPEND;
				mapname = *++rvp;
				if (mapname == NULL) {
					syserr("554 5.3.0 rewrite: missing mapname");
					return EX_CONFIG;
				}
			} else
				continue;

			map = map_find(mapname);
			if (map == NULL)
				syserr("554 5.3.0 rewrite: map %s not found", mapname);

			key_rvp = ++rvp;
			while (*rvp != NULL && (unsigned char)rvp[0][0] != endtoken) {
				int nodetype = (unsigned char)rvp[0][0];
				if (nodetype != CANONHOST && nodetype != CANONUSER) {
					rvp++;
					continue;
				}
				*rvp++ = NULL;
				if (xpvp != NULL) {
					add_map_arg(xpvp, argvect, &nargs);
					xpvp = NULL;
				}
				if (nodetype == CANONHOST)
					xpvp = rvp;
				else
					default_rvp = rvp;
			}
			if (*rvp != NULL)
				*rvp++ = NULL;
			if (xpvp != NULL)
				add_map_arg(xpvp, argvect, &nargs);
			argvect[nargs + 1] = NULL;

			/* save the tail after the lookup */
			ntail = 0;
			while (rvp[ntail] != NULL) {
				tail[ntail] = rvp[ntail];
				ntail++;
			}
			tail[ntail] = NULL;

			sb_init(&cbuf);
			cataddr(key_rvp, NULL, &cbuf, map == NULL ? '\0' : map->spacesub, true);
			if (cbuf.len > MAXKEY - 1)
				sb_truncate(&cbuf, MAXKEY - 1);
			argvect[0] = arena_strndup(Scratch, cbuf.s, cbuf.len);
			replac = map_lookup(map, argvect[0], argvect, &rstat);
			external = map == NULL || !(map->mflags & MF_KEEPXFMT);

			if (replac == NULL && default_rvp != NULL) {
				cataddr(default_rvp, NULL, &cbuf, '\0', false);
				replac = arena_strndup(Scratch, cbuf.s, cbuf.len);
			}
			sb_free(&cbuf);

			if (replac == NULL) {
				xpvp = key_rvp;
			} else if (*replac == '\0') {
				nullpvp[0] = NULL;
				xpvp = nullpvp;
			} else {
				xpvp = prescan(replac, '\0', xv, Scratch, NULL,
					       external ? TT_EXTERNAL : TT_INTERNAL, false);
				if (xpvp == NULL)
					return EX_DATAERR;
			}

			avp = hbrvp;
			for (; *xpvp != NULL; xpvp++) {
				if (avp >= &npvp[maxatom])
					goto toolong;
				*avp++ = *xpvp;
			}
			rvp = avp - 1;
			for (i = 0; i <= ntail; i++) {
				if (avp >= &npvp[maxatom] && tail[i] != NULL)
					goto toolong;
				*avp++ = tail[i];
			}
		}

		/* subroutine calls */
		{
			int status = callsubr(npvp, reclevel);
			if (rstat == EX_OK || status == EX_TEMPFAIL)
				rstat = status;
		}

		/* the new workspace */
		for (avp = npvp; *avp != NULL; avp++)
			;
		if (avp - npvp > maxatom)
			goto toolong;	/* a subroutine filled npvp past what pvp can take */
		memmove(pvp, npvp, (size_t)(avp - npvp + 1) * sizeof(char *));
		if (tTd(21, 4)) {
			printf("rewritten as:");
			printav(stdout, pvp);
		}
	}

	if (TraceRules)
		trace(rulename, "returns", pvp);
	return rstat;

toolong:
	syserr("554 5.3.0 rewrite: expansion too long");
	return EX_DATAERR;
}

static int callsubr(char **pvp, int reclevel)
{
	char **avp;
	int i, j, subr, nsubr = 0, status, rstat = EX_OK;
	int subrnumber[MAX_SUBR], subrindex[MAX_SUBR];

	for (avp = pvp, j = 0; *avp != NULL; avp++, j++) {
		if ((unsigned char)avp[0][0] == CALLSUBR && avp[1] != NULL) {
			stripquotes(avp[1]);
			subr = rwset_find(avp[1]);
			if (subr < 0) {
				syserr("554 5.3.5 Unknown ruleset %s", avp[1]);
				return EX_CONFIG;
			}
			if (RewriteRules[subr] == NULL) {
				/* an empty ruleset: drop the call; as in 8.17, the token moved into
				 * its place is not looked at again */
				for (i = 2; avp[i] != NULL; i++)
					avp[i - 2] = avp[i];
				avp[i - 2] = NULL;
				if (*avp == NULL)
					break;
				continue;
			}
			if (++nsubr >= MAX_SUBR) {
				syserr("554 5.3.0 Too many subroutine calls (%d max)", MAX_SUBR);
				return EX_CONFIG;
			}
			subrnumber[nsubr] = subr;
			subrindex[nsubr] = j;
		}
	}
	for (; nsubr > 0; nsubr--) {
		subr = subrnumber[nsubr];
		avp = pvp + subrindex[nsubr];
		for (i = 2; avp[i] != NULL; i++)
			avp[i - 2] = avp[i];
		avp[i - 2] = NULL;
		status = rewrite(avp, subr, reclevel, MAXATOM - subrindex[nsubr]);
		if (status != EX_OK && status != EX_TEMPFAIL)
			return status;
		if (rstat == EX_OK || status == EX_TEMPFAIL)
			rstat = status;
	}
	return rstat;
}
