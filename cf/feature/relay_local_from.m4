divert(-1)
#
# FEATURE(`relay_local_from')
#	Relay when the envelope sender is one of ours (can be forged).
#
