divert(-1)
#
# FEATURE(`block_bad_helo')
#	Refuse clients that greet with our own name or address, or with an
#	unqualified name, unless they authenticated or may relay.
#
_cf_class(`{R}', `127.0.0.1')
_cf_class(`{R}', `IPv6:0:0:0:0:0:0:0:1 IPv6:::1')
_cf_class(`{w}', `[127.0.0.1]')
_cf_class(`{w}', `[IPv6:0:0:0:0:0:0:0:1] [IPv6:::1]')
