divert(-1)
#
# FEATURE(`use_client_ptr')
#	Use ${client_ptr} instead of ${client_name} in check_relay.
#
