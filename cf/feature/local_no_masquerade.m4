divert(-1)
#
# FEATURE(`local_no_masquerade')
#	Do not masquerade mail delivered locally.
#
