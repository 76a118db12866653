divert(-1)
#
# OSTYPE(`altos') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`LOCAL_MAILER_PATH', `/usr/bin/lmail')
define(`LOCAL_MAILER_ARGS', `lmail $u')
define(`LOCAL_MAILER_FLAGS', `mPuhCE9')
define(`LOCAL_SHELL_FLAGS', `Peu')
define(`confEBINDIR', `/usr/lib')
define(`UUCP_MAILER_ARGS', `uux - -r -a$g $h!rmail ($u)')
