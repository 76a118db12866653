divert(-1)
#
# OSTYPE(`sunos3.5') -- paths and local delivery for this system.
#
define(`confEBINDIR', `/usr/lib')
