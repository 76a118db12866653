divert(-1)
#
# FEATURE(`prefixmod')
#	Mailer flags chosen per recipient by a prefix (needs the RCPTFLAGS
#	extension).  Arguments: prefix, flags.
#
ifelse(defn(`_ARG_'), `', `_cf_warn(`FEATURE(`prefixmod') needs a prefix and flags')')
_cf_def(`_cf_prefixmod_prefix', defn(`_ARG_'))
_cf_def(`_cf_prefixmod_flags', defn(`_ARG2_'))
