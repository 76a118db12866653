divert(-1)
#
# FEATURE(`domaintable')
#	Rename domains (old.example -> new.example) with a table, before
#	anything else looks at them.  Argument: map spec.
#
_cf_declare_map(`domaintable', _cf_mapspec(`domaintable', `domain'))
