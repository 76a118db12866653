divert(-1)
#
# OSTYPE(`unicos') -- paths and local delivery for this system.
#
define(`ALIAS_FILE', `/usr/lib/aliases')
define(`HELP_FILE', `/usr/lib/sendmail.hf')
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`STATUS_FILE', `/usr/lib/sendmail.st')
define(`confPID_FILE', `/etc/sendmail.pid')
define(`LOCAL_MAILER_FLAGS', `Prmn9aSpxXu')
define(`LOCAL_SHELL_FLAGS', `pxehu')
MODIFY_MAILER_FLAGS(`SMTP', `+anpeLC')
