#!/usr/bin/env python3
"""submit-diff.t -- command-line submission (-bm, -t) against sendmail 8.17's.

Every case of tests/corpus/submit/cases (a message file on stdin and the arguments after
`sendmail -C t.cf -odq`) is submitted to the reference and to ours, each with a
configuration of tests/corpus/submit/submit.mc and its own queue folder, in fresh UTS and
network namespaces (tests/lib/isolate).  The exit status, stdout, stderr, the qf (after
normalising queue ids, times, dates and the work folder) and the df (byte for byte) must be
the reference's.  The configuration is built twice for ours: with the reference's m4 package
(the same cf as the reference reads) and with our own package (cf/): both must give the
reference's files.  Cases marked @nobody run as the user nobody (an untrusted sender: the
X-Authentication-Warning lines); cases marked @smtp send the message through `-bs`
instead (EHLO, MAIL FROM:<root>, RCPT TO:<daemon>, DATA): the same header code lays out
its qf.  Every submission runs in a private mount namespace where /root and /var/tmp are
empty folders of its side, so that the dead.letter files of ErrorMode=p (the sender's home,
else /var/tmp) are compared too and never touch the real ones; the work folders are therefore
under /var/cache/mta-tests (which nobody can enter as well), not under /root/.cache.
Where an error is mailed back (-oem, -oee, -oep for another sender) both deliver the bounce
at once, as 8.17 does; of those attempted queue files (N not 0) the records the delivery
attempt writes (I, and M: the local mailer fails in the test's namespaces) are left out of
the comparison: that is the delivery engine's business (deliver.t), the bounce itself is
compared whole.
"""
import difflib, os, pwd, re, shlex, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
SANBIN = os.environ.get("SANBIN")
OURS = os.path.join(SANBIN or TOP, "sendmail", "sendmail")
CORPUS = os.path.join(HERE, "corpus", "submit")
ISOLATE = os.path.join(HERE, "lib", "isolate")
NOBODY_BASE = "/var/cache/mta-tests"
REF = None


