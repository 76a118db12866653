#!/usr/bin/env python3
"""aliases-diff.t -- newaliases (sendmail -bi) and praliases against sendmail 8.17's.

For every tests/corpus/aliases/*.aliases: ours and the reference each build the alias
database from it (same configuration, built with the reference m4 package); their messages
and exit statuses must match, the reference praliases must list both databases the same,
and our praliases must list the reference's database as the reference praliases does.
"""
import os, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
BIN = os.environ.get("SANBIN") or TOP
CORPUS = os.path.join(HERE, "corpus", "aliases")
ISOLATE = os.path.join(HERE, "lib", "isolate")


def run(cmd, cwd, isolate=False):
    if isolate:
        cmd = [ISOLATE] + cmd
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=120)
    return "exit %d\n%s%s" % (p.returncode, p.stdout.decode("latin-1"), p.stderr.decode("latin-1"))


def main():
    ref = subprocess.run([os.path.join(HERE, "lib", "fetch-reference")], capture_output=True,
                         text=True)
    cases = sorted(f for f in os.listdir(CORPUS) if f.endswith(".aliases"))
    print("1..%d" % (3 * len(cases)))
    if ref.returncode != 0:
        for i in range(3 * len(cases)):
            print("not ok %d - reference unavailable" % (i + 1))
        return 1
    root = os.path.join(ref.stdout.strip(), "root")
    rbin = os.path.join(root, "usr/libexec/sendmail")
    scratch = mtatest.scratch()
    n = failed = 0
    for case in cases:
        dirs = {}
        for who in ("ref", "ours"):
            d = tempfile.mkdtemp(prefix="aliases-%s-" % who, dir=scratch)
            os.chmod(d, 0o755)
            for f in ("switch", "hosts", "aliases.mc"):
                shutil.copy(os.path.join(CORPUS, f), d)
            shutil.copy(os.path.join(CORPUS, case), os.path.join(d, "aliases"))
            os.makedirs(os.path.join(d, "mqueue"))
            with open(os.path.join(d, "t.cf"), "w") as out:
                subprocess.run(["m4", "-DWORKDIR=" + d, os.path.join(root, "usr/share/sendmail/cf/m4/cf.m4"),
                                "aliases.mc"], cwd=d, stdout=out, stderr=subprocess.DEVNULL, check=True)
            dirs[who] = d
        msgs = {}
        for who, prog in (("ref", os.path.join(rbin, "sendmail")), ("ours", os.path.join(BIN, "sendmail/sendmail"))):
            d = dirs[who]
            msgs[who] = run([prog, "-C", "t.cf", "-OQueueDirectory=" + os.path.join(d, "mqueue"), "-bi"],
                            d, isolate=True).replace(d, "<DIR>")
        listings = {who: run([os.path.join(rbin, "praliases"), "-C", "t.cf"], dirs[who]) for who in dirs}
        ours_list = run([os.path.join(BIN, "praliases/praliases"), "-C", "t.cf"], dirs["ref"])
        checks = [("newaliases messages", msgs["ref"], msgs["ours"]),
                  ("database listed by the reference praliases", "\n".join(sorted(listings["ref"].splitlines())),
                   "\n".join(sorted(listings["ours"].splitlines()))),
                  ("our praliases on the reference database", listings["ref"], ours_list)]
        for what, want, got in checks:
            n += 1
            if want == got:
                print("ok %d - %s: %s" % (n, case, what))
            else:
                failed += 1
                print("not ok %d - %s: %s" % (n, case, what))
                for l in ("reference:\n" + want + "\nours:\n" + got).splitlines():
                    print("# " + l)
        for d in dirs.values():
            shutil.rmtree(d, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
