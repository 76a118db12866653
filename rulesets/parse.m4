dnl parse.m4 -- ruleset 0 (parse) and the syntax checks it starts with.
dnl
##
## ======================================================================
## Parsing (ruleset 0, "parse")
##
## Turns a canonified address into a delivery triple
##	$# mailer $@ host $: user
## in three steps:
##  1. ParseSyntax rejects what cannot be a deliverable address
##     (SyntaxFault finds the fault, Refuse words the refusal) and
##     ParseHere strips our own domain from local addresses;
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
## ParseSyntax: is this an address at all?  The answer is the address for
## ruleset 0 to route (ParseHere) or a refusal.
##
_cf_S(`ParseSyntax')
R<@>			$@ <@>
R@ <@ $* >		< @ $1 >
R$*			$: $1 $| $>SyntaxFault $1
R$* $| fine		$@ $>ParseHere $1
R$* $| $-		$@ $>Refuse $2

## SyntaxFault: "address" -- fine, or what is wrong with it.  An address
## literal may be followed by a route (":" or ","), nothing else; outside
## a literal no colon may appear in brackets.
_cf_S(`SyntaxFault')
R$* : $* ; <@>			$@ list
R<@ $+>				$@ nouser
R$+ <@>				$@ nohost
R$* < @ [ $* ] : $+ > $*	$@ $>HostFault $1 < @ [ $2 ] : $3 > $4
R$* < @ [ $* ] , $+ > $*	$@ $>HostFault $1 < @ [ $2 ] , $3 > $4
R$* < @ [ $* ] $+ > $*		$@ badlit
R$* < @ [ $+ ] > $*		$@ $>HostFault $1 < @ [ $2 ] > $3
R$* < $* : $* > $*		$@ colon
R$*				$@ $>HostFault $1

## HostFault: no host name that starts with a dot or has an empty label,
## no @ left in the local part or at the end of the host part, no comma
## that does not start a route.
_cf_S(`HostFault')
R$* < @ . $* > $*		$@ badhost
R$* < @ $* . . $* > $*		$@ badhost
R$* < @ $* @ > $*		$@ hostroute
R$* @ $* < @ $* > $*		$@ route
R$* , $~O $*			$@ route
R$*				$@ fine

## Refuse: the refusal for a fault.
_cf_S(`Refuse')
Rlist			$#error $@ 5.1.3 $: "553 List:; syntax illegal for recipient addresses"
Rnouser			$#error $@ 5.1.3 $: "553 User address required"
Rnohost			$#error $@ 5.1.3 $: "553 Hostname required"
Rbadlit			$#error $@ 5.1.2 $: "553 Invalid address"
Rcolon			$#error $@ 5.1.3 $: "553 Colon illegal in host name part"
Rbadhost		$#error $@ 5.1.2 $: "553 Invalid host name"
Rhostroute		$#error $@ 5.1.2 $: "553 Invalid route address"
Rroute			$#error $@ 5.1.3 $: "553 Invalid route address"

##
## ParseHere: addresses at our own names.  "user@" is just "user"; a
## route through us (@here:rest, or user%there@here) is parsed again
## (Again) without our name; a quoted single-word local part is unquoted.
##
_cf_S(`ParseHere')
R$* < @ > $*		$@ $>Again $1
R< @ $=w . > : $*	$@ $>Again $2
R$- < @ $=w . >		$: $(dequote $1 $) < @ $2 . >
R< @ $+ >		$@ $>Refuse nouser
R$* $=O $* < @ $=w . >	$@ $>Again $1 $2 $3
R$-			$: $(dequote $1 $) < @ *LOCAL* >
R< @ *LOCAL* >		$@ $>Refuse nouser
R$* $=O $* < @ *LOCAL* >	$@ $>Again $1 $2 $3
R$* < @ *LOCAL* >	$: $1
ifelse(defn(`_cf_prefixmod_prefix'), `', `', `dnl
## FEATURE(prefixmod): a recipient written with the prefix gets mailer flags.
R _cf_prefixmod_prefix $+	$: $1 $(macro {rcpt_flags} $@ _cf_prefixmod_flags $)
')dnl
ifdef(`_cf_feat_bcc', `dnl
R$+			$: $>ParseBcc $1
')dnl

## Again: canonify and check anew.
_cf_S(`Again')
R$*			$@ $>ParseSyntax $>canonify $1

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
R$* < @ $+ .REDIRECT. >		$: <moved ${opMode}> $1 < @ $2 >
R<moved i> $* < @ $+ >		$: $1 < @ $2 . REDIRECT . >
R<moved $-> $* < @ $+ >		$#error $@ 5.1.1 $: "551 User has moved; please try " <$2@$3>
R<moved> $* < @ $+ >		$: $1 < @ $2 . REDIRECT . > < >
')dnl
