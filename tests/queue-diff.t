#!/usr/bin/env python3
"""queue-diff.t -- our queue files and mailq against sendmail 8.17's.

Every expected value comes from the reference, run in the same folders:
 * queue A: messages queued by the reference (command line, SMTP with DSN parameters, a
   deferred delivery attempt): our -bp and -bp -v list it as the reference does, under each
   sort order (priority, host, time, filename, modification, none), MaxQueueRunSize, MinQueueAge, QueueLA (the X mark) and a lock held by one of
   our queue runners; our
   qf reader parses each of its qf files and writes back the same bytes.
 * queue B: the same envelopes built through our envelope API and queued by our writer
   (tests/unit/qtool): the qf and df are the reference's bytes; the reference lists B as we
   do; its queue runner takes our files without complaint and delivers the same mailboxes
   as from its own; envelopes of our own making (sticky controlling users, quarantine,
   status messages) are listed alike.
 * crafted queues (odd records, missing files, long and unprintable values, qf/ df/ xf/
   subfolders, a "dir/prefix*" queue set, a missing queue folder): listed alike.
"""
import difflib, fcntl, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
SANBIN = os.environ.get("SANBIN")
BIN = SANBIN or TOP
OURS = os.path.join(BIN, "sendmail", "sendmail")
QTOOL = os.path.join(SANBIN or os.path.join(TOP, ".obj"), "tests", "unit", "qtool")
CORPUS = os.path.join(HERE, "corpus", "queue")
ISOLATE = os.path.join(HERE, "lib", "isolate")

n = failed = 0
lines = []


def emit(s):
    print(s)
    sys.stdout.flush()


def check(ok, what, detail=None):
    global n, failed
    n += 1
    if ok:
        emit("ok %d - %s" % (n, what))
    else:
        failed += 1
        emit("not ok %d - %s" % (n, what))
        if detail:
            for l in detail.splitlines():
                emit("# " + l)


def same(want, got, what):
    if want == got:
        check(True, what)
    else:
        diff = difflib.unified_diff(want.splitlines(), got.splitlines(), "reference", "ours", lineterm="")
        check(False, what, "\n".join(diff))


def run(cmd, cwd=None, stdin=b"", isolate=True, env=None):
    if isolate:
        cmd = [ISOLATE] + cmd
    p = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, timeout=120, env=env)
    return p.returncode, p.stdout, p.stderr


class Work:
    """a folder with a configuration built by the reference m4 package"""

    def __init__(self, scratch, root, name):
        self.dir = tempfile.mkdtemp(prefix="queue-%s-" % name, dir=scratch)
        os.chmod(self.dir, 0o755)
        for f in ("switch", "hosts", "queue.mc"):
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
                            "queue.mc"], cwd=self.dir, stdout=out, stderr=subprocess.DEVNULL, check=True)


def listing(prog, work, args, argv0=None):
    cmd = [prog, "-C", work.cf] + args
    rc, out, err = run(cmd, cwd=work.dir)
    return "exit %d\n%s%s" % (rc, out.decode("latin-1"), err.decode("latin-1"))


def qfiles(queue):
    return sorted(f for f in os.listdir(queue) if f.startswith("qf"))


def records(qf):
    """the records of a qf (continuation lines joined with newlines), the final dot left out"""
    recs = []
    for line in open(qf, "rb").read().split(b"\n"):
        if line[:1] in (b" ", b"\t") and recs:
            recs[-1] += b"\n" + line
        elif line:
            recs.append(line)
    assert recs[-1] == b"."
    return recs[:-1]


def compare_listings(ref, ours, work, args, what):
    want = listing(ref, work, args)
    got = listing(ours, work, args)
    same(want, got, what)
    return want


