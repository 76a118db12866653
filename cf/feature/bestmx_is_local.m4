divert(-1)
#
# FEATURE(`bestmx_is_local')
#	Accept mail for every domain for which this host is the best MX as
#	local.  Argument: domains for which this holds (default: all).
#
_cf_def(`_cf_bestmx_domains', defn(`_ARG_'))
_cf_declare_map(`bestmx', `bestmx')
ifelse(defn(`_cf_bestmx_domains'), `', `', `_cf_class(`B', defn(`_cf_bestmx_domains'))')
