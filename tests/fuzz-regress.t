#!/usr/bin/env python3
"""fuzz-regress.t -- inputs the fuzzers (fuzz/) found crashing, kept as regression cases.

Each tests/corpus/fuzz-regress/NAME.cf is a configuration, optionally followed by a line
"#@bt" and address test mode commands (the fuzz_cf target's input format; without the
section, "3,0 user@example.com" is run).  Our sendmail (the sanitizer build when SANBIN is
set, as make check does) reads the configuration with -C and answers the commands with
-bt; the test passes if it neither dies of a signal nor reports an AddressSanitizer or
UndefinedBehaviorSanitizer error, within 60 seconds.
"""
import os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
OURS = os.path.join(os.environ.get("SANBIN") or TOP, "sendmail/sendmail")
CORPUS = os.path.join(HERE, "corpus", "fuzz-regress")
MARK = b"#@bt\n"
BAD = (b"ERROR: AddressSanitizer", b"runtime error:", b"UndefinedBehaviorSanitizer")


def main():
    cases = sorted(f for f in os.listdir(CORPUS) if f.endswith(".cf"))
    if not os.access(OURS, os.X_OK):
        print("1..1\nnot ok 1 - %s not built" % OURS)
        return 1
    print("1..%d" % len(cases))
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="fuzz-regress-") as work:
        for n, name in enumerate(cases, 1):
            data = open(os.path.join(CORPUS, name), "rb").read()
            cut = data.find(MARK)
            if cut >= 0 and (cut == 0 or data[cut - 1:cut] == b"\n"):
                cf, bt = data[:cut], data[cut + len(MARK):]
            else:
                cf, bt = data, b"3,0 user@example.com\n"
            path = os.path.join(work, name)
            with open(path, "wb") as out:
                out.write(cf)
            why = None
            try:
                p = subprocess.run([OURS, "-C", path, "-bt"], input=bt, capture_output=True,
                                   timeout=60, env=env, cwd=work)
                text = p.stdout + p.stderr
                if p.returncode < 0:
                    why = "killed by signal %d" % -p.returncode
                elif any(b in text for b in BAD):
                    why = "sanitizer error"
            except subprocess.TimeoutExpired as e:
                text = (e.stdout or b"") + (e.stderr or b"")
                why = "timed out"
            if why is None:
                print("ok %d - %s" % (n, name))
            else:
                failed += 1
                print("not ok %d - %s: %s" % (n, name, why))
                for line in text.decode("latin-1").splitlines()[-15:]:
                    print("# " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
