/* hostname.c -- who we are: $j, $w, $m, $k and the class $=w of names this host answers
 * to, found at startup from the host name, its canonical form and (unless
 * DontProbeInterfaces) the addresses of the network interfaces. */
#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "conf.h"
#include "host.h"
#include "hostname.h"
#include "macro.h"
#include "stab.h"
#include "xalloc.h"

void set_identity(void)
{
	char name[256];
	struct utsname u;
	char *dot;
	struct passwd *pw;
	char ubuf[300];

	if (gethostname(name, sizeof name) < 0)
		snprintf(name, sizeof name, "localhost");
	name[sizeof name - 1] = '\0';
	macdefine('w', name);
	macdefine('j', name);
	setclass('w', name);
	dot = strchr(name, '.');
	if (dot != NULL) {
		macdefine('m', dot + 1);
		setclass('m', dot + 1);
	}
	if (uname(&u) == 0) {
		macdefine('k', u.nodename);
		setclass('k', u.nodename);
	}
	pw = getpwuid(getuid());
	snprintf(ubuf, sizeof ubuf, "%s@localhost", pw != NULL ? pw->pw_name : "root");
	macdefine('_', ubuf);
	macdefine('v', VERSION_STRING);
	{
		static const char *const preset[][2] = {
			{ "e", "7bit 8bit binary" },
			{ "n", "multipart/signed" },
			{ "s", "rfc822" },
			{ "{checkMIMEHeaders}", "content-type content-disposition "
			  "content-transfer-encoding content-id mime-version" },
			{ "{checkMIMEFieldHeaders}", "content-type content-disposition" },
			{ "{checkMIMETextHeaders}", "content-description" },
			{ "{persistentMacros}", "r s _ {if_addr} {daemon_flags}" },
		};
		size_t i;
		for (i = 0; i < sizeof preset / sizeof preset[0]; i++) {
			int cl = macid(preset[i][0]);
			char *words = xstrdup(preset[i][1]), *w;
			for (w = strtok(words, " "); w != NULL; w = strtok(NULL, " "))
				setclass(cl, w);
			free(words);
		}
	}
	{
		char date[64];
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &tm);
		macdefine('b', date);
	}
}

/* add "[a.b.c.d]" and the address's names to $=w for each interface (IPv4, as 8.17's
 * interface scan does) */
void probe_interfaces(void)
{
	int s;
	struct ifconf ifc;
	struct ifreq *ifr;
	size_t len = 64 * sizeof(struct ifreq), i;
	char *buf;

	if (DontProbeInterfaces)
		return;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return;
	buf = xmalloc(len);
	ifc.ifc_len = (int)len;
	ifc.ifc_buf = buf;
	if (ioctl(s, SIOCGIFCONF, &ifc) < 0) {
		close(s);
		free(buf);
		return;
	}
	for (i = 0; i + sizeof(struct ifreq) <= (size_t)ifc.ifc_len; i += sizeof(struct ifreq)) {
		struct sockaddr_in *sin;
		struct ifreq flags;
		char lit[64];
		struct hostent *hp;

		ifr = (struct ifreq *)(buf + i);
		if (ifr->ifr_addr.sa_family != AF_INET)
			continue;
		memset(&flags, 0, sizeof flags);
		memcpy(flags.ifr_name, ifr->ifr_name, sizeof flags.ifr_name);
		if (ioctl(s, SIOCGIFFLAGS, &flags) < 0 || !(flags.ifr_flags & IFF_UP))
			continue;
		if (DontProbeLoopback && (flags.ifr_flags & IFF_LOOPBACK))
			continue;
		sin = (struct sockaddr_in *)&ifr->ifr_addr;
		if (sin->sin_addr.s_addr == INADDR_ANY)
			continue;
		snprintf(lit, sizeof lit, "[%s]", inet_ntoa(sin->sin_addr));
		if (!wordinclass(lit, 'w'))
			setclass('w', lit);
		hp = gethostbyaddr(&sin->sin_addr, sizeof sin->sin_addr, AF_INET);
		if (hp != NULL && hp->h_name != NULL) {
			char **al;
			char brack[300];
			if (!wordinclass(hp->h_name, 'w')) {
				setclass('w', hp->h_name);
				snprintf(brack, sizeof brack, "[%s]", hp->h_name);
				if (!wordinclass(brack, 'w'))
					setclass('w', brack);
			}
			for (al = hp->h_aliases; al != NULL && *al != NULL; al++)
				if (!wordinclass(*al, 'w'))
					setclass('w', *al);
		}
	}
	close(s);
	free(buf);
}
