dnl rewrite.m4 -- header and envelope rewriting done for one mailer family.
dnl
dnl Read by the mailer files with _cf_rw set to the family: `local' (local,
dnl prog and the other mailers delivering on this machine) or `smtp' (the
dnl SMTP mailers and the ones borrowing their rules).
ifelse(_cf_rw, `local', `dnl
##
## ======================================================================
## Address rewriting for local delivery (S=EnvFromL/HdrFromL,
## R=EnvToL/HdrToL)
##
## Senders: the null sender and the "@ <@ host>" form become $n
## (MAILER-DAEMON), unqualified names get our domain (AddDomain, only with
## FEATURE(always_add_domain)), then masquerading applies unless
## FEATURE(local_no_masquerade).  Envelope recipients lose the host part;
## a +detail is removed from the envelope sender only.  Header recipients
## are qualified like senders.
## ======================================================================
##
_cf_S(`EnvFromL')
R$*			$: ifdef(`_cf_feat_local_no_masquerade', `', `$>MasqEnv ')$>AddDomain $>NullSender $1

_cf_S(`EnvToL')
R$+ < @ $* >		$: $1
R$+ + $*		$: $1 + $2 $| $&{addr_type}
R$+ + $* $| e s		$@ $1
R$* $| $*		$@ $1

_cf_S(`HdrFromL')
R$*			$: ifdef(`_cf_feat_local_no_masquerade', `', `$>MasqHdr ')$>AddDomain $>NullSender $1

_cf_S(`HdrToL')
R$*			$: ifdef(`_cf_feat_allmasquerade', `$>MasqHdr', `$>StarLocal') $>AddDomain $1

## NullSender: the null sender and "@ <@ host>" are $n (MAILER-DAEMON).
_cf_S(`NullSender')
R<@>			$@ $n
R@ <@ $*>		$@ $n

## AddDomain: qualify a bare name with *LOCAL* (or the domain given to
## FEATURE(always_add_domain)); without that feature names stay bare.
_cf_S(`AddDomain')
ifdef(`_cf_feat_always_add_domain', `dnl
R$* < @ $* > $*		$@ $1 < @ $2 > $3
R$+			$@ $1 < @ ifelse(defn(`_cf_add_domain'), `', `*LOCAL*', `_cf_add_domain') >
', `dnl
## (an empty ruleset would not do: sendmail leaves the calls nested in the
## argument of an empty ruleset unevaluated)
R$*			$@ $1
')dnl
', _cf_rw, `smtp', `dnl
##
## ======================================================================
## Address rewriting for SMTP (S=EnvFromSMTP/HdrFromSMTP, R=EnvToSMTP,
## relay: R=MasqSMTP)
##
## Every address leaving by SMTP is fully qualified: a bare name gets
## *LOCAL* (made $j or the masquerade name later).  Pseudo-domains are
## turned back into real ones (PseudoToReal: host.UUCP becomes a UUCP path
## through UUCP_RELAY).  Senders are masqueraded (headers always, the
## envelope with FEATURE(masquerade_envelope)); header recipients too
## with FEATURE(allmasquerade).  Route addresses and the empty group
## "list:;" pass unchanged.
## ======================================================================
##
_cf_S(`MasqSMTP')
R$* < @ $* > $*		$@ $1 < @ $2 > $3
R$+			$@ $1 < @ *LOCAL* >

## PseudoToReal: a .UUCP host becomes a path through $Y (UUCP_RELAY) or,
## for the host we deliver to ($h), a real address.
_cf_S(`PseudoToReal')
R< @ $+ > $*		$@ < @ $1 > $2
ifdef(`_cf_feat_nouucp', `', `dnl
R$+ < @ $+ .UUCP. >	$@ $>UucpOut $2 $| $1
')dnl

ifdef(`_cf_feat_nouucp', `', `dnl
## UucpOut: "host $| user" for user@host.UUCP.
_cf_S(`UucpOut')
R$&h $| $- ! $+		$@ $2 < @ $1 .UUCP. >
R$&h $| $-.$+ ! $+	$@ $3 < @ $1.$2 >
R$&h $| $+		$@ $1 < @ $&h .UUCP. >
R$+ $| $+		$: $1 ! $2 < @ $Y >
R$+ < @ $~[ $* : $+ >	$@ $1 < @ $4 >
R$+ < @ >		$@ $1 < @ *LOCAL* >
')dnl

_cf_S(`EnvFromSMTP')
R$+			$: $>PseudoToReal $1
R$* :; <@>		$@
R$*			$: $>MasqEnv $>MasqSMTP $1

_cf_S(`EnvToSMTP')
R$+			$: $>StarLocal $>MasqSMTP $>PseudoToReal $1

_cf_S(`HdrFromSMTP')
R$+			$: $>PseudoToReal $1
R:; <@>			$@
R$* <@> $*		$@ $1 <@> $2
R< @ $* > $*		$@ < @ $1 > $2
R$*			$: $>MasqHdr $>MasqSMTP $1

_cf_S(`MasqRelay')
R$*			$: $>MasqHdr $>MasqSMTP $1
')dnl
