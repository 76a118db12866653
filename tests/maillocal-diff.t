#!/usr/bin/env python3
"""maillocal-diff.t -- our mail.local against sendmail 8.17's, on the same inputs.

Both programs write to /var/mail (a compiled-in path), so the whole test re-runs itself in
new mount, network and UTS namespaces: a private tmpfs on /var/mail (and /home, for -h), test
users in a private /etc/passwd and /etc/group bound over the real ones, loopback only, host
name mail.example.com.  A UDP socket on 127.0.0.1 port 512 catches the biff notices both send.

Each case runs the reference and then ours from the same starting state (the mail folder
emptied and set up again) with argv[0] "mail.local", and compares: exit status, stdout,
stderr, every file left in the mail folder (name, type, mode, owner, bytes; the date of
"From " lines normalised) and the biff datagrams.

One known defect of 8.17 is not copied: a last line without a newline makes it write the
line, a NUL and stale bytes of its line buffer up to a newline (uninitialised memory when no
longer line came before).  Cases marked "unterminated" feed a longer line first, so the
stale bytes end in a newline; their expected mailbox is 8.17's with the NUL and stale
bytes removed and the Content-Length lowered by as many bytes.
"""
import os, re, shutil, socket, stat, subprocess, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import mtatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP", os.path.dirname(HERE))
BIN = os.environ.get("SANBIN") or TOP
OURS = os.path.join(BIN, "mail.local", "mail.local")
MAILDIR = "/var/mail"
USERS = [("alice", 2001, "/home/alice"), ("bob", 2002, "/home/bob"), ("carol", 2003, "/nonexistent"),
         ("dave", 2004, "/home/dave"), ("erin", 2005, "")]


# ---------------------------------------------------------------------------------------------
# setting up the private world (inner process)

def build_etc(work):
    etc = os.path.join(work, "etc")
    os.makedirs(etc, exist_ok=True)
    with open(os.path.join(etc, "passwd"), "w") as f:
        f.write(open("/etc/passwd").read())
        for name, uid, home in USERS:
            f.write("%s:x:%d:%d:Test %s:%s:/bin/sh\n" % (name, uid, uid, name, home))
    with open(os.path.join(etc, "group"), "w") as f:
        f.write(open("/etc/group").read())
        for name, uid, home in USERS:
            f.write("%s:x:%d:\n" % (name, uid))
    return etc


def sh(*args):
    subprocess.run(args, check=True)


def enter_world(work):
    etc = build_etc(work)
    sh("mount", "--make-rprivate", "/")
    sh("mount", "-t", "tmpfs", "-o", "mode=1777,size=1m", "tmpfs", MAILDIR)
    sh("mount", "-t", "tmpfs", "-o", "mode=755", "tmpfs", "/home")
    for name in ("passwd", "group"):
        sh("mount", "--bind", os.path.join(etc, name), "/etc/" + name)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    socket.sethostname("mail.example.com")


def reset_world(mode=0o1777, gid=0):
    for d in (MAILDIR, "/home"):
        for n in os.listdir(d):
            p = os.path.join(d, n)
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p)
            else:
                os.unlink(p)
    os.chown(MAILDIR, 0, gid)
    os.chmod(MAILDIR, mode)
    for name, uid, home in USERS:
        if home.startswith("/home/"):
            os.mkdir(home, 0o755)
            os.chown(home, uid, uid)


DATE = re.compile(rb"^(From .* )[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$", re.M)


def snapshot(dirs=(MAILDIR, "/home")):
    out = []
    for top in dirs:
        for root, subdirs, files in os.walk(top):
            subdirs.sort()
            for n in sorted(subdirs + files):
                p = os.path.join(root, n)
                st = os.lstat(p)
                kind = ("l" if stat.S_ISLNK(st.st_mode) else "d" if stat.S_ISDIR(st.st_mode) else
                        "f" if stat.S_ISREG(st.st_mode) else "o")
                line = "%s %s %o %d:%d nlink=%d" % (p, kind, stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid,
                                                   st.st_nlink)
                if kind == "l":
                    line += " -> " + os.readlink(p)
                out.append(line.encode())
                if kind == "f":
                    with open(p, "rb") as f:
                        body = f.read()
                    out.append(DATE.sub(rb"\1DATE", body))
    return b"\n".join(out)


