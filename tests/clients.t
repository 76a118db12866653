#!/usr/bin/env python3
"""clients.t -- real SMTP clients against our daemon, and 8.17's queue runner on what it queued.

In fresh network and UTS namespaces (tests/lib/isolate), our `sendmail -C clients.cf -bD` runs
with its own queue under a scratch folder; clients.cf is built by our cf package from
tests/corpus/clients/clients.mc (queue only, relaying allowed).  Each client sends a message of
ours, with a token in its Subject:
  swaks (plain and --pipeline), Python smtplib (plain; PIPELINING by hand: MAIL, RCPTs and DATA
  in one write; SIZE=, also over MaxMessageSize; DSN's RET/ENVID/NOTIFY/ORCPT; BODY=8BITMIME
  with 8-bit bytes), curl (--crlf smtp:// --mail-from --mail-rcpt -T), msmtp, and Postfix's
  smtp-source for load (hundreds of messages over many sessions, one per connection and several
  per connection).
Each must get its 250 (queue id from the reply), and the message must be in the queue whole:
the df holds exactly the body sent (dots unstuffed, LF line ends), the qf is complete and our
reader takes it back byte for byte, its H records hold every header field sent, unchanged and
in order, its S and R records the envelope, and `-bp` lists it.
Then the daemon stops, and sendmail 8.17's queue runner (`sendmail -q` of the reference, with a
configuration the reference m4 package builds from the same clients.mc) delivers our queue to an
SMTP sink in the namespace: every message arrives, whole, to its recipients; the queue is empty.
Clients missing from the machine are installed by tests/lib/fetch-smtp-tools.
"""
import os, re, smtplib, socket, subprocess, sys, threading, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402
import mtadaemon as md  # noqa: E402

md.reexec_isolated()
PORT, SINKPORT = 2525, 2600
FROM, TO = "sender@example.org", "rcpt@example.net"
tap = mtatest.Tap()
sent = {}      # queue id -> (message bytes as written, LF ends; envelope sender; recipients)


def message(token, extra=b"", body=None):
    body = body if body is not None else (
        b"Hello from %s.\n.a line starting with a dot\n..two dots\n\n  indented\n" % token.encode()
        + b"x" * 900 + b"\nend\n")
    return (b"From: Sender <sender@example.org>\nTo: rcpt@example.net\nSubject: %s\n"
            b"Date: Sat, 21 Nov 2026 10:00:00 +0000\nMessage-Id: <%s@client.example.org>\n"
            b"X-Folded: first\n\tsecond\n  third\n" % (token.encode(), token.encode()) + extra + b"\n" + body)


def crlf(msg):
    return msg.replace(b"\n", b"\r\n")


def queue_id(text):
    m = re.findall(r"250 2\.0\.0 ([0-9A-Za-x]{8}\d{6,}) Message accepted", text)
    return m[-1] if m else None


def accepted(name, qid, msg, out, sender=FROM, rcpts=(TO,)):
    tap.ok(qid is not None, "%s: the message gets its 250 and a queue id" % name, out)
    if qid:
        sent[qid] = (msg, sender, list(rcpts), name)


def run(cmd, stdin=None, timeout=60):
    p = subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout)
    return p.returncode, (p.stdout + p.stderr).decode("latin-1")


def check_queued(work, qid, msg, sender, rcpts, name):
    qf = os.path.join(work.queue, "qf" + qid)
    df = os.path.join(work.queue, "df" + qid)
    if not os.path.exists(qf):
        tap.ok(False, "%s: qf%s is in the queue" % (name, qid), "queue: %s" % sorted(os.listdir(work.queue)))
        return
    recs = md.qf_records(qf)
    tap.ok(recs is not None, "%s: qf%s is complete (ends with its '.' line)" % (name, qid))
    ok, err = md.qf_parses(qf)
    tap.ok(ok, "%s: our qf reader takes it back byte for byte" % name, err)
    got = open(df, "rb").read() if os.path.exists(df) else None
    tap.ok(got == md.message_body(msg), "%s: df%s holds the body as sent (%d bytes)" % (name, qid, len(got or b"")),
           "df: %r\nsent: %r" % ((got or b"")[:300], md.message_body(msg)[:300]))
    if recs is None:
        return
    hdrs = md.headers_of(recs)
    want = md.message_headers(msg)
    pos, missing = 0, []
    for h in want:
        try:
            pos = hdrs.index(h, pos) + 1
        except ValueError:
            missing.append(h)
    tap.ok(not missing, "%s: the qf's H records hold the %d header fields sent, unchanged, in order" % (name, len(want)),
           "missing or out of order: %r\nH records: %r" % (missing, hdrs))
    senders = [r[1:] for r in recs if r.startswith(b"S")]
    rs = [r.split(b":", 1)[1] for r in recs if r.startswith(b"R")]
    tap.ok(senders == [("<%s>" % sender).encode()] and sorted(rs) == sorted(("<%s>" % r).encode() for r in rcpts),
           "%s: S and R records are the envelope" % name, "S %r R %r" % (senders, rs))


