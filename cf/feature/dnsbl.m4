divert(-1)
#
# FEATURE(`dnsbl')
#	Refuse clients listed in a DNS blocklist.  Arguments: zone, message
#	(or `discard', `quarantine'), `t' to make DNS failures temporary errors.
#	May be given several times.
#
ifelse(defn(`_ARG_'), `', `_cf_warn(`FEATURE(`dnsbl') needs the blocklist zone as argument')')
ifdef(`_cf_dnsbl_map_done', `', `_cf_def(`_cf_dnsbl_map_done', `1')_cf_declare_map(`dnsbl', `DNSBL_MAP -T<TMP>'ifdef(`DNSBL_MAP_OPT', ` DNSBL_MAP_OPT'))')
_cf_def(`_cf_n', _cf_next(`_cf_nbl'))
_cf_def(`_cf_bl'_cf_n`_map', `dnsbl')
_cf_def(`_cf_bl'_cf_n`_zone', defn(`_ARG_'))
_cf_def(`_cf_bl'_cf_n`_kind', ifelse(defn(`_ARG2_'), `', `default', defn(`_ARG2_'), `discard', `discard', defn(`_ARG2_'), `quarantine', `quarantine', `message'))
_cf_def(`_cf_bl'_cf_n`_msg', defn(`_ARG2_'))
_cf_def(`_cf_bl'_cf_n`_tmp', defn(`_ARG3_'))
_cf_append(`_cf_dnsbl_list', `_cf_dnsbl_one('_cf_n`)')
