divert(-1)
#
# FEATURE(`drac')
#	Let clients that recently authenticated to the POP/IMAP server relay
#	(POP-before-SMTP with the drac daemon's map).  Argument: map spec.
#
_cf_declare_map(`drac', _cf_mapspec(`drac', `drac'))
