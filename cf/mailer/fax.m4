dnl mailer/fax.m4 -- MAILER(`fax'): user@host.FAX goes to a fax gateway
dnl program (HylaFAX faxmail).  Knobs: FAX_MAILER_{PATH,ARGS,MAX,QGRP}.
ifdef(`FAX_MAILER_PATH', `', `_cf_def(`FAX_MAILER_PATH', `/usr/bin/faxmail')')dnl
ifdef(`FAX_MAILER_ARGS', `', `_cf_def(`FAX_MAILER_ARGS', `faxmail -d $u@$h $f')')dnl
ifdef(`FAX_MAILER_MAX', `', `_cf_def(`FAX_MAILER_MAX', `100000')')dnl

##
## Fax
##
Mfax,		P=FAX_MAILER_PATH, F=_cf_mflags(`FAX', `DFMhu'), S=14, R=24,
		M=FAX_MAILER_MAX, T=X-Phone/X-FAX/X-Unix`'_cf_mfield(`Q', `FAX_MAILER_QGRP'),
		A=FAX_MAILER_ARGS

