divert(-1)
# build.m4 -- the macros Makefile.m4 is written in.
#
# Makefile.m4 names each program, the folder it lives in, its sources and the libraries it
# links; these macros turn that into make rules.  Objects go below $(O) (one tree per build
# variant: .obj for the normal build, .obj-san for the sanitizer build `make check` uses);
# programs go to $(B)folder/name, so the normal build leaves sendmail/sendmail in place.
changecom(`##')

# PROGRAM(folder, name, sources, libraries)
define(`PROGRAM', `
PROGRAMS += $(B)$1/$2
$(B)$1/$2: $(patsubst %.c,$(O)/$1/%.o,$3) $(filter %.a,$4) $(O)/lib/libmta.a
	@mkdir -p $(dir $`'@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $`'@ $(patsubst %.c,$(O)/$1/%.o,$3) $4 $(O)/lib/libmta.a $(LIBS)
')

# LIBRARY(folder, archive, sources)
define(`LIBRARY', `
$(O)/$1/$2: $(patsubst %.c,$(O)/$1/%.o,$3)
	@mkdir -p $(dir $`'@)
	rm -f $`'@ && $(AR) rcs $`'@ $^
')

# UNIT_TEST(name, sources within tests/unit, libraries): a TAP program run by make check.
# (No m4 quote characters in these comments: after changecom they are live text.)
define(`UNIT_TEST', `
UNIT_TESTS += $(O)/tests/unit/$1
$(O)/tests/unit/$1: $(patsubst %.c,$(O)/tests/unit/%.o,$2) $(O)/tests/unit/tap.o $(O)/sendmail/libengine.a $(O)/lib/libmta.a
	@mkdir -p $(dir $`'@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $`'@ $^ $3 $(LIBS)
')

# LIB_UNIT_TEST(name, sources within tests/unit, libraries): the same, for a test of lib/
# alone (linked with libmta.a only, so it builds whatever state sendmail/ is in).
define(`LIB_UNIT_TEST', `
UNIT_TESTS += $(O)/tests/unit/$1
$(O)/tests/unit/$1: $(patsubst %.c,$(O)/tests/unit/%.o,$2) $(O)/tests/unit/tap.o $(filter %.a,$3) $(O)/lib/libmta.a
	@mkdir -p $(dir $`'@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $`'@ $^ $3 $(LIBS)
')
divert(0)dnl
