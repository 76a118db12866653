"""mtasec -- what the security batteries (tests/security-*.t) share.

Each battery runs inside tests/lib/isolate (fresh network and UTS namespaces, host name
mail.example.com) and gives its loopback interface 192.0.2.10 (the MTA's address, [IP] in
../shared/reference/security.md) and 192.0.2.20 (an outside client: not loopback, so no
relaying is granted to it).  Two hosts run side by side on 192.0.2.10: ours (our binary, a
configuration our cf package builds from tests/corpus/security/sec.mc, its log written by
LogFile= to a file) and the reference sendmail 8.17 (its binary, its m4 package, the same
.mc), each with its own folder, queue, alias database and SMTP sink (a relay reaching the sink
is a relay).  The local mailer of both is `dump` (tests/corpus/security/dump): it records its
argv, environment, open descriptors and standard input in the host's out/ folder, so what a
program receives can be checked; the prog mailer is /bin/sh as in a stock configuration."""
import atexit, os, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time

LIB = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(LIB)
sys.path.insert(0, LIB)
import mtatest  # noqa: E402

TOP = os.environ.get("TOP", os.path.dirname(TESTS))
SANBIN = os.environ.get("SANBIN")
OURS = os.path.join(SANBIN or TOP, "sendmail", "sendmail")
CORPUS = os.path.join(TESTS, "corpus", "security")
ADDR, CLIENT = "192.0.2.10", "192.0.2.20"
ME = "mail.example.com"


def reexec_isolated():
    """run this script again in fresh mount, UTS and network namespaces (as tests/lib/isolate,
    plus /etc/hosts replaced by tests/corpus/security/hosts, so the client's address has a
    name for the resolver too), with 192.0.2.10 and 192.0.2.20 on the loopback interface"""
    if os.environ.get("MTA_ISOLATED") != "1":
        env = dict(os.environ, MTA_ISOLATED="1")
        script = ('ip link set lo up && ip addr add %s/32 dev lo && ip addr add %s/32 dev lo && '
                  'hostname %s && mount --bind %s /etc/hosts && exec "$@"'
                  % (ADDR, CLIENT, ME, os.path.join(CORPUS, "hosts")))
        os.execve("/usr/bin/unshare", ["unshare", "-m", "-u", "-n", "sh", "-c", script, "isolate",
                                       sys.executable, os.path.abspath(sys.argv[0])] + sys.argv[1:], env)


class Sink:
    """An SMTP server on 127.0.0.1:port keeping each transaction (mail, [rcpts], data) and the
    raw bytes of every session (to look for bare CR or LF on the wire)."""

    def __init__(self, port):
        self.got, self.wire, self.lock = [], [], threading.Lock()
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", port))
        self.srv.listen(64)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            c, _ = self.srv.accept()
            threading.Thread(target=self.session, args=(c,), daemon=True).start()

    def session(self, c):
        raw = bytearray()
        buf = b""

        def line():
            nonlocal buf
            while b"\n" not in buf:
                d = c.recv(65536)
                if not d:
                    return None
                raw.extend(d)
                buf += d
            l, buf = buf.split(b"\n", 1)
            return l + b"\n"
        c.sendall(b"220 sink ESMTP\r\n")
        mail, rcpts = None, []
        try:
            while True:
                l = line()
                if l is None:
                    break
                cmd = l.rstrip(b"\r\n")
                verb = cmd[:4].upper()
                if verb == b"EHLO":
                    c.sendall(b"250-sink\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 DSN\r\n")
                elif verb == b"HELO":
                    c.sendall(b"250 sink\r\n")
                elif verb == b"MAIL":
                    mail, rcpts = cmd[10:].decode("latin-1"), []
                    c.sendall(b"250 2.1.0 Ok\r\n")
                elif verb == b"RCPT":
                    rcpts.append(cmd[8:].decode("latin-1"))
                    c.sendall(b"250 2.1.5 Ok\r\n")
                elif verb == b"DATA":
                    c.sendall(b"354 go\r\n")
                    data = []
                    while True:
                        l = line()
                        if l is None or l == b".\r\n":
                            break
                        data.append(l[1:] if l.startswith(b".") else l)
                    with self.lock:
                        self.got.append((mail, rcpts, b"".join(data)))
                    c.sendall(b"250 2.0.0 Ok\r\n")
                elif verb == b"RSET":
                    mail, rcpts = None, []
                    c.sendall(b"250 2.0.0 Ok\r\n")
                elif verb == b"QUIT":
                    c.sendall(b"221 2.0.0 Bye\r\n")
                    break
                else:
                    c.sendall(b"502 5.5.2 what\r\n")
        except OSError:
            pass
        with self.lock:
            self.wire.append(bytes(raw))
        c.close()

    def take(self):
        with self.lock:
            got, self.got = self.got, []
            wire, self.wire = self.wire, []
        return got, wire


