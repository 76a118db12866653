/* testmode.h -- address test mode (-bt). */
#ifndef TESTMODE_H
#define TESTMODE_H
#include <stdio.h>
/* Read commands from in until end of file or /quit; returns the exit status. */
int testmode(FILE *in);
#endif
