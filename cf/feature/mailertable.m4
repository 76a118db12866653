divert(-1)
#
# FEATURE(`mailertable')
#	Route domains to a mailer and host with a table.  Argument: map spec.
#
_cf_declare_map(`mailertable', _cf_mapspec(`mailertable', `mailer'))
