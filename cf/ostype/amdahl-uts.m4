divert(-1)
#
# OSTYPE(`amdahl-uts') -- paths and local delivery for this system.
#
define(`LOCAL_MAILER_FLAGS', `fSn9')
define(`confEBINDIR', `/usr/lib')
