divert(-1)
#
# FEATURE(`virtusertable')
#	Virtual users: map user@domain (or @domain) to other addresses.
#	Argument: map spec.
#
_cf_declare_map(`virtuser', _cf_mapspec(`virtusertable', `virtuser'))
