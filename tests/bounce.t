#!/usr/bin/env python3
"""bounce.t -- the notices our delivery engine sends, against sendmail 8.17's, end to end.

Everything runs in one fresh network namespace (tests/lib/isolate: loopback only) with an
SMTP sink of this file on 127.0.0.1:2600 (the smart host; PIPELINING and 8BITMIME, no DSN):
it refuses RCPTs for nobody@ with 550, for tempfail.example.net with 450, and the message
for spam@ after DATA with 554; everything else it keeps.  The reference and we each get our
own folder, queue and configuration (the reference's m4 package), the same messages over
one `-bs -odq` session, then three queue runs (`-qf`):
  1. default timeouts: bounces for an alias to an unknown local user, a program exiting 67,
     a 550 and a 554 from the sink, a mixed failure; success notices for NOTIFY=SUCCESS to
     the DSN-less relay and to a local mailbox; a bounce of mail from <> (to the postmaster,
     itself undeliverable); a list with an owner- alias; Errors-To (UseErrorsTo unset); NOTIFY=SUCCESS
     to an alias of two (8.17: "expanded to multiple addresses", nobody listed), to an alias
     of one, and SUCCESS,FAILURE to an alias of an unknown user and a mailbox;
  2. -OTimeout.queuewarn=0 (never, for 8.17), then =30m with the message an hour old: the
     delay warning of the deferred message; a second run sends none (the w flag);
  3. -OTimeout.queuereturn=0: its return.
After each run, compared after normalising dates, queue ids, Message-Id values, versions and
boundaries: the messages the sink received (envelope and whole message), the local mailboxes,
and the -bp list.
"""
import difflib, os, re, shutil, socket, subprocess, sys, tempfile, threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
BIN = os.environ.get("SANBIN") or TOP
OURS = os.path.join(BIN, "sendmail", "sendmail")
CORPUS = os.path.join(HERE, "corpus", "deliver")
ISOLATE = os.path.join(HERE, "lib", "isolate")

ALIASES = """postmaster: pm
lost: nosuchuser
nouser: "|exit 67"
mixed: nosuchuser, nobody@elsewhere.example.org, kept@elsewhere.example.org
list: nosuchuser, listed@elsewhere.example.org
owner-list: listowner@elsewhere.example.org
team: news, member@elsewhere.example.org
solo: solo@elsewhere.example.org
mixteam: nosuchuser, news
"""


