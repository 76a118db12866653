divert(-1)
#
# OSTYPE(`sinix') -- paths and local delivery for this system.
#
define(`STATUS_FILE', `/var/sendmail.st')
define(`LOCAL_MAILER_PATH', `/bin/mail.local')
define(`confEBINDIR', `/usr/ucblib')
