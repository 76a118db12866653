dnl route.m4 -- routing: which mailer, host and user an address goes to.
dnl
##
## ======================================================================
## Routing ("Route", the last step of ruleset 0)
##
## Input: a checked address "user < @ domain . >" or a bare local name.
## Output: the delivery triple.  Each step either answers with a triple
## (which ends the ruleset) or hands the address on:
##  - address literals [a.b.c.d] go straight there, or to the smart host
##    (RouteLiteral);
##  - virtual users (FEATURE(virtusertable)) are replaced by their target,
##    which is parsed anew;
##  - names in our own domains are local (RouteLocal);
##  - the mailer table (FEATURE(mailertable), RouteTable);
##  - UUCP neighbours, the relays for pseudo-domains (RelayFor), POP, FAX,
##    USENET; LOCAL_NET_CONFIG rules of the site;
##  - everything else goes to the smart host $S when there is one, and
##    otherwise directly by SMTP to the domain.
## ======================================================================
##
_cf_S(`Route')
ifdef(`_cf_feat_ldap_routing', `dnl
## LDAP routing for the LDAPROUTE_DOMAIN domains (and their equivalents,
## looked up under the masquerade name).
R$+ < @ $+ . >		$: $>LDAPRouted $1 < @ $2 . >
')dnl
R$* < @ [ $+ ] > $*	$: $>RouteLiteral $1 < @ [ $2 ] > $3
ifdef(`_cf_feat_virtusertable', `dnl
## Virtual users: a target found in the table is parsed as a new address.
R$+			$: $>VirtUser $1
R< error : $-.$-.$- : $+ > $*	$#error $@ $1.$2.$3 $: $4
R< error : $- $+ > $*	$#error $@ $(dequote $1 $) $: $2
R< $+ > $+ < @ $+ >	$: $>Reparse $1
')dnl
ifdef(`_cf_mailer_usenet', `dnl
R$+ . USENET < @ $=w . >	$#usenet $@ usenet $: $1
')dnl
R$+ < @ $=w . >		$: $>RouteLocal $1 < @ $2 . >
ifdef(`_cf_feat_bestmx_is_local', `dnl
## Domains for which we are the best MX are treated as local.
ifelse(defn(`_cf_bestmx_domains'), `', `dnl
R$* < @ $* > $*			$: $1 < @ $2 > $3 $| $(bestmx $2 $)
', `dnl
R$* < @ $* $=B . > $*		$: $1 < @ $2 $3 . > $4 $| $(bestmx $2 $3 . $)
')dnl
R$* $=O $* < @ $* > $* $| $=w .	$@ $>Reparse $1 $2 $3
R< @ $* > : $* $| $=w .		$@ $>Reparse $2
R$* < @ $* > $* $| $=w .	$@ $>CanonLocal < $1 >
R$* $| $*			$: $1
')dnl
ifdef(`_cf_feat_mailertable', `dnl
R$* < @ $+ > $*		$: $>RouteTable $1 < @ $2 > $3
')dnl
ifdef(`_cf_mailer_uucp', `dnl
## our UUCP neighbours
R$* < @ $+ . $- . > $*		$: $1 < @ $2 . $3 . > $4 $| $>UucpMailer $3 $| $2
R$* < @ $+ . $- . > $* $| $-	$#$5 $@ $2 $: $1 < @ $2 .UUCP. > $4
R$* $| $*			$: $1
')dnl
_cf_undivert(4)dnl
ifelse(ifdef(`BITNET_RELAY', `1')ifdef(`DECNET_RELAY', `1')ifdef(`UUCP_RELAY', `1')ifdef(`_cf_mailer_fax', `', `ifdef(`FAX_RELAY', `1')'), `', `', `dnl
## relays for pseudo-domains: user@host.BITNET goes to $B, and so on
R$* < @ $+ . $- . > $*		$: $1 < @ $2 . $3 . > $4 $| $>RelayFor $3
R$* < @ $+ . $- . > $* $| <$*> $-	$: $>ToTriple < $5 > $1 < @ $2 . $6 . > $4
R$* $| $*			$: $1
')dnl
ifdef(`_cf_mailer_pop', `dnl
R$+ < @ POP. >		$#pop $: $1
')dnl
ifdef(`_cf_mailer_fax', `dnl
R$+ < @ $+ .FAX. >	$#fax $@ $2 $: $1
')dnl
ifdef(`UUCP_RELAY', `', `ifdef(`_cf_mailer_uucp', `dnl
R$* < @ $+ .UUCP. > $*		$#confUUCP_MAILER $@ $2 $: $1 < @ $2 .UUCP. > $3
')')dnl
ifdef(`_cf_mailer_usenet', `dnl
R$+ . USENET		$#usenet $@ usenet $: $1
')dnl
_cf_undivert(1)dnl
## Remote: the smart host if any, else the domain itself.
R$* < @ $* > $*		$: $>ToTriple < $S > $1 < @ $2 > $3
R$* < @ $* > $*		$#confSMTP_MAILER $@ $2 $: $1 < @ $2 > $3
R$+			$@ $>LocalTriple $1

## LocalTriple: "user" for the local mailer; the names of $=L (LOCAL_USER)
## get a leading @ so that they skip the localaddr ruleset.
_cf_S(`LocalTriple')
R$=L			$#confLOCAL_MAILER $: @ $1
R$+			$#confLOCAL_MAILER $: $1

## RouteLiteral: "user < @ [address] >" -- there directly (smtp), or through
## the smart host when there is one.  The site rules of LOCAL_RULE_0 see
## it first.
_cf_S(`RouteLiteral')
R$*				$: $>ParseLocal $1
R$* < @ [ $+ ] > $*		$: <$S> $1 < @ [ $2 ] > $3
R<> $* < @ [ $+ ] > $*		$#confSMTP_MAILER $@ [$2] $: $1 < @ [$2] > $3
R<$- : $*> $* < @ [ $+ ] > $*	$#$1 $@ $2 $: $3 < @ [$4] > $5
R<$+> $* < @ [ $+ ] > $*	$#confSMTP_MAILER $@ $1 $: $2 < @ [$3] > $4

## RouteLocal: "user < @ ourname . >" -- the local mailer (with
## FEATURE(stickyhost): the mail hub takes users named with a domain).
_cf_S(`RouteLocal')
ifdef(`_cf_feat_stickyhost', `dnl
R$+ < @ $=w . >		$: $1 < @ $2 . > $| <$H>
R$+ + $* < @ $+ > $| <>	$#confLOCAL_MAILER $: $1 + $2
R$+ < @ $+ > $| <>	$#confLOCAL_MAILER $: @ $1
R$* $| <$+>		$@ $>ToTriple < $2 > $1
', `dnl
R$+ < @ $=w . >		$@ $>LocalTriple $1
')dnl

ifdef(`_cf_mailer_uucp', `dnl
## UucpMailer: "UUCP $| host" -- the mailer for a UUCP neighbour of $=Z,
## $=Y or $=U.
_cf_S(`UucpMailer')
RUUCP $| $=Z		$@ uucp-uudom
RUUCP $| $=Y		$@ uucp-new
RUUCP $| $=U		$@ uucp-old
R$*			$@ <>
')dnl

## RelayFor: "pseudo-domain" -- "<relay> NAME" (the name in its usual
## spelling) when a relay is set for it.
_cf_S(`RelayFor')
ifdef(`BITNET_RELAY', `dnl
RBITNET			$@ <$B> BITNET
')dnl
ifdef(`DECNET_RELAY', `dnl
RDECNET			$@ <$C> DECNET
')dnl
ifdef(`_cf_mailer_fax', `', `ifdef(`FAX_RELAY', `dnl
RFAX			$@ <$F> FAX
')')dnl
ifdef(`UUCP_RELAY', `dnl
RUUCP			$@ <$Y> UUCP
')dnl
R$*			$@

ifdef(`_cf_feat_virtusertable', `dnl
##
## VirtUser: look "user < @ domain . >" up in the virtual user table when
## the domain is ours or virtual.  Returns "< target > address" when found,
## the address unchanged otherwise.  Keys tried, first match wins:
##	user+detail@domain; then for user+detail: user++@domain (detail not
##	empty), user+*@domain, user@domain, ++@domain, +*@domain; and
##	@domain in any case.
## In the target %1 is the user, %2 the detail and %3 "+detail".
##
_cf_S(`VirtUser')
R$+ < @ $+ . >			$: $1 < @ $2 . > $| $>VirtDomain $2
R$+ $| yes			$: <vu> $1
R$+ $| $*			$@ $1
R<vu> $+ < @ $+ . >		$: < $(virtuser $1 @ $2 $@ $1 $: ? $) > $1 < @ $2 . >
R<?> $+ + $* < @ $+ . >		$@ $>VirtDetail $1 + $2 < @ $3 . >
R<?> $+ < @ $+ . >		$: < $(virtuser @ $2 $@ $1 $: ? $) > $1 < @ $2 . >
R<?> $*				$@ $1

## VirtDetail: "user + detail < @ domain . >" -- the keys with the detail
## taken off or generalised, looked up in turn.
_cf_S(`VirtDetail')
R$+ + $+ < @ $+ . >	$: <$1++@$3> <$1+*@$3> <$1@$3> <++@$3> <+*@$3> <@$3> $| $1 $| $2 $| $1 + $2 < @ $3 . > $| ?
R$+ + < @ $+ . >	$: <$1+*@$2> <$1@$2> <+*@$2> <@$2> $| $1 $| $| $1 + < @ $2 . > $| ?
R<$*> $* $| $* $| $* $| $* $| ?		$2 $| $3 $| $4 $| $5 $| $(virtuser $1 $@ $3 $@ $4 $@ +$4 $: ? $)
R$* $| $* $| $* $| $* $| ?		$@ $4
R$* $| $* $| $* $| $* $| $+		$@ < $5 > $4

## VirtDomain: "domain" -- yes for our names and the VIRTUSER_DOMAIN ones.
_cf_S(`VirtDomain')
R$=w			$@ yes
ifdef(`_cf_feat_virtuser_entire_domain', `dnl
R$* $={VirtHost}	$@ yes
', `dnl
R$={VirtHost}		$@ yes
')dnl
R$*			$@ no
')dnl

ifdef(`_cf_feat_mailertable', `dnl
##
## RouteTable: the mailer table, keyed by the domain without its trailing
## dot; then (MailerTable) ".parent" keys from the most to the least
## specific, then the "." catch-all.  %0 in a value is the part of the
## domain that was cut off, %1 its first label.  A value that names no
## mailer ("mailer:host") counts as a domain to look up further.
##
_cf_S(`RouteTable')
R$* < @ $+ > $*		$: $1 < @ $2 > $3 $| $>NoDot $2
R$* $| $+		$: $1 $| $(mailertable $2 $)
R$* $| $~[ : $*		$@ $>ToTriple < $2 : $3 > $1
R$* $| $+		$@ $>MailerTable <$2> $1

_cf_S(`NoDot')
R$+ .			$@ $1

_cf_S(`MailerTable')
R<$+> $*		$@ $>TableWalk $| <$1> $2
_cf_S(`TableWalk')
R$* $| <$- . $+> $*	$: $1 $2 $| <$(mailertable .$3 $@ $1$2 $@ $2 $)> $4
R$* $| <$~[ : $*> $*	$@ $>ToTriple < $2 : $3 > $4
R$* $| <. $+> $*	$@ $>TableWalk $1 . $| <$2> $3
R$* $| <$*> $*		$: <$(mailertable . $@ $1$2 $)> $3
R<$~[ : $*> $*		$@ $>ToTriple < $1 : $2 > $3
R<$*> $*		$@ $2
')dnl

ifdef(`_cf_feat_bcc', `dnl
## ParseBcc (FEATURE(bcc)): a blind copy (addr_type "e b") goes to the
## relay in $A.
_cf_S(`ParseBcc')
R$+			$: $&{addr_type} $| $1
Re b $| $+		$@ $>ToTriple < $&A > $1
R$* $| $+		$@ $2
')dnl

ifdef(`_cf_feat_ldap_routing', `dnl
## LDAPRouted: an address in an LDAPROUTE_DOMAIN domain (or in one of
## their equivalents, looked up under the masquerade name) goes through
## LDAPExpand.
_cf_S(`LDAPRouted')
R$+ < @ $={LDAPRoute} . >	$@ $>LDAPExpand <$1 < @ $2 . >> <$1 @ $2> <>
R$+ < @ $={LDAPRouteEquiv} . >	$@ $>LDAPExpand <$1 < @ $2 . >> <$1 @ $M> <>

##
## LDAPExpand: "<address> <key> <detail>".  The mailRoutingAddress
## replaces the address, mailHost names the host that takes it (ourselves:
## parse the new address); neither found: try @domain, then give up
## (bounce or pass the address through, as configured).
##
_cf_S(`LDAPExpand')
R<$+> <$+> <$*>				$: <$1> <$2> <$3> $| <$(ldapmra $2 $: $)> <$(ldapmh $2 $: $)>
R<$+> <$+> <$*> $| <$* <TMPF>> <$*>	$@ $>LDAPTmp $1
R<$+> <$+> <$*> $| <$*> <$* <TMPF>>	$@ $>LDAPTmp $1
R<$+> <$+> <$*> $| <$+> <$=w>		$@ $>Again $4
R<$+> <$+> <$*> $| <$+> <>		$@ $>Again $4
R<$+> <$+> <$*> $| <$+> <$+>		$#relay $@ $5 $: $>canonify $4
R<$+> <$+> <$*> $| <> <$=w>		$@ $1
R<$+> <$+> <$*> $| <> <$+>		$#relay $@ $4 $: $1
ifelse(defn(`_cf_ldap_nodomain'), `1', `dnl
R<$+> <$+ @ $+> <$*> $| <> <>		$: <$1> <@ $3> <$4> $| <> <>
', `dnl
R<$+> <$+ @ $+> <$*> $| <> <>		$@ $>LDAPExpand <$1> <@ $3> <$4>
')dnl
ifelse(defn(`_cf_ldap_bounce'), `1', `dnl
R<$+> <@ $+> <$*> $| <> <>		$: $&{addr_type} $| $1
Re r $| $+				$#error $@ nouser $: "550 User unknown"
R$* $| $+				$@ $2
', `dnl
R<$+> <@ $+> <$*> $| <> <>		$@ $1
')dnl

## LDAPTmp: the LDAP server did not answer: a temporary error for an SMTP
## recipient when so configured, else the address as it is.
_cf_S(`LDAPTmp')
ifelse(defn(`_cf_ldap_tempfail'), `1', `dnl
R$+			$: $&{opMode} $| $&{addr_type} $| $1
R$={SMTPOpModes} $| e r $| $+	$#error $@ 4.3.0 $: _cf_tmpf
R$* $| $* $| $+		$@ $3
')dnl
')dnl

##
## ToTriple: "< relay > address" to a delivery triple.  The relay is
## "mailer:host", "mailer:user@host", "local:user", "error:code message",
## a bare host (the relay mailer is used), empty (no relay: the address
## is returned as it is) or one of our names (likewise).
##
SToTriple=95
R< $=w > $*			$: < > $2
R< > $*				$@ $1
R< error : $+ > $*		$@ $>ErrorTriple $1
R< local : $* > $*		$@ $>CanonLocal < $1 > $2
R< $~[ : $+ > $*		$@ $>ViaMailer $1 $| $2 $| $3
R< $+ > $*			$@ $>ViaMailer confRELAY_MAILER $| $1 $| $2

## ViaMailer: "mailer $| host $| address"; a host given as user@host
## names the user too (when the address is focused).
_cf_S(`ViaMailer')
R$- $| $+ @ $+ $| $* < $* > $*	$# $1 $@ $3 $: $2 < @ $3 >
R$- $| $+ $| $*			$# $1 $@ $2 $: $3

## ErrorTriple: "x.y.z:text", "code:text" or "text" to an error triple.
_cf_S(`ErrorTriple')
R$-.$-.$- : $+			$#error $@ $1.$2.$3 $: $4
R$- : $+			$#error $@ $(dequote $1 $) $: $2
R$+				$#error $: $1

##
## CanonLocal: "< user >" from "local:user", and the address.  Routes
## through us are parsed again; otherwise the local mailer gets the named
## user (or, when none is named, the local part) with the original address
## as host part.
##
_cf_S(`CanonLocal')
R< $* > < @ $+ > : $+		$@ $>Reparse $3
R< $* > $+ $=O $+ < @ $+ >	$@ $>Reparse $2 $3 $4
R< $+ @ $+ > $* < @ $* >	$: < $1 > $3 < @ $4 >
R< > $+ < @ $* > $*		$: < $1 > $1 < @ $2 > $3
R< > $+				$: < $1 > $1
R< $* > $*			$@ $>LocalAt $1 $| $2

## LocalAt: "user $| address" -- the local mailer for user, the address
## (without its trailing dot) as host part.
_cf_S(`LocalAt')
R$* $| $* < @ $* . >		$: $1 $| $2 < @ $3 >
R$| < @ $* > $*			$#confLOCAL_MAILER $@ @$1 $:
R$+ $| $* < @ $* > $*		$#confLOCAL_MAILER $@ $2@$3 $: $1
R$+ $| $*			$#confLOCAL_MAILER $@ $2 $: $1

## Reparse: canonify and parse a new address (a table target).
SReparse=97
R$*			$@ $>parse $>canonify $1
