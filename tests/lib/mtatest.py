"""mtatest -- what the project's Python tests share: the reference sendmail 8.17, a scratch
folder sendmail accepts, and TAP output.  Import with sys.path.insert(0, <tests/lib>)."""
import os, signal, socket, subprocess, sys, time

LIB = os.path.dirname(os.path.abspath(__file__))


def reference():
    """(root folder of the unpacked reference, None), or (None, why it is unavailable)."""
    fr = subprocess.run([os.path.join(LIB, "fetch-reference")], capture_output=True, text=True)
    if fr.returncode != 0:
        return None, fr.stderr.strip()
    return os.path.join(fr.stdout.strip(), "root"), None


def scratch():
    """A folder for test work.  sendmail refuses tables, alias files and queues below a
    world-writable folder such as /tmp, and the checkout may be anywhere: so below ~/.cache."""
    d = os.path.join(os.path.expanduser("~"), ".cache", "mta-tests")
    os.makedirs(d, mode=0o755, exist_ok=True)
    return d


def wait_for_port(port, host="127.0.0.1", tries=200):
    """until something accepts connections on host:port (tries x 0.05 s at most)"""
    for _ in range(tries):
        try:
            socket.create_connection((host, port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def stop_daemon(pidfile):
    """SIGTERM to the daemon of the pid file, SIGKILL if it is still there after 5 s"""
    try:
        pid = int(open(pidfile).readline())
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass


class Tap:
    """ok/not ok lines with a diagnostic on failure; done() prints the plan, gives the status."""

    def __init__(self, diag_lines=60):
        self.count = self.failed = 0
        self.diag_lines = diag_lines

    def ok(self, cond, name, diag="", todo=None):
        """todo: a known difference, named; reported as TAP TODO, not counted as a failure"""
        self.count += 1
        if not cond and not todo:
            self.failed += 1
        print("%sok %d - %s%s" % ("" if cond else "not ", self.count, name,
                                  " # TODO %s" % todo if todo else ""))
        if not cond and diag:
            for line in diag.splitlines()[: self.diag_lines]:
                print("#   " + line)
        sys.stdout.flush()

    def done(self):
        print("1..%d" % self.count)
        return 1 if self.failed else 0
