dnl mailer/pop.m4 -- MAILER(`pop'): user@POP goes to a POP mailbox through
dnl spop.  Knobs: POP_MAILER_{PATH,FLAGS,ARGS,QGRP}.
ifdef(`POP_MAILER_PATH', `', `_cf_def(`POP_MAILER_PATH', `/usr/lib/mh/spop')')dnl
ifdef(`POP_MAILER_FLAGS', `', `_cf_def(`POP_MAILER_FLAGS', `Penu')')dnl
ifdef(`POP_MAILER_ARGS', `', `_cf_def(`POP_MAILER_ARGS', `pop $u')')dnl

##
## POP
##
Mpop,		P=POP_MAILER_PATH, F=_cf_mflags(`POP', `lsDFMq'POP_MAILER_FLAGS), S=EnvFromL, R=EnvToL/HdrToL,
		T=DNS/RFC822/X-Unix`'_cf_mfield(`Q', `POP_MAILER_QGRP'),
		A=POP_MAILER_ARGS

