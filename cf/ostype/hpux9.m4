divert(-1)
#
# OSTYPE(`hpux9') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`confTIME_ZONE', `USE_TZ')
define(`LOCAL_MAILER_PATH', `/bin/rmail')
define(`LOCAL_MAILER_ARGS', `rmail -d $u')
define(`LOCAL_MAILER_FLAGS', `m9')
define(`confEBINDIR', `/usr/lib')
