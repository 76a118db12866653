divert(-1)
#
# FEATURE(`nopercenthack')
#	Do not treat user%host as a route.  Argument: `reject' or `nospecial'.
#
_cf_def(`_cf_nopercent_mode', defn(`_ARG_'))
