dnl mailer/procmail.m4 -- MAILER(`procmail'): hand messages to procmail as a
dnl mailer of its own (for mailertable entries such as procmail:/etc/procmailrc).
dnl Knobs: PROCMAIL_MAILER_{PATH,FLAGS,ARGS,MAX,QGRP}; MODIFY_MAILER_FLAGS key
dnl PROCMAIL.
_cf_smtp_rewrite`'dnl
ifdef(`PROCMAIL_MAILER_PATH', `', `_cf_def(`PROCMAIL_MAILER_PATH', `/usr/local/bin/procmail')')dnl
ifdef(`PROCMAIL_MAILER_FLAGS', `', `_cf_def(`PROCMAIL_MAILER_FLAGS', `SPhnu9')')dnl
ifdef(`PROCMAIL_MAILER_ARGS', `', `_cf_def(`PROCMAIL_MAILER_ARGS', `procmail -Y -m $h $f $u')')dnl

##
## procmail
##
Mprocmail,	P=PROCMAIL_MAILER_PATH, F=_cf_mflags(`PROCMAIL', `DFM'PROCMAIL_MAILER_FLAGS),
		S=EnvFromSMTP/HdrFromSMTP, R=EnvToSMTP/HdrFromSMTP`'_cf_mfield(`M', `PROCMAIL_MAILER_MAX'),
		T=DNS/RFC822/X-Unix`'_cf_mfield(`Q', `PROCMAIL_MAILER_QGRP'),
		A=PROCMAIL_MAILER_ARGS

