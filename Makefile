# Makefile -- bootstrap.  The build is described in Makefile.m4; GNU m4 generates
# .obj/Makefile.gen from it, and make remakes that (and restarts) whenever Makefile.m4,
# m4/*.m4 or site.config.m4 change.  Missing Debian packages are installed first.
#
#   make            build every program in its folder (sendmail/sendmail, makemap/makemap, ...)
#   make check      build with AddressSanitizer + UBSan and run the test suite (prove)
#   make run        run the MTA on the embedded default configuration
#   make bench      benchmarks against the reference (not part of check)
#   make soak       the durability tests with 100 kills each (receiving, delivering; not in check)
#   make lab        only the backup MX exercise in a lab of namespaces (tests/lab.t)
#   make fuzz       build the fuzz targets (FUZZ_SECONDS=600 make fuzz-run runs them)
#   make install    programs and the m4 package under $(DESTDIR)$(PREFIX)

.DEFAULT_GOAL := all
GEN := .obj/Makefile.gen

.obj/deps.stamp: m4/install-deps
	@mkdir -p .obj
	./m4/install-deps
	@touch $@

$(GEN): Makefile.m4 $(wildcard m4/*.m4) $(wildcard site.config.m4) .obj/deps.stamp
	@mkdir -p .obj
	m4 Makefile.m4 > $@.tmp && mv $@.tmp $@

include $(GEN)

SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

check: .obj/deps.stamp
	$(MAKE) O=.obj-san B=.obj-san/ SANFLAGS="$(SAN)" OPTIMIZE="-O1 -g" programs unit-tests
	$(MAKE) all
	ASAN_OPTIONS=detect_leaks=0 TOP=$(CURDIR) SANBIN=$(CURDIR)/.obj-san prove -r tests

# The backup MX exercise of issue 5 alone (tests/lab.t, part of check): a lab of namespaces with
# nsd, Postfix, Exim, procmail and mutt unpacked from Debian.  Needs root and the Debian archive
# (or a filled /var/cache/mta-lab).
lab: .obj/deps.stamp
	$(MAKE) O=.obj-san B=.obj-san/ SANFLAGS="$(SAN)" OPTIMIZE="-O1 -g" programs
	$(MAKE) all
	ASAN_OPTIONS=detect_leaks=0 TOP=$(CURDIR) SANBIN=$(CURDIR)/.obj-san prove -v tests/lab.t

# The MTA on the embedded default configuration, in ./run (its own queue, aliases and
# spool; no system file touched, no root needed): the daemon in the foreground on
# 127.0.0.1:2525.  Mail for other hosts is relayed by MX; local mail goes to the local mailer
# OSTYPE(linux) names (procmail): without procmail it stays queued.
RUNDIR := $(CURDIR)/run
run: all
	@mkdir -p $(RUNDIR)/mqueue $(RUNDIR)/mail
	m4 -DRUNDIR=$(RUNDIR) cf/m4/cf.m4 cf/cf/default.mc > $(RUNDIR)/sendmail.cf
	@[ -f $(RUNDIR)/aliases ] || printf 'postmaster: root\nMAILER-DAEMON: postmaster\n' > $(RUNDIR)/aliases
	./sendmail/sendmail -C $(RUNDIR)/sendmail.cf -O QueueDirectory=$(RUNDIR)/mqueue -bi
	@echo "Listening on 127.0.0.1:2525 (Ctrl-C stops).  Send a first message with"
	@echo "  swaks --server 127.0.0.1:2525 --from you@localhost.localdomain --to postmaster@localhost.localdomain"
	@echo "or from the command line (another shell, same folder):"
	@printf '%s\n' "  printf 'Subject: hello\\n\\nfirst message\\n' | ./sendmail/sendmail -C $(RUNDIR)/sendmail.cf postmaster"
	@echo "then list the queue:  ./sendmail/sendmail -C $(RUNDIR)/sendmail.cf -bp"
	@echo "Address test mode on the same configuration:  ./sendmail/sendmail -C $(RUNDIR)/sendmail.cf -bt"
	exec ./sendmail/sendmail -C $(RUNDIR)/sendmail.cf -bD

# bt-bench, then (when ../shared is there) the relay benchmark of issues 4 and 5: smtp-source,
# 16 sessions, 3000 messages of 2 KB with one and with five recipients, ours against sendmail
# 8.17 and Postfix in the same run, each in its own namespaces (needs root); medians of
# BENCH_REPS runs (3); BENCH_ARGS adds options.
SHARED_BENCH := $(wildcard $(CURDIR)/../shared/bench/mta-bench)
BENCH_REPS ?= 3
bench: all
	./bench/bt-bench
ifneq ($(SHARED_BENCH),)
	PROJECT=$(CURDIR) $(SHARED_BENCH) -s 16 -m 3000 -l 2048 -r 1,5 -n $(BENCH_REPS) -w 200 --stall 30 \
		$(BENCH_ARGS) ours sendmail postfix
else
	@echo "bench: ../shared/bench/mta-bench not found; relay benchmark skipped"
endif

# The durability tests at length (not in check): 100 SIGKILLs of the daemon while clients
# send, then 100 of the queue runners and the daemon's delivery processes while they deliver.
SOAK_KILLS ?= 100
soak: all unit-tests
	TOP=$(CURDIR) ./tests/durability.t --kills $(SOAK_KILLS)
	TOP=$(CURDIR) ./tests/deliver-kill.t --kills $(SOAK_KILLS)

fuzz: .obj/deps.stamp
	./fuzz/build.sh

fuzz-run: fuzz
	./fuzz/run.sh $(FUZZ_SECONDS)

# Install the programs and the m4 package (DESTDIR for staging).  The programs go beside
# each other in $(PREFIX)/lib/sm.bin rather than over a system MTA; link them where wanted.
DESTDIR ?=
PREFIX ?= /usr
install: all
	install -d $(DESTDIR)$(PREFIX)/lib/sm.bin
	install -m 755 sendmail/sendmail makemap/makemap praliases/praliases mail.local/mail.local $(DESTDIR)$(PREFIX)/lib/sm.bin/
	$(MAKE) -C cf install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

clean:
	rm -rf .obj .obj-san .obj-fuzz $(PROGRAMS)

.PHONY: all programs unit-tests check lab run bench soak fuzz fuzz-run install clean
