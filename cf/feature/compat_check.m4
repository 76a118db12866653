divert(-1)
#
# FEATURE(`compat_check')
#	Check each sender/recipient pair against Compat: entries of the access map.
#
