#!/usr/bin/env python3
"""lab.t -- the backup MX exercise in a lab of namespaces (tests/lab/lab.py); `make lab` runs it alone.

Four hosts on one private wire (10.77.0.0/24), each in network, mount and UTS namespaces of its
own, all from Debian packages unpacked by tests/lab/fetch except ours:
  ns.lab.test       10.77.0.53  nsd, authoritative for lab.test (MX 10 mx1, MX 20 mx2),
                                sender.test, fallback.test and the reverse zone
  mx1.lab.test      10.77.0.10  our sendmail, built from tests/lab/conf/lab.mc by our cf package,
                                local delivery by procmail (FEATURE(local_procmail)); user alice
  mx2.lab.test      10.77.0.20  Postfix 3.7, the backup MX (relay_domains = lab.test)
  exim.sender.test  10.77.0.30  Exim 4.96, the sending host (and MX for sender.test and, at
                                MX 20, fallback.test)
The exercise: with mx1 down (its cable out), Exim sends to alice@lab.test: mx1 does not answer,
so the mail lands on mx2, where Postfix keeps it.  mx1 comes back (cable in, our daemon
started); Postfix's queue is flushed (postqueue -f) and it hands the mail to us; our daemon
delivers it with procmail, whose recipe (alice's .procmailrc) files it in a mailbox of its own
choosing; mutt opens that mailbox, finds the message by sender and subject, and shows it.
Then alice replies (sendmail -t on mx1) to bob@sender.test, Cc carol@fallback.test: our SMTP
client finds Exim by MX for both, for fallback.test only after its MX 10 (ns.lab.test, where a
listener answers 421) turned it away.
Each step checks its own facts: queues, logs, the mailbox and the headers the hops added.
The expected values are facts of the exercise (the addresses, the MX order, the route the
mail took, the message as Exim was given it), not our program's output.

The test runs in its own PID namespace: every process it starts ends with it.  If the packages
cannot be fetched, it fails (it does not skip).
"""
import os, re, subprocess, sys, time

TESTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(TESTS, "lib"))
sys.path.insert(0, os.path.join(TESTS, "lab"))
import mtatest  # noqa: E402
import lab as L  # noqa: E402

TOP = os.environ.get("TOP", os.path.dirname(TESTS))
SANBIN = os.environ.get("SANBIN")
OURS = os.path.join(SANBIN or TOP, "sendmail", "sendmail")
SENDER, RCPT = "bob@sender.test", "alice@lab.test"
tap = mtatest.Tap()

if os.environ.get("MTA_LAB_INSIDE") != "1":
    cache, why = L.fetch()
    if cache is None:
        tap.ok(False, "packages: nsd, postfix, exim4-daemon-light, procmail and mutt fetched and unpacked", why)
        sys.exit(tap.done())
    os.environ["MTA_LAB_CACHE"] = cache
    L.enter([os.path.abspath(sys.argv[0])] + sys.argv[1:])
cache = os.environ["MTA_LAB_CACHE"]

TOKEN = "lab-%d-%04x" % (int(time.time()), int.from_bytes(os.urandom(2), "big"))
MESSAGE = ("From: Bob <bob@sender.test>\nTo: Alice <alice@lab.test>\n"
           "Subject: backup MX exercise %s\nMessage-ID: <%s@sender.test>\n"
           "Date: Sat, 21 Nov 2026 10:00:00 +0000\n\n"
           "Hello Alice,\n\nthis came the long way round.\n.a line with a leading dot\n"
           "From the start of a line\n\n-- \nBob\n" % (TOKEN, TOKEN))
BODY = MESSAGE.split("\n\n", 1)[1]


def field(headers, name):
    """the values of header field name (unfolded) in a header block"""
    out = []
    for m in re.finditer(r"^%s:[ \t]*(.*(?:\n[ \t].*)*)" % re.escape(name), headers, re.M | re.I):
        out.append(re.sub(r"\n[ \t]+", " ", m.group(1)).strip())
    return out


