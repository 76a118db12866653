/* log.c -- the mail log (see log.h). */
#include "log.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "conf.h"
#include "sbuf.h"

static const char *Ident = "sendmail";
static char *FilePath;		/* the LogFile the fd below was opened for */
static int FileFd = -1;		/* -1: syslog */

void log_open(const char *ident)
{
	if (ident != NULL && *ident != '\0')
		Ident = ident;
	openlog(Ident, LOG_PID, LOG_MAIL);
}

void log_close(void)
{
	closelog();
	if (FileFd > 2)
		close(FileFd);
	FileFd = -1;
	free(FilePath);
	FilePath = NULL;
}

/* The LogFile option is read at each line: it is set by the configuration, which is read
 * after the first lines may have been logged. */
static int file_dest(void)
{
	const char *want = option_value("LogFile");

	if (want != NULL && *want == '\0')
		want = NULL;
	if (want == NULL ? FilePath == NULL : FilePath != NULL && strcmp(want, FilePath) == 0)
		return FileFd;
	if (FileFd > 2)
		close(FileFd);
	free(FilePath);
	FilePath = NULL;
	FileFd = -1;
	if (want == NULL)
		return -1;
	FilePath = strdup(want);
	if (strcmp(want, "stderr") == 0)
		FileFd = 2;
	else {
		FileFd = open(want, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (FileFd < 0)
			syslog(LOG_MAIL | LOG_ERR, "cannot open LogFile %s: %s; logging to syslog",
			       want, strerror(errno));
	}
	return FileFd;
}

static void emit(int pri, const char *text)
{
	int fd = file_dest();

	if (fd < 0) {
		syslog(LOG_MAIL | pri, "%s", text);
		return;
	}
	{
		sbuf line = SBUF_INIT;
		char stamp[32], host[256];
		time_t now = time(NULL);
		struct tm tm;
		char *dot;
		size_t off = 0;

		localtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%b %e %H:%M:%S", &tm);
		if (gethostname(host, sizeof host) != 0)
			strcpy(host, "localhost");
		host[sizeof host - 1] = '\0';
		if ((dot = strchr(host, '.')) != NULL)
			*dot = '\0';
		sb_init(&line);
		sb_printf(&line, "%s %s %s[%ld]: ", stamp, host, Ident, (long)getpid());
		/* a control character from the wire (a CR, an LF from the command line) would
		 * forge or break a line: escaped as rsyslog writes them, "#" and three octal digits */
		for (const unsigned char *t = (const unsigned char *)text; *t != '\0'; t++) {
			if (*t < 0x20 || *t == 0x7f)
				sb_printf(&line, "#%03o", *t);
			else
				sb_putc(&line, (char)*t);
		}
		sb_putc(&line, '\n');
		/* one write per line: lines of concurrent processes do not interleave */
		while (off < line.len) {
			ssize_t n = write(fd, line.s + off, line.len - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			off += (size_t)n;
		}
		sb_free(&line);
	}
}

void sm_syslog(int pri, const char *id, const char *fmt, ...)
{
	sbuf msg = SBUF_INIT;
	va_list ap;

	sb_init(&msg);
	sb_printf(&msg, "%s: ", id != NULL && *id != '\0' ? id : "NOQUEUE");
	va_start(ap, fmt);
	sb_vprintf(&msg, fmt, ap);
	va_end(ap);
	emit(pri, msg.s);
	sb_free(&msg);
}

void sm_syslog_raw(int pri, const char *fmt, ...)
{
	sbuf msg = SBUF_INIT;
	va_list ap;

	sb_init(&msg);
	va_start(ap, fmt);
	sb_vprintf(&msg, fmt, ap);
	va_end(ap);
	emit(pri, msg.s);
	sb_free(&msg);
}
