#!/usr/bin/env python3
"""smtp-diff.t -- our SMTP server against sendmail 8.17's, and a real client against ours.

For each daemon in turn (the reference, then ours), in fresh UTS and network namespaces
(tests/lib/isolate: host name mail.example.com, loopback only), with a configuration the
reference m4 package builds from tests/corpus/smtp/smtp.mc: start `sendmail -bd`, play every
tests/corpus/smtp/*.smtp dialogue, list the queue with `-bp`, stop the daemon.  Replies and
listings must be the same after dates, queue ids, versions and pids are normalised.
Then, against our daemon only: Python's smtplib sends a message (EHLO, pipelined MAIL/RCPT,
DATA with a dot-stuffed line) and the queued df must hold the body exactly; `-bs` on
stdin/stdout must greet and answer as the daemon does.

Each subfolder of tests/corpus/smtp is a further configuration: its NAME.mc, its dialogues,
and data files that replace the top folder's (access.txt, aliases, ...).  A folder with a
dns.zone also gets a name server (tests/lib/dnsd.py on 127.0.0.1:53, in a mount namespace
whose /etc/resolv.conf points there), so PTR, A and DNSBL lookups of both daemons get real
answers.  Besides the replies, the envelope records of the queued qf files (R flags, Q, Z,
!, A ...) and the daemon's pid file are compared.

Dialogue lines: "> CMD" send and read a reply; ">> CMD" send only; "<" read a reply;
"raw BYTES" / "rawsend BYTES" send with Python escapes (and read / don't read); "sleep SECS"
waits.  Before the greeting is read, a dialogue may say "source ADDR" (connect from that
loopback address: 127.0.0.2, or one of CLIENTS, which are put on the loopback), "connect
ADDR PORT" (another of the daemon's listeners) and "early BYTES" (sent before the greeting
arrives).  In what is sent, "{x*N}" stands for N times the character x (over-long lines).
"""
import concurrent.futures, difflib, os, re, shutil, signal, socket, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
SANBIN = os.environ.get("SANBIN")
OURS = os.path.join(SANBIN or TOP, "sendmail", "sendmail")
CORPUS = os.path.join(HERE, "corpus", "smtp")
ISOLATE = os.path.join(HERE, "lib", "isolate")
PORT = 2526
CLIENTS = ("192.0.2.99", "198.51.100.7", "203.0.113.4", "203.0.113.5")

n = failed = 0


def emit(s):
    print(s)
    sys.stdout.flush()


def check(ok, what, detail=None):
    global n, failed
    n += 1
    emit(("ok %d - %s" if ok else "not ok %d - %s") % (n, what))
    if not ok:
        failed += 1
        for l in (detail or "").splitlines():
            emit("# " + l)


def normalise(text):
    text = re.sub(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d"
                  r"( [+-]\d{4}| [A-Z]{3,5})( \(\w+\))?", "<DATE>", text)
    text = re.sub(r"\b[0-9A-Za-z]{8}\d{6}\b", "<QID>", text)
    text = re.sub(r"\b\d+\.\d+\.\d+\.\d+/\d+\.\d+\.\d+\.\d+\b", "<VERSION>", text)
    text = re.sub(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} [ \d]\d \d\d:\d\d\b", "<QTIME>", text)
    text = re.sub(r"/\S*/mqueue", "<QUEUE>", text)
    text = re.sub(r"/\S*/smtp-(reference|ours|client)-[^/\s]+", "<WORK>", text)
    text = re.sub(r"\bCP=\d+", "CP=<PORT>", text)
    return text


# ---- run inside the namespaces ----

class Conn:
    def __init__(self, source=None, host="127.0.0.1", port=PORT):
        self.sock = socket.create_connection((host, port), timeout=10,
                                             source_address=(source, 0) if source else None)
        self.buf = b""

    def reply(self, timeout=10.0):
        self.sock.settimeout(timeout)
        while True:
            start = 0
            while True:
                end = self.buf.find(b"\r\n", start)
                if end < 0:
                    break
                line = self.buf[start:end]
                start = end + 2
                if len(line) < 4 or line[3:4] != b"-":
                    out, self.buf = self.buf[:start], self.buf[start:]
                    return out.decode("latin-1")
            try:
                chunk = self.sock.recv(65536)
            except OSError as e:
                out, self.buf = self.buf, b""
                return out.decode("latin-1") + "<%s>" % type(e).__name__
            if not chunk:
                out, self.buf = self.buf, b""
                return out.decode("latin-1") + "<CLOSED>"
            self.buf += chunk


