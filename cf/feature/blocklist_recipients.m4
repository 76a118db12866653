divert(-1)
#
# FEATURE(`blocklist_recipients')
#	Let To: entries of the access map refuse recipients (REJECT, ERROR:...).
#
