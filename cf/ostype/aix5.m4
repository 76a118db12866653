divert(-1)
#
# OSTYPE(`aix5') -- paths and local delivery for this system.
#
define(`confTIME_ZONE', `USE_TZ')
define(`LOCAL_MAILER_PATH', `/bin/bellmail')
define(`LOCAL_MAILER_ARGS', `mail -F $g $u')
define(`LOCAL_MAILER_FLAGS', `mn9')
define(`confEBINDIR', `/usr/lib')
