dnl features.m4 -- rulesets that exist only with a particular FEATURE.
dnl
ifdef(`_cf_feat_check_other', `dnl
##
## FEATURE(check_other): a client sending something that looks like a
## mail header as an SMTP command (a proxy relaying web traffic) is cut off.
## Input: "command $| first digit of the reply".
##
_cf_S(`check_other')
R$* $| 2		$@ ok
R$+ $| 5		$: $(badcmd $1 $)
R$*<BADCMD>		$#error $@ 4.7.0 $: 421 bad command
')dnl
ifdef(`_cf_feat_compat_check', `dnl
##
## FEATURE(compat_check): "sender $| recipient" pairs listed in the access
## map as Compat:sender<@>recipient may be discarded or refused.
##
_cf_S(`check_compat')
R<$+> $| $*		$: $1 $| $2
R$* $| <$+>		$: $1 $| $2
R$+ $| $+		$@ $>CompatAnswer <$(access Compat:$1<@>$2 $:OK $)>
R$* $| $*		$@ ok

## CompatAnswer: "<value>" of a Compat: entry -- DISCARD[:text], TEMP:text
## and ERROR:text, else the value as it is.
_cf_S(`CompatAnswer')
R<DISCARD : $*>		$: <drop> $1
R<DISCARD $*>		$: <drop> $1
R<drop> $*		$#discard $: $1 " - discarded by check_compat"
R<TEMP : $*>		$#error $@ TEMPFAIL $: $1 " error from check_compat. Try again later"
R<ERROR : $*>		$#error $@ UNAVAILABLE $: $1 " error from check_compat"
')dnl
ifdef(`_cf_feat_greet_pause', `dnl
##
## FEATURE(greet_pause): how long to wait before the greeting, from the
## access map (GreetPause:name or address) or the feature argument.
##
_cf_S(`Local_greet_pause')
_cf_S(`greet_pause')
R$*			$: <$1> $| $>"Local_greet_pause" $1
R<$*> $| $#$*		$#$2
R<$*> $| $*		$: $1
ifdef(`_cf_feat_access_db', `dnl
## GreetPause:name (and parent domains), then GreetPause:address
R$+ $| $+		$: $>AccessDomain <$1> <?> <! GreetPause> <$2>
R$| $+			$: <?> <$1>
R<?> <$+>		$: $>AccessAddr <$1> <?> <! GreetPause> <>
R<?> <$*>		$@ _cf_greet_pause_default
R<$+> <$*>		$# $1
', `dnl
R$*			$# _cf_greet_pause_default
')dnl
')dnl
ifdef(`_cf_feat_queuegroup', `dnl
##
## FEATURE(queuegroup): the queue group for a recipient from the access
## map (QGRP:user@domain, QGRP:domain), else the feature argument.
##
_cf_S(`queuegroup')
R< $+ >			$1
R$+ @ $+		$: $>AccessSearch <! qgrp> $| $>KeyList <F D> $1 < @ $2 >
R<?>			$# _cf_queuegroup_default
R<$+>			$# $1
')dnl
ifdef(`_cf_feat_badmx', `dnl
##
## BadMX (FEATURE(badmx)): refuse senders whose domain has an MX record
## pointing at an address literal, a private or loopback address.
##
_cf_S(`BadMX')
R$+				$:<MX><$1><:$(mxlist $1$):><:>
R<MX><$+><:$*<TEMP>:><$*>	$#error $@ 4.1.2 $: "450 MX lookup failure for "$1
R<MX><$*><:$+:$*><:$*>		<MX><$1><:$3><: $4 $(badmx $2 $):>
R<MX><$*><$*><$*<BADMX>:$*>	$#error $@ 5.1.2 $:"550 Illegal MX record for host "$1
R<MX><$*><$*><$*>		$:<MX><$1><$3><$2>
R<MX><$*><:$+:$*><:$*>		<MX><$1><:$3><:$4 $(dnsA $2 $) :>
R<MX><$*><$*><$*>		$:<MX><$1><$3><$2>
R<MX><$*><:$+:$*><:$*>		<MX><$1><:$3><:$4 $(BadMXIP $2 $) :>
R<MX><$*><$*><$*<BADMXIP>:$*>	$#error $@ 5.1.2 $:"550 Invalid MX record for host "$1
')dnl
ifdef(`_cf_feat_ratecontrol', `ifdef(`_cf_feat_access_db', `dnl
##
## FEATURE(ratecontrol): ClientRate:address entries of the access map
## limit how many connections per ConnectionRateWindowSize a client may
## open (0: no limit).
##
_cf_S(`RateControl')
R$*		$: $>AccessSearch <! ClientRate> $| <A:$&{client_addr}> <E:> <>
R<$*>		$: $>UnderLimit <$1> $| $&{client_rate}
R<$+> $| TRUE	$#error $@ 4.3.2 $: ifelse(defn(`_cf_ratecontrol_terminate'), `1', `421', `452') Connection rate limit exceeded.
')')dnl
ifdef(`_cf_feat_conncontrol', `ifdef(`_cf_feat_access_db', `dnl
##
## FEATURE(conncontrol): ClientConn:address entries of the access map
## limit how many connections a client may have open at once.
##
_cf_S(`ConnControl')
R$*		$: $>AccessSearch <! ClientConn> $| <A:$&{client_addr}> <E:> <>
R<$*>		$: $>UnderLimit <$1> $| $&{client_connections}
R<$+> $| TRUE	$#error $@ 4.3.2 $: ifelse(defn(`_cf_conncontrol_terminate'), `1', `421', `452') Too many open connections.
')')dnl
ifelse(ifdef(`_cf_feat_access_db', `ifdef(`_cf_feat_ratecontrol', `1')ifdef(`_cf_feat_conncontrol', `1')'), `', `', `dnl
## UnderLimit: "<limit> $| count" -- OK without a limit (none listed, or
## 0), a temporary error when the map failed, else "<limit> $| TRUE" when
## the limit is below the count and "<limit> $| FALSE" when it is not.
_cf_S(`UnderLimit')
R<?> $| $*		$@ OK
R<$* <TMPF>> $| $*	$#error $@ 4.3.0 $: _cf_tmpf
R<0> $| $*		$@ OK
R<$+> $| $*		$@ <$1> $| $(arith l $@ $1 $@ $2 $)
')dnl
ifdef(`_cf_feat_bcc', `dnl
##
## FEATURE(bcc): a blind copy of mail to a domain listed in the bcc table
## (also .parent keys) goes to the listed address.
##
_cf_S(`bcc')
R< $+ >			$1
R$+ @ $+		$: $1@$2 $| $>BCC $2
R$* $| <?>		$@
R$* $| $*		$: $1

_cf_S(`BCC')
R$+			$: $1 < $(bcctable $1 $: ? $) >
R$- . $+ <?>		$: $2 < $(bcctable .$2 $: ? $) >
R$- . $+ <?>		$: $>BCC $2
R$* <$*>		$: <$2>
')dnl
