divert(-1)
#
# OSTYPE(`darwin') -- paths and local delivery for this system.
#
define(`confDONT_BLAME_SENDMAIL', `AssumeSafeChown,GroupWritableDirPathSafe')
define(`STATUS_FILE', `/var/log/sendmail.st')
define(`LOCAL_MAILER_PATH', `/usr/libexec/mail.local')
define(`LOCAL_MAILER_FLAGS', `Prmn9S')
define(`UUCP_MAILER_ARGS', `uux - -r -z -a$g $h!rmail ($u)')
