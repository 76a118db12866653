divert(-1)
#
# FEATURE(`local_lmtp')
#	Deliver locally with mail.local over LMTP.  Arguments: path, argv.
#
_cf_def(`LOCAL_MAILER_PATH', ifelse(defn(`_ARG_'), `', `confEBINDIR/mail.local', `defn(`_ARG_')'))
_cf_def(`LOCAL_MAILER_FLAGS', ifdef(`_cf_lmtp_flags', `_cf_lmtp_flags', `PSXmnz9'))
_cf_def(`LOCAL_MAILER_ARGS', ifelse(defn(`_ARG2_'), `', `mail.local -l', `defn(`_ARG2_')'))
_cf_def(`LOCAL_MAILER_DSN_DIAGNOSTIC_CODE', `SMTP')
