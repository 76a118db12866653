divert(-1)
#
# OSTYPE(`qnx') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`LOCAL_MAILER_PATH', `/usr/bin/mailx')
define(`LOCAL_MAILER_ARGS', `mail $u')
define(`LOCAL_MAILER_FLAGS', `Sh')
define(`UUCP_MAILER_ARGS', `uux - -r -z -a$f $h!rmail ($u)')
