divert(-1)
#
# FEATURE(`always_add_domain')
#	Qualify unqualified addresses in mail delivered locally (with $j,
#	or with the domain given as argument).
#
_cf_def(`_cf_add_domain', defn(`_ARG_'))
