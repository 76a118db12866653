divert(-1)
#
# FEATURE(`rhsbl')
#	Refuse senders whose domain is listed in a DNS right-hand-side
#	blocklist.  Arguments: zone, message.  May be given several times.
#
ifdef(`_cf_rhsbl_map_done', `', `_cf_def(`_cf_rhsbl_map_done', `1')_cf_declare_map(`dnsbl', `host -T<TMP>')')
_cf_def(`_cf_n', _cf_next(`_cf_nbl'))
_cf_def(`_cf_bl'_cf_n`_map', `rhsbl')
_cf_def(`_cf_bl'_cf_n`_zone', defn(`_ARG_'))
_cf_def(`_cf_bl'_cf_n`_kind', ifelse(defn(`_ARG2_'), `', `default', `message'))
_cf_def(`_cf_bl'_cf_n`_msg', defn(`_ARG2_'))
_cf_append(`_cf_dnsbl_list', `_cf_dnsbl_one('_cf_n`)')
