/* options.c -- O lines and -o/-O: the option table and the parsing of each value.
 *
 * Every option 8.17 compiles in is known here by its long name (and short letter, where it
 * has one).  Values are kept as given (option_value) and, for the options the engine acts
 * on, converted into the globals declared in conf.h.  Errors are reported with 8.17's
 * wording, since administrators grep for them; two (unknown delivery or 8-bit mode) end
 * the program as they do in 8.17. */
#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "conf.h"
#include "daemon.h"
#include "diag.h"
#include "macro.h"
#include "token.h"
#include "xalloc.h"

bool ColonOkInAddr = true;
bool DontProbeInterfaces;
bool DontProbeLoopback;
char *ServiceSwitchFile;
char *HostsFile;
char *OperatorChars;
int MaxRuleRecursion = MAXRULERECURSION;
int DeliveryMode = 'b';
bool HasWildcardMX;
bool UseNameServer = true;
int LogLevel = 9;
int MaxAliasRecursion = 10;
unsigned DefUid = 1, DefGid = 1;

enum otype { O_STR, O_BOOL, O_INT, O_TIME, O_MODE, O_SPECIAL };

struct option {
	const char *name;
	int letter;
	enum otype type;
	char *value;
	bool sticky;	/* set on the command line: the configuration cannot change it */
};

