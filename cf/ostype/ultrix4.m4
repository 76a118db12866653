divert(-1)
#
# OSTYPE(`ultrix4') -- paths and local delivery for this system.
#
define(`confEBINDIR', `/usr/lib')
