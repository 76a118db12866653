divert(-1)
#
# DOMAIN(`generic') -- settings most sites want: our other names come from
# local-host-names, addresses that moved are answered with 551, root is
# never masqueraded, .forward files may be per-host and per-detail, and
# headers are limited to 32 kB.
#
define(`confFORWARD_PATH', `$z/.forward.$w+$h:$z/.forward+$h:$z/.forward.$w:$z/.forward')
define(`confMAX_HEADERS_LENGTH', `32768')
FEATURE(`redirect')
FEATURE(`use_cw_file')
EXPOSED_USER(`root')