class Side:
    """a work folder: configuration, aliases, queue; the binary that runs there"""

    def __init__(self, base, name, binary, m4pkg, user=None):
        self.dir = tempfile.mkdtemp(prefix="submit-%s-" % name, dir=base)
        os.chmod(self.dir, 0o755)
        for f in ("switch", "hosts", "submit.mc", "aliases"):
            shutil.copy(os.path.join(CORPUS, f), self.dir)
        self.queue = os.path.join(self.dir, "mqueue")
        os.mkdir(self.queue, 0o700)
        self.home = os.path.join(self.dir, "home")
        self.vartmp = os.path.join(self.dir, "vartmp")
        os.mkdir(self.home, 0o755)
        os.mkdir(self.vartmp, 0o1777)
        self.user = user
        if user is not None:
            pw = pwd.getpwnam(user)
            os.chown(self.queue, pw.pw_uid, pw.pw_gid)
            # nobody cannot reach the build tree under /root: a copy of the binary
            shutil.copy(binary, os.path.join(self.dir, "sendmail"))
            binary = os.path.join(self.dir, "sendmail")
        self.binary = binary
        with open(os.path.join(self.dir, "t.cf"), "w") as out:
            subprocess.run(["m4", "-DWORKDIR=" + self.dir, m4pkg, "submit.mc"], cwd=self.dir, stdout=out,
                           stderr=subprocess.DEVNULL, check=True)
        # the alias database, built by the reference's newaliases for every side
        subprocess.run([ISOLATE, REF, "-C", "t.cf", "-bi"], cwd=self.dir, capture_output=True, timeout=60)

    def private(self):
        """the command prefix: a private /root and /var/tmp (dead.letter goes there)"""
        return ["unshare", "-m", "sh", "-c", 'mount --bind "$0" /root && mount --bind "$1" /var/tmp && '
                'shift && exec "$@"', self.home, self.vartmp]

    def leftovers(self):
        """the files written outside the queue (dead.letter), emptied for the next case"""
        files = {}
        for d, tag in ((self.home, "~"), (self.vartmp, "/var/tmp")):
            for name in sorted(os.listdir(d)):
                path = os.path.join(d, name)
                files[tag + "/" + name] = open(path, "rb").read()
                os.unlink(path)
        return files

    def submit(self, args, msg):
        cmd = [ISOLATE] + self.private()
        if self.user is not None:
            cmd += ["setpriv", "--reuid=" + self.user, "--regid=nogroup", "--clear-groups"]
        cmd += [self.binary, "-C", "t.cf", "-odq"] + args
        with open(msg, "rb") as f:
            p = subprocess.run(cmd, cwd=self.dir, stdin=f, capture_output=True, timeout=60,
                               env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "GMT"})
        files = {}
        for name in sorted(os.listdir(self.queue)):
            path = os.path.join(self.queue, name)
            files[name] = open(path, "rb").read()
            os.unlink(path)
        files.update(self.leftovers())
        return p.returncode, p.stdout, p.stderr, files

    def smtp(self, msg):
        """one -bs session: EHLO, MAIL, RCPT, DATA with msg (CRLF, dot-stuffed), QUIT; the
        replies from MAIL on (the EHLO keywords are smtp-diff.t's business) and the files"""
        p = subprocess.Popen([ISOLATE] + self.private() + [self.binary, "-C", "t.cf", "-bs", "-odq"],
                             cwd=self.dir,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "GMT"})

        def reply():
            r = b""
            while True:
                l = p.stdout.readline()
                r += l
                if len(l) < 4 or l[3:4] != b"-":
                    return r
        body = open(msg, "rb").read()
        lines = body.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        data = b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in lines) + b".\r\n"
        replies = b""
        reply()
        for c in (b"EHLO client.example.net\r\n", b"MAIL FROM:<root>\r\n", b"RCPT TO:<daemon>\r\n",
                  b"DATA\r\n", data, b"QUIT\r\n"):
            p.stdin.write(c)
            p.stdin.flush()
            r = reply()
            if not c.startswith(b"EHLO"):
                replies += r
        p.stdin.close()
        p.wait(timeout=60)
        files = {}
        for name in sorted(os.listdir(self.queue)):
            path = os.path.join(self.queue, name)
            files[name] = open(path, "rb").read()
            os.unlink(path)
        files.update(self.leftovers())
        return 0, replies, b"", files

    def normalise(self, text, ids):
        for i, qid in enumerate(ids):
            text = text.replace(qid.encode(), b"<QID%d>" % i)
        text = text.replace(self.dir.encode(), b"<WORK>")
        text = re.sub(rb"(?m)^T\d+$", b"T<TIME>", text)
        text = re.sub(rb"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d"
                      rb"( [+-]\d{4}( \(\w+\))?| GMT)", b"<DATE>", text)
        text = re.sub(rb"<\d{12}\.<QID", b"<STAMP.<QID", text)
        text = re.sub(rb"\(\d+\.\d+\.\d+\.\d+/\d+\.\d+\.\d+\.\d+\)", b"(<VERSION>)", text)
        text = re.sub(rb"(?m)^From (\S+) \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$", rb"From \1 <CTIME>", text)
        text = re.sub(rb"\.\d{10}/", b".<TIME>/", text)
        text = re.sub(rb"(?m)^K\d+$", b"K<TIME>", text)
        return text

    def outcome(self, args, msg, smtp=False):
        rc, out, err, files = self.smtp(msg) if smtp else self.submit(args, msg)
        ids = sorted({n[2:] for n in files if n[:2] in ("qf", "df")})
        # the ids of messages that were never queued (dead.letter, a bounce name them)
        for name, data in files.items():
            if True:
                for m in re.finditer(rb"\bid ([0-9A-Za-z]{14})\b", data):
                    if m.group(1).decode() not in ids:
                        ids.append(m.group(1).decode())
        text = b"exit %d\n-- stdout\n%s-- stderr\n%s" % (rc, out, err)
        for name, data in files.items():
            kind = name[:2]
            if kind not in ("qf", "df"):
                text += b"-- %s\n%s" % (name.encode(), data)
                continue
            idx = ids.index(name[2:])
            if kind == "qf" and not re.search(rb"(?m)^N0$", data):
                # a delivery attempt's records (see the top)
                data = re.sub(rb"(?m)^(I\d+/\d+/\d+|M.*)\n", b"", data)
            if kind == "df":
                text += b"-- df%d (%d bytes)\n%s\n" % (idx, len(data), data)
            else:
                text += b"-- %s%d\n%s" % (kind.encode(), idx, data)
        return self.normalise(text, ids).decode("latin-1")


def cases():
    out = []
    for line in open(os.path.join(CORPUS, "cases"), encoding="latin-1"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        user, smtp = None, False
        if words[0] == "@nobody":
            user = "nobody"
            words = words[1:]
        elif words[0] == "@smtp":
            smtp = True
            words = words[1:]
        out.append((line, user, smtp, os.path.join(CORPUS, words[0]), words[1:]))
    return out


def main():
    tap = mtatest.Tap()
    root, why = mtatest.reference()
    if root is None:
        tap.ok(False, "reference unavailable: %s" % why)
        return tap.done()
    global REF
    ref = REF = os.path.join(root, "usr/libexec/sendmail/sendmail")
    refm4 = os.path.join(root, "usr/share/sendmail/cf/m4/cf.m4")
    ourm4 = os.path.join(TOP, "cf", "m4", "cf.m4")
    os.makedirs(NOBODY_BASE, mode=0o755, exist_ok=True)
    sides = {}
    made = []

    def side(user, name, binary, m4pkg):
        key = (user, name)
        if key not in sides:
            base = NOBODY_BASE
            sides[key] = Side(base, name, binary, m4pkg, user)
            made.append(sides[key].dir)
        return sides[key]

    passed = total = 0
    for line, user, smtp, msg, args in cases():
        want = side(user, "ref", ref, refm4).outcome(args, msg, smtp)
        for label, m4pkg in (("reference cf", refm4), ("our cf", ourm4)):
            got = side(user, "ours-" + label.split()[0], OURS, m4pkg).outcome(args, msg, smtp)
            diff = "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "8.17", "ours",
                                                  lineterm="", n=2))
            total += 1
            passed += want == got
            tap.ok(want == got, "%s (%s)" % (line, label), diff)
    print("# %d of %d submissions as 8.17's" % (passed, total))
    for d in made:
        shutil.rmtree(d, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
