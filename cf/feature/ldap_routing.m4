divert(-1)
#
# FEATURE(`ldap_routing')
#	Route recipients of the LDAPROUTE_DOMAIN domains with LDAP: the
#	mailRoutingAddress attribute replaces the address, mailHost names the
#	host that gets it.  Arguments: mailHost map, mailRoutingAddress map,
#	`bounce' or `passthru' (what to do when neither is found), `detail'
#	(look up user+detail without the detail too), `nodomain' (no @domain
#	lookup), `tempfail' (a temporary LDAP failure refuses the recipient
#	for now), `sendertoo'.
#
_cf_def(`_cf_ldap_attr_spec', ``ldap -1 -T<TMPF> -v $1 -k (&(objectClass=inetLocalMailRecipient)(mailLocalAddress=%0))'')
_cf_declare_map(`ldapmh', ifelse(defn(`_ARG_'), `', `_cf_ldap_attr_spec(`mailHost')', `defn(`_ARG_')'))
_cf_declare_map(`ldapmra', ifelse(defn(`_ARG2_'), `', `_cf_ldap_attr_spec(`mailRoutingAddress')', `defn(`_ARG2_')'))
_cf_def(`_cf_ldap_bounce', ifelse(defn(`_ARG3_'), `bounce', `1', `0'))
_cf_def(`_cf_ldap_nodomain', ifelse(defn(`_ARG5_'), `nodomain', `1', `0'))
_cf_def(`_cf_ldap_tempfail', ifelse(defn(`_ARG6_'), `tempfail', `1', `0'))
_cf_class(`{SMTPOpModes}', `s d D')
ifdef(`confLDAP_DEFAULT_SPEC', `', `_cf_warn(`FEATURE(`ldap_routing') without confLDAP_DEFAULT_SPEC uses the default LDAP server settings')')
