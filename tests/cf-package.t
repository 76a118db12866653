#!/usr/bin/env python3
"""cf-package.t -- the m4 configuration package (cf/, rulesets/) (TAP).

1. Every sample .mc in cf/cf/ builds with `m4 cf/m4/cf.m4 X.mc`, exits 0, and the
   configuration holds what a sendmail.cf needs (version level, the standard rulesets, the
   local mailer, ...) and what the .mc asked for: each define(`confNAME', `value') of an
   option appears as its O line (the conf-to-option table is read from cf/m4/options.m4),
   each DAEMON_OPTIONS() as a DaemonPortOptions line, the null client's hub as $S, the
   submission program's MTA as ${MTAHost}.
2. Mistakes in a .mc stop the build: a `dn1' typo, a missing closing quote, an unknown
   FEATURE, MAILER or OSTYPE, a misspelled option name, FEATURE() after MAILER(), no OSTYPE().
   Each must exit non-zero, print nothing on standard output, and name the .mc file and the
   line of the mistake (computed here from the test's own .mc text).
3. Differential: for the .mc files of tests/corpus/cf/ (and the samples), the configuration
   built by sendmail 8.17's own m4 package (tests/lib/fetch-reference) and ours are compared:
   declarations (O, M, H, C, K, D and V lines) and the outcome of every -bt probe and address
   (tests/corpus/cf/probes.txt, addresses.txt), both run by the reference binary.  The
   reference is the oracle; no expected output is written down here.
"""
import os, re, shutil, subprocess, sys, tempfile

TOP = os.environ.get("TOP") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CF = os.path.join(TOP, "cf", "m4", "cf.m4")
SAMPLES = os.path.join(TOP, "cf", "cf")
CORPUS = os.path.join(TOP, "tests", "corpus", "cf")
ISOLATE = os.path.join(TOP, "tests", "lib", "isolate")
HOSTNAME = "mx1.corp.test"

count = failed = 0


def tap(cond, name, diag=""):
    global count, failed
    count += 1
    if not cond:
        failed += 1
    print("%sok %d - %s" % ("" if cond else "not ", count, name))
    if not cond and diag:
        for line in diag.splitlines()[:60]:
            print("#   " + line)
    sys.stdout.flush()


def skip(name, why):
    global count
    count += 1
    print("ok %d - %s # SKIP %s" % (count, name, why))


