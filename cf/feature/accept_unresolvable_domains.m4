divert(-1)
#
# FEATURE(`accept_unresolvable_domains')
#	Accept senders whose domain does not resolve in the DNS.
#
