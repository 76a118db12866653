dnl canonify.m4 -- canonicalization: ruleset 3 (canonify), its host part
dnl helper CanonHost, and the inverse, ruleset 4 (final).
dnl
##
## ======================================================================
## Canonicalization (ruleset 3, "canonify")
##
## Every address sendmail handles passes here first.  The result is the
## local part followed by the domain in focus brackets, "user < @ host . >",
## with the domain made canonical.  Decisions taken here:
##  - what part of an RFC 822 address is the address: the text inside the
##    last pair of angle brackets; a group "name: members;" loses its name;
##  - source routes "@a,@b:user@c" are reduced to user@c;
##  - which @ is the domain separator: the last one, after turning every
##    % into @ (the "percent hack": user%host@relay);
##  - UUCP (host!user) and DECnet (node::user) forms become domains;
##  - the domain is canonified with the resolver ($[ $]) unless it is a
##    pseudo-domain ($=P) or the daemon says not to (ModifyC).
## The empty address <> is the null sender and comes back as "<@>".
## ======================================================================
##
Scanonify=3
R$@			$@ <@>

## A colon separates a group name from its members, except in a
## bracketed address, a source route, an IPv6 literal, a DECnet address
## or :include:.  Tag the address with what to do, then do it.
R$*			$: <STRIP> $1
R<STRIP> $* < $* > $*	$: <KEEP> $1 < $2 > $3
R<STRIP> @ $*		$: <KEEP> @ $1
R<STRIP> $* [ IPv6 : $+ ]	$: <KEEP> $1 [ IPv6 : $2 ]
R<STRIP> $* :: $*	$: <KEEP> $1 :: $2
R<STRIP> :include: $*	$: <KEEP> :include: $1
R<KEEP> $* : $* [ $* ]	$: <STRIP> $1 : $2 [ $3 ]
R<STRIP> $* : $*	$: $2
R<$-> $*		$: $2

## Semicolons: "list:;" is an empty group, trailing ones end a group.
R$* ;			$1
R$* < $+ :; > $*	$@ $2 :; <@>
R$* < $* ; >		$1 < $2 >
R$@			$@ :; <@>

## Keep only what is inside the outermost complete angle brackets.
R$*			$: < $1 >
R$+ < $* >		< $2 >
R< $* > $+		< $1 >
R<>			$@ < @ >
R< $+ >			$: $1

## Source routes: only the final address counts.
R@ $+ , $+		$2
R@ [ $* ] : $+		$2
R@ $+ : $+		$2

## Group syntax that survived: canonify the domain after the semicolon.
R $+ : $* ; @ $+	$@ $>CanonHost $1 : $2 ; < @ $3 >
R $+ : $* ;		$@ $1 : $2;

## user@domain: the last @ is the separator.
R$+ @ $+		$: $1 < @ $2 >
R$+ < $+ @ $+ >		$1 $2 < @ $3 >
R$+ < @ $+ >		$@ $>CanonHost $1 < @ $2 >

