dnl relay.m4 -- relay control: may this recipient be accepted from this client?
dnl
##
## ======================================================================
## Relay control
##
## A recipient is accepted (RELAY) when
##  - it is one of ours: our names ($=w), relay domains ($=R, with their
##    subdomains unless FEATURE(relay_hosts_only)), a local name;
##  - or the client may relay: it connected from this machine, from an
##    address or name in $=R, it authenticated with a mechanism in
##    $={TrustAuthMech}, or presented a trusted certificate;
##  - or the access map says RELAY (To:domain for the recipient,
##    Connect:address or name for the client).
## Anything else is refused: "550 Relaying denied".
## ======================================================================
##

## AsParsed: the address as ruleset 0 sees it after canonify.
_cf_S(`AsParsed')
R$*			$: $>ParseSyntax $>canonify $1

## TrimDot: "user < @ domain . >" without the trailing dot(s).
_cf_S(`TrimDot')
R$+ < @ $+ . >		$1 < @ $2 >

##
## RcptTarget: the recipient as relay control judges it.  A route through a
## host we relay for (user%remote@relayable, host!user@relayable) is
## judged by what it leads to; the answer has no trailing dot.
##
_cf_S(`RcptTarget')
R$*			$: $>TrimDot $>AsParsed $1
R$- < @ $* >		$: $(dequote $1 $) < @ $2 >
R$* $=O $* < @ $* >	$@ $>RouteThrough $1 $2 $3 < @ $4 >

## RouteThrough: "route < @ domain >" -- the route when the domain is one
## we relay for, the address as it is otherwise.
_cf_S(`RouteThrough')
R$*				$: <no> $1
ifdef(`_cf_feat_relay_hosts_only', `dnl
R<no> $* < @ $=R >		$: <RELAY> $1 < @ $2 >
ifdef(`_cf_feat_access_db', `dnl
R<no> $* < @ $+ >		$: <$(access To:$2 $: no $)> $1 < @ $2 >
R<no> $* < @ $+ >		$: <$(access $2 $: no $)> $1 < @ $2 >
')', `dnl
R<no> $* < @ $* $=R >		$: <RELAY> $1 < @ $2 $3 >
ifdef(`_cf_feat_access_db', `dnl
R<no> $* < @ $+ >		$: $>AccessDomain <$2> <no> <+ To> <$1 < @ $2 >>
R<$+> <$+>			$: <$1> $2
')')dnl
ifdef(`_cf_feat_relay_entire_domain', `dnl
R<no> $* < @ $* $=m >		$: <RELAY> $1 < @ $2 $3 >
')dnl
ifdef(`_cf_feat_relay_based_on_MX', `dnl
R<no> $* < @ $+ >		$: <mx> < : $(mxserved $2 $) : > < $1 < @ $2 > >
R<mx> < : $* <TEMP> : > $*	$#TEMP $@ 4.4.0 $: "450 Can not check MX records for recipient host " $1
R<mx> < $* : $=w . : $* > < $+ >	$: <RELAY> $4
R<mx> < $* > < $+ >		$: <no> $2
')dnl
R<RELAY> $* < @ $* >		$@ $>RcptTarget $1
R<$*> $*			$@ $2

ifdef(`_cf_feat_blocklist_recipients', `ifdef(`_cf_feat_access_db', `dnl
## RcptKeys: the To: keys of FEATURE(blocklist_recipients) -- user@domain,
## user@ (only for our own domains) and domain; a local name: user@.
_cf_S(`RcptKeys')
R$+ < @ $=w >		$@ $>KeyList <F U D> $1 < @ $2 >
R$+ < @ $* >		$@ $>KeyList <F D> $1 < @ $2 >
R$+			$@ $>KeyList <U> $1
')')dnl

##
## RcptAllowed: is the recipient ours, or may this client send it anywhere?
## RELAY, a triple, or the address when neither holds.
##
_cf_S(`RcptAllowed')
ifdef(`_cf_feat_loose_relay_check', `dnl
R$*			$: $>TrimDot $>AsParsed $1
', `dnl
R$*			$: $>RcptTarget $1
')dnl
ifdef(`_cf_feat_blocklist_recipients', `ifdef(`_cf_feat_access_db', `dnl
## To: entries may refuse a recipient (FEATURE(blocklist_recipients)).
R$+			$: <$1> $| $>AccessSearch <+ To> $| $>RcptKeys $1
R<$*> $| <?>		$: $1
R<$*> $| <$={Accept}>	$: $1
R<$*> $| <$+>		$@ $>AccessVerdict <rcpt> $| <$2> $1
')')dnl
ifdef(`_cf_feat_promiscuous_relay', `', `dnl
## a client certificate, or the AUTH mechanism, may let the client relay
R$*			$: $1 $| $>ByCredentials
R$* $| $#$*		$#$2
R$* $| $*		$: $1
ifdef(`_cf_feat_nouucp', `ifelse(_cf_nouucp_mode, `reject', `dnl
## host!user and user%host are not ours to route: judged as remote names
R$* ! $* < @ $* >	$: $2 < @ BANG_PATH >
R$* ! $*		$: $2 < @ BANG_PATH >
')')dnl
ifdef(`_cf_feat_nopercenthack', `ifelse(_cf_nopercent_mode, `reject', `dnl
R$* % $* < @ $* >	$: $1 < @ PERCENT_HACK >
R$* % $*		$: $1 < @ PERCENT_HACK >
')')dnl
ifdef(`_cf_feat_bestmx_is_local', `dnl
## a domain whose best MX is us counts as ours
ifelse(defn(`_cf_bestmx_domains'), `', `dnl
R$* < @ $* > $*			$: $1 < @ $2 > $3 $| $(bestmx $2 $)
', `dnl
R$* < @ $* $=B > $*		$: $1 < @ $2 $3 > $4 $| $(bestmx $2 $3 $)
')dnl
R$* $=O $* < @ $* > $* $| $=w .	$@ $>RcptAllowed $1 $2 $3
R$* < @ $* > $* $| $=w .	$: $1 < @ $4 > $3
R$* $| $*			$: $1
')dnl
## the domain: ours or one we relay for?
R$+ < @ $+ >		$: $1 < @ $2 > $| $>RelayTarget $2
R$* $| yes		$@ RELAY
R$* $| tmpf		$#TEMP $@ 4.3.0 $: _cf_tmpf
R$* $| mx $+		$#TEMP $@ 4.4.0 $: "450 Can not check MX records for recipient host " $2
R$* $| $*		$: $1
## a local name (no domain) is ours; anything else belongs elsewhere
R$* < @ $+ >		$@ $1 < @ $2 >
R$+			$@ RELAY

## ByCredentials: "$# RELAY" for a trusted client certificate (RelayTLS),
## for the hook Local_Relay_Auth, or for an AUTH mechanism in
## $={TrustAuthMech}; else none.
_cf_S(`ByCredentials')
R$*			$: $>RelayTLS
R$*			$: $>"Local_Relay_Auth" $&{auth_type}
RNO			$@ none
R$*			$: <$&{auth_type}>
R<$={TrustAuthMech}>	$# RELAY
R$*			$@ none

## RelayTarget: "domain" -- yes when it is ours or one we relay for
## ($=R, To: RELAY in the access map, our $=m with relay_entire_domain, an
## MX host of ours with relay_based_on_MX), tmpf or "mx list" for
## temporary failures, no otherwise.
_cf_S(`RelayTarget')
R$=w			$@ yes
ifdef(`_cf_feat_relay_hosts_only', `dnl
R$=R			$@ yes
ifdef(`_cf_feat_access_db', `dnl
R$+			$: <$(access To:$1 $: ? $)> <$1>
R<?> <$+>		$: <$(access $1 $: ? $)> <$1>
')dnl
', `dnl
R$* $=R			$@ yes
ifdef(`_cf_feat_access_db', `dnl
R$+			$: $>AccessDomain <$1> <?> <+ To> <$1>
')dnl
')dnl
ifdef(`_cf_feat_access_db', `dnl
R<RELAY> $*		$@ yes
R<$* <TMPF>> $*		$@ tmpf
R<$*> <$*>		$: $2
')dnl
ifdef(`_cf_feat_relay_entire_domain', `dnl
R$* $=m			$@ yes
')dnl
ifdef(`_cf_feat_relay_based_on_MX', `dnl
R$+			$: < : $(mxserved $1 $) : > $1
R< : $* <TEMP> : > $*	$@ mx $1
R< $* : $=w . : $* > $*	$@ yes
')dnl
R$*			$@ no
')dnl

ifdef(`_cf_feat_promiscuous_relay', `', `dnl
##
## ClientAllowed: may the connected client relay?  RELAY, a triple (a
## temporary failure is already an error), or anything else when it may
## not.  In order: a connection from this
## machine, an address in $=R, a POP-before-SMTP address (FEATURE(drac)),
## Connect: by address in the access map, one of our own addresses, a
## sender in our domains (FEATURE(relay_local_from)) or with a From: RELAY
## entry (FEATURE(relay_mail_from)), then the client name (which must
## resolve) in $=R or the access map.
##
_cf_S(`ClientAllowed')
R$*			$: $>LocalIP $&{client_addr}
Ryes			$@ RELAY
R$*			$: $&{client_addr}
R$=R $*			$@ RELAY
ifdef(`_cf_feat_drac', `dnl
R$*			$: <> $(drac $1 $: <?> $1 $)
R<> <?> $+		$: $1
R<> $+			$@ RELAY
RIPv6:$*		$: <> $(drac $1 $: <?> IPv6:$1 $)
R<> <?> $+		$: $1
R<> $+			$@ RELAY
')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*			$: $>ConnAnswer $>AccessAddr <$1> <?> <+ Connect> <$1>
RRELAY			$@ RELAY
')dnl
R$*			$: <self> [ $1 ]
R<self> $=w		$@ RELAY
ifelse(ifdef(`_cf_feat_relay_local_from', `1')ifdef(`_cf_feat_relay_mail_from', `1'), `', `', `dnl
## the envelope sender may vouch for the client
R$*			$: $>TrimDot $>AsParsed $&f
')dnl
ifdef(`_cf_feat_relay_local_from', `dnl
R$+ < @ $=w >		$@ RELAY
')dnl
ifdef(`_cf_feat_relay_mail_from', `ifdef(`_cf_feat_access_db', `dnl
R$+ < @ $+ >		$: <from> $>AccessSearch <! From> $| $>KeyList <F`'ifelse(_cf_relay_mail_from_domain, `1', ` D')> $1 < @ $2 >
R<from> <RELAY>		$@ RELAY
R<from> <<TMPF>>	$#error $@ 4.3.0 $: _cf_tmpf
')')dnl
R$*			$: $&{client_resolve}
RTEMP			$#error $@ 4.4.0 $: "450 Relaying temporarily denied. Cannot resolve PTR record for " $&{client_addr}
RFORGED			$#error $@ 5.7.1 $: "550 Relaying denied. IP name possibly forged " $&{client_name}
RFAIL			$#error $@ 5.7.1 $: "550 Relaying denied. IP name lookup failed " $&{client_name}
R$*			$: <nm> $>PeerName $&{client_name}
R<nm> $=w		$@ RELAY
ifdef(`_cf_feat_relay_hosts_only', `dnl
R<nm> $=R		$@ RELAY
ifdef(`_cf_feat_access_db', `dnl
R<nm> $+		$: <$(access Connect:$1 $: ? $)> <$1>
R<?> <$+>		$: <$(access $1 $: ? $)> <$1>
')dnl
', `dnl
R<nm> $* $=R		$@ RELAY
ifdef(`_cf_feat_access_db', `dnl
R<nm> $+		$: $>AccessDomain <$1> <?> <+ Connect> <$1>
')dnl
')dnl
ifdef(`_cf_feat_access_db', `dnl
R<$*> <$*>		$: $>ConnAnswer <$1> <$2>
RRELAY			$@ RELAY
')dnl
ifdef(`_cf_feat_relay_entire_domain', `dnl
R<nm> $* $=m		$@ RELAY
')dnl
ifdef(`_cf_feat_block_bad_helo', `dnl
## FEATURE(block_bad_helo): a client that is neither authenticated nor
## local may not greet with our name, our address or an unqualified name.
R$*			$: <$&{auth_authen}>
R<$+>			$@ ok
R<>			$: <$&{client_addr}> [ $&s ]
R<$=R $*> $*		$@ ok
R<0> $*			$@ ok
R<$*> $=w		$#error $@ 5.7.1 $:"550 bogus HELO name used: " $&s
R<$*> [ $=w ]		$#error $@ 5.7.1 $:"550 bogus HELO name used: " $&s
R<$*> [ $+ . $+ ]	$@ ok
R<$*> [ IPv6 : $+ ]	$@ ok
R<$*> [ $* ]		$#error $@ 5.7.1 $:"550 bogus HELO name used: " $&s
')dnl

## LocalIP: "address" -- yes for a connection from this machine.
_cf_S(`LocalIP')
R$@			$@ yes
R0			$@ yes
R127.0.0.1		$@ yes
RIPv6:0:0:0:0:0:0:0:1	$@ yes
RIPv6:::1		$@ yes
R$*			$@ no

## PeerName: "name" -- made canonical (unless a pseudo-domain), no
## trailing dot.
_cf_S(`PeerName')
R$+			$: $1 <canon>
R$* $=P <canon>		$: $1 $2
R$+ <canon>		$: $[ $1 $]
R$* .			$1

ifdef(`_cf_feat_access_db', `dnl
## ConnAnswer: "<value> <passthrough>" of a Connect: lookup -- RELAY, a
## temporary error (a triple: it ends the caller too), or the passthrough.
_cf_S(`ConnAnswer')
R<RELAY> $*		$@ RELAY
R<$* <TMPF>> $*		$#error $@ 4.3.0 $: _cf_tmpf
R<$*> <$*>		$@ $2
')dnl
')dnl
