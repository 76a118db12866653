#!/usr/bin/env python3
"""durability.t -- SIGKILL the daemon at random points while clients send; nothing acknowledged
may be lost, nothing partial may be visible.

In fresh namespaces (tests/lib/isolate), our `sendmail -C clients.cf -bD` (tests/corpus/clients,
queue only) takes mail from several client threads (Python smtplib, one to three messages per
connection, bodies from 200 bytes to 300 KB, each with a unique token in its Subject and body).
Again and again (--kills, 15 here; `make soak` runs 100), after a random delay the daemon and
every session child of its process group get SIGKILL, and it is started again.  Then, with the
daemon dead, the queue is counted:
  * every message that got its 250 is in the queue, whole: a complete qf (ending with its '.'
    line; our reader takes it back byte for byte: checked on those without a 250 and on a
    sample of 300 others) with the token in its headers and a df equal to the body sent;
  * every qf in the queue, acknowledged or not, is such a whole message (none partial);
  * `-bp` lists every qf and nothing else;
  * duplicates (the same token twice) are allowed and counted; so are df files without a qf and
    tf files, which sendmail 8.17 leaves too when killed during DATA or before its rename (the
    counts are printed).
usage: tests/durability.t [--kills N] [--seed S] [--threads T]
"""
import argparse, os, random, re, smtplib, subprocess, sys, threading, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402
import mtadaemon as md  # noqa: E402

md.reexec_isolated()
PORT = 2525


