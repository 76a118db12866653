divert(-1)
#
# OSTYPE(`powerux') -- paths and local delivery for this system.
#
define(`LOCAL_MAILER_PATH', `/usr/bin/rmail')
define(`LOCAL_MAILER_ARGS', `rmail $u')
define(`LOCAL_MAILER_FLAGS', `mn9')
define(`LOCAL_SHELL_FLAGS', `ehuP')
define(`confEBINDIR', `/usr/local/lib')
define(`UUCP_MAILER_ARGS', `uux - -r -a$g -gmedium $h!rmail ($u)')
