/* sandbox.h -- what the fuzz targets share: keeping a fuzzed configuration inside the
 * process, and turning exit() into a return.
 *
 * The targets are linked with -Wl,--wrap for exit, fork, vfork, the exec family, popen,
 * system, posix_spawn and syslog (see build.sh): while fuzz_in_target is set, the wrappers
 * refuse (a configuration's `F|program` or program map cannot run anything, a syslog map
 * logs nothing) and exit() jumps back to the harness (8.17 exits on some bad option values, and libFuzzer would take an exit
 * for a crash).  Outside the target (libFuzzer's own -fork/-merge machinery, the AFL
 * driver) they pass the call through. */
#ifndef FUZZ_SANDBOX_H
#define FUZZ_SANDBOX_H
#include <setjmp.h>
#include <stdio.h>

extern volatile int fuzz_in_target;
extern jmp_buf fuzz_exit_jmp;
extern int fuzz_exit_status;

/* /dev/null, opened once, for diag_out and stdout */
FILE *fuzz_devnull(void);

/* Run body(arg) with the sandbox on; returns -1 if it called exit(), else 0. */
int fuzz_run(void (*body)(void *arg), void *arg);

#endif
