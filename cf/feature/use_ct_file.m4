divert(-1)
#
# FEATURE(`use_ct_file')
#	Read trusted users from confCT_FILE.
#
