/* fixture.h -- setting up the engine for unit tests: built-ins, and a configuration read
 * from text written to a temporary file. */
#ifndef FIXTURE_H
#define FIXTURE_H
#include <stdbool.h>
void fixture_init(void);
/* Write text to a temporary cf file and read it; returns the number of errors reported. */
int fixture_readcf(const char *text);
/* Tokenize (external table) and join the tokens with single spaces, as -bt shows them. */
const char *fixture_tokens(const char *addr);
/* Run the comma-separated ruleset list on addr; the result as "tok tok tok". */
const char *fixture_rewrite(const char *rulesets, const char *addr, int *status);
/* A new private folder next to the test binary (not below a world-writable folder such
 * as /tmp, which map files and queues refuse); malloc'd, NULL on failure. */
char *fixture_scratch_dir(const char *tag);
#endif
