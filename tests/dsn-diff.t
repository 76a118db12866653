#!/usr/bin/env python3
"""dsn-diff.t -- our delivery status notifications against sendmail 8.17's.

For each case the reference queues a message (-odq, command line or SMTP), a copy of its
queue files is kept, and the reference's queue runner delivers it (-q -v, with the case's
options; the qf's arrival time moved back for the warning and return cases): its notices
are queued (their recipients are remote and nothing is reachable, so they stay).  Our DSN
module is then given the same original queue files and what the delivery did to each
recipient (action, status, reply, mailer), the way the delivery engine will give it; the
session transcript, which the delivery engine writes and the module only places, is taken
from the reference's notice.  Compared: how many notices, and each one's qf (records; the
K, N, M, I and T lines, which the reference's first delivery attempt of the notice or the
clock set, left out) and df, after normalising queue ids, dates, times and boundaries.
"""
import os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
SANBIN = os.environ.get("SANBIN")
DSNTOOL = os.path.join(SANBIN or os.path.join(TOP, ".obj"), "tests", "unit", "dsntool")
CORPUS = os.path.join(HERE, "corpus", "dsn")
ISOLATE = os.path.join(HERE, "lib", "isolate")

PROG_NOUSER = """rcpt |"exit 67"
alias nouser
action failed
flags PFDA
status 5.1.1
exit 67
final RFC822; nouser@mail.example.com
mailer prog
user |exit 67
"""
PROGOUT = PROG_NOUSER.replace('|"exit 67"', '|"echo some output; echo more; exit 67"').replace(
    "alias nouser", "alias progout").replace("nouser@", "progout@").replace(
    "user |exit 67", "user |echo some output; echo more; exit 67")
TEMPF = """rcpt |"exit 75"
alias tempf
action %s
flags PFDA
status %s
exit 75
final RFC822; tempf@mail.example.com
mailer prog
user |exit 75
"""
NOSUCHUSER = """rcpt nosuchuser
action failed
flags PFD
status 5.1.1
rstatus 550 5.1.1 User unknown
exit 67
final RFC822; nosuchuser@mail.example.com
mailer local
user nosuchuser
"""
BAD = """rcpt error:5.1.1 nope
alias bad
action failed
flags PFDA
status 5.1.1
rstatus 550 5.1.1 User unknown
exit 67
final RFC822; bad@mail.example.com
mailer error
user 5.1.1 nope
"""
NEWS_OK = """rcpt %s
action delivered
flags %s
status 2.1.5
final RFC822; news@mail.example.com
mailer local
user news
"""

MSG = b"Subject: %s\nFrom: daemon\nTo: whoever\n\nbody line\nFrom the start of a line\n"

