/* state.c -- the few globals that describe the running program as a whole (its mode, the
 * configuration's version level, verbosity, the scratch arena).  Kept apart from main.c so
 * the engine library links into tests and fuzzers without a main program. */
#include "mta.h"

int OpMode = MD_DELIVER;
int ConfigLevel;
int Verbose;
arena *Scratch;
