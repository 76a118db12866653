divert(-1)
#
# OSTYPE(`openbsd') -- paths and local delivery for this system.
#
define(`STATUS_FILE', `/var/log/sendmail.st')
define(`LOCAL_MAILER_PATH', `/usr/libexec/mail.local')
define(`LOCAL_MAILER_FLAGS', `rmn9S')
define(`UUCP_MAILER_ARGS', `uux - -r -z -a$g $h!rmail ($u)')
