divert(-1)
#
# FEATURE(`preserve_local_plus_detail')
#	Hand user+detail to the local mailer as it is.
#
