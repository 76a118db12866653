divert(-1)
#
# FEATURE(`relay_mail_from')
#	Relay when the envelope sender has a RELAY From: access entry.
#	Argument: `domain' to look up the sender domain too.
#
_cf_def(`_cf_relay_mail_from_domain', ifelse(defn(`_ARG_'), `domain', `1', `0'))
