/* mail.local.c -- the local delivery agent: appends a message to users' mailboxes in
 * /var/mail (or a file in their home folders, -h), or takes messages over LMTP on stdin and
 * stdout (-l).  Command line, replies, messages, exit statuses and the mailbox bytes are those
 * of sendmail 8.17's mail.local as Debian builds it (with a Content-Length header, liblockfile
 * dot-locks, biff notices); see README.
 *
 * Run as root, it creates a missing mailbox as root and hands it to the user, then switches
 * its effective uid to the user (setreuid, so quotas apply) for the append.  A mailbox must be
 * a regular file with one link, owned by the user; a symlink is refused.  The append is made
 * under an fcntl lock and the user.lock dot-lock, synced before success, and cut back to the
 * old size when any write fails, so nothing half-written stays. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "dotlock.h"
#include "sbuf.h"
#include "store.h"
#include "xalloc.h"

#ifndef MAILDIR
#define MAILDIR "/var/mail"
#endif
#define TMP_TEMPLATE "/tmp/local.XXXXXX"
#define LOCK_RETRIES 15		/* as Debian's 8.17 passes to maillock() */
#define PATH_LIMIT 4096		/* 8.17's MAXPATHLEN-sized mailbox path */
#define LMTP_PIECE 4094		/* longest LMTP command line 8.17 reads at once */

static const char usage_text[] =
	"usage: mail.local [-7] [-b] [-d] [-l] [-f from|-r from] [-h filename] user ...";

static int ExitVal = EX_OK;
static int HoldErrs;		/* keep the last error for flush_error() */
static int LMTPMode;
static int BounceQuota;		/* -b: over quota is a permanent failure */
static int EightBitMime = 1;
static const char *HomeMailFile;	/* -h */
static int MbdbLdap;		/* -D ldap: no LDAP here, every lookup fails temporarily */
static sbuf ErrBuf = SBUF_INIT;

/* ------------------------------------------------------------------------------------------ */
/* errors */

/* Which errors are worth a retry: the exit status follows the errno of the failure, and a
 * temporary failure sticks (one recipient's tempfail makes the whole run tempfail). */
static void exit_from_errno(int err)
{
	if (ExitVal == EX_TEMPFAIL)
		return;
	switch (err) {
	case EDQUOT:
		if (BounceQuota) {
			ExitVal = EX_UNAVAILABLE;
			break;
		}
		/* FALLTHROUGH */
	case EAGAIN: case EBUSY: case EUSERS: case ECONNABORTED: case ECONNREFUSED: case ECONNRESET:
	case EDEADLK: case EFBIG: case EHOSTDOWN: case EHOSTUNREACH: case EMFILE: case ENETDOWN:
	case ENETRESET: case ENETUNREACH: case ENFILE: case ENOBUFS: case ENOMEM: case ENOSPC:
	case EROFS: case ESTALE: case ETIMEDOUT:
		ExitVal = EX_TEMPFAIL;
		break;
	default:
		ExitVal = EX_UNAVAILABLE;
		break;
	}
}

static void flush_error(void)
{
	if (LMTPMode)
		printf("%s\r\n", ErrBuf.s);
	else
		fprintf(stderr, "mail.local: %s\n", ErrBuf.s);
}

/* code: the LMTP reply code and enhanced status ("450 4.2.0"), shown in LMTP mode only. */
static void __attribute__((format(printf, 2, 3))) mailerr(const char *code, const char *fmt, ...)
{
	va_list ap;

	exit_from_errno(errno);
	sb_reset(&ErrBuf);
	if (LMTPMode && code != NULL)
		sb_printf(&ErrBuf, "%s ", code);
	va_start(ap, fmt);
	sb_vprintf(&ErrBuf, fmt, ap);
	va_end(ap);
	if (!HoldErrs)
		flush_error();
	if (!LMTPMode)
		syslog(LOG_ERR, "%s", ErrBuf.s);
}

static void __attribute__((noreturn)) usage(void)
{
	mailerr(NULL, "%s", usage_text);
	exit(ExitVal);
}

