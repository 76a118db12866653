divert(-1)
#
# OSTYPE(`a-ux') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`LOCAL_MAILER_ARGS', `mail -d -r $f $u')
define(`LOCAL_MAILER_FLAGS', `mn9')
define(`confEBINDIR', `/usr/lib')
