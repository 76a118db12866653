/* mailer.h -- delivery agents (M lines): their fields, flags and the built-in ones. */
#ifndef MAILER_H
#define MAILER_H
#include <stdio.h>
#include <sys/types.h>
#include "mta.h"

typedef struct mailer {
	char *name;
	char *path;		/* P= */
	char **argv;		/* A= */
	bitmap256 flags;	/* F= */
	int mno;		/* index */
	int se_rwset, sh_rwset;	/* S= envelope/header */
	int re_rwset, rh_rwset;	/* R= envelope/header */
	char *eol;		/* E= */
	long maxsize;		/* M= */
	int maxdeliveries;	/* m= */
	int maxrcpt;		/* r= */
	int linelimit;		/* L= */
	int nice;		/* N= */
	char *execdir;		/* D= */
	char *defcharset;	/* C= */
	char *qgrp;		/* Q= */
	char *mtatype, *addrtype, *diagtype;	/* T= (pointing into tbuf, or constants) */
	char *tbuf;
	long uid, gid;		/* U= (-1: unset) */
	long wait;		/* W= */
	char *rootdir;		/* /= */
} MAILER;

extern MAILER *Mailer[MAXMAILERS + 1];
extern MAILER *LocalMailer, *ProgMailer, *FileMailer, *InclMailer;

void makemailer(char *line);		/* an M line, after the M */
void setupmailers(void);		/* the built-in prog, *file*, *include* */
void mailers_after_cf(void);		/* find local/prog/...; warn if no local */
void printmailer(FILE *fp, const MAILER *m);
MAILER *mailer_find(const char *name);
extern MAILER ErrorMailer;

#endif
