dnl dnsbl.m4 -- DNS blocklists of the connection check.
dnl
dnl Read twice from rulesets/checks.m4: with _cf_bl_pass `call' inside
dnl RelayPolicy, where each FEATURE(dnsbl), FEATURE(enhdnsbl) and
dnl FEATURE(rhsbl) gets one rule that calls its own ruleset (in the order of
dnl the .mc), and with _cf_bl_pass `define' after RelayPolicy, where those
dnl rulesets are written.  A list answers with a triple when it refuses
dnl (which ends RelayPolicy) and with OK otherwise.
dnl
dnl Per list: _cf_bl_map (dnsbl, ednsbl or rhsbl), _cf_bl_zone,
dnl _cf_bl_kind (what a listing does: default, discard, quarantine or
dnl message), _cf_bl_msg, _cf_bl_tmp (`t': temporary failures are errors)
dnl and _cf_bl_v1 .. _cf_bl_v6 (the answers that count, for enhdnsbl).
dnl The refusal is written by _cf_bl_refusal, the rules of a list by
dnl _cf_bl_rules (both by reading this file again with _cf_bl_part set).
ifelse(defn(`_cf_bl_part'), `refusal', `dnl
ifelse(_cf_bl_kind, `discard', `$#discard $: ifelse(_cf_bl_map, `dnsbl', `_cf_bl_zone', `discard')',
	_cf_bl_kind, `quarantine', `$#error $@ quarantine $: _cf_bl_zone',
	_cf_bl_kind, `message', `$#error $@ 5.7.1 $: _cf_bl_msg',
	_cf_bl_map, `rhsbl', `$#error $@ 5.7.1 $: "550 Mail from " $&{RHS} " refused by blackhole site _cf_bl_zone"',
	`$#error $@ 5.7.1 $: "550 Rejected: " $&{client_addr} " listed at _cf_bl_zone"')`'dnl
', defn(`_cf_bl_part'), `rules', `ifelse(_cf_bl_map, `rhsbl', `dnl
## the domain of the sender, unless the access map has rhs: OK or RELAY
R$*			$: $>AsParsed $&f
R$* < @ $+ . >		$: $1 < @ $2 . > $| $>AccessSearch <+ rhs> $| $>KeyList <F D> $1 < @ $2 >
R$* $| <$={Accept}>	$@ OK
R$* < @ $+ . > $| $*	$: $| $(dnsbl $2._cf_bl_zone. $: OK $) $(macro {RHS} $@ $2 $)
R$| OK			$@ OK
R$| $+ <TMP>		$@ OK
R$| $+			_cf_bl_refusal
R$*			$@ OK
', `dnl
## the client IPv4 address, reversed, under the zone
R$-.$-.$-.$-		$: $| $(_cf_bl_map $4.$3.$2.$1._cf_bl_zone. $: OK $)
R$| OK			$@ OK
ifelse(_cf_bl_tmp, `t', `dnl
R$| $+ <TMP>		$#error $@ 4.4.3 $: "451 Temporary lookup failure of " $&{client_addr} " at _cf_bl_zone"
', `dnl
R$| $+ <TMP>		$@ OK
')dnl
ifelse(defn(`_cf_bl_v1'), `', `dnl
R$| $+			_cf_bl_refusal
', `dnl
R$| _cf_bl_v1		_cf_bl_refusal
ifelse(defn(`_cf_bl_v2'), `', `', `R$| _cf_bl_v2		_cf_bl_refusal
')dnl
ifelse(defn(`_cf_bl_v3'), `', `', `R$| _cf_bl_v3		_cf_bl_refusal
')dnl
ifelse(defn(`_cf_bl_v4'), `', `', `R$| _cf_bl_v4		_cf_bl_refusal
')dnl
ifelse(defn(`_cf_bl_v5'), `', `', `R$| _cf_bl_v5		_cf_bl_refusal
')dnl
ifelse(defn(`_cf_bl_v6'), `', `', `R$| _cf_bl_v6		_cf_bl_refusal
')dnl
')dnl
R$*			$@ OK
')', `dnl
_cf_def(`_cf_bl_refusal', `pushdef(`_cf_bl_part', `refusal')_cf_include(_CF_RULES_`dnsbl.m4')popdef(`_cf_bl_part')')dnl
_cf_def(`_cf_bl_get', `pushdef(`_cf_bl_$2', ifdef(`_cf_bl$1_$2', `defn(`_cf_bl$1_$2')'))')dnl
_cf_def(`_cf_bl_drop', `popdef(`_cf_bl_$1')')dnl
_cf_def(`_cf_bl_getall', `_cf_bl_get(`$1', `map')_cf_bl_get(`$1', `zone')_cf_bl_get(`$1', `kind')dnl
_cf_bl_get(`$1', `msg')_cf_bl_get(`$1', `tmp')_cf_bl_get(`$1', `v1')_cf_bl_get(`$1', `v2')dnl
_cf_bl_get(`$1', `v3')_cf_bl_get(`$1', `v4')_cf_bl_get(`$1', `v5')_cf_bl_get(`$1', `v6')')dnl
_cf_def(`_cf_bl_dropall', `_cf_bl_drop(`map')_cf_bl_drop(`zone')_cf_bl_drop(`kind')_cf_bl_drop(`msg')dnl
_cf_bl_drop(`tmp')_cf_bl_drop(`v1')_cf_bl_drop(`v2')_cf_bl_drop(`v3')_cf_bl_drop(`v4')dnl
_cf_bl_drop(`v5')_cf_bl_drop(`v6')')dnl
_cf_def(`_cf_dnsbl_one', `ifelse(_cf_bl_pass, `call', `dnl
ifelse(defn(`_cf_bl$1_map'), `rhsbl', `R$`'+			$: $>Blocklist$1
', `R$`'*			$: $>Blocklist$1 $&{client_addr}
')', `dnl
_cf_bl_getall(`$1')_cf_S(`Blocklist$1')
pushdef(`_cf_bl_part', `rules')_cf_include(_CF_RULES_`dnsbl.m4')popdef(`_cf_bl_part')dnl
_cf_bl_dropall`'dnl
')')dnl
ifdef(`_cf_dnsbl_list', `_cf_dnsbl_list`'')dnl
')dnl
