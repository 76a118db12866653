##
## Where mail goes when it is not ours to deliver.  $S is the smart host,
## $R the host handling unqualified local names, $H the mail hub for our
## users, $M the name we masquerade as, $L where unknown local users go.
##
_cf_F(`nocanonify', `', `')dnl
CP.
DS`'ifdef(`SMART_HOST', `SMART_HOST')
_cf_emit_D(`R', `LOCAL_RELAY')dnl
_cf_emit_D(`H', `MAIL_HUB')dnl
_cf_emit_D(`M', `MASQUERADE_NAME')dnl
ifdef(`LUSER_RELAY', `Kuser user -m -a<>
DL`'LUSER_RELAY
')dnl
ifdef(`UUCP_RELAY', `DY`'UUCP_RELAY
CPUUCP
')dnl
ifdef(`BITNET_RELAY', `DB`'BITNET_RELAY
CPBITNET
')dnl
ifdef(`DECNET_RELAY', `DC`'DECNET_RELAY
CPDECNET
')dnl
ifdef(`FAX_RELAY', `DF`'FAX_RELAY
CPFAX
')dnl
_cf_F(`redirect', `CPREDIRECT
')dnl
ifdef(`_cf_mailer_pop', `CPPOP
')dnl
ifdef(`_cf_mailer_fax', `CPFAX
')dnl
ifdef(`_cf_mailer_mail11', `CPDECNET
')dnl
##
## $=O: characters that make a local part a route through us (user@x@here,
## user%x@here, x!user@here); such addresses are never relayed blindly.
##
CO @ _cf_F(`nopercenthack', `', `%') _cf_F(`nouucp', `', `!')
C..
C[[
_cf_F(`access_db', `C{Accept}OK RELAY
')dnl
ifdef(`_cf_feat_delay_checks', `_cf_F(`blocklist_recipients', `C{SpamTag}SPAMFRIEND SPAMHATER
')')dnl
_cf_F(`accept_unresolvable_domains', `', `Kresolve host -a<OKR> -T<TEMP>
')dnl
C{ResOk}OKR
ifdef(`confCR_FILE', `FR`'confCR_FILE
')dnl
Karith arith
ifelse(ifdef(`_cf_feat_access_db', `1')ifdef(`_cf_feat_prefixmod', `1')ifdef(`_cf_feat_preserve_luser_host', `1')ifdef(`_cf_feat_sts', `1'), `', `', `Kmacro macro
')dnl
ifelse(ifdef(`_cf_feat_access_db', `1')ifdef(`_cf_feat_sts', `1'), `', `', `C{Tls}VERIFY ENCR
C{TlsVerified}OK TRUSTED
')dnl
Kdequote dequote`'ifdef(`confDEQUOTE_OPTS', ` confDEQUOTE_OPTS')
ifdef(`_cf_classes', `_cf_classes`'')dnl
ifdef(`_cf_virthosts', `CR$={VirtHost}
')dnl
Dn`'confMAILER_NAME
ifdef(`_cf_featuremaps', `_cf_featuremaps`'')dnl
ifdef(`_cf_feat_msp', `D{MTAHost}_cf_msp_host
')dnl
DZ8.17.1.9`'ifdef(`confCF_VERSION', `/confCF_VERSION')
_cf_emit_D(`{sendmailMTACluster}', `confLDAP_CLUSTER')dnl
