divert(-1)
#
# FEATURE(`nouucp')
#	No UUCP (host!user) addressing.  Argument: `reject' (refuse such
#	addresses at RCPT) or `nospecial'.
#
_cf_def(`_cf_nouucp_mode', defn(`_ARG_'))
