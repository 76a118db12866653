divert(-1)
#
# FEATURE(`limited_masquerade')
#	Masquerade only the MASQUERADE_DOMAIN names, not all of $=w.
#