# ---- the clients ----

def swaks(port):
    for name, extra in (("swaks", []), ("swaks --pipeline", ["--pipeline"])):
        msg = message(name.replace(" ", "_"))
        path = os.path.join(work.dir, "swaks.msg")
        open(path, "wb").write(msg.rstrip(b"\n"))     # swaks ends the data with CRLF . CRLF itself
        rc, out = run(["swaks", "--server", "127.0.0.1:%d" % port, "--from", FROM, "--to", TO,
                       "--helo", "client.example.org", "--data", path] + extra)
        accepted(name, queue_id(out) if rc == 0 else None, msg, out)


class Reply:
    def __init__(self, f):
        self.f = f

    def read(self):
        lines = []
        while True:
            l = self.f.readline()
            lines.append(l.decode("latin-1"))
            if len(l) < 4 or l[3:4] != b"-":
                return "".join(lines)


def smtplib_clients(port):
    # plain
    msg = message("smtplib_plain")
    with smtplib.SMTP("127.0.0.1", port, local_hostname="client.example.org", timeout=30) as s:
        s.ehlo()
        s.mail(FROM)
        s.rcpt(TO)
        code, text = s.data(crlf(msg))
        accepted("smtplib", queue_id("%d %s" % (code, text.decode("latin-1"))), msg, "%d %s" % (code, text))
    # PIPELINING: the transaction in one write, then the message
    msg = message("smtplib_pipelining")
    rcpts = [TO, "second@example.net", "third@example.com"]
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        f = sock.makefile("rb")
        r = Reply(f)
        greet = r.read()
        sock.sendall(b"EHLO client.example.org\r\n")
        ehlo = r.read()
        tap.ok("250-PIPELINING" in ehlo, "the EHLO reply offers PIPELINING", greet + ehlo)
        sock.sendall(b"MAIL FROM:<%s>\r\n" % FROM.encode() + b"".join(b"RCPT TO:<%s>\r\n" % x.encode() for x in rcpts)
                     + b"DATA\r\n")
        replies = [r.read() for _ in range(len(rcpts) + 2)]
        tap.ok([x[:3] for x in replies] == ["250"] * (len(rcpts) + 1) + ["354"],
               "pipelined MAIL, RCPTs, DATA: 250s and 354", "".join(replies))
        sock.sendall(crlf(msg).replace(b"\r\n.", b"\r\n..") + b".\r\nQUIT\r\n")
        end = r.read()
        r.read()
        accepted("smtplib pipelining", queue_id(end), msg, end, rcpts=rcpts)
    # SIZE=: declared, and declared over MaxMessageSize (1000000 in clients.mc)
    msg = message("smtplib_size")
    with smtplib.SMTP("127.0.0.1", port, local_hostname="client.example.org", timeout=30) as s:
        s.ehlo()
        tap.ok(s.has_extn("size") and s.esmtp_features["size"] == "1000000",
               "the EHLO reply offers SIZE 1000000", repr(s.esmtp_features))
        code, text = s.mail(FROM, ["SIZE=%d" % len(crlf(msg))])
        s.rcpt(TO)
        code, text = s.data(crlf(msg))
        accepted("smtplib SIZE=", queue_id("%d %s" % (code, text.decode("latin-1"))), msg, "%d %s" % (code, text))
        code, text = s.mail(FROM, ["SIZE=2000000"])
        tap.ok(code == 552, "MAIL with SIZE= over MaxMessageSize: 552 (RFC 1870)", "%d %s" % (code, text))
        s.rset()
    # DSN parameters
    msg = message("smtplib_dsn")
    with smtplib.SMTP("127.0.0.1", port, local_hostname="client.example.org", timeout=30) as s:
        s.ehlo()
        tap.ok(s.has_extn("dsn"), "the EHLO reply offers DSN")
        code, text = s.mail(FROM, ["RET=HDRS", "ENVID=token+2Bdsn"])
        c2, t2 = s.rcpt(TO, ["NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;orig+2Brcpt@example.net"])
        c3, t3 = s.rcpt("never@example.net", ["NOTIFY=NEVER"])
        tap.ok((code, c2, c3) == (250, 250, 250), "MAIL RET= ENVID=, RCPT NOTIFY= ORCPT=: 250s",
               "%s %s %s" % (text, t2, t3))
        code, text = s.data(crlf(msg))
        qid = queue_id("%d %s" % (code, text.decode("latin-1")))
        accepted("smtplib DSN", qid, msg, "%d %s" % (code, text), rcpts=[TO, "never@example.net"])
        dsn_id = qid
    # BODY=8BITMIME with 8-bit bytes in headers and body
    msg = message("smtplib_8bitmime", extra=b"X-Latin: caf\xc3\xa9\n",
                  body=b"8-bit: \xe9\xe8\xff\x80 \xc3\xa9t\xc3\xa9\n.dot\n")
    with smtplib.SMTP("127.0.0.1", port, local_hostname="client.example.org", timeout=30) as s:
        s.ehlo()
        tap.ok(s.has_extn("8bitmime"), "the EHLO reply offers 8BITMIME")
        s.mail(FROM, ["BODY=8BITMIME"])
        s.rcpt(TO)
        code, text = s.data(crlf(msg))
        qid = queue_id("%d %s" % (code, text.decode("latin-1")))
        accepted("smtplib BODY=8BITMIME", qid, msg, "%d %s" % (code, text))
        bit8_id = qid
    return dsn_id, bit8_id


