/* log.h -- the mail log.
 *
 * Lines go to syslog (facility mail, identifier "sendmail" or -L's, with the pid) as 8.17
 * writes them: "<queue id>: <text>", or "NOQUEUE: <text>" before a message has an id.
 * Callers check LogLevel themselves, as 8.17's code does, so the levels at which lines
 * appear stay in the caller's sight.
 *
 * Our own option LogFile (not in 8.17) sends the same lines to a file, or to stderr with
 * LogFile=stderr, for hosts without a syslog daemon (containers): each line as a
 * traditional syslog file shows it, "Mmm dd hh:mm:ss host ident[pid]: text", so log
 * tools read it as they read /var/log/mail.log. */
#ifndef LOG_H
#define LOG_H
#include <syslog.h>

/* At startup, before anything is logged; ident NULL means "sendmail". */
void log_open(const char *ident);
/* close syslog's socket and the LogFile, before a process closes every descriptor it does
 * not know; log_open() then, and the next line opens them again */
void log_close(void);
/* One line: pri is a syslog level (LOG_INFO, LOG_NOTICE, ...); id NULL or "" means NOQUEUE. */
void sm_syslog(int pri, const char *id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same without the id prefix (8.17's daemon lines: "starting daemon ..."). */
void sm_syslog_raw(int pri, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
