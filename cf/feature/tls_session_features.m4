divert(-1)
#
# FEATURE(`tls_session_features')
#	Per-peer TLS settings from TLS_Srv_Features:/TLS_Clt_Features: entries.
#
