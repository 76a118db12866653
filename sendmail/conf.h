/* conf.h -- the configuration as read from sendmail.cf: rulesets, options, priorities,
 * headers, queue groups, environment, milters.  readcf() fills it; everything else reads it. */
#ifndef CONF_H
#define CONF_H
#include "mta.h"

struct rewrite {
	char **lhs;
	char **rhs;
	struct rewrite *next;
	int line;
};

extern struct rewrite *RewriteRules[MAXRWSETS];
extern const char *RuleSetNames[MAXRWSETS];

/* Ruleset name or number -> index.  With enter, names get numbers (from 199 down).
 * Returns -1 (after an error message unless quiet lookup) if undefined. */
int strtorwset(const char *p, const char **endp, bool enter);
extern unsigned RulesetNamesGen;	/* changes whenever strtorwset may enter a name */
/* strtorwset(name, NULL, false), with the answers remembered */
int rwset_find(const char *name);
/* a printable name for ruleset n ("canonify", or "3") */
const char *rulesetname(int n, char buf[16]);

/* a quoted/escaped configuration value (see readcf.c); the result is malloc'd */
char *munchstring(const char *p, int delim, const char **endp);

/* read the configuration file; false if it could not be opened */
bool readcf(const char *cfname, bool safe);

/* options */
bool setoption(int opt, const char *val, bool safe, bool sticky);
bool setoption_long(const char *name, const char *val, bool safe, bool sticky);
void options_init(void);
const char *option_value(const char *name);	/* the raw text last given, or NULL */
long convtime(const char *p, int units);
/* Timeout.name in seconds as last set (Timeout option or Timeout.name), or dflt. */
long timeout_seconds(const char *name, long dflt);
/* Timeout.queuewarn/queuereturn for a class ("normal", "urgent", "non-urgent", "dsn"): the
 * per-class value unless the generic one was set after it */
long timeout_class_seconds(const char *name, const char *cls, long dflt);

/* option values the engine uses */
extern bool ColonOkInAddr;
extern bool DontProbeInterfaces;
extern bool DontProbeLoopback;
extern char *ServiceSwitchFile;
extern char *HostsFile;
extern char *OperatorChars;
extern int MaxRuleRecursion;
extern int DeliveryMode;
extern bool HasWildcardMX;
extern bool UseNameServer;
extern int LogLevel;
extern int MaxAliasRecursion;
extern unsigned DefUid, DefGid;

/* P lines */
struct priority { char *name; int value; };
extern struct priority Priorities[MAXPRIORITIES];
extern int NumPriorities;

/* H lines, kept in order */
struct hdrdef {
	char *name;
	char *value;		/* internal form */
	bitmap256 flags;	/* ?flags? */
	int macro;		/* ?${macro}? condition, 0 if none */
	char *ruleset;		/* $>ruleset check, NULL if none */
	struct hdrdef *next;
};
extern struct hdrdef *HeaderDefs;

/* E lines */
extern char **UserEnviron;

#endif
