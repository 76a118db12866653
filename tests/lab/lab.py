"""lab -- a small mail network in namespaces, for tests/lab.t.

The whole lab lives in namespaces the test creates: enter() re-runs the test inside new PID,
network, mount and UTS namespaces (when the test ends, the kernel ends every process the lab
started; the network and mount namespaces go with them).  Inside, the first network namespace
is "the wire": a bridge, labbr0, with 10.77.0.254/24, so the test itself can reach every host.
Each Host is a holder process in network, mount and UTS namespaces of its own, joined to the
bridge by a veth pair (eth0 inside, 10.77.0.x/24), with its own host name and, in its mount
namespace, /etc overlaid by a folder of its own (passwd and group with the lab's users, hosts,
resolv.conf naming the lab's DNS server), /dev/log leading to a syslog socket the test reads,
a private /run, /var/mail and /home.  Commands run in a host through nsenter.

The programs come from Debian packages unpacked by tests/lab/fetch (never installed): nsd (the
DNS server), Postfix, Exim, procmail and mutt; libraries the machine lacks are overlaid onto
/usr/lib/x86_64-linux-gnu inside each host."""
import os, re, shutil, socket, struct, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
CONF = os.path.join(HERE, "conf")
NET = "10.77.0"
LIBDIR = "usr/lib/x86_64-linux-gnu"
USERS = [("postfix", False), ("postdrop", True), ("Debian-exim", False), ("alice", False)]


def fetch():
    """(cache folder, None) or (None, why the packages could not be had)."""
    p = subprocess.run([os.path.join(HERE, "fetch")], capture_output=True, text=True)
    if p.returncode != 0:
        return None, (p.stderr.strip() or "tests/lab/fetch failed with status %d" % p.returncode)
    return p.stdout.strip(), None


def enter(argv):
    """Run argv again inside fresh PID, network, mount and UTS namespaces (once): the lab's
    processes die with it, whatever way it ends."""
    if os.environ.get("MTA_LAB_INSIDE") == "1":
        return
    env = dict(os.environ, MTA_LAB_INSIDE="1")
    os.execvpe("unshare", ["unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--net",
                           "--mount", "--uts", "--propagation", "private", sys.executable] + argv, env)


def template(name, dest, **values):
    """conf/NAME with each @KEY@ replaced, written to dest."""
    text = open(os.path.join(CONF, name)).read()
    for k, v in values.items():
        text = text.replace("@%s@" % k, str(v))
    left = re.findall(r"@[A-Z]+@", text)
    if left:
        raise ValueError("%s: nothing given for %s" % (name, " ".join(sorted(set(left)))))
    with open(dest, "w") as f:
        f.write(text)
    return dest


def sh(cmd, **kw):
    """run cmd, raise with its output when it fails"""
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError("%s: status %d: %s" % (" ".join(cmd), p.returncode, (p.stdout + p.stderr).strip()))
    return p.stdout


class Syslog(threading.Thread):
    """A /dev/log of one host: datagrams appended, one per line, to a file."""

    def __init__(self, sock_path, out_path):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(sock_path)
        os.chmod(sock_path, 0o666)
        self.out = open(out_path, "ab", buffering=0)
        self.start()

    def run(self):
        while True:
            try:
                d = self.sock.recv(65536)
            except OSError:
                return
            self.out.write(d.rstrip(b"\n") + b"\n")


