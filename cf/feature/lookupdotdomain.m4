divert(-1)
#
# FEATURE(`lookupdotdomain')
#	Look up .domain entries in the access map too (for subdomains).
#
