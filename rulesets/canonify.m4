dnl canonify.m4 -- canonicalization: ruleset 3 (canonify) with its helpers,
dnl and the inverse, ruleset 4 (final).
dnl
##
## ======================================================================
## Canonicalization (ruleset 3, "canonify")
##
## Every address sendmail handles passes here first.  The result is the
## local part followed by the domain in focus brackets, "user < @ host . >",
## with the domain made canonical (CanonHost).  On the way:
##  - a group "name: members;" loses its name (GroupName), "list:;" is an
##    empty group; trailing semicolons go;
##  - only the text inside the last pair of angle brackets counts;
##  - source routes "@a,@b:user@c" are reduced to user@c;
##  - Focus finds the domain: after the last @ (after turning every % into
##    @: the "percent hack"), or in UUCP (host!user) and DECnet
##    (node::user) forms.
## The empty address <> is the null sender and comes back as "<@>".
## ======================================================================
##
Scanonify=3
R$@			$@ <@>
R$*			$: $>GroupName $1
R$* ;			$1
R$* < $+ :; > $*	$@ $2 :; <@>
R$* < $* ; >		$1 < $2 >
R$@			$@ :; <@>
## the last bracketed part, up to its closing bracket
R$* < $*		$2
R$* > $*		$: $1
R$@			$@ < @ >
## source routes
R@ $+ , $+		$2
R@ [ $* ] : $+		$2
R@ $+ : $+		$2
## a group that kept its name
R$+ : $* ; @ $+		$@ $>CanonHost $1 : $2 ; < @ $3 >
R$+ : $* ;		$@ $1 : $2 ;
R$*			$@ $>CanonHost $>Focus $1

