/* mailexec.h -- the delivery agents that are programs (P=path, A=argv) and the *file*
 * mailer ([FILE]): the message goes to a program's stdin or is appended to a file, and the
 * outcome comes back as a sysexits status with 8.17's texts and DSN codes. */
#ifndef MAILEXEC_H
#define MAILEXEC_H
#include "mailer.h"
#include "sbuf.h"

struct exec_job {
	MAILER *m;
	char **users;		/* $u of each recipient (argv elements with $u repeat per user) */
	size_t nusers;
	const char *host;	/* $h */
	long uid, gid;		/* whom the program runs as / the file is written as (-1: ours) */
	const sbuf *data;	/* the message as the mailer wants it (From line, E= line ends) */
	/* results */
	sbuf out;		/* what the program said (stdout and stderr) */
};

/* Whether the envelope sender is known, as 8.17's FromFlag: true for mail from SMTP and for
 * queue runs, false while a command-line submission without -f/-r is delivered.  Mailers
 * with F=f (F=r) get "-f $g" ("-r $g") after argv[0] only when it is true. */
extern bool SenderKnown;

/* Run the mailer of j once for all its users; EX_OK or the failing sysexits status. */
int exec_deliver(struct exec_job *j);
/* Append the message to the file named j->users[0] (SafeFileEnvironment applies). */
int file_deliver(struct exec_job *j);

/* 8.17's texts for a sysexits status: the DSN code where it is reported ("5.1.1"), the
 * Status: of a recipient it fails, and the message ("User unknown"; exit_message gives
 * NULL and exit_text "unknown mailer error N" for the others). */
const char *exit_dsn(int stat);
const char *exit_status(int stat);
const char *exit_message(int stat);
void exit_text(int stat, sbuf *out);
/* EX_TEMPFAIL, EX_OSERR and EX_IOERR are tried again later; the others are final. */
int exit_is_temporary(int stat);

#endif
