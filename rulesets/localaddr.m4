dnl localaddr.m4 -- ruleset 5: local names that are not aliases.
dnl
##
## ======================================================================
## Local addresses without an alias (ruleset 5, "localaddr")
##
## The local mailer hands every name that is not in the alias file here
## before delivery.  The site hook Local_localaddr speaks first ($#ok:
## leave it alone, any other triple: use it; AskLocal).  Then:
##  - "user+detail" is delivered to user with the detail kept in the host
##    part (+detail), unless FEATURE(preserve_local_plus_detail);
##  - names without a passwd entry go to LUSER_RELAY when it is set
##    (WhereTo);
##  - otherwise the mail hub (MAIL_HUB) or the local relay (LOCAL_RELAY)
##    takes local users (LocalHub);
##  - the detail is put back on the user name when the mail leaves, and
##    the relay becomes a triple (RelayLocal).
## ======================================================================
##
_cf_S(`Local_localaddr')
ifdef(`_cf_feat_msp', `dnl
## The submission program sends every local name to the MTA.
R$*			$: $>Qualified $>RcptTarget $1
R$*			$#relay $@ ${MTAHost} $: $1

## Qualified: a name without a domain gets ours (the masquerade name when
## there is one).
_cf_S(`Qualified')
R$* < @ $+ > $*		$@ $1 < @ $2 > $3
ifdef(`_USE_DECNET_SYNTAX_', `dnl
R$+ :: $+		$@ $1 :: $2
')dnl
R$*			$@ $1 < @ ifdef(`MASQUERADE_NAME', `$M', `$j') >
')dnl
Slocaladdr=5
R$+			$: $>AskLocal $1
R<ok> $+		$@ $1
ifdef(`_cf_feat_preserve_luser_host', `dnl
## remember the host the message was addressed to in {Host}
R$+			$: $1 $>KeepHost
')dnl
ifdef(`_cf_feat_preserve_local_plus_detail', `', `dnl
## user+* and user+detail: deliver to user, keep the detail in $h
R$+ + *			$#confLOCAL_MAILER $@ $&h $: $1
R$+ + $*		$#confLOCAL_MAILER $@ + $2 $: $1 + *
')dnl
R$+			$: $>WhereTo $1
ifdef(`_cf_feat_preserve_luser_host', `ifdef(`LUSER_RELAY', `dnl
R< $+ > $+		$: < $1 > $2 $&{Host}
')')dnl
R<> $+			$: $>LocalHub $1
ifdef(`_cf_feat_preserve_local_plus_detail', `dnl
R<> $+			$@ $1
', `dnl
## the detail from $h goes back: with the local user as host part, with
## the name for a relay
R<$*> $+		$: <$1> $2 $| $&h
ifdef(`_cf_feat_preserve_luser_host', `dnl
R<> $+ @ $+ $| + $*	$#confLOCAL_MAILER $@ $3 @ $2 $: @ $1
')dnl
R<> $+ $| + $*		$#confLOCAL_MAILER $@ $2 $: @ $1
R<> $+ $| $*		$@ $1
ifdef(`_cf_feat_preserve_luser_host', `dnl
R<$+> $+ @ $+ $| + $*	$: <$1> $2 + $4 @ $3
')dnl
R<$+> $+ $| + $*	$: <$1> $2 + $3
R<$+> $+ $| $*		$: <$1> $2
')dnl
R<$+> $+		$@ $>RelayLocal <$1> $2

## AskLocal: "user" -- the triple of Local_localaddr, "<ok> user" when it
## said $#ok, else the user.
_cf_S(`AskLocal')
R$+			$: $1 $| $>"Local_localaddr" $1
R$+ $| $#ok		$@ <ok> $1
R$+ $| $#$*		$#$2
R$+ $| $*		$@ $1

## WhereTo: "user" -- "<> user" to stay here, "<$L> user" for LUSER_RELAY
## when the name (without a +detail) has no passwd entry.
_cf_S(`WhereTo')
ifdef(`LUSER_RELAY', `dnl
R$+			$: $1 $| $>NamePart $1
R$+ $| $+		$: $1 $| $(user $2 $)
R$+ $| $+ <>		$@ <> $1
R$+ $| $+		$@ <$L> $1
_cf_S(`NamePart')
ifdef(`_cf_feat_preserve_local_plus_detail', `dnl
R$+ + $*		$@ $1
')dnl
', `dnl
R$+			$@ <> $1
')dnl

## LocalHub: "user" who stays here -- "<$H> user" for the mail hub,
## "<$R> user" for the local relay, else "<> user".
_cf_S(`LocalHub')
ifdef(`MAIL_HUB', `dnl
R$+			$: <$H> $1
ifdef(`LOCAL_RELAY', `dnl
R<> $+			$: <$R> $1
')', `dnl
ifdef(`LOCAL_RELAY', `dnl
R$+			$: <$R> $1
', `dnl
R$+			$: <> $1
')')dnl

## RelayLocal: "<relay> user" -- the triple: local:, error: and
## mailer:host relays as they are, a host for the relay mailer; the user
## gets the relay host as domain (or the one it brought along).
_cf_S(`RelayLocal')
R< local : $* > $*	$@ $>ToTriple < local : $1 > $2
R< error : $* > $*	$@ $>ToTriple < error : $1 > $2
R< $+ > $*		$: < $1 > $2 $| $>RelayHost $1
ifdef(`_cf_feat_preserve_luser_host', `dnl
R< $+ > $+ @ $+ $| $+	$@ $>ToTriple < $1 > $2 < @ $3 >
')dnl
R< $+ > $+ $| $+	$@ $>ToTriple < $1 > $2 < @ $3 >
_cf_S(`RelayHost')
R$~[ : $+		$@ $2

ifdef(`_cf_feat_preserve_luser_host', `dnl
## KeepHost: {Host} is "@host" for the host part $h carried (not for a
## +detail); an empty $h leaves it as it was.
_cf_S(`KeepHost')
R$*			$: $&h
R$@			$@
R+ $*			$@
R$* @ $+		$@ $(macro {Host} $@ @$2 $)
R$+			$@ $(macro {Host} $@ @$1 $)
')dnl
