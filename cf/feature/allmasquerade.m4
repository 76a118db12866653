divert(-1)
#
# FEATURE(`allmasquerade')
#	Masquerade recipient header addresses too, not only senders.
#
