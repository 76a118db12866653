dnl tls.m4 -- STARTTLS policy and per-connection SMTP features.
dnl
dnl _cf_tls_hook(name, separator): when the .mc wrote the LOCAL_* hook for
dnl this ruleset, the hook is asked first and a triple it returns is final.
_cf_def(`_cf_tls_hook', `ifdef(`_cf_hook_$1', `R$`'*			$: $`'1 $2 $>"Local_$1" $`'1
R$`'* $2 $`'#$`'*		$`'#$`'2
R$`'* $2 $`'*		$: $`'1
')')dnl
dnl _cf_peer(`Tag', `name macro', `address macro'): the access entry of the
dnl peer under Tag (see PeerAccess below).
_cf_def(`_cf_peer', `$>PeerAccess <$&{$2}> <$&{$3}> <$1>')dnl
##
## ======================================================================
## STARTTLS and connection features
##
## The policy lives in the access map (FEATURE(access_db)), keyed by the
## name or the address of the peer:
##	Srv_Features:, Clt_Features:	ESMTP features to offer / to use
##	Try_TLS:			NO: do not start TLS with that server
##	TLS_Clt:, TLS_Srv:, TLS_Rcpt:	what a connection must have:
##		VERIFY, VERIFY:bits, ENCR:bits, optionally preceded by PERM+
##		or TEMP+ (the kind of refusal) and followed by +extensions
##		(CN, CN:name, CS:subject, CI:issuer, CITag:tag, joined by ++)
## A failed handshake is refused with a temporary error in any case.
## A verified client certificate listed as CERTISSUER:/CERTSUBJECT: RELAY
## may relay (RelayTLS).  The LOCAL_* hook of each ruleset speaks first.
## ======================================================================
##
ifdef(`_cf_feat_access_db', `dnl
##
## PeerAccess: "<name> <address> <Tag>" -- the entry for the peer: by name
## (and parent domains), then by address (and its prefixes), then the bare
## "Tag:" entry.  Answers "<value> <>", "<value>" or "<?>" (nothing).
##
_cf_S(`PeerAccess')
R<$*> <$*> <$+>		$: <$2> <$3> $| $>AccessDomain <$1> <?> <! $3> <>
R<$*> <$+> $| <?> $*	$: <$2> $| $>AccessAddr <$1> <?> <! $2> <>
R<$+> $| <?> $*		$@ <$(access $1: $: ? $)>
R$* $| $*		$@ $2
')dnl

_cf_Spub(`srv_features', `0')
_cf_tls_hook(`srv_features', `$|')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*		$: _cf_peer(`"Srv_Features"', `client_name', `client_addr')
R<?> $*		$@ OK
R<$* <TMPF>> $*	$#temp
R<$+> $*	$: $1
R$*		$# $1
')dnl

_cf_Spub(`clt_features', `0')
_cf_tls_hook(`clt_features', `$|')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*		$: _cf_peer(`"Clt_Features"', `client_name', `client_addr')
R<?> $*		$@ OK
R<$* <TMPF>> $*	$#temp
R<$+> $*	$: $1
R$*		$# $1
')dnl

_cf_Spub(`try_tls', `0')
_cf_tls_hook(`try_tls', `$|')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*		$: _cf_peer(`"Try_TLS"', `server_name', `server_addr')
R<NO> $*	$#error $@ 5.7.1 $: "550 do not try TLS with " $&{server_name} " ["$&{server_addr}"]"
R<?> $*		$@ OK
R<$* <TMPF>> $*	$#error $@ 4.3.0 $: _cf_tmpf
')dnl

_cf_Spub(`tls_rcpt', `0')
_cf_tls_hook(`tls_rcpt', `$|')dnl
ifdef(`_cf_feat_access_db', `dnl
## the recipient: TLS_Rcpt:user@domain, TLS_Rcpt:user@, TLS_Rcpt:domain
R$*			$: $(macro {TLS_Name} $@ $&{server_name} $) $1
R$+			$: $>TrimDot $>AsParsed $1
R$+			$: $1 $| $>KeyList <F U D E> $1
R$* $| $+		$: $1 $| $>AccessSearch <! "TLS_Rcpt"> $| $2
R$* $| <$* <TMPF>>	$#error $@ 4.3.0 $: _cf_tmpf
R$* $| <?>		$@ OK
R$* $| <$+>		$@ $>TlsPolicy $&{verify} $| <$2>
')dnl

_cf_Spub(`tls_client', `0')
_cf_tls_hook(`tls_client', `<?>')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*		$: $(macro {TLS_Name} $@ $&{client_name} $) $1
R$* $| $*	$: $1 $| _cf_peer(`"TLS_Clt"', `client_name', `client_addr')
R$* $| <$* <TMPF>>	$#error $@ 4.3.0 $: _cf_tmpf
R$*		$@ $>TlsPolicy $1
', `dnl
R$* $| $*	$@ $>TlsPolicy $1
')dnl

_cf_Spub(`tls_server', `authinfo')
_cf_tls_hook(`tls_server', `$|')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*		$: $(macro {TLS_Name} $@ $&{server_name} $) $1
R$*		$: $1 $| _cf_peer(`"TLS_Srv"', `server_name', `server_addr')
R$* $| <$* <TMPF>>	$#error $@ 4.3.0 $: _cf_tmpf
')dnl
R$*		$@ $>TlsPolicy $1

##
## TlsPolicy: "${verify} $| <requirement> ..." (or only ${verify} without
## the access map) to OK or a refusal.  First the kind of refusal the
## requirement asks for ("<code:status>", see TlsCode), then the state of
## the handshake, then what is required (TlsNeed).
##
_cf_S(`TlsPolicy')
ifdef(`_cf_feat_access_db', `dnl
R$* $| <$*> $+		$: $1 $| <$2>
R$* $| <$*>		$: <$1> $>TlsCode <$2>
', `dnl
R$*			$: <$1>
')dnl
## a handshake that failed: refused, with the code of the requirement if any
R<SOFTWARE> <$-:$+> $*	$#error $@ $2 $: $1 " TLS handshake failed."
R<SOFTWARE> $*		$#error $@ 4.7.0 $: "454 TLS handshake failed."
R<PROTOCOL> <$-:$+> $*	$#error $@ $2 $: $1 " STARTTLS failed."
R<PROTOCOL> $*		$#error $@ 4.7.0 $: "454 STARTTLS failed."
R<DANE_FAIL> <$-:$+> $*	$#error $@ $2 $: $1 " DANE check failed."
R<DANE_FAIL> $*		$#error $@ 4.7.0 $: "454 DANE check failed."
R<CONFIG> <$-:$+> $*	$#error $@ $2 $: $1 " STARTTLS temporarily not possible."
R<CONFIG> $*		$#error $@ 4.7.0 $: "454 STARTTLS temporarily not possible."
ifdef(`_cf_feat_access_db', `dnl
## "<state> <code> <VERIFY|ENCR> <bits> <extensions>" for TlsNeed
R<$*> <$-:$+> <VERIFY>			$@ $>TlsNeed <$1> <$2:$3> <VERIFY> <> <>
R<$*> <$-:$+> <VERIFY + $+>		$@ $>TlsNeed <$1> <$2:$3> <VERIFY> <> <$4>
R<$*> <$-:$+> <$={Tls}:$->		$@ $>TlsNeed <$1> <$2:$3> <$4> <$5> <>
R<$*> <$-:$+> <$={Tls}:$- + $+>		$@ $>TlsNeed <$1> <$2:$3> <$4> <$5> <$6>
R<$*> $*				$@ OK
', `dnl
R<$*>			$@ $1
')dnl

ifdef(`_cf_feat_access_db', `dnl
## TlsCode: "<requirement>" -- a VERIFY or ENCR requirement gets the code
## of its refusal in front: PERM+ permanent, TEMP+ temporary, else 454.
_cf_S(`TlsCode')
R<PERM + $={Tls} $*>	$@ <503:5.7.0> <$1 $2>
R<TEMP + $={Tls} $*>	$@ <403:4.7.0> <$1 $2>
R<$={Tls} $*>		$@ <454:4.7.0> <$1 $2>

##
## TlsNeed: "<state> <code> <kind> <bits> <extensions>".  VERIFY needs a
## verified peer certificate (and bits, when given, from the cipher or
## the SASL layer); ENCR only the bits.  Then the extensions.
##
_cf_S(`TlsNeed')
R<$={TlsVerified}> <$+> <VERIFY> <> $*		$: <$2> <0> $3
R<$={TlsVerified}> <$+> <VERIFY> <$-> $*	$: <$2> <$3> $4
R<$*> <$+> <ENCR> <$-> $*			$: <$2> <$3> $4
R<> <$-:$+> <VERIFY> $*		$#error $@ $2 $: $1 " authentication required"
R<FAIL> <$-:$+> <VERIFY> $*	$#error $@ $2 $: $1 " authentication failed"
R<NO> <$-:$+> <VERIFY> $*	$#error $@ $2 $: $1 " not authenticated"
R<NOT> <$-:$+> <VERIFY> $*	$#error $@ $2 $: $1 " no authentication requested"
R<NONE> <$-:$+> <VERIFY> $*	$#error $@ $2 $: $1 " other side does not support STARTTLS"
R<CLEAR> <$-:$+> <VERIFY> $*	$#error $@ $2 $: $1 " STARTTLS disabled locally"
R<$+> <$-:$+> <VERIFY> $*	$#error $@ $3 $: $2 " authentication failure " $1
## "<code> <bits> <extensions>": enough bits?
R<$+> <$-> <$*>			$: <$1> <$2> <$3> $>TlsBits $&{cipher_bits} : $&{auth_ssf}
R<$+> <$-> <$*> $-		$: <$1> <$2> <$3> <$4> $(arith l $@ $4 $@ $2 $)
R<$-:$+> <$-> <$*> <$-> TRUE	$#error $@ $2 $: $1 " encryption too weak " $5 " less than " $3
R<$+> <$-> <> $*		$@ OK
R<$+> <$-> <$+> $*		$@ $>TlsExt $>TlsSplit $3 $| <$1>

## TlsSplit: "ext ++ ext ..." to "<ext> <ext> ...".
_cf_S(`TlsSplit')
R$* $| $*		$: < $1 > $| $2
R$* < $+ ++ $+ > $| $*	$1 < $2 > < $3 > $| $4

##
## TlsExt: "<ext> ... $| <code>" -- each extension in turn: CN (the
## certificate names the peer: ${TLS_Name}), CN:name, CS:subject,
## CI:issuer, CITag:tag (the issuer is listed under tag in the access
## map, with OK).  An extension it does not know is handed back.
##
_cf_S(`TlsExt')
R$* $| <$+>			$: <$2> $| $1
R<$+> $|			$@ OK
R<$+> $| <CN> $*		$: <$1> $| <CN:$&{TLS_Name}> $2
R<$+> $| <CN:$&{cn_subject}> $*	$@ $>TlsExt $2 $| <$1>
R<$+> $| <CS:$&{cert_subject}> $*	$@ $>TlsExt $2 $| <$1>
R<$+> $| <CI:$&{cert_issuer}> $*	$@ $>TlsExt $2 $| <$1>
R<$-:$+> $| <CN:$+> $*		$#error $@ $2 $: $1 " CN " $&{cn_subject} " does not match " $3
R<$-:$+> $| <CS:$+> $*		$#error $@ $2 $: $1 " Cert Subject " $&{cert_subject} " does not match " $3
R<$-:$+> $| <CI:$+> $*		$#error $@ $2 $: $1 " Cert Issuer " $&{cert_issuer} " does not match " $3
R<$+> $| <CITag:$-> $*		$: <$1> $| <$(access $2:$&{cert_issuer} $: ? $)> $3
R<$-:$+> $| <?> $*		$#error $@ $2 $: $1 " Cert Issuer " $&{cert_issuer} " not acceptable"
R<$+> $| <OK> $*		$@ $>TlsExt $2 $| <$1>
R<$+> $| $*			$@ $2 $| <$1>

## TlsBits: "a : b" -- the larger number (an empty side counts as 0).
_cf_S(`TlsBits')
R: $*			$: 0 : $1
R$* :			$: $1 : 0
R$- : $-		$: $(arith l $@ $1 $@ $2 $) $| $1 $| $2
RTRUE $| $- $| $-	$@ $2
R$* $| $- $| $-		$@ $2
')dnl

##
## RelayTLS: may a client with a verified certificate relay?  Its issuer
## listed as CERTISSUER:issuer RELAY, or listed as SUBJECT with the
## subject as CERTSUBJECT:subject RELAY.  Answers $# RELAY or NO.
##
_cf_S(`RelayTLS')
ifdef(`_cf_feat_access_db', `dnl
R$*			$: $&{verify}
R$={TlsVerified}	$: <issuer> $&{cert_issuer}
R<issuer> $+		$: <issuer> $(access CERTISSUER:$1 $)
R<issuer> RELAY		$# RELAY
R<issuer> SUBJECT	$: <subject> $&{cert_subject}
R<subject> $+		$: <subject> $(access CERTSUBJECT:$1 $)
R<subject> RELAY	$# RELAY
R$*			$@ NO
')dnl

##
## authinfo: the credentials the SMTP client offers to the server it talks
## to, from FEATURE(authinfo) or AuthInfo: entries of the access map.
##
_cf_Spub(`authinfo', `none')
ifdef(`_cf_feat_authinfo', `dnl
R$*		$: <$&{server_name}> <$&{server_addr}> <>
R<$*> <$*> <>	$: <$1> <$2> <$(authinfo AuthInfo:$1 $: ? $)>
R<$*> <$*> <?>	$: <$1> <$2> <$(authinfo AuthInfo:$2 $: ? $)>
R<$*> <$*> <?>	$: <$(authinfo AuthInfo: $: ? $)>
R<$*> <$*> <$*>	$: <$3>
R<?>		$@ no
R<$*>		$# $1
', `ifdef(`_cf_feat_access_db', `dnl
R$*		$: $1 $| _cf_peer(`AuthInfo', `server_name', `server_addr')
R$* $| <?>	$@ no
R$* $| <$*> <>	$# $2
R$* $| <$*>	$# $2
')')dnl