def curl(port):
    msg = message("curl")
    path = os.path.join(work.dir, "curl.msg")
    open(path, "wb").write(msg)
    rc, out = run(["curl", "-sS", "-v", "--crlf", "smtp://127.0.0.1:%d/client.example.org" % port,
                   "--mail-from", FROM, "--mail-rcpt", TO, "-T", path])
    accepted("curl --crlf", queue_id(out) if rc == 0 else None, msg, out)


def msmtp(port):
    msg = message("msmtp")
    rc, out = run(["msmtp", "--file=/dev/null", "-v", "--host=127.0.0.1", "--port=%d" % port, "--auth=off",
                   "--tls=off", "--domain=client.example.org", "--from=" + FROM, TO], stdin=msg)
    accepted("msmtp", queue_id(out) if rc == 0 else None, msg, out)


def smtp_source(tools, port, before):
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(tools, "usr/lib/postfix"))
    src = os.path.join(tools, "usr/sbin/smtp-source")
    runs = [("smtp-source -s 8, one message per connection", ["-s", "8", "-m", "300"], 300),
            ("smtp-source -s 4 -d, several messages per connection", ["-s", "4", "-m", "100", "-d"], 100)]
    total = 0
    for name, args, count in runs:
        p = subprocess.run([src, "-l", "2048", "-f", "load@example.org", "-t", "load@example.net", "-M",
                            "client.example.org"] + args + ["127.0.0.1:%d" % port],
                           env=env, capture_output=True, timeout=600)
        tap.ok(p.returncode == 0, "%s: %d messages, every one answered 250" % (name, count),
               (p.stdout + p.stderr).decode("latin-1"))
        total += count
    files = md.queue_files(work.queue)
    new = sorted(files.get("qf", set()) - before)
    tap.ok(len(new) == total, "smtp-source: %d new messages in the queue (%d sent)" % (len(new), total))
    bodies, bad = {}, []
    for qid in new:
        recs = md.qf_records(os.path.join(work.queue, "qf" + qid))
        hdrs = [h.split(b":", 1)[0] for h in md.headers_of(recs or [])]
        rs = [r for r in (recs or []) if r.startswith(b"R")]
        if recs is None or [b"S<load@example.org>"] != [r for r in recs if r.startswith(b"S")] \
                or len(rs) != 1 or not rs[0].endswith(b":<load@example.net>") or hdrs[-4:] != [b"From", b"To", b"Date", b"Message-Id"]:
            bad.append(qid)
        df = open(os.path.join(work.queue, "df" + qid), "rb").read()
        bodies[df] = bodies.get(df, 0) + 1
    tap.ok(not bad, "smtp-source: every qf complete, with its envelope and the 4 header fields smtp-source sends",
           "bad: %s" % bad[:5])
    body = next(iter(bodies)) if len(bodies) == 1 else b""
    tap.ok(len(bodies) == 1 and set(body) <= set(b"0123456789X\n") and len(body) >= 2000,
           "smtp-source: every df holds the same 2 KB body",
           "%d distinct bodies, sizes %s" % (len(bodies), sorted({len(b) for b in bodies})[:10]))
    return new, body


