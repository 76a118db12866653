dnl checks.m4 -- the check_relay, check_mail and check_rcpt policy rulesets.
dnl
dnl With FEATURE(delay_checks) the client and sender checks are not run at
dnl connection and MAIL time but from check_rcpt, so that a recipient can
dnl opt out (spam friend) or in (spam hater); the rulesets keep their work
dnl under other names then.
_cf_def(`_cf_rs_relay', ifdef(`_cf_feat_delay_checks', `DelayedRelay', `check_relay'))dnl
_cf_def(`_cf_rs_mail', ifdef(`_cf_feat_delay_checks', `DelayedMail', `check_mail'))dnl
_cf_def(`_cf_rs_rcpt', ifdef(`_cf_feat_delay_checks', `RcptChecks', `check_rcpt'))dnl
dnl _cf_deferred: in deferred delivery mode (-odd) nothing is checked now.
_cf_def(`_cf_deferred', `R$`'*			$: <dm:$&{deliveryMode}> $`'1
R<dm:d> $`'*		$`'@ deferred
R<dm:$`'*> $`'*		$: $`'2
')dnl
dnl _cf_hooked(`Local_hook', `body'[, `pair']): the public ruleset asks the
dnl site hook first; a triple from it is final, otherwise the body decides.
dnl With `pair' the input is "a $| b" and the body gets both parts.
_cf_def(`_cf_hooked', `R$`'*			$: $`'1 $| $>"$1" $`'1
ifelse(`$3', `pair', `R$`'* $| $`'* $| $`'#$`'*	$`'#$`'3
R$`'* $| $`'* $| $`'*		$`'@ $>$2 $`'1 $| $`'2', `R$`'* $| $`'#$`'*		$`'#$`'2
R$`'* $| $`'*		$`'@ $>$2 $`'1')
')dnl
##
## ======================================================================
## Connection check (check_relay)
##
## Input: "client_name $| client_addr".  The site hook Local_check_relay
## may decide first.  In deferred delivery mode nothing is checked; then
## the access map (Connect:name, then Connect:address),
## FEATURE(require_rdns), the connection limits and the DNS blocklists.
## ======================================================================
##
ifelse(_cf_nodelay(`ratecontrol')_cf_nodelay(`conncontrol'), `00', `', `dnl
## The connection limits of FEATURE(ratecontrol) and FEATURE(conncontrol)
## with "nodelay" are applied at once even with FEATURE(delay_checks).
_cf_Spub(`check_relay', `relay')
ifelse(_cf_nodelay(`ratecontrol'), `1', `dnl
R$*			$: $>"RateControl" dummy
')dnl
ifelse(_cf_nodelay(`conncontrol'), `1', `dnl
R$*			$: $>"ConnControl" dummy
')dnl
')dnl
_cf_S(`Local_check_relay')
_cf_Spub(_cf_rs_relay, `mail')
_cf_hooked(`Local_check_relay', `RelayPolicy', `pair')dnl

_cf_S(`RelayPolicy')
_cf_deferred`'dnl
ifdef(`_cf_feat_use_client_ptr', `dnl
R$* $| $*		$: $&{client_ptr} $| $2
')dnl
ifdef(`_cf_feat_access_db', `dnl
## Connect: entries; OK and RELAY skip the remaining checks
R$* $| $*		$: $>ClientEntry $1 $| $2
R<$={Accept}>		$@ $1
R<$+>			$@ $>AccessVerdict <client> $| <$1>
')dnl
ifdef(`_cf_feat_require_rdns', `dnl
## FEATURE(require_rdns): the client address must resolve back to a name.
R$*			$: <$&{client_resolve}> $&{client_addr}
R<$*> $=R $*		$@ RELAY
R<OK> $*		$@ OK
R<FAIL> $*		$#error $@ 5.7.1 $: 550 Fix reverse DNS for $1
R<TEMP> $*		$#error $@ 4.1.8 $: 451 Client IP address $1 does not resolve
R<FORGED> $*		$#error $@ 4.1.8 $: 451 Possibly forged hostname for $1
')dnl
ifdef(`_cf_feat_ratecontrol', `ifelse(_cf_nodelay(`ratecontrol'), `1', `', `dnl
R$*			$: $>"RateControl" dummy
')')dnl
ifdef(`_cf_feat_conncontrol', `ifelse(_cf_nodelay(`conncontrol'), `1', `', `dnl
R$*			$: $>"ConnControl" dummy
')')dnl
pushdef(`_cf_bl_pass', `call')_cf_include(_CF_RULES_`dnsbl.m4')popdef(`_cf_bl_pass')dnl
_cf_undivert(8)dnl

ifdef(`_cf_feat_access_db', `dnl
## ClientEntry: "name $| address" -- the Connect: entry for the client, by
## name (and parent domains) first, then by address: "<value>", or "none"
## when nothing is listed or there is nothing to look up.
_cf_S(`ClientEntry')
R$+ $| $+		$: $>AccessDomain <$1> <?> <+ Connect> <$2>
R$| $+			$: <?> <$1>
R<?> <$+>		$: $>AccessAddr <$1> <?> <+ Connect> <>
R<?> $*			$@ none
R<$+> <$*>		$@ <$1>
R$*			$@ none
')dnl

## the DNS blocklists, one ruleset each
pushdef(`_cf_bl_pass', `define')_cf_include(_CF_RULES_`dnsbl.m4')popdef(`_cf_bl_pass')dnl

##
## ======================================================================
## Sender check (check_mail)
##
## Input: the MAIL FROM address.  After the site hook Local_check_mail:
##  - nothing is checked in deferred delivery mode;
##  - tls_client may refuse the session;
##  - <> is always accepted (RFC 1123);
##  - a sender must have a domain, unless it comes from this machine or
##    the daemon accepts unqualified senders (Modifier=u); "localhost" is
##    not a domain for remote clients (SenderHere, SenderBare);
##  - the domain must resolve (FEATURE(accept_unresolvable_domains) turns
##    this off); a temporary DNS failure is a temporary error;
##  - the access map (From:) may accept, refuse or discard the sender.
## An accepted sender comes back as "@ address".
## ======================================================================
##
_cf_S(`Local_check_mail')
_cf_Spub(_cf_rs_mail, `rcpt')
_cf_hooked(`Local_check_mail', `SenderPolicy')dnl

_cf_S(`SenderPolicy')
_cf_deferred`'dnl
R$*			$: $1 $| $>ClientTLS
R$* $| $#$*		$#$2
R$* $| ok		$: $1
R<>			$@ <OK>
ifdef(`_cf_feat_accept_unqualified_senders', `', `dnl
R$*			$: $>SenderHere $1
')dnl
R$*			$: $>SenderDomain $1
ifdef(`_cf_feat_access_db', `dnl
## From:user@domain, From:user@, From:domain
R<$+> $+		$: <$1> <$2> $| $>AccessSearch <+ From> $| $>KeyList <F U D> $2
R<$+> <$*> $| <?>	$: <$1> $2
R<$+> <$*> $| <$+>	$: <$3> $2
')dnl
ifdef(`_cf_feat_accept_unqualified_senders', `', `dnl
R<?> $*			$: $>SenderBare $1
R<OKR>			$@ <OKR>
')dnl
R<$={ResOk}> $*		$: <?> $2
R<?> $+			$: @ $1
R<TEMP> $*		$@ $>NoSuchDomain 4.1.8
R<PERM> $*		$@ $>NoSuchDomain 5.1.8
ifdef(`_cf_feat_access_db', `dnl
R<$={Accept}> $*	$# $1
R<$+> $*		$@ $>AccessVerdict <sender> $| <$1> $2
')dnl
ifdef(`_cf_feat_badmx', `dnl
R@ $*<@$+>$*		$: $1<@$2>$3 $| $>BadMX $2
R$* $| $#$*		$#$2
')dnl

ifdef(`_cf_feat_accept_unqualified_senders', `', `dnl
##
## SenderHere: "address" -- "< address >" when it may be used from this
## client.  A name at this machine (localhost, [127.0.0.1], ..., and with
## Modifier=f any one-word domain) is only accepted from a client that is
## this machine (or has no name); Modifier=u accepts anything.
##
_cf_S(`SenderHere')
R<$+>				$: $1
R$+				$: <flags> $&{daemon_flags} $| <$1>
R<flags> $* f $* $| <$* @ $->	$: <$3 @ $4> $| <$&{client_name}>
R<flags> $* u $* $| <$*>	$@ <$3>
R<flags> $* $| <$*>		$: <$2> $| $>Loopback $2
R<$*> $| no			$@ <$1>
R<$*> $| yes			$: <$1> $| <$&{client_name}>
R<$*> $| <>			$@ <$1>
R<$*> $| <$=w>			$@ <$1>
R<$*> $| <$+>			$#error $@ 5.5.4 $: "553 Real domain name required for sender address"

## Loopback: "user@domain" -- yes when the domain names the
## loopback interface.
_cf_S(`Loopback')
R$* @ localhost			$@ yes
R$* @ [127.0.0.1]		$@ yes
R$* @ [IPv6:0:0:0:0:0:0:0:1]	$@ yes
R$* @ [IPv6:::1]		$@ yes
R$* @ localhost.$m		$@ yes
ifdef(`_cf_feat_nouucp', `', `dnl
R$* @ localhost.UUCP		$@ yes
')dnl
R$*				$@ no

## SenderBare: "address" without a domain -- accepted with Modifier=u
## ("<OKR> address") or from this machine (just "<OKR>").
_cf_S(`SenderBare')
R$*			$: $1 $| $&{daemon_flags}
R$* $| $* u $*		$@ <OKR> $1
R$* $| $*		$: $1 $| $&{client_addr}
R$* $|			$@ <OKR>
R$* $| $*		$#error $@ 5.5.4 $: "553 Domain name required for sender address " $&f
')dnl

## ClientTLS: what tls_client says about the client from MAIL on: its
## triple, or ok.
_cf_S(`ClientTLS')
R$*			$: $>"tls_client" $&{verify} $| MAIL
R$*			$@ ok

## NoSuchDomain: the refusal for a sender domain that does not resolve
## for now (4.1.8) or at all (5.1.8).
_cf_S(`NoSuchDomain')
R4.1.8			$#error $@ 4.1.8 $: "451 Domain of sender address " $&f " does not resolve"
R5.1.8			$#error $@ 5.1.8 $: "553 Domain of sender address " $&f " does not exist"

## SenderDomain: "address" -- "<status> address" for its domain: OKR (known,
## a pseudo-domain, ours, or any with accept_unresolvable_domains), PERM
## (does not exist), TEMP (DNS failure), ? (no domain).
_cf_S(`SenderDomain')
R$*			$: $>TrimDot $>AsParsed $1
R$* < @ $* $=P >	$@ <OKR> $1 < @ $2 $3 >
R$* < @ $j >		$@ <OKR> $1 < @ $j >
ifdef(`_cf_feat_accept_unresolvable_domains', `dnl
R$* < @ $+ >		$@ <OKR> $1 < @ $2 >
', `dnl
R$* < @ $+ >		$: <$(resolve $2 $: $2 <PERM> $)> $1 < @ $2 >
R<$* <$->> $*		$@ <$2> $3
')dnl
R$*			$@ <?> $1

##
## ======================================================================
## Recipient check (check_rcpt)
##
## Input: the RCPT TO address.  After the site hook Local_check_rcpt:
## an empty recipient is an error; in deferred mode nothing is checked;
## then the recipient must be ours or the client allowed to relay (see
## rulesets/relay.m4), otherwise "550 Relaying denied".  A temporary
## failure of the recipient test is only reported when the client may
## not relay either.
## ======================================================================
##
_cf_S(`Local_check_rcpt')
_cf_Spub(_cf_rs_rcpt, ifdef(`_cf_feat_delay_checks', `delay', `trust'))
_cf_hooked(`Local_check_rcpt', `RcptPolicy')dnl

_cf_S(`RcptPolicy')
R$@			$#error $@ nouser $: "553 User address required"
R<>			$#error $@ nouser $: "553 User address required"
_cf_deferred`'dnl
ifdef(`_cf_feat_promiscuous_relay', `dnl
## FEATURE(promiscuous_relay): everybody may relay, nothing more to check.
R$*			$: $1 $| @ $>RcptAllowed $1
R$* $| @ $#TEMP $+	$: $1 $| T $2
R$* $| @ $#$*		$#$2
', `dnl
R$*			$: <rcpt> $>RcptAllowed $1
R<rcpt> $#TEMP $+	$: <temp> $1 $| $>ClientAllowed
R<rcpt> $#$*		$#$1
R<rcpt> RELAY		$@ RELAY
R<rcpt> $*		$: <denied> $| $>ClientAllowed
R$* $| $#$*		$#$2
R$* $| RELAY		$@ RELAY
R<temp> $+ $| $*	$#error $1
R$*			$#error $@ 5.7.1 $: confRELAY_MSG
')dnl

ifdef(`_cf_feat_delay_checks', `dnl
##
## ----------------------------------------------------------------------
## FEATURE(delay_checks): check_rcpt runs the recipient checks, then the
## sender and client checks.  With the "friend" argument a recipient
## whose access entry is Spam:FRIEND skips them; with "hater" only
## recipients marked Spam:HATER get them.
## ----------------------------------------------------------------------
##
_cf_Spub(`check_rcpt', `trust')
R$+			$: $1 $| $>RcptChecks $1
R$+ $| $#error $*	$#error $2
R$+ $| $#discard $*	$#discard $2
R$+ $| $#$*		$@ $>DelayTLS <t> $2
R$+ $| $*		$: <?> $>WithDomain $>TrimDot $>AsParsed $1
ifelse(_cf_delay_mode, `friend', `dnl
R<?> $+			$: <?> $1 $| $>AccessSearch <! Spam> $| $>SpamKeys $1
R<?> $* $| <FRIEND>	$@ $>DelayTLS <v> SPAMFRIEND
R<?> $* $| <$*> $*	$: $3 $1
', _cf_delay_mode, `hater', `dnl
R<?> $+			$: <?> $1 $| $>AccessSearch <! Spam> $| $>SpamKeys $1
R<?> $* $| <HATER>	$: $1
R<?> $* $| $*		$@ $>DelayTLS <v> NOSPAMHATER
')dnl
R$*			$: $1 $| $>DelayedChecks
R$* $| $#$*		$#$2
R$* $| $*		$: $1

## DelayedChecks: the sender check, then the client check; a triple from
## either is the answer (a workspace that starts with $# ends a ruleset).
_cf_S(`DelayedChecks')
R$*			$: $>DelayedMail ifdef(`_cf_mail_from_macro', `$&{mail_from}', `<$&f>')
R$*			$: $>DelayedRelay $&{client_name} $| $&{client_addr}
R$*			$@ ok

## WithDomain: an address without a domain gets ours.
_cf_S(`WithDomain')
R$+ < @ $* >		$@ $1 < @ $2 >
R$+			$@ $1 < @ $j >

## SpamKeys: the Spam: keys -- user@domain, domain, and for our own
## domains also user@.
_cf_S(`SpamKeys')
R$+ < @ $=w >		$@ $>KeyList <F D U> $1 < @ $2 >
R$+ < @ $* >		$@ $>KeyList <F D> $1 < @ $2 >
R$*			$@ <>

## DelayTLS: "<t> triple" or "<v> value" -- tls_client may still refuse;
## otherwise the triple (as "$# value") or the value.
_cf_S(`DelayTLS')
R<$-> $*		$: <$1> $2 $| $>ClientTLS
R<$-> $* $| $#$*	$#$3
R<t> $* $| ok		$# $1
R<$-> $* $| ok		$@ $2
')dnl
