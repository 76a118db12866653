divert(-1)
#
# OSTYPE(`svr4') -- paths and local delivery for this system.
#
define(`LOCAL_MAILER_PATH', `/usr/ucblib/binmail')
define(`LOCAL_SHELL_FLAGS', `ehuP')
define(`confEBINDIR', `/usr/ucblib')
define(`UUCP_MAILER_ARGS', `uux - -r -a$g -gmedium $h!rmail ($u)')
