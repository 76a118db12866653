/* hostname.h -- the host's identity macros and classes. */
#ifndef HOSTNAME_H
#define HOSTNAME_H
void set_identity(void);	/* $j $w $m $k $_ $v $b, $=w $=k $=m from the host name */
void probe_interfaces(void);	/* interface addresses and names into $=w */
#endif