def m4(package_cf, mc, cwd):
    p = subprocess.run(["m4", package_cf, mc], cwd=cwd, capture_output=True, text=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


# ------------------------------------------------------------------ 1. samples
def option_table():
    """confNAME -> option name, from our own option table."""
    table = {}
    text = open(os.path.join(TOP, "cf", "m4", "options.m4")).read()
    for m in re.finditer(r"_cf_opt\(`([^']+)',\s*`(conf[A-Z0-9_]+)'", text):
        table[m.group(2)] = m.group(1)
    return table


def logical_lines(cf):
    out, cur = [], None
    for raw in cf.splitlines():
        if raw[:1] in (" ", "\t") and cur is not None:
            cur += " " + raw.strip()
            continue
        if cur is not None:
            out.append(cur)
        cur = raw
    if cur is not None:
        out.append(cur)
    return [l for l in out if l and not l.startswith("#")]


def check_sample(path, table, work):
    name = os.path.basename(path)
    rc, out, err = m4(CF, path, work)
    tap(rc == 0 and out.strip() != "", "sample %s builds" % name, "exit %d\n%s" % (rc, err))
    if rc != 0:
        return None
    lines = logical_lines(out)
    have = set(lines)
    must = ["V10/Berkeley", "Scanonify=3", "Sparse=0", "Sfinal=4", "Slocaladdr=5",
            "Scheck_rcpt"]
    missing = [m for m in must if m not in have]
    if not any(l.startswith("Mlocal,") for l in lines):
        missing.append("Mlocal")
    if not any(l.startswith("O QueueDirectory=") for l in lines):
        missing.append("O QueueDirectory")
    mc = open(path).read()
    for m in re.finditer(r"^define\(`(conf[A-Z0-9_]+)',\s*`([^'`]*)'\)", mc, re.M):
        opt = table.get(m.group(1))
        if opt:
            want = "O %s=%s" % (opt, m.group(2)) if m.group(2) else "O %s" % opt
            if want not in have:
                missing.append(want)
    for m in re.finditer(r"^DAEMON_OPTIONS\(`([^']*)'\)", mc, re.M):
        if "O DaemonPortOptions=" + m.group(1) not in have:
            missing.append("DaemonPortOptions " + m.group(1))
    m = re.search(r"FEATURE\(`nullclient',\s*`([^']+)'\)", mc)
    if m and "DS" + m.group(1) not in have:
        missing.append("DS" + m.group(1))
    m = re.search(r"FEATURE\(`msp',\s*`([^']+)'", mc)
    if m and "D{MTAHost}" + m.group(1) not in have:
        missing.append("D{MTAHost}" + m.group(1))
    tap(not missing, "sample %s has the declarations it asks for" % name,
        "missing: " + ", ".join(missing))
    return out


# ------------------------------------------------------------------ 2. errors
ERRORS = [
    # (name, .mc lines, word the message must contain); the mistake is on the marked line
    ("dn1 typo", ["OSTYPE(`linux')dnl", "define(`confMAX_HOP', `30')dn1 <<",
                  "MAILER(`local')dnl"], "dn1"),
    ("missing closing quote", ["OSTYPE(`linux')dnl", "define(`confMAX_HOP', `30)dnl <<",
                               "MAILER(`local')dnl"], "string"),
    ("unknown FEATURE", ["OSTYPE(`linux')dnl", "FEATURE(`no_such_feature')dnl <<",
                         "MAILER(`local')dnl"], "no_such_feature"),
    ("unknown MAILER", ["OSTYPE(`linux')dnl", "MAILER(`telepathy')dnl <<"], "telepathy"),
    ("unknown OSTYPE", ["OSTYPE(`plan10')dnl <<", "MAILER(`local')dnl"], "plan10"),
    ("misspelled option", ["OSTYPE(`linux')dnl", "define(`confMAX_HOPS', `30')dnl <<",
                           "MAILER(`local')dnl"], "confMAX_HOPS"),
    ("FEATURE after MAILER", ["OSTYPE(`linux')dnl", "MAILER(`local')dnl",
                              "FEATURE(`use_cw_file')dnl <<"], "FEATURE"),
]


def check_errors(work):
    for name, lines, word in ERRORS:
        mark = [i for i, l in enumerate(lines) if l.endswith(" <<")][0] + 1
        text = "".join(l[:-3] + "\n" if l.endswith(" <<") else l + "\n" for l in lines)
        mc = os.path.join(work, "case.mc")
        open(mc, "w").write("divert(-1)\n" + "# mistake below\n" + "divert(0)dnl\n" + text)
        line = mark + 3
        rc, out, err = m4(CF, "case.mc", work)
        where = "case.mc:%d" % line
        ok = rc != 0 and out == "" and where in err and word in err
        tap(ok, "error: %s stops the build at %s" % (name, where),
            "exit %d, %d bytes on stdout\nstderr: %s" % (rc, len(out), err))
    mc = os.path.join(work, "case.mc")
    open(mc, "w").write("divert(0)dnl\nMAILER(`local')dnl\n")
    rc, out, err = m4(CF, "case.mc", work)
    tap(rc != 0 and out == "" and "OSTYPE" in err, "error: a .mc without OSTYPE() is refused",
        "exit %d\nstderr: %s" % (rc, err))


# ------------------------------------------------------------- 3. differential
TRACE = re.compile(r"^\S+\s+(input|returns):")


def declarations(cf_text):
    out, classes = set(), {}
    for l in logical_lines(cf_text):
        k = l[0]
        if k == "O":
            name, _, val = l[1:].strip().partition("=")
            out.add("O %s=%s" % (name.strip(), val.strip()))
        elif k == "M":
            name, _, rest = l[1:].partition(",")
            fields = {}
            for f in re.split(r",\s*(?=[A-Za-z]=)", rest.strip()):
                key, _, val = f.partition("=")
                val = val.strip()
                if key.strip() == "F":
                    val = "".join(sorted(val))
                fields[key.strip()] = val
            out.add("M %s %s" % (name.strip(),
                                 " ".join("%s=%s" % kv for kv in sorted(fields.items()))))
        elif k in "HKV":
            out.add(k + " " + re.sub(r"\s+", " ", l[1:].strip()))
        elif k in "CD":
            name = l[1] if l[1] != "{" else l[1:l.index("}") + 1]
            if k == "C":
                classes.setdefault(name, set()).update(l[1 + len(name):].split())
            else:
                out.add("D %s=%s" % (name, l[1 + len(name):]))
    for name, words in classes.items():
        out.add("C %s %s" % (name, " ".join(sorted(words))))
    return out


def answers(text):
    i = text.find("> ")
    if i < 0:
        return []
    rest, res = text[i:], []
    while rest.startswith("> "):
        rest = rest[2:]
        if rest.startswith("> "):
            res.append("")
            continue
        j = rest.find("\n> ")
        if j < 0:
            res.append(rest)
            rest = ""
            break
        res.append(rest[: j + 1])
        rest = rest[j + 1:]
    if rest:
        res.append(rest)
    return res


def outcome(answer):
    lines, last = [], None
    for l in answer.splitlines():
        m = TRACE.match(l)
        if m:
            if m.group(1) == "returns":
                last = l.split("returns:", 1)[1].strip()
        else:
            lines.append(l)
    if last is not None:
        lines.append("=> " + last)
    return "\n".join(lines)


def bt_input():
    lines = [l.rstrip("\n") for l in open(os.path.join(CORPUS, "probes.txt"))]
    for a in open(os.path.join(CORPUS, "addresses.txt")):
        a = a.rstrip("\n")
        if a:
            lines += ["3,0 " + a, "/parse " + a]
    return lines


def differential(ref, mcs, scratch):
    refcf = os.path.join(ref, "root", "usr", "share", "sendmail", "cf", "m4", "cf.m4")
    refbin = os.path.join(ref, "root", "usr", "libexec", "sendmail", "sendmail")
    refmakemap = os.path.join(ref, "root", "usr", "libexec", "sendmail", "makemap")
    inputs = bt_input()
    env = dict(os.environ, SM_HOSTNAME=HOSTNAME)
    for mc in mcs:
        name = os.path.basename(mc)[:-3]
        work = tempfile.mkdtemp(prefix=name + "-", dir=scratch)
        for f in os.listdir(CORPUS):
            if not f.endswith(".mc"):
                shutil.copy(os.path.join(CORPUS, f), work)
        shutil.copy(mc, work)
        rrc, rout, rerr = m4(refcf, os.path.basename(mc), work)
        orc, oout, oerr = m4(CF, os.path.basename(mc), work)
        if orc != 0 or not oout.strip():
            tap(False, "differential %s: builds" % name, oerr)
            continue
        open(os.path.join(work, "ref.cf"), "w").write(rout)
        open(os.path.join(work, "ours.cf"), "w").write(oout)
        rd, od = declarations(rout), declarations(oout)
        diff = sorted(("- " + d) for d in rd - od) + sorted(("+ " + d) for d in od - rd)
        tap(not diff, "differential %s: %d declarations agree" % (name, len(rd)),
            "\n".join(diff))
        for f in os.listdir(work):
            if f.endswith(".txt") and f not in ("probes.txt", "addresses.txt"):
                with open(os.path.join(work, f)) as src:
                    subprocess.run([refmakemap, "-C", "ref.cf", "hash", f[:-4]], cwd=work,
                                   stdin=src, capture_output=True)
        os.makedirs(os.path.join(work, "mqueue"), exist_ok=True)
        subprocess.run([ISOLATE, refbin, "-C", "ref.cf",
                        "-OQueueDirectory=" + os.path.join(work, "mqueue"),
                        "-OAliasFile=" + os.path.join(work, "aliases"), "-bi"], cwd=work,
                       capture_output=True, env=env)
        outs = {}
        for which in ("ref.cf", "ours.cf"):
            p = subprocess.run([ISOLATE, refbin, "-C", which, "-bt"], cwd=work, env=env,
                               input="\n".join(inputs) + "\n", capture_output=True,
                               text=True, errors="replace", timeout=120)
            outs[which] = answers(p.stdout)
        ra, oa = outs["ref.cf"], outs["ours.cf"]
        bad = []
        for k in range(max(len(ra), len(oa))):
            want = outcome(ra[k]) if k < len(ra) else "<missing>"
            got = outcome(oa[k]) if k < len(oa) else "<missing>"
            if want != got:
                label = inputs[k] if k < len(inputs) else "(end)"
                bad.append("%s\n  reference: %s\n  ours:      %s" %
                           (label, want.replace("\n", " | "), got.replace("\n", " | ")))
        tap(not bad and len(ra) > 0, "differential %s: %d -bt outcomes agree" % (name, len(ra)),
            "\n".join(bad[:10]))


def reference():
    try:
        p = subprocess.run([os.path.join(TOP, "tests", "lib", "fetch-reference")],
                           capture_output=True, text=True, timeout=900)
    except Exception as e:
        return None, str(e)
    if p.returncode != 0:
        return None, (p.stderr or p.stdout).strip()
    return p.stdout.strip(), ""


def main():
    scratch = tempfile.mkdtemp(prefix="cf-package-")
    try:
        table = option_table()
        samples = sorted(os.path.join(SAMPLES, f) for f in os.listdir(SAMPLES)
                         if f.endswith(".mc"))
        tap(len(samples) >= 5, "cf/cf has the sample .mc files (%d)" % len(samples))
        for s in samples:
            check_sample(s, table, scratch)
        check_errors(scratch)
        ref, why = reference()
        corpus = sorted(os.path.join(CORPUS, f) for f in os.listdir(CORPUS) if f.endswith(".mc"))
        names = [os.path.basename(m)[:-3] for m in corpus + samples]
        if ref is None:
            for n in names:
                skip("differential %s" % n, "no reference: " + why)
        elif subprocess.run([ISOLATE, "true"], capture_output=True).returncode != 0:
            for n in names:
                skip("differential %s" % n, "cannot isolate (needs root for unshare)")
        else:
            differential(ref, corpus + samples, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("1..%d" % count)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
