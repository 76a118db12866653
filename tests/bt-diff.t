#!/usr/bin/env python3
"""bt-diff.t -- differential test of address test mode (-bt) against sendmail 8.17.

For every NAME.mc in tests/corpus/bt, a sendmail.cf is built with the reference's m4
package and its tables with the reference's makemap (the reference only prepares the
inputs here; our own package is tested in cf-package.t), then the same -bt input
(probes.txt, then "3,0 ADDR" and "/parse ADDR" for each line of addresses.txt) is fed to
the reference sendmail and to ours, each in fresh namespaces (tests/lib/isolate).
One TAP test per configuration: every answer must be identical.  Needs root (unshare)
and the reference (tests/lib/fetch-reference).
"""
import difflib, os, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
OURS = os.path.join(os.environ.get("SANBIN") or TOP, "sendmail/sendmail")
CORPUS = os.path.join(HERE, "corpus", "bt")
ISOLATE = os.path.join(HERE, "lib", "isolate")


def answers(text):
    """The header, then one answer per '> ' prompt."""
    i = text.find("> ")
    if i < 0:
        return text, []
    head, rest, out = text[:i], text[i:], []
    while rest.startswith("> "):
        rest = rest[2:]
        j = rest.find("\n> ") if not rest.startswith("> ") else -1
        if rest.startswith("> "):
            out.append("")
            continue
        if j < 0:
            out.append(rest)
            rest = ""
            break
        out.append(rest[: j + 1])
        rest = rest[j + 1:]
    return head, out


def main():
    ref = subprocess.run([os.path.join(HERE, "lib", "fetch-reference")], capture_output=True,
                         text=True)
    if ref.returncode != 0:
        print("1..1\nnot ok 1 - reference sendmail unavailable: " + ref.stderr.strip())
        return 1
    root = os.path.join(ref.stdout.strip(), "root")
    ref_bin = os.path.join(root, "usr/libexec/sendmail/sendmail")
    ref_makemap = os.path.join(root, "usr/libexec/sendmail/makemap")
    ref_cfm4 = os.path.join(root, "usr/share/sendmail/cf/m4/cf.m4")
    inputs = [l.rstrip("\n") for l in open(os.path.join(CORPUS, "probes.txt"))]
    for a in open(os.path.join(CORPUS, "addresses.txt"), encoding="utf-8", errors="surrogateescape"):
        a = a.rstrip("\n")
        if a:
            inputs += ["3,0 " + a, "/parse " + a]
    stdin = ("\n".join(inputs) + "\n").encode("utf-8", "surrogateescape")
    mcs = sorted(f for f in os.listdir(CORPUS) if f.endswith(".mc"))
    print("1..%d" % len(mcs))
    # sendmail refuses tables below world-writable folders such as /tmp
    scratch = mtatest.scratch()
    failed = 0
    for n, mc in enumerate(mcs, 1):
        name = mc[:-3]
        work = tempfile.mkdtemp(prefix="bt-" + name + "-", dir=scratch)
        os.chmod(work, 0o755)
        for f in os.listdir(CORPUS):
            shutil.copy(os.path.join(CORPUS, f), work)
        cf = name + ".cf"
        with open(os.path.join(work, cf), "w") as out:
            subprocess.run(["m4", ref_cfm4, mc], cwd=work, stdout=out, stderr=subprocess.DEVNULL,
                           check=True)
        for f in os.listdir(work):
            if f.endswith(".txt") and f not in ("probes.txt", "addresses.txt"):
                with open(os.path.join(work, f)) as src:
                    subprocess.run([ref_makemap, "hash", f[:-4]], cwd=work, stdin=src,
                                   capture_output=True)
        runs = []
        for binary in (ref_bin, OURS):
            p = subprocess.run([ISOLATE, binary, "-C", cf, "-bt"], cwd=work, input=stdin,
                               capture_output=True, timeout=300)
            runs.append((p.stdout.decode("latin-1"), p.stderr.decode("latin-1")))
        (rout, rerr), (uout, uerr) = runs
        rh, ra = answers(rout)
        uh, ua = answers(uout)
        cases = [("(banner)", rh, uh), ("(stderr)", rerr, uerr)]
        for k in range(max(len(ra), len(ua))):
            label = inputs[k] if k < len(inputs) else "(end of input)"
            cases.append((label, ra[k] if k < len(ra) else "<missing>",
                          ua[k] if k < len(ua) else "<missing>"))
        bad = [(l, w, g) for l, w, g in cases if w != g]
        if bad:
            failed += 1
            print("not ok %d - %s: %d of %d answers differ" % (n, name, len(bad), len(cases)))
            for label, want, got in bad[:5]:
                print("# --- " + label)
                for line in list(difflib.unified_diff(want.splitlines(), got.splitlines(),
                                                      "reference", "ours", lineterm="", n=1))[:20]:
                    print("# " + line)
        else:
            print("ok %d - %s: all %d answers identical" % (n, name, len(cases)))
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
