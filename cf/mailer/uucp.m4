dnl mailer/uucp.m4 -- MAILER(`uucp'): delivery over UUCP with uux.
dnl
dnl uucp (= uucp-old, one recipient per transfer, ! paths), suucp (=
dnl uucp-new, several recipients), uucp-dom (domain addresses) and
dnl uucp-uudom (domain addresses, UUCP sender).  Hosts in $=U, $=Y and $=Z
dnl are reached with uucp-old, uucp-new and uucp-uudom respectively.
dnl Knobs: UUCP_MAILER_{PATH,FLAGS,ARGS,MAX,CHARSET,QGRP}, UUCP_MAX_SIZE;
dnl MODIFY_MAILER_FLAGS keys UUCP, SUUCP, UUCP_DOM, UUCP_UUDOM.
_cf_smtp_rewrite`'dnl
ifdef(`UUCP_MAILER_PATH', `', `_cf_def(`UUCP_MAILER_PATH', `/usr/bin/uux')')dnl
ifdef(`UUCP_MAILER_ARGS', `', `_cf_def(`UUCP_MAILER_ARGS', `uux - -r -a$g -gC $h!rmail ($u)')')dnl
ifdef(`UUCP_MAILER_FLAGS', `', `_cf_def(`UUCP_MAILER_FLAGS', `')')dnl
ifdef(`UUCP_MAX_SIZE', `', `_cf_def(`UUCP_MAX_SIZE', `100000')')dnl
ifdef(`UUCP_MAILER_MAX', `', `_cf_def(`UUCP_MAILER_MAX', `UUCP_MAX_SIZE')')dnl
_cf_def(`_cf_uucp_tail', `_cf_mfield(`C', `UUCP_MAILER_CHARSET'), T=X-UUCP/X-UUCP/X-Unix`'_cf_mfield(`Q', `UUCP_MAILER_QGRP'),
		A=UUCP_MAILER_ARGS')dnl
##
## UUCP addresses: our name goes, host!user paths are built from the
## focused domain, and senders get our UUCP name ($U, or $k) in front.
##
_cf_S(`FromU')
R<@>				$@ $>UucpSender $n
R$*				$@ $>UucpSender $1

_cf_S(`EnvToU')
R$*				$@ $>UucpPath $1

_cf_S(`HdrToU')
R$*				$@ $>UucpSender $1

_cf_S(`EnvFromUD')
R<@>				$n
R$*				$@ $>EnvFromSMTP $1

_cf_S(`EnvFromUUD')
R<@>				$n
R$*				$: $>EnvFromSMTP $1
R$* < @ $* . > $*		$1 < @ $2 > $3
R< @ $+ > : $+			$@ $>BangPath $1 $| $2
R$* < @ $+ >			$@ $>BangPath $2 $| $1

## UucpSender: a sender as a UUCP path from this host: relative to the
## host we talk to ($h) when it starts there, else with our UUCP name
## ($U, or $k) in front.
_cf_S(`UucpSender')
R$*				$: $>UucpPath $1
R$&h ! $+ ! $+			$@ $1 ! $2
R$&h ! $+			$@ $&h ! $1
R$+				$@ $>UucpPrefix <$U> $1

## UucpPrefix: "<$U> path" -- our UUCP name in front ($k when $U is empty).
_cf_S(`UucpPrefix')
R<> $+				$@ $k ! $1
R<$+> $+			$@ $1 ! $2

## UucpPath: "user < @ host >" and "<@ host> : route" as host!user; our
## own names go, and so does a list:; address.
_cf_S(`UucpPath')
R:; <@>				$@
R$* < @ $* . > $*		$1 < @ $2 > $3
R$* < @ $=w >			$@ $1
R< @ $+ > : $+			$@ $>BangPath $1 $| $2
R$* < @ $+ >			$@ $>BangPath $2 $| $1

## BangPath: "host $| rest" -- host!rest, a .UUCP host without the suffix.
_cf_S(`BangPath')
R$- . UUCP $| $*		$@ $1 ! $2
R$+ $| $*			$@ $1 ! $2

Muucp,		P=UUCP_MAILER_PATH, F=_cf_mflags(`UUCP', `DFMhuUd'UUCP_MAILER_FLAGS), S=FromU, R=EnvToU/HdrToU,
		M=UUCP_MAILER_MAX`'_cf_uucp_tail
Muucp-old,	P=UUCP_MAILER_PATH, F=_cf_mflags(`UUCP', `DFMhuUd'UUCP_MAILER_FLAGS), S=FromU, R=EnvToU/HdrToU,
		M=UUCP_MAILER_MAX`'_cf_uucp_tail
Msuucp,		P=UUCP_MAILER_PATH, F=_cf_mflags(`SUUCP', `mDFMhuUd'UUCP_MAILER_FLAGS), S=FromU, R=EnvToU/HdrToU,
		M=UUCP_MAILER_MAX`'_cf_uucp_tail
Muucp-new,	P=UUCP_MAILER_PATH, F=_cf_mflags(`SUUCP', `mDFMhuUd'UUCP_MAILER_FLAGS), S=FromU, R=EnvToU/HdrToU,
		M=UUCP_MAILER_MAX`'_cf_uucp_tail
Muucp-dom,	P=UUCP_MAILER_PATH, F=_cf_mflags(`UUCP_DOM', `mDFMhud'UUCP_MAILER_FLAGS), S=EnvFromUD/HdrFromSMTP, R=_cf_smtp_rcpt,
		M=UUCP_MAILER_MAX`'_cf_uucp_tail
Muucp-uudom,	P=UUCP_MAILER_PATH, F=_cf_mflags(`UUCP_UUDOM', `mDFMhud'UUCP_MAILER_FLAGS), S=EnvFromUUD/HdrFromSMTP, R=_cf_smtp_rcpt,
		M=UUCP_MAILER_MAX`'_cf_uucp_tail

