#!/usr/bin/env python3
"""compat.t -- the check_compat ruleset at delivery, against sendmail 8.17's.

A configuration (corpus/compat/compat.mc, built with the reference's m4 package for both)
whose check_compat refuses one recipient with a 5xx, one with a 4xx, discards a third and
lets a fourth through.  Each side, alone in fresh namespaces (tests/lib/isolate) with an SMTP
sink on 127.0.0.1:2600 (corpus/compat/sink.py), takes one command-line submission with
-odi; compared after normalising dates, queue ids and boundaries: what reached the sink
(envelopes, the delivered message, the bounce for the refused two) and the -bp list.
Known difference, left out of the comparison: 8.17 sends RSET before it reuses the
connection for the bounce, and exits 65 where we exit 0.
"""
import difflib, os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
BIN = os.environ.get("SANBIN") or TOP
OURS = os.path.join(BIN, "sendmail", "sendmail")
CORPUS = os.path.join(HERE, "corpus", "compat")
ISOLATE = os.path.join(HERE, "lib", "isolate")

RUN = r'''
set -u
W=$1; BIN=$2
python3 "$W/sink.py" "$W/sink.log" > "$W/sink.out" 2>&1 &
SINK=$!
for _ in $(seq 50); do grep -q ready "$W/sink.out" 2>/dev/null && break; sleep 0.1; done
printf 'Subject: compat\n\nbody\n' | "$BIN" -C "$W/t.cf" -odi -oi -f sender@ext.example \
	blocked@ext.example temp@ext.example gone@ext.example ok@ext.example
echo "exit $?" > "$W/exit"
sleep 1
"$BIN" -C "$W/t.cf" -bp > "$W/bp" 2>&1
kill $SINK
'''


def run(side, binary, ref):
    w = tempfile.mkdtemp(prefix="compat-" + side + "-", dir=mtatest.scratch())
    os.makedirs(os.path.join(w, "q"), mode=0o700)
    for name, text in (("aliases", "root: root\n"), ("lhn", ""), ("switch", "hosts files\naliases files\n"),
                       ("hosts", "127.0.0.1 localhost mail.example.com\n127.0.0.2 ext.example\n")):
        with open(os.path.join(w, name), "w") as f:
            f.write(text)
    shutil.copy(os.path.join(CORPUS, "sink.py"), w)
    cfdir = os.path.join(ref, "usr/share/sendmail/cf")
    with open(os.path.join(w, "t.cf"), "w") as out:
        subprocess.run(["m4", "-D_CF_DIR_=" + cfdir + "/", "-DWORKDIR=" + w, os.path.join(cfdir, "m4/cf.m4"),
                        os.path.join(CORPUS, "compat.mc")], stdout=out, check=True)
    with open(os.path.join(w, "run.sh"), "w") as f:
        f.write(RUN)
    subprocess.run([ISOLATE, "sh", os.path.join(w, "run.sh"), w, binary], timeout=120,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    got = {}
    for name in ("sink.log", "bp", "exit"):
        try:
            got[name] = open(os.path.join(w, name), errors="replace").read()
        except OSError:
            got[name] = "(missing)"
    shutil.rmtree(w, ignore_errors=True)
    return got


def normal(text):
    text = re.sub(r"\b[0-9A-Za-z]{8}[0-9]{6}\b", "<ID>", text)
    text = re.sub(r"\d\d:\d\d:\d\d", "<T>", text)
    text = re.sub(r"(Sun|Mon|Tue|Wed|Thu|Fri|Sat), \d+ \w+ \d{4} <T> \S+", "<DATE>", text)
    text = re.sub(r"(Sun|Mon|Tue|Wed|Thu|Fri|Sat) \w+ \d+ <T>", "<DATE>", text)
    text = re.sub(r"<\d{12}\.<ID>@", "<MSGID@", text)
    text = re.sub(r"<ID>\.\d+/", "<ID>.<B>/", text)
    text = re.sub(r"\(8\.17[^)]*\)", "(<VERSION>)", text)
    text = re.sub(r"\(\d+\.\d+[^)/]*/[^)]*\)", "(<VERSION>)", text)
    text = re.sub(r"\d+ requests?", "<N> requests", text)
    text = re.sub(r"/compat-(ref|ours)-[^/]+/", "/<WORK>/", text)
    return "".join(l for l in text.splitlines(True) if l.strip() != "C RSET")


def main():
    tap = mtatest.Tap()
    ref, why = mtatest.reference()
    if ref is None:
        tap.ok(False, "the reference sendmail 8.17 is available", why)
        return tap.done()
    theirs = run("ref", os.path.join(ref, "usr/libexec/sendmail/sendmail"), ref)
    ours = run("ours", OURS, ref)
    tap.ok("compat says no" in theirs["sink.log"], "8.17 bounces the refused recipient (the case is live)",
           theirs["sink.log"])
    for name, what in (("sink.log", "what reached the sink (delivery and bounce)"), ("bp", "the -bp list")):
        a, b = normal(theirs[name]), normal(ours[name])
        tap.ok(a == b, what, "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                                          "reference", "ours")))
    tap.ok("RCPT To:<gone@" not in ours["sink.log"], "a discarded recipient is not delivered", ours["sink.log"])
    return tap.done()


sys.exit(main())
