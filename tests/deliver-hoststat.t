#!/usr/bin/env python3
"""deliver-hoststat.t -- host status at delivery (HostStatusDirectory), ours against 8.17.

In one fresh network namespace, each of the reference and we get our own folder (tests/deliver.t's
configuration: everything relayed to [127.0.0.1] port 2600) and three queued messages, then:
  1. `sendmail -qf` with nothing listening on port 2600: every message is deferred with the
     same text, and the status file 8.17 writes for the host is the one we write (times
     aside), listed by 8.17's hoststat (-bh) the same as its own, and by ours the same;
  2. an SMTP sink now listens, but the status is fresh (Timeout.hoststatus, 30 minutes): a
     second run does not try the host, nothing reaches the sink, the queue is as the
     reference's;
  3. with Timeout.hoststatus=0s a third run delivers all three, and the host's file says so
     as 8.17's does.
(Status files, queue files and listings are compared after normalising times and queue ids.)
"""
import glob, importlib.machinery, os, re, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
import mtatest  # noqa: E402

dt = importlib.machinery.SourceFileLoader("deliver_t", os.path.join(HERE, "deliver.t")).load_module()


def norm(text):
    text = re.sub(r"(?m)^([UKT])\d+$", r"\1<TIME>", text)
    text = re.sub(r"\b\d\d:\d\d:\d\d\b", "<AGO>", text)
    return dt.normalise(text)


def state(prog, w, hsd, opts):
    """the status files, -bh by the reference and by prog, the qf records that say how it went"""
    files = []
    for f in sorted(glob.glob(hsd + "/**", recursive=True)):
        if os.path.isfile(f):
            files.append("%s: %s" % (os.path.relpath(f, hsd), norm(open(f).read())))
    qfs = []
    for q in sorted(glob.glob(w.queue + "/qf*")):
        recs = [l for l in open(q, encoding="latin-1").read().split("\n") if l[:1] in ("M", "N", "R")]
        qfs.append(" ".join(recs))
    bh = subprocess.run([prog, "-C", w.cf, "-bh"] + opts, cwd=w.dir, capture_output=True).stdout.decode("latin-1")
    return "\n".join(files), "\n".join(sorted(qfs)), norm(bh)


def inner():
    tap = mtatest.Tap()
    root, why = mtatest.reference()
    if root is None:
        tap.ok(False, "reference unavailable: %s" % why)
        return tap.done()
    ref = os.path.join(root, "usr/libexec/sendmail/sendmail")
    scratch = mtatest.scratch()
    msgs = [(b"<bob@remote.example.net>", [b"<dave%d@elsewhere.example.org>" % i], b"Subject: m%d\n\nbody\n" % i)
            for i in range(3)]
    sides, sink = {}, None
    for step in (1, 2, 3):
        if step == 2:
            sink = dt.Sink()
        for who, prog in (("reference", ref), ("ours", dt.OURS)):
            if step == 1:
                w = dt.Work(scratch, root, "hs-" + who)
                hsd = os.path.join(w.dir, "hoststatus")
                os.mkdir(hsd)
                subprocess.run([ref, "-C", w.cf, "-bi"], cwd=w.dir, capture_output=True)
                dt.smtp_session(prog, w, msgs)
                sides[who] = (w, hsd)
            w, hsd = sides[who]
            opts = ["-OHostStatusDirectory=" + hsd]
            extra = ["-OTimeout.hoststatus=0s"] if step == 3 else []
            subprocess.run([prog, "-C", w.cf, "-qf"] + opts + extra, cwd=w.dir, capture_output=True, timeout=120)
            got = sink.take() if sink else []
            files, qfs, bh = state(prog, w, hsd, opts)
            bh_ref = state(ref, w, hsd, opts)[2]
            sides[who + str(step)] = dict(files=files, qfs=qfs, bh=bh, bh_ref=bh_ref, got=len(got))
        r, o = sides["reference%d" % step], sides["ours%d" % step]
        what = {1: "refused", 2: "status fresh, sink up", 3: "Timeout.hoststatus=0s"}[step]
        tap.ok(r["files"] == o["files"] and r["files"] != "", "%d (%s): the host status file as 8.17's" % (step, what),
               "reference:\n%s\nours:\n%s" % (r["files"], o["files"]))
        tap.ok(r["qfs"] == o["qfs"], "%d (%s): the queue files say what 8.17's say" % (step, what),
               "reference:\n%s\nours:\n%s" % (r["qfs"], o["qfs"]))
        tap.ok(r["got"] == o["got"], "%d (%s): %d messages reached the sink, as with 8.17" % (step, what, r["got"]),
               "ours: %d" % o["got"])
        tap.ok(o["bh_ref"] == r["bh_ref"] and o["bh"] == r["bh_ref"],
               "%d (%s): 8.17's hoststat lists our files as its own, and ours the same" % (step, what),
               "reference on its own:\n%s\nreference on ours:\n%s\nours on ours:\n%s" % (r["bh_ref"], o["bh_ref"], o["bh"]))
    tap.ok(sides["reference2"]["got"] == 0 and sides["reference3"]["got"] == 3,
           "8.17 left the host alone while its status was fresh, then delivered the three")

    return tap.done()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inner":
        sys.exit(inner())
    sys.exit(subprocess.run([dt.ISOLATE, sys.executable, os.path.abspath(__file__), "--inner"]).returncode)
