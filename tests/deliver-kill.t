#!/usr/bin/env python3
"""deliver-kill.t -- SIGKILL the delivery side at random points; no recipient may be lost, and
only a message being delivered at a kill may arrive twice.

In fresh namespaces (tests/lib/isolate), a queue of messages (each with a distinct token in its
Subject and four recipients: two at elsewhere.example.org, relayed to an SMTP sink of this file
on 127.0.0.1:2600, and two local users, delivered by tests/corpus/deliver-kill's local mailer
WORKDIR/rec (F=f: "-f sender" first), which records "user token" lines: two deliveries per
message) is delivered by
  * `sendmail -qf` (a foreground queue run), and every third round by
  * the daemon (`-bD -q1s`, DeliveryMode=background) while a client sends it more messages
    over SMTP (those answered 250 join the expected set),
and after a random delay every process of the run (runner, delivery processes, mailers) gets
SIGKILL.  When the queue empties before the kills are done, another batch is queued.  After
the last kill, `sendmail -qf` runs until the queue is empty.  Then the recipients are counted:
  * every recipient of every expected message was delivered at least once (lost: 0);
  * messages with a recipient delivered twice are counted; each kill may leave at most the
    messages it interrupted (one per -qf run, at most nine in a daemon round) duplicated;
  * nothing was delivered that was not sent, and the queue is empty at the end.
The sink records a transaction only when its final "." has arrived.
usage: tests/deliver-kill.t [--kills N] [--seed S] [--batch M] [--mode mixed|queue|daemon]   (`make soak`: 100 kills)
(DK_OPTS="-OCheckpointInterval=1" adds options to the -qf runs.)
"""
import argparse, os, random, re, shutil, signal, smtplib, socket, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402
import mtadaemon as md  # noqa: E402

md.reexec_isolated()
PORT, SINKPORT = 2525, 2600
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "deliver-kill")
OPTS = os.environ.get("DK_OPTS", "").split()
LOCALS = ("root", "daemon", "bin", "sys")


