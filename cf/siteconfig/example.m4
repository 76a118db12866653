divert(-1)
#
# SITECONFIG(`example', `ourhost', `U') -- an example list of UUCP
# neighbours: every SITE() adds the names to the class given as the third
# argument of SITECONFIG (U: old UUCP, Y: new UUCP, Z: domain UUCP).
#
SITE(`gateway')
SITE(`oldvax')
