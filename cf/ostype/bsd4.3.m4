divert(-1)
#
# OSTYPE(`bsd4.3') -- paths and local delivery for this system.
#
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`UUCP_MAILER_ARGS', `uux - -r -z -a$g $h!rmail ($u)')
