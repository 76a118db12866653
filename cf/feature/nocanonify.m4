divert(-1)
#
# FEATURE(`nocanonify')
#	Do not canonify host names with the DNS (only CANONIFY_DOMAIN names,
#	or all with the daemon modifier c).
#
