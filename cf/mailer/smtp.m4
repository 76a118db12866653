dnl mailer/smtp.m4 -- MAILER(`smtp'): the SMTP client mailers.
dnl
dnl smtp (plain SMTP), esmtp (ESMTP, the default), smtp8 (8-bit data sent
dnl as is), dsmtp (held until the destination asks: ETRN, F=%) and relay
dnl (to a smart host or mail hub; keeps our addresses unqualified on
dnl purpose).  Knobs: SMTP_MAILER_{FLAGS,MAX,MAXMSGS,MAXRCPTS,CHARSET,LL,
dnl ARGS,QGRP}, {ESMTP,SMTP8,DSMTP}_MAILER_{ARGS,QGRP},
dnl RELAY_MAILER_{FLAGS,ARGS,CHARSET,LL,MAXMSGS,QGRP}; MODIFY_MAILER_FLAGS
dnl keys SMTP, ESMTP, SMTP8, DSMTP and RELAY.
_cf_smtp_rewrite`'dnl
ifdef(`SMTP_MAILER_LL', `', `_cf_def(`SMTP_MAILER_LL', `990')')dnl
ifdef(`SMTP_MAILER_FLAGS', `', `_cf_def(`SMTP_MAILER_FLAGS', `')')dnl
ifdef(`RELAY_MAILER_FLAGS', `', `_cf_def(`RELAY_MAILER_FLAGS', `')')dnl
ifdef(`RELAY_MAILER_LL', `', `_cf_def(`RELAY_MAILER_LL', `2040')')dnl
_cf_def(`_cf_smtp_common', `_cf_mfield(`M', `SMTP_MAILER_MAX')`'_cf_mfield(`m', `SMTP_MAILER_MAXMSGS')`'dnl
_cf_mfield(`r', `SMTP_MAILER_MAXRCPTS')`'_cf_mfield(`C', `SMTP_MAILER_CHARSET')')dnl
_cf_def(`_cf_smtp_args', `ifdef(`$1', `$1', `TCP $h')')dnl

##
## SMTP
##
Msmtp,		P=[IPC], F=_cf_mflags(`SMTP', `mDFMuX'SMTP_MAILER_FLAGS), S=EnvFromSMTP/HdrFromSMTP, R=_cf_smtp_rcpt,
		E=\r\n, L=SMTP_MAILER_LL`'_cf_smtp_common, T=DNS/RFC822/SMTP`'_cf_mfield(`Q', `SMTP_MAILER_QGRP'),
		A=_cf_smtp_args(`SMTP_MAILER_ARGS')
Mesmtp,		P=[IPC], F=_cf_mflags(`ESMTP', `mDFMuXa'SMTP_MAILER_FLAGS), S=EnvFromSMTP/HdrFromSMTP, R=_cf_smtp_rcpt,
		E=\r\n, L=SMTP_MAILER_LL`'_cf_smtp_common, T=DNS/RFC822/SMTP`'_cf_mfield(`Q', `ESMTP_MAILER_QGRP'),
		A=_cf_smtp_args(`ESMTP_MAILER_ARGS')
Msmtp8,		P=[IPC], F=_cf_mflags(`SMTP8', `mDFMuX8'SMTP_MAILER_FLAGS), S=EnvFromSMTP/HdrFromSMTP, R=_cf_smtp_rcpt,
		E=\r\n, L=SMTP_MAILER_LL`'_cf_smtp_common, T=DNS/RFC822/SMTP`'_cf_mfield(`Q', `SMTP8_MAILER_QGRP'),
		A=_cf_smtp_args(`SMTP8_MAILER_ARGS')
Mdsmtp,		P=[IPC], F=_cf_mflags(`DSMTP', `mDFMuXa%'SMTP_MAILER_FLAGS), S=EnvFromSMTP/HdrFromSMTP, R=_cf_smtp_rcpt,
		E=\r\n, L=SMTP_MAILER_LL`'_cf_smtp_common, T=DNS/RFC822/SMTP`'_cf_mfield(`Q', `DSMTP_MAILER_QGRP'),
		A=_cf_smtp_args(`DSMTP_MAILER_ARGS')
Mrelay,		P=[IPC], F=_cf_mflags(`RELAY', `mDFMuXa8'RELAY_MAILER_FLAGS), S=EnvFromSMTP/HdrFromSMTP,
		R=MasqSMTP`'ifdef(`_cf_feat_allmasquerade', `/MasqRelay'), E=\r\n, L=RELAY_MAILER_LL`'dnl
_cf_mfield(`C', `RELAY_MAILER_CHARSET')`'_cf_mfield(`m', `RELAY_MAILER_MAXMSGS')`'_cf_mfield(`r', `SMTP_MAILER_MAXRCPTS'),
		T=DNS/RFC822/SMTP`'_cf_mfield(`Q', `RELAY_MAILER_QGRP'),
		A=_cf_smtp_args(`RELAY_MAILER_ARGS')

