divert(-1)
#
# OSTYPE(`dynix3.2') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`confEBINDIR', `/usr/lib')
