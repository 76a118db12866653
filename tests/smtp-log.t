#!/usr/bin/env python3
"""smtp-log.t -- our mail log against sendmail 8.17's for the same dialogues, and the log
tools that read it.

Each daemon in turn (the reference, then ours) runs under tests/lib/isolate-syslog (the
namespaces of tests/lib/isolate, plus a /dev/log of our own), with smtp-diff.t's
configuration and Timeout.command=2s, Timeout.datablock=2s, RejectNUL=true; every dialogue
of tests/corpus/smtp and tests/corpus/smtp-log is played (smtp-diff.t's player), a marker
line logged before each, and the next dialogue begins only when the daemon has no session
child left, so each dialogue's lines are its own.  Per dialogue, the lines (level, text)
must be 8.17's after queue ids, pids, dates, delays and versions are normalised.

Then the log tools of Debian's fail2ban and logwatch packages (apt-get download +
dpkg-deb -x into /var/cache/mta-logtools, never installed): fail2ban-regex with the
sendmail-reject (modes normal and aggressive) and sendmail-auth filters must match the same
lines in both logs, and logwatch's sendmail report must be the same.
Last, our LogFile option: the same dialogues logged to a file hold the same lines.
"""
import difflib, importlib.machinery, os, re, shutil, signal, socket, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
import mtatest  # noqa: E402

sd = importlib.machinery.SourceFileLoader("smtpdiff", os.path.join(HERE, "smtp-diff.t")).load_module()
ISOLATE_SYSLOG = os.path.join(HERE, "lib", "isolate-syslog")
CORPORA = [os.path.join(HERE, "corpus", "smtp"), os.path.join(HERE, "corpus", "smtp-log")]
OPTS = ["-OTimeout.command=2s", "-OTimeout.datablock=2s", "-ORejectNUL=true"]
TOOLS = "/var/cache/mta-logtools"
MARK = "=== dialogue "


def dialogues():
    return sorted((f, os.path.join(d, f)) for d in CORPORA for f in os.listdir(d) if f.endswith(".smtp"))


# ---- inside the namespaces ----

def tcp_inodes():
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            for line in open(table).readlines()[1:]:
                inodes.add(line.split()[9])
        except OSError:
            pass
    return inodes


def sessions(pid):
    """children of the daemon holding a TCP connection: sessions under way (a session process
    waiting for its next connection holds none, and has logged all of its last one)"""
    n, tcp = 0, tcp_inodes()
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                st = open("/proc/%s/stat" % p).read()
                if int(st.rsplit(")", 1)[1].split()[1]) != pid:
                    continue
                links = [os.readlink("/proc/%s/fd/%s" % (p, fd)) for fd in os.listdir("/proc/%s/fd" % p)]
            except OSError:
                continue
            n += any(l.startswith("socket:[") and l[8:-1] in tcp for l in links)
    return n


def settle(pidf):
    """wait until no session of the daemon is under way (bounded: a stuck one shows as a diff)"""
    pid = None
    for _ in range(200):
        try:
            pid = int(open(pidf).readline())
            break
        except (OSError, ValueError):
            time.sleep(0.05)
    for _ in range(400):
        if sessions(pid) == 0:
            return
        time.sleep(0.05)


def inner(binary, cf, work, extra):
    import syslog
    qdir = os.path.join(work, "mqueue")
    pidf = os.path.join(work, "pid")
    subprocess.run([binary, "-C", cf, "-bd", "-ODeliveryMode=queue", "-OQueueDirectory=" + qdir,
                    "-OPidFile=" + pidf] + OPTS + extra, cwd=work, capture_output=True, timeout=30)
    for _ in range(200):
        try:
            probe = socket.create_connection(("127.0.0.1", sd.PORT), timeout=5)
            probe.recv(1000)    # the greeting: a session is under way, settle() sees it
            probe.close()
            break
        except OSError:
            time.sleep(0.05)
    syslog.openlog("marker", 0, syslog.LOG_MAIL)
    try:
        settle(pidf)
        for name, path in dialogues():
            syslog.syslog(syslog.LOG_INFO, MARK + name)
            try:
                sd.play(path)
            except OSError:
                pass
            settle(pidf)
        syslog.syslog(syslog.LOG_INFO, MARK + "(end)")
    finally:
        sd.stop_daemon(pidf)


