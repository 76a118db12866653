/* daemon.h -- sendmail -bd / -bD (see daemon.c). */
#ifndef DAEMON_H
#define DAEMON_H
#include <stdbool.h>

/* Listen, accept, fork a child per connection running smtpd(); returns on SIGTERM. */
int daemon_main(bool foreground);
/* every DaemonPortOptions value given, in order (options.c); NULL if none */
char **daemon_port_specs(void);

#endif
