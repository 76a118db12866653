divert(-1)
#
# OSTYPE(`solaris2.pre5') -- paths and local delivery for this system.
#
define(`LOCAL_MAILER_ARGS', `mail -f $g -d $u')
define(`LOCAL_MAILER_FLAGS', `SnE9')
define(`confEBINDIR', `/usr/lib')
define(`UUCP_MAILER_ARGS', `uux - -r -a$g $h!rmail ($u)')