def main():
    root, why = mtatest.reference()
    if root is None:
        emit("1..1")
        emit("not ok 1 - reference unavailable: %s" % why)
        return 1
    ref = os.path.join(root, "usr/libexec/sendmail/sendmail")
    scratch = mtatest.scratch()
    A = Work(scratch, root, "A")
    B = Work(scratch, root, "B")
    for w in (A, B):
        run([ref, "-C", w.cf, "-bi"], cwd=w.dir)

    def submit(args, body, w=A):
        rc, out, err = run([ref, "-C", w.cf, "-odq"] + args, cwd=w.dir, stdin=body)
        if rc != 0:
            emit("# submission %s: exit %d %s%s" % (args, rc, out.decode("latin-1"), err.decode("latin-1")))

    def smtp(w, cmds):
        p = subprocess.Popen([ISOLATE, ref, "-C", w.cf, "-bs", "-odq"], cwd=w.dir, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)

        def reply():
            while True:
                l = p.stdout.readline()
                if len(l) < 4 or l[3:4] != b"-":
                    return l
        reply()
        for c in cmds:
            p.stdin.write(c)
            p.stdin.flush()
            reply()
        p.stdin.close()
        p.wait()

    # ---- queue A: the reference's queue ----
    empty = compare_listings(ref, OURS, A, ["-bp"], "empty queue")
    submit(["-f", "sender@example.org", "joe@elsewhere.example"], b"Subject: deferred\n\nbody\n")
    run([ref, "-C", A.cf, "-q", "-v"], cwd=A.dir)    # a delivery attempt: deferred (no network)
    submit(["-f", "sender@example.org", "daemon", "root"], b"Subject: hi\n\nhello\n..\n.\n")
    submit(["-f", "a-rather-long-sender-address.with.several.parts@sub.example.org",
            "a-very-long-local-part-recipient-name-for-truncation@elsewhere.example", "daemon"],
           b"Subject: long names\n\n" + b"x" * 5000 + b"\n")
    submit(["-B8BITMIME", "-N", "success,delay", "-R", "hdrs", "-V", "envid123", "-f", "x@example.org",
            "daemon", "joe@elsewhere.example"], b"Subject: 8bit \xe9\n\nbody \xe9\xff\n")
    submit(["-t", "-f", "sender@example.org"],
           b"To: daemon, root\nCc: daemon\nBcc: root\nSubject: with -t\nX-Folded: one\n  two\n\tthree\n\nbody\n")
    smtp(A, [b"EHLO client.example.net\r\n",
             b"MAIL FROM:<a@example.org> BODY=8BITMIME RET=FULL ENVID=abc+2Bdef SIZE=100\r\n",
             b"RCPT TO:<joe@elsewhere.example> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;orig+40x@y\r\n",
             b"RCPT TO:<root> NOTIFY=NEVER\r\n", b"RCPT TO:<daemon>\r\n", b"DATA\r\n",
             b"Subject: smtp\r\nTo: daemon\r\n\r\nbody \xe9\r\n..dot\r\n.\r\n", b"QUIT\r\n"])
    smtp(A, [b"HELO client.example.net\r\n", b"MAIL FROM:<>\r\n", b"RCPT TO:<daemon>\r\n", b"DATA\r\n",
             b"Subject: null sender\r\n\r\nx\r\n.\r\n", b"QUIT\r\n"])
    a_ids = [f[2:] for f in qfiles(A.queue)]
    emit("# reference queued %d messages in A" % len(a_ids))
    check(len(a_ids) == 7, "the reference queued 7 messages")

    # our reader and writer on the reference's files: the same bytes back
    for f in qfiles(A.queue):
        path = os.path.join(A.queue, f)
        rc, out, err = run([QTOOL, "roundtrip", path], isolate=False)
        same(open(path, "rb").read().decode("latin-1"), out.decode("latin-1") + err.decode("latin-1"),
             "our qf reader and writer keep the reference's %s byte for byte" % f)

    for args in (["-bp"], ["-bp", "-v"], ["-bp", "-OQueueSortOrder=filename"], ["-bp", "-v", "-OQueueSortOrder=time"],
                 ["-bp", "-OQueueSortOrder=modification"], ["-bp", "-OQueueSortOrder=none"],
                 ["-bp", "-OMaxQueueRunSize=3"], ["-bp", "-v", "-OMinQueueAge=1h"],
                 ["-bp", "-OQueueLA=0", "-OQueueFactor=1"], ["-bp", "-OQueueLA=0", "-OQueueFactor=1", "-OQueueSortOrder=f"]):
        compare_listings(ref, OURS, A, args, "queue A (the reference's): %s" % " ".join(args))
    # mailq by name
    link = os.path.join(A.dir, "mailq")
    os.symlink(OURS, link)
    same(listing(ref, A, ["-bp"]), listing(link, A, []), "queue A: our binary called mailq")
    os.unlink(link)
    # a job one of our runners holds: '*' for both
    locker = subprocess.Popen([QTOOL, "lock", A.queue, a_ids[0], "30"], stdout=subprocess.PIPE)
    locker.stdout.readline()
    compare_listings(ref, OURS, A, ["-bp"], "queue A with a job locked by our queue runner")
    compare_listings(ref, OURS, A, ["-bp", "-v"], "queue A with a job locked by our queue runner, -v")
    compare_listings(ref, OURS, A, ["-bp", "-OQueueSortOrder=host"],
                     "queue A with a job locked by our queue runner, host order")
    rc, _, _ = run([QTOOL, "read", A.queue, a_ids[0]], isolate=False)
    check(rc == 3, "a second runner of ours finds that job locked")
    locker.kill()
    locker.wait()
    # a job the reference's runner holds (flock as 8.17 takes it) is locked for ours too
    with open(os.path.join(A.queue, "qf" + a_ids[1])) as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        rc, _, _ = run([QTOOL, "read", A.queue, a_ids[1]], isolate=False)
        check(rc == 3, "a job under an exclusive flock is locked for our runner")
    rc, _, _ = run([QTOOL, "read", A.queue, a_ids[1]], isolate=False)
    check(rc == 0, "and free once it is released")

    # ---- queue B: the same envelopes through our envelope API and writer ----
    idmap = {}
    for aid in a_ids:
        recs = records(os.path.join(A.queue, "qf" + aid))
        args = [r.decode("latin-1") for r in recs if not r.startswith(b"V")]
        # the C records are sticky: pass the controlling user to every R it applies to
        body = open(os.path.join(A.queue, "df" + aid), "rb").read()
        p = subprocess.run([QTOOL, "enqueue", B.queue] + [a.encode("latin-1") for a in args], input=body,
                           capture_output=True)
        bid = p.stdout.decode().strip()
        if p.returncode != 0 or not bid:
            check(False, "our writer queues a copy of %s" % aid, p.stderr.decode("latin-1"))
            continue
        idmap[aid] = bid
        same(open(os.path.join(A.queue, "qf" + aid), "rb").read().decode("latin-1"),
             open(os.path.join(B.queue, "qf" + bid), "rb").read().decode("latin-1"),
             "our writer's qf for the envelope of %s is the reference's" % aid)
        check(open(os.path.join(B.queue, "df" + bid), "rb").read() == body, "and so is its df")
        check(re.fullmatch(r"[0-9A-Za-x]{8}\d{6,}", bid) is not None, "our queue id %s has 8.17's form" % bid)
        st = os.stat(os.path.join(B.queue, "qf" + bid))
        check(st.st_mode & 0o7777 == 0o600, "mode 0600 as the reference's")

    # envelopes of our own making
    ours_made = [
        (["T%d" % int(time.time()), "K0", "N0", "P1000", "F", "$_root@localhost", "Sowner@example.org",
          "C:owner-list@example.org", "RPA:daemon", "RA:root", "C", "RP:joe@elsewhere.example",
          "H?P?Return-Path: <\x81g>", "H??Subject: sticky ctladdr", "H??X-Long: " + "y" * 300],
         b"body\n"),
        (["T%d" % (int(time.time()) - 7200), "K%d" % (int(time.time()) - 60), "N3", "P90000",
          "MDeferred: 451 4.3.0 greylisted, try again", "B7BIT", "Fw",
          "S<\\odd\x01sender@example.org>", "Zenv", "A<>", "Qrfc822;orig@example.org",
          "rRFC822; joe@example.org", "RPNSFD:<joe@elsewhere.example>", "H??Subject: status"],
         b"b\n" * 10),
    ]
    for recs, body in ours_made:
        p = subprocess.run([QTOOL, "enqueue", B.queue] + [r.encode("latin-1") for r in recs], input=body,
                           capture_output=True)
        check(p.returncode == 0, "our writer queues an envelope of our own (%s)" % p.stdout.decode().strip(),
              p.stderr.decode("latin-1"))
    # a quarantined envelope: an hf file, which the reference lists only with -qQ
    p = subprocess.run([QTOOL, "enqueue", B.queue, "T%d" % int(time.time()), "P500", "qsuspicious content",
                        "Squar@example.org", "RP:daemon", "H??Subject: quarantined"], input=b"q\n",
                       capture_output=True)
    qid = p.stdout.decode().strip()
    check(os.path.exists(os.path.join(B.queue, "hf" + qid)), "a quarantined envelope is written as hf%s" % qid)
    out = listing(ref, B, ["-bp", "-qQ"])
    check(qid in out and "QUARANTINE: suspicious content" in out and "quar@example.org" in out,
          "the reference lists it among the quarantined (-qQ)", out)
    check(qid not in listing(ref, B, ["-bp"]), "and not in the queue")

    for args in (["-bp"], ["-bp", "-v"], ["-bp", "-OQueueSortOrder=filename"], ["-bp", "-v", "-OMinQueueAge=1h"],
                 ["-bp", "-OQueueSortOrder=host"]):
        compare_listings(ref, OURS, B, args, "queue B (ours): %s" % " ".join(args))
    # B lists as A did, job for job, under the new ids
    def blocks(text):
        out, cur = [], None
        for l in text.splitlines()[3:-1]:
            if re.match(r"^[0-9A-Za-x]{8}\d{6}", l):
                cur = [l]
                out.append(cur)
            elif cur is not None:
                cur.append(l)
        return sorted("\n".join(b) for b in out)
    la = listing(ref, A, ["-bp", "-v"])
    lb = listing(ref, B, ["-bp", "-v"])
    for aid, bid in idmap.items():
        la = la.replace(aid, bid)
    lb_copies = [b for b in blocks(lb) if b[:14] in idmap.values()]
    same("\n".join(blocks(la)), "\n".join(lb_copies),
         "the reference lists our %d copies as its originals" % len(lb_copies))
    check(len(lb_copies) == len(a_ids), "all of them")

    # the reference's queue runner on our files
    rc, out, err = run([ref, "-C", B.cf, "-q", "-v"], cwd=B.dir)
    text = (out + err).decode("latin-1")
    bad = [l for l in text.splitlines() if re.search(r"SYSERR|bad line|readqf|lost|cannot|Losing", l)]
    check(rc == 0 and not bad, "the reference's queue runner reads our qf files without complaint", text)
    check(not [f for f in os.listdir(B.queue) if f[:2] in ("Qf", "tf")], "and sets none aside (no Qf, no tf)")
    check(text.count("... Sent") >= 8, "it delivers our messages (%d deliveries)" % text.count("... Sent"), text)
    rc, out, err = run([ref, "-C", A.cf, "-q", "-v"], cwd=A.dir)
    for box in ("mbox.daemon", "mbox.root"):
        ma = open(os.path.join(A.dir, box), "rb").read() if os.path.exists(os.path.join(A.dir, box)) else b""
        mb = open(os.path.join(B.dir, box), "rb").read() if os.path.exists(os.path.join(B.dir, box)) else b""
        # B also holds our own envelopes: the copies come first or last in priority order,
        # so compare message by message
        def msgs(m):
            return sorted(x for x in re.split(rb"(?m)^(?=Return-Path: )", m) if x)
        mine = [x for x in msgs(mb) if b"sticky ctladdr" not in x]
        same("\n".join(x.decode("latin-1") for x in msgs(ma)), "\n".join(x.decode("latin-1") for x in mine),
             "%s: the reference delivers our queued copies as it delivers its own (%d messages)"
             % (box, len(mine)))
        check(len(mine) >= 3, "%s: several messages to compare" % box)
    compare_listings(ref, OURS, B, ["-bp", "-v"], "queue B after the reference's queue run")

    # ---- crafted queues ----
    C = Work(scratch, root, "C")
    q = C.queue

    def mk(qid, qf, df=b"x", folder=q):
        with open(os.path.join(folder, "qf" + qid), "wb") as f:
            f.write(qf)
        if df is not None:
            with open(os.path.join(folder, "df" + qid), "wb") as f:
                f.write(df)
    mk("6AL7wTNQ000003", b"V8\nT1795247100\nK0\nN0\nP20\nS\\b\x01s\x7f\xe9@x\x80\xff\nRPFD:t\ta\x1bb@x\nRPFD:" +
       b"\x01" * 20 + b"abc\n.\n")
    mk("6AL7wTNQ000004", b"V8\nT1795247100\nP21\nS" + b"\\" * 50 + b"\nRPFD:" + b"a" * 37 + b"\\b\n.\n")
    mk("6AL7wTNQ000005", b"V8\nT1795247100\nP22\nS" + b"a" * 37 + b"\x01b\nRPFD:" + b"a" * 35 + b"\x01b\n.\n")
    mk("6AL7wTNQ000006", b"V8\nT1795247100\nP23\nS" + b"a" * 36 + b"\x01b\nRPFD:" + b"a" * 34 + b"\x01b\n.\n")
    mk("6AL7wTNQ000010", b"V8\nT1795247100\nP10\nSnodf@x\nRPFD:r@x\n.\n", df=None)
    mk("6AL7wTNQ000011", b"V8\nT1795247100\nP11\nRPFD:r@x\n.\n")
    mk("6AL7wTNQ000012", b"V8\nT1795247100\nP12\nRPFD:before@x\nSsender@x\nRPFD:after@x\n.\n")
    mk("6AL7wTNQ000013", b"V8\nT1795247100\nP13\nSsender@x\nMlate message\nBlate\nRPFD:after@x\n.\n")
    mk("6AL7wTNQ000014", b"V8\nT1795247100\nP14\nMmulti\n\tline\nSsen\n\tder@x\nRPFD:rc\n\tpt@x\n.\n")
    mk("6AL7wTNQ000015", b"V7\nT1795247100\nP15\nSv7@x\nRv7rcpt@x\nRPFD:v7b@x\n.\n")
    mk("6AL7wTNQ000016", b"T1795247100\nP16\nSnov@x\nRnovrcpt@x\nRPFD:novb@x\n.\n")
    mk("6AL7wTNQ000017", b"V8\nT1795247100\nP17\nSunk@x\nXunknown record\nRnocolon@x\nRPFD:ok@x\n.\n")
    mk("6AL7wTNQ000018", b"")
    mk("6AL7wTNQ000019", b"V8\nT1795247100\nP19\nBonlyB\nSonlyb@x\nRPFD:ok@x\n")
    mk("6AL7wTNQ000020", b"V8\nP20\nSnotime@x\nRPFD:ok@x\n.\n")
    mk("6AL7wTNQ000021", b"V8\nT1795247100\nSnopri@x\nRPFD:ok@x\n.\n")
    mk("6AL7wTNQ000022", b"V8\nT1795247100\nP22\nFw\nSwarned@x\nMstatus msg\nC:ctl\nRPFD:ok@x\nRPFD:ok2@x\n.\n")
    mk("6AL7wTNQ000023", b"V8\nT1795247100\nP23\nSx@x\nRPFD:" + b"r" * 300 + b"\n.\n", df=b"x" * 123456)
    mk("6AL7wTNQ000024", b"V8\nT1795247100\nP24\nM" + b"m" * 120 + b"\nB" + b"b" * 20 + b"\nq" + b"q" * 90 +
       b"\nS" + b"s" * 100 + b"\nC" + b"c" * 100 + b"\nRPFD:" + b"r" * 100 + b"\nM" + b"n" * 120 + b"\nRPFD:r2\n.\n")
    mk("6AL7wTNQ000025", b"V8\nT1795247100\nP25\nM\x01tab\there\\\nB\x01x\nq\x02\\\nS\\" + b"s" * 100 + b"\nC\x01\\" +
       b"c" * 100 + b"\nRPFD:r\nM\x01\\\nRPFD:r2\n.\n")
    mk("6AL7wTNQ000026", b"V8\nT1795247100\nP26\nSs@x\nRPFD:r@x\nd.\n.\n", df=None)
    mk("6AL7wTNQ000027", b"V8\nT1795247100\nP27\nSs@x\nRPFD:r@x\nI1/2/3\n.\n", df=None)
    now = int(time.time())
    mk("6AL7wTNQ000060", b"V8\nT%d\nK%d\nP60\nSyoung@x\nRPFD:r@x\n.\n" % (now - 100, now - 10))
    mk("6AL7wTNQ000061", b"V8\nT%d\nK%d\nP61\nSold@x\nRPFD:r@x\n.\n" % (now - 100, now - 7200))
    mk("6AL7wTNQ000063", b"V8\nT%d\nP63\nK%d\nSlateK@x\nRPFD:r@x\n.\n" % (now - 100, now - 10))
    for i, h in enumerate((b"b.example.com", b"a.example.org", b"c.example.com", b"A.example.com", b"zz",
                           b"a.example.com", b"x@y.com", b"<u@Q.example.com>")):
        mk("6AL7wTNQ00007%d" % i, b"V8\nT1795247100\nP%d\nSs@x\nRPFD:u@%s\nRPFD:u@first.example\n.\n" % (100 - i, h))
    mk("6AL7wTNQ000080", b"V8\nT1795247100\nP5\nSs@x\nrRFC822; x@zzz.example\nRPFD:u@aaa.example\n.\n")
    for v in (b"0", b"1", b"3", b"9", b"x"):
        mk("6AL7wTNQ00012" + v.decode(), b"V" + v + b"\nT1795247100\nP1" + v + b"\nSs@x\nRPFD:r@x\n.\n")
    for name in ("qf", "qfshort", "qfA", "qf678901234567890123", "qf6789012345678901234",
                 "tfABC", "xfABC", "dfonly", "Qf6AL7wTNQ000030", "hf6AL7wTNQ000031"):
        with open(os.path.join(q, name), "wb") as f:
            f.write(b"V8\nT1795247100\nP1\nSfoo\n.\n")
    os.mkdir(os.path.join(q, "qfdir"))
    os.symlink("/nonexistent", os.path.join(q, "qfdangling"))
    for args in (["-bp"], ["-bp", "-v"], ["-bp", "-OQueueSortOrder=filename"], ["-bp", "-v", "-OQueueSortOrder=time"],
                 ["-bp", "-OQueueSortOrder=none"], ["-bp", "-v", "-OMaxQueueRunSize=5"],
                 ["-bp", "-OMinQueueAge=1h"], ["-bp", "-v", "-OMinQueueAge=1h", "-OQueueSortOrder=filename"],
                 ["-bp", "-v", "-OQueueSortOrder=host"]):
        compare_listings(ref, OURS, C, args, "crafted queue: %s" % " ".join(args))

    # locks in host order: a job being worked on holds back the others for its host
    held = []
    for qid in ("6AL7wTNQ000073", "6AL7wTNQ000011", "6AL7wTNQ000076"):   # A.example.com, no host, y.com
        f = open(os.path.join(q, "qf" + qid), "rb")
        fcntl.flock(f, fcntl.LOCK_EX)
        held.append(f)
    for args in (["-bp", "-OQueueSortOrder=host"], ["-bp", "-v", "-OQueueSortOrder=host"], ["-bp"]):
        compare_listings(ref, OURS, C, args, "crafted queue, three jobs locked: %s" % " ".join(args))
    for f in held:
        f.close()

    # qf/ df/ xf/ subfolders, and queue sets "dir/prefix*"
    for subs in (("qf",), ("df",), ("qf", "df", "xf")):
        d = os.path.join(C.dir, "sub-" + "-".join(subs))
        os.mkdir(d, 0o700)
        for s in subs:
            os.mkdir(os.path.join(d, s), 0o700)
        qd = os.path.join(d, "qf") if "qf" in subs else d
        dd = os.path.join(d, "df") if "df" in subs else d
        mk("6AL7wTNQ000040", b"V8\nT1795247100\nP10\nSsub@x\nRPFD:r@x\n.\n", df=None, folder=qd)
        with open(os.path.join(dd, "df6AL7wTNQ000040"), "wb") as f:
            f.write(b"abc")
        mk("6AL7wTNQ000041", b"V8\nT1795247100\nP11\nSsub@x\nRPFD:r@x\n.\n", df=None, folder=qd)
        subprocess.run([QTOOL, "enqueue", d, "T1795247100", "P12", "F", "Sours@x", "RP:r@x"], input=b"12345\n",
                       capture_output=True)
        compare_listings(ref, OURS, C, ["-bp", "-OQueueDirectory=" + d], "queue with subfolders %s" % "/ ".join(subs) + "/")
        # the reference writes into such a queue too
        subprocess.run([ISOLATE, ref, "-C", C.cf, "-odq", "-OQueueDirectory=" + d, "-f", "s@example.org", "daemon"],
                       input=b"Subject: sub\n\nx\n", capture_output=True, cwd=C.dir)
        compare_listings(ref, OURS, C, ["-bp", "-v", "-OQueueDirectory=" + d],
                         "queue with subfolders %s, a message of the reference's added" % "/ ".join(subs) + "/")
    qset = os.path.join(C.dir, "set")
    for name in ("qz", "qa", "qm", "other"):
        os.makedirs(os.path.join(qset, name), 0o700)
    open(os.path.join(qset, "qfile"), "w").close()
    mk("6AL7wTNQ000050", b"V8\nT1795247100\nP10\nSq@x\nRPFD:r@x\n.\n", folder=os.path.join(qset, "qa"))
    mk("6AL7wTNQ000051", b"V8\nT1795247100\nP10\nSq@x\nRPFD:r@x\n.\n", df=None, folder=os.path.join(qset, "qm"))
    mk("6AL7wTNQ000052", b"V8\nT1795247100\nP10\nSq@x\nRPFD:r@x\n.\n", folder=os.path.join(qset, "other"))
    os.mkdir(os.path.join(qset, "qa", "qfdir"))
    for args in (["-bp"], ["-bp", "-v"]):
        compare_listings(ref, OURS, C, args + ["-OQueueDirectory=" + qset + "/q*"], "queue set q*: %s" % " ".join(args))
    compare_listings(ref, OURS, C, ["-bp", "-OQueueDirectory=" + qset + "/*"], "queue set *")
    compare_listings(ref, OURS, C, ["-bp", "-OQueueDirectory=" + qset + "/z*"], "queue set without a member")
    compare_listings(ref, OURS, C, ["-bp", "-OQueueDirectory=" + os.path.join(C.dir, "nonexistent")],
                     "missing queue folder")
    compare_listings(ref, OURS, C, ["-bp", "-OQueueDirectory=" + os.path.join(C.dir, "nonexistent") + "/q*"],
                     "queue set in a missing folder")
    os.mkdir(os.path.join(C.dir, "empty"), 0o700)
    compare_listings(ref, OURS, C, ["-bp", "-v", "-OQueueDirectory=" + os.path.join(C.dir, "empty")],
                     "empty queue, -v")
    compare_listings(ref, OURS, C, ["-bp", "-OQueueDirectory=mqueue"], "queue folder given relative")
    compare_listings(ref, OURS, C, ["-bp", "-OTimeZoneSpec=America/New_York"], "TimeZoneSpec")

    emit("1..%d" % n)
    for w in (A, B, C):
        shutil.rmtree(w.dir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
