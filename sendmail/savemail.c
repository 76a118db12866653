/* savemail.c -- ErrorMode for the recipients a submission refused (see savemail.h). */
#include "savemail.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#include "conf.h"
#include "deliver.h"
#include "diag.h"
#include "dsn.h"
#include "log.h"
#include "macro.h"
#include "mailer.h"
#include "putmsg.h"
#include "xalloc.h"

static int errmode(void)
{
	const char *v = option_value("ErrorMode");
	return v != NULL && *v != '\0' ? *v : 'p';
}

bool deadletter_append(const struct queue *q, const struct envelope *e, const char *path)
{
	sbuf out = SBUF_INIT, t = SBUF_INIT, v = SBUF_INIT, df = SBUF_INIT;
	const char *fl = option_value("UnixFromLine");
	const char *oldg = macvalue('g'), *oldd = macvalue('d');
	char *saveg = oldg != NULL ? xstrdup(oldg) : NULL, *saved = oldd != NULL ? xstrdup(oldd) : NULL;
	char d[64];
	time_t now = time(NULL);
	size_t i;
	int fd, err = 0;
	bool ok = true;

	sb_init(&out);
	sb_init(&t);
	sb_init(&v);
	sb_init(&df);
	macdefine('g', dsn_return_path(e, &v));
	ctime_r(&now, d);
	d[strcspn(d, "\n")] = '\0';
	macdefine('d', d);
	translate_dollars(fl != NULL ? fl : "From $g $d", &t);
	expand(t.s, &out);
	sb_putc(&out, '\n');
	for (i = 0; i < e->nhdrs; i++) {
		const struct qheader *h = &e->hdrs[i];
		if (strcasecmp(h->name, "Bcc") == 0 || strcasecmp(h->name, "Resent-Bcc") == 0 ||
		    !header_cond_met(h, FileMailer))
			continue;
		sb_reset(&t);
		expand(h->value, &t);
		sb_printf(&out, "%s:%s\n", h->name, t.s);
	}
	sb_putc(&out, '\n');
	macdefine('g', saveg);
	macdefine('d', saved);
	free(saveg);
	free(saved);

	/* the body as the file mailer writes it, then a blank line */
	ok = queue_read_body(q, e, &df);
	if (ok)
		put_file_body(&df, &out);
	sb_putc(&out, '\n');

	if (ok) {
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			ok = false;
		else {
			const char *p = out.s;
			size_t left = out.len;
			while (left > 0) {
				ssize_t w = write(fd, p, left);
				if (w < 0) {
					if (errno == EINTR)
						continue;
					ok = false;
					break;
				}
				p += w;
				left -= (size_t)w;
			}
			if (ok && fsync(fd) != 0)
				ok = false;
			err = errno;
			close(fd);
		}
	}
	if (!ok && err != 0)
		errno = err;
	sb_free(&out);
	sb_free(&t);
	sb_free(&v);
	sb_free(&df);
	return ok;
}

/* the refused recipients to a bounce, delivered at once as 8.17 does */
static bool mail_back(const struct queue *q, const struct envelope *e, const struct rcptlist *rl,
		      long msgsize)
{
	struct dsn_rcpt *r = xreallocarray(NULL, rl->n ? rl->n : 1, sizeof *r);
	struct dsn_report rep;
	char **ids = NULL;
	size_t n = 0, i, nids = 0;
	sbuf err = SBUF_INIT, user = SBUF_INIT;
	int rc;

	sb_init(&err);
	sb_init(&user);
	for (i = 0; i < rl->n; i++) {
		const struct rcpt *x = &rl->v[i];
		if (x->state != RS_BAD)
			continue;
		memset(&r[n], 0, sizeof r[n]);
		r[n].paddr = x->paddr;
		r[n].alias = x->parent >= 0 ? rl->v[x->parent].paddr : NULL;
		r[n].action = DSN_FAILED;
		r[n].qflags = x->qflags;
		r[n].status = x->status;
		r[n].rstatus = x->rstatus;
		r[n].exitstat = x->exitstat;
		r[n].finalrcpt = x->finalrcpt;
		r[n].orcpt = x->orcpt;
		r[n].mailer = x->mailer;
		r[n].user = x->user;
		n++;
	}
	memset(&rep, 0, sizeof rep);
	rep.reason = DSN_ERROR;
	rep.rcpts = r;
	rep.nrcpts = n;
	rep.transcript = rl->transcript.len > 0 ? rl->transcript.s : NULL;
	rep.msgsize = msgsize;
	rc = n > 0 ? dsn_send(q, e, &rep, &ids, &nids, &err) : 0;
	if (rc < 0)
		syserr("savemail: cannot send the error message: %s", err.s);
	{
		/* a mailer that dies early must not take the submission with it (children get
		 * SIGPIPE back: spawn.h) */
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);
		for (i = 0; i < nids; i++) {
			(void)deliver_queued(q, ids[i], false);
			free(ids[i]);
		}
		signal(SIGPIPE, old);
	}
	free(ids);
	free(r);
	sb_free(&err);
	sb_free(&user);
	return rc >= 0;
}

int savemail(const struct queue *q, const struct envelope *e, const struct rcptlist *rl,
	     bool sender_is_user, const char *home, long msgsize, int status)
{
	int mode = errmode();

	if (rl->nbad == 0)
		return status;
	switch (mode) {
	case 'q':
		return status;
	case 'p':
		if (sender_is_user && home != NULL) {
			sbuf path = SBUF_INIT;
			sb_init(&path);
			sb_printf(&path, "%s/dead.letter", strcmp(home, "/") == 0 ? "" : home);
			if (deadletter_append(q, e, path.s))
				message("%s... Saved message in %s", path.s, path.s);
			else {
				sm_syslog(LOG_ERR, e->id, "savemail: cannot save in %s: %s", path.s,
					  strerror(errno));
				(void)mail_back(q, e, rl, msgsize);
			}
			sb_free(&path);
			return status;
		}
		(void)mail_back(q, e, rl, msgsize);
		return status;
	case 'e':
		(void)mail_back(q, e, rl, msgsize);
		return EX_OK;
	default:
		(void)mail_back(q, e, rl, msgsize);
		return status;
	}
}
