dnl parse.m4 -- ruleset 0 (parse) and the syntax checks it starts with.
dnl
##
## ======================================================================
## Parsing (ruleset 0, "parse")
##
## Turns a canonified address into a delivery triple
##	$# mailer $@ host $: user
## in three steps:
##  1. ParseSyntax rejects what cannot be a deliverable address (empty
##     user or host, malformed literals and host names, route syntax that
##     survived canonify) and strips our own domain from local addresses;
##  2. ParseLocal holds the site rules of LOCAL_RULE_0;
##  3. Route (rulesets/route.m4) chooses the mailer.
## The null sender "<@>" is given to the local mailer so that error
## messages about it can be produced.
## ======================================================================
##
Sparse=0
R$*			$: $>ParseSyntax $1
R<@>			$#confLOCAL_MAILER $: <@>
R$*			$: $>ParseLocal $1
R$*			$: $>Route $1

##
## ParseSyntax: is this an address at all?
##
_cf_S(`ParseSyntax')
R<@>			$@ <@>
R$* : $* ; <@>		$#error $@ 5.1.3 $: "553 List:; syntax illegal for recipient addresses"
R@ <@ $* >		< @ $1 >
R<@ $+>			$#error $@ 5.1.3 $: "553 User address required"
R$+ <@>			$#error $@ 5.1.3 $: "553 Hostname required"

## Address literals.  [addr]:route and [addr],route are routes and are
## not checked further; anything else after the closing bracket is junk.
## Outside a literal a colon cannot be part of a host name.
R$*			$: <LITCHECK> $1
R<LITCHECK> $* < @ [ $* ] : $+ > $*	$1 < @ [ $2 ] : $3 > $4
R<LITCHECK> $* < @ [ $* ] , $+ > $*	$1 < @ [ $2 ] , $3 > $4
R<LITCHECK> $* < @ [ $* ] $+ > $*	$#error $@ 5.1.2 $: "553 Invalid address"
R<LITCHECK> $* < @ [ $+ ] > $*		$1 < @ [ $2 ] > $3
R<LITCHECK> $* <$* : $* > $*	$#error $@ 5.1.3 $: "553 Colon illegal in host name part"
R<LITCHECK> $*		$1

## Host names may not start with a dot or contain an empty label, and
## the local part may not hide another route.
R$* < @ . $* > $*	$#error $@ 5.1.2 $: "553 Invalid host name"
R$* < @ $* .. $* > $*	$#error $@ 5.1.2 $: "553 Invalid host name"
R$* < @ $* @ > $*	$#error $@ 5.1.2 $: "553 Invalid route address"
R$* @ $* < @ $* > $*	$#error $@ 5.1.3 $: "553 Invalid route address"
R$* , $~O $*		$#error $@ 5.1.3 $: "553 Invalid route address"

## "user@" is just "user".
R$* < @ > $*		$@ $>ParseSyntax $>canonify $1

## A route through us (@here:rest, or user%there@here) is parsed again
## without our name; a quoted single-token local part is unquoted.
R< @ $=w . > : $*	$@ $>ParseSyntax $>canonify $2
R$- < @ $=w . >		$: $(dequote $1 $) < @ $2 . >
R< @ $+ >		$#error $@ 5.1.3 $: "553 User address required"
R$* $=O $* < @ $=w . >	$@ $>ParseSyntax $>canonify $1 $2 $3
R$-			$: $(dequote $1 $) < @ *LOCAL* >
R< @ *LOCAL* >		$#error $@ 5.1.3 $: "553 User address required"
R$* $=O $* < @ *LOCAL* >	$@ $>ParseSyntax $>canonify $1 $2 $3
R$* < @ *LOCAL* >	$: $1
ifelse(defn(`_cf_prefixmod_prefix'), `', `', `dnl
## FEATURE(prefixmod): a recipient written with the prefix gets mailer flags.
R _cf_prefixmod_prefix $+	$: $1 $(macro {rcpt_flags} $@ _cf_prefixmod_flags $)
')dnl
ifdef(`_cf_feat_bcc', `dnl
R$+			$: $>ParseBcc $1
')dnl

##
## ParseLocal: the site rules given with LOCAL_RULE_0, and the answer for
## addresses that have moved (FEATURE(redirect)).
##
SParseLocal=98
_cf_undivert(3)dnl
ifdef(`_cf_mailer_mail11', `dnl
## DECnet: our own nodes are local, the others go to mail11.
R$* < @ $=w .DECNET. >		$#confLOCAL_MAILER $: $1
R$+ < @ $+ .DECNET. >		$#mail11 $@ $2 $: $1
')dnl
ifdef(`_cf_feat_redirect', `dnl
## user@host.REDIRECT (from the alias file) is refused with the new
## address, except when only verifying (-bv, opMode i) where it is shown.
R$* < @ $+ .REDIRECT. >		$: $1 < @ $2 . REDIRECT . > < ${opMode} >
R$* < @ $+ .REDIRECT. > <i>	$: $1 < @ $2 . REDIRECT. >
R$* < @ $+ .REDIRECT. > < $- >	$#error $@ 5.1.1 $: "551 User has moved; please try " <$1@$2>
')dnl
