#!/usr/bin/env python3
"""verify-diff.t -- sendmail -bv against sendmail 8.17's, on the same configuration.

The aliases of tests/corpus/verify (lists, :include: files, owner- aliases, nested aliases,
loops, programs, files) and every address of tests/corpus/verify/addresses are verified by
the reference and by ours, with and without -v: the output and the exit status must be the
same.  The folder holding the include and forward files is below /var/cache, since both
read them as DefUid, which cannot enter root's home; ForwardPath points into it ($u).
"""
import os, shutil, stat, subprocess, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
BIN = os.environ.get("SANBIN") or TOP
CORPUS = os.path.join(HERE, "corpus", "verify")
ISOLATE = os.path.join(HERE, "lib", "isolate")


def setup(root):
    base = "/var/cache/mta-tests"
    os.makedirs(base, mode=0o755, exist_ok=True)
    os.chmod(base, 0o755)
    d = tempfile.mkdtemp(prefix="verify-", dir=base)
    os.chmod(d, 0o755)
    for f in ("switch", "hosts", "aliases.mc"):
        shutil.copy(os.path.join(HERE, "corpus", "aliases", f), d)
    with open(os.path.join(CORPUS, "aliases")) as f:
        text = f.read().replace("@DIR@", d)
    with open(os.path.join(d, "aliases"), "w") as f:
        f.write(text)
    shutil.copytree(os.path.join(CORPUS, "inc"), os.path.join(d, "inc"))
    os.chmod(os.path.join(d, "inc"), 0o755)
    for f in os.listdir(os.path.join(d, "inc")):
        os.chmod(os.path.join(d, "inc", f), 0o644)
    os.chmod(os.path.join(d, "inc", "worldwritable"), 0o666)
    os.makedirs(os.path.join(d, "fwd"), mode=0o755)
    shutil.copy(os.path.join(CORPUS, "forward.daemon"), os.path.join(d, "fwd", "daemon"))
    os.chmod(os.path.join(d, "fwd", "daemon"), 0o644)
    os.makedirs(os.path.join(d, "out"), mode=0o755)
    os.makedirs(os.path.join(d, "mqueue"), mode=0o700)
    with open(os.path.join(d, "t.cf"), "w") as out:
        subprocess.run(["m4", "-DWORKDIR=" + d, os.path.join(root, "usr/share/sendmail/cf/m4/cf.m4"),
                        "aliases.mc"], cwd=d, stdout=out, stderr=subprocess.DEVNULL, check=True)
    return d


def run(prog, d, args):
    cmd = [ISOLATE, prog, "-C", os.path.join(d, "t.cf"), "-OQueueDirectory=" + os.path.join(d, "mqueue"),
           "-OForwardPath=" + os.path.join(d, "fwd", "$u")] + args
    p = subprocess.run(cmd, cwd=d, capture_output=True, timeout=60)
    return "exit %d\n%s%s" % (p.returncode, p.stdout.decode("latin-1"), p.stderr.decode("latin-1"))


def main():
    tap = mtatest.Tap()
    root, why = mtatest.reference()
    with open(os.path.join(CORPUS, "addresses")) as f:
        addrs = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    if root is None:
        tap.ok(False, "reference unavailable", why)
        return tap.done()
    ref = os.path.join(root, "usr/libexec/sendmail/sendmail")
    ours = os.path.join(BIN, "sendmail/sendmail")
    d = setup(root)
    try:
        built = run(ref, d, ["-bi"])
        tap.ok(built.startswith("exit 0"), "the reference builds the alias database", built)
        for a in addrs:
            for v in ([], ["-v"]):
                want = run(ref, d, ["-bv"] + v + [a])
                got = run(ours, d, ["-bv"] + v + [a])
                tap.ok(want == got, "-bv %s%s" % (" ".join(v) + " " if v else "", a),
                       "reference:\n" + want + "\nours:\n" + got)
        want = run(ref, d, ["-bv"] + addrs[:12])
        got = run(ours, d, ["-bv"] + addrs[:12])
        tap.ok(want == got, "-bv with twelve operands", "reference:\n" + want + "\nours:\n" + got)
        # newaliases refuses a folder others may write to (sticky or not); only the alias
        # file is in that folder (8.17 also warns about the switch file's, a separate matter)
        ww = os.path.join(d, "ww")
        os.makedirs(ww)
        shutil.copy(os.path.join(d, "aliases"), ww)
        with open(os.path.join(d, "t.cf")) as f:
            cf = f.read().replace("O AliasFile=" + os.path.join(d, "aliases"),
                                  "O AliasFile=" + os.path.join(ww, "aliases"))
        with open(os.path.join(d, "ww.cf"), "w") as f:
            f.write(cf)
        for mode in (0o777, 0o1777, 0o775, 0o755):
            outs = []
            for prog in (ref, ours):
                os.chmod(ww, mode)
                p = subprocess.run([ISOLATE, prog, "-C", os.path.join(d, "ww.cf"),
                                    "-OQueueDirectory=" + os.path.join(d, "mqueue"), "-bi"],
                                   cwd=d, capture_output=True, timeout=60)
                outs.append(("exit %d\n" % p.returncode + p.stdout.decode("latin-1") +
                             p.stderr.decode("latin-1")).replace(d, "<DIR>"))
                os.chmod(ww, 0o755)
                if os.path.exists(os.path.join(ww, "aliases.db")):
                    os.unlink(os.path.join(ww, "aliases.db"))
            tap.ok(outs[0] == outs[1], "-bi with the alias folder mode %o" % mode,
                   "reference:\n" + outs[0] + "\nours:\n" + outs[1])
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
