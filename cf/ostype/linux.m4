divert(-1)
#
# OSTYPE(`linux') -- Linux as Debian packages it: helper programs live in
# /usr/sbin, local delivery is done by procmail.
#
define(`confEBINDIR', `/usr/sbin')
ifdef(`PROCMAIL_MAILER_PATH', `', `define(`PROCMAIL_MAILER_PATH', `/usr/bin/procmail')')
FEATURE(`local_procmail')