lab = L.Lab(cache, mtatest.scratch())
try:
    ns = lab.host("ns", 53, "ns.lab.test")
    home, varmail = os.path.join(lab.dir, "mx1-home", "alice"), os.path.join(lab.dir, "mx1-varmail")
    os.makedirs(os.path.join(home, "Mail"))
    os.makedirs(varmail)
    mx1 = lab.host("mx1", 10, "mx1.lab.test", binds=[(os.path.dirname(home), "/home"), (varmail, "/var/mail")])
    mx2 = lab.host("mx2", 20, "mx2.lab.test")
    exim_host = lab.host("exim", 30, "exim.sender.test")
except Exception as e:  # noqa: BLE001 -- any failure to build the lab is the test's failure
    tap.ok(False, "lab: four hosts in namespaces of their own on 10.77.0.0/24", str(e))
    lab.stop()
    sys.exit(tap.done())
tap.ok(True, "lab: four hosts in namespaces of their own on 10.77.0.0/24")

# alice's home on mx1: her procmail recipe, the Mail folder it files into
alice = lab.ids["alice"]
L.template("procmailrc", os.path.join(home, ".procmailrc"))
os.chmod(os.path.join(home, ".procmailrc"), 0o644)
for p in (home, os.path.join(home, "Mail"), os.path.join(home, ".procmailrc")):
    os.chown(p, alice, alice)
os.chown(varmail, 0, 8)          # root:mail 2775, as Debian's /var/mail
os.chmod(varmail, 0o2775)