# ---- the reference's queue runner ----

class Sink:
    """An SMTP server on 127.0.0.1:SINKPORT that keeps each transaction (sender, rcpts, data)."""

    def __init__(self, port):
        self.got, self.lock = [], threading.Lock()
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", port))
        self.srv.listen(64)
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            c, _ = self.srv.accept()
            threading.Thread(target=self.session, args=(c,), daemon=True).start()

    def session(self, c):
        f = c.makefile("rb")
        c.sendall(b"220 sink ESMTP\r\n")
        frm, rcpts = None, []
        while True:
            line = f.readline()
            if not line:
                return
            cmd = line[:4].upper()
            if cmd in (b"EHLO", b"HELO"):
                c.sendall(b"250-sink\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 DSN\r\n" if cmd == b"EHLO" else b"250 sink\r\n")
            elif cmd == b"MAIL":
                frm, rcpts = line[10:].strip().split(b" ")[0], []
                c.sendall(b"250 ok\r\n")
            elif cmd == b"RCPT":
                rcpts.append(line[8:].strip().split(b" ")[0])
                c.sendall(b"250 ok\r\n")
            elif cmd == b"DATA":
                c.sendall(b"354 go\r\n")
                data = []
                while True:
                    l = f.readline()
                    if l in (b".\r\n", b""):
                        break
                    data.append(l[1:] if l.startswith(b".") else l)
                with self.lock:
                    self.got.append((frm, rcpts, b"".join(data).replace(b"\r\n", b"\n")))
                c.sendall(b"250 kept\r\n")
            elif cmd == b"QUIT":
                c.sendall(b"221 bye\r\n")
                return
            else:
                c.sendall(b"250 ok\r\n")


