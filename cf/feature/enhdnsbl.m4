divert(-1)
#
# FEATURE(`enhdnsbl')
#	Like dnsbl, but only the listed answers count.  Arguments: zone,
#	message, `t', then the answers (e.g. 127.0.0.2.).
#
ifelse(defn(`_ARG_'), `', `_cf_warn(`FEATURE(`enhdnsbl') needs the blocklist zone as argument')')
ifdef(`_cf_ednsbl_map_done', `', `_cf_def(`_cf_ednsbl_map_done', `1')_cf_declare_map(`ednsbl', `DNSBL_MAP -a. -T<TMP> -r`'EDNSBL_TO'ifdef(`DNSBL_MAP_OPT', ` DNSBL_MAP_OPT'))')
_cf_def(`_cf_n', _cf_next(`_cf_nbl'))
_cf_def(`_cf_bl'_cf_n`_map', `ednsbl')
_cf_def(`_cf_bl'_cf_n`_zone', defn(`_ARG_'))
_cf_def(`_cf_bl'_cf_n`_kind', ifelse(defn(`_ARG2_'), `', `default', defn(`_ARG2_'), `discard', `discard', defn(`_ARG2_'), `quarantine', `quarantine', `message'))
_cf_def(`_cf_bl'_cf_n`_msg', defn(`_ARG2_'))
_cf_def(`_cf_bl'_cf_n`_tmp', defn(`_ARG3_'))
_cf_def(`_cf_bl'_cf_n`_v1', defn(`_ARG4_'))
_cf_def(`_cf_bl'_cf_n`_v2', defn(`_ARG5_'))
_cf_def(`_cf_bl'_cf_n`_v3', defn(`_ARG6_'))
_cf_def(`_cf_bl'_cf_n`_v4', defn(`_ARG7_'))
_cf_def(`_cf_bl'_cf_n`_v5', defn(`_ARG8_'))
_cf_def(`_cf_bl'_cf_n`_v6', defn(`_ARG9_'))
_cf_append(`_cf_dnsbl_list', `_cf_dnsbl_one('_cf_n`)')