CASES = [
    # name, how, sender/smtp, recipients, message, queue-run options, age, spec
    dict(name="program exits EX_NOUSER", args=["-f", "sender@example.org", "nouser"],
         spec="reason error\n" + PROG_NOUSER),
    dict(name="two program failures, a deferral and a delivery",
         args=["-f", "sender@example.org", "nouser", "tempf", "progout", "news"],
         spec="reason error\n" + PROG_NOUSER + PROGOUT),
    dict(name="unknown user and an error: alias, bounced at submission", at="submit",
         args=["-f", "sender@example.org", "bad", "nosuchuser", "news"],
         spec="reason error\n" + BAD + NOSUCHUSER),
    dict(name="SMTP: RET=HDRS, ENVID, ORCPT, a success notice with a failure",
         smtp=[b"EHLO client.example.net", b"MAIL FROM:<sender@example.org> RET=HDRS ENVID=env+2B1",
               b"RCPT TO:<nouser@mail.example.com> ORCPT=rfc822;orig+40x.example NOTIFY=FAILURE",
               b"RCPT TO:<news> NOTIFY=SUCCESS"],
         spec="reason error\n" + PROG_NOUSER.replace("flags PFDA", "flags PNFA").replace(
             "alias nouser", "alias <nouser@mail.example.com>") + "orcpt rfc822;orig+40x.example\n"
         + NEWS_OK % ("<news>", "PNS")),
    dict(name="success notice only (Return receipt)", args=["-f", "sender@example.org", "-N", "success", "news"],
         spec="reason error\n" + NEWS_OK % ("news", "PNS")),
    dict(name="NOTIFY=NEVER: no notice", args=["-f", "sender@example.org", "-N", "never", "nouser"],
         spec="reason error\n" + PROG_NOUSER.replace("flags PFDA", "flags PNA")),
    dict(name="delay warning after Timeout.queuewarn (4 hours)", age=5 * 3600,
         args=["-f", "sender@example.org", "tempf"],
         spec="reason warning\n" + TEMPF % ("delayed", "4.2.0")),
    dict(name="return after Timeout.queuereturn (5 days)", age=6 * 86400,
         args=["-f", "sender@example.org", "tempf"],
         spec="reason return\n" + TEMPF % ("failed", "4.4.7")),
    dict(name="bounce of mail from <>: to DoubleBounceAddress", args=["-f", "<>", "nouser"],
         qargs=["-ODoubleBounceAddress=pm@example.org"],
         spec="reason error\nO DoubleBounceAddress=pm@example.org\n" + PROG_NOUSER),
    dict(name="PostmasterCopy", qargs=["-OPostmasterCopy=pmcopy@example.org"],
         args=["-f", "sender@example.org", "nouser"], spec="reason error\nO PostmasterCopy=pmcopy@example.org\n" + PROG_NOUSER),
    dict(name="received over the network, bounced in a queue run: no Received-From-MTA",
         args=["-f", "sender@example.org", "nouser"], client="localhost [127.0.0.1]",
         spec="reason error\n" + PROG_NOUSER),
    dict(name="refused by a remote SMTP server (Remote-MTA, SMTP diagnostic)", sink=True,
         args=["-f", "sender@example.org", "nobody@[127.0.0.3]"],
         spec="reason error\nrcpt nobody@[127.0.0.3]\naction failed\nflags PFD\nstatus 5.1.1\n"
              "rstatus 550 5.1.1 <nobody@remote.example>: Recipient address rejected: no such user\n"
              "exit 67\nfinal RFC822; nobody@[127.0.0.3]\nmailer esmtp\nuser nobody@[127.0.0.3]\n"
              "remote [127.0.0.3]\n"),
    dict(name="SendMimeErrors=False", qargs=["-OSendMimeErrors=False"],
         args=["-f", "sender@example.org", "nouser"], spec="reason error\nO SendMimeErrors=False\n" + PROG_NOUSER),
    dict(name="Precedence: bulk returns the headers only", args=["-f", "sender@example.org", "nouser"],
         msg=b"Subject: bulk\nPrecedence: bulk\n\nbody\n", spec="reason error\n" + PROG_NOUSER),
    dict(name="ErrorHeader from a file", qargs=["-OErrorHeader=WORK/errhdr"],
         args=["-f", "sender@example.org", "nouser"], spec="reason error\nO ErrorHeader=WORK/errhdr\n" + PROG_NOUSER),
    dict(name="a body larger than MaxMessageSize is returned whole", qargs=["-OMaxMessageSize=5000"],
         args=["-f", "sender@example.org", "nouser"],
         msg=b"Subject: big\n\n" + b"".join(b"line %d of the body with some text\n" % i for i in range(400)),
         spec="reason error\nO MaxMessageSize=5000\n" + PROG_NOUSER),
    dict(name="8-bit body", args=["-f", "sender@example.org", "-B8BITMIME", "nouser"],
         msg=b"Subject: eight\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\n"
             b"Content-Transfer-Encoding: 8bit\n\nGr\xfc\xdfe\n", spec="reason error\n" + PROG_NOUSER),
]


def run(cmd, cwd=None, stdin=b""):
    p = subprocess.run([ISOLATE] + cmd, cwd=cwd, input=stdin, capture_output=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def smtp(ref, cf, cwd, cmds, data):
    p = subprocess.Popen([ISOLATE, ref, "-C", cf, "-bs", "-odq"], cwd=cwd, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)

    def reply():
        while True:
            l = p.stdout.readline()
            if len(l) < 4 or l[3:4] != b"-":
                return l
    reply()
    for c in cmds + [b"DATA"]:
        p.stdin.write(c + b"\r\n")
        p.stdin.flush()
        reply()
    p.stdin.write(data.replace(b"\n", b"\r\n") + b".\r\n")
    p.stdin.flush()
    reply()
    p.stdin.write(b"QUIT\r\n")
    p.stdin.close()
    p.wait()


def records(path):
    recs = []
    for line in open(path, "rb").read().decode("latin-1").split("\n"):
        if line[:1] in (" ", "\t") and recs:
            recs[-1] += "\n" + line
        elif line:
            recs.append(line)
    return recs


def qfs(queue):
    return sorted(f[2:] for f in os.listdir(queue) if f.startswith("qf"))


def is_notice(queue, qid):
    return any(r.startswith("F") and "r" in r for r in records(os.path.join(queue, "qf" + qid)))


def normalise(text, ids):
    for i, qid in enumerate(ids):
        text = text.replace(qid, "<ID%d>" % i)
    text = re.sub(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), +\d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d"
                  r"( [+-]\d{4}| [A-Z]{2,5})?( \(\w+\))?", "<DATE>", text)
    text = re.sub(r"\.\d{9,11}/", ".<TIME>/", text)
    text = re.sub(r"<\d{12}\.<ID", "<<STAMP>.<ID", text)
    return text


def notice(queue, qid, ids):
    """a notice as compared: its qf records without the delivery attempt's and the clock's,
    then its df"""
    recs = [r for r in records(os.path.join(queue, "qf" + qid)) if r[:1] not in "KNMIT"]
    df = open(os.path.join(queue, "df" + qid), "rb").read().decode("latin-1")
    return normalise("\n".join(recs) + "\n=== df\n" + df, ids)


