/* afl_main.c -- runs a libFuzzer-style target (LLVMFuzzerInitialize/LLVMFuzzerTestOneInput)
 * under AFL++, one input per process.
 *
 * The engine is initialized once, then the fork server starts (__AFL_INIT, deferred
 * fork server), so every input begins from the same freshly initialized engine and nothing
 * a configuration declares survives into the next input: no persistent mode on purpose.
 * Input: the files named on the command line (each in turn, for reproducing), else stdin. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXINPUT (1 << 20)

static int run_file(FILE *fp)
{
	static unsigned char buf[MAXINPUT];
	size_t n = fread(buf, 1, sizeof buf, fp);

	if (ferror(fp))
		return -1;
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	int i, rc = 0;

	LLVMFuzzerInitialize(&argc, &argv);
#ifdef __AFL_HAVE_MANUAL_CONTROL
	__AFL_INIT();
#endif
	if (argc < 2)
		return run_file(stdin) < 0 ? 1 : 0;
	for (i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		if (fp == NULL || run_file(fp) < 0) {
			perror(argv[i]);
			rc = 1;
		}
		if (fp != NULL)
			fclose(fp);
	}
	return rc;
}
