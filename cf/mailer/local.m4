dnl mailer/local.m4 -- MAILER(`local'): delivery on this machine.
dnl
dnl Two mailers: `local' hands a message to the local delivery agent
dnl (LOCAL_MAILER_PATH, /bin/mail unless the OSTYPE or a FEATURE such as
dnl local_procmail or local_lmtp chose another), `prog' runs `|program'
dnl recipients through a shell (LOCAL_SHELL_PATH, or smrsh with
dnl FEATURE(smrsh)).  Knobs: LOCAL_MAILER_{PATH,ARGS,FLAGS,MAX,MAXMSGS,
dnl MAXRCPTS,CHARSET,EOL,QGRP,DSN_DIAGNOSTIC_CODE}, LOCAL_SHELL_{PATH,ARGS,
dnl FLAGS,DIR}, LOCAL_PROG_QGRP; MODIFY_MAILER_FLAGS keys LOCAL and SHELL.
pushdef(`_cf_rw', `local')_cf_include(_CF_RULES_`rewrite.m4')popdef(`_cf_rw')dnl
ifdef(`LOCAL_MAILER_PATH', `', `_cf_def(`LOCAL_MAILER_PATH', `/bin/mail')')dnl
ifdef(`LOCAL_MAILER_FLAGS', `', `_cf_def(`LOCAL_MAILER_FLAGS', `Prmn9')')dnl
ifdef(`LOCAL_MAILER_ARGS', `', `_cf_def(`LOCAL_MAILER_ARGS', `mail -d $u')')dnl
ifdef(`LOCAL_MAILER_DSN_DIAGNOSTIC_CODE', `', `_cf_def(`LOCAL_MAILER_DSN_DIAGNOSTIC_CODE', `X-Unix')')dnl
ifdef(`LOCAL_SHELL_PATH', `', `_cf_def(`LOCAL_SHELL_PATH', `/bin/sh')')dnl
ifdef(`LOCAL_SHELL_FLAGS', `', `_cf_def(`LOCAL_SHELL_FLAGS', `eu9')')dnl
ifdef(`LOCAL_SHELL_ARGS', `', `_cf_def(`LOCAL_SHELL_ARGS', `sh -c $u')')dnl
ifdef(`LOCAL_SHELL_DIR', `', `_cf_def(`LOCAL_SHELL_DIR', `$z:/')')dnl

##
## Local delivery and programs
##
Mlocal,		P=LOCAL_MAILER_PATH, F=_cf_mflags(`LOCAL', defn(`_cf_local_base_flags')`'LOCAL_MAILER_FLAGS),
		S=ifdef(`_cf_feat_local_lmtp', `EnvFromSMTP', `EnvFromL')/HdrFromL, R=EnvToL/HdrToL`'_cf_mfield(`E', `LOCAL_MAILER_EOL')`'dnl
_cf_mfield(`M', `LOCAL_MAILER_MAX')`'_cf_mfield(`m', `LOCAL_MAILER_MAXMSGS')`'dnl
_cf_mfield(`r', `LOCAL_MAILER_MAXRCPTS')`'_cf_mfield(`C', `LOCAL_MAILER_CHARSET'),
		T=DNS/RFC822/LOCAL_MAILER_DSN_DIAGNOSTIC_CODE`'_cf_mfield(`Q', `LOCAL_MAILER_QGRP'),
		A=LOCAL_MAILER_ARGS
Mprog,		P=LOCAL_SHELL_PATH, F=_cf_mflags(`SHELL', defn(`_cf_shell_base_flags')`'LOCAL_SHELL_FLAGS),
		S=EnvFromL/HdrFromL, R=EnvToL/HdrToL, D=LOCAL_SHELL_DIR`'_cf_mfield(`M', `LOCAL_MAILER_MAX'),
		T=X-Unix/X-Unix/X-Unix`'_cf_mfield(`Q', `LOCAL_PROG_QGRP'),
		A=LOCAL_SHELL_ARGS

