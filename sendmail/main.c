/* main.c -- the sendmail command: argument parsing and dispatch to the operating mode.
 *
 * The program's name selects a mode as 8.17's does (newaliases, mailq, hoststat, ...);
 * -b selects it otherwise.  Startup is always the same: built-in macros, mailers and map
 * classes; the host's identity; the configuration file; command-line options on top. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "alias.h"
#include "cmdline.h"
#include "conf.h"
#include "daemon.h"
#include "debug.h"
#include "deliver.h"
#include "diag.h"
#include "hostname.h"
#include "hoststatus.h"
#include "log.h"
#include "macro.h"
#include "mailer.h"
#include "map.h"
#include "queue.h"
#include "queuerun.h"
#include "recipient.h"
#include "smtpd.h"
#include "stab.h"
#include "submit.h"
#include "switch.h"
#include "testmode.h"
#include "token.h"
#include "xalloc.h"

#define DEFAULT_CF "/etc/mail/sendmail.cf"

struct cmdopt {
	int letter;		/* 'o' short or 'O' long */
	char *value;
};

struct cmdline Cmd;

/* A flag that stands for an option ("-i" is "-oi"): remembered with the -o options. */
static void add_opt(struct cmdopt **opts, size_t *nopts, int letter, const char *value)
{
	*opts = xreallocarray(*opts, *nopts + 1, sizeof **opts);
	(*opts)[*nopts].letter = letter;
	(*opts)[*nopts].value = xstrdup(value);
	(*nopts)++;
}

static void usage_exit(const char *msg)
{
	fprintf(stderr, "%s\n", msg);
	exit(EX_USAGE);
}

/* -d0.1: what this binary is and who it thinks it is */
static void print_version(void)
{
	static const char *const features[] = {
		"DNSMAP", "IPV6_FULL", "LOG", "MAP_REGEX", "NAMED_BIND", "NETINET", "NETINET6",
		"NETUNIX", "NEWDB=5.3", "PIPELINING", "SCANF", NULL
	};
	size_t i, col = strlen(" Compiled with:");

	printf("Version %s\n Compiled with:", VERSION_STRING);
	for (i = 0; features[i] != NULL; i++) {
		size_t len = strlen(features[i]);
		if (i > 0 && col + 1 + len > 64) {
			printf("\n\t\t%s", features[i]);
			col = len;
		} else {
			printf(" %s", features[i]);
			col += 1 + len;
		}
	}
	printf("\n\n");
}

static void print_identity(void)
{
	const char *w = macvalue('w'), *j = macvalue('j'), *m = macvalue('m'), *k = macvalue('k');

	printf("============ SYSTEM IDENTITY (after readcf) ============\n");
	printf("      (short domain name) $w = %s\n", w ? w : "");
	printf("  (canonical domain name) $j = %s\n", j ? j : "");
	printf("         (subdomain name) $m = %s\n", m ? m : "");
	printf("              (node name) $k = %s\n", k ? k : "");
	printf("========================================================\n\n");
}

