divert(-1)
#
# FEATURE(`stickyhost')
#	Keep user@ourhost apart from user: only the former goes to LOCAL_RELAY
#	or MAIL_HUB.
#
