divert(-1)
#
# OSTYPE(`irix4') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`LOCAL_MAILER_FLAGS', `Ehm9')
define(`confEBINDIR', `/usr/lib')
