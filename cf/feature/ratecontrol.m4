divert(-1)
#
# FEATURE(`ratecontrol')
#	Limit the connection rate per client with ClientRate: entries of the
#	access map.  Arguments: `nodelay', `terminate'.
#
