#!/usr/bin/env python3
"""deliver.t -- queue runs delivering to an SMTP sink, ours against sendmail 8.17.

Everything runs in one fresh network namespace (tests/lib/isolate: loopback only) with a
small SMTP sink of this file on 127.0.0.1:2600 (PIPELINING, 8BITMIME; 450 to every RCPT
for tempfail.example.net).  The reference and we each get our own folder, queue and
configuration (built by the reference's m4 package), the same submissions (-bs -odq), then
one `sendmail -qf` (-q runs in a child, as 8.17's does):
 * what the sink received (envelope, headers, body) is the same for both, after
   normalising queue ids and dates, and both queues are empty but for the deferred one;
 * among them: address headers rewritten for the mailer (unqualified addresses, comments,
   quoted names, groups, folded lists), header and body lines longer than the mailer's L=;
 * local deliveries (the local mailer appends to a file) are the same, Return-Path included;
 * the deferred message is listed by -bp as the reference lists its own;
 * two of our queue runners (-qf) started at once deliver each of 40 messages exactly once.
"""
import atexit, difflib, os, re, shutil, socket, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
BIN = os.environ.get("SANBIN") or TOP
OURS = os.path.join(BIN, "sendmail", "sendmail")
CORPUS = os.path.join(HERE, "corpus", "deliver")
ISOLATE = os.path.join(HERE, "lib", "isolate")


class Sink:
    """An SMTP server keeping every transaction: (mail args, [rcpt args], data bytes)."""

    def __init__(self, port=2600, eightbit=True):
        self.got, self.lock = [], threading.Lock()
        self.ehlo = b"250-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n" if eightbit else b"250-sink\r\n250 PIPELINING\r\n"
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", port))
        self.srv.listen(64)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            c, _ = self.srv.accept()
            threading.Thread(target=self.session, args=(c,), daemon=True).start()

    def session(self, c):
        f = c.makefile("rb")
        c.sendall(b"220 sink ESMTP\r\n")
        mail, rcpts = None, []
        while True:
            line = f.readline()
            if not line:
                break
            cmd = line.rstrip(b"\r\n")
            verb = cmd[:4].upper()
            if verb in (b"EHLO", b"LHLO"):
                c.sendall(self.ehlo)
            elif verb == b"HELO":
                c.sendall(b"250 sink\r\n")
            elif verb == b"MAIL":
                mail, rcpts = cmd[10:].decode("latin-1"), []
                c.sendall(b"250 2.1.0 Ok\r\n")
            elif verb == b"RCPT":
                arg = cmd[8:].decode("latin-1")
                if "@tempfail.example.net" in arg.lower():
                    c.sendall(b"450 4.3.0 Error: command failed\r\n")
                else:
                    rcpts.append(arg)
                    c.sendall(b"250 2.1.5 Ok\r\n")
            elif verb == b"DATA":
                if not rcpts:
                    c.sendall(b"554 5.5.1 Error: no valid recipients\r\n")
                    continue
                c.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                data = []
                while True:
                    l = f.readline()
                    if not l or l == b".\r\n":
                        break
                    data.append(l[1:] if l.startswith(b".") else l)
                with self.lock:
                    self.got.append((mail, rcpts, b"".join(data)))
                c.sendall(b"250 2.0.0 Ok: queued\r\n")
            elif verb == b"RSET":
                mail, rcpts = None, []
                c.sendall(b"250 2.0.0 Ok\r\n")
            elif verb == b"QUIT":
                c.sendall(b"221 2.0.0 Bye\r\n")
                break
            else:
                c.sendall(b"502 5.5.2 Error: command not recognized\r\n")
        c.close()

    def take(self):
        with self.lock:
            got, self.got = self.got, []
        return got


class Work:
    def __init__(self, scratch, root, name):
        self.dir = tempfile.mkdtemp(prefix="deliver-%s-" % name, dir=scratch)
        atexit.register(shutil.rmtree, self.dir, True)   # the test's files go with it
        os.chmod(self.dir, 0o755)
        for f in ("switch", "hosts", "deliver.mc"):
            shutil.copy(os.path.join(CORPUS, f), self.dir)
        with open(os.path.join(self.dir, "deliver"), "w") as f:
            f.write('#!/bin/sh\nfor u; do :; done\ncat >> "%s/mbox.$u"\n' % self.dir)
        os.chmod(os.path.join(self.dir, "deliver"), 0o755)
        open(os.path.join(self.dir, "aliases"), "w").close()
        self.queue = os.path.join(self.dir, "mqueue")
        os.mkdir(self.queue, 0o700)
        self.cf = os.path.join(self.dir, "t.cf")
        with open(self.cf, "w") as out:
            subprocess.run(["m4", "-DWORKDIR=" + self.dir, os.path.join(root, "usr/share/sendmail/cf/m4/cf.m4"),
                            "deliver.mc"], cwd=self.dir, stdout=out, stderr=subprocess.DEVNULL, check=True)

    def queued(self):
        return sorted(f for f in os.listdir(self.queue) if f.startswith("qf"))


