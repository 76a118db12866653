divert(-1)
#
# FEATURE(`block_bad_helo')
#	Refuse clients that greet with our own name or address, or with an
#	unqualified name, unless they authenticated or may relay.
#