static struct option options[] = {
	{ "SevenBitInput", '7', O_BOOL, NULL, false },
	{ "EightBitMode", '8', O_SPECIAL, NULL, false },
	{ "AliasFile", 'A', O_STR, NULL, false },
	{ "AliasWait", 'a', O_TIME, NULL, false },
	{ "BlankSub", 'B', O_SPECIAL, NULL, false },
	{ "MinFreeBlocks", 'b', O_STR, NULL, false },
	{ "CheckpointInterval", 'C', O_INT, NULL, false },
	{ "HoldExpensive", 'c', O_BOOL, NULL, false },
	{ "DeliveryMode", 'd', O_SPECIAL, NULL, false },
	{ "ErrorHeader", 'E', O_STR, NULL, false },
	{ "ErrorMode", 'e', O_SPECIAL, NULL, false },
	{ "TempFileMode", 'F', O_MODE, NULL, false },
	{ "SaveFromLine", 'f', O_BOOL, NULL, false },
	{ "MatchGECOS", 'G', O_BOOL, NULL, false },
	{ "HelpFile", 'H', O_STR, NULL, false },
	{ "MaxHopCount", 'h', O_INT, NULL, false },
	{ "ResolverOptions", 'I', O_SPECIAL, NULL, false },
	{ "IgnoreDots", 'i', O_BOOL, NULL, false },
	{ "ForwardPath", 'J', O_STR, NULL, false },
	{ "SendMimeErrors", 'j', O_BOOL, NULL, false },
	{ "ConnectionCacheSize", 'k', O_INT, NULL, false },
	{ "ConnectionCacheTimeout", 'K', O_TIME, NULL, false },
	{ "UseErrorsTo", 'l', O_BOOL, NULL, false },
	{ "LogLevel", 'L', O_INT, NULL, false },
	{ "MeToo", 'm', O_BOOL, NULL, false },
	{ "CheckAliases", 'n', O_BOOL, NULL, false },
	{ "OldStyleHeaders", 'o', O_BOOL, NULL, false },
	{ "DaemonPortOptions", 'O', O_STR, NULL, false },
	{ "PrivacyOptions", 'p', O_SPECIAL, NULL, false },
	{ "PostmasterCopy", 'P', O_STR, NULL, false },
	{ "QueueFactor", 'q', O_INT, NULL, false },
	{ "QueueDirectory", 'Q', O_STR, NULL, false },
	{ "DontPruneRoutes", 'R', O_BOOL, NULL, false },
	{ "Timeout", 'r', O_SPECIAL, NULL, false },
	{ "StatusFile", 'S', O_STR, NULL, false },
	{ "SuperSafe", 's', O_STR, NULL, false },
	{ "QueueTimeout", 'T', O_SPECIAL, NULL, false },
	{ "TimeZoneSpec", 't', O_STR, NULL, false },
	{ "UserDatabaseSpec", 'U', O_STR, NULL, false },
	{ "DefaultUser", 'u', O_SPECIAL, NULL, false },
	{ "FallbackMXhost", 'V', O_STR, NULL, false },
	{ "Verbose", 'v', O_BOOL, NULL, false },
	{ "TryNullMXList", 'w', O_BOOL, NULL, false },
	{ "QueueLA", 'x', O_INT, NULL, false },
	{ "RefuseLA", 'X', O_INT, NULL, false },
	{ "RecipientFactor", 'y', O_INT, NULL, false },
	{ "ForkEachJob", 'Y', O_BOOL, NULL, false },
	{ "ClassFactor", 'z', O_INT, NULL, false },
	{ "RetryFactor", 'Z', O_INT, NULL, false },
	{ "QueueSortOrder", 0, O_SPECIAL, NULL, false },
	{ "HostsFile", 0, O_STR, NULL, false },
	{ "MinQueueAge", 0, O_TIME, NULL, false },
	{ "DefaultCharSet", 0, O_STR, NULL, false },
	{ "ServiceSwitchFile", 0, O_STR, NULL, false },
	{ "DialDelay", 0, O_TIME, NULL, false },
	{ "NoRecipientAction", 0, O_STR, NULL, false },
	{ "SafeFileEnvironment", 0, O_STR, NULL, false },
	{ "MaxMessageSize", 0, O_INT, NULL, false },
	{ "ColonOkInAddr", 0, O_BOOL, NULL, false },
	{ "MaxQueueRunSize", 0, O_INT, NULL, false },
	{ "MaxDaemonChildren", 0, O_INT, NULL, false },
	{ "DontExpandCnames", 0, O_BOOL, NULL, false },
	{ "MustQuoteChars", 0, O_STR, NULL, false },
	{ "SmtpGreetingMessage", 0, O_STR, NULL, false },
	{ "UnixFromLine", 0, O_STR, NULL, false },
	{ "OperatorChars", 0, O_SPECIAL, NULL, false },
	{ "DontInitGroups", 0, O_BOOL, NULL, false },
	{ "SingleLineFromHeader", 0, O_BOOL, NULL, false },
	{ "AllowBogusHELO", 0, O_BOOL, NULL, false },
	{ "ConnectionRateThrottle", 0, O_INT, NULL, false },
	{ "UnsafeGroupWrites", 0, O_BOOL, NULL, false },
	{ "DoubleBounceAddress", 0, O_STR, NULL, false },
	{ "HostStatusDirectory", 0, O_STR, NULL, false },
	{ "SingleThreadDelivery", 0, O_BOOL, NULL, false },
	{ "RunAsUser", 0, O_STR, NULL, false },
	{ "RrtImpliesDsn", 0, O_BOOL, NULL, false },
	{ "PidFile", 0, O_STR, NULL, false },
	{ "LogFile", 0, O_STR, NULL, false },		/* ours: log.h */
	{ "DontBlameSendmail", 0, O_SPECIAL, NULL, false },
	{ "DontProbeInterfaces", 0, O_SPECIAL, NULL, false },
	{ "MaxRecipientsPerMessage", 0, O_INT, NULL, false },
	{ "DeadLetterDrop", 0, O_STR, NULL, false },
	{ "MaxAliasRecursion", 0, O_INT, NULL, false },
	{ "ConnectOnlyTo", 0, O_STR, NULL, false },
	{ "TrustedUser", 0, O_STR, NULL, false },
	{ "MaxMimeHeaderLength", 0, O_STR, NULL, false },
	{ "ControlSocketName", 0, O_STR, NULL, false },
	{ "MaxHeadersLength", 0, O_INT, NULL, false },
	{ "ProcessTitlePrefix", 0, O_STR, NULL, false },
	{ "DefaultAuthInfo", 0, O_STR, NULL, false },
	{ "AuthMechanisms", 0, O_STR, NULL, false },
	{ "ClientPortOptions", 0, O_STR, NULL, false },
	{ "DataFileBufferSize", 0, O_INT, NULL, false },
	{ "XscriptFileBufferSize", 0, O_INT, NULL, false },
	{ "LDAPDefaultSpec", 0, O_STR, NULL, false },
	{ "ServerCertFile", 0, O_STR, NULL, false },
	{ "ServerKeyFile", 0, O_STR, NULL, false },
	{ "ClientCertFile", 0, O_STR, NULL, false },
	{ "ClientKeyFile", 0, O_STR, NULL, false },
	{ "CACertFile", 0, O_STR, NULL, false },
	{ "CACertPath", 0, O_STR, NULL, false },
	{ "DHParameters", 0, O_STR, NULL, false },
	{ "InputMailFilters", 0, O_STR, NULL, false },
	{ "Milter", 0, O_SPECIAL, NULL, false },
	{ "AuthOptions", 0, O_STR, NULL, false },
	{ "QueueFileMode", 0, O_MODE, NULL, false },
	{ "CertFingerprintAlgorithm", 0, O_STR, NULL, false },
	{ "CipherList", 0, O_STR, NULL, false },
	{ "RandFile", 0, O_STR, NULL, false },
	{ "TLSSrvOptions", 0, O_STR, NULL, false },
	{ "BadRcptThrottle", 0, O_INT, NULL, false },
	{ "DeliverByMin", 0, O_TIME, NULL, false },
	{ "MaxQueueChildren", 0, O_INT, NULL, false },
	{ "MaxRunnersPerQueue", 0, O_INT, NULL, false },
	{ "DirectSubmissionModifiers", 0, O_STR, NULL, false },
	{ "NiceQueueRun", 0, O_INT, NULL, false },
	{ "SharedMemoryKey", 0, O_INT, NULL, false },
	{ "AuthMaxBits", 0, O_INT, NULL, false },
	{ "MailboxDatabase", 0, O_STR, NULL, false },
	{ "UseMSP", 0, O_BOOL, NULL, false },
	{ "DelayLA", 0, O_INT, NULL, false },
	{ "FastSplit", 0, O_INT, NULL, false },
	{ "SoftBounce", 0, O_BOOL, NULL, false },
	{ "SharedMemoryKeyFile", 0, O_STR, NULL, false },
	{ "RejectLogInterval", 0, O_TIME, NULL, false },
	{ "RequiresDirfsync", 0, O_BOOL, NULL, false },
	{ "ConnectionRateWindowSize", 0, O_TIME, NULL, false },
	{ "CRLFile", 0, O_STR, NULL, false },
	{ "FallbackSmartHost", 0, O_STR, NULL, false },
	{ "AuthRealm", 0, O_STR, NULL, false },
	{ "CRLPath", 0, O_STR, NULL, false },
	{ "HeloName", 0, O_STR, NULL, false },
	{ "MaxNOOPCommands", 0, O_INT, NULL, false },
	{ "BadRcptShutdown", 0, O_INT, NULL, false },
	{ "BadRcptShutdownGood", 0, O_INT, NULL, false },
	{ "ServerSSLOptions", 0, O_STR, NULL, false },
	{ "ClientSSLOptions", 0, O_STR, NULL, false },
	{ "MaxQueueAge", 0, O_TIME, NULL, false },
	{ "RejectNUL", 0, O_BOOL, NULL, false },
	{ "UseCompressedIPv6Addresses", 0, O_BOOL, NULL, false },
	{ "SSLEngine", 0, O_STR, NULL, false },
	{ "SSLEnginePath", 0, O_STR, NULL, false },
	{ "TLSFallbacktoClear", 0, O_BOOL, NULL, false },
	{ "SetCertAltnames", 0, O_BOOL, NULL, false },
	{ "SmtpUTF8", 0, O_BOOL, NULL, false },
	{ "StrictTransportSecurity", 0, O_BOOL, NULL, false },
	{ "CipherSuites", 0, O_STR, NULL, false },
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const char *const timeouts[] = {
	"initial", "mail", "rcpt", "datainit", "datablock", "datafinal", "command", "rset",
	"helo", "quit", "misc", "ident", "fileopen", "connect", "iconnect", "aconnect",
	"control", "lhlo", "auth", "starttls", "hoststatus",
	"queuewarn", "queuewarn.*", "queuewarn.normal", "queuewarn.urgent",
	"queuewarn.non-urgent", "queuewarn.dsn",
	"queuereturn", "queuereturn.*", "queuereturn.normal", "queuereturn.urgent",
	"queuereturn.non-urgent", "queuereturn.dsn",
	"resolver.retrans", "resolver.retrans.first", "resolver.retrans.normal",
	"resolver.retry", "resolver.retry.first", "resolver.retry.normal", NULL
};

static const char *const privacy[] = {
	"public", "needmailhelo", "needexpnhelo", "needvrfyhelo", "noexpn", "novrfy", "noverb",
	"noetrn", "restrictmailq", "restrictqrun", "restrictexpand", "noreceipts",
	"nobodyreturn", "goaway", "authwarnings", "noactualrecipient", "noreflection", NULL
};

static const char *const dbs_words[] = {
	"safe", "assumesafechown", "classfileinunsafedirpath", "dontwarnforwardfileinunsafedirpath",
	"errorheaderinunsafedirpath", "filedeliverytohardlink", "filedeliverytosymlink",
	"forwardfileingroupwritabledirpath", "forwardfileinunsafedirpath",
	"forwardfileinunsafedirpathsafe", "groupreadabledefaultauthinfofile",
	"groupreadablekeyfile", "groupreadablesasldbfile", "groupwritablealiasfile",
	"groupwritabledirpathsafe", "groupwritableforwardfile", "groupwritableforwardfilesafe",
	"groupwritableincludefile", "groupwritableincludefilesafe", "groupwritablesasldbfile",
	"helpfileinunsafedirpath", "includefileingroupwritabledirpath",
	"includefileinunsafedirpath", "includefileinunsafedirpathsafe", "insufficiententropy",
	"linkedaliasfileinwritabledir", "linkedclassfileinwritabledir",
	"linkedforwardfileinwritabledir", "linkedincludefileinwritabledir",
	"linkedmapinwritabledir", "linkedserviceswitchfileinwritabledir",
	"mapinunsafedirpath", "nonrootsafeaddr", "runprograminunsafedirpath",
	"runwritableprogram", "truststickybit", "worldwritablealiasfile",
	"worldwritableforwardfile", "worldwritableincludefile", "writemaptohardlink",
	"writemaptosymlink", "writestatstohardlink", "writestatstosymlink", NULL
};

static const char *const resolver_words[] = {
	"debug", "aaonly", "usevc", "primary", "igntc", "recurse", "defnames", "stayopen",
	"use_inet6", "dnsrch", "use_edns0", "use_dnssec", "trustad", NULL
};

unsigned long DontBlame;	/* bit i: dbs_words[i] */

static bool inlist(const char *const *list, const char *w)
{
	for (; *list != NULL; list++)
		if (strcasecmp(*list, w) == 0)
			return true;
	return false;
}

static long dbs_bit(const char *w)
{
	long i;
	for (i = 0; dbs_words[i] != NULL; i++)
		if (strcasecmp(dbs_words[i], w) == 0)
			return i;
	return -1;
}

bool dontblame(const char *word)
{
	long i = dbs_bit(word);
	return i > 0 && (DontBlame >> i) & 1;
}

long convtime(const char *p, int units)
{
	long t = 0, r;
	bool pos = true;

	while (*p != '\0') {
		int c;
		r = 0;
		if (*p == '-') {
			pos = false;
			p++;
		}
		while (isdigit((unsigned char)*p))
			r = r * 10 + (*p++ - '0');
		c = *p++;
		if (c == '\0') {
			c = units;
			p--;
		} else if (strchr("wdhms", c) == NULL) {
			usrerr("Invalid time unit `%c'", c);
			c = units;
		}
		switch (c) {
		case 'w': r *= 7; /* FALLTHROUGH */
		case 'd': r *= 24; /* FALLTHROUGH */
		case 'h': r *= 60; /* FALLTHROUGH */
		case 'm': r *= 60; /* FALLTHROUGH */
		case 's': break;
		default: r *= 60; break;
		}
		t += pos ? r : -r;
	}
	return t;
}

static bool isbooltrue(const char *v)
{
	return *v == '\0' || strchr("tTyY", *v) != NULL;
}

/* split "a,b c" style lists into words (separated by commas and white space) */
static void each_word(const char *val, bool (*fn)(const char *w, void *arg), void *arg)
{
	char *copy = xstrdup(val), *p = copy, *w;

	while (*p != '\0') {
		while (*p != '\0' && (isspace((unsigned char)*p) || *p == ','))
			p++;
		if (*p == '\0')
			break;
		w = p;
		while (*p != '\0' && !isspace((unsigned char)*p) && *p != ',')
			p++;
		if (*p != '\0')
			*p++ = '\0';
		if (!fn(w, arg))
			break;
	}
	free(copy);
}

static bool privacy_word(const char *w, void *arg)
{
	(void)arg;
	if (!inlist(privacy, w))
		syserr("readcf: Op line: %s unrecognized", w);
	return true;
}

static bool dbs_word(const char *w, void *arg)
{
	long i = dbs_bit(w);
	(void)arg;
	if (i < 0)
		syserr("readcf: DontBlameSendmail option: %s unrecognized", w);
	else if (i == 0)
		DontBlame = 0;
	else
		DontBlame |= 1UL << i;
	return true;
}

static bool resolver_word(const char *w, void *arg)
{
	bool clear = (*w == '-');
	(void)arg;
	if (strcasecmp(w, "HasWildcardMX") == 0) {
		HasWildcardMX = true;
		return true;
	}
	if (strcasecmp(w, "WorkAroundBrokenAAAA") == 0)
		return true;
	if (*w == '+' || *w == '-')
		w++;
	if (!inlist(resolver_words, w))
		syserr("readcf: I option value %s unrecognized", w);
	(void)clear;
	return true;
}

/* the text last given for each timeout (NULL: not set) */
static char *timeout_vals[sizeof timeouts / sizeof timeouts[0]];
/* when each was set: a generic queuewarn/queuereturn set after a per-class one wins */
static unsigned long timeout_seq[sizeof timeouts / sizeof timeouts[0]], timeout_clock;
/* set on the command line (-OTimeout.x=): the configuration cannot change it */
static bool timeout_sticky[sizeof timeouts / sizeof timeouts[0]];
static bool timeout_set_sticky;

static void settimeout(const char *name, const char *val)
{
	size_t i;

	for (i = 0; timeouts[i] != NULL; i++)
		if (strcasecmp(timeouts[i], name) == 0) {
			if (timeout_sticky[i] && !timeout_set_sticky)
				return;
			timeout_sticky[i] = timeout_sticky[i] || timeout_set_sticky;
			free(timeout_vals[i]);
			timeout_vals[i] = xstrdup(val);
			timeout_seq[i] = ++timeout_clock;
			return;
		}
	syserr("settimeout: invalid timeout %s", name);
}

long timeout_seconds(const char *name, long dflt)
{
	size_t i;

	for (i = 0; timeouts[i] != NULL; i++)
		if (strcasecmp(timeouts[i], name) == 0 && timeout_vals[i] != NULL &&
		    timeout_vals[i][0] != '\0')
			return convtime(timeout_vals[i], 'm');
	return dflt;
}

long timeout_class_seconds(const char *name, const char *cls, long dflt)
{
	size_t i, g = 0, c = 0;
	bool hasg = false, hasc = false;
	size_t nl = strlen(name);

	for (i = 0; timeouts[i] != NULL; i++) {
		if (timeout_vals[i] == NULL || timeout_vals[i][0] == '\0')
			continue;
		if (strcasecmp(timeouts[i], name) == 0)
			g = i, hasg = true;
		else if (strncasecmp(timeouts[i], name, nl) == 0 && timeouts[i][nl] == '.' &&
			 strcasecmp(timeouts[i] + nl + 1, cls) == 0)
			c = i, hasc = true;
	}
	if (hasc && (!hasg || timeout_seq[c] > timeout_seq[g]))
		return convtime(timeout_vals[c], 'm');
	return hasg ? convtime(timeout_vals[g], 'm') : dflt;
}

/* Timeout=a=1m,b=2m or a bare time (legacy Or) */
static void inittimeouts(const char *val)
{
	char *copy = xstrdup(val), *p = copy;

	while (*p != '\0') {
		char *item = p, *eq;
		while (*p != '\0' && *p != ',')
			p++;
		if (*p != '\0')
			*p++ = '\0';
		while (isspace((unsigned char)*item))
			item++;
		if (*item == '\0')
			continue;
		eq = strchr(item, '=');
		if (eq == NULL) {
			if (isdigit((unsigned char)*item))
				continue;	/* a bare time: all the SMTP read timeouts */
			settimeout(item, "");
		} else {
			*eq = '\0';
			settimeout(item, eq + 1);
		}
	}
	free(copy);
}

static struct option *find_letter(int c)
{
	size_t i;
	for (i = 0; i < NOPTIONS; i++)
		if (options[i].letter == c)
			return &options[i];
	return NULL;
}

static void apply(struct option *o, const char *val)
{
	free(o->value);
	o->value = xstrdup(val);

	if (o->type == O_BOOL) {
		bool b = isbooltrue(val);
		if (!strcmp(o->name, "ColonOkInAddr"))
			ColonOkInAddr = b;
		else if (!strcmp(o->name, "Verbose") && b && Verbose == 0)
			Verbose = 1;
		return;
	}
	if (!strcmp(o->name, "ServiceSwitchFile")) {
		free(ServiceSwitchFile);
		ServiceSwitchFile = xstrdup(val);
	} else if (!strcmp(o->name, "HostsFile")) {
		free(HostsFile);
		HostsFile = xstrdup(val);
	} else if (!strcmp(o->name, "RunAsUser") || !strcmp(o->name, "TrustedUser")) {
		char *user = xstrdup(val), *colon = strchr(user, ':');
		if (colon != NULL)
			*colon = '\0';
		if (*user != '\0' && !isdigit((unsigned char)*user) && getpwnam(user) == NULL)
			syserr("readcf: option %s: unknown user %s", o->name, user);
		free(user);
	} else if (!strcmp(o->name, "LogLevel")) {
		LogLevel = atoi(val);
	} else if (!strcmp(o->name, "MaxAliasRecursion")) {
		MaxAliasRecursion = atoi(val);
	}
}

/* DefaultUser=user[:group] or uid[:gid]: who programs and files are run as */
static void set_default_user(const char *val)
{
	char *copy = xstrdup(val), *colon = strchr(copy, ':');

	if (colon != NULL)
		*colon++ = '\0';
	if (*copy != '\0') {
		if (isdigit((unsigned char)*copy))
			DefUid = (unsigned)strtoul(copy, NULL, 10);
		else {
			struct passwd *pw = getpwnam(copy);
			if (pw == NULL)
				syserr("readcf: option u: unknown user %s", copy);
			else {
				DefUid = pw->pw_uid;
				DefGid = pw->pw_gid;
			}
		}
	}
	if (colon != NULL && *colon != '\0') {
		if (isdigit((unsigned char)*colon))
			DefGid = (unsigned)strtoul(colon, NULL, 10);
		else {
			struct group *gr = getgrnam(colon);
			if (gr == NULL)
				syserr("readcf: option u: unknown group %s", colon);
			else
				DefGid = gr->gr_gid;
		}
	}
	free(copy);
}

static bool apply_special(struct option *o, const char *val)
{
	if (!strcmp(o->name, "DeliveryMode")) {
		int c = *val;
		if (c == '\0')
			c = 'i';
		switch (c) {
		case 'i': case 'b': case 'q': case 'd': case 'I':
			DeliveryMode = c;
			break;
		default:
			syserr("Unknown delivery mode %c", c);
			exit(EX_USAGE);
		}
		{
			char m[2] = { (char)DeliveryMode, 0 };
			macdefine(macid("{deliveryMode}"), m);
		}
	} else if (!strcmp(o->name, "EightBitMode")) {
		int c = lower_c(*val);
		if (strchr("mpsrjac", c) == NULL || c == '\0') {
			syserr("Unknown 8-bit mode %c", *val);
			exit(EX_USAGE);
		}
	} else if (!strcmp(o->name, "ErrorMode")) {
		/* p q m w e */
	} else if (!strcmp(o->name, "BlankSub")) {
		SpaceSub = *val;
	} else if (!strcmp(o->name, "PrivacyOptions")) {
		each_word(val, privacy_word, NULL);
	} else if (!strcmp(o->name, "DontBlameSendmail")) {
		each_word(val, dbs_word, NULL);
	} else if (!strcmp(o->name, "ResolverOptions")) {
		each_word(val, resolver_word, NULL);
	} else if (!strcmp(o->name, "QueueSortOrder")) {
		if (strchr("pPhHfFtTrRmMnNsS", *val) == NULL || *val == '\0')
			syserr("Invalid queue sort order \"%s\"", val);
	} else if (!strcmp(o->name, "Timeout")) {
		inittimeouts(val);
	} else if (!strcmp(o->name, "QueueTimeout")) {
		/* Timeout.queuereturn */
	} else if (!strcmp(o->name, "OperatorChars")) {
		if (token_operators_set())
			message("Warning: OperatorChars is being redefined.\n"
				"         It should only be set before ruleset definitions.");
		free(OperatorChars);
		OperatorChars = xstrdup(val);
	} else if (!strcmp(o->name, "DontProbeInterfaces")) {
		if (strcasecmp(val, "loopback") == 0)
			DontProbeLoopback = true;
		else
			DontProbeInterfaces = isbooltrue(val);
	} else if (!strcmp(o->name, "DefaultUser")) {
		set_default_user(val);
	}
	return true;
}

/* DaemonPortOptions may be given many times, one listening socket each */
static char **DaemonPorts;
static size_t NDaemonPorts;
static bool DaemonPortsSticky;	/* given on the command line: the cf's are ignored */

static void note_daemon_port(const struct option *o, const char *val, bool sticky)
{
	if (strcmp(o->name, "DaemonPortOptions") != 0)
		return;
	if (DaemonPortsSticky && !sticky)
		return;
	DaemonPortsSticky = sticky;
	DaemonPorts = xreallocarray(DaemonPorts, NDaemonPorts + 2, sizeof *DaemonPorts);
	DaemonPorts[NDaemonPorts++] = xstrdup(val);
	DaemonPorts[NDaemonPorts] = NULL;
}

char **daemon_port_specs(void)
{
	return DaemonPorts;
}

bool setoption_long(const char *name, const char *val, bool safe, bool sticky)
{
	size_t i, nlen = strlen(name);
	struct option *match = NULL;
	bool ambiguous = false;
	const char *other = NULL;

	(void)safe;
	if (strncasecmp(name, "Timeout.", 8) == 0) {
		timeout_set_sticky = sticky;
		settimeout(name + 8, val);
		timeout_set_sticky = false;
		return true;
	}
	if (strncasecmp(name, "Milter.", 7) == 0)
		return true;
	for (i = 0; i < NOPTIONS; i++) {
		if (strncasecmp(options[i].name, name, nlen) != 0)
			continue;
		if (strlen(options[i].name) == nlen) {
			match = &options[i];
			ambiguous = false;
			break;
		}
		if (match == NULL)
			match = &options[i];
		else if (!ambiguous) {
			ambiguous = true;
			other = options[i].name;
		}
	}
	if (match == NULL) {
		syserr("readcf: unknown option name %s", name);
		return false;
	}
	if (ambiguous) {
		syserr("readcf: ambiguous option name %s (matches %s and %s)", name, match->name,
		       other);
		return false;
	}
	if (match->sticky && !sticky)
		return true;
	if (sticky)
		match->sticky = true;
	note_daemon_port(match, val, sticky);
	if (strlen(match->name) != nlen) {
		int saved = Verbose;
		Verbose = 1;
		message("Option %s used as abbreviation for %s", name, match->name);
		Verbose = saved;
	}
	if (match->type == O_SPECIAL) {
		free(match->value);
		match->value = xstrdup(val);
		return apply_special(match, val);
	}
	apply(match, val);
	return true;
}

bool setoption(int opt, const char *val, bool safe, bool sticky)
{
	struct option *o;

	if (opt == ' ') {
		/* long form: " Name=value" */
		const char *p = val;
		char *name;
		size_t n;

		while (isspace((unsigned char)*p))
			p++;
		n = 0;
		while (p[n] != '\0' && p[n] != '=' && !isspace((unsigned char)p[n]))
			n++;
		name = xstrndup(p, n);
		p += n;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '=') {
			p++;
			while (isspace((unsigned char)*p))
				p++;
		} else if (*p != '\0') {
			syserr("readcf: option %s: = expected", name);
			free(name);
			return false;
		}
		{
			bool r = setoption_long(name, p, safe, sticky);
			free(name);
			return r;
		}
	}
	if (opt == 'M') {
		/* OMx value: define a macro */
		const char *ep;
		int mid = macid_parse(val, &ep);
		if (mid != 0)
			macdefine(mid, ep);
		return true;
	}
	if (opt == 'g')
		return true;	/* old group id option */
	o = find_letter(opt);
	if (o == NULL) {
		syserr("readcf: unknown option name 0x%x", opt & 0xff);
		return false;
	}
	if (o->sticky && !sticky)
		return true;
	if (sticky)
		o->sticky = true;
	note_daemon_port(o, val, sticky);
	if (o->type == O_SPECIAL) {
		free(o->value);
		o->value = xstrdup(val);
		return apply_special(o, val);
	}
	apply(o, val);
	return true;
}

/* Callers ask for options by literal names, many times per message: the table index a
 * name pointer found last time is tried first (and checked by name, so a reused pointer
 * costs only a search). */
#define OPT_MEMO 64

const char *option_value(const char *name)
{
	static struct {
		const char *name;
		size_t index;
	} memo[OPT_MEMO];
	size_t i, h = ((size_t)name >> 3) % OPT_MEMO;

	if (memo[h].name == name && strcasecmp(options[memo[h].index].name, name) == 0)
		return options[memo[h].index].value;
	for (i = 0; i < NOPTIONS; i++)
		if (strcasecmp(options[i].name, name) == 0) {
			memo[h].name = name;
			memo[h].index = i;
			return options[i].value;
		}
	return NULL;
}

void options_init(void)
{
	macdefine(macid("{deliveryMode}"), "b");
}
