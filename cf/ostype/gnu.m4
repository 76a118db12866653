divert(-1)
#
# OSTYPE(`gnu') -- paths and local delivery for this system.
#
define(`STATUS_FILE', `/var/log/sendmail.st')
define(`LOCAL_MAILER_PATH', `/libexec/mail.local')
define(`LOCAL_MAILER_ARGS', `mail $u')
define(`confEBINDIR', `/libexec')
