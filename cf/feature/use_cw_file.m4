divert(-1)
#
# FEATURE(`use_cw_file')
#	Read our other names from confCW_FILE (local-host-names).
#
