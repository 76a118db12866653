divert(-1)
#
# OSTYPE(`solaris2') -- paths and local delivery for this system.
#
define(`LOCAL_MAILER_PATH', `/usr/lib/mail.local')
define(`LOCAL_MAILER_ARGS', `mail.local -d $u')
define(`LOCAL_MAILER_FLAGS', `fSmn9')
define(`confEBINDIR', `/usr/lib')
define(`UUCP_MAILER_ARGS', `uux - -r -a$g $h!rmail ($u)')
