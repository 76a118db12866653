#!/usr/bin/env python3
"""deliver-mime.t -- 8-bit MIME to a peer without 8BITMIME, ours against sendmail 8.17.

tests/deliver.t's setting (one fresh network namespace, everything relayed to an SMTP sink on
127.0.0.1:2600), but the sink does not offer 8BITMIME and the relay mailer loses its F=8, so
messages received with BODY=8BITMIME must be made 7-bit as 8.17 makes them: quoted-printable
or base64 by the share of 8-bit bytes, the Content-Transfer-Encoding header moved and an
X-MIME-Autoconverted header added, a multipart's parts one by one, MIME headers added to a
message that had none; an 8-bit message sent without BODY=8BITMIME and a declared 8BITMIME
message with no 8-bit byte go out as they are.  Each message at the sink (envelope, headers,
body) must equal the reference's, after normalising queue ids and dates.
"""
import difflib, importlib.machinery, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
import mtatest  # noqa: E402

dt = importlib.machinery.SourceFileLoader("deliver_t", os.path.join(HERE, "deliver.t")).load_module()
E8 = b"<bob@remote.example.net> BODY=8BITMIME"
TO = [b"<dave@elsewhere.example.org>"]
HEAD = b"From: bob@remote.example.net\nSubject: %s\n"
TEXT = b"MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n"
MESSAGES = [
    (E8, TO, HEAD % b"few 8-bit bytes: quoted-printable" + TEXT +
     b"\nGr\xfc\xdfe aus K\xf6ln, a = sign and a trailing space \n" + b"long " * 30 + b"\xe9\n.leading dot \xe9\n"
     b"From the start\n" + b"x" * 80 + b"\ntab\t\n" + b"=" * 30 + b"\n\xe9" * 3 + b"\n"),
    (E8, TO, HEAD % b"mostly 8-bit: base64" + TEXT + b"\n\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9 abc\n" + b"\xe9" * 300 + b"\n"),
    (E8, TO, HEAD % b"no MIME headers" + b"\nno mime \xe9t\xe9\n"),
    (E8, TO, HEAD % b"encoding header first" + b"MIME-Version: 1.0\nContent-Transfer-Encoding: 8bit\n"
     b"Content-Type: text/plain; charset=ISO-8859-1\nX-After: yes\n\nd\xe9j\xe0 vu, nothing more to say here\n"),
    (E8, TO, HEAD % b"multipart" + b"MIME-Version: 1.0\nContent-Transfer-Encoding: 8bit\n"
     b"Content-Type: multipart/mixed; boundary=\"BB\"\n\npreamble\n--BB\nContent-Type: text/plain; charset=utf-8\n"
     b"Content-Transfer-Encoding: 8bit\n\nh\xc3\xa9llo\n--BB\nContent-Type: text/plain\n\nplain\n--BB\n"
     b"Content-Transfer-Encoding: 8bit\nContent-Type: text/plain\n\n" + b"\xe9" * 200 + b"\n--BB--\nepilogue\n"),
    (b"<bob@remote.example.net>", TO, HEAD % b"8-bit without BODY=8BITMIME" + b"\nno mime \xe9t\xe9\n"),
    (E8, TO, HEAD % b"declared 8BITMIME, all 7-bit" + b"MIME-Version: 1.0\nContent-Type: text/plain\n"
     b"Content-Transfer-Encoding: 8bit\n\nplain\n"),
]


def inner():
    tap = mtatest.Tap()
    root, why = mtatest.reference()
    if root is None:
        tap.ok(False, "reference unavailable: %s" % why)
        return tap.done()
    ref = os.path.join(root, "usr/libexec/sendmail/sendmail")
    sink = dt.Sink(eightbit=False)
    got = {}
    for who, prog in (("reference", ref), ("ours", dt.OURS)):
        w = dt.Work(mtatest.scratch(), root, "mime-" + who)
        cf = open(w.cf).read()
        open(w.cf, "w").write(cf.replace("F=mDFMuXa8,", "F=mDFMuXa,"))
        subprocess.run([ref, "-C", w.cf, "-bi"], cwd=w.dir, capture_output=True)
        dt.smtp_session(prog, w, MESSAGES)
        subprocess.run([prog, "-C", w.cf, "-qf"], cwd=w.dir, capture_output=True, timeout=120)
        got[who] = {}
        for mail, rcpts, data in sink.take():
            text = dt.normalise(data.decode("latin-1"))
            subj = dt.re.search(r"(?m)^Subject: (.*)$", text)
            got[who][subj.group(1).strip() if subj else "?"] = (mail, rcpts, text)
    r, o = got["reference"], got["ours"]
    tap.ok(len(r) == len(MESSAGES), "the reference delivered the %d messages" % len(MESSAGES), repr(sorted(r)))
    for subj in sorted(r):
        mine = o.get(subj, ("<missing>", [], ""))
        tap.ok(r[subj][:2] == mine[:2], "%s: MAIL and RCPT as the reference's" % subj,
               "reference %r\nours %r" % (r[subj][:2], mine[:2]))
        tap.ok(r[subj][2] == mine[2], "%s: headers and body as the reference's" % subj,
               "\n".join(difflib.unified_diff(r[subj][2].splitlines(), mine[2].splitlines(), "reference", "ours",
                                              lineterm="")))
    return tap.done()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inner":
        sys.exit(inner())
    sys.exit(subprocess.run([dt.ISOLATE, sys.executable, os.path.abspath(__file__), "--inner"]).returncode)
