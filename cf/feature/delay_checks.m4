divert(-1)
#
# FEATURE(`delay_checks')
#	Run the client and sender checks at RCPT time.  Argument 1: `friend'
#	(Spam:FRIEND recipients skip them) or `hater' (only Spam:HATER
#	recipients get them).
#
_cf_def(`_cf_delay_mode', defn(`_ARG_'))
