divert(-1)
#
# FEATURE(`masquerade_entire_domain')
#	Masquerade subdomains of the MASQUERADE_DOMAIN names too.
#
