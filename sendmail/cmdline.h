/* cmdline.h -- what the command line asked for, beyond the mode and the options.
 *
 * main.c fills Cmd while it parses argv; the modes (submission, queue runs, -bv, ...) read
 * it.  Flags that are options in disguise (-i, -m, -s, -e, -c) are turned into options by
 * main.c and do not appear here. */
#ifndef CMDLINE_H
#define CMDLINE_H
#include <stdbool.h>
#include <stddef.h>

struct cmdline {
	const char *from;	/* -f / -r: the envelope sender */
	char fromflag;		/* which of the two ('f' or 'r') */
	const char *fullname;	/* -F: the sender's full name */
	bool readrcpts;		/* -t: recipients from To:, Cc:, Bcc: */
	bool noalias;		/* -n */
	int hopcount;		/* -h (0: not given) */
	const char *notify;	/* -N: DSN NOTIFY for the command-line recipients */
	const char *ret;	/* -R: DSN RET (full or hdrs) */
	const char *envid;	/* -V: DSN ENVID */
	const char *bodytype;	/* -B: 7BIT or 8BITMIME */
	const char *protocol;	/* -p: "proto[:host]" ($r and $s) */
	const char *quarantine;	/* -Q: quarantine reason (queue runs: the filter) */
	const char *logident;	/* -L: the syslog identifier */
	const char *trafficlog;	/* -X: log every SMTP line to this file */
	const char *debugfile;	/* -D: debug output to this file */
	const char *cffile;	/* -C: the configuration named on the command line, or NULL */
	bool queuedir_given;	/* QueueDirectory set on the command line */
	bool queuerun;		/* some -q was given */
	const char **qargs;	/* every -q argument as given ("" for a plain -q), in order */
	size_t nqargs;
	char **argv;		/* the command line as given (the daemon's pid file shows it) */
	int argc;
	char **args;		/* the operands (recipients, or what the mode wants) */
	int nargs;
};

extern struct cmdline Cmd;

#endif
