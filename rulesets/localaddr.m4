dnl localaddr.m4 -- ruleset 5: local names that are not aliases.
dnl
##
## ======================================================================
## Local addresses without an alias (ruleset 5, "localaddr")
##
## The local mailer hands every name that is not in the alias file here
## before delivery.  The site hook Local_localaddr speaks first ($#ok:
## leave it alone, any other triple: use it).  Then:
##  - "user+detail" is delivered to user with the detail kept in the host
##    part (+detail), unless FEATURE(preserve_local_plus_detail);
##  - names without a passwd entry go to LUSER_RELAY when it is set;
##  - otherwise the mail hub (MAIL_HUB) or the local relay (LOCAL_RELAY)
##    takes local users;
##  - the detail is put back on the user name when the mail leaves.
## ======================================================================
##
_cf_S(`Local_localaddr')
ifdef(`_cf_feat_msp', `dnl
## The submission program sends every local name to the MTA.
R$+			$: $>RcptTarget $1
R$* < @ $+ > $*		$#relay $@ ${MTAHost} $: $1 < @ $2 > $3
ifdef(`_USE_DECNET_SYNTAX_', `dnl
R$+ :: $+		$#relay $@ ${MTAHost} $: $1 :: $2
')dnl
R$*			$#relay $@ ${MTAHost} $: $1 < @ ifdef(`MASQUERADE_NAME', `$M', `$j') >
')dnl
Slocaladdr=5
R$+			$: $1 $| $>"Local_localaddr" $1
R$+ $| $#ok		$@ $1
R$+ $| $#$*		$#$2
R$+ $| $*		$: $1
ifdef(`_cf_feat_preserve_luser_host', `dnl
## Remember the host the message was addressed to in {Host}.
R$+			$: $1 $| $&h $| $&{Host}
R$+ $| $|		$: $(macro {Host} $@ $) $1
R$+ $| $| $+		$: $1
R$+ $| +$* $| $*	$: $1
R$+ $| $* @ $+ $| $*	$: $(macro {Host} $@ @$3 $) $1
R$+ $| $+ $| $*		$: $(macro {Host} $@ @$2 $) $1
')dnl
ifdef(`_cf_feat_preserve_local_plus_detail', `', `dnl
## user+* and user+detail: deliver to user, keep the detail in $h.
R$+ + *			$#confLOCAL_MAILER $@ $&h $: $1
R$+ + $*		$#confLOCAL_MAILER $@ + $2 $: $1 + *
')dnl
R$+			$: <> $1
ifdef(`LUSER_RELAY', `ifdef(`_cf_feat_preserve_local_plus_detail', `dnl
## Unknown users (no passwd entry) go to LUSER_RELAY, detail and all.
R< > $+ + $*		$: < ? $L > <+ $2> $(user $1 $)
R< > $+			$: < ? $L > < > $(user $1 $)
R< ? $* > < $* > $+ <>	$: < > $3 $2
R< ? $* > < $* > $+	$: < $1 > $3 $2
', `dnl
## Unknown users (no passwd entry) go to LUSER_RELAY.
R< > $+			$: < $L > $(user $1 $)
R< $* > $+ <>		$: < > $2
')')dnl
ifdef(`_cf_feat_preserve_luser_host', `ifdef(`LUSER_RELAY', `dnl
R< $+ > $+		$: < $1 > $2 $&{Host}
')')dnl
ifdef(`MAIL_HUB', `dnl
R< > $+			$: < $H > $1
')dnl
ifdef(`LOCAL_RELAY', `dnl
R< > $+			$: < $R > $1
')dnl
ifdef(`_cf_feat_preserve_local_plus_detail', `dnl
R< > $+			$@ $1
', `dnl
## Staying here: put a non-empty detail back on the user.
R< > $+			$: < > < $1 <> $&h >
ifdef(`_cf_feat_preserve_luser_host', `dnl
R< > < $+ @ $+ <> + $* >	$: < > < $1 + $3 @ $2 >
')dnl
R< > < $+ <> + $* >	$: < > < $1 + $2 >
R< > < $+ <> $* >	$: < > < $1 >
R< > < $+ + $* > $*	< > < $1 > + $2 $3
R< > < $+ > + $*	$#confLOCAL_MAILER $@ $2 $: @ $1
R< > < $+ >		$@ $1
## Leaving: the detail goes with the user name.
R$+			$: $1 <> $&h
ifdef(`_cf_feat_preserve_luser_host', `dnl
R$+ @ $+ <> + $*	$: $1 + $3 @ $2
')dnl
R$+ <> + $*		$: $1 + $2
R$+ <> $*		$: $1
')dnl
R< local : $* > $*	$: $>ToTriple < local : $1 > $2
R< error : $* > $*	$: $>ToTriple < error : $1 > $2
ifdef(`_cf_feat_preserve_luser_host', `dnl
R< $~[ : $+ > $+ @ $+	$: $>ToTriple < $1 : $2 > $3 < @ $4 >
')dnl
R< $~[ : $+ > $+	$: $>ToTriple < $1 : $2 > $3 < @ $2 >
ifdef(`_cf_feat_preserve_luser_host', `dnl
R< $+ > $+ @ $+		$@ $>ToTriple < $1 > $2 < @ $3 >
')dnl
R< $+ > $+		$@ $>ToTriple < $1 > $2 < @ $1 >
