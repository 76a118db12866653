#!/usr/bin/env python3
"""hoststat-diff.t -- host status files (HostStatusDirectory) against sendmail 8.17.

1. 8.17 delivers to two unreachable hosts (a fresh network namespace: connection refused)
   and writes their status files; ours lists them as 8.17's hoststat (-bh) does.
2. A folder of status files covering every exit status, errno and reply text, long names,
   old and future times: listed by both the same.  The listing shows "how long ago", so the
   reference runs before and after ours and ours must equal one of the two.
3. purgestat (-bH): the same files removed (older than Timeout.hoststatus) by both.
4. -bP: the same answer.
"""
import os, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
BIN = os.environ.get("SANBIN") or TOP
ISOLATE = os.path.join(HERE, "lib", "isolate")


def run(prog, d, hsd, args, stdin=None):
    cmd = [ISOLATE, prog, "-C", os.path.join(d, "t.cf"), "-OQueueDirectory=" + os.path.join(d, "mqueue"),
           "-OHostStatusDirectory=" + hsd] + args
    p = subprocess.run(cmd, cwd=d, capture_output=True, timeout=120, input=stdin)
    return "exit %d\n%s%s" % (p.returncode, p.stdout.decode("latin-1"), p.stderr.decode("latin-1"))


def forge(hsd, now):
    def put(rel, text, mtime=None):
        path = os.path.join(hsd, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        if mtime is not None:
            os.utime(path, (mtime, mtime))
    u = now - 400
    for s in range(60, 81):
        put("s./s%d" % s, "V0\nE0\nH0\nS%d\nU%d\n.\n" % (s, u))
    for e in (0, 2, 13, 110, 111, 113):
        put("e./e%d" % e, "V0\nE%d\nH0\nS75\nD4.4.1\nU%d\n.\n" % (e, u))
        put("ok./e%d" % e, "V0\nE%d\nH0\nS0\nD2.0.0\nU%d\n.\n" % (e, u))
    put("org./example./a-very-long-host-name-that-goes-beyond-forty-characters",
        "V0\nE0\nH0\nS75\nD4.0.0\nR421 4.3.2 Service not available, closing transmission channel\nU%d\n.\n" % (now - 5000000))
    put("com./example./mx", "V0\nE0\nH0\nS0\nD2.0.0\nU%d\n.\n" % (now - 52000), now - 7200)
    put("net./old", "V0\nE0\nH0\nS69\nD5.0.0\nU%d\n.\n" % (now - 100000000), now - 1900)
    put("net./future", "V0\nE0\nH0\nS75\nU%d\n.\n" % (now + 21204), now - 1700)
    put("net./reply", "V0\nE111\nH0\nS75\nD4.0.0\nR451 4.3.0 short\nU%d\n.\n" % u, now - 86400)
    put("1./0./0./127", "V0\nE111\nH0\nS75\nD4.4.1\nU%d\n.\n" % u)
    put("plain/noddir", "V0\nE0\nH0\nS0\nU%d\n.\n" % u)


def main():
    tap = mtatest.Tap()
    root, why = mtatest.reference()
    if root is None:
        tap.ok(False, "reference unavailable", why)
        return tap.done()
    ref = os.path.join(root, "usr/libexec/sendmail/sendmail")
    ours = os.path.join(BIN, "sendmail/sendmail")
    d = tempfile.mkdtemp(prefix="hoststat-", dir=mtatest.scratch())
    try:
        for f in ("switch", "hosts", "aliases.mc"):
            shutil.copy(os.path.join(HERE, "corpus", "aliases", f), d)
        open(os.path.join(d, "aliases"), "w").write("postmaster: root\n")
        os.makedirs(os.path.join(d, "mqueue"), mode=0o700)
        with open(os.path.join(d, "t.cf"), "w") as out:
            subprocess.run(["m4", "-DWORKDIR=" + d, os.path.join(root, "usr/share/sendmail/cf/m4/cf.m4"),
                            "aliases.mc"], cwd=d, stdout=out, stderr=subprocess.DEVNULL, check=True)

        def listed(hsd, name):
            for _ in range(3):
                r1 = run(ref, d, hsd, ["-bh"])
                o = run(ours, d, hsd, ["-bh"])
                r2 = run(ref, d, hsd, ["-bh"])
                if o in (r1, r2):
                    break
            tap.ok(o in (r1, r2), name, "reference:\n" + r1 + "\nours:\n" + o)

        # 1. written by 8.17 after failed connections
        hs1 = os.path.join(d, "hs-ref")
        os.makedirs(hs1)
        sent = run(ref, d, hs1, ["-odi", "-f", "root", "x@[127.0.0.1]", "y@[127.0.0.2]"],
                   stdin=b"Subject: t\n\nhi\n")
        files = sorted(os.path.relpath(os.path.join(a, f), hs1) for a, _, fs in os.walk(hs1) for f in fs)
        tap.ok(len(files) == 2, "8.17 wrote two host status files", sent + "\n".join(files))
        listed(hs1, "status files written by 8.17 after refused connections")

        # 2. every kind of entry
        hs2 = os.path.join(d, "hs-forged")
        forge(hs2, int(time.time()))
        listed(hs2, "status files of every exit status, errno, reply and age")
        listed(os.path.join(d, "nonexistent"), "a HostStatusDirectory that does not exist")

        # 3. purgestat
        trees = {}
        for who, prog in (("ref", ref), ("ours", ours)):
            hsd = os.path.join(d, "purge-" + who)
            forge(hsd, int(time.time()))
            out = run(prog, d, hsd, ["-bH"])
            trees[who] = out + "\n".join(sorted(os.path.relpath(os.path.join(a, f), hsd)
                                                for a, ds, fs in os.walk(hsd) for f in fs + ds))
        tap.ok(trees["ref"] == trees["ours"], "-bH removes the same files",
               "reference:\n" + trees["ref"] + "\nours:\n" + trees["ours"])

        # 4. -bP
        want, got = run(ref, d, hs1, ["-bP"]), run(ours, d, hs1, ["-bP"])
        tap.ok(want == got, "-bP", "reference:\n" + want + "\nours:\n" + got)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
