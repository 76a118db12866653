divert(-1)
#
# FEATURE(`badmx')
#	Refuse senders whose domain has a bogus MX record (an address
#	literal, loopback or private address).
#
