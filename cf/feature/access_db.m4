divert(-1)
#
# FEATURE(`access_db')
#	The access map: per-client, per-sender and per-recipient policy
#	(check_relay, check_mail, check_rcpt and the TLS rulesets consult it).
#	Argument 1: map spec (default DATABASE_MAP_TYPE MAIL_SETTINGS_DIR/access;
#	`LDAP' for the LDAP schema).  A -T<TMPF> flag is added when missing, so
#	that a map failure is a temporary error.  Further arguments: `skip',
#	`lookupdotdomain' (same as FEATURE(lookupdotdomain)),
#	`relaytofulladdress' (To:user@domain RELAY entries count).
#
ifelse(defn(`_ARG_'), `', `_cf_declare_map(`access', `DATABASE_MAP_TYPE -T<TMPF> MAIL_SETTINGS_DIR`'access')',
	defn(`_ARG_'), `LDAP', `_cf_declare_map(`access', `ldap -T<TMPF> -1 -v sendmailMTAMapValue,sendmailMTAMapSearch:FILTER:sendmailMTAMapObject,sendmailMTAMapURL:URL:sendmailMTAMapObject -k (&(objectClass=sendmailMTAMapObject)(|(sendmailMTACluster=${sendmailMTACluster})(sendmailMTAHost=$j))(sendmailMTAMapName=access)(sendmailMTAKey=%0))')',
	index(defn(`_ARG_'), `-T<TMPF>'), `-1', `_cf_declare_map(`access', patsubst(defn(`_ARG_'), `^\([^ 	]*\)', `\1 -T<TMPF> '))',
	`_cf_declare_map(`access', defn(`_ARG_'))')
ifelse(_cf_arg_in(`skip'), `1', `_cf_def(`_cf_access_skip', `1')')
ifelse(_cf_arg_in(`lookupdotdomain'), `1', `_cf_def(`_cf_feat_lookupdotdomain', `1')')
ifelse(_cf_arg_in(`relaytofulladdress'), `1', `_cf_def(`_cf_access_fulladdr', `1')')
