divert(-1)
#
# FEATURE(`genericstable')
#	Rewrite outgoing sender addresses (user, user@domain) with a table.
#	Argument: map spec.
#
_cf_declare_map(`generics', _cf_mapspec(`genericstable', `generics'))
