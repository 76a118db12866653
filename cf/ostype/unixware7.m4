divert(-1)
#
# OSTYPE(`unixware7') -- paths and local delivery for this system.
#
define(`confTIME_ZONE', `USE_TZ')
define(`LOCAL_MAILER_PATH', `/etc/mail/slocal')
define(`LOCAL_MAILER_ARGS', `slocal -user $u')
define(`LOCAL_MAILER_FLAGS', `Puho9')
define(`LOCAL_SHELL_FLAGS', `Peu')
define(`confEBINDIR', `/usr/lib')
