divert(-1)
#
# FEATURE(`promiscuous_relay')
#	Relay for everybody (an open relay: do not use on the internet).
#
_cf_warn(`FEATURE(`promiscuous_relay') makes this host an open relay')