int main(int argc, char **argv)
{
	const char *cfname = DEFAULT_CF;
	const char *prog = strrchr(argv[0], '/');
	struct cmdopt *opts = NULL;
	size_t nopts = 0, i;
	int c;
	bool queuerun = false;

	prog = prog ? prog + 1 : argv[0];
	Cmd.argc = argc;
	Cmd.argv = xmalloc(size_mul((size_t)argc + 1, sizeof *Cmd.argv));
	for (i = 0; i < (size_t)argc; i++)
		Cmd.argv[i] = xstrdup(argv[i]);
	Cmd.argv[argc] = NULL;
	if (strcmp(prog, "newaliases") == 0)
		OpMode = MD_INITALIAS;
	else if (strcmp(prog, "mailq") == 0)
		OpMode = MD_PRINT;
	else if (strcmp(prog, "hoststat") == 0)
		OpMode = MD_HOSTSTAT;
	else if (strcmp(prog, "purgestat") == 0)
		OpMode = MD_PURGESTAT;
	else if (strcmp(prog, "smtpd") == 0)
		OpMode = MD_DAEMON;

	/* a lone -q (run the queue once) has no argument, which getopt cannot express */
	for (i = 1; i < (size_t)argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-q") == 0)
			argv[i] = (char *)"-q0";
	opterr = 0;
	while ((c = getopt(argc, argv, "A:B:b:C:cD:d:e:F:f:Gh:IiL:M:mN:nO:o:p:Q:q:R:r:sTtUV:vX:")) != -1) {
		switch (c) {
		case 'q':
			/* -q takes an optional argument: "-q -bt" is two flags */
			queuerun = true;
			if (optarg[0] == '-' && optind > 1 && argv[optind - 1] == optarg) {
				optind--;
				optarg = (char *)"";
			}
			Cmd.qargs = xreallocarray(Cmd.qargs, Cmd.nqargs + 1, sizeof *Cmd.qargs);
			Cmd.qargs[Cmd.nqargs++] = strcmp(optarg, "0") == 0 ? "" : optarg;
			break;
		case 'f':
		case 'r':
			if (Cmd.from != NULL) {
				fprintf(stderr, "More than one \"from\" person\n");
				ExitStat = EX_USAGE;
				break;
			}
			Cmd.from = optarg;
			Cmd.fromflag = (char)c;
			break;
		case 'F':
			Cmd.fullname = optarg;
			break;
		case 't':
			Cmd.readrcpts = true;
			break;
		case 'n':
			Cmd.noalias = true;
			break;
		case 'h':
			if (optarg[strspn(optarg, "0123456789")] != '\0' || optarg[0] == '\0') {
				/* on stdout, as 8.17 prints it */
				printf("Bad hop count (%s)\n", optarg);
				fflush(stdout);
				exit(EX_USAGE);
			}
			Cmd.hopcount = atoi(optarg);
			break;
		case 'N':
			Cmd.notify = optarg;
			break;
		case 'R':
			Cmd.ret = optarg;
			break;
		case 'V':
			Cmd.envid = optarg;
			break;
		case 'B':
			Cmd.bodytype = optarg;
			break;
		case 'p':
			Cmd.protocol = optarg;
			break;
		case 'Q':
			Cmd.quarantine = optarg;
			break;
		case 'L':
			Cmd.logident = optarg;
			break;
		case 'X':
			Cmd.trafficlog = optarg;
			break;
		case 'D':
			Cmd.debugfile = optarg;
			break;
		case 'i':	/* these are options under another name, as in 8.17 */
			add_opt(&opts, &nopts, 'o', "i");
			break;
		case 'm':
			add_opt(&opts, &nopts, 'o', "m");
			break;
		case 's':
			add_opt(&opts, &nopts, 'o', "f");
			break;
		case 'c':
			add_opt(&opts, &nopts, 'o', "c");
			break;
		case 'e': {
			char v[3] = { 'e', optarg[0], '\0' };
			add_opt(&opts, &nopts, 'o', v);
			break;
		}
		case 'b':
			if (optarg[0] == 'z') {
				fprintf(stderr, "Frozen configurations unsupported\n");
				exit(EX_USAGE);
			}
			if (strchr("msdDtvipPhHCaO", optarg[0]) == NULL || optarg[0] == '\0') {
				fprintf(stderr, "Invalid operation mode %c\n", optarg[0]);
				exit(EX_USAGE);
			}
			OpMode = optarg[0];
			break;
		case 'C':
			cfname = optarg;
			Cmd.cffile = optarg;
			break;
		case 'd':
			debug_set(optarg);
			break;
		case 'O':
		case 'o':
			if ((c == 'o' && optarg[0] == 'Q') ||
			    (c == 'O' && strncasecmp(optarg, "QueueDirectory", 14) == 0))
				Cmd.queuedir_given = true;
			add_opt(&opts, &nopts, c, optarg);
			break;
		case 'M': {
			const char *ep;
			int mid = macid_parse(optarg, &ep);
			if (mid != 0)
				macdefine(mid, ep);
			break;
		}
		case 'v':
			Verbose = 1;
			break;
		case 'I':
			OpMode = MD_INITALIAS;
			break;
		case '?':
			usage_exit("usage: sendmail [flags] [addresses]");
			break;
		default:
			break;
		}
	}

	Cmd.args = argv + optind;
	Cmd.nargs = argc - optind;
	Cmd.queuerun = queuerun;

	Scratch = arena_new();
	log_open(Cmd.logident);
	if (OpMode != MD_DAEMON && OpMode != MD_FGDAEMON && OpMode != MD_SMTP)
		diag_out = stdout;	/* interactive modes: messages go with the answers, as in 8.17 */
	macros_init();
	options_init();
	maps_init();
	setupmailers();
	set_identity();
	{
		char mode[2] = { (char)OpMode, '\0' };
		macdefine(macid("{opMode}"), mode);
	}
	if (OpMode == MD_TEST && Verbose == 0)
		Verbose = 2;
	if (tTd(0, 1))
		print_version();
	/* command-line options first: they are sticky, the configuration cannot undo them */
	for (i = 0; i < nopts; i++) {
		errno = 0;
		if (opts[i].letter == 'O')
			setoption(' ', opts[i].value, false, true);
		else if (opts[i].value[0] != '\0')
			setoption((unsigned char)opts[i].value[0], opts[i].value + 1, false, true);
	}
	for (i = 0; i < nopts; i++)
		free(opts[i].value);
	free(opts);
	if (queuerun && OpMode != MD_DAEMON && OpMode != MD_FGDAEMON && OpMode != MD_DELIVER &&
	    OpMode != MD_PRINT && OpMode != MD_PRINTNQE) {
		message("Can not use -q with -b%c", OpMode);
		ExitStat = EX_USAGE;
	}
	if (!readcf(cfname, true))
		exit(EX_OSFILE);
	if (ConfigLevel < CF_LEVEL_MAX)
		message("Warning: .cf file is out of date: sendmail %s supports version %d, .cf file is version %d",
			VERSION_STRING, CF_LEVEL_MAX, ConfigLevel);
	else if (ConfigLevel > CF_LEVEL_MAX)
		message("Warning: .cf version level (%d) exceeds sendmail version %s functionality (%d)",
			ConfigLevel, VERSION_STRING, CF_LEVEL_MAX);
	probe_interfaces();
	if (tTd(0, 1))
		print_identity();
	{
		/* the resolver is used (and its failures reported) only if the switch says so */
		char **methods = switch_services("hosts");
		UseNameServer = false;
		for (; methods != NULL && *methods != NULL; methods++)
			if (strcmp(*methods, "dns") == 0)
				UseNameServer = true;
	}
	alias_maps_init();
	if (map_find("host") == NULL)
		map_declare("host", "host", ConfigLevel >= 2 ? "-a. -D" : "");
	{
		const char *j = macvalue('j');
		if (j == NULL || strchr(j, '.') == NULL)
			message("WARNING: local host name (%s) is not qualified; see cf/README: WHO AM I?",
				j ? j : "");
	}
	mailers_after_cf();

	deliver_init();
	if (Cmd.queuerun && OpMode == MD_DELIVER)
		exit(queuerun_main());
	switch (OpMode) {
	case MD_TEST:
		c = testmode(stdin);
		maps_close();
		exit(c);
	case MD_INITALIAS: {
		const char *qd = option_value("QueueDirectory");
		if (qd == NULL)
			qd = "/var/spool/mqueue";
		if (chdir(qd) != 0) {
			syserr("can not chdir(%s/): %s", qd, strerror(errno));
			exit(EX_CONFIG);
		}
		exit(alias_rebuild());
	}
	case MD_PRINT:
		exit(print_queue());
	case MD_PRINTNQE:
		/* the queue counts live in shared memory, which this build does not keep */
		printf("Data unavailable: shared memory not updated\n");
		exit(EX_OK);
	case MD_HOSTSTAT:
	case MD_PURGESTAT: {
		const char *qd = queue_directory();
		if (chdir(qd) != 0) {
			syserr("can not chdir(%s/): %s", qd, strerror(errno));
			exit(EX_CONFIG);
		}
		exit(OpMode == MD_HOSTSTAT ? print_hoststat() : purge_hoststat());
	}
	case MD_VERIFY:
		if (Cmd.nargs == 0) {
			usrerr("Recipient names must be specified");
			exit(EX_USAGE);
		}
		exit(verify_addresses(Cmd.args, Cmd.nargs));
	case MD_SMTP:
		exit(smtpd(0, 1, NULL));
	case MD_DAEMON:
	case MD_FGDAEMON:
		exit(daemon_main(OpMode == MD_FGDAEMON));
	case MD_DELIVER:
		if (!Cmd.queuerun) {
			c = submit_main();
			maps_close();	/* the alias maps recipient expansion opened */
			exit(c);
		}
		fprintf(stderr, "sendmail: queue runs are not available yet\n");
		exit(EX_USAGE);
	case MD_CHECKCONFIG:
		exit(diag_errors ? EX_CONFIG : EX_OK);
	default:
		fprintf(stderr, "sendmail: operation mode -b%c is not available yet\n", OpMode);
		exit(EX_USAGE);
	}
	return 0;
}
