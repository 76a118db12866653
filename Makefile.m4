dnl Makefile.m4 -- the build, described once; GNU m4 turns it into .obj/Makefile.gen, which the
dnl top-level Makefile includes (and remakes whenever this file, m4/*.m4 or site.config.m4
dnl changes).  Site overrides (compiler, flags, install paths) go in site.config.m4, as
dnl define(`confCC', `clang') and friends; see m4/site.config.m4.sample.
include(`m4/build.m4')dnl
sinclude(`site.config.m4')dnl
ifdef(`confCC', , `define(`confCC', `cc')')dnl
ifdef(`confOPTIMIZE', , `define(`confOPTIMIZE', `-O2 -g')')dnl
ifdef(`confPREFIX', , `define(`confPREFIX', `/usr')')dnl
# Generated from Makefile.m4 by GNU m4: edit that file, not this one.
CC = confCC
OPTIMIZE = confOPTIMIZE
PREFIX = confPREFIX
WARN = -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CPPFLAGS = -D_GNU_SOURCE -Ilib -Isendmail
CFLAGS = -std=c17 $(OPTIMIZE) $(WARN) $(SANFLAGS) -MMD -MP
dnl -z now: symbols are bound once in the daemon, not again in every child it forks
LDFLAGS = $(SANFLAGS) -Wl,-z,now
LIBS = -ldb -lresolv
O ?= .obj
B ?=

LIB_SRCS = sbuf.c xalloc.c lineread.c dbfile.c diag.c arena.c spawn.c

ENGINE_SRCS = stab.c macro.c token.c options.c readcf.c rewrite.c \
	map.c map_db.c map_host.c map_text.c map_misc.c map_regex.c map_dns.c \
	mailer.c address.c hostname.c testmode.c state.c debug.c alias.c \
	queue.c mailq.c smtpd.c daemon.c daemon_pool.c dirsync.c log.c recipient.c hoststatus.c \
	headers.c collect.c submit.c savemail.c dsn.c \
	deliver.c putmsg.c mime8to7.c bgdeliver.c smtpclient.c mailexec.c queuerun.c policy.c clientname.c

all: programs

LIBRARY(`lib', `libmta.a', `$(LIB_SRCS)')
LIBRARY(`sendmail', `libengine.a', `$(ENGINE_SRCS)')

PROGRAM(`sendmail', `sendmail', `main.c', `$(O)/sendmail/libengine.a')
PROGRAM(`makemap', `makemap', `makemap.c')
PROGRAM(`praliases', `praliases', `praliases.c')
LIBRARY(`mail.local', `libstore.a', `store.c')
PROGRAM(`mail.local', `mail.local', `mail.local.c dotlock.c', `$(O)/mail.local/libstore.a')

LIB_UNIT_TEST(`t_sbuf', `t_sbuf.c')
UNIT_TEST(`t_token', `t_token.c fixture.c')
UNIT_TEST(`t_rewrite', `t_rewrite.c fixture.c')
UNIT_TEST(`t_macro', `t_macro.c fixture.c')
UNIT_TEST(`t_maps', `t_maps.c fixture.c')
UNIT_TEST(`t_queue', `t_queue.c fixture.c')
UNIT_TEST(`qtool', `qtool.c')
UNIT_TEST(`t_headers', `t_headers.c fixture.c')
UNIT_TEST(`dsntool', `dsntool.c')
UNIT_TEST(`t_dsn', `t_dsn.c fixture.c')
LIB_UNIT_TEST(`t_dbfile', `t_dbfile.c')
LIB_UNIT_TEST(`t_store', `t_store.c', `$(O)/mail.local/libstore.a')

programs: $(PROGRAMS)
unit-tests: $(UNIT_TESTS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

-include $(shell find $(O) -name '*.d' 2>/dev/null)
