divert(-1)
#
# mailers.m4 -- helpers shared by the files in mailer/.
#
# A mailer file is read when the configuration is written (not when MAILER()
# is called), so every *_MAILER_* knob the .mc defines counts, wherever it
# appears.  The file writes its `M' lines and the rulesets those mailers name
# in S= and R=.
#
# Flags: _cf_mflags(`KEY', `flags') gives the flags after the site's
# MODIFY_MAILER_FLAGS(`KEY', ...) request: `+xyz' adds, `-xyz' removes, and
# anything else replaces the whole set.
#
# Optional fields: _cf_mfield(`M', `SMTP_MAILER_MAX') gives `, M=value' when
# the knob is defined and nothing otherwise.
#

_cf_def(`_cf_mflags',
`ifdef(`_cf_mmf_$1',
	`_cf_mflags_mod(`$2', defn(`_cf_mmf_$1'))',
	`$2')')
_cf_def(`_cf_mflags_mod',
`ifelse(substr(`$2', 0, 1), `+', `$1'`'substr(`$2', 1),
	substr(`$2', 0, 1), `-', `translit(`$1', substr(`$2', 1))',
	`$2')')

_cf_def(`_cf_mfield', `ifdef(`$2', `, $1=$2')')

# write the definitions of one MAILER()
_cf_def(`_cf_emit_mailer',
`pushdef(`_cf_emitting_mailer', `$1')_cf_include(_CF_DIR_`mailer/$1.m4')popdef(`_cf_emitting_mailer')')

# The rewriting rulesets of the SMTP family, written once for all the
# mailers that use them (smtp, procmail, uucp-dom, ...).
_cf_def(`_cf_smtp_rewrite', `ifdef(`_cf_rw_smtp_done', `',
	`_cf_def(`_cf_rw_smtp_done', `1')pushdef(`_cf_rw', `smtp')_cf_include(_CF_RULES_`rewrite.m4')popdef(`_cf_rw')')')

# R= of the SMTP family: header recipients are masqueraded like senders
# with FEATURE(allmasquerade).
_cf_def(`_cf_smtp_rcpt', `EnvToSMTP`'ifdef(`_cf_feat_allmasquerade', `/HdrFromSMTP')')

# Flags every local/prog mailer starts from (FEATURE(nullclient) and
# FEATURE(msp) change them).
_cf_def(`_cf_local_base_flags', `lsDFMAw5:/|@q')
_cf_def(`_cf_shell_base_flags', `lsDFMoq')
