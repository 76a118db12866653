divert(-1)
#
# FEATURE(`authinfo')
#	A separate map for the credentials the SMTP client uses (AuthInfo:
#	entries) instead of the access map.  Argument: map spec.
#
_cf_declare_map(`authinfo', _cf_mapspec(`authinfo', `authinfo'))
