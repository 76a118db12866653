divert(-1)
#
# DOMAIN(`debian-mta') -- how Debian runs the MTA daemon: its own state and
# control directories, a trusted user smmta, shorter SMTP timeouts and a
# higher hop limit.
#
define(`confQUEUE_FILE_MODE', `0600')
define(`confMAX_HOP', `100')
define(`confHOST_STATUS_DIRECTORY', `/var/lib/sendmail/host_status')
define(`confPRIVACY_FLAGS', `restrictqrun')
define(`confMAX_RUNNERS_PER_QUEUE', `5')
define(`confTO_ICONNECT', `2m')
define(`confTO_MAIL', `2m')
define(`confTO_DATAINIT', `2m')
define(`confTO_RSET', `1m')
define(`confTO_QUIT', `2m')
define(`confTO_COMMAND', `5m')
define(`confTO_IDENT', `5s')
define(`STATUS_FILE', `/var/lib/sendmail/sendmail.st')
define(`confMAX_DAEMON_CHILDREN', `0')
define(`confSAFE_FILE_ENV', `/')
define(`confRRT_IMPLIES_DSN', `False')
define(`confTRUSTED_USER', `smmta')
define(`confCONTROL_SOCKET_NAME', `/var/run/sendmail/mta/smcontrol')
define(`confPID_FILE', `/var/run/sendmail/mta/sendmail.pid')
define(`confPROCESS_TITLE_PREFIX', `MTA')
