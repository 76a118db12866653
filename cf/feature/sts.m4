divert(-1)
#
# FEATURE(`sts')
#	MTA-STS: use an MTA-STS resolver (socket map).  Argument: map spec.
#
