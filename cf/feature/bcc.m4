divert(-1)
#
# FEATURE(`bcc')
#	Add Bcc recipients per domain from a table (needs a sendmail built with
#	the AddBcc option).  Argument: map spec.
#
_cf_declare_map(`bcctable', _cf_mapspec(`bcctable', `bcctable'))
