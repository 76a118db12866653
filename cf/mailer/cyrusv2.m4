dnl mailer/cyrusv2.m4 -- MAILER(`cyrusv2'): delivery to Cyrus IMAP 2 over
dnl LMTP on its socket.  Knobs: CYRUSV2_MAILER_{FLAGS,ARGS,MAXMSGS,MAXRCPTS,
dnl CHARSET,QGRP}; MODIFY_MAILER_FLAGS key CYRUSV2.
_cf_smtp_rewrite`'dnl
ifdef(`CYRUSV2_MAILER_FLAGS', `', `_cf_def(`CYRUSV2_MAILER_FLAGS', `A@/:|m')')dnl
ifdef(`CYRUSV2_MAILER_ARGS', `', `_cf_def(`CYRUSV2_MAILER_ARGS', `FILE /var/run/cyrus/socket/lmtp')')dnl

##
## Cyrus IMAP 2 (LMTP)
##
Mcyrusv2,	P=[IPC], F=_cf_mflags(`CYRUSV2', `lsDFMnqXz'CYRUSV2_MAILER_FLAGS),
		S=EnvFromSMTP/HdrFromL, R=EnvToL/HdrToL, E=\r\n`'_cf_mfield(`m', `CYRUSV2_MAILER_MAXMSGS')`'dnl
_cf_mfield(`r', `CYRUSV2_MAILER_MAXRCPTS')`'_cf_mfield(`C', `CYRUSV2_MAILER_CHARSET'),
		T=DNS/RFC822/SMTP`'_cf_mfield(`Q', `CYRUSV2_MAILER_QGRP'),
		A=CYRUSV2_MAILER_ARGS

