divert(-1)
#
# FEATURE(`badmx')
#	Refuse senders whose domain has a bogus MX record (an address
#	literal, loopback or private address).
#
_cf_declare_map(`mxlist', `bestmx -z: -T<TEMP>')
_cf_declare_map(`badmx', `regex -a<BADMX> ^(([0-9]{1,3}\.){3}[0-9]){0,1}\.$')
_cf_declare_map(`dnsA', `dns -R A -a. -T<TEMP>')
_cf_declare_map(`BadMXIP', `regex -a<BADMXIP> ^(127\.|10\.|0\.0\.0\.0)')
