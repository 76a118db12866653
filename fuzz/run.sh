#!/bin/sh
# run.sh [SECONDS [TARGET...]] -- run the fuzz targets (make fuzz-run FUZZ_SECONDS=N).
#
# Each target (default: cf, address, headers and smtp) is fuzzed for SECONDS (default 600), all of them at
# the same time, each from a seed corpus: the small hand-written seeds in fuzz/corpus/<target>,
# plus, for cf, configurations generated at run time with the reference's m4 package
# (tests/lib/fetch-reference; skipped if unavailable) and with our own (cf/), with and
# without an address-test-mode section.  Engines: cf runs under AFL++ (one input per
# process, see README), address and headers under libFuzzer; FUZZ_ENGINE_<target>=afl|libfuzzer
# overrides.  When possible everything runs in a private network namespace (unshare -rn),
# so that DNS lookups made by rules fail at once instead of going out.
#
# Results: .obj-fuzz/runs/<target>-<time>/ (log, corpus or AFL output), crashing inputs
# copied to .obj-fuzz/crashes/<target>/.  A summary line per target at the end; exit 1 if
# any target crashed.
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
OUT=$TOP/.obj-fuzz
SECS=${1:-600}
[ $# -gt 0 ] && shift
TARGETS=${*:-cf address headers smtp}
STAMP=$(date +%Y%m%d-%H%M%S)

for t in $TARGETS; do
	[ -x "$OUT/fuzz_$t" ] && [ -x "$OUT/fuzz_$t.afl" ] || {
		echo "run.sh: $OUT/fuzz_$t missing: run make fuzz first" >&2; exit 2; }
done

NS=""
if unshare -rn true 2>/dev/null; then
	NS="unshare -rn"
else
	echo "run.sh: cannot make a network namespace; DNS lookups by rules will go out" >&2
fi

# sanitizer settings: AFL++ wants abort_on_error and no symbolizing; leaks are not looked
# for in the cf target (the configuration is global state, much of it never freed)
ASAN_AFL="abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=0"
UBSAN_AFL="halt_on_error=1:abort_on_error=1:print_stacktrace=1:symbolize=0"
UBSAN_LF="halt_on_error=1:print_stacktrace=1"

# seeds: hand-written, then generated configurations (cf only)
seeds() {	# seeds TARGET DIR
	mkdir -p "$2"
	cp "fuzz/corpus/$1/"* "$2/"
	[ "$1" = cf ] || return 0
	mcs=""
	if ref=$(tests/lib/fetch-reference 2>/dev/null); then
		refcf=$ref/root/usr/share/sendmail/cf
		for mc in "$refcf/cf/generic-linux.mc" "$refcf/cf/submit.mc" \
			  tests/corpus/bt/edge.mc tests/corpus/bt/hub.mc; do
			[ -f "$mc" ] && mcs="$mcs ref:$mc"
		done
	else
		echo "run.sh: reference m4 package unavailable; no generated reference seeds" >&2
	fi
	for mc in cf/cf/*.mc; do
		[ -f "$mc" ] && mcs="$mcs own:$mc"
	done
	for spec in $mcs; do
		kind=${spec%%:*}
		mc=${spec#*:}
		name=$kind-$(basename "$mc" .mc)
		if [ "$kind" = ref ]; then m4dir=$refcf/m4; else m4dir=$TOP/cf/m4; fi
		(cd "$(dirname "$mc")" && m4 "$m4dir/cf.m4" "$(basename "$mc")") \
			>"$2/$name.cf" 2>/dev/null || { rm -f "$2/$name.cf"; continue; }
		{
			cat "$2/$name.cf"
			echo '#@bt'
			cat tests/corpus/bt/probes.txt
			sed -n 's/^./3,0 &/p' tests/corpus/bt/addresses.txt
		} >"$2/$name-bt.cf"
	done
}

run_afl() {	# run_afl TARGET DIR
	seeds "$1" "$2/seeds"
	dict=""
	[ -f "fuzz/$1.dict" ] && dict="-x fuzz/$1.dict"
	ASAN_OPTIONS=$ASAN_AFL UBSAN_OPTIONS=$UBSAN_AFL AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 \
	AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_CRASHES=1 \
		$NS afl-fuzz -V "$SECS" -i "$2/seeds" -o "$2/out" $dict -t 2000 -m none \
		-- "$OUT/fuzz_$1.afl" >"$2/log" 2>&1 || true
	st=$2/out/default/fuzzer_stats
	if [ ! -f "$st" ]; then
		echo "$1 afl: did not run, see $2/log" >"$2/summary"
		return
	fi
	get() { sed -n "s/^$1 *: *//p" "$st"; }
	crashes=$(ls "$2/out/default/crashes" 2>/dev/null | grep -c '^id:' || true)
	hangs=$(ls "$2/out/default/hangs" 2>/dev/null | grep -c '^id:' || true)
	if [ "$crashes" -gt 0 ]; then
		mkdir -p "$OUT/crashes/$1"
		cp "$2/out/default/crashes/"id:* "$OUT/crashes/$1/"
	fi
	secs=$(( $(get last_update) - $(get start_time) ))
	execs=$(get execs_done)
	echo "$1 afl: ${secs}s, $execs executions, $(( execs / (secs > 0 ? secs : 1) )) exec/s" \
	     "(last: $(get execs_per_sec)/s), corpus $(get corpus_count), crashes $crashes," \
	     "hangs $hangs" >"$2/summary"
}

run_libfuzzer() {	# run_libfuzzer TARGET DIR
	seeds "$1" "$2/corpus"
	mkdir -p "$2/artifacts"
	dict=""
	[ -f "fuzz/$1.dict" ] && dict="-dict=fuzz/$1.dict"
	leaks=1
	[ "$1" = cf ] && leaks=0
	maxlen=4096
	[ "$1" = smtp ] && maxlen=16384	# whole sessions: long lines, big headers
	start=$(date +%s)
	ASAN_OPTIONS=detect_leaks=$leaks UBSAN_OPTIONS=$UBSAN_LF \
		$NS "$OUT/fuzz_$1" -max_total_time="$SECS" $dict -max_len="$maxlen" -timeout=10 \
		-rss_limit_mb=2048 -detect_leaks=$leaks -print_final_stats=1 \
		-artifact_prefix="$2/artifacts/" "$2/corpus" >"$2/log" 2>&1 || true
	secs=$(( $(date +%s) - start ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$2/log")
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$2/log" | tail -1)
	crashes=$(ls "$2/artifacts" | grep -c . || true)
	if [ "$crashes" -gt 0 ]; then
		mkdir -p "$OUT/crashes/$1"
		cp "$2/artifacts/"* "$OUT/crashes/$1/"
	fi
	echo "$1 libfuzzer: ${secs}s, ${execs:-?} executions, $(( ${execs:-0} / (secs > 0 ? secs : 1) ))" \
	     "exec/s, corpus $(ls "$2/corpus" | wc -l), crashes/leaks/timeouts $crashes" >"$2/summary"
}

pids=""
dirs=""
for t in $TARGETS; do
	engine=$(eval "echo \${FUZZ_ENGINE_$t:-}")
	[ -n "$engine" ] || { [ "$t" = cf ] && engine=afl || engine=libfuzzer; }
	dir=$OUT/runs/$t-$STAMP
	mkdir -p "$dir"
	echo "run.sh: fuzzing $t with $engine for ${SECS}s in $dir"
	"run_$engine" "$t" "$dir" &
	pids="$pids $!"
	dirs="$dirs $dir"
done
for p in $pids; do
	wait "$p"
done
status=0
for d in $dirs; do
	cat "$d/summary"
	grep -q 'crashes[/a-z]* 0\(,\|$\)' "$d/summary" || status=1
done
[ "$status" = 0 ] || echo "run.sh: crashing inputs are in $OUT/crashes/ (reproduce: $OUT/fuzz_TARGET FILE)"
exit $status
