divert(-1)
#
# OSTYPE(`irix6') -- paths and local delivery for this system.
#
define(`STATUS_FILE', `/var/sendmail.st')
define(`confTIME_ZONE', `USE_TZ')
define(`confDEF_USER_ID', `998:998')
define(`LOCAL_MAILER_ARGS', `mail -s -d $u')
define(`LOCAL_MAILER_FLAGS', `Ehmu9')
define(`LOCAL_MAILER_CHARSET', `iso-8859-1')
define(`confEBINDIR', `/usr/lib')
