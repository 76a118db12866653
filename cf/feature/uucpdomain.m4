divert(-1)
#
# FEATURE(`uucpdomain')
#	Rewrite host.UUCP names with a table.  Argument: map spec.
#
_cf_declare_map(`uudomain', _cf_mapspec(`uudomain', `uudomain'))