def smtp_session(prog, w, msgs):
    """msgs: [(mail from, [rcpts], data bytes)] submitted over one -bs session, queued only"""
    p = subprocess.Popen([prog, "-C", w.cf, "-bs", "-odq"], cwd=w.dir, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)

    def reply():
        while True:
            l = p.stdout.readline()
            if len(l) < 4 or l[3:4] != b"-":
                return l

    def cmd(c):
        p.stdin.write(c)
        p.stdin.flush()
        return reply()
    reply()
    cmd(b"EHLO client.example.net\r\n")
    for frm, rcpts, data in msgs:
        cmd(b"MAIL FROM:" + frm + b"\r\n")
        for r in rcpts:
            cmd(b"RCPT TO:" + r + b"\r\n")
        cmd(b"DATA\r\n")
        body = b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in data.split(b"\n")[:-1])
        cmd(body + b".\r\n")
    cmd(b"QUIT\r\n")
    p.stdin.close()
    p.wait()


def normalise(text):
    text = re.sub(r"(?im)^(Message-Id:[ \t]*)<[^>\n]*>", r"\1<MSGID>", text)
    text = re.sub(r"\b[0-9A-Za-x]{8}\d{6,7}\b", "<QID>", text)
    text = re.sub(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), +\d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d( [+-]\d{4}| [A-Z]{2,5})?",
                  "<DATE>", text)
    text = re.sub(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} [ \d]\d \d\d:\d\d", "<DATE>", text)
    return text


MESSAGES = [
    (b"<bob@remote.example.net>", [b"<dave@elsewhere.example.org>"],
     b"From: Bob <bob@remote.example.net>\nTo: dave@elsewhere.example.org\nSubject: relayed\n"
     b"Message-Id: <m1@remote.example.net>\n\nFirst line.\n.. a line with a dot\n.\nFrom the start of a line\n"
     b"last line\n"),
    (b"<alice@remote.example.net> BODY=8BITMIME",
     [b"<erin@elsewhere.example.org>", b"<frank@elsewhere.example.org>"],
     b"From: alice@remote.example.net\nTo: erin@elsewhere.example.org, frank@elsewhere.example.org\n"
     b"Subject: two recipients, eight bits\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\n"
     b"Content-Transfer-Encoding: 8bit\n\nGr\xfc\xdfe\n"),
    (b"<>", [b"<gina@elsewhere.example.org>"],
     b"From: MAILER-DAEMON@remote.example.net\nSubject: null sender\n\nbody\n"),
    (b"<bob@remote.example.net>", [b"<dave@elsewhere.example.org>"],
     b"From: bob\nSender: Bob Local <bob>\nReply-To: (the list) list@remote.example.net, \"Last, First\" <first>\n"
     b"To: dave, \"Dave D.\" <dave@elsewhere.example.org>, undisclosed-recipients:;\nCc: carol@[127.0.0.1], erin\n"
     b"Subject: address headers\nMessage-Id: <m5@remote.example.net>\n\nbody\n"),
    (b"<bob@remote.example.net>", [b"<dave@elsewhere.example.org>"],
     b"From: Bob <bob@remote.example.net>\nTo: " + b", ".join(b"recipient-number-%d@elsewhere.example.org" % i
                                                         for i in range(9)) +
     b"\nCc: one, two,\n three\nSubject: a long list\n\nbody\n"),
    (b"<bob@remote.example.net>", [b"<dave@elsewhere.example.org>"],
     b"From: Bob <bob@remote.example.net>\nTo: dave@elsewhere.example.org\nSubject: " + b"s" * 2100 +
     b"\nX-Long: " + b"word " * 500 + b"\nX-Longer: " + b"a" * 5000 + b"\n\n" + b"x" * 5000 + b"\nshort\n" +
     b"y" * 2039 + b"\n" + b"z" * 2040 + b"\n.\n" + b"." * 2100 + b"\n" +
     b"".join(b"x" * n + b"\n" for n in (2041, 4087, 4088, 4094, 12000)) + b"x" * 2047 + b".y\n"),
    (b"<>", [b"<daemon@mail.example.com>"], b"From: MAILER-DAEMON\nSubject: null sender, local\n\nhi\n"),
    (b"<bob@remote.example.net>", [b"<daemon@mail.example.com>", b"<bin@mail.example.com>"],
     b"From: bob\nTo: daemon, bin@mail.example.com\nCc: Some One <someone>\nSubject: local, unqualified\n\nhello\n"),
    (b"<bob@remote.example.net>", [b"<eve@tempfail.example.net>"],
     b"From: Bob <bob@remote.example.net>\nTo: eve@tempfail.example.net\nSubject: deferred\n\nwaits\n"),
]