class Lab:
    def __init__(self, cache, scratch):
        self.cache = cache
        # The files live in a scratch folder below ~/.cache, which the lab's unprivileged users
        # (postfix, Debian-exim, alice) cannot reach through root's home: inside the lab's mount
        # namespace it is also seen as /mnt/lab, on a tmpfs no one else sees.
        self.kept = tempfile.mkdtemp(prefix="lab-", dir=scratch)
        os.chmod(self.kept, 0o755)
        self.dir = "/mnt/lab"
        sh(["mount", "-t", "tmpfs", "-o", "mode=755", "lab", "/mnt"])
        os.mkdir(self.dir)
        sh(["mount", "--bind", self.kept, self.dir])
        self.hosts = []
        self.procs = []         # (name, Popen) of every long-running process started
        self.libs = os.path.join(cache, "libs", LIBDIR)
        if not os.path.isdir(self.libs) or not os.listdir(self.libs):
            self.libs = ""
        self.ids = self._users()
        sh(["ip", "link", "set", "lo", "up"])
        sh(["ip", "link", "add", "labbr0", "type", "bridge"])
        sh(["ip", "addr", "add", NET + ".254/24", "dev", "labbr0"])
        sh(["ip", "link", "set", "labbr0", "up"])

    def pkg(self, name):
        return os.path.join(self.cache, "pkg", name)

    def _users(self):
        """passwd and group lines for the lab's users, with ids this machine does not use"""
        passwd, group = open("/etc/passwd").read(), open("/etc/group").read()
        used = {int(l.split(":")[2]) for l in (passwd + group).splitlines() if l.count(":") >= 3}
        free = (i for i in range(64200, 65000) if i not in used)
        ids = {}
        for name, group_only in USERS:
            i = next(free)
            ids[name] = i
            home = "/home/" + name if name == "alice" else "/nonexistent"
            if not group_only:
                passwd += "%s:x:%d:%d:%s:%s:/bin/sh\n" % (name, i, i, name, home)
            group += "%s:x:%d:\n" % (name, i)
        self.passwd, self.group = passwd, group
        return ids

    def host(self, name, last_octet, fqdn, binds=()):
        h = Host(self, name, "%s.%d" % (NET, last_octet), fqdn, binds)
        self.hosts.append(h)
        return h

    def track(self, name, proc):
        self.procs.append((name, proc))
        return proc

    def stop(self):
        """End what is still running: tracked processes, then the holders."""
        for name, p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        for h in self.hosts:
            h.close()

    def leftovers(self):
        """processes of this PID namespace other than the test itself (zombies reaped first)"""
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        out = []
        for d in os.listdir("/proc"):
            if d.isdigit() and int(d) != os.getpid():
                try:
                    out.append("%s %s" % (d, open("/proc/%s/cmdline" % d, "rb").read().replace(b"\0", b" ").decode()))
                except OSError:
                    pass
        return out

    def remove(self):
        shutil.rmtree(self.kept, ignore_errors=True)


HOLDER = r'''
set -e
d=$1 fqdn=$2 libs=$3
hostname "$fqdn"
mount -t overlay overlay -o "lowerdir=$d/etc:/etc" /etc
[ -z "$libs" ] || mount -t overlay overlay -o "lowerdir=$libs:/usr/lib/x86_64-linux-gnu" /usr/lib/x86_64-linux-gnu
mkdir -p "$d/.keep/pts" "$d/.keep/shm"
mount --rbind /dev/pts "$d/.keep/pts"
mount --rbind /dev/shm "$d/.keep/shm"
mount -t overlay overlay -o "lowerdir=$d/dev:/dev" /dev
mount --move "$d/.keep/pts" /dev/pts
mount --move "$d/.keep/shm" /dev/shm
mount -t tmpfs -o mode=755 tmpfs /run
shift 3
while [ $# -ge 2 ]; do mount --bind "$1" "$2"; shift 2; done
ip link set lo up
echo ready
exec sleep 2147483647
'''


