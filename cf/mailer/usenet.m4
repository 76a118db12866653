dnl mailer/usenet.m4 -- MAILER(`usenet'): group.USENET posts to news with
dnl inews.  Knobs: USENET_MAILER_{PATH,FLAGS,ARGS,MAX,QGRP} (the group
dnl name is appended to the arguments).
ifdef(`USENET_MAILER_PATH', `', `_cf_def(`USENET_MAILER_PATH', `/usr/lib/news/inews')')dnl
ifdef(`USENET_MAILER_FLAGS', `', `_cf_def(`USENET_MAILER_FLAGS', `rsDFMmn')')dnl
ifdef(`USENET_MAILER_ARGS', `', `_cf_def(`USENET_MAILER_ARGS', `inews -m -h -n')')dnl

##
## Usenet
##
Musenet,	P=USENET_MAILER_PATH, F=_cf_mflags(`USENET', USENET_MAILER_FLAGS), S=EnvFromL, R=EnvToL`'dnl
_cf_mfield(`M', `USENET_MAILER_MAX'),
		T=X-Usenet/X-Usenet/X-Unix`'_cf_mfield(`Q', `USENET_MAILER_QGRP'),
		A=USENET_MAILER_ARGS $u

