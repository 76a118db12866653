divert(-1)
#
# FEATURE(`greet_pause')
#	Wait before the SMTP greeting; clients that talk first are refused.
#	Argument: milliseconds; GreetPause: entries of the access map override.
#
_cf_def(`_cf_greet_pause_default', defn(`_ARG_'))
