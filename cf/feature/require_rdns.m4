divert(-1)
#
# FEATURE(`require_rdns')
#	Refuse clients whose address does not resolve back to a name.
#
