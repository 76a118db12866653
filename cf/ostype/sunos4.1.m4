divert(-1)
#
# OSTYPE(`sunos4.1') -- paths and local delivery for this system.
#
define(`confEBINDIR', `/usr/lib')
