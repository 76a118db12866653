/* queue.h -- the durable mail queue: envelopes, queue ids, and the qf/df files of a queue
 * directory in sendmail 8.17's format (qf version 8), so that 8.17's mailq and queue runner
 * read our queue and we read theirs.
 *
 * A message is two files named after its queue id: df<id>, the body exactly as received
 * (dots unstuffed, LF line ends), and qf<id>, the envelope and the headers, one record per
 * line.  The qf is written as tf<id> and renamed, after the df, the tf and the folder are
 * fsynced: a crash leaves either no qf (the message was never accepted) or a whole one.  A
 * process working on a message holds an exclusive flock on its qf, as 8.17 does, so two
 * queue runners never deliver one message twice. */
#ifndef QUEUE_H
#define QUEUE_H
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include "sbuf.h"

#define QF_VERSION	8	/* the V record we write */
#define MAXQFNAME	21	/* names this long or longer are not queue files */
#define DEFAULT_QUEUE_DIR "/var/spool/mqueue"

/* envelope flags (the F record's letters, written in this order: w r 8 b d n s e) */
#define EF_WARNING	0x01	/* w: a delay warning was sent */
#define EF_RESPONSE	0x02	/* r: this message is itself a bounce or receipt */
#define EF_HAS8BIT	0x04	/* 8: the body has 8-bit bytes */
#define EF_DELETE_BCC	0x08	/* b: remove Bcc: headers on delivery */
#define EF_RET_PARAM	0x10	/* d: RET= was given */
#define EF_NO_BODY_RETN	0x20	/* n: RET=HDRS (no body in bounces) */
#define EF_SPLIT	0x40	/* s: the envelope was split */
#define EF_UTF8		0x80	/* e: SMTPUTF8 */

/* recipient flags (the R record's letters before the colon, in this order: P N S F D B A Y) */
#define QR_PRIMARY	0x01	/* P: given by the sender, not the result of an expansion */
#define QR_HASNOTIFY	0x02	/* N: NOTIFY= was given */
#define QR_NOTIFY_SUCCESS 0x04	/* S */
#define QR_NOTIFY_FAILURE 0x08	/* F */
#define QR_NOTIFY_DELAY	0x10	/* D */
#define QR_INTBCC	0x20	/* B: an internal Bcc */
#define QR_ALIAS	0x40	/* A: the expansion of an alias */
#define QR_DYNMAILER	0x80	/* Y: dynamic mailer */
#define QR_FAILED	0x100	/* X: failed for good, waiting for its bounce (ours: 8.17 ignores
				 * the letter, tries the recipient again and bounces it itself) */

struct qrcpt {
	char *addr;		/* the address, as the sender gave it */
	unsigned flags;		/* QR_* */
	char *xflags;		/* R letters not known here, kept for rewriting (NULL: none) */
	char *orcpt;		/* Q: DSN ORCPT, or NULL */
	char *finalrcpt;	/* r: final recipient ("RFC822; user@host"), or NULL */
	char *ctladdr;		/* C: controlling user "user:uid:gid:addr" or ":addr", or NULL */
	char *msg;		/* M before the R: the last delivery attempt's status, or NULL */
};

struct qmacro {
	char *name;		/* as written after '$': "r" or "{daemon_flags}" */
	char *value;		/* internal form */
};

struct qheader {
	char *cond;		/* what is between ?..? ("P", "${daemon_flags}"), or NULL */
	char *name;		/* the field name */
	char *value;		/* everything after the colon, continuation lines included */
};

struct envelope {
	char *id;		/* queue id, NULL until assigned */
	int version;		/* V (QF_VERSION for new envelopes) */
	time_t ctime;		/* T: when the message was queued */
	time_t dtime;		/* K: last delivery attempt (0: none) */
	long ntries;		/* N: delivery attempts */
	long priority;		/* P */
	char *dfqueue;		/* d: queue folder of the df, if not this one */
	char *dfino;		/* I: "major/minor/inode" of the df */
	char *bodytype;		/* B: "8BITMIME", "7BIT", ... */
	char *quarmsg;		/* q: quarantine reason */
	char *statmsg;		/* M: status message shown by mailq */
	unsigned flags;		/* F: EF_* */
	char *xflags;		/* F letters not known here */
	char *sender;		/* S */
	char *envid;		/* Z: DSN ENVID */
	char *auth;		/* A: AUTH= parameter of MAIL */
	char *deliverby;	/* !: deliver-by, kept as written */
	struct qmacro *macros;	/* $ records, in order */
	size_t nmacros;
	struct qrcpt *rcpts;	/* R records (with their C, Q, r), in order */
	size_t nrcpts;
	struct qheader *hdrs;	/* H records, in order */
	size_t nhdrs;
	char **extra;		/* records not understood, verbatim (continuations with '\n') */
	size_t nextra;