## GroupName: a colon ends a group name, except in a bracketed address, a
## source route, an IPv6 literal, a DECnet address and :include: -- unless
## an address literal follows it.
_cf_S(`GroupName')
R$* : $* [ $* ]		$@ $2 [ $3 ]
R$* < $* > $*		$@ $1 < $2 > $3
R@ $*			$@ @ $1
R$* [ IPv6 : $+ ]	$@ $1 [ IPv6 : $2 ]
R$* :: $*		$@ $1 :: $2
R:include: $*		$@ :include: $1
R$* : $*		$@ $2

## Focus: "user < @ domain >" -- the last @ separates; without one, the
## UUCP and DECnet forms name the host; user%host is user@host.
_cf_S(`Focus')
R$+ @ $+		$: $1 < @ $2 >
R$+ < @ $* @ $+ >	$1 @ $2 < @ $3 >
R$+ < @ $+ >		$@ $1 < @ $2 >
ifdef(`_cf_feat_nouucp', `', `dnl
R$- ! $+		$@ $2 < @ $1 .UUCP >
R$+ . $- ! $+		$@ $3 < @ $1 . $2 >
R$+ ! $+		$@ $2 < @ $1 .UUCP >
')dnl
ifdef(`_USE_DECNET_SYNTAX_', `dnl
R$- :: $+		$@ $2 < @ $1 .DECNET >
R$- . $- :: $+		$@ $3 < @ $1.$2 .DECNET >
')dnl
ifdef(`_cf_feat_nopercenthack', `', `dnl
R$* % $*		$1 @ $2
R$* @ $* @ $*		$1 % $2 @ $3
')dnl
R$* @ $*		$@ $1 < @ $2 >

##
## ----------------------------------------------------------------------
## CanonHost: make the focused domain canonical.
##  - localhost (also localhost.$m and localhost.UUCP) and the address
##    literals of this machine become $j; other literals stay as they are;
##  - the domain table, LOCAL_RULE_3 and the BITNET/UUCP tables may rename;
##  - then HostName: pseudo-domains ($=P) get the trailing dot without a
##    lookup, the rest go through the host map unless the daemon flags (CC)
##    or FEATURE(nocanonify) say otherwise; our own names and the names we
##    masquerade (KnownName) get the trailing dot in any case.
## ----------------------------------------------------------------------
##
_cf_S(`CanonHost')
R$* < @ localhost . $m > $*	$: $1 < @ localhost > $2
ifdef(`_cf_feat_nouucp', `', `dnl
R$* < @ localhost . UUCP > $*	$: $1 < @ localhost > $2
')dnl
R$* < @ localhost > $*		$: $1 < @ $j . > $2
R$* < @ [ $+ ] > $*		$: <lit> $1 < @ [ $2 ] > $3
R<lit> $* < @ $=w > $*		$: $1 < @ $j . > $3
R<lit> $* < @ $+ > $*		$@ $1 < @ $2 > $3
ifdef(`_cf_feat_domaintable', `dnl
R$* < @ $+ > $*			$: $1 $| $3 $| $(domaintable $2 $)
R$* $| $* $| $*			$: $1 < @ $3 > $2
')dnl
_cf_undivert(2)dnl
R$* < @ $+ > $*			$: $1 $| $3 $| $>HostPart $2
R$* $| $* $| $*			$@ $1 < @ $3 > $2

## HostPart: "domain" (focused, not a literal, after the domain table and
## LOCAL_RULE_3): the BITNET and UUCP tables, then HostName.
_cf_S(`HostPart')
ifdef(`_cf_feat_bitdomain', `dnl
R$+ .BITNET		$: $(bitdomain $1 $: $1.BITNET $)
')dnl
ifdef(`_cf_feat_uucpdomain', `dnl
R$+ .UUCP		$: $(uudomain $1 $: $1.UUCP $)
')dnl
ifdef(`_cf_feat_nouucp', `', `ifdef(`_cf_feat_nocanonify', `', `ifdef(`UUCP_RELAY', `', `dnl
## host.UUCP that the resolver knows is a real domain (with a UUCP relay,
## .UUCP is a pseudo-domain like any other)
R$+ . UUCP		$: $[ $1 $] . UUCP .
R$+ . . UUCP .		$@ $1 .
')')')dnl
R$*			$@ $>HostName $1

## HostName: "domain" (focused, not a literal) in its final form.
_cf_S(`HostName')
R$* $=P			$@ $>HostDone $1 $2 .
R$*			$: $&{daemon_flags} $| $1
ifdef(`_cf_feat_nocanonify', `dnl
## Only CANONIFY_DOMAIN names, or all names when the daemon flags ask
## for it (Modifier=c), are looked up.
R$* $| $* $={Canonify}	$@ $>HostDone $[ $2 $3 $]
R$* c $* $| $*		$@ $>HostDone $[ $3 $]
R$* $| $+ .		$@ $>HostDone $2 .
R$* $| $+ . $+		$@ $>HostDone $2 . $3 .
R$* $| $*		$@ $>HostDone $2
', `dnl
## Looked up unless the daemon was told not to (Modifier=C, seen as "CC"
## in ${daemon_flags}): then only a dotted name gets its final dot.
R$* CC $* $| $+ . $+	$@ $>HostDone $3 . $4 .
R$* CC $* $| $*		$@ $>HostDone $3
R$* $| $*		$@ $>HostDone $[ $2 $]
')dnl

## HostDone: one trailing dot, also for a name we know without the DNS.
_cf_S(`HostDone')
R$* . .			$1 .
R$* .			$@ $1 .
R$*			$: $1 $| $>KnownName $1
R$* $| yes		$@ $1 .
R$* $| $*		$@ $1

## KnownName: "domain" -- yes for our names ($=w), virtual user domains,
## masqueraded domains ($=M) and generics domains ($=G).
_cf_S(`KnownName')
R$=w			$@ yes
ifdef(`_cf_feat_virtusertable', `ifdef(`_cf_feat_virtuser_entire_domain', `dnl
R$* $={VirtHost}	$@ yes
', `dnl
R$={VirtHost}		$@ yes
')')dnl
ifdef(`_cf_feat_masquerade_entire_domain', `dnl
R$* $=M			$@ yes
', `dnl
R$=M			$@ yes
')dnl
ifdef(`_cf_feat_genericstable', `ifdef(`_cf_feat_generics_entire_domain', `dnl
R$* $=G			$@ yes
', `dnl
R$=G			$@ yes
')')dnl
R$*			$@ no

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
R$*			$: $>Unfocus $1
R@ $+ : @ $+ : $+	@ $1 , @ $2 : $3
R@ $*			$@ @ $1
ifdef(`_cf_feat_nouucp', `', `dnl
R$+ @ $- . UUCP		$@ $2 ! $1
')dnl
ifdef(`_USE_DECNET_SYNTAX_', `dnl
R$+ @ $+ . DECNET	$2 :: $1
')dnl
R$+ % $=w @ $=w		$1 @ $2

## Unfocus: no trailing dot, *LOCAL* is $j, no focus brackets.
_cf_S(`Unfocus')
R$* < @ $+ . > $*	$1 < @ $2 > $3
R$* < @ *LOCAL* > $*	$1 < @ $j > $2
R$* < $+ > $*		$1 $2 $3
