divert(-1)
#
# OSTYPE(`solaris11') -- paths and local delivery for this system.
#
DAEMON_OPTIONS(`Name=MTA-v4, Family=inet')
DAEMON_OPTIONS(`Name=MTA-v6, Family=inet6')
define(`confPID_FILE', `/system/volatile/sendmail.pid')
define(`confEBINDIR', `/usr/lib')
FEATURE(`local_lmtp')
define(`UUCP_MAILER_ARGS', `uux - -r -a$g $h!rmail ($u)')
