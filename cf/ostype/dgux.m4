divert(-1)
#
# OSTYPE(`dgux') -- paths and local delivery for this system.
#
define(`confTIME_ZONE', `USE_TZ')
define(`LOCAL_MAILER_FLAGS', `m9')
define(`confEBINDIR', `/usr/lib')
