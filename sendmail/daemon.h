/* daemon.h -- sendmail -bd / -bD (see daemon.c), and the port options of both sides:
 * DaemonPortOptions (one listening socket each) and ClientPortOptions (how delivery
 * connects out). */
#ifndef DAEMON_H
#define DAEMON_H
#include <stdbool.h>
#include <sys/socket.h>

struct portopts {
	char *name;			/* Name= (default "Daemon<n>" / "Client<n>") */
	int family;			/* AF_INET, AF_INET6 or AF_UNIX */
	const char *familyname;		/* as ${daemon_family} shows it: inet, inet6, local */
	struct sockaddr_storage addr;	/* Addr= and Port= (Addr= a path for local) */
	socklen_t addrlen;
	bool addrgiven, portgiven;
	int listen;			/* Listen= backlog */
	char *modifiers;		/* Modifier= letters as given */
	char *flags;			/* the letters as ${daemon_flags} / ${client_flags} show them */
	int sndbuf, rcvbuf;		/* SndBufSize= RcvBufSize= (0: system default) */
	int children;			/* children= (0: no limit of its own) */
	char *deliverymode;		/* DeliveryMode= */
	char *inputfilters;		/* InputMailFilters= */
	int refusela, delayla, queuela;
};

/* Parse "Port=2525, Addr=127.0.0.1, Name=MTA, ..." into p (client: ClientPortOptions, whose
 * port is the source port); false with a message for a bad value. */
bool portopts_parse(const char *spec, struct portopts *p, int index, bool client);
void portopts_free(struct portopts *p);
/* true if modifier letter c was given */
bool portopts_has(const struct portopts *p, int c);
/* ClientPortOptions for family (AF_INET/AF_INET6), or NULL if none was given for it */
const struct portopts *client_port_options(int family);

/* Listen, accept, and have session processes run smtpd() on each connection; returns on
 * SIGTERM. */
int daemon_main(bool foreground);
/* every DaemonPortOptions value given, in order (options.c); NULL if none */
char **daemon_port_specs(void);

#endif
