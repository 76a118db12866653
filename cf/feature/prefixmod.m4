divert(-1)
#
# FEATURE(`prefixmod')
#	Mailer flags chosen per recipient by a prefix (needs the RCPTFLAGS
#	extension).  Arguments: prefix, flags.
#
