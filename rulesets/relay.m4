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

## CanonAddr: the address as ruleset 0 would see it after canonify.
_cf_S(`CanonAddr')
R$*			$: $>ParseSyntax $>canonify $1

## TrimDot: "user < @ domain . >" without the trailing dot(s).
_cf_S(`TrimDot')
R$+ < @ $+ . >		$1 < @ $2 >

##
## ParseRecipient: strip routes through relayable hosts, so that
## user%remote@relayable is judged by "remote".  The result is the
## innermost address without the trailing dot.
##
_cf_S(`ParseRecipient')
R$*			$: <?> $>CanonAddr $1
R<?> $* < @ $* . >	<?> $1 < @ $2 >
R<?> $- < @ $* >	$: <?> $(dequote $1 $) < @ $2 >
R<?> $* $=O $* < @ $* >	$: <NO> $1 $2 $3 < @ $4>
R<?> $*			$@ $1
ifdef(`_cf_feat_relay_hosts_only', `dnl
R<NO> $* < @ $=R >	$: <RELAY> $1 < @ $2 >
ifdef(`_cf_feat_access_db', `dnl
R<NO> $* < @ $+ >	$: <$(access To:$2 $: NO $)> $1 < @ $2 >
R<NO> $* < @ $+ >	$: <$(access $2 $: NO $)> $1 < @ $2 >
')dnl
', `dnl
R<NO> $* < @ $* $=R >	$: <RELAY> $1 < @ $2 $3 >
ifdef(`_cf_feat_access_db', `dnl
R<NO> $* < @ $+ >	$: $>AccessDomain <$2> <NO> <+ To> <$1 < @ $2 >>
R<$+> <$+>		$: <$1> $2
')dnl
')dnl
ifdef(`_cf_feat_relay_entire_domain', `dnl
R<NO> $* < @ $* $=m >	$: <RELAY> $1 < @ $2 $3 >
')dnl
ifdef(`_cf_feat_relay_based_on_MX', `dnl
R<NO> $* < @ $+ >	$: <MX> < : $(mxserved $2 $) : > < $1 < @$2 > >
R<MX> < : $* <TEMP> : > $*	$#TEMP $@ 4.4.0 $: "450 Can not check MX records for recipient host " $1
R<MX> < $* : $=w. : $* > < $+ >	$: <RELAY> $4
R<MX> < : $* : > < $+ >	$: <NO> $2
')dnl
R<RELAY> $* < @ $* >	$@ $>ParseRecipient $1
R<$+> $*		$@ $2

##
## RcptOK: is the recipient ours, or may this client send it anywhere?
## Returns RELAY, or the address when neither holds.
##
_cf_S(`RcptOK')
ifdef(`_cf_feat_loose_relay_check', `dnl
R$*			$: $>CanonAddr $1
R$* < @ $* . >		$1 < @ $2 >
', `dnl
R$*			$: $>ParseRecipient $1
')dnl
ifdef(`_cf_feat_blocklist_recipients', `ifdef(`_cf_feat_access_db', `dnl
## FEATURE(blocklist_recipients): To:user@domain, To:user@, To:domain
## entries may refuse a recipient.
R$*			$: <?> $1
R<?> $+ < @ $=w >	$: <> <$1 < @ $2 >> $| <F:$1@$2> <U:$1@> <D:$2>
R<?> $+ < @ $* >	$: <> <$1 < @ $2 >> $| <F:$1@$2> <D:$2>
R<?> $+			$: <> <$1> $| <U:$1@>
R<> <$*> $| <$+>	$: <@> <$1> $| $>AccessSearch <+ To> $| <$2> <>
R<@> <$*> $| <$*>	$: <$2> <$1>
R<?> <$*>		$: @ $1
R<$={Accept}> <$*>	$: @ $2
R<$+> $*		$@ $>AccessVerdict <rcpt> $| <$1> $2
R@ $*			$1
')')dnl
ifdef(`_cf_feat_promiscuous_relay', `', `dnl
R$*			$: $1 $| $>RelayTLS
R$* $| $# $+		$# $2
R$* $| $*		$: $1
R$*			$: $1 $| $>"Local_Relay_Auth" $&{auth_type}
R$* $| $# $*		$# $2
R$* $| NO		$: $1
R$* $| $*		$: $1 $| $&{auth_type}
R$* $|			$: $1
R$* $| $={TrustAuthMech}	$# RELAY
R$* $| $*		$: $1
ifdef(`_cf_feat_nouucp', `ifelse(_cf_nouucp_mode, `reject', `dnl
## host!user and user%host are not ours to route: treat them as remote.
R$* ! $* < @ $* >	$: <REMOTE> $2 < @ BANG_PATH >
R$* ! $*		$: <REMOTE> $2 < @ BANG_PATH >
')')dnl
ifdef(`_cf_feat_nopercenthack', `ifelse(_cf_nopercent_mode, `reject', `dnl
R$* % $* < @ $* >	$: <REMOTE> $1 < @ PERCENT_HACK >
R$* % $*		$: <REMOTE> $1 < @ PERCENT_HACK >
')')dnl
ifdef(`_cf_feat_bestmx_is_local', `dnl
ifelse(defn(`_cf_bestmx_domains'), `', `dnl
R$* < @ $* > $*			$: $1 < @ $2 @@ $(bestmx $2 $) > $3
', `dnl
R$* < @ $* $=B > $*		$: $1 < @ $2 $3 @@ $(bestmx $2 $3 $) > $4
')dnl
R$* $=O $* < @ $* @@ $=w . > $*	$@ $>RcptOK $1 $2 $3
R$* < @ $* @@ $=w . > $*	$: $1 < @ $3 > $4
R$* < @ $* @@ $* > $*		$: $1 < @ $2 > $4
')dnl
R$+ < @ $=w >		$@ RELAY
ifdef(`_cf_feat_relay_hosts_only', `dnl
R$+ < @ $=R >		$@ RELAY
ifdef(`_cf_feat_access_db', `dnl
R$+ < @ $+ >		$: <$(access To:$2 $: ? $)> <$1 < @ $2 >>
R<?> <$+ < @ $+ >>	$: <$(access $2 $: ? $)> <$1 < @ $2 >>
')dnl
', `dnl
R$+ < @ $* $=R >	$@ RELAY
ifdef(`_cf_feat_access_db', `dnl
R$+ < @ $+ >		$: $>AccessDomain <$2> <?> <+ To> <$1 < @ $2 >>
')dnl
')dnl
ifdef(`_cf_feat_access_db', `dnl
R<RELAY> $*		$@ RELAY
R<$* <TMPF>> $*		$#TEMP $@ 4.3.0 $: "451 Temporary system failure. Please try again later."
R<$*> <$*>		$: $2
')dnl
ifdef(`_cf_feat_relay_entire_domain', `dnl
R$+ < @ $* $=m >	$@ RELAY
')dnl
ifdef(`_cf_feat_relay_based_on_MX', `dnl
R$+ < @ $+ >		$: < : $(mxserved $2 $) : > $1 < @ $2 >
R< : $* <TEMP> : > $*	$#TEMP $@ 4.4.0 $: "450 Can not check MX records for recipient host " $1
R<$* : $=w . : $*> $*	$@ RELAY
R< : $* : > $*		$: $2
')dnl
R$*			$: <?> $1
R<?> $* < @ $+ >	$: <REMOTE> $1 < @ $2 >
R<?> $+			$@ RELAY
R<$+> $*		$: $2

')dnl
##
## ClientOK: may the connected client relay?  RELAY, an error, or the
## last lookup result when it may not.  Tried in order: a local
## connection, an address in $=R, a POP-before-SMTP authenticated address
## (FEATURE(drac)), Connect: in the access map, one of our own addresses,
## a sender in our domains (FEATURE(relay_local_from)) or with a From:
## RELAY access entry (FEATURE(relay_mail_from)), and finally the client
## host name (which must resolve) in $=R or the access map.
##
ifdef(`_cf_feat_promiscuous_relay', `', `dnl
_cf_S(`ClientOK')
R$*			$: $&{client_addr}
R$@			$@ RELAY
R0			$@ RELAY
R127.0.0.1		$@ RELAY
RIPv6:0:0:0:0:0:0:0:1	$@ RELAY
RIPv6:::1		$@ RELAY
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
R$*			$: $>AccessAddr <$1> <?> <+ Connect> <$1>
R<RELAY> $*		$@ RELAY
R<<TMPF>> $*		$#TEMP $@ 4.3.0 $: _cf_tmpf
R<$*> <$*>		$: $2
')dnl
R$*			$: [ $1 ]
R$=w			$@ RELAY
ifelse(ifdef(`_cf_feat_relay_local_from', `1')ifdef(`_cf_feat_relay_mail_from', `1'), `', `', `dnl
## The envelope sender may vouch for the client.
R$*			$: <?> $>CanonAddr $&f
R<?> $+ < @ $+ . >	<?> $1 < @ $2 >
')dnl
ifdef(`_cf_feat_relay_local_from', `dnl
R<?> $+ < @ $=w >	$@ RELAY
')dnl
ifdef(`_cf_feat_relay_mail_from', `ifdef(`_cf_feat_access_db', `dnl
R<?> $+ < @ $+ >	$: <@> $>AccessSearch <! From> $| <F:$1@$2> ifelse(_cf_relay_mail_from_domain, `1', `<D:$2> ')<>
R<@> <RELAY>		$@ RELAY
R<@> <<TMPF>>		$#TEMP $@ 4.3.0 $: _cf_tmpf
')')dnl
R$*			$: < $&{client_resolve} >
R<TEMP>			$#TEMP $@ 4.4.0 $: "450 Relaying temporarily denied. Cannot resolve PTR record for " $&{client_addr}
R<FORGED>		$#error $@ 5.7.1 $: "550 Relaying denied. IP name possibly forged " $&{client_name}
R<FAIL>			$#error $@ 5.7.1 $: "550 Relaying denied. IP name lookup failed " $&{client_name}
R$*			$: <@> $&{client_name}
R<@> $* $=P		$:<?>  $1 $2
R<@> $+			$:<?>  $[ $1 $]
R$* .			$1
R<?> $=w		$@ RELAY
ifdef(`_cf_feat_relay_hosts_only', `dnl
R<?> $=R		$@ RELAY
ifdef(`_cf_feat_access_db', `dnl
R<?> $*			$: <$(access Connect:$1 $: ? $)> <$1>
R<?> <$*>		$: <$(access $1 $: ? $)> <$1>
')dnl
', `dnl
R<?> $* $=R		$@ RELAY
ifdef(`_cf_feat_access_db', `dnl
R<?> $*			$: $>AccessDomain <$1> <?> <+ Connect> <$1>
')dnl
')dnl
ifdef(`_cf_feat_access_db', `dnl
R<RELAY> $*		$@ RELAY
R<$* <TMPF>> $*		$#TEMP $@ 4.3.0 $: _cf_tmpf
R<$*> <$*>		$: $2
')dnl
ifdef(`_cf_feat_relay_entire_domain', `dnl
R<?> $* $=m		$@ RELAY
')dnl
ifdef(`_cf_feat_block_bad_helo', `dnl
## FEATURE(block_bad_helo): a client that is not authenticated and not
## local may not greet with our name, our address or an unqualified name.
R$*			$: $1 $| <$&{auth_authen}>
R$* $| <$+>		$: $1
R$* $| <$*>		$: $1 $| <$&{client_addr}> [$&s]
R$* $| <$=R $*> [$*]	$: $1
R$* $| <0> [$*]		$: $1
R$* $| <$*> $=w		$#error $@ 5.7.1 $:"550 bogus HELO name used: " $&s
R$* $| <$*> [$=w]	$#error $@ 5.7.1 $:"550 bogus HELO name used: " $&s
R$* $| <$*> [$+.$+]	$: $1
R$* $| <$*> [IPv6:$+]	$: $1
R$* $| <$*> [$*]	$#error $@ 5.7.1 $:"550 bogus HELO name used: " $&s
R$* $| $*		$: $1
')dnl
')dnl
