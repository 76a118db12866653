#!/usr/bin/env python3
"""dnsd.py -- a small authoritative DNS server for tests (UDP and TCP), run inside a network
namespace the test created.

usage: dnsd.py ZONEFILE [ADDR [PORT]]   (default 127.0.0.1 53); prints "ready" when listening.

Zone file, one record per line:  NAME TYPE VALUE   (TYPE: A AAAA PTR TXT MX CNAME)
  MX values are "PREF HOST"; TXT values are the rest of the line.
  "NAME SERVFAIL" makes every query for NAME fail with SERVFAIL (a temporary failure).
Names are matched without case and without a trailing dot.  A name with no record of the
asked type but other records gets an empty answer (NOERROR); an unknown name NXDOMAIN.
"""
import socket, struct, sys, threading

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28}


def load(path):
    recs, fail = {}, set()
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        name = parts[0].lower().rstrip(".")
        if parts[1].upper() == "SERVFAIL":
            fail.add(name)
            continue
        recs.setdefault(name, []).append((parts[1].upper(), parts[2]))
    return recs, fail


def encname(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rdata(typ, value):
    if typ == "A":
        return socket.inet_pton(socket.AF_INET, value)
    if typ == "AAAA":
        return socket.inet_pton(socket.AF_INET6, value)
    if typ in ("PTR", "CNAME", "NS"):
        return encname(value)
    if typ == "MX":
        pref, host = value.split()
        return struct.pack("!H", int(pref)) + encname(host)
    if typ == "TXT":
        b = value.strip('"').encode()
        return bytes([len(b)]) + b
    raise ValueError(typ)


def answer(query, recs, fail):
    qid, flags, qd = struct.unpack("!HHH", query[:6])
    pos, labels = 12, []
    while query[pos]:
        n = query[pos]
        labels.append(query[pos + 1:pos + 1 + n].decode("latin-1"))
        pos += 1 + n
    qtype, qclass = struct.unpack("!HH", query[pos + 1:pos + 5])
    question = query[12:pos + 5]
    name = ".".join(labels).lower()
    rcode, ans = 0, []
    if name in fail:
        rcode = 2
    elif name not in recs:
        rcode = 3
    else:
        for typ, value in recs[name]:
            if TYPES[typ] == qtype or (typ == "CNAME" and qtype != TYPES["CNAME"]):
                ans.append(encname(name) + struct.pack("!HHIH", TYPES[typ], 1, 300,
                                                        len(rdata(typ, value))) + rdata(typ, value))
    hdr = struct.pack("!HHHHHH", qid, 0x8400 | (flags & 0x0100) | 0x0080 | rcode, 1, len(ans), 0, 0)
    return hdr + question + b"".join(ans)


def main():
    recs, fail = load(sys.argv[1])
    addr = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 53
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((addr, port))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((addr, port))
    tcp.listen(16)

    def serve_tcp():
        while True:
            c, _ = tcp.accept()
            try:
                n = struct.unpack("!H", c.recv(2))[0]
                q = b""
                while len(q) < n:
                    q += c.recv(n - len(q))
                r = answer(q, recs, fail)
                c.sendall(struct.pack("!H", len(r)) + r)
            except Exception:
                pass
            c.close()

    threading.Thread(target=serve_tcp, daemon=True).start()
    print("ready", flush=True)
    while True:
        q, peer = udp.recvfrom(4096)
        try:
            udp.sendto(answer(q, recs, fail), peer)
        except Exception:
            pass


if __name__ == "__main__":
    main()