def transcript(df):
    m = re.search(r"   ----- Transcript of session follows -----\n(.*?)\n(?:--|   ----- Orig)", df, re.S)
    return m.group(1).rstrip("\n") if m else ""


def main():
    tap = mtatest.Tap()
    root, why = mtatest.reference()
    if root is None:
        tap.ok(False, "reference unavailable: %s" % why)
        return tap.done()
    ref = os.path.join(root, "usr/libexec/sendmail/sendmail")
    work = tempfile.mkdtemp(prefix="dsn-", dir=mtatest.scratch())
    os.chmod(work, 0o755)
    for f in os.listdir(CORPUS):
        shutil.copy(os.path.join(CORPUS, f), work)
    with open(os.path.join(work, "deliver"), "w") as f:
        f.write('#!/bin/sh\nfor u; do :; done\ncat >> "%s/mbox.$u"\n' % work)
    os.chmod(os.path.join(work, "deliver"), 0o755)
    cf = os.path.join(work, "dsn.cf")
    with open(cf, "w") as out:
        subprocess.run(["m4", "-DWORKDIR=" + work, os.path.join(root, "usr/share/sendmail/cf/m4/cf.m4"),
                        "dsn.mc"], cwd=work, stdout=out, stderr=subprocess.DEVNULL, check=True)
    run([ref, "-C", cf, "-bi"], cwd=work)
    with open(os.path.join(work, "errhdr"), "w") as f:
        f.write("This line comes from the ErrorHeader file,\nand this one too ($j).\n")
    mq, oq = os.path.join(work, "mqueue"), os.path.join(work, "ours")
    for c in CASES:
        for d in (mq, oq):
            shutil.rmtree(d, ignore_errors=True)
            os.mkdir(d, 0o700)
        msg = c.get("msg", MSG % c["name"].encode())
        if "smtp" in c:
            smtp(ref, cf, work, c["smtp"], msg)
        else:
            run([ref, "-C", cf, "-odq", "-oi"] + c["args"], cwd=work, stdin=msg)
        before = qfs(mq)
        origs = [i for i in before if not is_notice(mq, i)]
        if len(origs) != 1:
            tap.ok(False, "%s: the reference queued one message" % c["name"], "queue: %s" % before)
            continue
        oid = origs[0]
        qf = os.path.join(mq, "qf" + oid)
        if c.get("age"):
            text = open(qf, "rb").read()
            text = re.sub(rb"(?m)^T(\d+)", lambda m: b"T%d" % (int(m.group(1)) - c["age"]), text)
            open(qf, "wb").write(text)
        if c.get("client"):  # as if it had come from that client
            text = open(qf, "rb").read()
            text = re.sub(rb"(?m)^\$_.*", lambda m: b"$_" + c["client"].encode(), text)
            open(qf, "wb").write(text)
        for t in ("qf", "df"):
            shutil.copy(os.path.join(mq, t + oid), oq)
        if c.get("at") != "submit":
            qrun = [ref, "-C", cf, "-q", "-v"] + [a.replace("WORK", work) for a in c.get("qargs", [])]
            if c.get("sink"):  # a remote server in the queue runner's namespace
                qrun = [sys.executable, os.path.join(work, "sink550.py")] + qrun
            run(qrun, cwd=work)
        ref_ids = [i for i in qfs(mq) if i != oid and is_notice(mq, i)]
        xs = transcript(open(os.path.join(mq, "df" + ref_ids[0]), "rb").read().decode("latin-1")) \
            if ref_ids else ""
        spec = os.path.join(work, "spec")
        with open(spec, "w", encoding="latin-1") as f:
            f.write(c["spec"].replace("WORK", work))
            if c.get("at") == "submit":
                f.write("msgsize %d\n" % len(msg))
            if xs:
                f.write("transcript\n" + xs + "\n")
        p = subprocess.run([ISOLATE, DSNTOOL, cf, oq, oid, spec], capture_output=True, timeout=60)
        our_ids = p.stdout.decode().split()
        if p.returncode != 0:
            tap.ok(False, "%s: dsntool ran" % c["name"], p.stderr.decode("latin-1"))
            continue
        tap.ok(len(our_ids) == len(ref_ids), "%s: %d notice(s), as the reference" % (c["name"], len(ref_ids)),
               "reference %d, ours %d %s" % (len(ref_ids), len(our_ids), p.stderr.decode("latin-1")))
        for k, (r, o) in enumerate(zip(ref_ids, our_ids)):
            want = notice(mq, r, [oid, r])
            got = notice(oq, o, [oid, o])
            import difflib
            tap.ok(want == got, "%s: notice %d" % (c["name"], k + 1),
                   "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "reference",
                                                  "ours", lineterm="", n=1)))
    if os.environ.get("DSN_KEEP"):
        print("# kept %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
