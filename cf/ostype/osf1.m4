divert(-1)
#
# OSTYPE(`osf1') -- paths and local delivery for this system.
#
define(`STATUS_FILE', `/usr/adm/sendmail/sendmail.st')
define(`confDEF_USER_ID', `daemon')
define(`confEBINDIR', `/usr/lbin')
