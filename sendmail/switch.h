/* switch.h -- the service switch (ServiceSwitchFile): which methods, in which order,
 * answer for a service such as "hosts" or "aliases". */
#ifndef SWITCH_H
#define SWITCH_H

/* The methods for SERVICE (e.g. {"files", "dns", NULL}), from the switch file, or the
 * built-in default when the file or the service is missing.  Static storage. */
char **switch_services(const char *service);

#endif
