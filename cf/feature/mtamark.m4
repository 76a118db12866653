divert(-1)
#
# FEATURE(`mtamark')
#	Refuse clients that are not marked as MTAs in the DNS (MTAMark).
#