	/* file state */
	FILE *dfp;		/* the df while it is being written */
	int lockfd;		/* the qf, held with an exclusive flock (-1: none) */
	off_t dfsize;		/* bytes in the df (set when written or read) */
};

/* A queue folder and the subfolders 8.17 uses when they exist (qf/, df/, xf/). */
struct queue {
	char *path;		/* the folder */
	char *name;		/* its name relative to the queue base ("." for a single queue) */
	bool qfsub, dfsub, xfsub;
};

/* results */
#define Q_OK		0
#define Q_ERROR		(-1)	/* see the message in err */
#define Q_LOCKED	1	/* another process holds the qf */
#define Q_NOTFOUND	2	/* no such qf */

void env_init(struct envelope *e);
void env_free(struct envelope *e);	/* also closes files and releases the lock */
struct qrcpt *env_add_rcpt(struct envelope *e, const char *addr, unsigned flags);
void env_add_header(struct envelope *e, const char *cond, const char *name, const char *value);
void env_set_macro(struct envelope *e, const char *name, const char *value);

/* The configured QueueDirectory (option_value), or the default. */
const char *queue_directory(void);
/* The daemon, before it forks: its processes share the fsyncs of the folder new control
 * files are renamed into (dirsync.c), so that one covers those of many messages. */
void queue_share_syncs(void);
/* Describe the folder path as a queue (subfolders probed); false (errno) if it is not one. */
bool queue_init(struct queue *q, const char *path, const char *name);
void queue_free(struct queue *q);
/* The path of the file of type "qf", "df", "tf", "xf" for id, in its subfolder if any. */
void queue_file(const struct queue *q, const char *type, const char *id, sbuf *out);

/* A new queue id in 8.17's scheme: year%60, month, day, hour, minute, second of the base
 * time (UTC) and a two-digit sequence, all base 60, then the pid as %06d.  The base time is
 * taken when the process makes its first id and again after every 3600 ids (waiting for a
 * new second if need be), so ids are unique per process. */
void queue_newid(sbuf *id);

/* Writing a new message: queue_create assigns an id (unless e->id is set) and creates the df
 * exclusively; the body goes in with queue_write_body; queue_commit fsyncs the df, writes the
 * qf as a tf and renames it, and fsyncs the folder.  After Q_OK the message is safe on disk
 * and e->lockfd holds the qf locked (queue_unlock or env_free to release it).  On an error
 * nothing of the message is left (queue_abort is called). */
int queue_create(const struct queue *q, struct envelope *e, sbuf *err);
int queue_write_body(struct envelope *e, const void *p, size_t n);
int queue_commit(const struct queue *q, struct envelope *e, sbuf *err);
void queue_abort(const struct queue *q, struct envelope *e);
/* All three at once, with the body in memory. */
int queue_enqueue(const struct queue *q, struct envelope *e, const void *body, size_t len,
		  sbuf *err);

/* Rewrite the qf of a queued message whose lock we hold (after a delivery attempt).  A
 * message with a quarantine reason (quarmsg) has its control file named hf<id>, as in 8.17;
 * setting or clearing quarmsg and rewriting moves it between qf and hf. */
int queue_update(const struct queue *q, struct envelope *e, sbuf *err);
/* Remove a message (qf first, so no qf is ever left without its df). */
int queue_remove(const struct queue *q, struct envelope *e);
void queue_unlock(struct envelope *e);
/* Append the df of e to body; false if it cannot be read. */
bool queue_read_body(const struct queue *q, const struct envelope *e, sbuf *body);

/* Open and lock the qf (or hf) of id (non-blocking: Q_LOCKED if another process has it),
 * parse it into e and set e->dfsize.  With lock false the file is read without the lock. */
int queue_read(const struct queue *q, const char *id, struct envelope *e, bool lock, sbuf *err);
/* Parse qf text; Q_ERROR on a malformed or incomplete file.  Records this version does not
 * know are kept in e->extra and named in err, and the result is still Q_OK. */
int qf_parse(FILE *fp, struct envelope *e, sbuf *err);
/* The qf text of e. */
void qf_format(const struct envelope *e, sbuf *out);

/* Apply TimeZoneSpec as 8.17 does: unset, the system's zone (TZ removed); empty, the
 * caller's TZ; otherwise that zone. */
void tz_from_options(void);

/* Test hook: called at each step of a commit ("df-written", "df-synced", "tf-written",
 * "tf-synced", "renamed", "dir-synced"), so tests can kill the process there. */
extern void (*queue_step_hook)(const char *step);

/* sendmail -bp / mailq (mailq.c): list the queue as 8.17 does; returns the exit status. */
int print_queue(void);

#endif
