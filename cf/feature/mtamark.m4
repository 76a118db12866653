divert(-1)
#
# FEATURE(`mtamark')
#	Refuse clients that are not marked as MTAs in the DNS (MTAMark).
#
_cf_declare_map(`mtamark', `dns -R TXT -a. -T<TMP> -r5')