class Sink:
    """An SMTP server keeping every transaction: (mail args, [rcpt args], data bytes)."""

    def __init__(self, port=2600):
        self.got, self.lock = [], threading.Lock()
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
            if verb == b"EHLO":
                c.sendall(b"250-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
            elif verb == b"HELO":
                c.sendall(b"250 sink\r\n")
            elif verb == b"MAIL":
                mail, rcpts = cmd[10:].decode("latin-1"), []
                c.sendall(b"250 2.1.0 Ok\r\n")
            elif verb == b"RCPT":
                arg = cmd[8:].decode("latin-1")
                addr = arg.split(">")[0].lstrip("<").lower()
                if addr.endswith("@tempfail.example.net"):
                    c.sendall(b"450 4.3.0 Error: command failed\r\n")
                elif addr.startswith("nobody@"):
                    c.sendall(b"550 5.1.1 <%s>: Recipient address rejected: no such user\r\n"
                              % addr.encode())
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
                if any(r.lower().startswith("<spam@") for r in rcpts):
                    c.sendall(b"554 5.7.1 Message rejected as spam\r\n")
                    continue
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


def msg(subject, to="list@remote.example.net", extra=b""):
    return (b"From: Bob <bob@remote.example.net>\nTo: %s\nSubject: %s\n%s\nbody of %s\n"
            % (to.encode(), subject.encode(), extra, subject.encode()))


BOB = b"<bob@remote.example.net>"
MESSAGES = [
    (BOB, [b"<lost@mail.example.com>"], msg("alias to an unknown user")),
    (BOB, [b"<nouser@mail.example.com>"], msg("program exits 67")),
    (BOB, [b"<nobody@elsewhere.example.org>"], msg("refused by the sink")),
    (BOB, [b"<spam@elsewhere.example.org>"], msg("data refused by the sink")),
    (BOB, [b"<mixed@mail.example.com>", b"<dave@elsewhere.example.org>"], msg("mixed failures")),
    (BOB, [b"<carol@elsewhere.example.org> NOTIFY=SUCCESS"], msg("success to a DSN-less relay")),
    (BOB, [b"<news@mail.example.com> NOTIFY=SUCCESS,FAILURE"], msg("success to a mailbox")),
    (BOB, [b"<nobody@elsewhere.example.org> NOTIFY=NEVER"], msg("never notify")),
    (b"<>", [b"<lost@mail.example.com>"], msg("from the null sender")),
    (BOB, [b"<list@mail.example.com>"], msg("a list with an owner")),
    (BOB, [b"<team@mail.example.com> NOTIFY=SUCCESS"], msg("success to an alias")),
    (BOB, [b"<solo@mail.example.com> NOTIFY=SUCCESS"], msg("success to a one-member alias")),
    (BOB, [b"<mixteam@mail.example.com> NOTIFY=SUCCESS,FAILURE"], msg("success and failure to an alias")),
    (BOB, [b"<lost@mail.example.com>"], msg("Errors-To", extra=b"Errors-To: errors@elsewhere.example.org\n")),
    (BOB, [b"<eve@tempfail.example.net>"], msg("deferred")),
]


class Work:
    def __init__(self, scratch, root, name):
        self.dir = tempfile.mkdtemp(prefix="bounce-%s-" % name, dir=scratch)
        os.chmod(self.dir, 0o755)
        for f in ("switch", "hosts", "deliver.mc"):
            shutil.copy(os.path.join(CORPUS, f), self.dir)
        with open(os.path.join(self.dir, "deliver"), "w") as f:
            f.write('#!/bin/sh\nfor u; do :; done\ncat >> "%s/mbox.$u"\n' % self.dir)
        os.chmod(os.path.join(self.dir, "deliver"), 0o755)
        with open(os.path.join(self.dir, "aliases"), "w") as f:
            f.write(ALIASES)
        self.queue = os.path.join(self.dir, "mqueue")
        os.mkdir(self.queue, 0o700)
        self.cf = os.path.join(self.dir, "t.cf")
        with open(self.cf, "w") as out:
            subprocess.run(["m4", "-DWORKDIR=" + self.dir, os.path.join(root, "usr/share/sendmail/cf/m4/cf.m4"),
                            "deliver.mc"], cwd=self.dir, stdout=out, stderr=subprocess.DEVNULL, check=True)

    def mailboxes(self):
        out = {}
        for f in sorted(os.listdir(self.dir)):
            if f.startswith("mbox."):
                out[f] = open(os.path.join(self.dir, f), "rb").read().decode("latin-1")
                os.unlink(os.path.join(self.dir, f))
        return out


def smtp_session(prog, w, msgs):
    """msgs: [(mail from, [rcpts], data bytes)] submitted over one -bs session, queued only"""
    p = subprocess.Popen([prog, "-C", w.cf, "-bs", "-odq"], cwd=w.dir, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    said = []

    def reply():
        while True:
            l = p.stdout.readline()
            if len(l) < 4 or l[3:4] != b"-":
                said.append(l)
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
    return said


def normalise(text, w):
    text = text.replace(w.dir, "WORK")
    for b in set(re.findall(r'boundary="?([^";\s]+)', text)):
        text = text.replace(b, "<BOUNDARY>")
    text = re.sub(r"(?im)^((?:Resent-)?Message-Id:[ \t]*)<[^>\n]*>", r"\1<MSGID>", text)
    text = re.sub(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), +\d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d"
                  r"( [+-]\d{4}| [A-Z]{2,5})?( \(\w+\))?", "<DATE>", text)
    text = re.sub(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} [ \d]\d \d\d:\d\d(:\d\d \d{4})?",
                  "<DATE>", text)
    text = re.sub(r"\b[0-9A-Za-x]{8}\d{6,7}\b", "<QID>", text)
    return re.sub(r"\b\d+(\.\d+)+/\d+(\.\d+)+", "<VERSION>", text)


