divert(-1)
#
# OSTYPE(`sco-uw-2.1') -- paths and local delivery for this system.
#
define(`confTIME_ZONE', `USE_TZ')
define(`LOCAL_MAILER_PATH', `/usr/bin/rmail')
define(`LOCAL_MAILER_ARGS', `rmail $u')
define(`LOCAL_MAILER_FLAGS', `fhCEn9')
define(`LOCAL_SHELL_FLAGS', `ehuP')
define(`confEBINDIR', `/usr/lib')
define(`UUCP_MAILER_ARGS', `uux - -r -a$g -gmedium $h!rmail ($u)')
