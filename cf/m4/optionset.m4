dnl optionset.m4 -- writes the O lines (read by assemble.m4).
dnl
dnl Obsolete names: explained, then ignored (or mapped) as before.
ifdef(`confDEF_GROUP_ID', `errprint(`warning: confDEF_GROUP_ID is obsolete; give the group in confDEF_USER_ID (user:group)
')')dnl
ifdef(`confREAD_TIMEOUT', `errprint(`warning: confREAD_TIMEOUT is obsolete; use the individual confTO_* timeouts
')')dnl
ifdef(`confAUTO_REBUILD', `errprint(`warning: confAUTO_REBUILD is no longer supported and is ignored
')')dnl
ifdef(`confMESSAGE_TIMEOUT', `dnl
ifelse(index(defn(`confMESSAGE_TIMEOUT'), `/'), `-1',
	`_cf_def(`confTO_QUEUERETURN', defn(`confMESSAGE_TIMEOUT'))',
	`_cf_def(`confTO_QUEUERETURN', substr(defn(`confMESSAGE_TIMEOUT'), 0, index(defn(`confMESSAGE_TIMEOUT'), `/')))dnl
_cf_def(`confTO_QUEUEWARN', substr(defn(`confMESSAGE_TIMEOUT'), incr(index(defn(`confMESSAGE_TIMEOUT'), `/'))))')')dnl
ifdef(`_cf_input_milters', `ifdef(`confINPUT_MAIL_FILTERS', `', `_cf_def(`confINPUT_MAIL_FILTERS', defn(`_cf_input_milters'))')')dnl
_cf_emit_opt(`AliasFile', `ALIAS_FILE', `/etc/mail/aliases')dnl
_cf_emit_opt(`HelpFile', `HELP_FILE', `/etc/mail/helpfile')dnl
_cf_emit_opt(`QueueDirectory', `QUEUE_DIR', `/var/spool/mqueue')dnl
_cf_emit_opt(`StatusFile', `STATUS_FILE', `/etc/mail/statistics')dnl
ifdef(`confTIME_ZONE', `ifelse(defn(`confTIME_ZONE'), `USE_SYSTEM', `#O TimeZoneSpec=
', defn(`confTIME_ZONE'), `USE_TZ', `O TimeZoneSpec=
', `O TimeZoneSpec=confTIME_ZONE
')', `#O TimeZoneSpec=
')dnl
_cf_optlist`'dnl
ifdef(`_cf_daemons', `_cf_daemons`'', `O DaemonPortOptions=Name=MTA
')dnl
ifdef(`_cf_feat_no_default_msa', `', `O DaemonPortOptions=Port=587, Name=MSA, M=E
')dnl
ifdef(`confDAEMON_OPTIONS', `errprint(`warning: confDAEMON_OPTIONS is obsolete; use DAEMON_OPTIONS()
')O DaemonPortOptions=confDAEMON_OPTIONS
')dnl
ifdef(`_cf_clients', `_cf_clients`'')dnl
ifdef(`confCLIENT_OPTIONS', `errprint(`warning: confCLIENT_OPTIONS is obsolete; use CLIENT_OPTIONS()
')O ClientPortOptions=confCLIENT_OPTIONS
')dnl
ifdef(`_cf_milters', `dnl
ifdef(`confMILTER_LOG_LEVEL', `O Milter.LogLevel=confMILTER_LOG_LEVEL
')dnl
O Milter.macros.connect=ifdef(`confMILTER_MACROS_CONNECT', `confMILTER_MACROS_CONNECT', `j, _, {daemon_name}, {if_name}, {if_addr}')
O Milter.macros.helo=ifdef(`confMILTER_MACROS_HELO', `confMILTER_MACROS_HELO', `{tls_version}, {cipher}, {cipher_bits}, {cert_subject}, {cert_issuer}')
O Milter.macros.envfrom=ifdef(`confMILTER_MACROS_ENVFROM', `confMILTER_MACROS_ENVFROM', `i, {auth_type}, {auth_authen}, {auth_ssf}, {auth_author}, {mail_mailer}, {mail_host}, {mail_addr}')
O Milter.macros.envrcpt=ifdef(`confMILTER_MACROS_ENVRCPT', `confMILTER_MACROS_ENVRCPT', `{rcpt_mailer}, {rcpt_host}, {rcpt_addr}')
ifdef(`confMILTER_MACROS_DATA', `O Milter.macros.data=confMILTER_MACROS_DATA
')dnl
ifdef(`confMILTER_MACROS_EOH', `O Milter.macros.eoh=confMILTER_MACROS_EOH
')dnl
O Milter.macros.eom=ifdef(`confMILTER_MACROS_EOM', `confMILTER_MACROS_EOM', `{msg_id}')
')dnl
ifdef(`_cf_feat_check_cert_altnames', `O SetCertAltnames=true
')dnl
ifdef(`_cf_feat_sts', `O StrictTransportSecurity=true
ifdef(`_cf_feat_check_cert_altnames', `', `O SetCertAltnames=true
')')dnl
ifdef(`_cf_feat_tls_failures', `O TLSFallbacktoClear=true
')dnl
ifdef(`_cf_feat_bcc', `O AddBcc=true
')dnl
ifdef(`_cf_qgroups', `
_cf_qgroups`'dnl
')dnl
ifdef(`_cf_milters', `
_cf_milters`'dnl
')dnl
