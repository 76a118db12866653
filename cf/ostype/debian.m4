divert(-1)
#
# OSTYPE(`debian') -- Debian's layout: helper programs in
# /usr/libexec/sendmail, state in /var/lib/sendmail, local delivery through
# sensible-mda (which picks procmail or another delivery agent), a greeting
# that says who connected, and `.' and `'' among the characters that make a
# phrase quoted.
#
define(`confEBINDIR', `/usr/libexec/sendmail')
define(`MSP_QUEUE_DIR', `/var/spool/mqueue-client')
# delayed sender checks see the sender as given in MAIL FROM (${mail_from})
define(`_cf_mail_from_macro', `1')
define(`confCF_VERSION', `Debian-2+deb12u2')
define(`confCR_FILE', `-o MAIL_SETTINGS_DIR`'relay-domains %[^\#]')
define(`confHOST_STATUS_DIRECTORY', `/var/lib/sendmail/host_status')
define(`confME_TOO', `True')
define(`STATUS_FILE', `/var/lib/sendmail/sendmail.st')
define(`confDEF_USER_ID', `mail:mail')
define(`confSMTP_LOGIN_MSG', `$j Sendmail $v/$Z; $b; (No UCE/UBE) $?{client_addr}logging access from: ${client_name}(${client_resolve})-$_$.')
changequote([, ])
_cf_def([confMUST_QUOTE_CHARS], [.'])
changequote(`, ')
define(`confDEAD_LETTER_DROP', `/var/lib/sendmail/dead.letter')
define(`LOCAL_MAILER_PATH', `/usr/sbin/sensible-mda')
define(`LOCAL_MAILER_FLAGS', `Pn9S')
define(`LOCAL_MAILER_ARGS', `sensible-mda $g $u $h ${client_addr}')
define(`_cf_lmtp_flags', `PSXnz9')
define(`UUCP_MAILER_ARGS', `uux - -r -z -a$g -gC $h!rmail ($u)')
define(`PROCMAIL_MAILER_PATH', `/usr/bin/procmail')
define(`PROCMAIL_MAILER_ARGS', `procmail -m $h $f $u')
define(`USENET_MAILER_PATH', `/usr/bin/inews')
