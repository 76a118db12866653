divert(-1)
#
# core.m4 -- the .mc language: OSTYPE, DOMAIN, FEATURE, MAILER, HACK and the
# other macros a site's .mc file calls.
#
# Design notes
#
# * Nothing is written while the .mc is read.  The macros only record the
#   request (feature flags and arguments, the order of MAILER() calls, class
#   members, daemon options ...).  m4/assemble.m4 runs at end of input
#   (m4wrap) and writes the configuration from those records, so the result
#   does not depend on the order of most calls.
#
# * Raw text the .mc writes (for example a `Cw' line after divert(0), or the
#   rules after LOCAL_RULE_0) is kept in m4 diversions and placed where it
#   belongs.  divert() is wrapped so that diversion 0 of the .mc becomes a
#   holding diversion: even the text before a mistake never reaches standard
#   output, and a failed build prints nothing at all.
#
# * Like the traditional package, `#' does not start an m4 comment while the
#   .mc is read: macros in its # lines are expanded.  The package's own
#   files are read with `#' comments (see _cf_load).
#
# * Mistakes stop the build: m4 prints FILE:LINE: error: ... and exits 1.
#   Unknown FEATURE/MAILER/OSTYPE/DOMAIN/HACK names, option names starting
#   with "conf" that the package does not know, the usual misspellings of dnl
#   (dn1, dln, ...), FEATURE() after MAILER(), and a missing OSTYPE.
#
# Internal names all start with `_cf_' so they cannot clash with words that
# appear in sendmail.cf text or with the names a .mc may define.
#
# User diversions keep the numbers administrators know from the traditional
# package: 1 LOCAL_NET_CONFIG, 2 LOCAL_RULE_3, 3 LOCAL_RULE_0, 4 LOCAL_UUCP,
# 5 class definitions, 6 LOCAL_CONFIG, 7 MAILER_DEFINITIONS, 8 LOCAL_DNSBL,
# 9 LOCAL_RULESETS (and LOCAL_RULE_1/2, the Local_* TLS hooks).
# Diversion 90 holds what the .mc wrote to diversion 0.
#