def drain(sock):
    got = []
    while True:
        try:
            got.append(sock.recv(65536))
        except BlockingIOError:
            return got


def run_one(prog, case, biff):
    reset_world(case.get("maildir_mode", 0o1777), case.get("maildir_gid", 0))
    if "setup" in case:
        case["setup"]()
    drain(biff)
    env = {"PATH": "/usr/bin:/bin", "TZ": "UTC"}
    def as_user(uid=case.get("as_uid")):
        if uid is not None:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
    p = subprocess.run(["mail.local"] + case["args"], executable=prog, input=case.get("stdin", b""),
                       capture_output=True, timeout=60, env=env, cwd="/", preexec_fn=as_user)
    res = {"exit": p.returncode, "stdout": DATE.sub(rb"\1DATE", p.stdout), "stderr": p.stderr,
           "files": snapshot(), "biff": b"|".join(drain(biff))}
    if case.get("fix"):
        res["files"] = case["fix"](res["files"])
    if prog != OURS and case.get("fix_ref"):
        res["files"] = case["fix_ref"](res["files"])
    return res


def describe(res):
    return "\n".join("%s: %r" % (k, res[k]) for k in ("exit", "stdout", "stderr", "biff")) + \
        "\nfiles:\n" + res["files"].decode("latin-1")


# ---------------------------------------------------------------------------------------------
# the 8.17 defect not copied (see the top of the file)

def unstale(files):
    """Remove NUL + stale bytes + newline after an unterminated last line, and lower that
    message's Content-Length by as many bytes."""
    def fix_msg(m):
        msg = m.group(0)
        s = re.search(rb"\x00[^\n]*\n", msg)
        if not s:
            return msg
        n = s.end() - s.start()
        msg = msg[:s.start()] + msg[s.end():]
        cl = re.search(rb"^Content-Length: ", msg, re.M)
        if cl is None or cl.start() > s.start():
            return msg  # the stale bytes were in the headers
        return re.sub(rb"^Content-Length: (\d+)$", lambda c: b"Content-Length: %d" % (int(c.group(1)) - n),
                      msg, count=1, flags=re.M)
    return re.sub(rb"From .* DATE\n(?:(?!From .* DATE\n)[\s\S])*", fix_msg, files)


def no_leftover_lk(files):
    """8.17 (liblockfile) leaves its temporary .lk file behind when it cannot remove a stale
    lock; ours removes it.  Drop that file from 8.17's listing (ours must have none)."""
    return re.sub(rb"/var/mail/\.lk\d+[0-9a-f]\S* f [^\n]*\n0\n\n?", b"", files)


# ---------------------------------------------------------------------------------------------
# the cases

def put(path, data=b"", uid=0, gid=0, mode=0o600, mtime=None):
    with open(path, "wb") as f:
        f.write(data)
    os.chown(path, uid, gid)
    os.chmod(path, mode)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def lmtp(*lines):
    return b"".join(l + b"\r\n" for l in lines)


