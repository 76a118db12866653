dnl mailer/mail11.m4 -- MAILER(`mail11'): DECnet mail (node::user) through
dnl the mail11 program.  Knobs: MAIL11_MAILER_{PATH,FLAGS,ARGS,QGRP}.
ifdef(`MAIL11_MAILER_PATH', `', `_cf_def(`MAIL11_MAILER_PATH', `/usr/etc/mail11')')dnl
ifdef(`MAIL11_MAILER_FLAGS', `', `_cf_def(`MAIL11_MAILER_FLAGS', `nsFx')')dnl
ifdef(`MAIL11_MAILER_ARGS', `', `_cf_def(`MAIL11_MAILER_ARGS', `mail11 $g $x $h $u')')dnl
##
## DECnet addresses: node::user, our own node names stripped.
##
_cf_S(`Mail11To')
R$+ < @ $- .UUCP >	$: $2 ! $1
R$+ < @ $- .DECNET >	$: $2 :: $1
R$+ < @ $- .LOCAL >	$: $2 :: $1
R$+ < @ $=w. >		$: $2 :: $1
R$=w :: $+		$2
R$+ :: $+		$@ $1 :: $2

_cf_S(`Mail11From')
R$+			$: $>Mail11To $1
R$w :: $+		$@ $w :: $1

Mmail11, P=MAIL11_MAILER_PATH, F=_cf_mflags(`MAIL11', MAIL11_MAILER_FLAGS), S=Mail11From, R=Mail11To,
	T=DNS/X-DECnet/X-Unix`'_cf_mfield(`Q', `MAIL11_MAILER_QGRP'),
	A=MAIL11_MAILER_ARGS

