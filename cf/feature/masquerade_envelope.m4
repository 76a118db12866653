divert(-1)
#
# FEATURE(`masquerade_envelope')
#	Masquerade envelope senders too, not only headers.
#
