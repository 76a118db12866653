divert(-1)
#
# FEATURE(`nullclient')
#	A host that forwards all its mail to one mail hub and delivers nothing
#	itself.  Argument: the hub.
#
ifelse(defn(`_ARG_'), `', `_cf_fatal(`FEATURE(`nullclient') needs the name of the mail hub as argument')')
_cf_def(`SMART_HOST', defn(`_ARG_'))
_cf_def(`MAIL_HUB', defn(`_ARG_'))
_cf_def(`MASQUERADE_NAME', defn(`_ARG_'))
undefine(`ALIAS_FILE')
_cf_def(`confFORWARD_PATH', `')
_cf_def(`confFROM_HEADER', `<$g>')
_cf_def(`_cf_feat_allmasquerade', `1')
_cf_def(`_cf_local_base_flags', `lsDFM5q')
_cf_add_mailer(`local')
_cf_add_mailer(`smtp')
_cf_def(`_cf_feat_masquerade_envelope', `1')
