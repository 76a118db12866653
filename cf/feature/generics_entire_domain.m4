divert(-1)
#
# FEATURE(`generics_entire_domain')
#	Apply the generics table to subdomains of $=G too.
#
