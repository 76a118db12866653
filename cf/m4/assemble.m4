divert(-1)
#
# assemble.m4 -- writes sendmail.cf.  Read once, at the end of m4's input,
# after the whole .mc (and everything it pulled in) has been seen.
#
# Order of the file:
#	banner, text the .mc wrote itself, version level
#	local information: names, relays, classes, maps, macros
#	options, queue groups, mail filters, precedences, trusted users, headers
#	rulesets, one group per concern (rulesets/*.m4), site rulesets
#	mailers, in the order of the MAILER() calls
#
# While the file is written `##' starts an m4 comment instead of `#', so that
# `$#' in rules is ordinary text; the comments of the ruleset files are copied
# into sendmail.cf where they explain the rules that follow.
#

_cf_end_of_mc

# ------------------------------------------------------------ final checks
ifdef(`__OSTYPE__', `',
	`errprint(`error: the .mc has no OSTYPE(); name the system type, as in OSTYPE(linux), or define __OSTYPE__ as empty for a configuration without one
')m4exit(`1')')

# Features that only make sense together with another one: the configuration
# is still written, as before, but the site is told.
_cf_def(`_cf_needs', `ifdef(`_cf_feat_$1', `ifdef(`_cf_feat_$2', `',
	`errprint(`warning: FEATURE(`$1') has no effect without FEATURE(`$2')
')')')')
_cf_needs(`blocklist_recipients', `access_db')
_cf_needs(`lookupdotdomain', `access_db')
_cf_needs(`relay_mail_from', `access_db')
_cf_needs(`greet_pause', `access_db')
_cf_needs(`ratecontrol', `access_db')
_cf_needs(`conncontrol', `access_db')
_cf_needs(`queuegroup', `access_db')
_cf_needs(`compat_check', `access_db')

# A DECnet relay means DECnet addresses (node::user) are understood.
ifdef(`DECNET_RELAY', `_cf_def(`_USE_DECNET_SYNTAX_', `1')')

# Texts of refusals (the .mc may have chosen its own)
ifdef(`confREJECT_MSG', `', `_cf_def(`confREJECT_MSG', `"550 Access denied"')')
ifdef(`confRELAY_MSG', `', `_cf_def(`confRELAY_MSG', ifdef(`_cf_trust_auth_mech',
	``"550 Relaying denied. Proper authentication required."'', ``"550 Relaying denied"''))')
ifdef(`confRCPTREJ_MSG', `', `_cf_def(`confRCPTREJ_MSG', `"550 Mailbox disabled for this recipient"')')

# the standard answer of the check rulesets to a temporary map failure
_cf_def(`_cf_tmpf', `"451 Temporary system failure. Please try again later."')

# The Received: header: who sent it (HELO name and the verified host),
# authentication, our name and version, protocol, queue id, TLS
# parameters, the recipient when there is only one, and the date.
_cf_def(`_cf_received', `$?sfrom $s $.$?_($?s$|from $.$_)
	$.$?{auth_type}(authenticated$?{auth_ssf} bits=${auth_ssf}$.)
	$.by $j ($v/$Z)$?r with $r$. id $i$?{tls_version}
	(version=${tls_version} cipher=${cipher} bits=${cipher_bits} verify=${verify})$.$?u
	for $u; $|;
	$.$b')

# local is always there
ifdef(`_cf_mailer_local', `', `_cf_def(`_cf_mailer_local', `1')_cf_append(`_cf_mailer_seq', `_cf_emit_mailer(`local')')')

# ------------------------------------------------------- helpers for output
# _cf_emit_opt(`Name', `confVAR', `example')
_cf_def(`_cf_emit_opt',
`ifdef(`$2', `O $1`'ifelse(defn(`$2'), `', `', `=$2')', `#O $1=$3')
')
# `D' line for a macro whose value comes from an m4 name, only when defined
_cf_def(`_cf_emit_D', `ifdef(`$2', `D$1`'$2
')')
_cf_def(`_cf_F', `ifdef(`_cf_feat_$1', `$2', `$3')')

# --------------------------------------------------------- ruleset numbers
# Named rulesets get numbers from sendmail as their S lines are read (199
# downwards) unless the S line gives one.  sendmail 8.17's own package
# leaves check_relay, check_mail and check_rcpt at numbers that show in
# -bt and in logs ("== Ruleset check_rcpt (186) status 75"), so we keep
# them at the same places: our other rulesets get explicit numbers from
# 10 up, except as many as it takes to fill the places before each of the
# three (spare empty rulesets make up any shortfall).
_cf_def(`_cf_nauto', `0')
_cf_def(`_cf_npool', `9')
_cf_def(`_cf_nodelay', `ifdef(`_cf_feat_delay_checks', `ifdef(`_cf_feat_$1', `ifelse(defn(`_cf_$1_nodelay'), `1', `1', `0')', `0')', `0')')
_cf_def(`_cf_early', ifelse(_cf_nodelay(`ratecontrol')_cf_nodelay(`conncontrol'), `00', `0', `1'))
_cf_def(`_cf_slot_base', eval(7 + ifdef(`_cf_feat_access_db', `2', `0') + ifdef(`_cf_feat_bcc', `1', `0')
	+ ifdef(`_cf_feat_ldap_routing', `1', `0')))
_cf_def(`_cf_slot_relay', eval(_cf_slot_base + _cf_early))
_cf_def(`_cf_slot_mail', eval(_cf_slot_relay + 3))
_cf_def(`_cf_slot_rcpt', eval(_cf_slot_mail + 3 + ifdef(`_cf_feat_badmx', `1', `0')))
_cf_def(`_cf_slot_delay', eval(_cf_slot_rcpt + 7 - ifdef(`_cf_feat_promiscuous_relay', `1', `0')))
_cf_def(`_cf_access4', ifdef(`_cf_feat_access_db', `4', `0'))
_cf_def(`_cf_slot_trust', ifdef(`_cf_feat_delay_checks',
	`eval(_cf_slot_delay + 1 + _cf_access4 + 1)',
	`eval(_cf_slot_rcpt + 1 + 4 - ifdef(`_cf_feat_promiscuous_relay', `1', `0') + _cf_access4)'))
_cf_def(`_cf_slot_srv', eval(_cf_slot_trust + 2))
_cf_def(`_cf_slot_authinfo', eval(_cf_slot_srv + 8 + ifdef(`_cf_feat_access_db', `2', `0')))
_cf_def(`_cf_budget', eval(_cf_slot_base - _cf_early))
# 14 and 24 are named by number in the fax mailer (S=14, R=24): not used.
_cf_def(`_cf_nextfree', `ifelse(`$1', `14', `15', `$1', `24', `25', `$1')')
_cf_def(`_cf_S', `ifelse(eval(_cf_nauto < _cf_budget), `1',
	`_cf_def(`_cf_nauto', incr(_cf_nauto))S$1',
	`_cf_def(`_cf_npool', _cf_nextfree(incr(_cf_npool)))ifelse(eval(_cf_npool > 89), `1',
		`errprint(`error: too many rulesets for the explicit numbers 10..89
')m4exit(`1')')S$1=_cf_npool')')
_cf_def(`_cf_spare', `ifelse(eval(_cf_nauto < _cf_budget), `1',
	`_cf_def(`_cf_nauto', incr(_cf_nauto))SSpare`'_cf_nauto
_cf_spare')')
# _cf_Spub(`name', `next place'): a ruleset at its fixed place; the next
# place is a slot name (relay, mail, ...), a number of places further on,
# or `none' after the last.
_cf_def(`_cf_Spub', `_cf_spare`'_cf_def(`_cf_nauto', incr(_cf_nauto))S$1`'dnl
_cf_def(`_cf_budget', ifelse(`$2', `none', `1000', regexp(`$2', `^[0-9]+$'), `0', `eval(_cf_nauto + $2)',
	`defn(`_cf_slot_$2')'))')

changecom(`##')
_cf_divert(0)dnl
##
## sendmail.cf -- generated by the m4 configuration package in _CF_DIR_
## from the site .mc file.  Change the .mc and rebuild; edits made here are
## lost at the next build.
##
_cf_undivert(90)dnl
V10`'ifdef(`NO_VENDOR', `', `/'ifdef(`VENDOR_NAME', `VENDOR_NAME', `Berkeley'))

##  ---------------------------------------------------------------------
##  Local information: our names, relays, classes and lookup tables
##  ---------------------------------------------------------------------
_cf_emit_D(`j', `confDOMAIN_NAME')dnl
_cf_emit_opt(`LDAPDefaultSpec', `confLDAP_DEFAULT_SPEC', `-h localhost')dnl
Cwlocalhost
_cf_F(`use_cw_file', `Fw`'confCW_FILE
')dnl
_cf_include(_CF_DIR_`m4/localinfo.m4')dnl
_cf_undivert(5)dnl
_cf_undivert(6)dnl

##  ---------------------------------------------------------------------
##  Options
##  ---------------------------------------------------------------------
_cf_include(_CF_DIR_`m4/optionset.m4')dnl

##  ---------------------------------------------------------------------
##  Message precedences and trusted users
##  ---------------------------------------------------------------------
Pfirst-class=0
Pspecial-delivery=100
Plist=-30
Pbulk=-60
Pjunk=-100

Troot
Tdaemon
_cf_F(`nouucp', `', `Tuucp
')dnl
ifdef(`confTRUSTED_USERS', `Tconfig_trusted_users
')dnl
_cf_F(`use_ct_file', `Ft`'confCT_FILE
')dnl

##  ---------------------------------------------------------------------
##  Header templates
##  ---------------------------------------------------------------------
H?P?Return-Path: <$g>
HReceived: ifdef(`confRECEIVED_HEADER', `confRECEIVED_HEADER', `_cf_received')
H?D?Resent-Date: $a
H?D?Date: $a
H?F?Resent-From: confFROM_HEADER
H?F?From: confFROM_HEADER
H?x?Full-Name: $x
H?M?Resent-Message-Id: confMESSAGEID_HEADER
H?M?Message-Id: confMESSAGEID_HEADER

##  ---------------------------------------------------------------------
##  Rulesets
##  ---------------------------------------------------------------------
_cf_include(_CF_RULES_`canonify.m4')dnl
_cf_include(_CF_RULES_`parse.m4')dnl
_cf_include(_CF_RULES_`route.m4')dnl
_cf_include(_CF_RULES_`localaddr.m4')dnl
_cf_include(_CF_RULES_`masquerade.m4')dnl
_cf_include(_CF_RULES_`access.m4')dnl
_cf_include(_CF_RULES_`relay.m4')dnl
_cf_include(_CF_RULES_`checks.m4')dnl
_cf_include(_CF_RULES_`auth.m4')dnl
_cf_include(_CF_RULES_`tls.m4')dnl
_cf_include(_CF_RULES_`features.m4')dnl
_cf_undivert(9)dnl

##  ---------------------------------------------------------------------
##  Mailers
##  ---------------------------------------------------------------------
_cf_mailer_seq`'dnl
_cf_undivert(7)dnl
