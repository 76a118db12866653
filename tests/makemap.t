#!/usr/bin/env python3
"""makemap.t -- our makemap against sendmail 8.17's, run side by side (TAP).

Every case runs the same steps with the reference makemap (tests/lib/fetch-reference) in one
scratch folder and with ours in another, and expects the same of both: exit status, standard
output and standard error (the program's path and the folder's shown as names), and for each
map file the case names: whether it exists, its permissions and owner, and the reference
`makemap -u` listing of it, in file order (for hash maps too: the same records should land in
the same buckets as the reference put them).  For maps the
reference built, our `makemap -u` must also print exactly what the reference's does, order
included.  No expected text is written down here: the reference is the oracle.

Our program: $SANBIN/makemap/makemap when SANBIN is set, else $TOP/makemap/makemap (TOP
defaults to the checkout holding this file).
"""
import os, shutil, subprocess, sys, tempfile

TOP = os.environ.get("TOP") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OURS = os.path.join(os.environ["SANBIN"] if os.environ.get("SANBIN") else TOP,
                    "makemap", "makemap")
ROOT = os.geteuid() == 0

count = failed = 0


def tap(cond, name, diag=""):
    global count, failed
    count += 1
    if not cond:
        failed += 1
    print("%sok %d - %s" % ("" if cond else "not ", count, name))
    if not cond and diag:
        for line in diag.splitlines()[:80]:
            print("#   " + line)
    sys.stdout.flush()


