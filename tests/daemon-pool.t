#!/usr/bin/env python3
"""daemon-pool.t -- a session process serves one connection after another (daemon_pool.c), and
each session must still behave as 8.17's fresh child per connection does.

Each side (sendmail 8.17, then ours), alone in fresh namespaces (tests/lib/isolate), runs the
daemon of corpus/pool/pool.mc (built with the reference's m4 package for both: the package is
compared elsewhere) and plays the same sessions, half a second apart:
  1. a message with DSN parameters from a domain the access database does not list (the
     database does not exist yet: the optional map fails to open);
  2. the access database is built (the reference's makemap), with a REJECT for that domain;
  3. VRFY, whose check_vrfy answers with the macros a transaction sets ($&{mail_addr} ...):
     nothing may be left from session 1; MAIL from the listed domain: the new database is
     seen; a second message, and VRFY after it;
  4. VRFY before HELO (what session 1's EHLO set must be gone too), a third message with a
     VRFY in the middle of its transaction;
  5. MaxDaemonChildren=2: while two sessions are open a third connection is refused (8.17
     closes its listening socket), and is greeted once one of them has ended;
  6. a session process killed after its message: the daemon goes on, and two sessions at a
     time are still allowed (the dead one is not counted).
Every reply is compared with 8.17's after normalising ids, dates and versions.  On our side
only: the messages of sessions 1, 3 and 4 were taken by fewer than three processes (a
process was reused, or the comparison above proves nothing; the sessions are 0.5 s apart,
within the 2 s a process waits for work), and a reused process holds as many descriptors
after its later sessions as after its first.
"""
import os, re, signal, socket, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtadaemon  # noqa: E402
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus", "pool")
PORT = 2527
PAUSE = 0.5


class Conn:
    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", PORT), timeout=20)
        self.f = self.s.makefile("rb")

    def reply(self):
        lines = []
        while True:
            line = self.f.readline()
            if not line:
                lines.append("(connection closed)")
                break
            lines.append(line.decode("latin-1").rstrip("\r\n"))
            if len(line) < 4 or line[3:4] != b"-":
                break
        return "\n".join(lines)

    def cmd(self, text):
        self.s.sendall(text.encode() + b"\r\n")
        return self.reply()

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


def connect(wait=30):
    """a connection, retried while the daemon refuses them (8.17 reopens its socket late)"""
    end = time.monotonic() + wait
    while True:
        try:
            return Conn()
        except ConnectionRefusedError:
            if time.monotonic() > end:
                return None
            time.sleep(0.2)


def message(c, sender, rcpt, log, mailparams="", rcptparams="", vrfy=False):
    log.append(c.cmd("MAIL FROM:<%s>%s" % (sender, mailparams)))
    log.append(c.cmd("RCPT TO:<%s>%s" % (rcpt, rcptparams)))
    if vrfy:
        log.append(c.cmd("VRFY during"))
    log.append(c.cmd("DATA"))
    r = c.cmd("Subject: pool\r\n\r\nbody\r\n.")
    log.append(r)
    m = re.search(r"\b[0-9A-Za-x]{8}(\d{6})\b", r)
    return int(m.group(1)) if m else None


