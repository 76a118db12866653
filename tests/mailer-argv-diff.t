#!/usr/bin/env python3
"""mailer-argv-diff.t -- the argv a program mailer with F=f or F=r gets, ours against 8.17's.

8.17 puts "-f $g" (F=f) or "-r $g" (F=r) after argv[0] when the sender is known: for mail from
SMTP (the null sender becomes what the mailer's rules make of <>), for queue runs, and for a
command-line submission only when -f named the sender.  procmail as the local mailer
(FEATURE(local_procmail)) writes that sender into the mailbox's From_ line, so it shows.
Each case runs on a configuration both m4 packages build from the same .mc, whose local mailer
is a recorder script, in fresh namespaces (tests/lib/isolate); the argv lists must be equal.
"""
import os, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

TOP = os.environ.get("TOP", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SANBIN = os.environ.get("SANBIN")
OURS = os.path.join(SANBIN or TOP, "sendmail", "sendmail")
ISOLATE = os.path.join(TOP, "tests", "lib", "isolate")
tap = mtatest.Tap()

MC = """OSTYPE(`linux')dnl
define(`QUEUE_DIR', `%(d)s/mqueue')dnl
define(`ALIAS_FILE', `%(d)s/aliases')dnl
define(`confSERVICE_SWITCH_FILE', `%(d)s/service.switch')dnl
define(`confPID_FILE', `%(d)s/pid')dnl
define(`confDONT_PROBE_INTERFACES', `true')dnl
define(`confDELIVERY_MODE', `%(mode)s')dnl
FEATURE(`accept_unresolvable_domains')dnl
FEATURE(`local_procmail', `%(d)s/rec', `procmail -Y -a $h -d $u', `%(flags)s')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
"""
REC = "#!/bin/sh\necho \"$*\" >> %s/argv\ncat > /dev/null\n"

# SMTP driven one command at a time (no pipelining), then QUIT
DRIVE = r"""
import subprocess, sys
p = subprocess.Popen(sys.argv[2:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def rd():
    while True:
        l = p.stdout.readline()
        if not l or l[3:4] != b"-":
            return
rd()
for c in [b"EHLO client.example", b"MAIL FROM:" + sys.argv[1].encode(), b"RCPT TO:<root>", b"DATA",
          b"Subject: t\r\n\r\nhi\r\n.", b"QUIT"]:
    p.stdin.write(c + b"\r\n"); p.stdin.flush(); rd()
p.wait()
"""

# (name, delivery mode, mailer flags, steps); a step is ("smtp", MAIL FROM arg) or
# ("cmd", [sendmail arguments]) with the message on stdin, or ("q",) for a queue run
CASES = [
    ("SMTP, F=f", "interactive", "SPfhn9", [("smtp", "<bob@sender.test>")]),
    ("SMTP, F=r", "interactive", "SPrhn9", [("smtp", "<bob@sender.test>")]),
    ("SMTP, null sender, F=f", "interactive", "SPfhn9", [("smtp", "<>")]),
    ("SMTP, null sender, F=r", "interactive", "SPrhn9", [("smtp", "<>")]),
    ("SMTP queued, then a queue run", "queue", "SPfhn9", [("smtp", "<bob@sender.test>"), ("q",)]),
    ("command line without -f", "interactive", "SPfhn9", [("cmd", ["root"])]),
    ("command line with -f", "interactive", "SPfhn9", [("cmd", ["-f", "bob@sender.test", "root"])]),
    ("command line without -f, background", "background", "SPfhn9", [("cmd", ["root"])]),
    ("command line without -f queued, then a queue run", "queue", "SPfhn9", [("cmd", ["root"]), ("q",)]),
    ("no F=f or F=r", "interactive", "SPhn9", [("smtp", "<bob@sender.test>")]),
]


def run_case(binary, cf_m4, base, mode, flags, steps):
    d = tempfile.mkdtemp(prefix="argv-", dir=base)
    os.chmod(d, 0o755)
    os.mkdir(os.path.join(d, "mqueue"), 0o700)
    with open(os.path.join(d, "aliases"), "w") as f:
        f.write("postmaster: root\n")
    with open(os.path.join(d, "service.switch"), "w") as f:
        f.write("hosts files\naliases files\n")
    with open(os.path.join(d, "rec"), "w") as f:
        f.write(REC % d)
    os.chmod(os.path.join(d, "rec"), 0o755)
    with open(os.path.join(d, "t.mc"), "w") as f:
        f.write(MC % {"d": d, "mode": mode, "flags": flags})
    with open(os.path.join(d, "drive.py"), "w") as f:
        f.write(DRIVE)
    cf = os.path.join(d, "t.cf")
    with open(cf, "w") as out:
        subprocess.run(["m4", cf_m4, os.path.join(d, "t.mc")], stdout=out, stderr=subprocess.DEVNULL, check=True)
    script = ["%s -C %s -bi >/dev/null 2>&1" % (binary, cf)]
    for s in steps:
        if s[0] == "smtp":
            script.append("%s %s/drive.py '%s' %s -C %s -bs >/dev/null" % (sys.executable, d, s[1], binary, cf))
        elif s[0] == "cmd":
            script.append("printf 'Subject: t\\n\\nhi\\n' | %s -C %s %s" % (binary, cf, " ".join(s[1])))
        else:
            script.append("%s -C %s -q" % (binary, cf))
    # background deliveries and queue runs in a child: wait (20 s at most) for the recorder
    script.append("for i in $(seq 200); do [ -s %s/argv ] && break; sleep 0.1; done; sleep 0.3" % d)
    subprocess.run([ISOLATE, "sh", "-c", "; ".join(script)], capture_output=True, timeout=60, cwd=d)
    argv = os.path.join(d, "argv")
    got = open(argv).read() if os.path.exists(argv) else "(the mailer never ran)\n"
    shutil.rmtree(d, ignore_errors=True)
    return got


ref, why = mtatest.reference()
if ref is None:
    tap.ok(False, "reference sendmail 8.17 available", why)
    sys.exit(tap.done())
REF_BIN = os.path.join(ref, "usr/libexec/sendmail/sendmail")
REF_M4 = os.path.join(ref, "usr/share/sendmail/cf/m4/cf.m4")
OUR_M4 = os.path.join(TOP, "cf", "m4", "cf.m4")
base = tempfile.mkdtemp(prefix="mailer-argv-", dir=mtatest.scratch())
os.chmod(base, 0o755)
for name, mode, flags, steps in CASES:
    want = run_case(REF_BIN, REF_M4, base, mode, flags, steps)
    got = run_case(OURS, OUR_M4, base, mode, flags, steps)
    tap.ok(got == want and "never ran" not in want, "%s: the local mailer's argv as 8.17's (%s)" % (name, want.strip()),
           "8.17: %sours: %s" % (want, got))
shutil.rmtree(base, ignore_errors=True)
sys.exit(tap.done())
