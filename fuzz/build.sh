#!/bin/sh
# build.sh -- build the fuzz targets (make fuzz).  See fuzz/README.
#
#   .obj-fuzz/fuzz_cf        .obj-fuzz/fuzz_address       libFuzzer, ASan, UBSan (clang)
#   .obj-fuzz/fuzz_cf.afl    .obj-fuzz/fuzz_address.afl   AFL++ (afl-clang-fast), ASan, UBSan
#   .obj-fuzz/fuzz_headers   .obj-fuzz/fuzz_headers.afl   the same for the header parser
#   .obj-fuzz/fuzz_smtp(.afl), .obj-fuzz/smtp.cf          the SMTP server (fuzz/fuzz_smtp.c)
#
# The engine and lib/ are compiled by the project's own Makefile rules into
# .obj-fuzz/lf and .obj-fuzz/afl (O= and B= select the object tree, as make check does for
# .obj-san), with the fuzzing compiler and flags.  Missing Debian packages (clang, its
# libFuzzer runtime, afl++) are installed first through m4/install-deps.
set -eu
cd "$(dirname "$0")/.."
OUT=.obj-fuzz

./m4/install-deps clang afl++
cc_major=$(clang -dumpversion | cut -d. -f1)
mkdir -p "$OUT"
# the libFuzzer runtime is a separate package on Debian
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' > "$OUT/probe.c"
if ! clang -fsanitize=fuzzer -o "$OUT/probe" "$OUT/probe.c" 2>/dev/null; then
	./m4/install-deps "libclang-rt-$cc_major-dev"
fi
rm -f "$OUT/probe" "$OUT/probe.c"

# the generated Makefile (for LIBS)
make --no-print-directory .obj/Makefile.gen >/dev/null
LIBS=$(sed -n 's/^LIBS = //p' .obj/Makefile.gen)

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
OPT="-O1 -g"
# clang warns about other things than gcc: warnings stay on, but are not errors here
WARN="-Wall -Wextra -Wno-unused-parameter"
CPP="-D_GNU_SOURCE -Ilib -Isendmail -Ifuzz"
# the sandbox (fuzz/sandbox.c): no process, no program, no syslog, and exit() returns to
# the harness
WRAP=""
for f in exit fork vfork execv execve execvp execl execlp popen system posix_spawn posix_spawnp \
	syslog; do
	WRAP="$WRAP -Wl,--wrap=$f"
done

engine() {	# engine CC OBJDIR SANFLAGS
	make --no-print-directory O="$2" B="$2/" CC="$1" OPTIMIZE="$OPT" WARN="$WARN" \
		SANFLAGS="$3" "$2/lib/libmta.a" "$2/sendmail/libengine.a"
}

# libFuzzer
engine clang "$OUT/lf" "$SAN -fsanitize=fuzzer-no-link"
for t in cf address headers smtp; do
	echo "clang ... -o $OUT/fuzz_$t"
	clang -std=c17 $OPT $WARN $CPP $SAN -fsanitize=fuzzer -o "$OUT/fuzz_$t" \
		"fuzz/fuzz_$t.c" fuzz/sandbox.c "$OUT/lf/sendmail/libengine.a" "$OUT/lf/lib/libmta.a" \
		$LIBS $WRAP
done

# AFL++ (one input per process: the cf target needs it, see README)
export AFL_QUIET=1
engine afl-clang-fast "$OUT/afl" "$SAN"
for t in cf address headers smtp; do
	echo "afl-clang-fast ... -o $OUT/fuzz_$t.afl"
	afl-clang-fast -std=c17 $OPT $WARN $CPP $SAN -o "$OUT/fuzz_$t.afl" \
		fuzz/afl_main.c "fuzz/fuzz_$t.c" fuzz/sandbox.c "$OUT/afl/sendmail/libengine.a" \
		"$OUT/afl/lib/libmta.a" $LIBS $WRAP
done
# the configuration fuzz_smtp serves with, from our own m4 package
m4 cf/m4/cf.m4 fuzz/smtp.mc >"$OUT/smtp.cf"
echo "fuzz targets built in $OUT/"