try:
    # ------------------------------------------------------------ dns: nsd and the MX records
    nsd = L.Nsd(lab, ns)
    tap.ok(nsd.up(), "dns: nsd serves the lab's zones on 10.77.0.53", nsd.log())
    try:
        aa, rcode, mx = L.dns_query(ns.addr, "lab.test", "MX")
    except OSError as e:
        aa, rcode, mx = False, -1, str(e)
    tap.ok(aa and rcode == 0 and sorted(mx) == [(10, "mx1.lab.test"), (20, "mx2.lab.test")],
           "dns: lab.test MX 10 mx1.lab.test, MX 20 mx2.lab.test, authoritative",
           "aa=%s rcode=%s answers=%r" % (aa, rcode, mx))
    addrs = {}
    for name in ("mx1.lab.test", "mx2.lab.test", "exim.sender.test"):
        try:
            addrs[name] = L.dns_query(ns.addr, name, "A")[2]
        except OSError as e:
            addrs[name] = str(e)
    tap.ok(addrs == {"mx1.lab.test": ["10.77.0.10"], "mx2.lab.test": ["10.77.0.20"],
                     "exim.sender.test": ["10.77.0.30"]}, "dns: the hosts' A records", repr(addrs))

    # ------------------------------------------------------------ the peers start; mx1 is down
    postfix = L.Postfix(lab, mx2)
    p = postfix.start()
    tap.ok(p.returncode == 0 and L.wait_for(lambda: L.greeting(mx2.addr).startswith("220 mx2.lab.test"), 15),
           "backup: Postfix greets on 10.77.0.20:25 as mx2.lab.test",
           p.stdout + p.stderr + postfix.log() + "\ngreeting: " + L.greeting(mx2.addr))
    exim = L.Exim(lab, exim_host)
    ok, why = exim.start()
    tap.ok(ok and L.greeting(exim_host.addr).startswith("220 exim.sender.test"),
           "sender: Exim greets on 10.77.0.30:25 as exim.sender.test", why + "\ngreeting: " + L.greeting(exim_host.addr))
    p = exim.cmd("-bt", RCPT)
    hosts = re.findall(r"host (\S+)\s+\[([\d.]+)\]\s+MX=(\d+)", p.stdout)
    tap.ok(hosts == [("mx1.lab.test", "10.77.0.10", "10"), ("mx2.lab.test", "10.77.0.20", "20")],
           "sender: Exim routes alice@lab.test by DNS to mx1 (MX 10), then mx2 (MX 20)", p.stdout + p.stderr)

    mx1.link(False)
    g = L.greeting(mx1.addr, timeout=4)
    tap.ok(g.startswith("error"), "ours down: nothing answers at 10.77.0.10:25", g)

    # ------------------------------------------------------------ Exim sends; the mail lands on mx2
    p = exim.cmd("-odi", "-f", SENDER, RCPT, input=MESSAGE)
    tap.ok(p.returncode == 0, "send: Exim takes the message for alice@lab.test (exim4 -odi, status 0)",
           p.stdout + p.stderr + exim.log())
    mainlog = exim.log()
    tap.ok(re.search(r"mx1\.lab\.test \[10\.77\.0\.10\].*(No route to host|Connection refused|timed out)", mainlog),
           "send: Exim's log: mx1.lab.test [10.77.0.10] did not answer", mainlog)
    tap.ok(re.search(r"=> alice@lab\.test R=dnslookup T=remote_smtp H=mx2\.lab\.test \[10\.77\.0\.20\]", mainlog)
           and "Completed" in mainlog, "send: Exim's log: delivered to mx2.lab.test [10.77.0.20], completed", mainlog)
    p = exim.cmd("-bpc")
    tap.ok(p.stdout.strip() == "0", "send: Exim's queue is empty", p.stdout + p.stderr)

    queue = L.wait_for(lambda: [m for m in postfix.queue() if m.get("queue_name") == "deferred"], 20)
    msg = queue[0] if len(queue) == 1 else {}
    rcpts = msg.get("recipients", [])
    tap.ok(len(queue) == 1 and msg.get("sender") == SENDER and [r.get("address") for r in rcpts] == [RCPT],
           "backup: Postfix holds one message from bob@sender.test for alice@lab.test in its deferred queue",
           repr(postfix.queue()) + "\n" + postfix.log())
    reason = rcpts[0].get("delay_reason", "") if rcpts else ""
    tap.ok("mx1.lab.test[10.77.0.10]" in reason, "backup: its delay reason names mx1.lab.test[10.77.0.10]", reason)
    held = postfix.headers(msg["queue_id"]) if msg else ""
    tap.ok(field(held, "Message-ID") == ["<%s@sender.test>" % TOKEN]
           and field(held, "Subject") == ["backup MX exercise " + TOKEN]
           and any(r.startswith("from exim.sender.test") and "by mx2.lab.test" in r for r in field(held, "Received")),
           "backup: the queued message is Exim's (Message-ID, Subject) with mx2's Received from exim.sender.test", held)

    # ------------------------------------------------------------ mx1 comes back
    mx1.link(True)
    ours = L.Ours(lab, mx1, TOP, OURS)
    p = ours.cmd("-bi")
    tap.ok(p.returncode == 0, "ours up: newaliases on lab.cf (built from lab.mc by our cf package)", p.stdout + p.stderr)
    started = ours.start()
    tap.ok(started and L.greeting(mx1.addr).startswith("220 mx1.lab.test"),
           "ours up: our daemon greets on 10.77.0.10:25 as mx1.lab.test", ours.output() + "\ngreeting: " + L.greeting(mx1.addr))

    # ------------------------------------------------------------ the backup hands the mail to us
    p = postfix.flush()
    tap.ok(p.returncode == 0, "flush: postqueue -f", p.stdout + p.stderr)
    empty = L.wait_for(lambda: postfix.queue() == [], 30)
    tap.ok(empty, "flush: Postfix's queue empties", repr(postfix.queue()) + "\n" + postfix.log())
    tap.ok(re.search(r"to=<alice@lab\.test>, relay=mx1\.lab\.test\[10\.77\.0\.10\]:25, .*status=sent", postfix.log()),
           "flush: Postfix's log: status=sent, relay=mx1.lab.test[10.77.0.10]:25", postfix.log())
    tap.ok(L.wait_for(lambda: re.search(r": from=<bob@sender\.test>, size=\d+, .*relay=mx2\.lab\.test \[10\.77\.0\.20\]",
                                        mx1.log()), 10),
           "ours: our log: from=<bob@sender.test> ... relay=mx2.lab.test [10.77.0.20]", mx1.log() + ours.output())

    # ------------------------------------------------------------ we deliver it with procmail
    mailbox = os.path.join(home, "Mail", "via-backup")
    arrived = L.wait_for(lambda: os.path.exists(mailbox) and TOKEN.encode() in open(mailbox, "rb").read(), 20)
    # the line is written once procmail has exited, after the mailbox
    delivered = L.wait_for(lambda: re.search(r": to=<?alice@lab\.test>?, .*mailer=local, .*stat=Sent", mx1.log()), 10)
    tap.ok(delivered, "ours: our log: to=<alice@lab.test> ... mailer=local ... stat=Sent",
           mx1.log() + ours.output() + "\nqueue: %r\n%s" % (ours.queued(), ours.cmd("-bp").stdout))
    tap.ok(L.wait_for(lambda: ours.queued() == [], 5), "ours: our queue is empty",
           "queue: %r\n%s" % (ours.queued(), ours.cmd("-bp").stdout))
    plog = os.path.join(home, "procmail.log")
    spool = os.path.join(varmail, "alice")     # procmail -d creates it empty, to own it
    tap.ok(arrived and (not os.path.exists(spool) or os.path.getsize(spool) == 0),
           "procmail: the message is in ~alice/Mail/via-backup, the mailbox its recipe chose (nothing in /var/mail)",
           "Mail/: %r, /var/mail: %r\n%s" % (os.listdir(os.path.join(home, "Mail")), os.listdir(varmail),
                                             open(plog, errors="replace").read() if os.path.exists(plog) else "no procmail.log"))
    box = open(mailbox, errors="replace").read() if os.path.exists(mailbox) else ""
    st = os.stat(mailbox) if os.path.exists(mailbox) else None
    tap.ok(st is not None and st.st_uid == alice, "procmail: the mailbox belongs to alice (delivered as her)",
           "uid %s, alice %d" % (st and st.st_uid, alice))
    froms = re.findall(r"^From (\S+) ", box, re.M)
    tap.ok(froms == [SENDER], "procmail: one message in the mailbox, its From_ line names bob@sender.test", box[:3000])
    head, _, body = box.partition("\n\n")
    received = field(head, "Received")
    tap.ok(field(head, "Return-Path") == ["<%s>" % SENDER], "procmail: Return-Path: <bob@sender.test>", head)
    tap.ok(len(received) >= 2 and received[0].startswith("from mx2.lab.test") and "by mx1.lab.test" in received[0]
           and received[1].startswith("from exim.sender.test") and "by mx2.lab.test" in received[1],
           "procmail: Received: mx1 from mx2, then mx2 from exim.sender.test (the route it took)", head)
    tap.ok(field(head, "Message-ID") == ["<%s@sender.test>" % TOKEN] and field(head, "Subject") == ["backup MX exercise " + TOKEN]
           and field(head, "From") == ["Bob <bob@sender.test>"] and field(head, "To") == ["Alice <alice@lab.test>"],
           "procmail: From, To, Subject and Message-ID as Exim was given them", head)
    tap.ok(body.rstrip("\n") == BODY.replace("\nFrom the", "\n>From the").rstrip("\n"),
           "procmail: the body intact (the line starting with 'From ' escaped as mbox wants)",
           "got:\n%s\nsent:\n%s" % (body, BODY))

    # ------------------------------------------------------------ mutt reads it
    status, piped, screen = L.mutt_read(lab, mx1, "/home/alice/Mail/via-backup", TOKEN)
    piped = (piped or b"").decode("latin-1")
    tap.ok(status == 0 and "Subject: backup MX exercise " + TOKEN in piped and "Received:" not in piped
           and "this came the long way round." in piped,
           "mutt: opens the mailbox, finds the message by sender and subject, shows it decoded (headers weeded)",
           "status %s\npiped:\n%s\nscreen:\n%s" % (status, piped, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", " ", screen)[-2000:]))

    # ------------------------------------------------------------ alice replies: our SMTP client and MX lookup
    # bob@sender.test: MX 10 exim.sender.test; carol@fallback.test: MX 10 ns.lab.test, which
    # greets with 421 (a listener there), then MX 20 exim.sender.test.
    refused = L.refuser(ns)
    reply = ("From: Alice <alice@lab.test>\nTo: Bob <bob@sender.test>\nCc: carol@fallback.test\n"
             "Subject: Re: backup MX exercise %s\nIn-Reply-To: <%s@sender.test>\nMessage-ID: <re-%s@lab.test>\n\n"
             "Got it, thanks.\n" % (TOKEN, TOKEN, TOKEN))
    p = ours.cmd("-t", "-f", "alice@lab.test", input=reply)
    tap.ok(p.returncode == 0, "reply: our sendmail -t on mx1 takes alice's reply to bob@sender.test, Cc carol@fallback.test",
           p.stdout + p.stderr)
    got = L.wait_for(lambda: ("re-%s@lab.test" % TOKEN) in exim.mailbox("bob") and ("re-%s@lab.test" % TOKEN) in exim.mailbox("carol"), 30)
    mainlog = exim.log()
    tap.ok(got and re.search(r"<= alice@lab\.test H=mx1\.lab\.test \[10\.77\.0\.10\] .*id=re-%s@lab\.test" % re.escape(TOKEN), mainlog),
           "reply: Exim received it from mx1.lab.test [10.77.0.10]; bob's and carol's mailboxes hold it",
           mainlog + "\nour log:\n" + mx1.log()[-3000:] + "\nqueue: %r" % ours.queued())
    bob_box = exim.mailbox("bob")
    tap.ok(field(bob_box, "In-Reply-To") == ["<%s@sender.test>" % TOKEN] and "Got it, thanks." in bob_box
           and any(r.startswith("from mx1.lab.test") and "by exim.sender.test" in r for r in field(bob_box, "Received")),
           "reply: bob's copy: In-Reply-To the exercise, Received by exim.sender.test from mx1.lab.test, body", bob_box)
    oursent = L.wait_for(lambda: len(re.findall(r"to=(?:[^,]*<)?(?:bob@sender|carol@fallback)\.test>?, .*mailer=esmtp, .*"
                                                r"relay=exim\.sender\.test\. \[10\.77\.0\.30\], dsn=2\.0\.0, stat=Sent", mx1.log())) == 2, 10)
    tap.ok(oursent, "reply: our log: to=<bob@sender.test> and to=<carol@fallback.test>, mailer=esmtp, "
           "relay=exim.sender.test. [10.77.0.30], stat=Sent", mx1.log()[-3000:])
    tries = open(refused).read().split()
    tap.ok(tries == ["10.77.0.10"], "fallback: for carol@fallback.test we tried MX 10 ns.lab.test first (it said 421), once",
           "connections seen at ns.lab.test:25 from: %r" % tries)
    tap.ok(L.wait_for(lambda: ours.queued() == [], 10), "reply: our queue is empty",
           "queue: %r\n%s" % (ours.queued(), ours.cmd("-bp").stdout))
except Exception:  # noqa: BLE001 -- a step that blows up is a failure of the exercise, with its trace
    import traceback
    tap.ok(False, "lab: the exercise runs to its end", traceback.format_exc())
finally:
    for stop in ("ours", "exim", "postfix"):
        obj = globals().get(stop)
        if obj is not None:
            try:
                obj.stop()
            except Exception:  # noqa: BLE001 -- stopping is best effort; leftovers() checks
                pass
    time.sleep(0.2)
    lab.stop()
left = L.wait_for(lambda: lab.leftovers() == [], 10) or lab.leftovers()
tap.ok(left is True, "cleanup: every process the lab started has ended (namespaces with them)",
       "\n".join(left) if left is not True else "")
status = tap.done()
if status == 0:
    lab.remove()
else:
    print("# lab files kept in %s" % lab.kept)
sys.exit(status)
