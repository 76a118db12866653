divert(-1)
#
# cf.m4 -- entry point of the configuration package.
#
# Two ways to use it, both giving the same sendmail.cf on standard output:
#
#	m4 /path/to/cf/m4/cf.m4 site.mc > sendmail.cf
#	m4 site.mc > sendmail.cf	(site.mc starts with include(`/path/to/cf/m4/cf.m4'))
#
# This file only finds out where the package lives and loads the .mc language
# (m4/core.m4).  Nothing is written while the .mc is being read: every macro of
# the .mc language records what was asked for, and the whole configuration is
# written in one go when m4 reaches the end of its input (see m4/assemble.m4).
# A mistake found on the way (unknown FEATURE, misspelled option name, ...)
# stops m4 with status 1 before a single line of output has been produced.
#
# The package directory is taken from the path this file was read under, so the
# package works from a source tree, from an installed copy, and with relative
# paths.  Define _CF_DIR_ (with a trailing slash) to override the guess.
#

ifdef(`_cf_loaded', `', `
define(`_cf_loaded', `1')
ifdef(`_CF_DIR_', `',
	`define(`_CF_DIR_',
		ifelse(regexp(__file__, `m4/cf\.m4$'), `-1',
			ifelse(regexp(__file__, `/'), `-1', ``../'',
				`patsubst(__file__, `/[^/]*$', `/../')'),
			`patsubst(__file__, `m4/cf\.m4$', `')'))')
ifdef(`_CF_RULES_', `', `define(`_CF_RULES_', _CF_DIR_`../rulesets/')')
include(_CF_DIR_`m4/core.m4')
')
changecom()divert(0)dnl
