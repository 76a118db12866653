divert(-1)
#
# OSTYPE(`unicosmp') -- paths and local delivery for this system.
#
define(`STATUS_FILE', `/var/log/sendmail.st')
define(`confTIME_ZONE', `USE_TZ')
define(`LOCAL_MAILER_PATH', `/usr/bin/mail')
define(`LOCAL_MAILER_ARGS', `mail -s -d $u')
define(`LOCAL_MAILER_FLAGS', `Ehm9')
define(`confEBINDIR', `/usr/lib')
