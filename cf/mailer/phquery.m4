dnl mailer/phquery.m4 -- MAILER(`phquery'): look recipients up in a CCSO
dnl ph directory.  Knobs: PH_MAILER_{PATH,FLAGS,ARGS,QGRP}.
ifdef(`PH_MAILER_PATH', `', `_cf_def(`PH_MAILER_PATH', `/usr/local/etc/phquery')')dnl
ifdef(`PH_MAILER_FLAGS', `', `_cf_def(`PH_MAILER_FLAGS', `ehmu')')dnl
ifdef(`PH_MAILER_ARGS', `', `_cf_def(`PH_MAILER_ARGS', `phquery -- $u')')dnl

##
## ph directory queries
##
Mph,		P=PH_MAILER_PATH, F=_cf_mflags(`PH', `nrDFM'PH_MAILER_FLAGS), S=EnvFromL, R=EnvToL/HdrToL,
		T=DNS/RFC822/X-Unix`'_cf_mfield(`Q', `PH_MAILER_QGRP'),
		A=PH_MAILER_ARGS

