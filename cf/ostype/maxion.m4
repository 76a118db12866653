divert(-1)
#
# OSTYPE(`maxion') -- paths and local delivery for this system.
#
define(`STATUS_FILE', `/var/adm/log/sendmail.st')
define(`LOCAL_MAILER_PATH', `/usr/bin/mail')
define(`LOCAL_MAILER_ARGS', `mail $u')
define(`LOCAL_SHELL_FLAGS', `ehuP')
define(`confEBINDIR', `/usr/ucblib')
define(`UUCP_MAILER_ARGS', `uux - -r -a$g -gmedium $h!rmail ($u)')
