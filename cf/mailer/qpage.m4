dnl mailer/qpage.m4 -- MAILER(`qpage'): send to pagers with QuickPage.
dnl Knobs: QPAGE_MAILER_{PATH,FLAGS,ARGS,MAX,QGRP}.
ifdef(`QPAGE_MAILER_PATH', `', `_cf_def(`QPAGE_MAILER_PATH', `/usr/local/bin/qpage')')dnl
ifdef(`QPAGE_MAILER_FLAGS', `', `_cf_def(`QPAGE_MAILER_FLAGS', `mDFMs')')dnl
ifdef(`QPAGE_MAILER_ARGS', `', `_cf_def(`QPAGE_MAILER_ARGS', `qpage -l0 -m -P$u')')dnl
ifdef(`QPAGE_MAILER_MAX', `', `_cf_def(`QPAGE_MAILER_MAX', `4096')')dnl

##
## Pagers
##
Mqpage, P=QPAGE_MAILER_PATH, F=_cf_mflags(`QPAGE', QPAGE_MAILER_FLAGS),
	M=QPAGE_MAILER_MAX, T=DNS/RFC822/X-Unix`'_cf_mfield(`Q', `QPAGE_MAILER_QGRP'),
	A=QPAGE_MAILER_ARGS