class Senders:
    """Client threads that keep sending; they remember every body and every 250."""

    def __init__(self, nthreads, seed):
        self.lock = threading.Lock()
        self.bodies = {}      # token -> body bytes
        self.acked = {}       # token -> queue id from the 250
        self.stop = False
        self.threads = [threading.Thread(target=self.run, args=(i, random.Random(seed * 100 + i)), daemon=True)
                        for i in range(nthreads)]
        for t in self.threads:
            t.start()

    def message(self, token, rng):
        line = (b"%s " % token) + b"abcdefghijklmnopqrstuvwxyz0123456789" * 2
        n = rng.choice((3, 30, 300, 3000, rng.randrange(1, 4000)))
        body = b"first line %s\n" % token + b"\n".join(line for _ in range(n)) + b"\n.dot %s\nlast\n" % token
        head = (b"From: <load@example.org>\nTo: <load@example.net>\nSubject: %s\nMessage-Id: <%s@client.example.org>\n\n"
                % (token, token))
        return head, body

    def run(self, i, rng):
        seq = 0
        while not self.stop:
            try:
                with smtplib.SMTP("127.0.0.1", PORT, local_hostname="client.example.org", timeout=20) as s:
                    for _ in range(rng.randrange(1, 4)):
                        seq += 1
                        token = b"tok-%d-%d" % (i, seq)
                        head, body = self.message(token, rng)
                        with self.lock:
                            self.bodies[token] = body
                        s.mail("load@example.org")
                        s.rcpt("load@example.net")
                        code, text = s.data((head + body).replace(b"\n", b"\r\n"))
                        m = re.match(rb"2\.0\.0 ([0-9A-Za-x]{8}\d{6,}) ", text)
                        if code == 250 and m:
                            with self.lock:
                                self.acked[token] = m.group(1).decode()
                        if self.stop:
                            break
            except (OSError, smtplib.SMTPException):
                time.sleep(0.01)

    def finish(self):
        self.stop = True
        for t in self.threads:
            t.join(30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=15)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--threads", type=int, default=6)
    o = ap.parse_args()
    tap = mtatest.Tap()
    print("# seed %d, %d kills, %d client threads" % (o.seed, o.kills, o.threads))
    rng = random.Random(o.seed)
    work = md.Work(mtatest.scratch(), "durability", PORT)
    subprocess.run([md.OURS, "-C", work.cf, "-bi"], cwd=work.dir, capture_output=True)
    d = md.Daemon(work)
    started = d.start()
    tap.ok(started, "our daemon answers on 127.0.0.1:%d" % PORT, d.text())
    if not started:
        return tap.done()
    senders = Senders(o.threads, o.seed)
    restarts, left_running = 0, 0
    for k in range(o.kills):
        time.sleep(rng.uniform(0.05, 0.8))
        d.kill()
        left_running += len(d.group())
        if k + 1 < o.kills:
            restarts += d.start()
    senders.finish()
    d.kill()
    tap.ok(restarts == o.kills - 1, "the daemon started again after each of %d kills" % (o.kills - 1), d.text()[-2000:])
    tap.ok(left_running == 0, "SIGKILL left none of the daemon's processes running")

    # ---- the count ----
    files = md.queue_files(work.queue)
    qfs = sorted(files.get("qf", set()))
    whole, partial, tokens = [], [], {}
    # our reader on the qf files written last before a kill and on a sample of the rest (one
    # process per file is slow under the sanitizers); every one is checked for its '.' line
    acked_ids = set(senders.acked.values())
    sample = set(q for q in qfs if q not in acked_ids) | set(rng.sample(qfs, min(len(qfs), 300)))
    for qid in qfs:
        qf = os.path.join(work.queue, "qf" + qid)
        recs = md.qf_records(qf)
        if recs is None:
            ok, err = False, "no final '.' line"
        else:
            ok, err = md.qf_parses(qf) if qid in sample else (True, "")
        subj = [h for h in md.headers_of(recs or []) if h.startswith(b"Subject: ")]
        token = subj[0][9:] if subj else None
        df = os.path.join(work.queue, "df" + qid)
        body = open(df, "rb").read() if os.path.exists(df) else None
        if ok and token in senders.bodies and body == senders.bodies[token]:
            whole.append(qid)
            tokens.setdefault(token, []).append(qid)
        else:
            partial.append("%s: qf %s, token %r, df %s" % (
                qid, "parses" if ok else "does not parse (%s)" % err.strip()[:200], token,
                "missing" if body is None else "of %d bytes, sent %d" % (len(body), len(senders.bodies.get(token, b"")))))
    lost = sorted(t.decode() for t in senders.acked if t not in tokens)
    dups = sum(len(v) - 1 for v in tokens.values())
    unacked = sum(1 for t in tokens if t not in senders.acked)
    df_only = sorted(files.get("df", set()) - files.get("qf", set()))
    others = {k: len(v) for k, v in files.items() if k not in ("qf", "df")}
    print("# %d kills: %d messages sent, %d acknowledged (250); queue: %d qf, all whole: %s; "
          "acknowledged and lost: %d; duplicates: %d; queued without a 250 seen: %d; "
          "df without qf: %d; other files: %s"
          % (o.kills, len(senders.bodies), len(senders.acked), len(qfs), not partial, len(lost), dups, unacked,
             len(df_only), others or "none"))
    tap.ok(len(senders.acked) > o.kills, "clients got %d messages acknowledged" % len(senders.acked))
    tap.ok(not lost, "every acknowledged message is in the queue, whole (%d)" % len(senders.acked),
           "lost: %s" % lost[:20])
    tap.ok(not partial, "every qf in the queue is a whole message (%d qf)" % len(qfs), "\n".join(partial[:20]))
    tap.ok(set(others) <= {"tf"}, "no file but qf, df and tf in the queue (8.17 leaves df and tf after a kill)",
           repr(others))
    p = subprocess.run([md.OURS, "-C", work.cf, "-bp"], cwd=work.dir, capture_output=True, timeout=120)
    listing = p.stdout.decode("latin-1")
    listed = set(re.findall(r"(?m)^([0-9A-Za-x]{8}\d{6,})[ *X]", listing))
    tap.ok(p.returncode == 0 and listed == set(qfs) and ("Total requests: %d" % len(qfs)) in listing,
           "-bp lists the %d messages and nothing else" % len(qfs),
           "listed but no qf: %s\nqf not listed: %s\n%s" % (sorted(listed - set(qfs))[:10],
                                                         sorted(set(qfs) - listed)[:10], listing[-800:]))
    if not tap.failed:
        work.remove()
    else:
        print("# queue kept in %s" % work.dir)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
