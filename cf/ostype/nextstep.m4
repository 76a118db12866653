divert(-1)
#
# OSTYPE(`nextstep') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`LOCAL_SHELL_FLAGS', `euP')
define(`confEBINDIR', `/usr/lib')