# ---------------------------------------------------------------- builtins
define(`_cf_def', defn(`define'))
_cf_def(`_cf_divert', defn(`divert'))
_cf_def(`_cf_undivert', defn(`undivert'))
_cf_def(`_cf_include', defn(`include'))

# -------------------------------------------------------------- diagnostics
# _cf_at is pushed with the .mc location while a package file is being read
# for a FEATURE/MAILER/... call, so errors name the line of the .mc.
_cf_def(`_cf_loc', `ifdef(`_cf_at', `_cf_at', `__file__:__line__')')
_cf_def(`_cf_fatal', `errprint(_cf_loc`: error: $1
')m4exit(`1')')
_cf_def(`_cf_warn', `errprint(_cf_loc`: warning: $1
')')

# ---------------------------------------------------------------- diversions
_cf_def(`divert', `_cf_divert(ifelse(`$1', `', `90', `$1', `0', `90', `$1'))')
_cf_def(`_cf_pushdiv', `pushdef(`_cf_divs', divnum)_cf_divert(`$1')')
_cf_def(`_cf_popdiv', `_cf_divert(_cf_divs)popdef(`_cf_divs')')
_cf_def(`PUSHDIVERT', `_cf_pushdiv(`$1')')
_cf_def(`POPDIVERT', `_cf_popdiv')

# ------------------------------------------------------------ small helpers
# append text to a macro (creating it when needed)
_cf_def(`_cf_append', `_cf_def(`$1', ifdef(`$1', `defn(`$1')')`$2')')
# a counter
_cf_def(`_cf_next', `_cf_def(`$1', incr(ifdef(`$1', `$1', `0')))$1')
# does a package file exist?
_cf_def(`_cf_exists', `syscmd(`test -f "'_CF_DIR_`$1"')ifelse(sysval, `0', `1', `0')')
# is NAME a plausible file name part (no slash, no blank, not empty)?
_cf_def(`_cf_okname', `ifelse(`$1', `', `0', regexp(`$1', `^[A-Za-z0-9_.+-]+$'), `0', `1', `0')')

# _cf_load(KIND, WHAT, NAME) reads KIND/NAME.m4 with output discarded, or
# stops with an error naming the .mc line.  WHAT is the macro name for messages.
_cf_def(`_cf_load',
`ifelse(_cf_okname(`$3'), `1', `', `_cf_fatal(`$2(`$3'): not a valid name')')dnl
ifelse(_cf_exists(`$1/$3.m4'), `1', `',
	`_cf_fatal(`unknown $2 `$3' (there is no '_CF_DIR_`$1/$3.m4)')')dnl
_cf_pushdiv(-1)changecom(`#')_cf_include(_CF_DIR_`$1/$3.m4')changecom()_cf_popdiv`'')

# Arguments of the FEATURE/HACK being read: _ARG_ and _ARG2_ .. _ARG9_ as in
# the traditional package (site-written feature files use them), plus _cf_nargs.
_cf_def(`_cf_setargs',
`_cf_def(`_cf_nargs', `$#')_cf_def(`_ARG_', `$1')_cf_def(`_ARG1_', `$1')dnl
_cf_def(`_ARG2_', `$2')_cf_def(`_ARG3_', `$3')_cf_def(`_ARG4_', `$4')dnl
_cf_def(`_ARG5_', `$5')_cf_def(`_ARG6_', `$6')_cf_def(`_ARG7_', `$7')dnl
_cf_def(`_ARG8_', `$8')_cf_def(`_ARG9_', `$9')')

# ---------------------------------------------------- checking define(conf*)
# Option names are checked while the .mc is read: define(`confMAX_HOPS', ...)
# is a typo that would otherwise be ignored without a word.
_cf_def(`_cf_check_define',
`ifdef(`_cf_reading_mc',
	`ifelse(index(`$1', `conf'), `0',
		`ifdef(`_cf_known_$1', `',
			`_cf_fatal(`unknown option name `$1' (the conf names this package knows are listed in '_CF_DIR_`README)')')')')')
_cf_def(`define', `ifelse(`$#', `0', ``define'', `_cf_check_define(`$1')_cf_def($@)')')
_cf_def(`_cf_known', `ifelse(`$#', `0', `', `$1', `', `', `_cf_def(`_cf_known_$1', `1')_cf_known(shift($@))')')

# The classic typo of `dnl'.  These names only exist while the .mc is read.
_cf_def(`_cf_typo', `_cf_def(`$1', `_cf_fatal(``$1' is not an m4 keyword (a misspelled dnl?)')')')
_cf_def(`_cf_typos', `dn1 dnI dnL Dnl DNL dln dnll dnl1 ndl')
_cf_typo(`dn1')_cf_typo(`dnI')_cf_typo(`dnL')_cf_typo(`Dnl')_cf_typo(`DNL')
_cf_typo(`dln')_cf_typo(`dnll')_cf_typo(`dnl1')_cf_typo(`ndl')
# When the .mc has been read, the .mc language is put away: words such as
# MAILER (in MAILER-DAEMON) or FEATURE may then appear in the output.
_cf_def(`_cf_undef_all', `ifelse(`$#', `0', `', `$1', `', `', `undefine(`$1')_cf_undef_all(shift($@))')')
_cf_def(`_cf_end_of_mc', `_cf_undef_all(`_cf_reading_mc', `dn1', `dnI', `dnL', `Dnl', `DNL', `dln',
	`dnll', `dnl1', `ndl', `VERSIONID', `OSTYPE', `DOMAIN', `FEATURE', `HACK', `MAILER',
	`MAILER_DEFINITIONS', `SITECONFIG', `SITE', `LOCAL_CONFIG', `LOCAL_NET_CONFIG',
	`LOCAL_RULE_0', `LOCAL_RULE_1', `LOCAL_RULE_2', `LOCAL_RULE_3', `LOCAL_UUCP',
	`LOCAL_DNSBL', `LOCAL_RULESETS', `LOCAL_SRV_FEATURES', `LOCAL_CLT_FEATURES',
	`LOCAL_TRY_TLS', `LOCAL_TLS_RCPT', `LOCAL_TLS_CLIENT', `LOCAL_TLS_SERVER',
	`LOCAL_USER', `LOCAL_USER_FILE', `LOCAL_DOMAIN', `EXPOSED_USER', `EXPOSED_USER_FILE',
	`MASQUERADE_AS', `MASQUERADE_DOMAIN', `MASQUERADE_DOMAIN_FILE', `MASQUERADE_EXCEPTION',
	`MASQUERADE_EXCEPTION_FILE', `CANONIFY_DOMAIN', `CANONIFY_DOMAIN_FILE',
	`GENERICS_DOMAIN', `GENERICS_DOMAIN_FILE', `RELAY_DOMAIN', `RELAY_DOMAIN_FILE',
	`VIRTUSER_DOMAIN', `VIRTUSER_DOMAIN_FILE', `LDAPROUTE_DOMAIN', `LDAPROUTE_DOMAIN_FILE',
	`LDAPROUTE_EQUIVALENT', `LDAPROUTE_EQUIVALENT_FILE', `TRUST_AUTH_MECH',
	`DAEMON_OPTIONS', `CLIENT_OPTIONS', `MAIL_FILTER', `INPUT_MAIL_FILTER', `QUEUE_GROUP',
	`MODIFY_MAILER_FLAGS', `UUCPSMTP', `PUSHDIVERT', `POPDIVERT')')

# ------------------------------------------------------------------ the .mc
_cf_def(`VERSIONID', `#####  $1  #####
')

_cf_def(`OSTYPE',
`ifdef(`_cf_ostype', `_cf_fatal(`OSTYPE(`$1') given after OSTYPE('_cf_ostype`); only one is allowed')')dnl
_cf_def(`_cf_ostype', `$1')_cf_def(`__OSTYPE__', `$1')dnl
pushdef(`_cf_at', _cf_loc)_cf_load(`ostype', `OSTYPE', `$1')popdef(`_cf_at')')

_cf_def(`DOMAIN',
`pushdef(`_cf_at', _cf_loc)_cf_load(`domain', `DOMAIN', `$1')popdef(`_cf_at')')

_cf_def(`FEATURE',
`pushdef(`_cf_at', _cf_loc)dnl
ifdef(`_cf_mailer_seen', `_cf_fatal(`FEATURE(`$1') comes after MAILER('_cf_mailer_seen`); every FEATURE() must come before the first MAILER()')')dnl
_cf_def(`_cf_feat_$1', `1')_cf_setargs(shift($@))_cf_load(`feature', `FEATURE', `$1')dnl
popdef(`_cf_at')')

_cf_def(`HACK',
`pushdef(`_cf_at', _cf_loc)_cf_setargs(shift($@))_cf_load(`hack', `HACK', `$1')popdef(`_cf_at')')

# MAILER(name) only records the request; the definitions are written at the
# end, in the order of the calls (local is added last when not asked for).
_cf_def(`MAILER',
`pushdef(`_cf_at', _cf_loc)dnl
ifelse(_cf_okname(`$1'), `1', `', `_cf_fatal(`MAILER(`$1'): not a valid name')')dnl
ifelse(_cf_exists(`mailer/$1.m4'), `1', `',
	`_cf_fatal(`unknown MAILER `$1' (there is no '_CF_DIR_`mailer/$1.m4)')')dnl
ifdef(`_cf_mailer_$1', `_cf_warn(`MAILER(`$1') given twice; the second is ignored')',
	`_cf_def(`_cf_mailer_$1', `1')ifdef(`_cf_mailer_seen', `', `_cf_def(`_cf_mailer_seen', `$1')')dnl
_cf_append(`_cf_mailer_seq', `_cf_emit_mailer(`$1')')')dnl
popdef(`_cf_at')')

# Mailers a FEATURE needs (nullclient, msp): recorded like MAILER() but
# without counting as a MAILER() call of the .mc.
_cf_def(`_cf_add_mailer', `ifdef(`_cf_mailer_$1', `',
	`_cf_def(`_cf_mailer_$1', `1')_cf_append(`_cf_mailer_seq', `_cf_emit_mailer(`$1')')')')

# Raw mailer definitions written by the site: each MAILER_DEFINITIONS call gets
# its own diversion so the text keeps its place among the MAILER() calls.
_cf_def(`MAILER_DEFINITIONS',
`_cf_def(`_cf_mdiv', eval(100 + _cf_next(`_cf_mdefs')))dnl
_cf_append(`_cf_mailer_seq', `_cf_undivert('_cf_mdiv`)')_cf_divert(_cf_mdiv)')

# SITECONFIG(`file', `host', `class'): the UUCP neighbours listed with SITE()
# in siteconfig/file.m4 become members of the class (U, Y or Z).
_cf_def(`SITECONFIG',
`pushdef(`_cf_at', _cf_loc)pushdef(`_cf_site_class', `$3')dnl
ifelse(_cf_exists(`siteconfig/$1.m4'), `1', `',
	`_cf_fatal(`unknown SITECONFIG `$1' (there is no '_CF_DIR_`siteconfig/$1.m4)')')dnl
_cf_pushdiv(-1)changecom(`#')_cf_include(_CF_DIR_`siteconfig/$1.m4')changecom()_cf_popdiv`'popdef(`_cf_site_class')popdef(`_cf_at')')
_cf_def(`SITE', `ifdef(`_cf_site_class', `_cf_class(_cf_site_class, `$1')')')

# --- places for raw text
_cf_def(`LOCAL_CONFIG', `_cf_divert(6)')
_cf_def(`LOCAL_NET_CONFIG', `_cf_divert(1)')
_cf_def(`LOCAL_RULE_3', `_cf_divert(2)')
_cf_def(`LOCAL_RULE_0', `_cf_divert(3)')
_cf_def(`LOCAL_UUCP', `_cf_divert(4)')
_cf_def(`LOCAL_DNSBL', `_cf_divert(8)')
_cf_def(`LOCAL_RULESETS', `_cf_divert(9)')
_cf_def(`LOCAL_RULE_1', `_cf_def(`_cf_rule1', `1')_cf_divert(9)
Ssender=1')
_cf_def(`LOCAL_RULE_2', `_cf_def(`_cf_rule2', `1')_cf_divert(9)
Srecipient=2')
# Hooks called first by the standard TLS/feature rulesets.
_cf_def(`_cf_hook', `_cf_def(`_cf_hook_$1', `1')_cf_divert(9)
SLocal_$1')
_cf_def(`LOCAL_SRV_FEATURES', `_cf_hook(`srv_features')')
_cf_def(`LOCAL_CLT_FEATURES', `_cf_hook(`clt_features')')
_cf_def(`LOCAL_TRY_TLS', `_cf_hook(`try_tls')')
_cf_def(`LOCAL_TLS_RCPT', `_cf_hook(`tls_rcpt')')
_cf_def(`LOCAL_TLS_CLIENT', `_cf_hook(`tls_client')')
_cf_def(`LOCAL_TLS_SERVER', `_cf_hook(`tls_server')')

# --- class members and class files
_cf_def(`_cf_class', `_cf_append(`_cf_classes', `C$1`'$2
')')
_cf_def(`_cf_classfile', `_cf_append(`_cf_classes', `F$1`'$2
')')
_cf_def(`LOCAL_USER', `_cf_class(`{L}', `$1')')
_cf_def(`LOCAL_USER_FILE', `_cf_classfile(`{L}', `$1')')
_cf_def(`LOCAL_DOMAIN', `_cf_class(`{w}', `$1')')
_cf_def(`EXPOSED_USER', `_cf_class(`{E}', `$1')')
_cf_def(`EXPOSED_USER_FILE', `_cf_classfile(`{E}', `$1')')
_cf_def(`MASQUERADE_DOMAIN', `_cf_class(`{M}', `$1')')
_cf_def(`MASQUERADE_DOMAIN_FILE', `_cf_classfile(`{M}', `$1')')
_cf_def(`MASQUERADE_EXCEPTION', `_cf_class(`{N}', `$1')')
_cf_def(`MASQUERADE_EXCEPTION_FILE', `_cf_classfile(`{N}', `$1')')
_cf_def(`CANONIFY_DOMAIN', `_cf_class(`{Canonify}', `$1')')
_cf_def(`CANONIFY_DOMAIN_FILE', `_cf_classfile(`{Canonify}', `$1')')
_cf_def(`GENERICS_DOMAIN', `_cf_class(`{G}', `$1')')
_cf_def(`GENERICS_DOMAIN_FILE', `_cf_classfile(`{G}', `$1')')
_cf_def(`RELAY_DOMAIN', `_cf_class(`{R}', `$1')')
_cf_def(`RELAY_DOMAIN_FILE', `_cf_classfile(`{R}', `$1')')
_cf_def(`VIRTUSER_DOMAIN', `_cf_class(`{VirtHost}', `$1')_cf_def(`_cf_virthosts', `1')')
_cf_def(`VIRTUSER_DOMAIN_FILE', `_cf_classfile(`{VirtHost}', `$1')_cf_def(`_cf_virthosts', `1')')
_cf_def(`LDAPROUTE_DOMAIN', `_cf_class(`{LDAPRoute}', `$1')')
_cf_def(`LDAPROUTE_DOMAIN_FILE', `_cf_classfile(`{LDAPRoute}', `$1')')
_cf_def(`LDAPROUTE_EQUIVALENT', `_cf_class(`{LDAPRouteEquiv}', `$1')')
_cf_def(`LDAPROUTE_EQUIVALENT_FILE', `_cf_classfile(`{LDAPRouteEquiv}', `$1')')
_cf_def(`TRUST_AUTH_MECH', `_cf_class(`{TrustAuthMech}', `$1')_cf_def(`_cf_trust_auth_mech', `1')')

_cf_def(`MASQUERADE_AS', `_cf_def(`MASQUERADE_NAME', `$1')')

# --- daemons, clients, milters, queue groups
_cf_def(`DAEMON_OPTIONS', `_cf_append(`_cf_daemons', `O DaemonPortOptions=$1
')')
_cf_def(`CLIENT_OPTIONS', `_cf_append(`_cf_clients', `O ClientPortOptions=$1
')')
_cf_def(`MAIL_FILTER', `_cf_append(`_cf_milters', `X$1, $2
')')
_cf_def(`INPUT_MAIL_FILTER', `MAIL_FILTER(`$1', `$2')dnl
_cf_def(`_cf_input_milters', ifdef(`_cf_input_milters', `defn(`_cf_input_milters')`,'')`$1')')
_cf_def(`QUEUE_GROUP', `_cf_append(`_cf_qgroups', `Q$1, $2
')')

# MODIFY_MAILER_FLAGS(`KEY', `+add' | `-remove' | `replacement')
_cf_def(`MODIFY_MAILER_FLAGS', `_cf_def(`_cf_mmf_$1', `$2')')

# --- small things .mc and hack files use
_cf_def(`CONCAT', `$1$2$3$4$5$6$7$8$9')
_cf_def(`DOL', ``$'$1')
_cf_def(`UUCPSMTP', `R`$'* < @ $1 .UUCP > `$'*	`$'1 < @ $2 > `$'2')

# ------------------------------------------------------- helpers for features
# _cf_mapspec(`file', `ldapname'): the K line arguments for a FEATURE map:
# the feature argument when given, the LDAP schema lookup for `LDAP', else
# DATABASE_MAP_TYPE MAIL_SETTINGS_DIR/file.  Kept unexpanded until written.
_cf_def(`_cf_ldapspec', ``ldap -1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))(sendmailMTAMapName='$1`)(sendmailMTAKey=%0))'')
_cf_def(`_cf_mapspec', `ifelse(defn(`_ARG_'), `', ``DATABASE_MAP_TYPE MAIL_SETTINGS_DIR`'$1'',
	defn(`_ARG_'), `LDAP', `_cf_ldapspec(`$2')',
	`defn(`_ARG_')')')
# _cf_declare_map(`name', spec): one K line among the feature maps
_cf_def(`_cf_declare_map', `_cf_append(`_cf_featuremaps', `K$1 $2
')')
# _cf_arg_in(`word'): is `word' one of the feature arguments 2..9?
_cf_def(`_cf_arg_in', `ifelse(`$1', defn(`_ARG2_'), `1', `$1', defn(`_ARG3_'), `1', `$1', defn(`_ARG4_'), `1',
	`$1', defn(`_ARG5_'), `1', `$1', defn(`_ARG6_'), `1', `$1', defn(`_ARG7_'), `1', `$1', defn(`_ARG8_'), `1',
	`$1', defn(`_ARG9_'), `1', `0')')

# ----------------------------------------------------------------- the rest
_cf_include(_CF_DIR_`m4/options.m4')
_cf_include(_CF_DIR_`m4/mailers.m4')
_cf_def(`_cf_reading_mc', `1')
m4wrap(`changecom(`#')_cf_include(_CF_DIR_`m4/assemble.m4')')