def fds(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return None


def scenario(binary, root, work):
    makemap = os.path.join(root, "usr/libexec/sendmail/makemap")
    cf = os.path.join(work, "pool.cf")
    log, pids, facts = [], [], []
    subprocess.run([binary, "-C", cf, "-bd"], cwd=work, capture_output=True, timeout=30)
    mtatest.wait_for_port(PORT)
    try:
        time.sleep(PAUSE)
        # 1
        c = Conn()
        log.append(c.reply())
        log.append(c.cmd("EHLO client.example"))
        pids.append(message(c, "a@blocked.example", "u1@example.net", log,
                            " SIZE=500 BODY=8BITMIME ENVID=env1 RET=HDRS", " NOTIFY=SUCCESS ORCPT=rfc822;u1@example.net"))
        log.append(c.cmd("QUIT"))
        c.close()
        time.sleep(PAUSE)
        facts.append((pids[-1], fds(pids[-1]) if pids[-1] else None))
        # 2
        with open(os.path.join(work, "access.txt"), "w") as f:
            f.write("From:blocked.example\tREJECT\n")
        with open(os.path.join(work, "access.txt")) as src:
            subprocess.run([makemap, "-C", cf, "hash", os.path.join(work, "access")], stdin=src, capture_output=True)
        # 3
        c = Conn()
        log.append(c.reply())
        log.append(c.cmd("EHLO client.example"))
        log.append(c.cmd("VRFY u2"))
        log.append(c.cmd("MAIL FROM:<b@blocked.example>"))
        log.append(c.cmd("RSET"))
        pids.append(message(c, "ok@example.org", "u2@example.net", log))
        log.append(c.cmd("VRFY after"))
        log.append(c.cmd("QUIT"))
        c.close()
        time.sleep(PAUSE)
        facts.append((pids[-1], fds(pids[-1]) if pids[-1] else None))
        # 4
        c = Conn()
        log.append(c.reply())
        log.append(c.cmd("VRFY u3"))
        log.append(c.cmd("HELO client.example"))
        pids.append(message(c, "ok@example.org", "u3@example.net", log, vrfy=True))
        log.append(c.cmd("QUIT"))
        c.close()
        time.sleep(PAUSE)
        facts.append((pids[-1], fds(pids[-1]) if pids[-1] else None))
        # 5
        c1, c2 = Conn(), Conn()
        log.append("c1 " + c1.reply())
        log.append("c2 " + c2.reply())
        try:
            c3 = Conn()
            c3.s.settimeout(1.5)
            try:
                early = c3.f.readline()
                log.append("c3 while two run: " + (early.decode("latin-1").strip() or "(closed)"))
            except (socket.timeout, OSError):
                log.append("c3 while two run: not greeted")
            c3.close()
        except ConnectionRefusedError:
            log.append("c3 while two run: connection refused")
        log.append("c1 " + c1.cmd("QUIT"))
        c1.close()
        c3 = connect()
        log.append("c3 after c1 ended: " + (c3.reply() if c3 else "connection refused for 30 s"))
        # 6
        log.append("c2 " + c2.cmd("HELO client.example"))
        victim = message(c2, "ok@example.org", "u4@example.net", log)
        if victim:
            try:
                os.kill(victim, signal.SIGKILL)
            except OSError as e:
                log.append("kill: %s" % e.strerror)
        log.append("c2 after kill: " + c2.reply())
        c2.close()
        if c3:
            log.append("c3 " + c3.cmd("QUIT"))
            c3.close()
        time.sleep(PAUSE)
        c4 = connect()
        c5 = connect()
        for name, cc in (("c4", c4), ("c5", c5)):
            log.append(name + " " + (cc.reply() if cc else "connection refused for 30 s"))
        for name, cc in (("c4", c4), ("c5", c5)):
            if cc:
                log.append(name + " " + cc.cmd("QUIT"))
                cc.close()
    finally:
        mtatest.stop_daemon(os.path.join(work, "sendmail.pid"))
    return log, pids, facts


def normalise(text):
    text = re.sub(r"\b[0-9A-Za-x]{8}\d{6}\b", "<ID>", text)
    text = re.sub(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d (?:[-+]\d{4}|[A-Z]{3})", "<DATE>", text)
    text = re.sub(r"8\.\d+\.\d+(\.\d+)?(/[\w.]+)?", "<VERSION>", text)
    return text


def prepare(root, side):
    work = tempfile.mkdtemp(prefix="pool-%s-" % side, dir=mtatest.scratch())
    os.chmod(work, 0o755)
    os.mkdir(os.path.join(work, "mqueue"), 0o700)
    for name, text in (("aliases", "postmaster: root\n"), ("local-host-names", ""),
                       ("service.switch", "hosts files\naliases files\n"),
                       ("hosts", "127.0.0.1 localhost mail.example.com\n")):
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    package = os.path.join(root, "usr/share/sendmail/cf/m4/cf.m4")
    with open(os.path.join(work, "pool.cf"), "w") as out:
        subprocess.run(["m4", "-DWORKDIR=" + work, package, os.path.join(CORPUS, "pool.mc")],
                       cwd=work, stdout=out, stderr=subprocess.DEVNULL, check=True)
    return work


def main():
    mtadaemon.reexec_isolated()
    t = mtatest.Tap()
    root, why = mtatest.reference()
    if root is None:
        print("Bail out! reference sendmail unavailable: %s" % why)
        return 1
    results = {}
    for side, binary in (("ref", os.path.join(root, "usr/libexec/sendmail/sendmail")), ("ours", mtadaemon.OURS)):
        work = prepare(root, side)
        try:
            results[side] = scenario(binary, root, work)
        finally:
            subprocess.run(["rm", "-rf", work])
    ref, ours = results["ref"], results["ours"]
    rlog, olog = [normalise(x) for x in ref[0]], [normalise(x) for x in ours[0]]
    if os.environ.get("POOL_SHOW"):
        print("\n".join("# " + l for x in olog for l in x.splitlines()))
    t.ok(len(rlog) == len(olog), "as many replies as 8.17 (%d)" % len(rlog))
    for i, (r, o) in enumerate(zip(rlog, olog)):
        t.ok(r == o, "reply %d as 8.17's: %s" % (i + 1, r.splitlines()[0][:60]),
             "8.17:\n%s\nours:\n%s" % (r, o))
    t.ok(all(ref[1]) and all(ours[1]), "every message got a queue id", "8.17 %r, ours %r" % (ref[1], ours[1]))
    pids = ours[1]
    t.ok(None not in pids and len(set(pids)) < len(pids),
         "our sessions 1, 3 and 4 ran in fewer than three processes", "pids %r" % pids)
    counts = {}
    for pid, count in ours[2]:
        counts.setdefault(pid, []).append(count)
    reused = {pid: c for pid, c in counts.items() if len(c) > 1}
    t.ok(reused and all(None not in c and len(set(c)) == 1 for c in reused.values()),
         "a reused process holds as many descriptors after its later sessions as after its first",
         "descriptors after each session, by process: %r" % counts)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