def play(path):
    out = []
    lines = [re.sub(r"\{(.)\*(\d+)\}", lambda m: m.group(1) * int(m.group(2)), l)
             for l in open(path, encoding="utf-8").read().splitlines()
             if l and not l.startswith("#")]
    source = [l.partition(" ")[2] for l in lines if l.startswith("source ")]
    connect = [l.split()[1:3] for l in lines if l.startswith("connect ")]
    c = Conn(source[0] if source else None, *(connect[0][0], int(connect[0][1])) if connect else ())
    for line in lines:
        op, _, arg = line.partition(" ")
        if op == "early":
            c.sock.sendall(arg.encode("latin-1").decode("unicode_escape").encode("latin-1"))
            out.append("early " + arg)
    out.append(c.reply())
    for line in lines:
        op, _, arg = line.partition(" ")
        if op == "sleep":
            time.sleep(float(arg))
            out.append(line)
        elif op in (">", ">>"):
            try:
                c.sock.sendall(arg.encode("latin-1") + b"\r\n")
            except OSError as e:
                out.append(op + " " + arg + " <%s>" % type(e).__name__)
                break
            out.append(op + " " + arg + ("\n" + c.reply() if op == ">" else ""))
        elif op == "<":
            out.append("< " + c.reply())
        elif op in ("raw", "rawsend"):
            c.sock.sendall(arg.encode("latin-1").decode("unicode_escape").encode("latin-1"))
            out.append(op + " " + arg + ("\n" + c.reply() if op == "raw" else ""))
    rest = []
    while True:
        r = c.reply(timeout=1.0)
        rest.append(r)
        if r.endswith(">"):
            break
    out.append("(after) " + "".join(rest))
    c.sock.close()
    return "\n".join(out)


def start_daemon(binary, cf, work):
    qdir = os.path.join(work, "mqueue")
    pidf = os.path.join(work, "pid")
    subprocess.run([binary, "-C", cf, "-bd", "-ODeliveryMode=queue", "-OQueueDirectory=" + qdir,
                    "-OPidFile=" + pidf], cwd=work, capture_output=True, timeout=30)
    mtatest.wait_for_port(PORT)
    return qdir, pidf


stop_daemon = mtatest.stop_daemon


def qf_envelopes(qdir):
    """the envelope records of every qf, ids and times masked, in a stable order"""
    out = []
    for f in sorted(os.listdir(qdir)):
        if not f.startswith("qf"):
            continue
        recs = []
        for line in open(os.path.join(qdir, f), encoding="latin-1").read().split("\n"):
            if line[:1] in ("V", "N", "B", "F", "$", "S", "Z", "A", "!", "r", "R", "Q", "C",
                            "q", "M"):
                recs.append(line)
        out.append("\n".join(recs))
    return "\n--\n".join(sorted(out))


