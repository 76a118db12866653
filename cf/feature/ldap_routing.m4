divert(-1)
#
# FEATURE(`ldap_routing')
#	Route recipients with LDAP (mailHost, mailRoutingAddress) for the
#	LDAPROUTE_DOMAIN domains.
#
