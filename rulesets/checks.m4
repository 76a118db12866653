dnl checks.m4 -- the check_relay, check_mail and check_rcpt policy rulesets.
dnl
dnl With FEATURE(delay_checks) the client and sender checks are not run at
dnl connection and MAIL time but from check_rcpt, so that a recipient can
dnl opt out (spam friend) or in (spam hater); the rulesets keep their work
dnl under other names then.
_cf_def(`_cf_rs_relay', ifdef(`_cf_feat_delay_checks', `DelayedRelay', `check_relay'))dnl
_cf_def(`_cf_rs_mail', ifdef(`_cf_feat_delay_checks', `DelayedMail', `check_mail'))dnl
_cf_def(`_cf_rs_rcpt', ifdef(`_cf_feat_delay_checks', `RcptChecks', `check_rcpt'))dnl
##
## ======================================================================
## Connection check (check_relay)
##
## Input: "client_name $| client_addr".  The site hook Local_check_relay
## may decide first.  Then, in deferred delivery mode nothing is checked;
## the access map (Connect:name, then Connect:address), FEATURE(require_rdns)
## and the DNS blocklists may refuse the client.
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
R$*			$: $1 $| $>"Local_check_relay" $1
R$* $| $* $| $#$*	$#$3
R$* $| $* $| $*		$@ $>RelayPolicy $1 $| $2

_cf_S(`RelayPolicy')
R$*			$: < $&{deliveryMode} > $1
R< d > $*		$@ deferred
R< $* > $*		$: $2
ifdef(`_cf_feat_use_client_ptr', `dnl
R$* $| $*		$: $&{client_ptr} $| $2
')dnl
ifdef(`_cf_feat_access_db', `dnl
R$+ $| $+		$: $>AccessDomain < $1 > <?> <+ Connect> < $2 >
R   $| $+		$: $>AccessAddr < $1 > <?> <+ Connect> <>
R<?> <$+>		$: $>AccessAddr < $1 > <?> <+ Connect> <>
R<?> <$*>		$: OK
R<$={Accept}> <$*>	$@ $1
R<$+> <$*>		$@ $>AccessVerdict <client> $| <$1> <$2>
')dnl
ifdef(`_cf_feat_require_rdns', `dnl
## FEATURE(require_rdns): the client address must resolve back to a name.
R$*			$: $&{client_addr} $| $&{client_resolve}
R$=R $*			$@ RELAY
R$* $| OK		$@ OK
R$* $| FAIL		$#error $@ 5.7.1 $: 550 Fix reverse DNS for $1
R$* $| TEMP		$#error $@ 4.1.8 $: 451 Client IP address $1 does not resolve
R$* $| FORGED		$#error $@ 4.1.8 $: 451 Possibly forged hostname for $1
')dnl
ifdef(`_cf_feat_ratecontrol', `ifelse(_cf_nodelay(`ratecontrol'), `1', `', `dnl
R$*			$: $>"RateControl" dummy
')')dnl
ifdef(`_cf_feat_conncontrol', `ifelse(_cf_nodelay(`conncontrol'), `1', `', `dnl
R$*			$: $>"ConnControl" dummy
')')dnl
_cf_include(_CF_RULES_`dnsbl.m4')dnl
_cf_undivert(8)dnl

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
##    not a domain for remote clients;
##  - the domain must resolve (FEATURE(accept_unresolvable_domains) turns
##    this off); a temporary DNS failure is a temporary error;
##  - the access map (From:) may accept, refuse or discard the sender.
## ======================================================================
##
_cf_S(`Local_check_mail')
_cf_Spub(_cf_rs_mail, `rcpt')
R$*			$: $1 $| $>"Local_check_mail" $1
R$* $| $#$*		$#$2
R$* $| $*		$@ $>SenderPolicy $1

_cf_S(`SenderPolicy')
R$*			$: < $&{deliveryMode} > $1
R< d > $*		$@ deferred
R< $* > $*		$: $2
R$*			$: $1 $| $>"tls_client" $&{verify} $| MAIL
R$* $| $#$+		$#$2
R$* $| $*		$: $1
R<>			$@ <OK>
ifdef(`_cf_feat_accept_unqualified_senders', `', `dnl
## Unqualified or "localhost" senders: only from local clients.
R$+			$: <?> $1
R<?><$+>		$: <@> <$1>
R<?>$+			$: <@> <$1>
R$*			$: $&{daemon_flags} $| $1
R$* f $* $| <@> < $* @ $- >	$: < ? $&{client_name} > < $3 @ $4 >
R$* u $* $| <@> < $* >	$: <?> < $3 >
R$* $| $*		$: $2
R<@> < $* @ localhost >	$: < ? $&{client_name} > < $1 @ localhost >
R<@> < $* @ [127.0.0.1] >	$: < ? $&{client_name} > < $1 @ [127.0.0.1] >
R<@> < $* @ [IPv6:0:0:0:0:0:0:0:1] >	$: < ? $&{client_name} > < $1 @ [IPv6:0:0:0:0:0:0:0:1] >
R<@> < $* @ [IPv6:::1] >	$: < ? $&{client_name} > < $1 @ [IPv6:::1] >
R<@> < $* @ localhost.$m >	$: < ? $&{client_name} > < $1 @ localhost.$m >
ifdef(`_cf_feat_nouucp', `', `dnl
R<@> < $* @ localhost.UUCP >	$: < ? $&{client_name} > < $1 @ localhost.UUCP >
')dnl
R<@> $*			$: $1
R<? $=w> $*		$: $2
R<? $+> <$+>		$#error $@ 5.5.4 $: "553 Real domain name required for sender address"
R<?> $*			$: $1
')dnl
## Does the domain exist?
R$*			$: <?> $>CanonAddr $1
R<?> $* < @ $+ . >	<?> $1 < @ $2 >
R<?> $* < @ $* $=P >	$: <OKR> $1 < @ $2 $3 >
R<?> $* < @ $j >	$: <OKR> $1 < @ $j >
ifdef(`_cf_feat_accept_unresolvable_domains', `dnl
R<?> $* < @ $+ >	$: <OKR> $1 < @ $2 >
', `dnl
R<?> $* < @ $+ >	$: <? $(resolve $2 $: $2 <PERM> $) > $1 < @ $2 >
R<? $* <$->> $* < @ $+ >	$: <$2> $3 < @ $4 >
')dnl
ifdef(`_cf_feat_access_db', `dnl
## The access map: From:user@domain, From:user@, From:domain.
R<$+> $+ < @ $* >	$: @<$1> <$2 < @ $3 >> $| <F:$2@$3> <U:$2@> <D:$3>
R<$+> $+		$: @<$1> <$2> $| <U:$2@>
R@ <$+> <$*> $| <$+>	$: <@> <$1> <$2> $| $>AccessSearch <+ From> $| <$3> <>
R<@> <$+> <$*> $| <$*>	$: <$3> <$1> <$2>
R<?> <$+> <$*>		$: <$1> $2
R<$+> <$+> <$*>		$: <$1> $3
')dnl
ifdef(`_cf_feat_accept_unqualified_senders', `', `dnl
## No domain at all: fine from this machine or with Modifier=u.
R<?> $*			$: $&{daemon_flags} $| <?> $1
R$* u $* $| <?> $*	$: <OKR> $3
R$* $| $*		$: $2
R<?> $*			$: < ? $&{client_addr} > $1
R<?> $*			$@ <OKR>
R<? $+> $*		$#error $@ 5.5.4 $: "553 Domain name required for sender address " $&f
')dnl
R<?> $*			$: @ $1
R<$={ResOk}> $*		$: @ $2
R<TEMP> $*		$#error $@ 4.1.8 $: "451 Domain of sender address " $&f " does not resolve"
R<PERM> $*		$#error $@ 5.1.8 $: "553 Domain of sender address " $&f " does not exist"
ifdef(`_cf_feat_access_db', `dnl
R<$={Accept}> $*	$# $1
R<$+> $*		$@ $>AccessVerdict <sender> $| <$1> $2
')dnl
ifdef(`_cf_feat_badmx', `dnl
R@ $*<@$+>$*		$: $1<@$2>$3 $| $>BadMX $2
R$* $| $#$*		$#$2
')dnl

##
## ======================================================================
## Recipient check (check_rcpt)
##
## Input: the RCPT TO address.  After the site hook Local_check_rcpt:
## an empty recipient is an error; in deferred mode nothing is checked;
## then the recipient must be ours or the client allowed to relay (see
## rulesets/relay.m4), otherwise "550 Relaying denied".  A temporary
## failure in either test gives a temporary error, not a refusal.
## ======================================================================
##
_cf_S(`Local_check_rcpt')
_cf_Spub(_cf_rs_rcpt, ifdef(`_cf_feat_delay_checks', `delay', `trust'))
R$*			$: $1 $| $>"Local_check_rcpt" $1
R$* $| $#$*		$#$2
R$* $| $*		$@ $>RcptPolicy $1

_cf_S(`RcptPolicy')
R<>			$#error $@ nouser $: "553 User address required"
R$@			$#error $@ nouser $: "553 User address required"
R$*			$: < $&{deliveryMode} > $1
R< d > $*		$@ deferred
R< $* > $*		$: $2
R$*			$: $1 $| @ $>RcptOK $1
R$* $| @ $#TEMP $+	$: $1 $| T $2
R$* $| @ $#$*		$#$2
ifdef(`_cf_feat_promiscuous_relay', `dnl
## FEATURE(promiscuous_relay): everybody may relay, nothing more to check.
', `dnl
R$* $| @ RELAY		$@ RELAY
R$* $| @ $*		$: O $| $>ClientOK $1
R$* $| T $+		$: T $2 $| $>ClientOK $1
R$* $| $#TEMP $+	$#error $2
R$* $| $#$*		$#$2
R$* $| RELAY		$@ RELAY
R T $+ $| $*		$#error $1
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
_cf_S(`FullAddr')
R$* <@ $+ . >		$1 <@ $2 >
R$* <@ $* >		$@ $1 <@ $2 >
R$+			$@ $1 <@ $j >

_cf_S(`Delay_TLS_Clt')
R$*			$: $1 $| $>"tls_client" $&{verify} $| MAIL
R$* $| $#$+		$#$2
R$* $| $*		$# $1
R$*			$# $1

_cf_S(`Delay_TLS_Clt2')
R$*			$: $1 $| $>"tls_client" $&{verify} $| MAIL
R$* $| $#$+		$#$2
R$* $| $*		$@ $1
R$*			$@ $1

_cf_Spub(`check_rcpt', `trust')
R$+			$: $1 $| $>RcptChecks $1
R$+ $| $#error $*	$#error $2
R$+ $| $#discard $*	$#discard $2
R$+ $| $#$*		$@ $>"Delay_TLS_Clt" $2
R$+ $| $*		$: <?> $>FullAddr $>CanonAddr $1
ifelse(_cf_delay_mode, `friend', `dnl
R<?> $+ < @ $=w >	$: <> $1 < @ $2 > $| <F: $1@$2 > <D: $2 > <U: $1@>
R<?> $+ < @ $* >	$: <> $1 < @ $2 > $| <F: $1@$2 > <D: $2 >
R<> $* $| <$+>		$: <@> $1 $| $>AccessSearch <! Spam> $| <$2> <>
R<@> $* $| $*		$: $2 $1
R<FRIEND> $+		$@ $>"Delay_TLS_Clt2" SPAMFRIEND
R<$*> $+		$: $2
', _cf_delay_mode, `hater', `dnl
R<?> $+ < @ $=w >	$: <> $1 < @ $2 > $| <F: $1@$2 > <D: $2 > <U: $1@>
R<?> $+ < @ $* >	$: <> $1 < @ $2 > $| <F: $1@$2 > <D: $2 >
R<> $* $| <$+>		$: <@> $1 $| $>AccessSearch <! Spam> $| <$2> <>
R<@> $* $| $*		$: $2 $1
R<HATER> $+		$: $1
R<$*> $+		$@ $>"Delay_TLS_Clt2" NOSPAMHATER
')dnl
R$*			$: $1 $| $>DelayedMail ifdef(`_cf_mail_from_macro', `$&{mail_from}', `<$&f>')
R$* $| $#$*		$#$2
R$* $| $*		$: $1 $| $>DelayedRelay $&{client_name} $| $&{client_addr}
R$* $| $#$*		$#$2
R$* $| $*		$: $1
')dnl
