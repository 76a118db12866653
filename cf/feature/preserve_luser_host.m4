divert(-1)
#
# FEATURE(`preserve_luser_host')
#	Keep the recipient host when sending to LUSER_RELAY.
#