def reference_queue_run(ref_root, load_ids, load_body):
    ref = os.path.join(ref_root, "usr/libexec/sendmail/sendmail")
    ref_cf = work.config(os.path.join(ref_root, "usr/share/sendmail/cf/m4/cf.m4"), "reference.cf")
    sink = Sink(SINKPORT)
    queued = md.queue_files(work.queue).get("qf", set())
    p = subprocess.run([ref, "-C", ref_cf, "-q", "-v"], cwd=work.dir, capture_output=True, timeout=600)
    text = (p.stdout + p.stderr).decode("latin-1")
    bad = [l for l in text.splitlines() if re.search(r"SYSERR|bad line|readqf|lost|cannot|Losing|format error", l)]
    tap.ok(p.returncode == 0 and not bad, "8.17's queue runner reads our daemon's queue without complaint",
           "\n".join(bad) or text[-3000:])
    left = md.queue_files(work.queue)
    tap.ok(not left.get("qf") and not left.get("df") and not left.get("Qf") and not left.get("tf"),
           "and empties it (%d messages)" % len(queued), "left: %s" % {k: sorted(v)[:5] for k, v in left.items()})
    by_token = {}
    for frm, rcpts, data in sink.got:
        m = re.search(rb"(?m)^Subject: (\S+)$", data)
        if m:
            by_token.setdefault(m.group(1), []).append((frm, rcpts, data))
    for qid, (msg, sender, rcpts, name) in sorted(sent.items()):
        token = re.search(rb"(?m)^Subject: (\S+)$", msg).group(1)
        got = by_token.get(token, [])
        rc_got = sorted(r for _, rs, _ in got for r in rs)
        # what 8.17 sends on: its Received line first, then the message as our daemon queued it
        whole = [d for _, _, d in got if d.endswith(b"\n" + md.message_body(msg)) and
                 all(h in d for h in md.message_headers(msg))]
        tap.ok(whole and len(whole) == len(got) and rc_got == sorted(("<%s>" % r).encode() for r in rcpts)
               and all(f == ("<%s>" % sender).encode() for f, _, _ in got),
               "%s: 8.17 delivers %s whole, from <%s> to %s" % (name, qid, sender, ", ".join(rcpts)),
               "got %d transactions to %r: %r" % (len(got), rc_got, [d[:400] for _, _, d in got]))
    load = [d for _, rs, d in sink.got if rs == [b"<load@example.net>"]]
    tap.ok(len(load) == len(load_ids) and all(d.endswith(b"\n\n" + load_body) for d in load),
           "smtp-source's %d messages: 8.17 delivers each whole" % len(load_ids),
           "%d delivered" % len(load))


def main():
    global work
    tools, why = md.smtp_tools()
    if tools is None:
        tap.ok(False, "the SMTP clients are available", why)
        return tap.done()
    ref_root, why = mtatest.reference()
    work = md.Work(mtatest.scratch(), "clients", PORT, SINKPORT)
    subprocess.run([md.OURS, "-C", work.cf, "-bi"], cwd=work.dir, capture_output=True)
    d = md.Daemon(work)
    tap.ok(d.start(), "our daemon answers on 127.0.0.1:%d" % PORT, d.text())
    try:
        swaks(PORT)
        dsn_id, bit8_id = smtplib_clients(PORT)
        curl(PORT)
        msmtp(PORT)
        for qid, (msg, sender, rcpts, name) in sorted(sent.items()):
            check_queued(work, qid, msg, sender, rcpts, name)
        if dsn_id:
            recs = md.qf_records(os.path.join(work.queue, "qf" + dsn_id)) or []
            # the records sendmail 8.17 writes for these parameters (RFC 3461's fields)
            tap.ok(b"Ztoken+2Bdsn" in recs, "DSN: ENVID kept as the Z record", repr(recs))
            tap.ok(b"RPNSF:<rcpt@example.net>" in recs and b"RPN:<never@example.net>" in recs,
                   "DSN: NOTIFY kept as the R records' flags (N, S, F; NEVER: N alone)", repr(recs))
            tap.ok(b"Qrfc822;orig+2Brcpt@example.net" in recs, "DSN: ORCPT kept as the Q record", repr(recs))
            tap.ok(any(r.startswith(b"F") and b"d" in r and b"n" in r for r in recs),
                   "DSN: RET=HDRS kept as the F record's d and n flags", repr(recs))
        if bit8_id:
            recs = md.qf_records(os.path.join(work.queue, "qf" + bit8_id)) or []
            tap.ok(b"B8BITMIME" in recs, "BODY=8BITMIME kept as the B record", repr(recs))
        before = md.queue_files(work.queue).get("qf", set())
        load_ids, load_body = smtp_source(tools, PORT, before)
        rc, listing = run([md.OURS, "-C", work.cf, "-bp"])
        unlisted = [q for q in list(sent) + load_ids if q not in listing]
        tap.ok(rc == 0 and not unlisted and ("Total requests: %d" % (len(sent) + len(load_ids))) in listing,
               "-bp lists every message (%d)" % (len(sent) + len(load_ids)),
               "not listed: %s\n%s" % (unlisted[:10], listing[-1000:]))
        tap.ok(d.proc.poll() is None, "the daemon is still running")
    finally:
        d.stop()
    if ref_root is None:
        tap.ok(False, "the reference is available for its queue runner", why)
    else:
        reference_queue_run(ref_root, load_ids, load_body)
    if not tap.failed:
        work.remove()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
