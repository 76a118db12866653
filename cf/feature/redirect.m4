divert(-1)
#
# FEATURE(`redirect')
#	Answer mail to user@host.REDIRECT (set up in the aliases) with
#	551 User has moved.
#