def cases():
    M = MAILDIR
    plain = b"Subject: hello\nTo: alice\n\nline one\nline two\n"
    c = []
    add = lambda name, args, stdin=b"", **kw: c.append(dict(name=name, args=args, stdin=stdin, **kw))

    # command line
    add("no arguments", [])
    add("unknown option", ["-x", "alice"])
    add("-B (not in 8.17's Debian build)", ["-B", "alice"], plain)
    add("-H (not compiled in)", ["-H", "u2", "alice"], plain)
    add("-p (not compiled in)", ["-p", "/tmp", "alice"], plain)
    add("two -f", ["-f", "a", "-f", "b", "alice"], plain)
    add("-f and -r", ["-f", "a", "-r", "b", "alice"], plain)
    add("-f without argument", ["-f"], plain)
    add("-D pw", ["-D", "pw", "alice"], plain)
    add("-D unknown type", ["-D", "nosuch", "alice"], plain)
    add("-V", ["-V", "alice"], plain)
    add("-7 -b -d ignored outside LMTP", ["-7", "-b", "-d", "alice"], plain)
    add("-l with users", ["-l", "alice"], b"")
    add("-- then users", ["--", "alice"], plain)

    # the message as stored
    add("plain message", ["-f", "sender@example.org", "alice"], plain)
    add("no -f: sender from the uid", ["alice"], plain)
    add("-r sender", ["-r", "<>", "alice"], plain)
    add("-f with spaces", ["-f", "a b", "alice"], plain)
    add("empty message", ["-f", "x", "alice"], b"")
    add("only a blank line", ["-f", "x", "alice"], b"\n")
    add("headers only", ["-f", "x", "alice"], b"Subject: a\nX: b\n")
    add("From lines: first escaped, body not", ["-f", "x", "alice"],
        b"From evil Mon Jan  1 00:00:00 2024\nSubject: x\n\nFrom me\n>From you\n\nFrom him\nFrom\n")
    add("first line From, no colon", ["-f", "x", "alice"], b"From x\n\nbody\n")
    add("first line blank then From", ["-f", "x", "alice"], b"\nFrom x\nbody\n")
    add("existing Content-Length headers dropped", ["-f", "x", "alice"],
        b"Content-Length: 5\nSubject: a\ncontent-length:99\nCONTENT-LENGTH: 1\n\nContent-Length: 7\nbody\n")
    add("Content-Length as the last line", ["-f", "x", "alice"], b"Subject: a\nContent-Length: 5\n")
    add("CRLF message", ["-f", "x", "alice"], b"Subject: a\r\nX: y\r\n\r\nbody\r\nbare\rcr\r\n\r\nend\r\n")
    add("CR CR LF", ["-f", "x", "alice"], b"S: a\r\r\n\r\nb\r\r\n")
    add("8-bit bytes", ["-f", "x", "alice"], b"Subject: \xe9t\xe9\n\n\xff\xfe\x80 caf\xc3\xa9\n")
    add("NUL inside a line", ["-f", "x", "alice"], b"S: a\n\nx\x00y\nlast\n")
    add("NUL in the last line", ["-f", "x", "alice"], b"S: a\n\nx\x00y\n")
    add("unterminated last line", ["-f", "x", "alice"],
        b"Subject: a long header line\n\nbody\n", fix=unstale)
    add("unterminated, headers only", ["-f", "x", "alice"], b"Subject: a long line here\nX: b", fix=unstale)
    add("unterminated after body", ["-f", "x", "alice"],
        b"S: a\n\nthis is a longer line\nend", fix=unstale)
    long1 = b"X: " + b"a" * 5000 + b"\n"
    add("a 5000-byte header line", ["-f", "x", "alice"], long1 + b"\nbody\n")
    add("a long Content-Length header (2047-byte pieces)", ["-f", "x", "alice"],
        b"Content-Length: " + b"1234567890" * 500 + b"\n\nb\n")
    for n in (2044, 2045, 2046, 2047):
        add("line of %d then CRLF (CR at a piece end)" % n, ["-f", "x", "alice"],
            b"X: " + b"b" * (n - 3) + b"\r\n\r\nFrom body\r\n")
    add("piece starting with From", ["-f", "x", "alice"], b"From " + b"a" * 2042 + b"From x\n\nb\n")
    add("blank line after a full piece", ["-f", "x", "alice"], b"X: " + b"c" * 2044 + b"\n\nbody\n")
    add("large message", ["-f", "x", "alice"], b"S: big\n\n" + b"0123456789abcdef\n" * 20000)

    # recipients
    add("several users", ["-f", "x", "alice", "bob", "dave"], plain)
    add("same user twice", ["-f", "x", "alice", "alice"], plain)
    add("unknown user", ["-f", "x", "nosuch"], plain)
    add("unknown and known users", ["-f", "x", "nosuch", "alice", "bob"], plain)
    add("numeric name", ["-f", "x", "2001"], plain)
    add("empty name", ["-f", "x", ""], plain)
    add("name with a slash", ["-f", "x", "../alice"], plain)
    add("root", ["-f", "x", "root"], plain)
    add("append to an existing mailbox", ["-f", "x", "alice"], plain,
        setup=lambda: put(M + "/alice", b"From old Mon Jan  1 00:00:00 2024\nS: old\n\nold\n\n", 2001, 2001))
    add("existing mailbox, mode 644 kept", ["-f", "x", "alice"], plain,
        setup=lambda: put(M + "/alice", b"", 2001, 100, 0o644))
    add("mailbox a symlink to a file", ["-f", "x", "alice"], plain,
        setup=lambda: (put(M + "/target", b"", 2001, 2001), os.symlink(M + "/target", M + "/alice")))
    add("mailbox a dangling symlink", ["-f", "x", "alice"], plain,
        setup=lambda: os.symlink(M + "/nothere", M + "/alice"))
    add("mailbox owned by another user", ["-f", "x", "alice", "bob"], plain,
        setup=lambda: put(M + "/alice", b"", 2002, 2002))
    add("mailbox owned by root", ["-f", "x", "alice"], plain, setup=lambda: put(M + "/alice", b""))
    add("mailbox with two links", ["-f", "x", "alice"], plain,
        setup=lambda: (put(M + "/alice", b"", 2001, 2001), os.link(M + "/alice", M + "/other")))
    add("mailbox a folder", ["-f", "x", "alice"], plain, setup=lambda: os.mkdir(M + "/alice"))
    add("mailbox a fifo", ["-f", "x", "alice"], plain, setup=lambda: os.mkfifo(M + "/alice"))
    add("stale lock file of root's: cannot be removed", ["-f", "x", "alice"], plain, fix_ref=no_leftover_lk,
        setup=lambda: put(M + "/alice.lock", b"0\n", 0, 0, 0o644, time.time() - 3600))
    add("stale lock file of the user's: removed", ["-f", "x", "alice"], plain,
        setup=lambda: put(M + "/alice.lock", b"0\n", 2001, 2001, 0o644, time.time() - 3600))
    add("stale lock with a dead pid: removed", ["-f", "x", "alice"], plain,
        setup=lambda: put(M + "/alice.lock", b"999999\n", 2001, 2001, 0o644, time.time() - 3600))
    add("mail folder group root 2775 (root's group may write)", ["-f", "x", "alice"], plain, maildir_mode=0o2775)
    add("mail folder root:mail 2775: no dot-lock as the user", ["-f", "x", "alice", "bob"], plain,
        maildir_mode=0o2775, maildir_gid=8)
    add("mail folder root:mail 2775, existing mailbox", ["-f", "x", "alice"], plain,
        maildir_mode=0o2775, maildir_gid=8, setup=lambda: put(M + "/alice", b"old\n", 2001, 8, 0o660))
    add("append refused (mode 400), then another user", ["-f", "x", "alice", "bob"], plain,
        setup=lambda: put(M + "/alice", b"", 2001, 2001, 0o400))
    add("append refused for the last user", ["-f", "x", "bob", "alice"], plain,
        setup=lambda: put(M + "/alice", b"", 2001, 2001, 0o400))
    add("wrong owner, then another user", ["-f", "x", "alice", "bob"], plain,
        setup=lambda: put(M + "/alice", b"", 0, 0))
    add("run as a user, own mailbox", ["-f", "x", "bob"], plain, as_uid=2002)
    add("run as a user, another's mailbox", ["-f", "x", "alice"], plain, as_uid=2002)
    add("run as a user, no sender given", ["alice"], plain, as_uid=2002)
    add("upper-case user name", ["-f", "x", "ALICE"], plain)
    add("user+detail on the command line", ["-f", "x", "alice+box"], plain)
    add("user@domain on the command line", ["-f", "x", "alice@example.com"], plain)
    add("-D ldap (no LDAP server)", ["-D", "ldap", "-f", "x", "alice", "bob"], plain)
    add("-h: user without a home folder", ["-f", "x", "-h", "mbox", "erin", "alice"], plain)
    add("-h: a mailbox path too long", ["-f", "x", "-h", "m" * 5000, "alice"], plain)
    add("-h: a folder as the file", ["-f", "x", "-h", ".", "alice"], plain)
    add("-h: file in a missing folder", ["-f", "x", "-h", "no/mbox", "alice"], plain)
    add("first line is exactly From and a space", ["-f", "x", "alice"], b"From \n\nb\n")
    add("first line From without space", ["-f", "x", "alice"], b"From\n\nb\n")
    add("first line Content-Length, then From", ["-f", "x", "alice"], b"Content-Length: 1\nFrom x\n\nb\n")
    add("lower-case from on the first line", ["-f", "x", "alice"], b"from x\n\nb\n")
    add("mail folder full (ENOSPC): mailbox back to its old size", ["-f", "x", "alice", "bob"],
        b"S: big\n\n" + b"z" * 600000 + b"\n",
        setup=lambda: (put(M + "/alice", b"From old Mon Jan  1 00:00:00 2024\n\nold\n\n", 2001, 2001),
                       put(M + "/filler", b"f" * 700000)))
    add("-h: mailbox in the home folder", ["-f", "x", "-h", "mbox", "alice"], plain)
    add("-h: home folder missing", ["-f", "x", "-h", "mbox", "carol"], plain)
    add("-h: existing file", ["-f", "x", "-h", "Mail", "alice"], plain,
        setup=lambda: put("/home/alice/Mail", b"x\n", 2001, 2001))

    # LMTP
    hello = [b"LHLO client.example.org", b"MAIL FROM:<sender@example.org>"]
    body = [b"DATA", b"Subject: lmtp", b"", b"From here", b"..dot", b".", ]
    add("LMTP: one recipient", ["-l"], lmtp(*hello, b"RCPT TO:<alice@mail.example.com>", *body, b"QUIT"))
    add("LMTP: three recipients, one unknown", ["-l"],
        lmtp(*hello, b"RCPT TO:<alice>", b"RCPT TO:<nosuch@x>", b"RCPT TO:<bob@x>", b"RCPT TO:<dave>", *body,
             b"QUIT"))
    add("LMTP: +detail", ["-l"], lmtp(*hello, b"RCPT TO:<alice+box@x>", *body, b"QUIT"))
    add("LMTP: -7 hides 8BITMIME", ["-l", "-7"], lmtp(b"LHLO x", b"QUIT"))
    add("LMTP: commands", ["-l"],
        lmtp(b"NOOP", b"VRFY alice", b"RSET", b"HELO x", b"EHLO x", b"LHLO", b"LHLO a", b"LHLO b", b"lhlo c",
             b"noop", b"quit"))
    add("LMTP: order errors", ["-l"],
        lmtp(b"RCPT TO:<alice>", b"DATA", b"MAIL FROM:<a>", b"MAIL FROM:<b>", b"DATA", b"RSET",
             b"RCPT TO:<alice>", b"QUIT"))
    add("LMTP: address syntax", ["-l"],
        lmtp(b"MAIL FROM:a@b", b"MAIL FROM:<a@b", b"MAIL FROM: <a@b>", b"MAIL FROM:<@r1,@r2:a@b> SIZE=10",
             b"RCPT TO:alice", b"RCPT TO:<\"al ice\"@x>", b"RCPT TO:<al\\ice>", b"RCPT TO:<@route:alice@x>",
             b"RCPT TO:<alice@x>junk", b"RCPT TO:<alice> NOTIFY=NEVER", b"RCPT TO:<>", b"RCPT TO:<\"alice\">",
             b"QUIT"))
    add("LMTP: empty sender", ["-l"], lmtp(b"MAIL FROM:<>", b"RCPT TO:<alice>", *body, b"QUIT"))
    add("LMTP: quoted sender", ["-l"], lmtp(b"MAIL FROM:<\"a b\"@c>", b"RCPT TO:<alice>", *body, b"QUIT"))
    add("LMTP: two transactions", ["-l"],
        lmtp(*hello, b"RCPT TO:<alice>", *body, b"MAIL FROM:<second@x>", b"RCPT TO:<alice>", b"RCPT TO:<bob>",
             b"DATA", b"two", b".", b"QUIT"))
    add("LMTP: mailbox refused for one recipient", ["-l"],
        lmtp(*hello, b"RCPT TO:<alice>", b"RCPT TO:<bob>", *body, b"QUIT"),
        setup=lambda: os.symlink("/etc/passwd", M + "/alice"))
    add("LMTP: bare LF lines and a dot line", ["-l"],
        b"LHLO x\nMAIL FROM:<a>\nRCPT TO:<alice>\nDATA\nS: x\n\nbody\n..x\n.\nQUIT\n")
    add("LMTP: source-routed sender", ["-l"],
        lmtp(b"MAIL FROM:<@r1,@r2:a@b>", b"RCPT TO:<@r:alice@x>", b"DATA", b"x", b".", b"QUIT"))
    add("LMTP: sender with a backslash and quotes", ["-l"],
        lmtp(b"MAIL FROM:<a\\b\"c>d\"@e> BODY=8BITMIME", b"RCPT TO:<alice>", b"DATA", b"x", b".", b"QUIT"))
    add("LMTP: lower-case commands", ["-l"],
        lmtp(b"lhlo x", b"mail from:<a>", b"rcpt to:<alice>", b"data", b"x", b".", b"quit"))
    add("LMTP: first body line dot-stuffed From", ["-l"],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<alice>", b"DATA", b".From x", b"", b"b", b".", b"QUIT"))
    add("LMTP: dot-lock refused (root:mail 2775 folder)", ["-l"],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<alice>", b"RCPT TO:<bob>", b"DATA", b"x", b".", b"QUIT"),
        maildir_mode=0o2775, maildir_gid=8)
    add("LMTP: -D ldap", ["-l", "-D", "ldap"], lmtp(b"MAIL FROM:<a>", b"RCPT TO:<alice>", b"QUIT"))
    add("LMTP: -h and a user without a home folder", ["-l", "-h", "mbox"],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<erin>", b"RCPT TO:<alice>", b"DATA", b"x", b".", b"QUIT"))
    add("LMTP: -h path too long", ["-l", "-h", "m" * 5000],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<alice>", b"DATA", b"x", b".", b"QUIT"))
    add("LMTP: append refused, then another user", ["-l"],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<alice>", b"RCPT TO:<bob>", b"DATA", b"x", b".", b"QUIT"),
        setup=lambda: put(M + "/alice", b"", 2001, 2001, 0o400))
    add("LMTP: run as a user", ["-l"],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<bob>", b"DATA", b"x", b".", b"QUIT"), as_uid=2002)
    add("LMTP: missing mailbox folder path", ["-l", "-h", "no/mbox"],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<alice>", b"DATA", b"x", b".", b"QUIT"))
    add("LMTP: Content-Length in DATA", ["-l"],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<alice>", b"DATA", b"Content-Length: 3", b"", b"abc", b"."))
    add("LMTP: end of input inside DATA", ["-l"],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<alice>", b"DATA", b"Subject: cut"))
    add("LMTP: end of input without QUIT", ["-l"], lmtp(b"LHLO x", b"MAIL FROM:<a>"))
    add("LMTP: long command line", ["-l"], lmtp(b"NOOP " + b"x" * 3000, b"QUIT"))
    add("LMTP: user mailbox owned by root", ["-l"],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<alice>", *body, b"QUIT"), setup=lambda: put(M + "/alice", b""))
    add("LMTP: folder full", ["-l"],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<alice>", b"RCPT TO:<bob>", b"DATA", b"S: x", b"", b"y" * 600000, b".",
             b"QUIT"), setup=lambda: put(M + "/filler", b"f" * 700000))
    add("LMTP: -b and a full folder", ["-l", "-b"],
        lmtp(b"MAIL FROM:<a>", b"RCPT TO:<alice>", b"DATA", b"S: x", b"", b"y" * 600000, b".", b"QUIT"),
        setup=lambda: put(M + "/filler", b"f" * 700000))
    return c


# ---------------------------------------------------------------------------------------------

def inner(ref, show):
    work = os.path.join(mtatest.scratch(), "maillocal-diff")
    os.makedirs(work, exist_ok=True)
    enter_world(work)
    biff = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    biff.bind(("127.0.0.1", 512))
    biff.setblocking(False)
    tap = mtatest.Tap()
    for case in cases():
        if show is not None and show not in case["name"]:
            continue
        want = run_one(ref, case, biff)
        if show is not None:
            print("== " + case["name"])
            print(describe(want))
            continue
        got = run_one(OURS, case, biff)
        same = want == got
        diag = "" if same else "8.17:\n" + describe(want) + "\nours:\n" + describe(got)
        tap.ok(same, case["name"], diag)
    reset_world()
    return tap.done() if show is None else 0


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--inner":
        show = sys.argv[3] if len(sys.argv) > 3 else None
        return inner(sys.argv[2], show)
    tap = mtatest.Tap()
    root, why = mtatest.reference()
    if root is None:
        tap.ok(False, "reference unavailable", why)
        return tap.done()
    if os.geteuid() != 0:
        tap.ok(False, "needs root (mount namespace, users)")
        return tap.done()
    ref = os.path.join(root, "usr/libexec/sendmail/mail.local")
    # --show TEXT: print 8.17's results for the cases whose name contains TEXT
    extra = sys.argv[2:3] if len(sys.argv) > 2 and sys.argv[1] == "--show" else []
    p = subprocess.run(["unshare", "-m", "-n", "-u", "--", sys.executable, os.path.abspath(__file__), "--inner",
                        ref] + extra)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main())