class Host:
    """One machine of the lab: network, mount and UTS namespaces held by a sleeping process."""

    def __init__(self, lab, name, addr, fqdn, binds):
        self.lab, self.name, self.addr, self.fqdn = lab, name, addr, fqdn
        self.dir = os.path.join(lab.dir, name)
        self.etc = os.path.join(self.dir, "etc")
        os.makedirs(self.etc)
        os.makedirs(os.path.join(self.dir, "dev"))
        os.chmod(self.dir, 0o755)
        short = fqdn.split(".")[0]
        files = {"passwd": lab.passwd, "group": lab.group, "hostname": fqdn + "\n", "mailname": fqdn + "\n",
                 "hosts": "127.0.0.1 localhost\n%s %s %s\n" % (addr, fqdn, short),
                 "resolv.conf": "nameserver %s.53\noptions timeout:2 attempts:2\n" % NET}
        for f, text in files.items():
            with open(os.path.join(self.etc, f), "w") as out:
                out.write(text)
        self.syslog_path = os.path.join(self.dir, "syslog")
        self.syslog = Syslog(os.path.join(self.dir, "devlog"), self.syslog_path)
        os.symlink(os.path.join(self.dir, "devlog"), os.path.join(self.dir, "dev", "log"))
        args = []
        for src, dst in binds:
            args += [src, dst]
        self.holder = subprocess.Popen(["unshare", "--net", "--mount", "--uts", "--propagation", "private",
                                        "sh", "-c", HOLDER, "holder", self.dir, fqdn, lab.libs] + args,
                                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.holder.stdout.readline()
        if line != b"ready\n":
            self.holder.wait()
            raise RuntimeError("host %s: namespace setup failed: %s" % (name, self.holder.stderr.read().decode()))
        pid = str(self.holder.pid)
        veth = "v-" + name
        sh(["ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", pid])
        sh(["ip", "link", "set", veth, "master", "labbr0", "up"])
        self.run(["ip", "addr", "add", addr + "/24", "dev", "eth0"], check=True)
        self.link(True)

    def wrap(self, cmd, cwd=None):
        return ["nsenter", "-t", str(self.holder.pid), "-n", "-m", "-u"] + (["--wd=" + cwd] if cwd else []) + ["--"] + cmd

    def run(self, cmd, check=False, cwd=None, **kw):
        """run cmd in this host; CompletedProcess with text output"""
        if "stdout" not in kw:
            kw.setdefault("capture_output", True)
        kw.setdefault("timeout", 30)
        p = subprocess.run(self.wrap(cmd, cwd), text=True, **kw)
        if check and p.returncode != 0:
            raise RuntimeError("%s: %s: status %d: %s" % (self.name, " ".join(cmd), p.returncode,
                                                          (p.stdout or "") + (p.stderr or "")))
        return p

    def popen(self, label, cmd, cwd=None, **kw):
        """start a long-running cmd in this host (tracked for the lab's stop)"""
        kw.setdefault("stdin", subprocess.DEVNULL)
        return self.lab.track(label, subprocess.Popen(self.wrap(cmd, cwd), **kw))

    def link(self, up):
        """the host's cable in or out"""
        self.run(["ip", "link", "set", "eth0", "up" if up else "down"], check=True)

    def log(self):
        return open(self.syslog_path, "rb").read().decode("latin-1")

    def close(self):
        if self.holder.poll() is None:
            self.holder.kill()
            self.holder.wait()
        self.syslog.sock.close()


# ---------------------------------------------------------------- probes from the wire

def greeting(addr, port=25, timeout=5):
    """the first line a server at addr:port sends, or the error connecting"""
    try:
        with socket.create_connection((addr, port), timeout=timeout) as s:
            s.settimeout(timeout)
            data = b""
            while b"\n" not in data:
                chunk = s.recv(512)
                if not chunk:
                    break
                data += chunk
            s.sendall(b"QUIT\r\n")
            return data.decode("latin-1").split("\r\n")[0]
    except OSError as e:
        return "error: %s" % e


def wait_for(cond, timeout, step=0.2):
    """cond() until it is true or timeout seconds have passed; its last value"""
    end = time.monotonic() + timeout
    while True:
        v = cond()
        if v or time.monotonic() > end:
            return v
        time.sleep(step)


def _name(msg, off):
    labels = []
    while True:
        n = msg[off]
        if n >= 0xC0:
            labels.append(_name(msg, ((n & 0x3F) << 8) | msg[off + 1])[0])
            return ".".join(labels), off + 2
        off += 1
        if n == 0:
            return ".".join(labels), off
        labels.append(msg[off:off + n].decode("ascii"))
        off += n


def dns_query(server, qname, qtype, timeout=3):
    """One UDP query (RFC 1035): (authoritative answer?, rcode, [answers]) with MX answers as
    (preference, exchange) and A answers as dotted quads."""
    types = {"A": 1, "MX": 15, "PTR": 12}
    qid = os.getpid() & 0xFFFF
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(l)]) + l.encode() for l in qname.rstrip(".").split(".")) + b"\0"
    q += struct.pack(">HH", types[qtype], 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(q, (server, 53))
        msg = s.recv(4096)
    rid, flags, qd, an = struct.unpack(">HHHH", msg[:8])
    off = 12
    for _ in range(qd):
        off = _name(msg, off)[1] + 4
    answers = []
    for _ in range(an):
        _, off = _name(msg, off)
        rtype, _, _, rdlen = struct.unpack(">HHIH", msg[off:off + 10])
        off += 10
        rdata = msg[off:off + rdlen]
        if rtype == 15:
            answers.append((struct.unpack(">H", rdata[:2])[0], _name(msg, off + 2)[0]))
        elif rtype == 1:
            answers.append(socket.inet_ntoa(rdata))
        elif rtype == 12:
            answers.append(_name(msg, off)[0])
        off += rdlen
    return bool(flags & 0x0400), flags & 0xF, answers


# ---------------------------------------------------------------- the programs

ZONES = ["lab.test.zone", "sender.test.zone", "fallback.test.zone", "0.77.10.in-addr.arpa.zone"]


class Nsd:
    """nsd, authoritative for the lab's zones (conf/*.zone), in the foreground."""

    def __init__(self, lab, host):
        self.host = host
        self.dir = os.path.join(host.dir, "nsd")
        os.makedirs(self.dir)
        for z in ZONES:
            shutil.copy(os.path.join(CONF, z), self.dir)
        self.conf = template("nsd.conf", os.path.join(self.dir, "nsd.conf"), ADDR=host.addr, DIR=self.dir)
        self.out = os.path.join(self.dir, "nsd.out")
        self.proc = host.popen("nsd", [os.path.join(lab.pkg("nsd"), "usr/sbin/nsd"), "-d", "-c", self.conf],
                               stdout=open(self.out, "ab"), stderr=subprocess.STDOUT)

    def up(self, timeout=15):
        def answers():
            if self.proc.poll() is not None:
                return True
            try:
                return dns_query(self.host.addr, "lab.test", "MX", timeout=1)[2] != []
            except OSError:
                return False
        return wait_for(answers, timeout) and self.proc.poll() is None

    def log(self):
        text = ""
        for f in (self.out, os.path.join(self.dir, "nsd.log")):
            if os.path.exists(f):
                text += open(f, errors="replace").read()
        return text


class Postfix:
    """Postfix 3.7 unpacked from Debian, run as "postfix -c DIR/etc" (chroot off)."""

    def __init__(self, lab, host):
        self.host, self.P = host, lab.pkg("postfix")
        self.dir = os.path.join(host.dir, "postfix")
        self.etc = os.path.join(self.dir, "etc")
        for d in ("etc", "spool", "data"):
            os.makedirs(os.path.join(self.dir, d))
        os.chown(os.path.join(self.dir, "data"), lab.ids["postfix"], lab.ids["postfix"])
        template("postfix-main.cf", os.path.join(self.etc, "main.cf"), ADDR=host.addr, DIR=self.dir, P=self.P)
        shutil.copy(os.path.join(self.P, "usr/share/postfix/master.cf.dist"), os.path.join(self.etc, "master.cf"))
        self.env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(self.P, "usr/lib/postfix"))
        # Debian's master.cf chroots most daemons; that needs a populated chroot
        self.cmd("postconf", "-F", "*/*/chroot = n", check=True)

    def cmd(self, prog, *args, check=False, **kw):
        return self.host.run([os.path.join(self.P, "usr/sbin", prog), "-c", self.etc] + list(args),
                             check=check, env=self.env, **kw)

    def start(self):
        return self.cmd("postfix", "start")

    def stop(self):
        return self.cmd("postfix", "stop")

    def queue(self):
        """the queue as postqueue -j lists it: one dict per message"""
        import json
        p = self.cmd("postqueue", "-j")
        return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]

    def flush(self):
        return self.cmd("postqueue", "-f")

    def headers(self, queue_id):
        return self.cmd("postcat", "-h", "-q", queue_id).stdout

    def log(self):
        f = os.path.join(self.dir, "maillog")
        return open(f, errors="replace").read() if os.path.exists(f) else ""


