divert(-1)
#
# OSTYPE(`bsdi2.0') -- paths and local delivery for this system.
#
define(`STATUS_FILE', `/var/log/sendmail.st')
define(`LOCAL_MAILER_PATH', `/usr/libexec/mail.local')
define(`UUCP_MAILER_ARGS', `uux - -r -z -a$g $h!rmail ($u)')
