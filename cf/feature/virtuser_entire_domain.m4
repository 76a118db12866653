divert(-1)
#
# FEATURE(`virtuser_entire_domain')
#	Apply the virtual user table to subdomains of the virtual domains too.
#
