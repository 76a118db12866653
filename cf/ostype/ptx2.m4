divert(-1)
#
# OSTYPE(`ptx2') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`LOCAL_MAILER_FLAGS', `fmn9')
define(`LOCAL_SHELL_FLAGS', `eu')
define(`confEBINDIR', `/usr/lib')
