divert(-1)
#
# FEATURE(`bitdomain')
#	Rewrite BITNET host names (host.BITNET) to internet domains with a table.
#	Argument: map spec.
#
_cf_declare_map(`bitdomain', _cf_mapspec(`bitdomain', `bitdomain'))
