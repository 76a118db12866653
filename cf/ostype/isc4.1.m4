divert(-1)
#
# OSTYPE(`isc4.1') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`confTIME_ZONE', `USE_TZ')
define(`LOCAL_MAILER_PATH', `/bin/lmail')
define(`LOCAL_MAILER_ARGS', `lmail -s $u')
define(`LOCAL_MAILER_FLAGS', `humS9')
define(`confEBINDIR', `/usr/lib')
define(`UUCP_MAILER_ARGS', `uux - -r -gC $h!rmail ($u)')
