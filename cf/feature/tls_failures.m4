divert(-1)
#
# FEATURE(`tls_failures')
#	Obsolete: use define(`confTLS_FALLBACK_TO_CLEAR').
#
_cf_warn(`FEATURE(`tls_failures') is obsolete; use define(`confTLS_FALLBACK_TO_CLEAR', `true')')
