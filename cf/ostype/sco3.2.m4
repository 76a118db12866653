divert(-1)
#
# OSTYPE(`sco3.2') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`LOCAL_MAILER_PATH', `/usr/bin/lmail')
define(`LOCAL_MAILER_ARGS', `lmail $u')
define(`LOCAL_MAILER_FLAGS', `PuhCE9')
define(`LOCAL_SHELL_FLAGS', `Peu')
define(`confEBINDIR', `/usr/lib')