class Exim:
    """Exim 4.96 (exim4-daemon-light) unpacked from Debian; its compiled-in configuration file
    /etc/exim4/exim4.conf comes from the host's /etc overlay."""

    def __init__(self, lab, host):
        self.host, self.X = host, lab.pkg("exim4-daemon-light")
        self.bin = os.path.join(self.X, "usr/sbin/exim4")
        self.dir = os.path.join(host.dir, "exim")
        uid = lab.ids["Debian-exim"]
        for d in ("spool", "log", "mail"):
            os.makedirs(os.path.join(self.dir, d))
            os.chown(os.path.join(self.dir, d), uid, uid)
        os.makedirs(os.path.join(host.etc, "exim4"))
        template("exim4.conf", os.path.join(host.etc, "exim4", "exim4.conf"), X=self.X, DIR=self.dir, ADDR=host.addr)

    def cmd(self, *args, **kw):
        return self.host.run([self.bin] + list(args), **kw)

    def start(self):
        """exim4 -bdf: the daemon in the foreground, so the lab holds it"""
        out = os.path.join(self.dir, "exim.out")
        self.proc = self.host.popen("exim", [self.bin, "-bdf"], stdout=open(out, "ab"), stderr=subprocess.STDOUT)
        ok = wait_for(lambda: self.proc.poll() is not None or greeting(self.host.addr, timeout=2).startswith("220"), 15)
        return ok and self.proc.poll() is None, open(out, errors="replace").read() + self.log("panic")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def mailbox(self, user):
        f = os.path.join(self.dir, "mail", user)
        return open(f, errors="replace").read() if os.path.exists(f) else ""

    def log(self, which="main"):
        f = os.path.join(self.dir, "log", which + "log")
        return open(f, errors="replace").read() if os.path.exists(f) else ""


