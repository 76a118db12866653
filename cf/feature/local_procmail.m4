divert(-1)
#
# FEATURE(`local_procmail')
#	Deliver locally with procmail.  Arguments: path, argv, flags.
#
_cf_def(`LOCAL_MAILER_PATH', ifelse(defn(`_ARG_'), `', `PROCMAIL_MAILER_PATH', `defn(`_ARG_')'))
_cf_def(`LOCAL_MAILER_ARGS', ifelse(defn(`_ARG2_'), `', `procmail -a $h -d $u', `defn(`_ARG2_')'))
_cf_def(`LOCAL_MAILER_FLAGS', ifelse(defn(`_ARG3_'), `', `SPfhn9', `defn(`_ARG3_')'))
