divert(-1)
#
# OSTYPE(`mklinux') -- paths and local delivery for this system.
#
define(`STATUS_FILE', `/var/log/sendmail.st')
define(`LOCAL_MAILER_PATH', `/usr/bin/procmail')
define(`LOCAL_MAILER_ARGS', `procmail -a $h -d $u')
define(`LOCAL_MAILER_FLAGS', `SPfhn9')
define(`confEBINDIR', `/usr/sbin')
define(`PROCMAIL_MAILER_PATH', `/usr/bin/procmail')
