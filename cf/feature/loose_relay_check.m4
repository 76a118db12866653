divert(-1)
#
# FEATURE(`loose_relay_check')
#	Do not strip the percent hack before the relay check.
#
