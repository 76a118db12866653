divert(-1)
#
# HACK(`cssubdomain') -- an example of a site hack: host names of ours
# written with the department subdomain (host.CS.Berkeley.EDU or
# host.Berkeley.EDU) are this host.  Adds rules to the host part of
# ruleset 3 (LOCAL_RULE_3).
#
LOCAL_RULE_3
R$* < @ $=w .CS.Berkeley.EDU > $*	$: $1 < @ $j > $3
R$* < @ $=w .Berkeley.EDU> $*		$: $1 < @ $j > $3
