divert(-1)
#
# FEATURE(`relay_hosts_only')
#	Relay for the exact names in $=R only, not their subdomains.
#