class Ours:
    """Our sendmail in the lab: lab.cf built from conf/lab.mc by our cf package, run with -bD."""

    def __init__(self, lab, host, top, binary):
        self.host, self.binary = host, binary
        self.dir = os.path.join(host.dir, "mta")
        self.queue = os.path.join(self.dir, "mqueue")
        os.makedirs(self.queue, 0o700)
        os.chmod(self.dir, 0o755)
        files = {"aliases": "postmaster: root\nMAILER-DAEMON: postmaster\n",
                 "local-host-names": "lab.test\nmx1.lab.test\n",
                 "service.switch": "hosts files dns\naliases files\n",
                 "hosts": "127.0.0.1 localhost\n%s %s mx1\n" % (host.addr, host.fqdn)}
        for f, text in files.items():
            with open(os.path.join(self.dir, f), "w") as out:
                out.write(text)
        self.cf = os.path.join(self.dir, "lab.cf")
        procmail = os.path.join(lab.pkg("procmail"), "usr/bin/procmail")
        with open(self.cf, "w") as out:
            subprocess.run(["m4", "-DWORKDIR=" + self.dir, "-DADDR=" + host.addr, "-DPROCMAIL=" + procmail,
                            os.path.join(top, "cf", "m4", "cf.m4"), os.path.join(CONF, "lab.mc")],
                           cwd=self.dir, stdout=out, check=True)
        self.out = os.path.join(self.dir, "daemon.out")
        self.proc = None

    def cmd(self, *args, **kw):
        return self.host.run([self.binary, "-C", self.cf] + list(args), cwd=self.dir, **kw)

    def start(self):
        self.proc = self.host.popen("our daemon", [self.binary, "-C", self.cf, "-bD"], cwd=self.dir,
                                    stdout=open(self.out, "ab"), stderr=subprocess.STDOUT)
        ok = wait_for(lambda: self.proc.poll() is not None or greeting(self.host.addr, timeout=2).startswith("220"), 20)
        return ok and self.proc.poll() is None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def queued(self):
        return sorted(f for f in os.listdir(self.queue) if f.startswith("qf"))

    def output(self):
        return open(self.out, errors="replace").read() if os.path.exists(self.out) else ""


REFUSER = r"""
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 25))
s.listen(8)
while True:
    c, a = s.accept()
    with open(sys.argv[2], "a") as f:
        f.write("%s\n" % a[0])
    c.sendall(b"421 4.3.2 " + sys.argv[3].encode() + b" is no mail host\r\n")
    c.close()
"""


def refuser(host):
    """a listener on the host's port 25 that greets every client with 421 and notes its
    address in a file (returned), for an MX that is there but takes no mail"""
    seen = os.path.join(host.dir, "refused")
    open(seen, "w").close()
    host.popen("421 listener", [sys.executable, "-c", REFUSER, host.addr, seen, host.fqdn])
    wait_for(lambda: greeting(host.addr, timeout=2).startswith("421"), 10)
    open(seen, "w").close()     # the probe just made does not count
    return seen


def mutt_read(lab, host, mailbox, token, timeout=15):
    """mutt on a terminal (a pty) with conf/muttrc: (exit status, what it piped, the screen)."""
    import fcntl, pty, select, termios
    d = os.path.join(host.dir, "mutt")
    os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
    out = os.path.join(d, "piped")
    open(os.path.join(d, "empty"), "w").close()
    rc = template("muttrc", os.path.join(d, "muttrc"), DIR=d, TOKEN=token, OUT=out)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = dict(os.environ, TERM="xterm", HOME=d, LANG="C")
    p = subprocess.Popen(host.wrap([os.path.join(lab.pkg("mutt"), "usr/bin/mutt"), "-n", "-F", rc, "-R",
                                    "-f", mailbox]), stdin=slave, stdout=slave, stderr=slave, env=env,
                         start_new_session=True)
    os.close(slave)
    screen = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk and p.poll() is not None:
                break
            screen += chunk
        elif p.poll() is not None:
            break
    if p.poll() is None:
        p.kill()
    status = p.wait()
    os.close(master)
    piped = open(out, "rb").read() if os.path.exists(out) else None
    return status, piped, screen.decode("latin-1")
