divert(-1)
#
# OSTYPE(`unicosmk') -- paths and local delivery for this system.
#
define(`ALIAS_FILE', `/usr/lib/aliases')
define(`HELP_FILE', `/usr/lib/sendmail.hf')
define(`QUEUE_DIR', `/usr/spool/mqueue')
define(`STATUS_FILE', `/usr/lib/sendmail.st')
define(`confPID_FILE', `/etc/sendmail.pid')
MODIFY_MAILER_FLAGS(`SHELL', `lsDFMpxehuo')
MODIFY_MAILER_FLAGS(`SMTP', `+anpeLC')
