dnl tls.m4 -- STARTTLS policy and per-connection SMTP features.
dnl
dnl _cf_hook(name, separator) writes the call of a LOCAL_* site hook: when
dnl the .mc defined the hook, its triple (if any) decides.
_cf_def(`_cf_tls_hook', `ifdef(`_cf_hook_$1', `R$`'*			$: $`'1 $2 $>"Local_$1" $`'1
R$`'* $2 $`'#$`'*		$`'#$`'2
R$`'* $2 $`'*		$: $`'1
')')dnl
##
## ======================================================================
## STARTTLS and connection features
##
## The access map (FEATURE(access_db)) holds the policy, keyed by the
## peer: Srv_Features: and Clt_Features: (which ESMTP features to offer
## or use), Try_TLS: (NO: do not try STARTTLS with that server),
## TLS_Clt:/TLS_Srv: (what a client/server connection must have:
## VERIFY, VERIFY:bits, ENCR:bits, with +CN/CS/CI extensions) and
## TLS_Rcpt: (the same per recipient).  TLS_connection turns such a
## requirement and the state of the connection (${verify}, key sizes)
## into OK or a refusal; failures of the handshake itself refuse with
## a temporary error.  RelayTLS lets a client relay when its verified
## certificate is listed (CERTISSUER:, CERTSUBJECT: with RELAY).
## Every ruleset first calls its LOCAL_* site hook when there is one.
## ======================================================================
##
_cf_Spub(`srv_features', `0')
_cf_tls_hook(`srv_features', `$|')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*		$: $>AccessDomain <$&{client_name}> <?> <! "Srv_Features"> <>
R<?>$*		$: $>AccessAddr <$&{client_addr}> <?> <! "Srv_Features"> <>
R<?>$*		$: <$(access "Srv_Features": $: ? $)>
R<?>$*		$@ OK
R<$* <TMPF>>$*	$#temp
R<$+>$*		$# $1
')dnl

_cf_Spub(`clt_features', `0')
_cf_tls_hook(`clt_features', `$|')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*		$: $>AccessDomain <$&{client_name}> <?> <! "Clt_Features"> <>
R<?>$*		$: $>AccessAddr <$&{client_addr}> <?> <! "Clt_Features"> <>
R<?>$*		$: <$(access "Clt_Features": $: ? $)>
R<?>$*		$@ OK
R<$* <TMPF>>$*	$#temp
R<$+>$*		$# $1
')dnl

_cf_Spub(`try_tls', `0')
_cf_tls_hook(`try_tls', `$|')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*		$: $>AccessDomain <$&{server_name}> <?> <! "Try_TLS"> <>
R<?>$*		$: $>AccessAddr <$&{server_addr}> <?> <! "Try_TLS"> <>
R<?>$*		$: <$(access "Try_TLS": $: ? $)>
R<?>$*		$@ OK
R<$* <TMPF>>$*	$#error $@ 4.3.0 $: _cf_tmpf
R<NO>$*		$#error $@ 5.7.1 $: "550 do not try TLS with " $&{server_name} " ["$&{server_addr}"]"
')dnl

_cf_Spub(`tls_rcpt', `0')
_cf_tls_hook(`tls_rcpt', `$|')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*			$: $(macro {TLS_Name} $@ $&{server_name} $) $1
R$+			$: <?> $>CanonAddr $1
R<?> $+ < @ $+ . >	<?> $1 <@ $2 >
R<?> $+ < @ $+ >	$: $1 <@ $2 > $| <F:$1@$2> <U:$1@> <D:$2> <E:>
R<?> $+			$: $1 $| <U:$1@> <E:>
R$* $| $+		$: $1 $| $>AccessSearch <! "TLS_Rcpt"> $| $2 <>
R$* $| <?>		$@ OK
R$* $| <$* <TMPF>>	$#error $@ 4.3.0 $: _cf_tmpf
R$* $| <$+>		$@ $>"TLS_connection" $&{verify} $| <$2>
')dnl

_cf_Spub(`tls_client', `0')
_cf_tls_hook(`tls_client', `<?>')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*		$: $(macro {TLS_Name} $@ $&{client_name} $) $1
R$* $| $*	$: $1 $| $>AccessDomain <$&{client_name}> <?> <! "TLS_Clt"> <>
R$* $| <?>$*	$: $1 $| $>AccessAddr <$&{client_addr}> <?> <! "TLS_Clt"> <>
R$* $| <?>$*	$: $1 $| <$(access "TLS_Clt": $: ? $)>
R$* $| <$* <TMPF>>	$#error $@ 4.3.0 $: _cf_tmpf
R$*		$@ $>"TLS_connection" $1
', `dnl
R$* $| $*	$@ $>"TLS_connection" $1
')dnl

_cf_Spub(`tls_server', `authinfo')
_cf_tls_hook(`tls_server', `$|')dnl
ifdef(`_cf_feat_access_db', `dnl
R$*		$: $(macro {TLS_Name} $@ $&{server_name} $) $1
R$*		$: $1 $| $>AccessDomain <$&{server_name}> <?> <! "TLS_Srv"> <>
R$* $| <?>$*	$: $1 $| $>AccessAddr <$&{server_addr}> <?> <! "TLS_Srv"> <>
R$* $| <?>$*	$: $1 $| <$(access "TLS_Srv": $: ? $)>
R$* $| <$* <TMPF>>	$#error $@ 4.3.0 $: _cf_tmpf
')dnl
R$*		$@ $>"TLS_connection" $1

##
## TLS_connection: "${verify} $| <requirement>" to OK or an error.
##
_cf_S(`TLS_connection')
ifdef(`_cf_feat_access_db', `dnl
R$* $| <$*>$*			$: $1 $| <$2>
## PERM+ and TEMP+ choose the kind of error a failed requirement gives.
R$* $| <PERM + $={Tls} $*>	$: $1 $| <503:5.7.0> <$2 $3>
R$* $| <TEMP + $={Tls} $*>	$: $1 $| <403:4.7.0> <$2 $3>
R$* $| <$={Tls} $*>		$: $1 $| <454:4.7.0> <$2 $3>
RSOFTWARE $| <$-:$+> $*		$#error $@ $2 $: $1 " TLS handshake failed."
RSOFTWARE $| $*			$#error $@ 4.7.0 $: "454 TLS handshake failed."
RPROTOCOL $| <$-:$+> $*		$#error $@ $2 $: $1 " STARTTLS failed."
RPROTOCOL $| $*			$#error $@ 4.7.0 $: "454 STARTTLS failed."
RDANE_FAIL $| <$-:$+> $*	$#error $@ $2 $: $1 " DANE check failed."
RDANE_FAIL $| $*		$#error $@ 4.7.0 $: "454 DANE check failed."
RCONFIG $| <$-:$+> $*		$#error $@ $2 $: $1 " STARTTLS temporarily not possible."
RCONFIG $| $*			$#error $@ 4.7.0 $: "454 STARTTLS temporarily not possible."
R$* $| <$*> <VERIFY>		$: <$2> <VERIFY> <> $1
R$* $| <$*> <VERIFY + $+>	$: <$2> <VERIFY> <$3> $1
R$* $| <$*> <$={Tls}:$->$*	$: <$2> <$3:$4> <> $1
R$* $| <$*> <$={Tls}:$- + $+>$*	$: <$2> <$3:$4> <$5> $1
R$* $| $*			$@ OK
R<$*><VERIFY> <> $={TlsVerified}	$@ OK
R<$*><VERIFY> <$+> $={TlsVerified}	$: <$1> <REQ:0> <$2>
R<$*><VERIFY:$-> <$*> $={TlsVerified}	$: <$1> <REQ:$2> <$3>
R<$*><ENCR:$-> <$*> $*		$: <$1> <REQ:$2> <$3>
R<$-:$+><VERIFY $*> <$*>	$#error $@ $2 $: $1 " authentication required"
R<$-:$+><VERIFY $*> <$*> FAIL	$#error $@ $2 $: $1 " authentication failed"
R<$-:$+><VERIFY $*> <$*> NO	$#error $@ $2 $: $1 " not authenticated"
R<$-:$+><VERIFY $*> <$*> NOT	$#error $@ $2 $: $1 " no authentication requested"
R<$-:$+><VERIFY $*> <$*> NONE	$#error $@ $2 $: $1 " other side does not support STARTTLS"
R<$-:$+><VERIFY $*> <$*> CLEAR	$#error $@ $2 $: $1 " STARTTLS disabled locally"
R<$-:$+><VERIFY $*> <$*> $+	$#error $@ $2 $: $1 " authentication failure " $4
R<$*><REQ:$-> <$*>		$: <$1> <REQ:$2> <$3> $>max $&{cipher_bits} : $&{auth_ssf}
R<$*><REQ:$-> <$*> $-		$: <$1> <$2:$4> <$3> $(arith l $@ $4 $@ $2 $)
R<$-:$+><$-:$-> <$*> TRUE	$#error $@ $2 $: $1 " encryption too weak " $4 " less than " $3
R<$-:$+><$-:$-> <$*> $*		$: <$1:$2 ++ $5>
R<$-:$+ ++ >			$@ OK
R<$-:$+ ++ $+ >			$: <$1:$2> <$3>
R<$-:$+> < $+ ++ $+ >		<$1:$2> <$3> <$4>
R<$-:$+> $+			$@ $>"TLS_req" $3 $| <$1:$2>

## TLS_req: the extensions of a requirement, one at a time: CN (the
## certificate names the peer), CN:name, CS:subject, CI:issuer,
## CITag:tag (the issuer is listed under that tag in the access map).
_cf_S(`TLS_req')
R $| $+				$@ OK
R<CN> $* $| <$+>		$: <CN:$&{TLS_Name}> $1 $| <$2>
R<CN:$&{cn_subject}> $* $| <$+>	$@ $>"TLS_req" $1 $| <$2>
R<CN:$+> $* $| <$-:$+>		$#error $@ $4 $: $3 " CN " $&{cn_subject} " does not match " $1
R<CS:$&{cert_subject}> $* $| <$+>	$@ $>"TLS_req" $1 $| <$2>
R<CS:$+> $* $| <$-:$+>		$#error $@ $4 $: $3 " Cert Subject " $&{cert_subject} " does not match " $1
R<CI:$&{cert_issuer}> $* $| <$+>	$@ $>"TLS_req" $1 $| <$2>
R<CI:$+> $* $| <$-:$+>		$#error $@ $4 $: $3 " Cert Issuer " $&{cert_issuer} " does not match " $1
R<CITag:$-> $* $| <$+>		$: <$(access $1:$&{cert_issuer} $: ? $)> $2 $| <$3>
R<?> $* $| <$-:$+>		$#error $@ $3 $: $2 " Cert Issuer " $&{cert_issuer} " not acceptable"
R<OK> $* $| <$+>		$@ $>"TLS_req" $1 $| <$2>
ROK				$@ OK

## max: "a : b" to the larger number (an empty side counts as 0).
_cf_S(`max')
R:		$: 0
R:$-		$: $1
R$-:		$: $1
R$-:$-		$: $(arith l $@ $1 $@ $2 $) : $1 : $2
RTRUE:$-:$-	$: $2
R$-:$-:$-	$: $2
', `dnl
RSOFTWARE	$#error $@ 4.7.0 $: "454 TLS handshake failed."
RDANE_FAIL	$#error $@ 4.7.0 $: "454 DANE check failed."
RPROTOCOL	$#error $@ 4.7.0 $: "454 STARTTLS failed."
RCONFIG		$#error $@ 4.7.0 $: "454 STARTTLS temporarily not possible."
')dnl

## RelayTLS: a client with a verified certificate listed in the access
## map may relay.  Returns $# RELAY or NO.
_cf_S(`RelayTLS')
ifdef(`_cf_feat_access_db', `dnl
R$*			$: <?> $&{verify}
R<?> $={TlsVerified}	$: OK
R<?> $*			$@ NO
R$*			$: $&{cert_issuer}
R$+			$: $(access CERTISSUER:$1 $)
RRELAY			$# RELAY
RSUBJECT		$: <@> $&{cert_subject}
R<@> $+			$: <@> $(access CERTSUBJECT:$1 $)
R<@> RELAY		$# RELAY
R$*			$: NO
')dnl

##
## authinfo: the credentials the SMTP client offers to the server it talks
## to, from FEATURE(authinfo) or AuthInfo: entries of the access map.
##
_cf_Spub(`authinfo', `none')
ifdef(`_cf_feat_authinfo', `dnl
R$*		$: <$(authinfo AuthInfo:$&{server_name} $: ? $)>
R<?>		$: <$(authinfo AuthInfo:$&{server_addr} $: ? $)>
R<?>		$: <$(authinfo AuthInfo: $: ? $)>
R<?>		$@ no
R<$*>		$# $1
', `ifdef(`_cf_feat_access_db', `dnl
R$*		$: $1 $| $>AccessDomain <$&{server_name}> <?> <! AuthInfo> <>
R$* $| <?>$*	$: $1 $| $>AccessAddr <$&{server_addr}> <?> <! AuthInfo> <>
R$* $| <?>$*	$: $1 $| <$(access AuthInfo: $: ? $)> <>
R$* $| <?>$*	$@ no
R$* $| <$*> <>	$# $2
')')dnl