class Sink:
    """An SMTP server; rcpts[(recipient, token)] counts complete transactions."""

    def __init__(self, port):
        self.lock = threading.Lock()
        self.rcpts = {}
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", port))
        self.srv.listen(128)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            c, _ = self.srv.accept()
            threading.Thread(target=self.session, args=(c,), daemon=True).start()

    def session(self, c):
        try:
            f = c.makefile("rb")
            c.sendall(b"220 sink ESMTP\r\n")
            rcpts = []
            while True:
                line = f.readline()
                if not line:
                    break
                verb = line[:4].upper()
                if verb == b"EHLO":
                    c.sendall(b"250-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
                elif verb == b"MAIL":
                    rcpts = []
                    c.sendall(b"250 2.1.0 Ok\r\n")
                elif verb == b"RCPT":
                    rcpts.append(line[8:].strip().strip(b"<>").lower())
                    c.sendall(b"250 2.1.5 Ok\r\n")
                elif verb == b"DATA":
                    c.sendall(b"354 go ahead\r\n")
                    token, whole = None, False
                    while True:
                        l = f.readline()
                        if not l:
                            break
                        if l == b".\r\n":
                            whole = True
                            break
                        m = token is None and re.match(rb"Subject: (dk-\d+)\r\n", l)
                        if m:
                            token = m.group(1).decode()
                    if not whole:
                        break       # the client died mid-message: not delivered
                    with self.lock:
                        for r in rcpts:
                            k = (r.decode("latin-1"), token)
                            self.rcpts[k] = self.rcpts.get(k, 0) + 1
                    c.sendall(b"250 2.0.0 Ok: queued\r\n")
                elif verb == b"QUIT":
                    c.sendall(b"221 2.0.0 Bye\r\n")
                    break
                else:
                    c.sendall(b"250 2.0.0 Ok\r\n")
        except OSError:
            pass
        c.close()


class Work:
    def __init__(self, scratch):
        self.dir = tempfile.mkdtemp(prefix="deliver-kill-", dir=scratch)
        os.chmod(self.dir, 0o755)
        for f in ("aliases", "hosts", "service.switch"):
            shutil.copy(os.path.join(CORPUS, f), self.dir)
        open(os.path.join(self.dir, "local-host-names"), "w").close()
        self.queue = os.path.join(self.dir, "mqueue")
        os.mkdir(self.queue, 0o700)
        self.log = os.path.join(self.dir, "local.log")
        rec = os.path.join(self.dir, "rec")
        with open(rec, "w") as f:
            f.write("#!/bin/sh\n# records \"user token\" for each user of one local delivery\n"
                    "t=$(awk '/^Subject: dk-/ && t == \"\" { t = $2 } END { print t }')\n"
                    "[ -n \"$t\" ] || exit 75\n"
                    "case \"$1\" in -f|-r) shift 2;; esac\n"
                    "for u; do echo \"$u $t\" >> %s; done\n" % self.log)
        os.chmod(rec, 0o755)
        self.cf = os.path.join(self.dir, "kill.cf")
        with open(self.cf, "w") as out:
            subprocess.run(["m4", "-DWORKDIR=" + self.dir, "-DPORT=%d" % PORT, "-DSINKPORT=%d" % SINKPORT,
                            os.path.join(md.TOP, "cf", "m4", "cf.m4"), os.path.join(CORPUS, "kill.mc")],
                           cwd=self.dir, stdout=out, stderr=subprocess.DEVNULL, check=True)

    def queued(self):
        return [f for f in os.listdir(self.queue) if f.startswith("qf")]

    def local(self):
        out = {}
        if os.path.exists(self.log):
            for line in open(self.log):
                u, _, t = line.strip().partition(" ")
                out[(u, t)] = out.get((u, t), 0) + 1
        return out

    def ours(self):
        """pids of every process working for this folder (by command line or working folder)"""
        pids = []
        for d in os.listdir("/proc"):
            if not d.isdigit() or int(d) == os.getpid():
                continue
            try:
                cmd = open("/proc/%s/cmdline" % d, "rb").read().decode("latin-1")
                cwd = os.readlink("/proc/%s/cwd" % d)
            except OSError:
                continue
            if self.dir in cmd or cwd == self.dir or cwd.startswith(self.dir + "/"):
                pids.append(int(d))
        return pids

    def kill_all(self):
        """SIGKILL each of them until none is left (a fork may race a scan)"""
        end = time.monotonic() + 20
        quiet = 0
        while quiet < 3 and time.monotonic() < end:
            pids = self.ours()
            for p in pids:
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            quiet = quiet + 1 if not pids else 0
            time.sleep(0.005)
        return not self.ours()


def message(token, rng):
    n = rng.choice((2, 20, 200, 2000, rng.randrange(1, 5000)))
    line = b"%s the quick brown fox jumps over the lazy dog 0123456789" % token.encode()
    return (b"From: <sender@example.net>\nSubject: %s\nMessage-Id: <%s@example.net>\n\n" % (token.encode(), token.encode())
            + b"\n".join(line for _ in range(n)) + b"\n")


def recipients(i, rng):
    return ["%s-%d-%s@elsewhere.example.org" % (w, i, rng.randrange(1000)) for w in ("ra", "rb")] + rng.sample(LOCALS, 2)


def queue_batch(w, expected, start, n, rng):
    """n messages over one -bs -odq session"""
    p = subprocess.Popen([md.OURS, "-C", w.cf, "-bs", "-odq"], cwd=w.dir, stdin=subprocess.PIPE,
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
    ok = 0
    for i in range(start, start + n):
        token = "dk-%d" % i
        rcpts = recipients(i, rng)
        cmd(b"MAIL FROM:<sender@example.net>\r\n")
        for r in rcpts:
            cmd(b"RCPT TO:<%s>\r\n" % r.encode())
        cmd(b"DATA\r\n")
        data = message(token, rng)
        body = b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in data.split(b"\n")[:-1])
        if cmd(body + b".\r\n").startswith(b"250"):
            expected[token] = rcpts
            ok += 1
    cmd(b"QUIT\r\n")
    p.stdin.close()
    p.wait()
    return ok


class Client:
    """sends to the daemon over SMTP until stopped; messages answered 250 are expected"""

    def __init__(self, expected, lock, first, rng):
        self.expected, self.lock, self.next, self.rng = expected, lock, first, rng
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        while not self.stop:
            try:
                with smtplib.SMTP("127.0.0.1", PORT, local_hostname="client.example.net", timeout=20) as s:
                    while not self.stop:
                        i, self.next = self.next, self.next + 1
                        token = "dk-%d" % i
                        rcpts = recipients(i, self.rng)
                        s.mail("sender@example.net")
                        for r in rcpts:
                            s.rcpt(r)
                        code, _ = s.data(message(token, self.rng).replace(b"\n", b"\r\n"))
                        if code == 250:
                            with self.lock:
                                self.expected[token] = rcpts
                        time.sleep(0.01)
            except (OSError, smtplib.SMTPException):
                time.sleep(0.05)

    def finish(self):
        self.stop = True
        self.t.join(30)
        return self.next


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=15)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--batch", type=int, default=60)
    ap.add_argument("--mode", choices=("mixed", "queue", "daemon"), default="mixed")
    o = ap.parse_args()
    tap = mtatest.Tap()
    rng = random.Random(o.seed)
    print("# seed %d, %d kills, batches of %d messages" % (o.seed, o.kills, o.batch))
    sink = Sink(SINKPORT)
    w = Work(mtatest.scratch())
    subprocess.run([md.OURS, "-C", w.cf, "-bi"], cwd=w.dir, capture_output=True)
    expected, lock = {}, threading.Lock()
    nextid = 0
    kills = qf_kills = daemon_kills = stragglers = 0
    for k in range(o.kills):
        if not w.queued():
            queue_batch(w, expected, nextid, o.batch, rng)
            nextid += o.batch
        if o.mode == "daemon" or (o.mode == "mixed" and k % 3 == 2):
            # the daemon: background delivery of what it receives, and queue runs
            p = subprocess.Popen([md.OURS, "-C", w.cf, "-bD", "-q1s"], cwd=w.dir, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            client = Client(expected, lock, nextid + 100000 * (k + 1), rng)
            time.sleep(rng.uniform(0.3, 1.5))
            stragglers += not w.kill_all()
            client.finish()
            daemon_kills += 1
        else:
            p = subprocess.Popen([md.OURS, "-C", w.cf, "-qf"] + OPTS, cwd=w.dir, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.02, 0.6))
            stragglers += not w.kill_all()
            qf_kills += 1
        p.wait()
        kills += 1
    # then to the end, undisturbed
    runs = 0
    while w.queued() and runs < 10:
        subprocess.run([md.OURS, "-C", w.cf, "-qf"], cwd=w.dir, capture_output=True, timeout=600)
        runs += 1
    left = w.queued()
    w.kill_all()

    got = dict(sink.rcpts)
    for key, n in w.local().items():
        got[key] = got.get(key, 0) + n
    with lock:
        exp = dict(expected)
    want = set((r, t) for t, rs in exp.items() for r in rs)
    lost = sorted(want - set(got))
    dup_rcpts = sum(n - 1 for key, n in got.items() if key in want and n > 1)
    dup_msgs = sorted(set(t for (r, t), n in got.items() if n > 1 and (r, t) in want))
    # a message sent to the daemon may be delivered without its 250 having arrived
    unsent = sorted(key for key in got if key not in want and not re.match(r"dk-\d{6,}$", key[1]))
    print("# %d kills (%d queue runs, %d daemons): %d messages, %d recipients expected; delivered %d "
          "recipient copies; lost: %d; duplicated recipients: %d in %d messages; queue left: %d"
          % (kills, qf_kills, daemon_kills, len(exp), len(want), sum(got.values()), len(lost), dup_rcpts,
             len(dup_msgs), len(left)))
    tap.ok(stragglers == 0, "SIGKILL left no process of a run alive (%d runs)" % kills)
    tap.ok(len(exp) > o.kills, "%d messages were queued to be delivered" % len(exp))
    tap.ok(not lost, "no recipient lost (%d expected)" % len(want), "lost: %s" % lost[:20])
    bound = qf_kills + 9 * daemon_kills
    tap.ok(len(dup_msgs) <= bound, "duplicates only for messages in flight at a kill (%d messages, at most %d)"
           % (len(dup_msgs), bound), "duplicated: %s" % dup_msgs[:30])
    tap.ok(not unsent, "nothing delivered that was not sent", repr(unsent[:20]))
    tap.ok(not left, "the queue is empty after the last run", " ".join(left[:20]))
    if not tap.failed:
        shutil.rmtree(w.dir, ignore_errors=True)
    else:
        print("# work kept in %s" % w.dir)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
