#!/usr/bin/env python3
"""sink550.py CMD... -- an SMTP server on 127.0.0.3:25 that refuses every recipient with a
550 5.1.1, listening before CMD starts and serving until CMD ends (tests/dsn-diff.t: the
reference's queue runner meets a remote refusal)."""
import socket, subprocess, sys, threading

REPLY = b"550 5.1.1 <nobody@remote.example>: Recipient address rejected: no such user\r\n"


def serve(c):
    f = c.makefile("rb")
    c.sendall(b"220 sink.remote.example ESMTP\r\n")
    for line in f:
        cmd = line.strip().upper()
        if cmd.startswith(b"EHLO"):
            c.sendall(b"250-sink.remote.example\r\n250 ENHANCEDSTATUSCODES\r\n")
        elif cmd.startswith((b"HELO", b"MAIL", b"RSET", b"NOOP")):
            c.sendall(b"250 2.0.0 ok\r\n")
        elif cmd.startswith(b"RCPT"):
            c.sendall(REPLY)
        elif cmd.startswith(b"QUIT"):
            c.sendall(b"221 2.0.0 bye\r\n")
            break
        else:
            c.sendall(b"503 5.5.1 no valid recipients\r\n")
    c.close()


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.3", 25))
s.listen(5)


def accept():
    while True:
        c, _ = s.accept()
        serve(c)


threading.Thread(target=accept, daemon=True).start()
sys.exit(subprocess.run(sys.argv[1:]).returncode)
