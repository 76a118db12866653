dnl mailer/cyrus.m4 -- MAILER(`cyrus'): delivery into a Cyrus IMAP server
dnl with its deliver program; cyrusbb posts to bulletin boards.
dnl Knobs: CYRUS_MAILER_{PATH,FLAGS,ARGS,MAX,USER,QGRP},
dnl CYRUS_BB_MAILER_{FLAGS,ARGS}; MODIFY_MAILER_FLAGS keys CYRUS, CYRUS_BB.
ifdef(`CYRUS_MAILER_PATH', `', `_cf_def(`CYRUS_MAILER_PATH', `/usr/sbin/cyrdeliver')')dnl
ifdef(`CYRUS_MAILER_FLAGS', `', `_cf_def(`CYRUS_MAILER_FLAGS', `Ah5@/:|')')dnl
ifdef(`CYRUS_MAILER_ARGS', `', `_cf_def(`CYRUS_MAILER_ARGS', `cyrdeliver -e -m $h -- $u')')dnl
ifdef(`CYRUS_MAILER_USER', `', `_cf_def(`CYRUS_MAILER_USER', `cyrus:mail')')dnl
ifdef(`CYRUS_BB_MAILER_FLAGS', `', `_cf_def(`CYRUS_BB_MAILER_FLAGS', `u')')dnl
ifdef(`CYRUS_BB_MAILER_ARGS', `', `_cf_def(`CYRUS_BB_MAILER_ARGS', `cyrdeliver -e -m $u')')dnl

##
## Cyrus IMAP
##
Mcyrus,		P=CYRUS_MAILER_PATH, F=_cf_mflags(`CYRUS', `lsDFMnPq'CYRUS_MAILER_FLAGS), S=EnvFromL, R=EnvToL/HdrToL`'dnl
_cf_mfield(`M', `CYRUS_MAILER_MAX'), U=CYRUS_MAILER_USER, T=DNS/RFC822/X-Unix`'_cf_mfield(`Q', `CYRUS_MAILER_QGRP'),
		A=CYRUS_MAILER_ARGS
Mcyrusbb,	P=CYRUS_MAILER_PATH, F=_cf_mflags(`CYRUS_BB', `lsDFMnP'CYRUS_BB_MAILER_FLAGS), S=EnvFromL, R=EnvToL/HdrToL`'dnl
_cf_mfield(`M', `CYRUS_MAILER_MAX'), U=CYRUS_MAILER_USER, T=DNS/RFC822/X-Unix`'_cf_mfield(`Q', `CYRUS_MAILER_QGRP'),
		A=CYRUS_BB_MAILER_ARGS