class Host:
    """One MTA (ours or the reference) with its folder, configuration, daemon and sink."""

    def __init__(self, scratch, name, binary, cf_m4, port, sinkport, mc="sec.mc", logfile=True):
        self.name, self.binary, self.port = name, binary, port
        self.dir = tempfile.mkdtemp(prefix="sec-%s-" % name, dir=scratch)
        atexit.register(shutil.rmtree, self.dir, True)   # the test's files go with it
        os.chmod(self.dir, 0o755)
        for f in ("service.switch", "hosts", mc):
            shutil.copy(os.path.join(CORPUS, f), self.dir)
        with open(os.path.join(self.dir, "local-host-names"), "w") as f:
            f.write("%s\n[%s]\n" % (ME, ADDR))
        aliases = open(os.path.join(CORPUS, "aliases")).read().replace("WORKDIR", self.dir)
        with open(os.path.join(self.dir, "aliases"), "w") as f:
            f.write(aliases)
        dump = open(os.path.join(CORPUS, "dump")).read().replace("WORKDIR", self.dir)
        with open(os.path.join(self.dir, "dump"), "w") as f:
            f.write(dump)
        os.chmod(os.path.join(self.dir, "dump"), 0o755)
        self.out = os.path.join(self.dir, "out")
        os.mkdir(self.out)
        os.chmod(self.out, 0o1777)
        for d in ("home", "incl"):
            os.mkdir(os.path.join(self.dir, d), 0o755)
        self.queue = os.path.join(self.dir, "mqueue")
        os.mkdir(self.queue, 0o700)
        self.cf = os.path.join(self.dir, "sec.cf")
        with open(self.cf, "w") as out:
            subprocess.run(["m4", "-DWORKDIR=" + self.dir, "-DPORT=%d" % port, "-DSINKPORT=%d" % sinkport,
                            "-DADDR=" + ADDR, cf_m4, mc], cwd=self.dir, stdout=out,
                           stderr=subprocess.DEVNULL, check=True)
        self.log = os.path.join(self.dir, "maillog") if logfile else None
        self.opts = ["-OLogFile=" + self.log] if logfile else []
        self.sink = Sink(sinkport)
        self.proc = None
        self.stderr = os.path.join(self.dir, "daemon.err")
        self.newaliases()

    def newaliases(self):
        return subprocess.run([self.binary, "-C", self.cf, "-bi"] + self.opts, cwd=self.dir,
                              capture_output=True, timeout=60)

    def start(self, extra=()):
        self.proc = subprocess.Popen([self.binary, "-C", self.cf, "-bD"] + self.opts + list(extra),
                                     cwd=self.dir, stdin=subprocess.DEVNULL, stdout=open(self.stderr, "ab"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        end = time.monotonic() + 30
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection((ADDR, self.port), timeout=5) as s:
                    s.settimeout(5)
                    if s.recv(512).startswith(b"220"):
                        s.sendall(b"QUIT\r\n")
                        s.recv(512)
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def alive(self):
        """the daemon still runs and a new client still gets its 220 and a 250 for a message"""
        if self.proc is None or self.proc.poll() is not None:
            return False
        try:
            c = Client(self)
            r = [c.greeting[:3]]
            for cmd in (b"EHLO probe.example.net", b"MAIL FROM:<probe@example.net>",
                        b"RCPT TO:<root@%s>" % ME.encode(), b"DATA"):
                r.append(c.cmd(cmd)[:3])
            c.send(b"Subject: alive\r\n\r\nprobe\r\n.\r\n")
            r.append(c.reply()[:3])
            c.cmd(b"QUIT")
            c.close()
            return r == ["220", "250", "250", "250", "354", "250"]
        except OSError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()

    def queue_run(self):
        """sendmail -qf: deliver what is queued (local mail to dump, the rest to the sink)"""
        p = subprocess.run([self.binary, "-C", self.cf, "-qf"] + self.opts, cwd=self.dir,
                           capture_output=True, timeout=120)
        return p.returncode, (p.stdout + p.stderr).decode("latin-1")

    def submit(self, args, stdin, timeout=60):
        """the command line: sendmail -C cf ARGS < stdin (queued only)"""
        p = subprocess.run([self.binary, "-C", self.cf, "-odq"] + self.opts + list(args), cwd=self.dir,
                           input=stdin, capture_output=True, timeout=timeout)
        return p.returncode, (p.stdout + p.stderr).decode("latin-1")

    def qfs(self):
        return sorted(f for f in os.listdir(self.queue) if f.startswith("qf"))

    def clear_queue(self):
        for f in os.listdir(self.queue):
            os.unlink(os.path.join(self.queue, f))

    def deliveries(self):
        """what dump recorded: [{argv: [bytes], env: {}, fds: [..], stdin: bytes}], oldest first"""
        out = []
        for f in sorted(os.listdir(self.out)):
            if f.endswith(".argv"):
                b = os.path.join(self.out, f[:-5])
                rd = lambda ext: open(b + ext, "rb").read() if os.path.exists(b + ext) else b""
                out.append({"argv": rd(".argv").split(b"\0")[:-1],
                            "env": dict(kv.split(b"=", 1) for kv in rd(".env").split(b"\0") if b"=" in kv),
                            "fds": rd(".fds").split(), "stdin": rd(".in"), "name": f[:-5]})
        return out

    def clear_out(self):
        for f in os.listdir(self.out):
            os.unlink(os.path.join(self.out, f))

    def logtext(self):
        return open(self.log, "rb").read() if self.log and os.path.exists(self.log) else b""

    def sanitizer_reports(self):
        """AddressSanitizer/UBSan reports the daemon and its children wrote (make check's build)"""
        return [l for l in self.errtext().splitlines() if "Sanitizer" in l or "runtime error:" in l]

    def errtext(self):
        return open(self.stderr, "rb").read().decode("latin-1") if os.path.exists(self.stderr) else ""


class Client:
    """A raw SMTP client from 192.0.2.20 (not a relay client)."""

    def __init__(self, host, source=CLIENT, timeout=15):
        self.sock = socket.create_connection((ADDR, host.port), timeout=timeout, source_address=(source, 0))
        self.buf = b""
        self.closed = False
        self.greeting = self.reply()

    def reply(self, timeout=15):
        self.sock.settimeout(timeout)
        lines = []
        while True:
            while b"\n" not in self.buf:
                try:
                    d = self.sock.recv(65536)
                except socket.timeout:
                    return "".join(lines) + "<timeout>"
                except OSError:
                    d = b""
                if not d:
                    self.closed = True
                    return "".join(lines) + self.buf.decode("latin-1") + "<closed>"
                self.buf += d
            l, self.buf = self.buf.split(b"\n", 1)
            lines.append(l.decode("latin-1") + "\n")
            if len(l) < 4 or l[3:4] != b"-":
                return "".join(lines)

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError:
            self.closed = True

    def cmd(self, line):
        self.send(line + b"\r\n")
        return self.reply()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def code(reply):
    return reply[:3] if reply[:3].isdigit() else reply.strip()[-8:]


def hosts(tap, scratch, mc="sec.mc"):
    """(ours, reference) started; the reference is None (and a failing check says why) when it
    cannot be had."""
    ours = Host(scratch, "ours", OURS, os.path.join(TOP, "cf", "m4", "cf.m4"), 2525, 2600, mc)
    tap.ok(ours.start(), "our daemon starts on %s:2525" % ADDR, ours.errtext())
    root, why = mtatest.reference()
    ref = None
    if root is None:
        tap.ok(False, "the reference sendmail 8.17 is available", why)
    else:
        ref = Host(scratch, "ref", os.path.join(root, "usr/libexec/sendmail/sendmail"),
                   os.path.join(root, "usr/share/sendmail/cf/m4/cf.m4"), 2526, 2601, mc, logfile=False)
        tap.ok(ref.start(), "the reference daemon starts on %s:2526" % ADDR, ref.errtext())
    return ours, ref


# ---- absolute rules ----

LOGLINE = re.compile(rb"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ sendmail\[\d+\]: [^\r\0]*$")


def bad_log_lines(text):
    """log lines that are not one whole syslog line each (an injected CR, LF or NUL shows here)"""
    return [l for l in text.split(b"\n") if l and not LOGLINE.match(l)]


def qf_problems(path):
    """a qf whose records carry a CR or NUL, or a record letter out of 8.17's set (what an
    injected LF would make), or a line that is not a record or a header continuation"""
    data = open(path, "rb").read()
    probs = []
    if b"\0" in data:
        probs.append("NUL in the file")
    lines = data.split(b"\n")
    if lines[-1] != b"" or lines[-2] != b".":
        probs.append("does not end with the '.' line")
    inheader = False
    for l in lines[:-2]:
        if l[:1] in (b" ", b"\t") and inheader:
            continue
        inheader = l[:1] == b"H"
        if not l or l[:1] not in b"VTKNPIQFHSMRCAZ$BEerdGq!j":
            probs.append("strange record %r" % l[:80])
        elif l[:1] != b"H" and b"\r" in l:
            probs.append("CR in record %r" % l[:80])
    return probs


def envelope(path):
    """the envelope records (everything but H) of a qf, as [bytes]"""
    return [l for l in open(path, "rb").read().split(b"\n") if l and l[:1] not in b"H \t"]
