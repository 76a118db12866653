divert(-1)
#
# FEATURE(`relay_entire_domain')
#	Relay for hosts in our domain ($=m) too.
#