def reference():
    try:
        p = subprocess.run([os.path.join(TOP, "tests", "lib", "fetch-reference")],
                           capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    if p.returncode != 0:
        return None, (p.stderr or p.stdout).strip()
    prog = os.path.join(p.stdout.strip(), "root/usr/libexec/sendmail/makemap")
    return (prog, "") if os.access(prog, os.X_OK) else (None, "no " + prog)


REF, why = reference()
if REF is None:
    print("1..0 # SKIP reference makemap unavailable: %s" % why)
    sys.exit(0)
if not os.access(OURS, os.X_OK):
    print("1..1\nnot ok 1 - no program at %s" % OURS)
    sys.exit(1)

# ---- inputs (raw bytes: odd bytes and line ends are the point) ----
CF = b"""# a configuration for makemap: it reads options and map declarations only
O TrustedUser=%s
Kaccess hash -T<TMPF> -o access
Kvirt btree virtusers
Kmailer hash   -N   mailertable.db
Kseq sequence access virt
Kgone cdb gone
Kdbm dbm dbmmap
Karith arith
"""
PLAIN = (b"# comment\n\n"
         b"Connect:10.1.2.3\tREJECT\n"
         b"From:Spammer@Bad.Example   ERROR:5.7.1:\"550 Go away\"\n"
         b"To:user@example.com\t\tOK\n"
         b"key.with.tabs\tone\ttwo three  \n"
         b"#not a comment? it is\n"
         b"percent\t%1@relay.example\n"
         b"x y")
BAD = (b"good\tvalue\n"
       b"  leading space\n"
       b"\tleading tab\n"
       b"\r\n"
       b"bare\n"
       b"spaces   \n"
       b"UPPER\tvalue\n"
       b"upper\tagain\n"
       b"last\tone\n")
DUPS = b"one\tfirst\ntwo\tonly\nONE\tsecond\none\tfirst\nThree\t3\nthree\tthree\n"
MIXED = b"Alice\tfirst\nalice\tsecond\nALICE\tthird\nBob.Example.COM\tbob\n"
EIGHT = (b"m\xfcller\tlatin-1\nM\xdcLLER\tupper latin-1\nstra\xc3\x9fe\tutf-8\n"
         b"\xc3\x89COLE\tupper utf-8\n\xff\xfe\traw\n")
CRLF = b"dos.example\tRELAY\r\nDos.Upper\tvalue with CR\r\n\r\nlast\tline\r\n"
COLON = b"a b:value one\nk2:v:with:colons\nnodelim\nempty:\n spaced key : x \n::double\n"
NULS = b"a\x00b c\nd e\nf g\x00h\nlast\x00 x"
PERCENT = b"% comment\n#hash\tkey with hash\n# space\tafter\nplain\tvalue % here\n%x\ty\n"


def long_lines():
    out = b""
    for n in (1020, 1021, 1022, 1023, 1024, 1025, 2045, 2046, 2047, 2048, 3100):
        out += b"k%d\t" % n + b"v" * (n - len(b"k%d\t" % n)) + b"\n"
    return out + b"after\tlong\n" + b"K" * 1030 + b"\n" + b"tail\t" + b"t" * 1018


LONG = long_lines()
MANY = b"".join(b"key%d.example.com\tvalue %d %s\n" % (i, i, b"x" * (i * 37 % 300))
                for i in range(4000))
LONG_EOF = [b"a\t" + b"b" * (n - 2) for n in (1021, 1022, 1023, 1024, 2046, 2047)]

# ---- cases: (name, setup, steps, maps) ----
# setup(dir) prepares the folder; a step is (args, stdin), (args, stdin, umask) or (args, stdin,
# umask, "merged") for standard output and error as one stream; every step
# gets -C test.cf first unless its args start with "-C" or "!" (the "!" is dropped: no -C).
# maps lists (file name without .db, type, dump flags) to compare afterwards.


def cf_with(user=b"root"):
    def setup(d):
        with open(os.path.join(d, "test.cf"), "wb") as f:
            f.write(CF % user)
    return setup


def chain(*fns):
    def setup(d):
        for fn in fns:
            fn(d)
    return setup


def prebuilt(name, type_, data, flags=()):
    """A map built by the reference before the steps run (the same in both folders)."""
    def setup(d):
        subprocess.run([REF, "-C", os.path.join(d, "test.cf")] + list(flags) + [type_, name],
                       cwd=d, input=data, capture_output=True)
    return setup


def shell(cmd):
    def setup(d):
        subprocess.run(["sh", "-c", cmd], cwd=d, check=True)
    return setup


STD = cf_with()
CASES = []


def case(name, steps, maps=(), setup=STD):
    CASES.append((name, setup, steps, maps))


for t in ("hash", "btree", "implicit"):
    case("plain %s" % t, [([t, "m"], PLAIN)], [("m", t, [])])
    case("bad lines %s" % t, [([t, "m"], BAD)], [("m", t, [])])
case("bad lines -e", [(["-e", "hash", "m"], BAD)], [("m", "hash", [])])
for t in ("hash", "btree"):
    case("many records %s" % t, [([t, "m"], MANY)], [("m", t, [])])
    case("many records %s, -c 1" % t, [(["-c", "1", t, "m"], MANY)], [("m", t, [])])
case("empty input", [(["hash", "m"], b"")], [("m", "hash", [])])
case("comments only", [(["btree", "m"], b"# one\n#two\n\n")], [("m", "btree", [])])
case("duplicates", [(["hash", "m"], DUPS)], [("m", "hash", [])])
case("duplicates -r", [(["-r", "hash", "m"], DUPS)], [("m", "hash", [])])
case("duplicates -d btree", [(["-d", "btree", "m"], DUPS)], [("m", "btree", [])])
case("duplicates -d -r btree", [(["-d", "-r", "btree", "m"], DUPS)], [("m", "btree", [])])
case("duplicates -d hash", [(["-d", "hash", "m"], DUPS)], [("m", "hash", [])])
case("case folding", [(["hash", "m"], MIXED)], [("m", "hash", [])])
case("-f keeps case", [(["-f", "btree", "m"], MIXED)], [("m", "btree", ["-f"])])
case("-N", [(["-N", "btree", "m"], PLAIN)], [("m", "btree", ["-N"])])
case("-N -e", [(["-N", "-e", "hash", "m"], BAD)], [("m", "hash", ["-N"])])
case("8-bit", [(["hash", "m"], EIGHT)], [("m", "hash", [])])
case("8-bit -f", [(["-f", "btree", "m"], EIGHT)], [("m", "btree", ["-f"])])
case("CRLF", [(["hash", "m"], CRLF)], [("m", "hash", [])])
case("NUL bytes", [(["-v", "btree", "m"], NULS)], [("m", "btree", [])])
case("long lines", [(["btree", "m"], LONG)], [("m", "btree", [])])
for i, data in enumerate(LONG_EOF):
    case("long last line %d" % len(data), [(["btree", "m"], data)], [("m", "btree", [])])
case("-t:", [(["-t:", "hash", "m"], COLON)], [("m", "hash", ["-t:"])])
case("-t : -e", [(["-t", ":", "-e", "btree", "m"], COLON)], [("m", "btree", ["-t:"])])
case("-t space", [(["-t", " ", "btree", "m"], b"a  b\n c d\ne\tf g\n")],
     [("m", "btree", ["-t", " "])])
case("-t empty", [(["-t", "", "hash", "m"], PLAIN)], [("m", "hash", [])])
case("-t: -t empty", [(["-t:", "-t", "", "hash", "m"], COLON)], [("m", "hash", ["-t:"])])
case("-tab", [(["-tab", "btree", "m"], b"xaybz\nqaaar\n")], [("m", "btree", ["-ta"])])
case("-D%", [(["-D%", "hash", "m"], PERCENT)], [("m", "hash", [])])
case("-D empty", [(["-D", "", "btree", "m"], PERCENT)], [("m", "btree", [])])
case("-D xy", [(["-D", "xy", "btree", "m"], b"a b\nxx\nyy z\n")], [("m", "btree", [])])
case("-v", [(["-v", "-N", "-r", "btree", "m"], DUPS)], [("m", "btree", ["-N"])])
case("-v with errors, one stream", [(["-v", "hash", "m"], BAD + PLAIN, None, "merged")],
     [("m", "hash", [])])
case("-s -c", [(["-s", "-c", "4096", "hash", "m"], PLAIN)], [("m", "hash", [])])
case("-c junk", [(["-c", "junk", "hash", "m"], PLAIN)], [("m", "hash", [])])
case("options after operands", [(["hash", "m", "-v", "-f"], MIXED)], [("m", "hash", ["-f"])])
case("options grouped", [(["-vfN", "btree", "m"], MIXED)], [("m", "btree", ["-N", "-f"])])
case("-- ends options", [(["--", "hash", "m"], PLAIN)], [("m", "hash", [])])
case("name ending .db", [(["hash", "m.db"], PLAIN), (["-u", "hash", "m"], b"")],
     [("m", "hash", [])])
case("name .DB", [(["hash", "m.DB"], PLAIN)], [("m.DB", "hash", [])])
case("empty name", [(["hash", ""], PLAIN), (["-u", "hash", ""], b"")])
# appending and replacing an existing map
case("-o", [(["hash", "m"], DUPS), (["-o", "hash", "m"], PLAIN + b"\none\tagain\n")],
     [("m", "hash", [])])
case("-o -r", [(["btree", "m"], DUPS), (["-o", "-r", "btree", "m"], b"one\tnew\nnew\tone\n")],
     [("m", "btree", [])])
case("-o -d on a map without duplicates", [(["btree", "m"], DUPS),
                                           (["-o", "-d", "btree", "m"], b"one\tdup\n")],
     [("m", "btree", [])])
case("-o -d", [(["-d", "btree", "m"], DUPS), (["-o", "-d", "btree", "m"], b"one\tdup\n")],
     [("m", "btree", [])])
case("-o missing map", [(["-o", "hash", "m"], PLAIN)], [("m", "hash", [])])
case("-o wrong type", [(["btree", "m"], PLAIN), (["-o", "hash", "m"], b"a b\n")],
     [("m", "btree", [])])
case("-o implicit", [(["btree", "m"], PLAIN), (["-o", "implicit", "m"], b"a b\n")],
     [("m", "btree", [])])
case("-o implicit missing", [(["-o", "implicit", "m"], b"a b\n")])
case("rebuild replaces", [(["btree", "m"], DUPS), (["hash", "m"], PLAIN)], [("m", "hash", [])])
case("rebuild keeps mode", [(["hash", "m"], DUPS)], [("m", "hash", [])],
     setup=chain(STD, prebuilt("m", "hash", PLAIN), shell("chmod 604 m.db")))
case("umask 077", [(["hash", "m"], PLAIN, 0o077)], [("m", "hash", [])])
case("umask 000", [(["btree", "m"], PLAIN, 0)], [("m", "btree", [])])
# listing
case("-u missing", [(["-u", "hash", "m"], b"")])
case("-u wrong type", [(["-u", "btree", "m"], b"")], setup=chain(STD, prebuilt("m", "hash", PLAIN)))
case("-u implicit of btree", [(["-u", "implicit", "m"], b"")],
     setup=chain(STD, prebuilt("m", "btree", PLAIN)))
case("-u implicit missing", [(["-u", "implicit", "m"], b"")])
case("-u garbage", [(["-u", "hash", "m"], b""), (["-u", "implicit", "m"], b"")],
     setup=chain(STD, shell("echo garbage > m.db; : > e.db")))
case("-u empty file", [(["-u", "btree", "e"], b"")], setup=chain(STD, shell(": > e.db")))
case("-u -N -t,", [(["-u", "-N", "-t,", "btree", "m"], b""), (["-u", "-N", "btree", "p"], b"")],
     setup=chain(STD, prebuilt("m", "btree", BAD, ["-N", "-e"]), prebuilt("p", "btree", PLAIN)))
case("-u -t empty", [(["-u", "-t", "", "btree", "m"], b"")],
     setup=chain(STD, prebuilt("m", "btree", PLAIN)))
# types and usage
for args in (["-l"], ["-L"], ["-x"], ["-l", "-Z"], ["-Z", "-l"], ["-c", "-l"], [], ["hash"],
             ["hash", "a", "b"], ["-u"], ["-u", "hash"], ["-Z", "hash", "m"], ["-c"], ["-t"],
             ["-D"], ["-C"], ["-i"], ["nosuchtype", "m"], ["HASH", "m"], ["cdb", "m"],
             ["dbm", "m"], ["ndbm", "m"], ["hash ", "m"], ["-i", "cdb", "hash", "m"],
             ["-i", "hash", "cdb", "m"], ["!-l"], ["!-x"]):
    case("makemap %s" % " ".join(args), [(args, b"")])
# the configuration file
case("no configuration file", [(["!hash", "m"], PLAIN)])
case("missing -C", [(["-C", "nonexistent.cf", "hash", "m"], PLAIN)])
case("-C directory", [(["-C", ".", "hash", "m"], PLAIN)], [("m", "hash", [])])
case("-C /dev/null", [(["-C", "/dev/null", "hash", "m"], PLAIN)], [("m", "hash", [])])
for mapname in ("access", "virtusers", "mailertable", "mailertable.db", "virt", "gone",
                "dbmmap", "arith", "nomap"):
    case("cf type %s" % mapname, [(["cf", mapname], PLAIN), (["-u", "CF", mapname], b"")],
         [(mapname.replace(".db", ""), "implicit", [])])
for mapname in ("virtusers.x", "virtusers.db", "mailertable", "mailertable.", "mailer",
                "access.db.db", "acc"):
    case("CF type %s" % mapname, [(["CF", mapname], PLAIN), (["-u", "cf", mapname], b"")],
         [(mapname, "implicit", [])])
case("cf fallback", [(["-i", "btree", "cf", "nomap"], PLAIN),
                     (["-v", "-i", "btree", "cf", "nomap2"], PLAIN),
                     (["-i", "", "cf", "nomap3"], PLAIN),
                     (["-i", "cdb", "cf", "nomap4"], PLAIN),
                     (["-i", "bogus", "cf", "nomap5"], PLAIN)],
     [("nomap", "btree", []), ("nomap2", "btree", [])])
if ROOT:
    for user in (b"daemon", b"1234", b"nosuchuser", b"", b" daemon", b"daemon  "):
        case("TrustedUser=%s" % user.decode(), [(["hash", "m"], PLAIN)], [("m", "hash", [])],
             setup=cf_with(user))
    case("TrustedUser spelling", [(["hash", "m"], PLAIN)], [("m", "hash", [])],
         setup=shell("printf 'O trusteduser = daemon\\nO  TrustedUser=bin\\n"
                     "OTrustedUser=bin\\nO TrustedUserX=bin\\n' > test.cf"))
# safety checks
links = shell("mkdir -p ok; printf 'a b\\n' > src; ln -s m.db sym.db; ln -s nowhere.db dang.db;"
              "ln m.db hard.db; cp m.db exec.db; chmod 755 exec.db; mkdir dir.db")
for args in (["hash", "sym"], ["-s", "hash", "sym"], ["-u", "hash", "sym"],
             ["-u", "-s", "hash", "sym"], ["-o", "-s", "hash", "sym"], ["hash", "hard"],
             ["-s", "hash", "hard"], ["-u", "hash", "hard"], ["hash", "dang"],
             ["-s", "hash", "dang"], ["-u", "-s", "hash", "dang"], ["hash", "exec"],
             ["-s", "hash", "exec"], ["-u", "hash", "exec"], ["hash", "dir"], ["-u", "hash", "dir"],
             ["implicit", "sym"], ["-u", "implicit", "sym"], ["hash", "nodir/m"]):
    case("safety: makemap %s" % " ".join(args), [(args, b"new value\n")],
         [("m", "hash", []), ("hard", "hash", [])],
         setup=chain(STD, prebuilt("m", "hash", PLAIN), links))
implicit = shell("mkdir -p ww dd; chmod 777 ww; chown -R daemon dd 2>/dev/null || chmod 555 dd;"
                 "for d in . ww; do printf 'a b\\n' > $d/in; cp m.db $d/p.db; chmod 000 $d/p.db;"
                 " cp m.db $d/h.db; ln $d/h.db $d/h2.db; echo garbage > $d/g.db; chmod 755 $d/g.db;"
                 " echo garbage > $d/t.db; ln -s h.db $d/s.db; mkdir $d/dir.db; done")
for d in (".", "ww"):
    for args in (["implicit", "p"], ["-u", "implicit", "p"], ["-o", "implicit", "p"],
                 ["implicit", "h"], ["-u", "implicit", "h"], ["implicit", "g"],
                 ["-u", "implicit", "g"], ["-u", "implicit", "t"], ["-o", "implicit", "t"],
                 ["implicit", "s"], ["-u", "implicit", "s"], ["implicit", "dir"],
                 ["-u", "implicit", "nodir/x"], ["implicit", "nodir/x"], ["implicit", "dd/x"]):
        args = args[:-1] + [os.path.join(d, args[-1]) if d != "." else args[-1]]
        case("implicit: makemap %s" % " ".join(args), [(args, b"k v\n")],
             setup=chain(STD, prebuilt("m", "hash", PLAIN), implicit))
for c in ("1", "-5", "0", "99999999999", "4096x"):
    case("-c %s" % c, [(["-c", c, "btree", "m"], LONG)], [("m", "btree", [])])
dirs = shell("mkdir -p ww/gw/sub st ok; chmod 777 ww; chmod 775 ww/gw; chmod 1777 st")
for args in (["hash", "ww/m"], ["hash", "ww/gw/m"], ["hash", "ww/gw/sub/m"], ["-u", "hash", "ww/m"],
             ["-o", "hash", "ww/none"], ["-o", "implicit", "ww/none"], ["implicit", "ww/gw/m"],
             ["hash", "st/m"], ["-s", "-v", "hash", "ww/../ww/m"], ["hash", "ww/nodir/m"]):
    case("directories: makemap %s" % " ".join(args), [(args, PLAIN)], setup=chain(STD, dirs))
if ROOT:
    perms = shell("mkdir d5 dd; printf 'a b\\n' > in; chown daemon:daemon d5 dd; chmod 750 d5;"
                  "chmod 755 dd")
    for owner, mode in (("daemon:root", "640"), ("daemon:root", "660"), ("daemon:root", "606"),
                        ("daemon:daemon", "606"), ("root:daemon", "600"), ("root:root", "400"),
                        ("root:root", "000"), ("daemon:daemon", "604")):
        case("permissions %s %s" % (owner, mode),
             [(["hash", "m"], b"k v\n"), (["-u", "hash", "m"], b""), (["-o", "hash", "m"], b"k2 v\n")],
             [("m", "hash", [])],
             setup=chain(STD, prebuilt("m", "hash", PLAIN),
                         shell("chown %s m.db; chmod %s m.db" % (owner, mode))))
    case("permissions: directories", [(["hash", "dd/m"], PLAIN), (["-u", "hash", "d5/m"], b""),
                                      (["hash", "d5/m"], PLAIN)],
         setup=chain(STD, shell("mkdir d5 dd; chown daemon:daemon d5 dd; chmod 750 d5")))
    case("permissions: TrustedUser owns the map",
         [(["hash", "m"], b"k v\n"), (["-o", "hash", "m"], b"k2 v\n")], [("m", "hash", [])],
         setup=chain(cf_with(b"daemon"), prebuilt("m", "hash", PLAIN),
                     shell("chown bin:root m.db; chmod 660 m.db")))


# ---- running ----
def norm(b, prog, d):
    return b.replace(prog.encode(), b"makemap").replace(d.encode(), b"DIR")


def run(prog, d, step):
    args, data = step[0], step[1]
    umask = step[2] if len(step) > 2 else None
    merged = len(step) > 3 and step[3] == "merged"	# stdout and stderr as one stream
    if args and args[0].startswith("!"):
        args = [args[0][1:]] + args[1:]
        cmd = [prog] + args
    elif args and args[0] == "-C":
        cmd = [prog] + args
    else:
        cmd = [prog, "-C", "test.cf"] + args

    def pre():
        if umask is not None:
            os.umask(umask)
    if merged:
        p = subprocess.run(cmd, cwd=d, input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60, preexec_fn=pre)
        p.stderr = b""
    else:
        p = subprocess.run(cmd, cwd=d, input=data, capture_output=True, timeout=60,
                           preexec_fn=pre)
    return "exit %d\n%s(stderr)\n%s" % (p.returncode,
                                        norm(p.stdout, prog, d).decode("latin-1"),
                                        norm(p.stderr, prog, d).decode("latin-1"))


def listing(prog, d, name, type_, flags):
    p = subprocess.run([prog, "-C", "test.cf", "-u"] + flags + [type_, name], cwd=d,
                       capture_output=True, timeout=60)
    out = p.stdout.splitlines()	# in file order, hash maps too: the same records should
    # land in the same buckets and pages as the reference put them
    return "exit %d\n%s\n(stderr)\n%s" % (p.returncode, b"\n".join(out).decode("latin-1"),
                                          norm(p.stderr, prog, d).decode("latin-1"))


def file_state(d, name):
    path = os.path.join(d, name if name.endswith(".db") else name + ".db")
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "absent"
    return "mode %o uid %d gid %d links %d" % (st.st_mode, st.st_uid, st.st_gid, st.st_nlink)


def meta_page(d, name):
    """The map file's first page (libdb's description of the database: type, flags, page
    size, hash parameters, record count) without its file id (bytes 52-71), or None."""
    path = os.path.join(d, name if name.endswith(".db") else name + ".db")
    try:
        with open(path, "rb") as f:
            head = bytearray(f.read(65536))
    except OSError:
        return None
    if len(head) < 512:
        return bytes(head)
    psize = int.from_bytes(head[20:24], "little")
    page = head[:psize] if 512 <= psize <= len(head) else head[:512]
    page[52:72] = bytes(20)
    return bytes(page)


def diff(want, got):
    import difflib
    return "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "reference",
                                          "ours", lineterm="", n=2))