def inner():
    tap = mtatest.Tap()
    root, why = mtatest.reference()
    if root is None:
        tap.ok(False, "reference unavailable: %s" % why)
        return tap.done()
    ref = os.path.join(root, "usr/libexec/sendmail/sendmail")
    sink = Sink()
    scratch = mtatest.scratch()
    results = {}
    for who, prog in (("reference", ref), ("ours", OURS)):
        w = Work(scratch, root, who)
        subprocess.run([ref, "-C", w.cf, "-bi"], cwd=w.dir, capture_output=True)
        smtp_session(prog, w, MESSAGES)
        queued = len(w.queued())
        q = subprocess.run([prog, "-C", w.cf, "-qf"], cwd=w.dir, capture_output=True, timeout=120)
        got = sink.take()
        bp = subprocess.run([prog, "-C", w.cf, "-bp"], cwd=w.dir, capture_output=True).stdout.decode("latin-1")
        mbox = {}
        for f in sorted(os.listdir(w.dir)):
            if f.startswith("mbox."):
                mbox[f] = normalise(open(os.path.join(w.dir, f), encoding="latin-1").read())
        results[who] = dict(w=w, queued=queued, got=got, left=len(w.queued()), bp=bp, rc=q.returncode,
                            err=q.stdout + q.stderr, mbox=mbox)
    r, o = results["reference"], results["ours"]
    tap.ok(r["queued"] == len(MESSAGES) and o["queued"] == len(MESSAGES),
           "both queued the %d messages" % len(MESSAGES), "reference %d, ours %d" % (r["queued"], o["queued"]))
    tap.ok(o["rc"] == r["rc"], "sendmail -q exits as the reference's (%d)" % r["rc"],
           o["err"].decode("latin-1"))

    def key(t):
        return (t[1], t[0])
    want = sorted(((m, rc, normalise(d.decode("latin-1"))) for m, rc, d in r["got"]), key=key)
    have = sorted(((m, rc, normalise(d.decode("latin-1"))) for m, rc, d in o["got"]), key=key)
    tap.ok(len(want) == len(MESSAGES) - 3, "the reference delivered %d transactions" % (len(MESSAGES) - 3), repr(want))
    for i, t in enumerate(want):
        mine = have[i] if i < len(have) else ("<missing>", [], "")
        tap.ok(t[0] == mine[0] and t[1] == mine[1], "transaction %d: MAIL and RCPT as the reference's (%s %s)"
               % (i + 1, t[0], " ".join(t[1])), "ours: %s %s" % (mine[0], " ".join(mine[1])))
        tap.ok(t[2] == mine[2], "transaction %d: headers and body as the reference's" % (i + 1),
               "\n".join(difflib.unified_diff(t[2].splitlines(), mine[2].splitlines(), "reference", "ours",
                                              lineterm="")))
    tap.ok(len(r["mbox"]) > 0 and r["mbox"] == o["mbox"],
           "local deliveries (%s) as the reference's (Return-Path, headers for the local mailer)"
           % " ".join(sorted(r["mbox"])),
           "\n".join(difflib.unified_diff("".join(r["mbox"].values()).splitlines(),
                                          "".join(o["mbox"].values()).splitlines(), "reference", "ours", lineterm="")))
    tap.ok(len(have) == len(want), "no more transactions than the reference (%d)" % len(want),
           repr(have[len(want):]))
    tap.ok(r["left"] == 1 and o["left"] == 1, "the deferred message stays queued",
           "reference %d, ours %d" % (r["left"], o["left"]))
    bp_r = normalise(r["bp"].replace(r["w"].dir, "WORK"))
    bp_o = normalise(o["bp"].replace(o["w"].dir, "WORK"))
    tap.ok(bp_r == bp_o, "-bp lists the deferred message as the reference lists its own",
           "\n".join(difflib.unified_diff(bp_r.splitlines(), bp_o.splitlines(), "reference", "ours", lineterm="")))

    # two runners at once: each message delivered exactly once
    w = Work(scratch, root, "race")
    n = 40
    smtp_session(OURS, w, [(b"<bob@remote.example.net>", [b"<r%d@elsewhere.example.org>" % i],
                            b"Subject: race %d\n\nbody %d\n" % (i, i)) for i in range(n)])
    tap.ok(len(w.queued()) == n, "%d messages queued for the race" % n, "%d" % len(w.queued()))
    runners = [subprocess.Popen([OURS, "-C", w.cf, "-qf"], cwd=w.dir) for _ in range(2)]
    for p in runners:
        p.wait(timeout=120)
    got = sink.take()
    subjects = sorted(m.group(1).decode() for m in (re.search(rb"Subject: (race \d+)", d) for _, _, d in got) if m)
    tap.ok(subjects == sorted("race %d" % i for i in range(n)),
           "two concurrent queue runners delivered each message exactly once",
           "%d transactions; duplicates: %s" % (len(got), sorted({s for s in subjects if subjects.count(s) > 1})))
    tap.ok(len(w.queued()) == 0, "the queue is empty after the race", " ".join(w.queued()))
    return tap.done()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inner":
        sys.exit(inner())
    sys.exit(subprocess.run([ISOLATE, sys.executable, os.path.abspath(__file__), "--inner"]).returncode)
