divert(-1)
#
# FEATURE(`relay_based_on_MX')
#	Relay for every domain that lists this host as MX.
#
_cf_declare_map(`mxserved', `bestmx -z: -T<TEMP>')
