"""mtadaemon -- what the black-box daemon tests (clients.t, durability.t) share: a work folder
with a configuration built from tests/corpus/clients/clients.mc (by our cf package or the
reference's), a daemon started in the foreground (-bD) in its own process group, the SMTP tools
of tests/lib/fetch-smtp-tools, and a reader for the queue it leaves.

The tests run themselves inside tests/lib/isolate (fresh network and UTS namespaces, loopback
only), so ports are private to the test: reexec_isolated() does that once."""
import os, shutil, signal, socket, subprocess, sys, tempfile, time

LIB = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(LIB)
TOP = os.environ.get("TOP", os.path.dirname(TESTS))
SANBIN = os.environ.get("SANBIN")
OURS = os.path.join(SANBIN or TOP, "sendmail", "sendmail")
QTOOL = os.path.join(SANBIN or os.path.join(TOP, ".obj"), "tests", "unit", "qtool")
CORPUS = os.path.join(TESTS, "corpus", "clients")
ISOLATE = os.path.join(LIB, "isolate")


def reexec_isolated():
    """Run this script again inside fresh namespaces (once)."""
    if os.environ.get("MTA_ISOLATED") == "1":
        return
    env = dict(os.environ, MTA_ISOLATED="1")
    os.execve(ISOLATE, [ISOLATE, sys.executable] + [os.path.abspath(sys.argv[0])] + sys.argv[1:], env)


def smtp_tools():
    """(folder with usr/sbin/smtp-source, None) or (None, why not)."""
    p = subprocess.run([os.path.join(LIB, "fetch-smtp-tools")], capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr.strip() or "fetch-smtp-tools failed"
    return p.stdout.strip(), None


class Work:
    """A folder under the scratch area: mqueue/, aliases, hosts, service.switch, and the
    configuration built from clients.mc by the m4 package at cf_m4 (ours by default)."""

    def __init__(self, scratch, name, port, sinkport=2600, cf_m4=None):
        self.dir = tempfile.mkdtemp(prefix=name + "-", dir=scratch)
        os.chmod(self.dir, 0o755)
        for f in ("aliases", "hosts", "service.switch"):
            shutil.copy(os.path.join(CORPUS, f), self.dir)
        open(os.path.join(self.dir, "local-host-names"), "w").close()
        self.queue = os.path.join(self.dir, "mqueue")
        os.mkdir(self.queue, 0o700)
        self.port, self.sinkport = port, sinkport
        self.cf = self.config(cf_m4 or os.path.join(TOP, "cf", "m4", "cf.m4"), "clients.cf")

    def config(self, cf_m4, name):
        path = os.path.join(self.dir, name)
        with open(path, "w") as out:
            subprocess.run(["m4", "-DWORKDIR=" + self.dir, "-DPORT=%d" % self.port, "-DSINKPORT=%d" % self.sinkport,
                            cf_m4, os.path.join(CORPUS, "clients.mc")], cwd=self.dir, stdout=out,
                           stderr=subprocess.DEVNULL, check=True)
        return path

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class Daemon:
    """`sendmail -C cf -bD` in its own process group; up() waits for its 220."""

    def __init__(self, work, binary=OURS, cf=None):
        self.work, self.binary, self.cf = work, binary, cf or work.cf
        self.proc = None
        self.log = os.path.join(work.dir, "daemon.log")

    def start(self, timeout=20):
        self.proc = subprocess.Popen([self.binary, "-C", self.cf, "-bD"], cwd=self.work.dir,
                                     stdin=subprocess.DEVNULL, stdout=open(self.log, "ab"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.work.port), timeout=5) as s:
                    s.settimeout(5)
                    if s.recv(512).startswith(b"220"):
                        s.sendall(b"QUIT\r\n")
                        s.recv(512)
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def group(self):
        """pids left in the daemon's process group (the daemon and its session children)"""
        pids = []
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    if os.getpgid(int(d)) == self.proc.pid:
                        pids.append(int(d))
                except OSError:
                    pass
        return pids

    def kill(self, sig=signal.SIGKILL):
        """signal the whole group; SIGKILL also waits until none of it is left"""
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        if sig == signal.SIGKILL:
            self.proc.wait()
            end = time.monotonic() + 10
            while self.group() and time.monotonic() < end:
                time.sleep(0.01)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.kill(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
            self.kill()

    def text(self):
        return open(self.log, "rb").read().decode("latin-1")


def qf_records(path):
    """the records of a qf (continuation lines joined with newlines); None if it does not end
    with the "." line a complete qf ends with"""
    recs = []
    for line in open(path, "rb").read().split(b"\n"):
        if line[:1] in (b" ", b"\t") and recs:
            recs[-1] += b"\n" + line
        elif line:
            recs.append(line)
    if not recs or recs[-1] != b".":
        return None
    return recs[:-1]


def headers_of(recs):
    """the header records of a qf as (name, "Name: value" bytes) with the ?flags? taken off"""
    out = []
    for r in recs:
        if r.startswith(b"H"):
            h = r[1:]
            if h.startswith(b"?"):
                h = h[h.index(b"?", 1) + 1:]
            out.append(h)
    return out


def message_headers(msg):
    """header fields of an RFC 5322 message as sent (LF line ends), unfolded lines kept"""
    head = msg.split(b"\n\n", 1)[0]
    fields = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b"\n" + line
        elif line:
            fields.append(line)
    return fields


def message_body(msg):
    return msg.split(b"\n\n", 1)[1] if b"\n\n" in msg else b""


def queue_files(queue):
    """{kind: set of ids} for the qf, df, tf, xf, Qf, hf files of a queue folder"""
    out = {}
    for f in os.listdir(queue):
        out.setdefault(f[:2], set()).add(f[2:])
    return out


def qf_parses(path):
    """our qf reader (qtool roundtrip) takes the file and writes it back unchanged"""
    p = subprocess.run([QTOOL, "roundtrip", path], capture_output=True)
    return p.returncode == 0 and p.stdout == open(path, "rb").read(), p.stderr.decode("latin-1")
