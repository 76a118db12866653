divert(-1)
#
# FEATURE(`notsticky')
#	No effect (kept for old .mc files).
#
