divert(-1)
#
# FEATURE(`blacklist_recipients')
#	Old name of blocklist_recipients; still accepted.
#
_cf_warn(`FEATURE(`blacklist_recipients') is the old name of FEATURE(`blocklist_recipients')')_cf_def(`_cf_feat_blocklist_recipients', `1')
