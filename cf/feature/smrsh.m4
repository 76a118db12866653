divert(-1)
#
# FEATURE(`smrsh')
#	Run programs through smrsh, the restricted shell.  Argument: its path.
#
_cf_def(`LOCAL_SHELL_PATH', ifelse(defn(`_ARG_'), `', `confEBINDIR/smrsh', `defn(`_ARG_')'))
_cf_def(`LOCAL_SHELL_ARGS', `smrsh -c $u')