def subject(text):
    m = re.search(r"(?im)^Subject:[ \t]*(.*)", text.split("\n\n", 1)[0])
    s = m.group(1) if m else ""
    m = re.search(r"(?m)^Subject: (.*)", text.split("\n\n", 1)[1] if "\n\n" in text else "")
    return s + (" (re: %s)" % m.group(1) if m and m.group(1) != s else "")


def outcome(w, got, bp):
    """what a run did: {what: text}"""
    res = {}
    for mail, rcpts, data in got:
        text = normalise(data.decode("latin-1").replace("\r\n", "\n"), w)
        key = "sink %s: %s" % (" ".join(rcpts), subject(text))
        while key in res:
            key += "+"
        res[key] = "MAIL %s\nRCPT %s\n%s" % (mail, " ".join(rcpts), text)
    for name, text in w.mailboxes().items():
        for i, m in enumerate(re.split(r"(?m)^(?=From )", text)):
            if m:
                m = normalise(m, w)
                res["%s: %s" % (name, subject(m))] = m
    res["(mailq)"] = normalise(bp, w)
    return res


def inner():
    tap = mtatest.Tap()
    root, why = mtatest.reference()
    if root is None:
        tap.ok(False, "reference unavailable: %s" % why)
        return tap.done()
    ref = os.path.join(root, "usr/libexec/sendmail/sendmail")
    sink = Sink()
    scratch = mtatest.scratch()
    # Timeout.queuewarn=0 means "never warn" to 8.17: the deferred message is made an hour
    # old (its T record) and warned about after 30 minutes
    runs = [("first queue run", []), ("Timeout.queuewarn=0: no warning", ["-OTimeout.queuewarn=0"]),
            ("Timeout.queuewarn=30m", ["-OTimeout.queuewarn=30m"]),
            ("Timeout.queuewarn=30m again: no second warning", ["-OTimeout.queuewarn=30m"]),
            ("Timeout.queuereturn=0", ["-OTimeout.queuereturn=0"])]
    results = {}
    for who, prog in (("reference", ref), ("ours", OURS)):
        w = Work(scratch, root, who)
        subprocess.run([ref, "-C", w.cf, "-bi"], cwd=w.dir, capture_output=True)
        said = smtp_session(prog, w, MESSAGES)
        results[who] = [("submission", {"(replies)": normalise(b"".join(said).decode("latin-1"), w)})]
        for name, opts in runs:
            if "30m" in name:
                for f in os.listdir(w.queue):
                    if f.startswith("qf"):
                        p = os.path.join(w.queue, f)
                        text = open(p, "rb").read()
                        text = re.sub(rb"(?m)^T(\d+)", lambda m: b"T%d" % (int(m.group(1)) - 3600), text)
                        open(p, "wb").write(text)
            subprocess.run([prog, "-C", w.cf, "-qf"] + opts, cwd=w.dir, capture_output=True, timeout=120)
            bp = subprocess.run([prog, "-C", w.cf, "-bp"], cwd=w.dir, capture_output=True).stdout
            results[who].append((name, outcome(w, sink.take(), bp.decode("latin-1"))))
        if not os.environ.get("BOUNCE_KEEP"):
            shutil.rmtree(w.dir, ignore_errors=True)
    for (name, want), (_, have) in zip(results["reference"], results["ours"]):
        for key in sorted(want):
            got = have.get(key, "<missing>")
            tap.ok(want[key] == got, "%s: %s" % (name, key),
                   "\n".join(difflib.unified_diff(want[key].splitlines(), got.splitlines(), "reference",
                                                  "ours", lineterm="", n=2)))
        extra = sorted(k for k in have if k not in want)
        tap.ok(not extra, "%s: nothing the reference did not send" % name, "\n".join(extra))
    return tap.done()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inner":
        sys.exit(inner())
    sys.exit(subprocess.run([ISOLATE, sys.executable, os.path.abspath(__file__), "--inner"]).returncode)
