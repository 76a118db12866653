divert(-1)
#
# OSTYPE(`mpeix') -- paths and local delivery for this system.
#
define(`confDONT_BLAME_SENDMAIL', `ForwardFileInGroupWritableDirPath')
define(`confTIME_ZONE', `USE_TZ')
define(`confDEF_USER_ID', `SERVER.SENDMAIL')
define(`confTRUSTED_USER', `SERVER.SENDMAIL')
define(`LOCAL_MAILER_PATH', `/bin/tsmail')
define(`LOCAL_MAILER_ARGS', `tsmail $u')
define(`LOCAL_MAILER_FLAGS', `mu9')