/* ------------------------------------------------------------------------------------------ */
/* users */

struct user {
	char *name;
	uid_t uid;
	gid_t gid;
	char *home;
};

static void user_free(struct user *u)
{
	free(u->name);
	free(u->home);
	memset(u, 0, sizeof *u);
}

/* EX_OK, EX_NOUSER or EX_TEMPFAIL */
static int user_lookup(const char *name, struct user *u)
{
	struct passwd *pw;

	if (MbdbLdap)
		return EX_TEMPFAIL;
	if (*name == '\0')
		return EX_NOUSER;
	errno = 0;
	pw = getpwnam(name);
	if (pw == NULL)
		return errno == 0 || errno == ENOENT || errno == ESRCH || errno == EBADF || errno == EPERM
			? EX_NOUSER : EX_TEMPFAIL;
	u->name = xstrdup(pw->pw_name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	u->home = xstrdup(pw->pw_dir != NULL ? pw->pw_dir : "");
	return EX_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* biff: a "user@offset" datagram to the local comsat, when the system knows the service */

static void notify_biff(const char *name, off_t offset)
{
	static int fd = -2;
	static struct sockaddr_in to;
	sbuf msg = SBUF_INIT;

	if (fd == -2) {
		struct servent *sp = getservbyname("biff", "udp");

		fd = -1;
		if (sp == NULL)
			return;
		memset(&to, 0, sizeof to);
		to.sin_family = AF_INET;
		to.sin_port = (in_port_t)sp->s_port;
		to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	}
	if (fd < 0)
		return;
	sb_init(&msg);
	sb_printf(&msg, "%s@%lld\n", name, (long long)offset);
	(void)sendto(fd, msg.s, msg.len + 1, 0, (struct sockaddr *)&to, sizeof to);
	sb_free(&msg);
}

/* ------------------------------------------------------------------------------------------ */
/* the message, kept in an unlinked temporary file */

struct message {
	int fd;
	struct stored st;
};

/* 0 on success; -1 with the error reported (held when HoldErrs); 1: LMTP input ended inside
 * DATA.  inbody is set once the message is being read (LMTP: after the 354). */
static int message_store(const char *from, struct message *m, int *inbody)
{
	char tmpl[] = TMP_TEMPLATE;
	sbuf from_line = SBUF_INIT;
	time_t now;
	FILE *fp;
	enum store_result r;

	(void)umask(077);
	m->fd = mkstemp(tmpl);
	fp = m->fd < 0 ? NULL : fdopen(m->fd, "w+");
	if (fp == NULL) {
		if (m->fd >= 0)
			close(m->fd);
		mailerr("451 4.3.0", "Unable to open temporary file");
		return -1;
	}
	(void)unlink(tmpl);
	if (LMTPMode) {
		printf("354 Go ahead\r\n");
		fflush(stdout);
	}
	if (inbody != NULL)
		*inbody = 1;
	now = time(NULL);
	sb_init(&from_line);
	sb_printf(&from_line, "From %s %s", from, ctime(&now));
	r = store_message(stdin, fp, from_line.s, LMTPMode, &m->st);
	sb_free(&from_line);
	if (r == STORE_EOF_IN_DATA)
		exit(EX_OK);	/* as 8.17: the message is dropped without a reply */
	if (r != STORE_OK) {
		mailerr("451 4.3.0", "Temporary file write error");
		fclose(fp);
		m->fd = -1;
		return -1;
	}
	/* the FILE goes; its descriptor stays for the copies */
	m->fd = dup(m->fd);
	fclose(fp);
	if (m->fd < 0) {
		mailerr("451 4.3.0", "Temporary file flush error");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* delivery to one mailbox */

/* Copy the message to mbfd, the Content-Length header going in at its place. */
static int copy_message(const struct message *m, int mbfd, const char *path)
{
	char buf[8192];
	off_t header = m->st.header_len;
	ssize_t nr, nw;

	if (lseek(m->fd, 0, SEEK_SET) == (off_t)-1) {
		mailerr("450 4.2.0", "Temporary file seek error: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		size_t want = sizeof buf;

		if (header == 0) {
			sbuf cl = SBUF_INIT;
			int ok;

			sb_init(&cl);
			sb_printf(&cl, "Content-Length: %lld\n", m->st.body_len);
			ok = write(mbfd, cl.s, cl.len) == (ssize_t)cl.len;
			sb_free(&cl);
			if (!ok)
				goto write_error;
			header = -1;
		}
		if (header > 0 && (off_t)want > header)
			want = (size_t)header;
		nr = read(m->fd, buf, want);
		if (nr < 0) {
			mailerr("450 4.2.0", "Temporary file read error: %s", strerror(errno));
			return -1;
		}
		if (nr == 0)
			return 0;
		if (header > 0)
			header -= nr;
		for (ssize_t off = 0; off < nr; off += nw) {
			nw = write(mbfd, buf + off, (size_t)(nr - off));
			if (nw < 0)
				goto write_error;
			if (nw == 0) {
				errno = ENOSPC;
				goto write_error;
			}
		}
	}
write_error:
	mailerr(errno == EDQUOT && BounceQuota ? "552 5.2.2" : "450 4.2.0", "Write %s: %s", path,
		strerror(errno));
	return -1;
}

static void deliver(const struct message *m, char *name)
{
	struct user u = { 0 };
	struct stat sb, fsb;
	sbuf path = SBUF_INIT;
	int mbfd = -1, status, locked = 0, as_user = 0;
	off_t curoff;

	status = user_lookup(name, &u);
	if (status == EX_NOUSER) {
		mailerr("550 5.1.1", "%s: User unknown", name);
		return;
	}
	if (status != EX_OK) {
		errno = EAGAIN;
		mailerr("451 4.3.0", "%s: User database failure; retry later", name);
		return;
	}
	sb_init(&path);
	if (HomeMailFile != NULL) {
		if (*u.home == '\0') {
			mailerr("550 5.1.1", "%s: User missing home directory", name);
			goto out;
		}
		sb_printf(&path, "%s/%s", u.home, HomeMailFile);
	} else
		sb_printf(&path, "%s/%s", MAILDIR, name);
	if (path.len >= PATH_LIMIT || strlen(path.s) != path.len) {
		mailerr("550 5.1.1", "%s: Invalid mailbox path", name);
		goto out;
	}

	/* A missing mailbox is made by root and given to the user; an existing one must be the
	 * user's own plain file (no symlink, no second link) before we open it as the user. */
	for (;;) {
		if (lstat(path.s, &sb) == 0)
			break;
		mbfd = open(path.s, O_APPEND | O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, S_IRUSR | S_IWUSR);
		int save = errno;

		if (lstat(path.s, &sb) < 0) {
			ExitVal = ExitVal == EX_TEMPFAIL ? EX_TEMPFAIL : EX_CANTCREAT;
			mailerr("550 5.2.0", "%s: lstat: file changed after open", path.s);
			goto out;
		}
		if (mbfd < 0) {
			if (save == EEXIST)
				continue;
			errno = save;
			mailerr("450 4.2.0", "Create %s: %s", path.s, strerror(save));
			goto out;
		}
		if (fchown(mbfd, u.uid, u.gid) < 0) {
			mailerr("451 4.3.0", "chown %u.%u: %s", (unsigned)u.uid, (unsigned)u.gid, name);
			goto out;
		}
		sb.st_uid = u.uid;
		close(mbfd);
		mbfd = -1;
		goto checked;
	}
	if (sb.st_nlink != 1) {
		errno = 0;
		mailerr("550 5.2.0", "%s: too many links", path.s);
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		errno = 0;
		mailerr("550 5.2.0", "%s: irregular file", path.s);
		goto out;
	}
	if (sb.st_uid != u.uid) {
		errno = 0;
		mailerr("550 5.2.0", "%s: wrong ownership (%d)", path.s, (int)sb.st_uid);
		goto out;
	}
checked:
	/* as the user from here: quotas count, and the user's permissions apply */
	if (setreuid(0, u.uid) < 0) {
		int save = errno;

		mailerr("450 4.2.0", "setreuid(0, %d): %s (r=%d, e=%d)", (int)u.uid, strerror(save),
			(int)getuid(), (int)geteuid());
		goto out;
	}
	as_user = 1;
	mbfd = open(path.s, O_APPEND | O_WRONLY | O_CLOEXEC, 0);
	if (mbfd < 0) {
		mailerr("450 4.2.0", "Append %s: %s", path.s, strerror(errno));
		goto out;
	}
	if (fstat(mbfd, &fsb) < 0 || fsb.st_nlink != 1 || sb.st_nlink != 1 || !S_ISREG(fsb.st_mode) ||
	    sb.st_dev != fsb.st_dev || sb.st_ino != fsb.st_ino || sb.st_uid != fsb.st_uid) {
		ExitVal = EX_TEMPFAIL;
		mailerr("550 5.2.0", "%s: fstat: file changed after open", path.s);
		goto out;
	}
	{
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };

		if (fcntl(mbfd, F_SETLKW, &fl) < 0) {
			mailerr("450 4.2.0", "Lock %s: %s", path.s, strerror(errno));
			goto out;
		}
	}
	switch (dotlock_take(MAILDIR, name, LOCK_RETRIES)) {
	case DOTLOCK_OK:
		locked = 1;
		status = EX_OK;
		break;
	case DOTLOCK_ERROR:
		status = errno;
		break;
	case DOTLOCK_TMPLOCK: case DOTLOCK_TMPWRITE: case DOTLOCK_MAXTRYS:
		errno = 0;
		status = EX_TEMPFAIL;
		break;
	default:
		errno = 0;
		status = EX_UNAVAILABLE;
		break;
	}
	if (!locked) {
		int save = errno;

		if (ExitVal != EX_TEMPFAIL)
			ExitVal = status;
		mailerr("451 4.3.0", "lockmailbox %s failed; error code %d %s", name, status,
			save > 0 ? strerror(save) : "");
		goto out;
	}

	curoff = lseek(mbfd, 0, SEEK_END);
	if (copy_message(m, mbfd, path.s) < 0)
		goto undo;
	if (fsync(mbfd) < 0) {
		mailerr("450 4.2.0", "Sync %s: %s", path.s, strerror(errno));
		goto undo;
	}
	dotlock_release();
	locked = 0;
	if (close(mbfd) < 0) {
		mbfd = -1;
		mailerr(errno == EDQUOT && BounceQuota ? "552 5.2.2" : "450 4.2.0", "Close %s: %s", path.s,
			strerror(errno));
		(void)truncate(path.s, curoff);
	} else {
		mbfd = -1;
		notify_biff(name, curoff);
	}
	as_user = 0;
	if (setreuid(0, 0) < 0) {
		mailerr("450 4.2.0", "setreuid(0, 0): %s", strerror(errno));
		goto out;
	}
	if (LMTPMode)
		printf("250 2.1.5 %s Ok\r\n", name);
	goto out;
undo:
	/* nothing half-written stays: back to the size before this message */
	(void)ftruncate(mbfd, curoff);
out:
	if (mbfd >= 0)
		close(mbfd);
	if (locked)
		dotlock_release();
	if (as_user)
		(void)setreuid(0, 0);
	sb_free(&path);
	user_free(&u);
}

/* ------------------------------------------------------------------------------------------ */
/* LMTP */

/* <address> of MAIL FROM: or RCPT TO:, anything after it (parameters) after a space.  A
 * source route is skipped; RCPT addresses lose their domain.  NULL on a syntax error; "<>"
 * gives MAILER-DAEMON. */
static char *parse_path(const char *s, int rcpt)
{
	const char *p, *start, *at = NULL, *end;

	if (*s++ != '<')
		return NULL;
	p = s;
	while (*p == '@') {
		p++;
		while (*p != ',' && *p != ':' && *p != '\0')
			p++;
		if (*p == '\0')
			return NULL;
		p++;
	}
	start = p;
	while (*p != '\0' && *p != '@' && *p != '>') {
		if (*p == '\\') {
			if (*++p == '\0')
				return NULL;
			p++;
		} else if (*p == '"') {
			p++;
			while (*p != '\0' && *p != '"') {
				if (*p == '\\' && *++p == '\0')
					return NULL;
				p++;
			}
			if (*p++ == '\0')
				return NULL;
		} else
			p++;
	}
	if (*p == '\0')
		return NULL;
	if (*p == '@') {
		at = p;
		while (*p != '\0' && *p != '>')
			p++;
	}
	if (*p != '>')
		return NULL;
	end = p++;
	if (*p != '\0' && *p != ' ')
		return NULL;
	if (rcpt && at != NULL)
		end = at;
	if (end == start)
		return xstrdup(rcpt ? "" : "MAILER-DAEMON");
	return xstrndup(start, (size_t)(end - start));
}

/* A command line: at most LMTP_PIECE bytes, CR LF or LF removed.  0 at end of input. */
static int lmtp_line(sbuf *b)
{
	int c = EOF;

	sb_reset(b);
	while (b->len < LMTP_PIECE && (c = getchar()) != EOF) {
		sb_putc(b, c);
		if (c == '\n')
			break;
	}
	if (b->len == 0)
		return 0;
	if (b->len > 0 && b->s[b->len - 1] == '\n')
		sb_truncate(b, b->len - 1);
	if (b->len > 0 && b->s[b->len - 1] == '\r')
		sb_truncate(b, b->len - 1);
	return 1;
}

static const char *rcpt_check(const char *addr)
{
	struct user u = { 0 };
	sbuf n = SBUF_INIT;
	int r;

	sb_init(&n);
	sb_puts(&n, addr);
	sb_truncate(&n, strcspn(n.s, "+"));
	r = user_lookup(n.s, &u);
	sb_free(&n);
	user_free(&u);
	switch (r) {
	case EX_OK:
		return NULL;
	case EX_NOUSER:
		return "550 5.1.1 User unknown";
	case EX_TEMPFAIL:
		return "451 4.3.0 User database failure; retry later";
	default:
		return "550 5.3.0 User database failure";
	}
}

static void __attribute__((noreturn)) lmtp(void)
{
	char host[256];
	sbuf line = SBUF_INIT;
	char *return_path = NULL, **rcpts = NULL;
	size_t nrcpt = 0, cap = 0;
	int gotlhlo = 0;

	if (gethostname(host, sizeof host) < 0)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	sb_init(&line);
	printf("220 %s LMTP ready\r\n", host);
	for (;;) {
		const char *b;

		fflush(stdout);
		if (!lmtp_line(&line))
			exit(EX_OK);
		b = line.s;
		if (strcasecmp(b, "data") == 0) {
			struct message m;
			int inbody = 0, r;

			if (nrcpt == 0) {
				mailerr("503 5.5.1", "No recipients");
				continue;
			}
			HoldErrs = 1;
			r = message_store(return_path, &m, &inbody);
			HoldErrs = 0;
			if (r < 0 && !inbody) {
				flush_error();
				continue;
			}
			for (size_t i = 0; i < nrcpt; i++) {
				if (r < 0) {
					flush_error();
					continue;
				}
				rcpts[i][strcspn(rcpts[i], "+")] = '\0';
				deliver(&m, rcpts[i]);
			}
			if (r == 0)
				close(m.fd);
			goto rset;
		} else if (strncasecmp(b, "lhlo ", 5) == 0) {
			if (gotlhlo) {
				errno = 0;
				mailerr("503", "%s Duplicate LHLO", host);
				continue;
			}
			gotlhlo = 1;
			printf("250-%s\r\n", host);
			if (EightBitMime)
				printf("250-8BITMIME\r\n");
			printf("250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n");
		} else if (strncasecmp(b, "mail ", 5) == 0) {
			if (return_path != NULL) {
				mailerr("503 5.5.1", "Nested MAIL command");
				continue;
			}
			if (strncasecmp(b + 5, "from:", 5) != 0 || (return_path = parse_path(b + 10, 0)) == NULL) {
				mailerr("501 5.5.4", "Syntax error in parameters");
				continue;
			}
			printf("250 2.5.0 Ok\r\n");
		} else if (strcasecmp(b, "noop") == 0) {
			printf("250 2.0.0 Ok\r\n");
		} else if (strcasecmp(b, "quit") == 0) {
			printf("221 2.0.0 Bye\r\n");
			exit(EX_OK);
		} else if (strncasecmp(b, "rcpt ", 5) == 0) {
			char *addr;
			const char *err;

			if (return_path == NULL) {
				mailerr("503 5.5.1", "Need MAIL command");
				continue;
			}
			if (strncasecmp(b + 5, "to:", 3) != 0 || (addr = parse_path(b + 8, 1)) == NULL) {
				mailerr("501 5.5.4", "Syntax error in parameters");
				continue;
			}
			err = rcpt_check(addr);
			if (err != NULL) {
				free(addr);
				mailerr(NULL, "%s", err);
				continue;
			}
			if (nrcpt == cap) {
				cap = cap ? size_mul(cap, 2) : 8;
				rcpts = xreallocarray(rcpts, cap, sizeof *rcpts);
			}
			rcpts[nrcpt++] = addr;
			printf("250 2.1.5 Ok\r\n");
		} else if (strcasecmp(b, "rset") == 0) {
			printf("250 2.0.0 Ok\r\n");
			goto rset;
		} else if (strncasecmp(b, "vrfy ", 5) == 0) {
			printf("252 2.3.3 Try RCPT to attempt delivery\r\n");
		} else
			mailerr("500 5.5.2", "Syntax error");
		continue;
rset:
		while (nrcpt > 0)
			free(rcpts[--nrcpt]);
		free(return_path);
		return_path = NULL;
	}
}

/* ------------------------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	const char *from = NULL;
	struct message m;
	int ch;

	(void)umask(077);
	openlog("mail.local", 0, LOG_MAIL);
	sb_init(&ErrBuf);
	while ((ch = getopt(argc, argv, "7bdD:f:h:r:lV")) != -1) {
		switch (ch) {
		case '7':
			EightBitMime = 0;
			break;
		case 'b':
			BounceQuota = 1;
			break;
		case 'd':	/* "this is a delivery": always so */
			break;
		case 'D':
			if (strcmp(optarg, "pw") == 0)
				MbdbLdap = 0;
			else if (strcmp(optarg, "ldap") == 0)
				MbdbLdap = 1;
			else {
				errno = 0;
				mailerr(NULL, "Can not open mailbox database %s: %s", optarg, "Service unavailable");
				exit(EX_UNAVAILABLE);
			}
			break;
		case 'f':
		case 'r':
			if (from != NULL) {
				mailerr(NULL, "Multiple -f options");
				usage();
			}
			from = optarg;
			break;
		case 'h':
			HomeMailFile = optarg;
			break;
		case 'l':
			LMTPMode = 1;
			break;
		case 'V':
			fprintf(stderr, "compiled with\n");
			break;
		default:
			usage();
		}
	}
	argv += optind;
	if (LMTPMode) {
		if (*argv != NULL) {
			printf("421 Users should not be specified in command line if LMTP required\r\n");
			exit(EX_TEMPFAIL);
		}
		lmtp();
	}
	if (*argv == NULL)
		usage();
	if (from == NULL) {
		uid_t uid = getuid();
		struct passwd *pw = NULL;

		if ((from = getlogin()) == NULL || (pw = getpwnam(from)) == NULL || pw->pw_uid != uid)
			from = (pw = getpwuid(uid)) != NULL ? pw->pw_name : "???";
		from = xstrdup(from);
	}
	HoldErrs = 1;
	if (message_store(from, &m, NULL) < 0) {
		HoldErrs = 0;
		flush_error();
		exit(ExitVal);
	}
	HoldErrs = 0;
	for (; *argv != NULL; argv++)
		deliver(&m, *argv);
	exit(ExitVal);
}
