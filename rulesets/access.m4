dnl access.m4 -- lookups in the access map (FEATURE(access_db)).
dnl
dnl _cf_access_finish(`key pattern', `default pattern'): the last rules
dnl of a lookup -- nothing found: the default; a temporary failure; a value.
_cf_def(`_cf_access_finish', `R<$1> <$2> <$`'- $`'-> <$`'*> $`'| <?>	$`'@ <$`'2> <$`'5>
R<$1> <$2> <$`'- $`'-> <$`'*> $`'| <$`'* <TMPF>>	$`'@ <<TMPF>> <$`'5>
R<$1> <$2> <$`'- $`'-> <$`'*> $`'| <$`'*>	$`'@ <$`'6> <$`'5>')dnl
ifdef(`_cf_feat_access_db', `dnl
##
## ======================================================================
## The access map
##
## Keys are tagged by what they describe -- "Connect:" (client), "From:"
## (sender), "To:" (recipient), "Spam:", ... -- and a key may also be
## given without a tag.  Values: OK, RELAY, REJECT, DISCARD, SKIP,
## QUARANTINE:reason, ERROR:[x.y.z:]nnn text, or a bare "nnn text".
## The rulesets below find the most specific entry; the check rulesets
## decide what the value means for them.
##
## Calling convention shared by all of them:
##	< key > < default > < flag Tag > < passthrough >
## flag "+" also tries the key without tag, "!" only the tagged key.
## Result: "< value > < passthrough >", or the default when nothing
## matched; "<TMPF>" in the value means the map failed temporarily.
## ======================================================================
##

## AccessTry: "flag Tag $| key" -- one probe of the map: Tag:key, then
## (flag +) the bare key.  Result: "<value>", "<?>" when not listed.
_cf_S(`AccessTry')
R$- $- $| $*		$: <$(access $2:$3 $: ? $)> $1 $| $3
R<?> + $| $+		$: <$(access $1 $: ? $)> + $| $1
R<$*> $- $| $*		$@ <$1>

## The lookups below keep their arguments in front of the probe result:
##	<key> <default> <flag Tag> <passthrough> $| <value>
## and finish with "<value> <passthrough>", the default, or "<<TMPF>>".

## AccessDomain: a host name, then (FEATURE(lookupdotdomain)) .parent,
## then the parent domains (host.sub.dom, sub.dom, dom); an address
## literal [a.b.c.d] and its shorter prefixes.
_cf_S(`AccessDomain')
R<$*> <$+> <$- $-> <$*>		$: <$1> <$2> <$3 $4> <$5> $| $>AccessTry $3 $4 $| $1
ifdef(`_cf_feat_lookupdotdomain', `dnl
R<$+.$+> <$+> <$- $-> <$*> $| <?>	$: <$1.$2> <$3> <$4 $5> <$6> $| $>AccessTry $4 $5 $| .$2
')dnl
R<[$+.$-]> <$+> <$- $-> <$*> $| <?>	$@ $>AccessDomain <[$1]> <$3> <$4 $5> <$6>
R<[$+::$-]> <$+> <$- $-> <$*> $| <?>	$@ $>AccessDomain <[$1]> <$3> <$4 $5> <$6>
R<[$+:$-]> <$+> <$- $-> <$*> $| <?>	$@ $>AccessDomain <[$1]> <$3> <$4 $5> <$6>
R<$+.$+> <$+> <$- $-> <$*> $| <?>	$@ $>AccessDomain <$2> <$3> <$4 $5> <$6>
## an empty name: the probe result and the arguments as they are
R<> <$+> <$- $-> <$*> $| <$*>	$@ <$5> <> <$1> <$2 $3> <$4>
_cf_access_finish(`$*', `$+')

## AccessAddr: an IP address and its prefixes (1.2.3.4, 1.2.3, 1.2, 1;
## IPv6:a:b:c, IPv6:a:b, ...).
_cf_S(`AccessAddr')
R<$+> <$+> <$- $-> <$*>		$: <$1> <$2> <$3 $4> <$5> $| $>AccessTry $3 $4 $| $1
R<$+::$-> <$+> <$- $-> <$*> $| <?>	$@ $>AccessAddr <$1> <$3> <$4 $5> <$6>
R<$+:$-> <$+> <$- $-> <$*> $| <?>	$@ $>AccessAddr <$1> <$3> <$4 $5> <$6>
R<$+.$-> <$+> <$- $-> <$*> $| <?>	$@ $>AccessAddr <$1> <$3> <$4 $5> <$6>
_cf_access_finish(`$+', `$+')

## AccessFull: user@domain; for user+detail@domain also user+*@domain,
## then user@domain.
_cf_S(`AccessFull')
R<$+> <$*> <$- $-> <$*>		$: <$1> <$2> <$3 $4> <$5> $| $>AccessTry $3 $4 $| $1
R<$+ + $* @ $+> <$*> <$- $-> <$*> $| <?>	$: <$1+$2@$3> <$4> <$5 $6> <$7> $| $>AccessTry $5 $6 $| $1+*@$3
R<$+ + $* @ $+> <$*> <$- $-> <$*> $| <?>	$: <$1+$2@$3> <$4> <$5 $6> <$7> $| $>AccessTry $5 $6 $| $1@$3
_cf_access_finish(`$+', `$*')

## AccessExact: the key as it is.
_cf_S(`AccessExact')
R<$*> <$*> <$- $-> <$*>		$: <$1> <$2> <$3 $4> <$5> $| $>AccessTry $3 $4 $| $1
_cf_access_finish(`$+', `$*')
## an empty key: the default does not count
R<> <$*> <$- $-> <$*> $| <$* <TMPF>>	$@ <<TMPF>> <$4>
R<> <$*> <$- $-> <$*> $| <$*>	$@ <$5> <$4>

## AccessUser: "user@" keys, for any of our domains; with +detail also
## user+*@, then user@.
_cf_S(`AccessUser')
R<$+> <$*> <$- $-> <$*>		$: <$1> <$2> <$3 $4> <$5> $| $>AccessTry $3 $4 $| $1
R<$+ + $* @> <$*> <$- $-> <$*> $| <?>	$: <$1+$2@> <$3> <$4 $5> <$6> $| $>AccessTry $4 $5 $| $1+*@
R<$+ + $* @> <$*> <$- $-> <$*> $| <?>	$: <$1+$2@> <$3> <$4 $5> <$6> $| $>AccessTry $4 $5 $| $1@
_cf_access_finish(`$+', `$*')

##
## KeyList: "<letters> address" -- the keys an access search tries, in the
## order of the letters: F user@domain, U user@ (the whole address when it
## has no domain), D domain, E the empty key.  F and D need a domain.
##
_cf_S(`KeyList')
R<$*> $*			$@ $>KeyNext <$1> $2 $|
_cf_S(`KeyNext')
R<> $* $| $*			$@ $2
R<F $*> $* < @ $* > $| $*	$@ $>KeyNext <$1> $2 < @ $3 > $| $4 <F:$2@$3>
R<U $*> $* < @ $* > $| $*	$@ $>KeyNext <$1> $2 < @ $3 > $| $4 <U:$2@>
R<U $*> $* $| $*		$@ $>KeyNext <$1> $2 $| $3 <U:$2@>
R<D $*> $* < @ $* > $| $*	$@ $>KeyNext <$1> $2 < @ $3 > $| $4 <D:$3>
R<E $*> $* $| $*		$@ $>KeyNext <$1> $2 $| $3 <E:>
R<$- $*> $*			$@ $>KeyNext <$2> $3

##
## AccessVerdict: "<check> $| <value> rest" -- what a value other than OK/RELAY
## means to the client, sender or recipient check: REJECT refuses (with
## confRCPTREJ_MSG for recipients, confREJECT_MSG otherwise), DISCARD
## accepts and drops, QUARANTINE:reason holds the message, ERROR:[x.y.z:]text
## and any other text refuse with that text, a temporary map failure
## refuses for now.
##
_cf_S(`AccessVerdict')
R<rcpt> $| <REJECT> $*		$#error $@ 5.2.1 $: confRCPTREJ_MSG
R<$-> $| <REJECT> $*		$#error $@ 5.7.1 $: confREJECT_MSG
R<$-> $| <DISCARD> $*		$#discard $: discard
R<$-> $| <QUARANTINE:$+> $*	$#error $@ quarantine $: $2
R<$-> $| <ERROR:$-.$-.$-:$+> $*	$#error $@ $2.$3.$4 $: $5
R<$-> $| <ERROR:$+> $*		$#error $: $2
R<$-> $| <$* <TMPF>> $*		$#error $@ 4.3.0 $: _cf_tmpf
R<$-> $| <$+> $*		$#error $: $2

##
## AccessSearch: "< flag Tag > $| <F:key> <U:key> <D:key> ... <>" tries
## the lookups in order (F full address, U user@, D domain, E exact) and
## returns "<value>" of the first that matches, "<?>" when none does.
## $={Src} lists the kinds of lookup a list entry may name.
##
C{Src}E F D U`'ifelse(ifdef(`_cf_feat_conncontrol', `1')ifdef(`_cf_feat_ratecontrol', `1'), `', `', ` A')
_cf_S(`AccessSearch')
R<$+> $| <$={Src}:$*> <$*>	$: <$1> $| <$4> $| $>AccessLookup <$2> <$3> <?> <$1> <>
R<$+> $| <> $| <?> <>	$@ <?>
R<$+> $| <$+> $| <?> <>	$@ $>AccessSearch <$1> $| <$2>
R<$+> $| <$*> $| <$+> <>	$@ <$3>
R<$+> $| <$+>		$@ <$2>

## AccessLookup: "< kind > lookup arguments" -- the lookup of that kind.
_cf_S(`AccessLookup')
R<F> $*			$@ $>AccessFull $1
R<U> $*			$@ $>AccessUser $1
R<D> $*			$@ $>AccessDomain $1
R<E> $*			$@ $>AccessExact $1
R<A> $*			$@ $>AccessAddr $1
')dnl
