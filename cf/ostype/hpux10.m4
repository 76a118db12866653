divert(-1)
#
# OSTYPE(`hpux10') -- paths and local delivery for this system.
#
define(`confTIME_ZONE', `USE_TZ')
define(`LOCAL_MAILER_PATH', `/usr/bin/rmail')
define(`LOCAL_MAILER_ARGS', `rmail -d $u')
define(`LOCAL_MAILER_FLAGS', `m9')
define(`LOCAL_SHELL_PATH', `/usr/bin/sh')
