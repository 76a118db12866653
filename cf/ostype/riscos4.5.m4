divert(-1)
#
# OSTYPE(`riscos4.5') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`LOCAL_MAILER_ARGS', `rmail -d $u')
define(`confEBINDIR', `/usr/lib')
