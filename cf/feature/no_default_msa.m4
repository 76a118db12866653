divert(-1)
#
# FEATURE(`no_default_msa')
#	Do not open the message submission port (587) by default.
#
