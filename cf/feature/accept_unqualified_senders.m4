divert(-1)
#
# FEATURE(`accept_unqualified_senders')
#	Accept MAIL FROM addresses without a domain from any client.
#
