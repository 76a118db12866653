/* fuzz_smtp.c -- fuzz target: the input is a whole SMTP session as a client sends it.
 *
 * The first byte chooses how the session is served (bit 0: a network client, so
 * check_relay runs and the daemon's lines are logged, else -bs; bit 1: commands sent before
 * HELO's reply are refused as 8.17 does, else taken, since the whole input is there at
 * once); the rest is what the client sends: commands, parameters, DATA with headers and
 * body, bare LF/CR, NUL, over-long lines, and whatever follows.  smtpd() reads it from a
 * memfd and writes its replies to /dev/null.  The configuration is .obj-fuzz/smtp.cf
 * (fuzz/smtp.mc, FUZZ_SMTP_CF overrides), read once; accepted messages go to a queue
 * folder in /dev/shm emptied after each input.  State kept between inputs: the
 * configuration, macros the session sets (reset by the next session as a new connection
 * resets them), the Scratch arena (emptied per command). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "address.h"
#include "alias.h"
#include "cmdline.h"
#include "conf.h"
#include "diag.h"
#include "hostname.h"
#include "macro.h"
#include "mailer.h"
#include "map.h"
#include "sandbox.h"
#include "smtpd.h"
#include "token.h"

struct cmdline Cmd;	/* main.c's, which the target does not link: no flags given */

static char qdir[64];
static int devnull = -1;

static void empty_queue(void)
{
	DIR *d = opendir(qdir);
	struct dirent *de;
	char path[128];

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			snprintf(path, sizeof path, "%s/%s", qdir, de->d_name);
			unlink(path);
		}
	closedir(d);
}

static void cleanup(void)
{
	empty_queue();
	rmdir(qdir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *cf = getenv("FUZZ_SMTP_CF");
	static char exe_cf[4096];
	sbuf o = SBUF_INIT;

	(void)argc;
	if (cf == NULL) {
		/* next to the target: .obj-fuzz/smtp.cf */
		ssize_t n = readlink("/proc/self/exe", exe_cf, sizeof exe_cf - 16);
		char *slash;
		if (n <= 0)
			abort();
		exe_cf[n] = '\0';
		slash = strrchr(exe_cf, '/');
		strcpy(slash != NULL ? slash + 1 : exe_cf, "smtp.cf");
		cf = exe_cf;
	}
	(void)argv;
	Scratch = arena_new();
	diag_out = fuzz_devnull();
	macros_init();
	options_init();
	maps_init();
	setupmailers();
	set_identity();
	strcpy(qdir, "/dev/shm/fuzz-smtp-XXXXXX");
	if (mkdtemp(qdir) == NULL) {
		strcpy(qdir, "/tmp/fuzz-smtp-XXXXXX");
		if (mkdtemp(qdir) == NULL)
			abort();
	}
	atexit(cleanup);
	sb_init(&o);
	sb_printf(&o, "QueueDirectory=%s", qdir);
	setoption(' ', o.s, false, true);
	sb_free(&o);
	setoption(' ', "LogFile=/dev/null", false, true);
	setoption(' ', "DeliveryMode=queue", false, true);
	if (!readcf(cf, true)) {
		fprintf(stderr, "fuzz_smtp: cannot read %s (make fuzz builds it)\n", cf);
		exit(1);
	}
	alias_maps_init();
	mailers_after_cf();
	devnull = open("/dev/null", O_WRONLY);
	return 0;
}

struct run {
	int in;
	struct smtp_client c;
	bool network;
};

static void body(void *arg)
{
	struct run *r = arg;

	smtpd(r->in, devnull, r->network ? &r->c : NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run r;
	struct sockaddr_in *peer = (struct sockaddr_in *)(void *)&r.c.peer;
	struct sockaddr_in *local = (struct sockaddr_in *)(void *)&r.c.local;
	size_t off = 0;

	if (size < 1)
		return 0;
	memset(&r, 0, sizeof r);
	r.network = data[0] & 1;
	r.c.daemon = true;
	r.c.trust_pipelining = !(data[0] & 2);
	r.c.daemon_name = "MTA";
	peer->sin_family = AF_INET;
	peer->sin_port = htons(40000);
	peer->sin_addr.s_addr = htonl(0x7f000001);
	r.c.peerlen = sizeof *peer;
	local->sin_family = AF_INET;
	local->sin_port = htons(25);
	local->sin_addr.s_addr = htonl(0x7f000001);
	r.c.locallen = sizeof *local;
	r.in = memfd_create("smtp-input", MFD_CLOEXEC);
	if (r.in < 0)
		abort();
	data++;
	size--;
	while (off < size) {
		ssize_t n = write(r.in, data + off, size - off);
		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	lseek(r.in, 0, SEEK_SET);
	fuzz_run(body, &r);
	close(r.in);
	arena_reset(Scratch);
	empty_queue();
	return 0;
}
