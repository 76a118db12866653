divert(-1)
#
# DOMAIN(`debian-msp') -- how Debian runs the mail submission program: its
# own state files and control socket, user smmsp, no persistent host
# status, short SMTP timeouts towards the local MTA.
#
define(`confCF_VERSION', `Submit')
define(`confQUEUE_FILE_MODE', `0660')
define(`confTEMP_FILE_MODE', `0640')
define(`confHOST_STATUS_DIRECTORY', `')
define(`confTO_ICONNECT', `2s')
define(`confTO_MAIL', `2m')
define(`confTO_DATAINIT', `2m')
define(`confTO_RSET', `1m')
define(`confTO_QUIT', `2m')
define(`confTO_COMMAND', `5m')
define(`confTO_IDENT', `5s')
define(`confTO_HOSTSTATUS', `0')
define(`STATUS_FILE', `/var/lib/sendmail/sm-client.st')
define(`confSAFE_FILE_ENV', `/')
define(`confRUN_AS_USER', `smmsp')
define(`confRRT_IMPLIES_DSN', `False')
define(`confTRUSTED_USER', `smmsp')
define(`confCONTROL_SOCKET_NAME', `/var/run/sendmail/msp/smcontrol')
define(`confPID_FILE', `/var/run/sendmail/msp/sendmail.pid')
define(`confPROCESS_TITLE_PREFIX', `MSP')
