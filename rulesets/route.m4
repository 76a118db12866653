dnl route.m4 -- routing: which mailer, host and user an address goes to.
dnl
##
## ======================================================================
## Routing ("Route", the last step of ruleset 0)
##
## Input: a checked address "user < @ domain . >" or a bare local name.
## Output: the delivery triple.  In this order:
##  - address literals [a.b.c.d] go straight there, or to the smart host;
##  - virtual users (FEATURE(virtusertable)) are looked up for our own and
##    virtual domains and replaced by their target, which is parsed anew;
##  - names in our own domains are local;
##  - the mailer table (FEATURE(mailertable)) may name mailer and host;
##  - mailer-specific pseudo-domains (.UUCP, POP, .FAX, .USENET);
##  - LOCAL_NET_CONFIG rules of the site;
##  - everything else goes to the smart host $S when there is one, and
##    otherwise directly by SMTP to the domain.
## ======================================================================
##
_cf_S(`Route')
ifdef(`_cf_feat_ldap_routing', `dnl
## LDAP routing for the LDAPROUTE_DOMAIN domains (and their equivalents,
## looked up under the masquerade name).
R$+ < @ $={LDAPRoute} . >	$: $>LDAPExpand <$1 < @ $2 . >> <$1 @ $2> <>
R$+ < @ $={LDAPRouteEquiv} . >	$: $>LDAPExpand <$1 < @ $2 . >> <$1 @ $M> <>
')dnl
R$* < @ [ $+ ] > $*	$: $>ParseLocal $1 < @ [ $2 ] > $3
R$* < @ [ $+ ] > $*	$: $1 < @ [ $2 ] : $S > $3
R$* < @ [ $+ ] : > $*	$#confSMTP_MAILER $@ [$2] $: $1 < @ [$2] > $3
R$* < @ [ $+ ] : $- : $*> $*	$#$3 $@ $4 $: $1 < @ [$2] > $5
R$* < @ [ $+ ] : $+ > $*	$#confSMTP_MAILER $@ $3 $: $1 < @ [$2] > $4
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
ifdef(`_cf_feat_stickyhost', `dnl
## user@ourname is local, unless the mail hub takes it.
R$+ < @ $=w . >		$: < $H > $1 < @ $2 . >
R< $+ > $+ < $+ >	$>ToTriple < $1 > $2 < $3 >
R< > $+ + $* < $+ >	$#confLOCAL_MAILER $: $1 + $2
R< > $+ < $+ >		$#confLOCAL_MAILER $: @ $1
', `dnl
## Our own domains: local delivery.  Members of $=L are handed over with
## a leading @ so that they skip the localaddr ruleset.
R$=L < @ $=w . >	$#confLOCAL_MAILER $: @ $1
R$+ < @ $=w . >		$#confLOCAL_MAILER $: $1
')dnl
ifdef(`_cf_feat_bestmx_is_local', `dnl
## Domains for which we are the best MX are treated as local.
ifelse(defn(`_cf_bestmx_domains'), `', `dnl
R$* < @ $* > $*			$: $1 < @ $2 @@ $(bestmx $2 $) > $3
', `dnl
R$* < @ $* $=B . > $*		$: $1 < @ $2 $3 . @@ $(bestmx $2 $3 . $) > $4
')dnl
R$* $=O $* < @ $* @@ $=w . > $*	$@ $>Reparse $1 $2 $3
R< @ $* @@ $=w . > : $*		$@ $>Reparse $3
R$* < @ $* @@ $=w . > $*	$@ $>CanonLocal < $1 >
R$* < @ $* @@ $* > $*		$: $1 < @ $2 > $4
')dnl
ifdef(`_cf_feat_mailertable', `dnl
## The mailer table, keyed by the domain without its trailing dot.
R$* <@ $+ > $*		$: < $2 > $1 < @ $2 > $3
R< $+ . > $*		$: < $1 > $2
R< $+ > $*		$: < $(mailertable $1 $) > $2
R< $~[ : $* > $*	$>ToTriple < $1 : $2 > $3
R< $+ > $*		$: $>MailerTable <$1> $2
')dnl
ifdef(`_cf_mailer_uucp', `dnl
R$* < @ $=Z . UUCP. > $*	$#uucp-uudom $@ $2 $: $1 < @ $2 .UUCP. > $3
R$* < @ $=Y . UUCP. > $*	$#uucp-new $@ $2 $: $1 < @ $2 .UUCP. > $3
R$* < @ $=U . UUCP. > $*	$#uucp-old $@ $2 $: $1 < @ $2 .UUCP. > $3
')dnl
_cf_undivert(4)dnl
ifdef(`BITNET_RELAY', `dnl
R$*<@$+.BITNET.>$*	$: $>ToTriple < $B > $1 <@$2.BITNET.> $3
')dnl
ifdef(`DECNET_RELAY', `dnl
R$*<@$+.DECNET.>$*	$: $>ToTriple < $C > $1 <@$2.DECNET.> $3
')dnl
ifdef(`_cf_mailer_pop', `dnl
R$+ < @ POP. >		$#pop $: $1
')dnl
ifdef(`_cf_mailer_fax', `dnl
R$+ < @ $+ .FAX. >	$#fax $@ $2 $: $1
', `ifdef(`FAX_RELAY', `dnl
R$*<@$+.FAX.>$*		$: $>ToTriple < $F > $1 <@$2.FAX.> $3
')')dnl
ifdef(`UUCP_RELAY', `dnl
R$*<@$*.UUCP.>$*	$: $>ToTriple < $Y > $1 <@$2.UUCP.> $3
', `ifdef(`_cf_mailer_uucp', `dnl
R$* < @ $+ .UUCP. > $*		$#confUUCP_MAILER $@ $2 $: $1 < @ $2 .UUCP. > $3
')')dnl
ifdef(`_cf_mailer_usenet', `dnl
R$+ . USENET		$#usenet $@ usenet $: $1
')dnl
_cf_undivert(1)dnl
## Remote: the smart host if any, else the domain itself.
R$* < @ $* > $*		$: $>ToTriple < $S > $1 < @ $2 > $3
R$* < @$* > $*		$#confSMTP_MAILER $@ $2 $: $1 < @ $2 > $3
## Bare names are local.
R$=L			$#confLOCAL_MAILER $: @ $1
R$+			$#confLOCAL_MAILER $: $1

ifdef(`_cf_feat_virtusertable', `dnl
##
## VirtUser: look "user < @ domain . >" up in the virtual user table when
## the domain is ours or virtual.  Returns "< target > address" when found,
## the address unchanged otherwise.  Keys tried, first match wins:
##	user+detail@domain, then for user+detail: user++@domain (detail not
##	empty), user+*@domain, user@domain; then the domain catch-alls
##	++@domain, +*@domain, @domain.
## In the target %1 is the user, %2 the detail and %3 "+detail".
##
_cf_S(`VirtUser')
R$+			$: <?> $1
ifdef(`_cf_feat_virtuser_entire_domain', `dnl
R<?> $+ < @ $* $={VirtHost} . >	$: < $(virtuser $1 @ $2 $3 $@ $1 $: @ $) > $1 < @ $2 $3 . >
', `dnl
R<?> $+ < @ $={VirtHost} . >	$: < $(virtuser $1 @ $2 $@ $1 $: @ $) > $1 < @ $2 . >
')dnl
R<?> $+ < @ $=w . >	$: < $(virtuser $1 @ $2 $@ $1 $: @ $) > $1 < @ $2 . >
R<@> $+ + $+ < @ $* . >	$: < $(virtuser $1 + + @ $3 $@ $1 $@ $2 $@ +$2 $: @ $) > $1 + $2 < @ $3 . >
R<@> $+ + $* < @ $* . >	$: < $(virtuser $1 + * @ $3 $@ $1 $@ $2 $@ +$2 $: @ $) > $1 + $2 < @ $3 . >
R<@> $+ + $* < @ $* . >	$: < $(virtuser $1 @ $3 $@ $1 $@ $2 $@ +$2 $: @ $) > $1 + $2 < @ $3 . >
R<@> $+ + $+ < @ $+ . >	$: < $(virtuser + + @ $3 $@ $1 $@ $2 $@ +$2 $: @ $) > $1 + $2 < @ $3 . >
R<@> $+ + $* < @ $+ . >	$: < $(virtuser + * @ $3 $@ $1 $@ $2 $@ +$2 $: @ $) > $1 + $2 < @ $3 . >
R<@> $+ + $* < @ $+ . >	$: < $(virtuser @ $3 $@ $1 $@ $2 $@ +$2 $: ! $) > $1 + $2 < @ $3 . >
R<@> $+ < @ $+ . >	$: < $(virtuser @ $2 $@ $1 $: @ $) > $1 < @ $2 . >
R<@> $+			$: $1
R<!> $+			$: $1
R<?> $+			$: $1
')dnl

ifdef(`_cf_feat_mailertable', `dnl
##
## MailerTable: "<domain> address" -- try ".parent" keys from the most to
## the least specific, then the "." catch-all.  %0 in the value is the
## part of the domain that was cut off, %1 its first label.
##
_cf_S(`MailerTable')
R$* <$- . $+ > $*	$: $1$2 < $(mailertable .$3 $@ $1$2 $@ $2 $) > $4
R$* <$~[ : $* > $*	$>ToTriple < $2 : $3 > $4
R$* < . $+ > $*		$@ $>MailerTable $1 . <$2> $3
R$* < $* > $*		$: < $(mailertable . $@ $1$2 $) > $3
R< $~[ : $* > $*	$>ToTriple < $1 : $2 > $3
R< $* > $*		$@ $2
')dnl

ifdef(`_cf_feat_bcc', `dnl
## ParseBcc (FEATURE(bcc)): for a blind copy (addr_type "e b") the
## copy goes to the relay in $A.
_cf_S(`ParseBcc')
R$+			$: $&{addr_type} $| $&A $| $1
Re b $| $+ $| $+	$>ToTriple < $1 > $2
R$* $| $* $| $+		$@ $3
')dnl

ifdef(`_cf_feat_ldap_routing', `dnl
##
## LDAPExpand: "<address> <key> <detail>" -- the mailRoutingAddress
## replaces the address, mailHost names the host that takes it (ourselves:
## parse the new address); neither found: try @domain, then give up
## (bounce or pass the address through, as configured).
##
_cf_S(`LDAPExpand')
R<$+><$+><$*>	$: <$(ldapmra $2 $: $)> <$(ldapmh $2 $: $)> <$1> <$2> <$3>
R<$* <TMPF>> <$*> <$+> <$+> <$*>	$: $&{opMode} $| TMPF <$&{addr_type}> $| $3
R<$*> <$* <TMPF>> <$+> <$+> <$*>	$: $&{opMode} $| TMPF <$&{addr_type}> $| $3
ifelse(defn(`_cf_ldap_tempfail'), `1', `dnl
R$={SMTPOpModes} $| TMPF <e r> $| $+	$#error $@ 4.3.0 $: _cf_tmpf
')dnl
R$* $| TMPF <$*> $| $+			$@ $3
R<$+> <$=w> <$+> <$+> <$*>	$@ $>ParseSyntax $>canonify $1
R<$+> <> <$+> <$+> <$*>		$@ $>ParseSyntax $>canonify $1
R<$+> <$+> <$+> <$+> <$*>	$#relay $@ $2 $: $>canonify $1
R<> <$=w> <$+> <$+> <$*>	$@ $2
R<> <$+> <$+> <$+> <$*>		$#relay $@ $1 $: $2
ifelse(defn(`_cf_ldap_nodomain'), `1', `dnl
R<> <> <$+> <$+ @ $+> <$*>	$: <> <> <$1> <@ $3> <$4>
', `dnl
R<> <> <$+> <$+ @ $+> <$*>	$@ $>LDAPExpand <$1> <@ $3> <$4>
')dnl
ifelse(defn(`_cf_ldap_bounce'), `1', `dnl
R<> <> <$+> <@ $+> <$*>		$: <?> < $&{addr_type} > < $1 >
R<?> <e r> <$+>			$#error $@ nouser $: "550 User unknown"
R<?> <$*> <$+>			$@ $2
', `dnl
R<> <> <$+> <@ $+> <$*>		$@ $1
')dnl
')dnl

##
## ToTriple: "< relay > address" to a delivery triple.  The relay is
## "mailer:host", "mailer:user@host", "local:user", "error:code message",
## a bare host (the relay mailer is used), empty (no relay: the address
## is returned as it is) or one of our names (likewise).
##
SToTriple=95
R< > $*				$@ $1
R< error : $-.$-.$- : $+ > $*	$#error $@ $1.$2.$3 $: $4
R< error : $- : $+ > $*		$#error $@ $(dequote $1 $) $: $2
R< error : $+ > $*		$#error $: $1
R< local : $* > $*		$>CanonLocal < $1 > $2
R< $~[ : $+ @ $+ > $*<$*>$*	$# $1 $@ $3 $: $2<@$3>
R< $~[ : $+ > $*		$# $1 $@ $2 $: $3
R< $=w > $*			$@ $2
R< $+ > $*			$#confRELAY_MAILER $@ $1 $: $2

##
## CanonLocal: "< user >" from "local:user" and the address.  Routes
## through us are parsed again; otherwise the local mailer gets the named
## user (or the original user) with the original address as host part.
##
_cf_S(`CanonLocal')
R< $* > < @ $+ > : $+		$@ $>Reparse $3
R< $* > $+ $=O $+ < @ $+ >	$@ $>Reparse $2 $3 $4
R< $* > $* < @ $* . >		$: < $1 > $2 < @ $3 >
R< > $* < @ $* > $*		$#confLOCAL_MAILER $@ $1@$2 $: $1
R< > $+				$#confLOCAL_MAILER $@ $1    $: $1
R< $+ @ $+ > $* < @ $* >	$: < $1 > $3 < @ $4 >
R< $+ > $* <@ $* > $*		$#confLOCAL_MAILER $@ $2@$3 $: $1
R< $+ > $*			$#confLOCAL_MAILER $@ $2    $: $1

## Reparse: canonify and parse a new address (a table target).
SReparse=97
R$*			$: $>canonify $1
R$*			$@ $>parse $1
