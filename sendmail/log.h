/* log.h -- the mail log.
 *
 * Lines go to syslog (facility mail, identifier "sendmail" or -L's, with the pid) as 8.17
 * writes them: "<queue id>: <text>", or "NOQUEUE: <text>" before a message has an id.
 * Callers check LogLevel themselves, as 8.17's code does, so the levels at which lines
 * appear stay in the caller's sight. */
#ifndef LOG_H
#define LOG_H
#include <syslog.h>

/* At startup, before anything is logged; ident NULL means "sendmail". */
void log_open(const char *ident);
/* One line: pri is a syslog level (LOG_INFO, LOG_NOTICE, ...); id NULL or "" means NOQUEUE. */
void sm_syslog(int pri, const char *id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
