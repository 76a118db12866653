divert(-1)
#
# FEATURE(`ratecontrol')
#	Limit the connection rate per client with ClientRate: entries of the
#	access map.  Arguments: `nodelay', `terminate'.
#
_cf_def(`_cf_ratecontrol_nodelay', ifelse(defn(`_ARG_'), `nodelay', `1', `0'))
_cf_def(`_cf_ratecontrol_terminate', ifelse(defn(`_ARG2_'), `terminate', `1', `0'))
