dnl auth.m4 -- SMTP AUTH policy: trust_auth, relaying for authenticated
dnl clients, and the credentials the client side uses (authinfo).
dnl
##
## ======================================================================
## SMTP AUTH
##
## trust_auth decides whether the AUTH= parameter of MAIL FROM is believed:
## only for an authenticated session, and only when it names the
## authenticated user itself, unless the site hook Local_trust_auth
## accepts it.  Local_Relay_Auth is the hook that may let an
## authenticated client relay (returning $# RELAY); otherwise mechanisms
## listed in TRUST_AUTH_MECH do.
## authinfo gives the client side its credentials for the server it talks
## to, from the access map (AuthInfo:) or FEATURE(authinfo).
## ======================================================================
##
_cf_S(`Local_trust_auth')
_cf_Spub(`trust_auth', `srv')
R$*			$: <$&{auth_type}> $1
R<> $*			$#error $@ 5.7.1 $: "550 not authenticated"
R<$+> $&{auth_authen}	$@ identical
R<$+> <$&{auth_authen}>	$@ identical
R<$+> $*		$: $2 $| $>"Local_trust_auth" $2
R$* $| $#$*		$#$2
R$*			$#error $@ 5.7.1 $: "550 " $&{auth_authen} " not allowed to act as " $&{auth_author}

_cf_S(`Local_Relay_Auth')

