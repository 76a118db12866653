dnl masquerade.m4 -- how our addresses look to the outside world.
dnl
##
## ======================================================================
## Masquerading and the generics table
##
## MasqHdr rewrites a sender address written in a header; MasqEnv the
## envelope sender (the same rules with FEATURE(masquerade_envelope),
## otherwise only *LOCAL* is made concrete).
##  - FEATURE(genericstable) first: a local user (or user@ a $=G domain)
##    found in the table is replaced by the table value; a qualified value
##    is final, an unqualified one is masqueraded like any local name;
##  - names in $=N (MASQUERADE_EXCEPTION) are never masqueraded;
##  - exposed users ($=E) keep our real name;
##  - our names ($=w, unless FEATURE(limited_masquerade)) and the
##    MASQUERADE_DOMAIN names ($=M, with subdomains when
##    FEATURE(masquerade_entire_domain)) become $M when it is set.
## ======================================================================
##
SMasqHdr=93
ifdef(`_cf_feat_genericstable', `dnl
R$*			$: $>Generics $1
R<FINAL> $*		$@ $1
')dnl
R$* < @ $* $=N . >	$@ $1 < @ $2 $3 . >
ifdef(`MASQUERADE_NAME', `dnl
R$=E < @ *LOCAL* >	$@ $1 < @ $j . >
ifdef(`_cf_feat_masquerade_entire_domain', `dnl
R$=E < @ $* $=M . >	$@ $1 < @ $2 $3 . >
', `dnl
R$=E < @ $=M . >	$@ $1 < @ $2 . >
')dnl
ifdef(`_cf_feat_limited_masquerade', `', `dnl
R$=E < @ $=w . >	$@ $1 < @ $2 . >
')dnl
## Tag the domain with the masquerade name after an @, then choose.
ifdef(`_cf_feat_masquerade_entire_domain', `dnl
R$* < @ $* $=M . > $*	$: $1 < @ $2 $3 . @ $M > $4
', `dnl
R$* < @ $=M . > $*	$: $1 < @ $2 . @ $M > $3
')dnl
ifdef(`_cf_feat_limited_masquerade', `', `dnl
R$* < @ $=w . > $*	$: $1 < @ $2 . @ $M > $3
')dnl
R$* < @ *LOCAL* > $*	$: $1 < @ $j . @ $M > $2
R$* < @ $+ @ > $*	$: $1 < @ $2 > $3
R$* < @ $+ @ $+ > $*	$: $1 < @ $3 . > $4
', `dnl
R$* < @ *LOCAL* >	$@ $1 < @ $j . >
')dnl

SMasqEnv=94
ifdef(`_cf_feat_masquerade_envelope', `dnl
R$+			$@ $>MasqHdr $1
', `dnl
R$* < @ *LOCAL* > $*	$: $1 < @ $j . > $2
')dnl

ifdef(`_cf_feat_genericstable', `dnl
##
## Generics: "user < @ domain . >" for a generics domain (or *LOCAL*).
## Keys tried: user@domain, then user+*@domain (%1 is the detail) and
## user@domain without the detail, then @domain (%1 is the user), then the
## bare user, user+* and user.  Returns "<FINAL> address" for a fully
## qualified table value, the canonified value when it has no domain, and
## the input when nothing was found.
##
_cf_S(`Generics')
ifdef(`_cf_feat_generics_entire_domain', `dnl
R$+ < @ $* $=G . >	$: < $1@$2$3 > $1 < @ $2$3 . > @
', `dnl
R$+ < @ $=G . >		$: < $1@$2 > $1 < @ $2 . > @
')dnl
R$+ < @ *LOCAL* >	$: < $1@$j > $1 < @ *LOCAL* > @
R< $+ > $+ < $* > @	$: < $(generics $1 $: @ $1 $) > $2 < $3 >
R<@$+ + $* @ $+> $+ < @ $+ >	$: < $(generics $1+*@$3 $@ $2 $:@$1 + $2@$3 $) > $4 < @ $5 >
R<@$+ + $* @ $+> $+ < @ $+ >	$: < $(generics $1@$3 $: $) > $4 < @ $5 >
R<@$+ > $+ < @ $+ >	$: < > $2 < @ $3 >
R< > $+ < @ $+ . >	$: < $(generics @$2 $@ $1 $: $) > $1 < @ $2 . >
R< > $+ < @ $+ >	$: < $(generics $1 $: $) > $1 < @ $2 >
R< > $+ + $* < @ $+ >	$: < $(generics $1+* $@ $2 $: $) > $1 + $2 < @ $3 >
R< > $+ + $* < @ $+ >	$: < $(generics $1 $: $) > $1 + $2 < @ $3 >
R< $* @ $* > $* < $* >	$@ <FINAL> $>canonify $1 @ $2
R< $+ > $* < $* >	$@ $>canonify $1 @ *LOCAL*
R< > $*			$@ $1
')dnl
