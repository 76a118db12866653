dnl access.m4 -- lookups in the access map (FEATURE(access_db)).
ifdef(`_cf_feat_access_db', `dnl
##
## ======================================================================
## The access map
##
## Keys are tagged by what they describe -- "Connect:" (client), "From:"
## (sender), "To:" (recipient), "Spam:", ... -- and may also be given
## without a tag.  Values: OK, RELAY, REJECT, DISCARD, SKIP,
## QUARANTINE:reason, ERROR:[x.y.z:]nnn text, or a bare "nnn text".
##
## A lookup is done in two steps: the candidate keys for what is looked up
## (DomainKeys, AddrKeys, ...: from the most to the least specific), then
## AccessFirst tries them in turn.  The lookup rulesets are called as
##	< what > < default > < flag Tag > < passthrough >
## where flag "+" also tries each key without its tag and "!" does not,
## and answer "< value > < passthrough >", "< default > < passthrough >"
## when no key is listed, or "< <TMPF> > < passthrough >" when the map
## failed for the moment.
## ======================================================================
##

## AccessTry: "flag Tag $| key" -- the value for Tag:key (flag +: then for
## the key alone); "<?>" when neither is listed.
_cf_S(`AccessTry')
R+ $- $| $+		$: <$(access $1:$2 $: ? $)> $| $2
R<?> $| $+		$@ <$(access $1 $: ? $)>
R<$*> $| $*		$@ <$1>
R$- $- $| $*		$@ <$(access $2:$3 $: ? $)>

## AccessFirst: "<default> <flag Tag> <passthrough> $| <key> <key> ...".
## AccessProbe looks the keys up in turn until one is listed (a loop, not
## one recursion per key); AccessPick turns its answer into the result.
_cf_S(`AccessFirst')
R<$*> <$- $-> <$*> $| $*	$@ $>AccessPick <$1> <$4> $| $>AccessProbe <$2 $3> $5 $| <?>

_cf_S(`AccessProbe')
R<$- $-> <$*> <$*> $* $| <?>	<$1 $2> <$4> $5 $| $>AccessTry $1 $2 $| $3
R<$- $-> <$*> $| <?>		$: <$1 $2> $| $>AccessTry $1 $2 $| $3
R<$- $-> $* $| $*		$@ $4

_cf_S(`AccessPick')
R<$*> <$*> $| <?>		$@ <$1> <$2>
R<$*> <$*> $| <$* <TMPF>>	$@ <<TMPF>> <$2>
R<$*> <$*> $| <$*>		$@ <$3> <$2>

## AccessDomain: a host name, (FEATURE(lookupdotdomain): .parent,) then
## the parent domains; an address literal [a.b.c.d] and its prefixes.
## Without a name only the bare Tag: key is tried, and the answer keeps
## the arguments: "< value > <> < default > < flag Tag > < passthrough >".
_cf_S(`AccessDomain')
R<> <$+> <$- $-> <$*>		$: <$1> <$2 $3> <$4> $| $>AccessTry $2 $3 $|
R<$+> <$- $-> <$*> $| <$*>	$@ <$5> <> <$1> <$2 $3> <$4>
R<$+> <$+> <$- $-> <$*>		$@ $>AccessFirst <$2> <$3 $4> <$5> $| $>DomainKeys $1

_cf_S(`DomainKeys')
R$+				$: <$1> $| $1
ifdef(`_cf_feat_lookupdotdomain', `dnl
R<$+> $| $+ . $+		$: <$1> <.$3> $| $2 . $3
')dnl
R$+ $| [ $+ . $- ]		$@ $1 $>DomainKeys [ $2 ]
R$+ $| [ $+ :: $- ]		$@ $1 $>DomainKeys [ $2 ]
R$+ $| [ $+ : $- ]		$@ $1 $>DomainKeys [ $2 ]
R$+ $| $+ . $+			$@ $1 $>DomainKeys $3
R$+ $| $*			$@ $1

## AccessAddr: an IP address and its prefixes (1.2.3.4, 1.2.3, 1.2, 1;
## IPv6:a:b:c, IPv6:a:b, ...).  Without an address nothing is looked up.
_cf_S(`AccessAddr')
R<$+> <$+> <$- $-> <$*>		$@ $>AccessFirst <$2> <$3 $4> <$5> $| $>AddrKeys $1

_cf_S(`AddrKeys')
R$+				$: <$1> $| $1
R$+ $| $+ :: $-			$@ $1 $>AddrKeys $2
R$+ $| $+ : $-			$@ $1 $>AddrKeys $2
R$+ $| $+ . $-			$@ $1 $>AddrKeys $2
R$+ $| $*			$@ $1

## AccessFull: user@domain; for user+detail@domain then user+*@domain and
## user@domain.  AccessUser: the same for "user@" keys.
_cf_S(`AccessFull')
R<$+> <$*> <$- $-> <$*>		$@ $>AccessFirst <$2> <$3 $4> <$5> $| $>FullKeys $1

_cf_S(`FullKeys')
R$+ + $* @ $+			$@ <$1+$2@$3> <$1+*@$3> <$1@$3>
R$+				$@ <$1>

_cf_S(`AccessUser')
R<$+> <$*> <$- $-> <$*>		$@ $>AccessFirst <$2> <$3 $4> <$5> $| $>UserKeys $1

_cf_S(`UserKeys')
R$+ + $* @			$@ <$1+$2@> <$1+*@> <$1@>
R$+				$@ <$1>

## AccessExact: the key as it is.  For the empty key the default does not
## count: its answer is the probe result.
_cf_S(`AccessExact')
R<> <$*> <$- $-> <$*>		$: <$4> $| $>AccessTry $2 $3 $|
R<$*> $| <$* <TMPF>>		$@ <<TMPF>> <$1>
R<$*> $| <$*>			$@ <$2> <$1>
R<$+> <$*> <$- $-> <$*>		$@ $>AccessFirst <$2> <$3 $4> <$5> $| <$1>

##
## KeyList: "<letters> address" -- the keys an access search tries, in the
## order of the letters: F user@domain, U user@ (the whole address when it
## has no domain), D domain, E the empty key; the list ends with "<>".
## F and D need a domain.
##
_cf_S(`KeyList')
R<$*> $*			$@ $>KeyNext <$1> $2 $|
_cf_S(`KeyNext')
R<> $* $| $*			$@ $2 <>
R<F $*> $* < @ $* > $| $*	$@ $>KeyNext <$1> $2 < @ $3 > $| $4 <F:$2@$3>
R<U $*> $* < @ $* > $| $*	$@ $>KeyNext <$1> $2 < @ $3 > $| $4 <U:$2@>
R<U $*> $* $| $*		$@ $>KeyNext <$1> $2 $| $3 <U:$2@>
R<D $*> $* < @ $* > $| $*	$@ $>KeyNext <$1> $2 < @ $3 > $| $4 <D:$3>
R<E $*> $* $| $*		$@ $>KeyNext <$1> $2 $| $3 <E:>
R<$- $*> $*			$@ $>KeyNext <$2> $3

##
## AccessSearch: "< flag Tag > $| <X:key> ... <>" -- the lookups in turn (F
## full address, U user@, D domain, E exact, A address) until one finds
## a value: "<value>", or "<?>" when none does.  AccessLookup runs the
## lookup of one kind.  $={Src} holds the kinds.
##
C{Src}E F D U`'ifelse(ifdef(`_cf_feat_conncontrol', `1')ifdef(`_cf_feat_ratecontrol', `1'), `', `', ` A')
_cf_S(`AccessSearch')
R<$+> $| <$={Src}:$*> <$*>	$: <$1> $| <$4> $| $>AccessLookup <$2> <$3> <?> <$1> <>
R<$+> $| <$*> $| <?> <>		$: <$1> $| <$2> $| <?>
R<$+> $| <> $| <?>		$@ <?>
R<$+> $| <$+> $| <?>		$@ $>AccessSearch <$1> $| <$2>
R<$+> $| <$*> $| <$+> <>	$@ <$3>
R<$+> $| <$+>			$@ <$2>

_cf_S(`AccessLookup')
R<F> $*			$@ $>AccessFull $1
R<U> $*			$@ $>AccessUser $1
R<D> $*			$@ $>AccessDomain $1
R<E> $*			$@ $>AccessExact $1
R<A> $*			$@ $>AccessAddr $1

##
## AccessVerdict: "<who> $| <value> ..." -- what a value other than OK or
## RELAY means to the client, sender or recipient check.  REJECT refuses
## (recipients with confRCPTREJ_MSG, the others with confREJECT_MSG),
## DISCARD accepts and drops, QUARANTINE:reason holds the message,
## ERROR:[x.y.z:]text and any other text refuse with that text, and a
## temporary map failure refuses for now.
##
_cf_S(`AccessVerdict')
R<rcpt> $| <REJECT> $*		$#error $@ 5.2.1 $: confRCPTREJ_MSG
R<$-> $| <$* <TMPF>> $*		$#error $@ 4.3.0 $: _cf_tmpf
R<$-> $| <$*> $*		$: <$2>
R<REJECT>			$#error $@ 5.7.1 $: confREJECT_MSG
R<DISCARD>			$#discard $: discard
R<QUARANTINE:$+>		$#error $@ quarantine $: $1
R<ERROR:$-.$-.$-:$+>		$#error $@ $1.$2.$3 $: $4
R<ERROR:$+>			$#error $: $1
R<$+>				$#error $: $1
')dnl
