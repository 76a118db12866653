divert(-1)
#
# FEATURE(`queuegroup')
#	Choose the queue group per recipient from QGRP: access entries.
#	Argument: the default group.
#
_cf_def(`_cf_queuegroup_default', defn(`_ARG_'))
