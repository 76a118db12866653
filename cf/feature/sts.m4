divert(-1)
#
# FEATURE(`sts')
#	MTA-STS: use an MTA-STS resolver (socket map).  Argument: map spec.
#
_cf_declare_map(`stsxsni', `regex -a: -s3 (.*)(servername=)(.*)')
_cf_declare_map(`stsxsni2', `regex -a: -s2 (.*)(servername=.*)')
_cf_declare_map(`stsxmatch', `regex -a: -s2 (match=)(.*)')
_cf_declare_map(`stsxnodaneflag', `regex -a@ -s3 (.*)(flags=)([^;]*d)(.*)')
_cf_declare_map(`sts', ifelse(defn(`_ARG_'), `', `socket -d5 -T<TMPF> inet:5461@127.0.0.1', `defn(`_ARG_')'))
