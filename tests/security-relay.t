#!/usr/bin/env python3
"""security-relay.t -- the open-relay battery (../shared/reference/security.md §4 T6).

Our daemon and sendmail 8.17 run side by side (tests/lib/mtasec.py: a namespace where
192.0.2.10 is the hosts' address, the client connecting from 192.0.2.20, which is not
loopback and has no relaying rights; a stock relay policy built by each side's m4 package from
tests/corpus/security/sec.mc; everything not local goes to an SMTP sink per host).
Every form of the battery (ME = mail.example.com, [IP] = [192.0.2.10], X = an outside domain),
also in upper case, with trailing dots, with an IDN A-label domain and without <>, is sent in
its own session: MAIL, RCPT, and DATA when the RCPT was taken.
 * the absolute rule: after both queues are run, no message reached our sink (no relay), and
   every recipient we took was delivered locally (the dump local mailer got it);
 * what 8.17 does: our reply to each RCPT (and each MAIL) is the reference's reply.
"""
import collections, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402
import mtasec as ms  # noqa: E402

ms.reexec_isolated()
tap = mtatest.Tap()
ME, IP, X = ms.ME, "[%s]" % ms.ADDR, "external.example"

SENDERS = ["<a@X>", "<a@ME>", "<a@localhost>", "<a>", "<>", "<a@IP>"]
RCPTS = ["<b%X@ME>", "<b%X@IP>", "<b%X%ME@ME>", '<"b@X">', '<"b%X">', '<"b@X"@ME>', '<"b%X"@IP>',
         "<b@X@ME>", "<b@X@IP>", "<b@[1.2.3.4]@ME>", "<@ME:b@X>", "<@IP:b@X>", "<@ME,@X:b@X>",
         "<X!b>", "<X!b@ME>", "<X!b@IP>", "<ME!X!b@ME>", "<b@X.>", "<b@ME.X>", "<b\\@X@ME>",
         "<b@X (c)>"]


def expand(form):
    return form.replace("ME", ME).replace("IP", IP).replace("X", X)


def variants(form):
    """the form, upper case, trailing dots on the domains, an IDN A-label for X, no <>"""
    base = expand(form)
    out = [base, base.upper(), expand(form.replace("ME", "ME.").replace("@X>", "@X.>")),
           form.replace("ME", ME).replace("IP", IP).replace("X", "xn--bcher-kva.example")]
    if form.startswith("<") and form.endswith(">") and form != "<>":
        out.append(base[1:-1])
    seen = []
    for v in out:
        if v not in seen:
            seen.append(v)
    return seen


CASES = [("MAIL FROM:" + expand(s), "RCPT TO:<b@%s>" % X) for s in SENDERS]
CASES += [("MAIL FROM:<a@%s>" % X, "RCPT TO:" + v) for f in RCPTS for v in variants(f)]
CASES += [("MAIL FROM:<a@%s>" % X, "RCPT TO:<b@%s>" % v) for v in (X.upper(), X + ".", "xn--bcher-kva.example")]
# controls: forms naming a local user, which must be taken and delivered here (so the checks
# above can tell "refused" from "never asked")
LOCAL = ["<root@ME>", "<ROOT@ME>", "<root@ME.>", "<root@IP>", '<"root"@ME>', "<root%ME@ME>",
         "<@ME:root@ME>", "<postmaster>", "<ME!root@ME>"]
CASES += [("MAIL FROM:<a@%s>" % X, "RCPT TO:" + expand(f)) for f in LOCAL]


def play(host):
    """[(mail reply, rcpt reply, data reply or None)] per case"""
    res = []
    for i, (mail, rcpt) in enumerate(CASES):
        c = ms.Client(host)
        c.cmd(b"EHLO client.example.net")
        m = c.cmd(mail.encode("latin-1"))
        r = c.cmd(rcpt.encode("latin-1"))
        d = None
        if r.startswith("2"):
            if c.cmd(b"DATA").startswith("354"):
                c.send(b"From: a@external.example\r\nSubject: relay case %d\r\nX-Case: %d\r\n\r\ncase %d\r\n.\r\n"
                       % (i, i, i))
                d = c.reply()
        c.cmd(b"QUIT")
        c.close()
        res.append((m, r, d))
    return res


def main():
    scratch = mtatest.scratch()
    ours, ref = ms.hosts(tap, scratch)
    try:
        mine = play(ours)
        theirs = play(ref) if ref else None
        for h in (ours, ref):
            if h:
                h.stop()
                h.queue_run()
        print("# our RCPT replies: %s" % ", ".join("%s x%d" % (k, v) for k, v in sorted(
            collections.Counter(r.split("...")[-1].strip()[:40] for _, r, _ in mine).items())))
        got, _ = ours.sink.take()
        tap.ok(not got, "no relay: none of the %d cases reached our sink after the queue run" % len(CASES),
               "\n".join("relayed: MAIL %s RCPT %r" % (m, r) for m, r, _ in got))
        taken = [CASES[i][1] for i, (m, r, d) in enumerate(mine) if d and d.startswith("250")]
        local = ours.deliveries()
        tap.ok(len(local) == len(taken) >= len(LOCAL) and not ours.qfs(),
               "the %d recipients we took were each delivered locally, none left queued" % len(taken),
               "taken: %r\nlocal deliveries: %r\nqueue: %r" % (taken, [d["argv"] for d in local], ours.qfs()))
        san = ours.sanitizer_reports()
        tap.ok(not san, "no sanitizer report from our daemon or its children", "\n".join(san[:20]))
        if ref:
            rgot, _ = ref.sink.take()
            tap.ok(not rgot, "(the reference relays none either: the battery's premise)", repr(rgot))
        n_ok = 0
        for i, (mail, rcpt) in enumerate(CASES):
            a = mine[i]
            if not a[1].startswith(("4", "5")) and not (a[2] or "").startswith("250"):
                tap.ok(False, "%s / %s: refused or taken whole" % (mail, rcpt), repr(a))
            if theirs is None:
                continue
            b = theirs[i]
            same = (a[0], a[1], ms.code(a[2] or "")) == (b[0], b[1], ms.code(b[2] or ""))
            n_ok += same
            tap.ok(same, "%s / %s: our replies are 8.17's (%s)" % (mail, rcpt, a[1].strip()[:60]),
                   "ours:      %r\nreference: %r" % (a, b))
        print("# %d cases, %d taken (local), %d answered as 8.17" % (len(CASES), len(taken), n_ok))
    finally:
        for h in (ours, ref):
            if h:
                h.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