def setup_namespace(work):
    """inside the namespaces: client addresses on the loopback, the name server if any"""
    subprocess.run(["ip", "link", "set", "lo", "up"], capture_output=True)
    for a in CLIENTS:
        subprocess.run(["ip", "addr", "add", a + "/32", "dev", "lo"], capture_output=True)
    zone = os.path.join(work, "dns.zone")
    if not os.path.exists(zone):
        return None
    with open(os.path.join(work, "resolv.conf"), "w") as f:
        f.write("nameserver 127.0.0.1\noptions attempts:1 timeout:2\n")
    subprocess.run(["mount", "--bind", os.path.join(work, "resolv.conf"), "/etc/resolv.conf"],
                   check=True)
    d = subprocess.Popen([sys.executable, os.path.join(HERE, "lib", "dnsd.py"), zone],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    d.stdout.readline()
    return d


def inner_compare(binary, cf, work, corpus=CORPUS):
    dns = setup_namespace(work)
    qdir, pidf = start_daemon(binary, cf, work)
    res = {}
    try:
        for _ in range(100):
            if os.path.exists(pidf) and open(pidf).read().endswith("\n"):
                break
            time.sleep(0.05)
        try:
            lines = open(pidf).read().split("\n")
            res["(pid file)"] = "pid %s\n%s" % (lines[0].isdigit(),
                                                 "\n".join(lines[1:]).replace(binary, "<BIN>"))
        except OSError as e:
            res["(pid file)"] = "<%s>" % e
        for f in sorted(os.listdir(corpus)):
            if f.endswith(".smtp"):
                try:
                    res[f] = play(os.path.join(corpus, f))
                except OSError as e:
                    res[f] = "<%s>" % e
        time.sleep(0.2)
        q = subprocess.run([binary, "-C", cf, "-OQueueDirectory=" + qdir, "-bp"], cwd=work,
                           capture_output=True, text=True, errors="replace", timeout=30)
        res["(mailq)"] = q.stdout + q.stderr
        res["(qf envelopes)"] = qf_envelopes(qdir)
    finally:
        stop_daemon(pidf)
        if dns is not None:
            dns.kill()
    for k, v in res.items():
        sys.stdout.write("\x00%s\x00%s" % (k, v))


def inner_client(binary, cf, work):
    """smtplib against our daemon; -bs on stdin/stdout"""
    import smtplib
    qdir, pidf = start_daemon(binary, cf, work)
    out = []
    try:
        s = smtplib.SMTP("127.0.0.1", PORT, local_hostname="client.example.net", timeout=10)
        code, msg = s.ehlo()
        out.append("ehlo %d pipelining=%s size=%s" % (code, s.has_extn("pipelining"),
                                                      s.has_extn("size")))
        body = ("Subject: smtplib\r\nFrom: py@example.net\r\n\r\nhello\r\n.leading dot\r\n")
        refused = s.sendmail("py@example.net", ["root@example.org", "nosuchuser98765@example.org"],
                             body)
        out.append("refused %s" % sorted(refused))
        code, msg = s.noop()
        out.append("noop %d" % code)
        s.quit()
    except Exception as e:
        out.append("error %r" % e)
    finally:
        stop_daemon(pidf)
    dfs = [f for f in os.listdir(qdir) if f.startswith("df")]
    out.append("dfs %d" % len(dfs))
    for f in dfs:
        out.append("df %r" % open(os.path.join(qdir, f), "rb").read())
    p = subprocess.run([binary, "-C", cf, "-bs", "-OQueueDirectory=" + qdir], cwd=work,
                       input=b"", capture_output=True, timeout=30)
    out.append("bs %r" % normalise(p.stdout.decode("latin-1")))
    sys.stdout.write("\n".join(out) + "\n")


# ---- outside ----

def prepare(scratch, root, who, sub=None, ourcf=False):
    work = tempfile.mkdtemp(prefix="smtp-%s-" % who, dir=scratch)
    os.chmod(work, 0o755)
    for d in (CORPUS, os.path.join(CORPUS, sub)) if sub else (CORPUS,):
        for f in os.listdir(d):
            if not f.endswith(".smtp") and os.path.isfile(os.path.join(d, f)):
                shutil.copy(os.path.join(d, f), work)
    # the reference's own help file, read by both daemons where a configuration names it
    helpfile = os.path.join(root, "etc/mail/helpfile")
    if os.path.exists(helpfile):
        shutil.copy(helpfile, os.path.join(work, "helpfile"))
    os.mkdir(os.path.join(work, "mqueue"), 0o700)
    mc = [f for f in os.listdir(os.path.join(CORPUS, sub)) if f.endswith(".mc")][0] if sub else "smtp.mc"
    cf = os.path.join(work, "t.cf")
    with open(cf, "w") as out:
        package = os.path.join(TOP, "cf", "m4", "cf.m4") if ourcf else \
            os.path.join(root, "usr/share/sendmail/cf/m4/cf.m4")
        subprocess.run(["m4", "-DWORKDIR=" + work, package,
                        mc], cwd=work, stdout=out, stderr=subprocess.DEVNULL, check=True)
    for f in os.listdir(work):
        if f.endswith(".txt") and f != "access.txt":
            with open(os.path.join(work, f)) as src:
                subprocess.run([os.path.join(root, "usr/libexec/sendmail/makemap"), "-C", cf, "hash",
                                f[:-4]], cwd=work, stdin=src, capture_output=True)
    with open(os.path.join(work, "access.txt")) as src:
        subprocess.run([os.path.join(root, "usr/libexec/sendmail/makemap"), "-C", cf, "hash", "access"],
                       cwd=work, stdin=src, capture_output=True)
    return work, cf


def main():
    root, why = mtatest.reference()
    if root is None:
        emit("1..1")
        emit("not ok 1 - reference unavailable: %s" % why)
        return 1
    ref = os.path.join(root, "usr/libexec/sendmail/sendmail")
    scratch = mtatest.scratch()
    # every folder's configuration built by the reference's m4 package; a folder with a file
    # "also-our-cf" a second time by ours (cf/), both daemons reading it
    subs = sorted(d for d in os.listdir(CORPUS) if os.path.isdir(os.path.join(CORPUS, d)))
    runs_wanted = [(None, False)]
    for d in subs:
        runs_wanted.append((d, False))
        if os.path.exists(os.path.join(CORPUS, d, "also-our-cf")):
            runs_wanted.append((d, True))
    keys = {}
    for sub, ourcf in runs_wanted:
        d = os.path.join(CORPUS, sub) if sub else CORPUS
        keys[sub, ourcf] = sorted(f for f in os.listdir(d) if f.endswith(".smtp")) + \
            ["(mailq)", "(qf envelopes)", "(pid file)"]
    emit("1..%d" % (sum(len(k) for k in keys.values()) + 5))
    works = []

    def run_one(job):
        """one daemon through one folder's dialogues, in its own namespaces"""
        sub, ourcf, who, binary, work, cf = job
        cmd = [ISOLATE]
        if os.path.exists(os.path.join(work, "dns.zone")):
            cmd += ["unshare", "-m", "--propagation", "private"]
        p = subprocess.run(cmd + [sys.executable, os.path.abspath(__file__), "--compare", binary,
                                  cf, work, os.path.join(CORPUS, sub) if sub else CORPUS],
                           capture_output=True, text=True, errors="replace", timeout=300)
        parts = p.stdout.split("\x00")[1:]
        got = dict(zip(parts[0::2], parts[1::2])) if parts else {"(error)": p.stderr}
        if os.environ.get("SMTP_DIFF_KEEP"):
            # SMTP_DIFF_KEEP=DIR: every transcript as it came, for a look at both sides
            os.makedirs(os.environ["SMTP_DIFF_KEEP"], exist_ok=True)
            with open(os.path.join(os.environ["SMTP_DIFF_KEEP"], "%s%s-%s.txt" %
                                   (sub or "top", "-ourcf" if ourcf else "", who)), "w") as t:
                for k, v in sorted(got.items()):
                    t.write("=== %s\n%s\n" % (k, v))
        return got

    # every run has its own namespaces (ports, addresses, name server), so they go side by side
    jobs = []
    for sub, ourcf in runs_wanted:
        for who, binary in (("reference", ref), ("ours", OURS)):
            work, cf = prepare(scratch, root, who, sub, ourcf)
            works.append(work)
            jobs.append((sub, ourcf, who, binary, work, cf))
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run_one, jobs))
    byrun = {}
    for job, got in zip(jobs, results):
        byrun.setdefault((job[0], job[1]), {})[job[2]] = got
    for sub, ourcf in runs_wanted:
        runs = byrun[sub, ourcf]
        label = (sub + (" (our cf)" if ourcf else "") + ": ") if sub else ""
        for key in keys[sub, ourcf]:
            want = normalise(runs["reference"].get(key, "<missing>"))
            got = normalise(runs["ours"].get(key, "<missing>"))
            check(want == got, "%s%s as 8.17's" % (label, key),
                  "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "reference",
                                                 "ours", lineterm="", n=2)) +
                  runs["ours"].get("(error)", "") + runs["reference"].get("(error)", ""))
    work, cf = prepare(scratch, root, "client")
    works.append(work)
    p = subprocess.run([ISOLATE, sys.executable, os.path.abspath(__file__), "--client", OURS, cf, work],
                       capture_output=True, text=True, errors="replace", timeout=120)
    out = p.stdout.splitlines()
    text = p.stdout + p.stderr
    check(any(l == "ehlo 250 pipelining=True size=True" for l in out), "smtplib: EHLO", text)
    check("refused ['nosuchuser98765@example.org']" in out, "smtplib: one recipient refused", text)
    check("noop 250" in out, "smtplib: the session goes on after DATA", text)
    check("dfs 1" in out and "df b'hello\\n.leading dot\\n'" in out,
          "smtplib: the message is queued, body unstuffed", text)
    check(any(l.startswith("bs '220 mail.example.com ESMTP Sendmail <VERSION>; <DATE>") for l in out),
          "-bs greets on stdout", text)
    for w in works:
        shutil.rmtree(w, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--compare":
        inner_compare(*sys.argv[2:6])
    elif len(sys.argv) > 1 and sys.argv[1] == "--client":
        inner_client(*sys.argv[2:5])
    else:
        sys.exit(main())