# ---- outside ----

LINE = re.compile(r"^<(\d+)>(\w{3} [ \d]\d \d\d:\d\d:\d\d) ([^\[:]+)(?:\[(\d+)\])?: (.*)$")
FILELINE = re.compile(r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d) (\S+) ([^\[:]+)\[(\d+)\]: (.*)$")


def normalise(text):
    text = re.sub(r"\b[0-9A-Za-z]{8}\d{6}\b", "<QID>", text)
    text = re.sub(r"\b\d{12}\.<QID>", "<DATE>.<QID>", text)
    text = re.sub(r"\bdelay=[\d+:]+", "delay=<D>", text)
    text = re.sub(r"\(8\.\d+\.\d+(\.\d+)?\)", "(<VERSION>)", text)
    return text


def sections(raw):
    """{dialogue: [normalised "<pri> text"]} from a captured syslog"""
    out, cur = {}, "(start)"
    for l in raw.splitlines():
        m = LINE.match(l)
        if not m:
            continue
        pri, _, ident, _, text = m.groups()
        if ident == "marker":
            cur = text[len(MARK):]
            continue
        out.setdefault(cur, []).append("<%s> %s" % (pri, normalise(text)))
    return out


def as_file(raw, host="mail"):
    """the captured lines as a syslog daemon writes them to /var/log/mail.log"""
    out = []
    for l in raw.splitlines():
        m = LINE.match(l)
        if m and m.group(3) != "marker":
            out.append("%s %s %s[%s]: %s" % (m.group(2), host, m.group(3), m.group(4), m.group(5)))
    return "\n".join(out) + "\n"


def tools():
    """the unpacked fail2ban and logwatch packages, or None"""
    root = os.path.join(TOOLS, "root")
    if not os.path.isdir(os.path.join(root, "etc/fail2ban/filter.d")):
        os.makedirs(TOOLS, exist_ok=True)
        subprocess.run(["apt-get", "download", "fail2ban", "logwatch"], cwd=TOOLS,
                       capture_output=True)
        for f in os.listdir(TOOLS):
            if f.endswith(".deb"):
                subprocess.run(["dpkg-deb", "-x", os.path.join(TOOLS, f), root], check=False)
    ok = os.path.isfile(os.path.join(root, "usr/bin/fail2ban-regex")) and \
        os.path.isfile(os.path.join(root, "usr/share/logwatch/scripts/services/sendmail"))
    return root if ok else None


def fail2ban(root, logfile, filt):
    env = dict(os.environ, PYTHONPATH=os.path.join(root, "usr/lib/python3/dist-packages"))
    p = subprocess.run([sys.executable, os.path.join(root, "usr/bin/fail2ban-regex"),
                        "--print-all-matched", "--print-no-missed", logfile, filt], env=env,
                       capture_output=True, text=True, errors="replace", timeout=120)
    m = re.search(r"^Lines: (\d+) lines, (\d+) ignored, (\d+) matched", p.stdout, re.M)
    matched = sorted(normalise(re.sub(r"^\|\s+\S+ +\d+ [\d:]+ \S+ \S+\[\d+\]: ", "", l))
                     for l in p.stdout.splitlines() if re.match(r"^\|\s+\w{3} ", l))
    return (int(m.group(3)) if m else None), matched, p.stdout + p.stderr


def logwatch(root, raw):
    lines = [re.sub(r"^\S+ +\d+ [\d:]+ \S+ \S+\[\d+\]: ", "", l) for l in as_file(raw).splitlines()]
    env = dict(os.environ, LOGWATCH_DETAIL_LEVEL="10",
               PERL5LIB=os.path.join(root, "usr/share/logwatch/lib"))
    p = subprocess.run(["perl", os.path.join(root, "usr/share/logwatch/scripts/services/sendmail")],
                       input="\n".join(lines) + "\n", env=env, capture_output=True, text=True,
                       errors="replace", timeout=120)
    # the report lists some tables in Perl's hash order, which changes from run to run
    blocks = normalise(p.stdout + p.stderr).split("\n\n")
    return "\n\n".join("\n".join(sorted(b.splitlines())) for b in blocks)


def run(scratch, root, who, binary, extra=()):
    work, cf = sd.prepare(scratch, root, who)
    log = os.path.join(work, "syslog")
    subprocess.run([ISOLATE_SYSLOG, log, sys.executable, os.path.abspath(__file__), "--inner",
                    binary, cf, work] + list(extra), capture_output=True, timeout=600)
    raw = open(log, errors="replace").read() if os.path.exists(log) else ""
    return work, raw


def main():
    tap = mtatest.Tap()
    root, why = mtatest.reference()
    if root is None:
        tap.ok(False, "reference unavailable: %s" % why)
        return tap.done()
    ref = os.path.join(root, "usr/libexec/sendmail/sendmail")
    scratch = mtatest.scratch()
    works = []
    w, ref_raw = run(scratch, root, "logref", ref)
    works.append(w)
    w, our_raw = run(scratch, root, "logours", sd.OURS)
    works.append(w)
    want, got = sections(ref_raw), sections(our_raw)
    for key in ["(start)"] + [d for d, _ in dialogues()]:
        a, b = want.get(key, []), got.get(key, [])
        tap.ok(a == b, "log lines of %s as 8.17's (%d lines)" % (key, len(a)),
               "\n".join(difflib.unified_diff(a, b, "reference", "ours", lineterm="", n=1)))
    tools_root = tools()
    if tools_root is None:
        tap.ok(False, "fail2ban/logwatch packages unavailable (apt-get download)")
    else:
        files = {}
        for who, raw in (("ref", ref_raw), ("ours", our_raw)):
            files[who] = os.path.join(works[0 if who == "ref" else 1], "mail.log")
            with open(files[who], "w") as f:
                f.write(as_file(raw))
        fd = os.path.join(tools_root, "etc/fail2ban/filter.d")
        for filt in ("sendmail-reject.conf", "sendmail-reject.conf[mode=aggressive]",
                     "sendmail-auth.conf"):
            rn, rm, rout = fail2ban(tools_root, files["ref"], os.path.join(fd, filt))
            on, om, oout = fail2ban(tools_root, files["ours"], os.path.join(fd, filt))
            tap.ok(rn is not None and rn == on and rm == om,
                   "fail2ban %s: %s lines of 8.17's log matched, %s of ours, the same" % (filt, rn, on),
                   "\n".join(difflib.unified_diff(rm, om, "reference", "ours", lineterm="")) +
                   "\n" + rout[-1500:] + oout[-1500:])
        a, b = logwatch(tools_root, ref_raw), logwatch(tools_root, our_raw)
        tap.ok(a == b and "STATISTICS" in a, "logwatch's sendmail report on our log is 8.17's",
               "\n".join(difflib.unified_diff(a.splitlines(), b.splitlines(), "reference", "ours",
                                              lineterm="")))
    # LogFile: ours again, the lines in a file of our own instead of syslog
    w, raw2 = run(scratch, root, "logfile", sd.OURS, ["-OLogFile=" + os.path.join(scratch, "x")])
    works.append(w)
    # (the path above is replaced inside: see --inner)
    lf = os.path.join(w, "maillog")
    text = open(lf, errors="replace").read() if os.path.exists(lf) else ""
    flines = [FILELINE.match(l) for l in text.splitlines()]
    fnorm = [normalise(m.group(5)) for m in flines if m and m.group(3) == "sendmail"]
    snorm = [normalise(LINE.match(l).group(5)) for l in our_raw.splitlines()
             if LINE.match(l) and LINE.match(l).group(3) == "sendmail"]
    tap.ok(len(fnorm) > 0 and fnorm == snorm and all(flines) and
           not [l for l in raw2.splitlines() if "sendmail[" in l],
           "LogFile=: the same %d lines in the file, in syslog's file format, none to syslog" % len(fnorm),
           "\n".join(difflib.unified_diff(snorm, fnorm, "syslog", "LogFile", lineterm="")))
    for w in works:
        shutil.rmtree(w, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inner":
        binary, cf, work = sys.argv[2:5]
        extra = [("-OLogFile=" + os.path.join(work, "maillog")) if a.startswith("-OLogFile=") else a
                 for a in sys.argv[5:]]
        inner(binary, cf, work, extra)
    else:
        sys.exit(main())
