/* sandbox.c -- the --wrap'ed system calls of the fuzz targets (see sandbox.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "sandbox.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/types.h>
#include <syslog.h>
#include <unistd.h>

volatile int fuzz_in_target;
jmp_buf fuzz_exit_jmp;
int fuzz_exit_status;

FILE *fuzz_devnull(void)
{
	static FILE *fp;
	if (fp == NULL)
		fp = fopen("/dev/null", "w");
	if (fp == NULL)
		abort();
	return fp;
}

int fuzz_run(void (*body)(void *arg), void *arg)
{
	if (setjmp(fuzz_exit_jmp) != 0)
		return -1;
	fuzz_in_target = 1;
	body(arg);
	fuzz_in_target = 0;
	return 0;
}

void __real_exit(int status) __attribute__((noreturn));
void __wrap_exit(int status) __attribute__((noreturn));
void __wrap_exit(int status)
{
	if (fuzz_in_target) {
		fuzz_in_target = 0;
		fuzz_exit_status = status;
		longjmp(fuzz_exit_jmp, 1);
	}
	__real_exit(status);
}

#define REFUSE(ret) do { if (fuzz_in_target) { errno = EPERM; return ret; } } while (0)

pid_t __real_fork(void);
pid_t __wrap_fork(void)
{
	REFUSE(-1);
	return __real_fork();
}

pid_t __wrap_vfork(void)
{
	REFUSE(-1);
	return __real_fork();	/* never vfork from a wrapper: its frame would return twice */
}

int __real_execv(const char *path, char *const argv[]);
int __wrap_execv(const char *path, char *const argv[])
{
	REFUSE(-1);
	return __real_execv(path, argv);
}

int __real_execve(const char *path, char *const argv[], char *const envp[]);
int __wrap_execve(const char *path, char *const argv[], char *const envp[])
{
	REFUSE(-1);
	return __real_execve(path, argv, envp);
}

int __real_execvp(const char *file, char *const argv[]);
int __wrap_execvp(const char *file, char *const argv[])
{
	REFUSE(-1);
	return __real_execvp(file, argv);
}

/* execl/execlp: rebuilt as execv/execvp (at most 63 arguments, as nothing here uses more) */
static int exec_list(int (*fn)(const char *, char *const[]), const char *path,
		     const char *arg, va_list ap)
{
	char *argv[64];
	int n = 0;

	argv[n++] = (char *)arg;
	while (arg != NULL && n < 63) {
		arg = va_arg(ap, const char *);
		argv[n++] = (char *)arg;
	}
	argv[n] = NULL;
	return fn(path, argv);
}

int __wrap_execl(const char *path, const char *arg, ...)
{
	va_list ap;
	int r;
	REFUSE(-1);
	va_start(ap, arg);
	r = exec_list(__real_execv, path, arg, ap);
	va_end(ap);
	return r;
}

int __wrap_execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	int r;
	REFUSE(-1);
	va_start(ap, arg);
	r = exec_list(__real_execvp, file, arg, ap);
	va_end(ap);
	return r;
}

FILE *__real_popen(const char *cmd, const char *mode);
FILE *__wrap_popen(const char *cmd, const char *mode)
{
	REFUSE(NULL);
	return __real_popen(cmd, mode);
}

int __real_system(const char *cmd);
int __wrap_system(const char *cmd)
{
	REFUSE(-1);
	return __real_system(cmd);
}

/* posix_spawn's attribute types are passed through untouched (and <spawn.h> is not
 * included: -Ilib would find lib/spawn.h instead) */
int __real_posix_spawn(pid_t *pid, const char *path, const void *fa,
		       const void *attr, char *const argv[], char *const envp[]);
int __wrap_posix_spawn(pid_t *pid, const char *path, const void *fa,
		       const void *attr, char *const argv[], char *const envp[])
{
	if (fuzz_in_target)
		return EPERM;
	return __real_posix_spawn(pid, path, fa, attr, argv, envp);
}

int __real_posix_spawnp(pid_t *pid, const char *file, const void *fa,
			const void *attr, char *const argv[], char *const envp[]);
int __wrap_posix_spawnp(pid_t *pid, const char *file, const void *fa,
			const void *attr, char *const argv[], char *const envp[])
{
	if (fuzz_in_target)
		return EPERM;
	return __real_posix_spawnp(pid, file, fa, attr, argv, envp);
}

/* a syslog map would write to the system log */
void __wrap_syslog(int pri, const char *fmt, ...)
{
	va_list ap;
	if (fuzz_in_target)
		return;
	va_start(ap, fmt);
	vsyslog(pri, fmt, ap);
	va_end(ap);
}
