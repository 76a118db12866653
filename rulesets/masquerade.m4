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
##  - exposed users ($=E) keep our real name (Exposed);
##  - our names ($=w, unless FEATURE(limited_masquerade)) and the
##    MASQUERADE_DOMAIN names ($=M, with subdomains when
##    FEATURE(masquerade_entire_domain)) become $M when it is set
##    (Masquerade).
## ======================================================================
##
SMasqHdr=93
ifdef(`_cf_feat_genericstable', `dnl
R$*			$: $>Generics $1
R<done> $*		$@ $1
')dnl
R$* < @ $* $=N . >	$@ $1 < @ $2 $3 . >
ifdef(`MASQUERADE_NAME', `dnl
R$=E < @ $+ >		$@ $>Exposed $1 < @ $2 >
R$* < @ $+ > $*		$: $1 $| $3 $| $>Masquerade $2
R$* $| $* $| $*		$@ $1 < @ $3 > $2
', `dnl
R$* < @ *LOCAL* >	$@ $>StarLocal $1 < @ *LOCAL* >
')dnl

SMasqEnv=94
ifdef(`_cf_feat_masquerade_envelope', `dnl
R$+			$@ $>MasqHdr $1
', `dnl
R$*			$@ $>StarLocal $1
')dnl

## StarLocal: *LOCAL* is this host ($j).
_cf_S(`StarLocal')
R$* < @ *LOCAL* > $*	$@ $1 < @ $j . > $2

ifdef(`MASQUERADE_NAME', `dnl
## Exposed: an exposed user keeps the real name: only *LOCAL* is resolved.
_cf_S(`Exposed')
R$*			$@ $>StarLocal $1

## Masquerade: "domain" -- $M (with its dot) for a domain we masquerade and
## for *LOCAL*, when $M is set; the domain itself otherwise.
_cf_S(`Masquerade')
ifdef(`_cf_feat_masquerade_entire_domain', `dnl
R$* $=M .		$: <$M> $1 $2 .
', `dnl
R$=M .			$: <$M> $1 .
')dnl
ifdef(`_cf_feat_limited_masquerade', `', `dnl
R$=w .			$: <$M> $1 .
')dnl
R*LOCAL*		$: <$M> $j .
R<> $+			$@ $1
R<$+> $+		$@ $1 .
R$+ @			$@ $1
R$+ @ $+		$@ $2 .
')dnl

ifdef(`_cf_feat_genericstable', `dnl
##
## Generics: "user < @ domain . >" for a generics domain (or *LOCAL*).
## Keys tried in turn: user@domain, then for user+detail user+*@domain (%1
## is the detail) and user@domain, then @domain (%1 is the user), then
## the bare user, and user+* and user for user+detail.  The answer is
## "<done> address" for a fully qualified table value, the canonified
## value when it has no domain, and the input when nothing was found.
## The state kept is "address $| key domain $| last answer".
##
_cf_S(`Generics')
ifdef(`_cf_feat_generics_entire_domain', `dnl
R$+ < @ $* $=G . >		$: $1 < @ $2 $3 . > $| $2 $3
', `dnl
R$+ < @ $=G . >			$: $1 < @ $2 . > $| $2
')dnl
R$+ < @ *LOCAL* >		$: $1 < @ *LOCAL* > $| $j
R$+ < @ $* > $* $| $+		$: $1 < @ $2 > $3 $| $4 $| $(generics $1 @ $4 $: ? $)
R$+ + $* < @ $* > $| $+ $| ?	$: $1 + $2 < @ $3 > $| $4 $| $(generics $1+*@$4 $@ $2 $: ? $)
R$+ + $* < @ $* > $| $+ $| ?	$: $1 + $2 < @ $3 > $| $4 $| $(generics $1@$4 $: ? $)
R$+ < @ $+ . > $| $+ $| ?	$: $1 < @ $2 . > $| $3 $| $(generics @$3 $@ $1 $: ? $)
R$+ < @ $* > $* $| $+ $| ?	$: $1 < @ $2 > $3 $| $4 $| $(generics $1 $: ? $)
R$+ + $* < @ $* > $| $+ $| ?	$: $1 + $2 < @ $3 > $| $4 $| $(generics $1+* $@ $2 $: ? $)
R$+ + $* < @ $* > $| $+ $| ?	$: $1 + $2 < @ $3 > $| $4 $| $(generics $1 $: ? $)
R$* $| $* $| ?			$@ $1
R$* $| $* $| $* @ $*		$@ <done> $>canonify $3 @ $4
R$* $| $* $| $+			$@ $>canonify $3 @ *LOCAL*
')dnl