work = tempfile.mkdtemp(prefix="makemap-t-")
os.chmod(work, 0o755)
try:
    for name, setup, steps, maps in CASES:
        dirs, results = {}, {}
        for who, prog in (("ref", REF), ("ours", OURS)):
            d = dirs[who] = os.path.join(work, "c%d-%s" % (count, who))
            os.makedirs(d)
            setup(d)
            out = [run(prog, d, s) for s in steps]
            for m, t, fl in maps:
                out.append("map %s: %s\n%s" % (m, file_state(d, m), listing(REF, d, m, t, fl)))
            results[who] = "\n".join(out)
        tap(results["ref"] == results["ours"], name, diff(results["ref"], results["ours"]))
        for m, t, fl in maps:
            a, b = meta_page(dirs["ref"], m), meta_page(dirs["ours"], m)
            if a is not None or b is not None:
                first = next((i for i in range(min(len(a or b""), len(b or b"")))
                              if a[i] != b[i]), None)
                tap(a == b, "%s: %s has the reference's meta page" % (name, m),
                    "first difference at byte %s" % first)
        # our listing of the reference's maps, order and all
        for m, t, fl in maps:
            d = dirs["ref"]
            if file_state(d, m) == "absent":
                continue
            cmd = ["-C", "test.cf", "-u"] + fl + [t, m]
            want = subprocess.run([REF] + cmd, cwd=d, capture_output=True, timeout=60)
            got = subprocess.run([OURS] + cmd, cwd=d, capture_output=True, timeout=60)
            w = "exit %d\n" % want.returncode + norm(want.stdout + want.stderr, REF, d).decode("latin-1")
            g = "exit %d\n" % got.returncode + norm(got.stdout + got.stderr, OURS, d).decode("latin-1")
            tap(w == g, "%s: our -u of the reference's %s" % (name, m), diff(w, g))
finally:
    shutil.rmtree(work, ignore_errors=True)

print("1..%d" % count)
sys.exit(1 if failed else 0)
