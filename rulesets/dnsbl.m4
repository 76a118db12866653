dnl dnsbl.m4 -- DNS blocklists, inside the connection check.
dnl
dnl Read from rulesets/checks.m4, it writes the rules of every FEATURE(dnsbl)
dnl and FEATURE(enhdnsbl) in the order of the .mc.  It then reads itself
dnl again for each list (_cf_bl_part `entry') and for each refusal it writes
dnl (_cf_bl_part `action'), so that no rule text has to live inside an m4
dnl macro, where $# and $@ would be taken for macro arguments.
dnl
dnl Per list: _cf_bl_map (dnsbl or ednsbl), _cf_bl_zone, _cf_bl_kind (what
dnl a listing does: default, discard, quarantine or message),
dnl _cf_bl_msg, _cf_bl_tmp (`t': temporary failures are errors) and
dnl _cf_bl_v1 .. _cf_bl_v6 (the answers that count, for enhdnsbl).
ifelse(defn(`_cf_bl_part'), `action', `dnl
ifelse(_cf_bl_kind, `discard', `$#discard $: ifelse(_cf_bl_map, `dnsbl', `_cf_bl_zone', `discard')',
	_cf_bl_kind, `quarantine', `$#error $@ quarantine $: _cf_bl_zone',
	_cf_bl_kind, `message', `$#error $@ 5.7.1 $: _cf_bl_msg',
	`$#error $@ 5.7.1 $: "550 Rejected: " $&{client_addr} " listed at _cf_bl_zone"')`'dnl
', defn(`_cf_bl_part'), `rhs', `dnl
## A right-hand-side blocklist: the domain of the sender is looked up
## under the zone, unless the access map has rhs: OK/RELAY for it.
R$+			$: <@> $>AsParsed $&f
R<@> $*<@$+.>		$: <@> <@$2.> $| $>AccessSearch <+ rhs> $| <F:$1@$2> <D:$2> <>
R<@> $* $| <$={Accept}>	$: OKSOFAR
R<@> $*<@$+.> $| $*	$: <?> $(dnsbl $2._cf_bl_zone. $: OK $) $(macro {RHS} $@ $2 $)
R<@> $*			$: OKSOFAR
R<?> OK			$: OKSOFAR
R<?>$+<TMP>		$: TMPOK
R<?>$+			ifelse(_cf_bl_kind, `message', `$#error $@ 5.7.1 $: _cf_bl_msg', `$#error $@ 5.7.1 $: "550 Mail from " $&{RHS} " refused by blackhole site _cf_bl_zone"')
', defn(`_cf_bl_part'), `entry', `dnl
## A DNS blocklist: the client IPv4 address, reversed, is looked up under
## the zone.  No answer is fine; a temporary DNS failure is ignored unless
## the list was declared with "t"; an answer (one of the listed answers,
## when the list has some) refuses the client, or discards or quarantines.
R$*			$: $&{client_addr}
R$-.$-.$-.$-		$: <?> $(_cf_bl_map $4.$3.$2.$1._cf_bl_zone. $: OK $)
R<?>OK			$: OKSOFAR
ifelse(_cf_bl_tmp, `t', `dnl
R<?>$+<TMP>		$#error $@ 4.4.3 $: "451 Temporary lookup failure of " $&{client_addr} " at _cf_bl_zone"
', `dnl
R<?>$+<TMP>		$: TMPOK
')dnl
ifelse(defn(`_cf_bl_v1'), `', `dnl
R<?>$+			_cf_bl_action
', `dnl
R<?>_cf_bl_v1		_cf_bl_action
ifelse(defn(`_cf_bl_v2'), `', `', `R<?>_cf_bl_v2		_cf_bl_action
')dnl
ifelse(defn(`_cf_bl_v3'), `', `', `R<?>_cf_bl_v3		_cf_bl_action
')dnl
ifelse(defn(`_cf_bl_v4'), `', `', `R<?>_cf_bl_v4		_cf_bl_action
')dnl
ifelse(defn(`_cf_bl_v5'), `', `', `R<?>_cf_bl_v5		_cf_bl_action
')dnl
ifelse(defn(`_cf_bl_v6'), `', `', `R<?>_cf_bl_v6		_cf_bl_action
')dnl
')dnl
', `dnl
_cf_def(`_cf_bl_action', `pushdef(`_cf_bl_part', `action')_cf_include(_CF_RULES_`dnsbl.m4')popdef(`_cf_bl_part')')dnl
_cf_def(`_cf_bl_get', `pushdef(`_cf_bl_$2', ifdef(`_cf_bl$1_$2', `defn(`_cf_bl$1_$2')'))')dnl
_cf_def(`_cf_bl_drop', `popdef(`_cf_bl_$1')')dnl
_cf_def(`_cf_dnsbl_one', `_cf_bl_get(`$1', `map')_cf_bl_get(`$1', `zone')_cf_bl_get(`$1', `kind')dnl
_cf_bl_get(`$1', `msg')_cf_bl_get(`$1', `tmp')_cf_bl_get(`$1', `v1')_cf_bl_get(`$1', `v2')dnl
_cf_bl_get(`$1', `v3')_cf_bl_get(`$1', `v4')_cf_bl_get(`$1', `v5')_cf_bl_get(`$1', `v6')dnl
pushdef(`_cf_bl_part', ifelse(_cf_bl_map, `rhsbl', `rhs', `entry'))_cf_include(_CF_RULES_`dnsbl.m4')popdef(`_cf_bl_part')dnl
_cf_bl_drop(`map')_cf_bl_drop(`zone')_cf_bl_drop(`kind')_cf_bl_drop(`msg')_cf_bl_drop(`tmp')dnl
_cf_bl_drop(`v1')_cf_bl_drop(`v2')_cf_bl_drop(`v3')_cf_bl_drop(`v4')_cf_bl_drop(`v5')_cf_bl_drop(`v6')')dnl
ifdef(`_cf_dnsbl_list', `_cf_dnsbl_list`'')dnl
')dnl
