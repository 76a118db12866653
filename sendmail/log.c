/* log.c -- the mail log (see log.h). */
#include "log.h"
#include <stdarg.h>
#include <stdio.h>
#include "sbuf.h"

static const char *Ident = "sendmail";

void log_open(const char *ident)
{
	if (ident != NULL && *ident != '\0')
		Ident = ident;
	openlog(Ident, LOG_PID, LOG_MAIL);
}

void sm_syslog(int pri, const char *id, const char *fmt, ...)
{
	sbuf msg = SBUF_INIT;
	va_list ap;

	sb_init(&msg);
	va_start(ap, fmt);
	sb_vprintf(&msg, fmt, ap);
	va_end(ap);
	syslog(LOG_MAIL | pri, "%s: %s", id != NULL && *id != '\0' ? id : "NOQUEUE", msg.s);
	sb_free(&msg);
}
