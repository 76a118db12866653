#!/usr/bin/env python3
"""fuzz-regress.t -- inputs the fuzzers (fuzz/) found crashing, kept as regression cases.

Each tests/corpus/fuzz-regress/NAME.cf is a configuration, optionally followed by a line
"#@bt" and address test mode commands (the fuzz_cf target's input format; without the
section, "3,0 user@example.com" is run).  Our sendmail (the sanitizer build when SANBIN is
set, as make check does) reads the configuration with -C and answers the commands with
-bt; the test passes if it neither dies of a signal nor reports an AddressSanitizer or
UndefinedBehaviorSanitizer error, within 60 seconds.

Each NAME.smtp is an input of the fuzz_smtp target (a flag byte, then what a client sends).
Our sendmail serves it with -bs on the target's configuration (fuzz/smtp.mc, through our m4
package), driven as a client would: each command waits for its reply (so EHLO is not taken
for pipelining), the lines after a 354 go without waiting until the lone dot.  It passes
if it neither dies of a signal nor reports a sanitizer error, leaks included.
"""
import os, select, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
OURS = os.path.join(os.environ.get("SANBIN") or TOP, "sendmail/sendmail")
CORPUS = os.path.join(HERE, "corpus", "fuzz-regress")
MARK = b"#@bt\n"
BAD = (b"ERROR: AddressSanitizer", b"runtime error:", b"UndefinedBehaviorSanitizer")


def read_reply(p, deadline):
    """the output up to the last line of a reply ("ddd " or a lone "ddd"), or what came"""
    out = b""
    while time.time() < deadline:
        r, _, _ = select.select([p.stdout], [], [], max(0.0, deadline - time.time()))
        if not r:
            break
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            break
        out += chunk
        lines = out.split(b"\r\n")
        if len(lines) > 1 and any(len(l) >= 3 and l[:3].isdigit() and l[3:4] in (b" ", b"")
                                  for l in lines[:-1]):
            break
    return out


def run_smtp(data, work, env):
    """serve the session with -bs; (why it failed or None, output)"""
    # a queue below /tmp would be refused as unsafe: the scratch folder instead
    sys.path.insert(0, os.path.join(HERE, "lib"))
    import mtatest
    work = os.path.join(mtatest.scratch(), "fuzz-regress-smtp")
    os.makedirs(work, mode=0o755, exist_ok=True)
    cf = os.path.join(work, "smtp.cf")
    if not os.path.exists(cf):
        with open(cf, "w") as f:
            subprocess.run(["m4", os.path.join(TOP, "cf/m4/cf.m4"), os.path.join(TOP, "fuzz/smtp.mc")],
                           stdout=f, check=True)
    q = os.path.join(work, "q")
    shutil.rmtree(q, ignore_errors=True)
    os.mkdir(q, 0o700)
    env = dict(env, ASAN_OPTIONS="detect_leaks=1")
    p = subprocess.Popen([OURS, "-C", cf, "-bs", "-OQueueDirectory=" + q, "-OLogFile=/dev/null",
                          "-ODeliveryMode=queue"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, cwd=work, env=env)
    deadline = time.time() + 60
    out = read_reply(p, deadline)
    indata = False
    lines = data[1:].split(b"\n")
    try:
        for i, line in enumerate(lines):
            last = i == len(lines) - 1
            p.stdin.write(line + (b"" if last else b"\n"))
            p.stdin.flush()
            if indata and line.rstrip(b"\r") != b".":
                continue
            r = read_reply(p, deadline)
            out += r
            indata = b"\r\n354 " in b"\r\n" + r
            if not r or b"\r\n221 " in b"\r\n" + r or b"\r\n421 " in b"\r\n" + r:
                break
    except BrokenPipeError:
        pass
    try:
        p.stdin.close()
    except BrokenPipeError:
        pass
    p.stdin = None
    try:
        rest, err = p.communicate(timeout=max(1, deadline - time.time()))
    except subprocess.TimeoutExpired:
        p.kill()
        rest, err = p.communicate()
        return "timed out", out + err
    text = out + rest + err
    if p.returncode < 0:
        return "killed by signal %d" % -p.returncode, text
    if any(b in text for b in BAD + (b"LeakSanitizer",)):
        return "sanitizer error", text
    return None, text


def main():
    cases = sorted(f for f in os.listdir(CORPUS) if f.endswith(".cf") or f.endswith(".smtp"))
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
            if name.endswith(".smtp"):
                why, text = run_smtp(data, work, env)
                if why is None:
                    print("ok %d - %s" % (n, name))
                else:
                    failed += 1
                    print("not ok %d - %s: %s" % (n, name, why))
                    for line in text.decode("latin-1").splitlines()[-15:]:
                        print("# " + line)
                continue
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
