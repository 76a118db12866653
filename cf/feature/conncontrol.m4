divert(-1)
#
# FEATURE(`conncontrol')
#	Limit simultaneous connections per client with ClientConn: entries of
#	the access map.  Arguments: `nodelay', `terminate'.
#
_cf_def(`_cf_conncontrol_nodelay', ifelse(defn(`_ARG_'), `nodelay', `1', `0'))
_cf_def(`_cf_conncontrol_terminate', ifelse(defn(`_ARG2_'), `terminate', `1', `0'))