ifdef(`_cf_feat_nouucp', `', `dnl
## UUCP paths: host!user, and dotted names as real domains.
R$- ! $+		$@ $>CanonHost $2 < @ $1 .UUCP >
R$+ . $- ! $+		$@ $>CanonHost $3 < @ $1 . $2 >
R$+ ! $+		$@ $>CanonHost $2 < @ $1 .UUCP >
')dnl
ifdef(`_USE_DECNET_SYNTAX_', `dnl
## DECnet: node::user.
R$- :: $+		$@ $>CanonHost $2 < @ $1 .DECNET >
R$- . $- :: $+		$@ $>CanonHost $3 < @ $1.$2 .DECNET >
')dnl

ifdef(`_cf_feat_nopercenthack', `', `dnl
## The percent hack: every % becomes @, then all but the last @ go back.
R$* % $*		$1 @ $2
R$* @ $* @ $*		$1 % $2 @ $3
')dnl
R$* @ $*		$@ $>CanonHost $1 < @ $2 >
R$*			$@ $>CanonHost $1

##
## ----------------------------------------------------------------------
## CanonHost: make the focused domain canonical.
##  - localhost (also localhost.$m and localhost.UUCP) and address literals
##    of this machine become $j;
##  - other literals are left alone;
##  - the domain table, LOCAL_RULE_3 and the BITNET/UUCP tables may rename;
##  - pseudo-domains ($=P) get the trailing dot without a lookup, the rest
##    go through the host map unless the daemon flags (CC) or
##    FEATURE(nocanonify) say otherwise;
##  - our own names and the names we masquerade get the trailing dot.
## ----------------------------------------------------------------------
##
_cf_S(`CanonHost')
R$* < @ localhost > $*		$: $1 < @ $j . > $2
R$* < @ localhost . $m > $*	$: $1 < @ $j . > $2
ifdef(`_cf_feat_nouucp', `', `dnl
R$* < @ localhost . UUCP > $*	$: $1 < @ $j . > $2
')dnl
R$* < @ [ $+ ] > $*		$: $1 < @@ [ $2 ] > $3
R$* < @@ $=w > $*		$: $1 < @ $j . > $3
R$* < @@ $+ > $*		$@ $1 < @ $2 > $3
ifdef(`_cf_feat_domaintable', `dnl
R$* < @ $+ > $*		$: $1 < @ $(domaintable $2 $) > $3
')dnl
_cf_undivert(2)dnl
ifdef(`_cf_feat_bitdomain', `dnl
R$* < @ $+ .BITNET > $*		$: $1 < @ $(bitdomain $2 $: $2.BITNET $) > $3
')dnl
ifdef(`_cf_feat_uucpdomain', `dnl
R$* < @ $+ .UUCP > $*		$: $1 < @ $(uudomain $2 $: $2.UUCP $) > $3
')dnl
ifdef(`_cf_feat_nouucp', `', `ifdef(`_cf_feat_nocanonify', `', `dnl
R$* < @ $+ . UUCP > $*		$: $1 < @ $[ $2 $] . UUCP . > $3
R$* < @ $+ . . UUCP . > $*	$@ $1 < @ $2 . > $3
')')dnl
R$* < @ $* $=P > $*		$: $1 < @ $2 $3 . > $4
ifdef(`_cf_feat_nocanonify', `dnl
## Only CANONIFY_DOMAIN names, or all names when the daemon flags ask
## for it (Modifier=c), are looked up.
R$* < @ $* $~P > $*		$: $1 < @ $2 $3 > $4 $| $&{daemon_flags}
R$* < @ $* $={Canonify} > $* $| $*	$: $1 < @ $[ $2 $3 $] > $4
R$* < @ $* > $* $| $* c $*	$: $1 < @ $[ $2 $] > $3
R$* < @ $+ . > $* $| $*		$: $1 < @ $2 . > $3
R$* < @ $+ . $+ > $* $| $*	$: $1 < @ $2 . $3 . > $4
R$* $| $*			$: $1
', `dnl
## Look the name up, unless the daemon was told not to (Modifier=C, seen
## as "CC" in ${daemon_flags}).
R$* < @ $* $~P > $*		$: $1 < @ $2 $3 > $4 $| $&{daemon_flags}
R$* < @ $+ . $+ > $* $| $* CC $*	$: $1 < @ $2 . $3 . > $4
R$* $| $* CC $*			$: $1
R$* < @ $* > $* $| $*		$: $1 < @ $[ $2 $] > $3
R$* $| $*			$: $1
')dnl
R$* < @ $=w > $*		$: $1 < @ $2 . > $3
ifdef(`_cf_feat_virtusertable', `ifdef(`_cf_feat_virtuser_entire_domain', `dnl
R$* < @ $* $={VirtHost} > $*	$: $1 < @ $2 $3 . > $4
', `dnl
R$* < @ $={VirtHost} > $*	$: $1 < @ $2 . > $3
')')dnl
ifdef(`_cf_feat_masquerade_entire_domain', `dnl
R$* < @ $* $=M > $*		$: $1 < @ $2 $3 . > $4
', `dnl
R$* < @ $=M > $*		$: $1 < @ $2 . > $3
')dnl
ifdef(`_cf_feat_genericstable', `ifdef(`_cf_feat_generics_entire_domain', `dnl
R$* < @ $* $=G > $*		$: $1 < @ $2 $3 . > $4
', `dnl
R$* < @ $=G > $*		$: $1 < @ $2 . > $3
')')dnl
R$* < @ $* . . > $*		$1 < @ $2 . > $3

##
## ======================================================================
## Final output (ruleset 4, "final")
##
## The last step for every address on its way out: the focus brackets and
## the trailing dot of canonical names go, *LOCAL* becomes $j, source
## routes get their RFC 822 commas back and pseudo-domains are turned back
## into their native syntax (host!user, node::user).
## ======================================================================
##
Sfinal=4
R$+ :; <@>		$@ $1 :
R$* <@>			$@
R$* < @ $+ . > $*	$1 < @ $2 > $3
R$* < @ *LOCAL* > $*	$1 < @ $j > $2
R$* < $+ > $*		$1 $2 $3
R@ $+ : @ $+ : $+	@ $1 , @ $2 : $3
R@ $*			$@ @ $1
ifdef(`_cf_feat_nouucp', `', `dnl
R$+ @ $- . UUCP		$2!$1
')dnl
ifdef(`_USE_DECNET_SYNTAX_', `dnl
R$+ @ $+ . DECNET	$2 :: $1
')dnl
R$+ % $=w @ $=w		$1 @ $2
