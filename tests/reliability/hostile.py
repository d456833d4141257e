#!/usr/bin/env python3
"""hostile.py [--short] - hostile input: the corpus of hostile_corpus.py
(about 300 strings: every C0 and C1 control, terminal escape sequences,
bidi and zero-width characters, invalid UTF-8, 10,000-character names, SQL,
printf and CSV meta-characters) through every way in:

  add      each string as the name, and as the school, of a rural teacher;
  import   each string as a CSV cell (name, then school), a file of the
           valid UTF-8 ones and one file per string that is not UTF-8,
           and each string as a column heading;
  search   each string as `list --search`;
  bundle   each string stored straight into the database (records.name and
           the values), as a hostile site bundle would bring it;
  export   `export --format csv` of all that;
  screens  browse every page of those records in tmux, open records, their
           history, and the program's own command-line views of them.

Each string is either rejected with a clear message (exit 1, one
"field: 标签：reason" line naming what is wrong), or stored verbatim (byte for
byte, after the trimming of surrounding blanks every field gets, checked with
sqlite3) and shown sanitised: no ESC, BEL, C0 or C1 character, bidi control
or invisible format character in any output of the program, in any captured
screen, in the pane title or the tmux paste buffers; and no exported CSV cell
starts a formula (= + - @ tab CR) unless it is the ="digits" form that keeps
an ID number as text. Prints "ok - ..." and "not ok - ..." lines, as the
shell tests do.

--short (tests/cli/test_rel_hostile.sh): a sixth of the strings through
add (a twelfth under the sanitizers, where each run is slower), the files
that are not UTF-8 as names only, and fewer record views; everything else
in full.
"""
import calendar
import csv
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from hostile_corpus import corpus  # noqa: E402

SHORT = "--short" in sys.argv
TR = os.environ.get("TR") or os.path.join(TOP, "build", "talentreg")
SLOW = "asan" in os.path.basename(os.path.dirname(TR))	# the sanitizer build
FAILED = 0


def ok(desc):
    print("ok - " + desc)


def not_ok(desc, detail=""):
    global FAILED
    FAILED += 1
    print("not ok - " + desc)
    for line in str(detail).splitlines()[:15]:
        print("#   " + line)


def expect(cond, desc, detail=""):
    if cond:
        ok(desc)
    else:
        not_ok(desc, detail)


# ---- what must never reach a terminal ----------------------------------------

def forbidden_cp(cp, allow_newline=True):
    """The characters no output of the program may carry."""
    if cp == 0x0A and allow_newline:
        return False
    return (cp < 0x20 or 0x7F <= cp <= 0x9F or 0x202A <= cp <= 0x202E
            or 0x2066 <= cp <= 0x2069 or cp in (0x200E, 0x200F, 0x061C)
            or 0x200B <= cp <= 0x200D or 0x2060 <= cp <= 0x2064 or cp == 0xFEFF
            or cp in (0x00AD, 0x180E) or 0xFFF9 <= cp <= 0xFFFB
            or 0xE0000 <= cp <= 0xE007F)


FORBIDDEN_RE = re.compile("[%s]" % "".join(
    "%s-%s" % (re.escape(chr(a)), re.escape(chr(b))) for a, b in [
        (0x00, 0x09), (0x0B, 0x1F), (0x7F, 0x9F), (0x202A, 0x202E), (0x2066, 0x2069),
        (0x200E, 0x200F), (0x061C, 0x061C), (0x200B, 0x200D), (0x2060, 0x2064),
        (0xFEFF, 0xFEFF), (0x00AD, 0x00AD), (0x180E, 0x180E), (0xFFF9, 0xFFFB),
        (0xE0000, 0xE007F)]))


def bad_chars(data, allow_newline=True):
    """The forbidden characters of bytes data (see forbidden_cp), or a note
    that it is not UTF-8; empty when clean."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return ["not UTF-8 at byte %d" % e.start]
    if not allow_newline:
        text = text.replace("\n", "\x01")
    return sorted({"U+%04X" % ord(ch) for ch in FORBIDDEN_RE.findall(text)})


# ---- the program and its database ----------------------------------------------

def id_with_check(first17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * x for c, x in zip(first17, w)) % 11]


def person_id(k):
    """A valid resident ID, different for each k (as rel_id in lib.sh)."""
    rest = k // 1000
    return id_with_check("620302%04d%02d%02d%03d" % (1966 + rest // 336 % 30, rest // 28 % 12 + 1,
                                                    rest % 28 + 1, k % 1000))


class Env:
    def __init__(self):
        self.work = tempfile.mkdtemp(prefix="talentreg-hostile.")
        shutil.copytree(os.path.join(TOP, "config"), os.path.join(self.work, "config"))
        shutil.copytree(os.path.join(TOP, "forms"), os.path.join(self.work, "forms"))
        os.mkdir(os.path.join(self.work, "data"))
        self.db = os.path.join(self.work, "data", "talentreg.db")
        self.env = dict(os.environ)
        self.env.pop("TALENTREG_DB", None)
        self.env.update(TALENTREG_CONFIG=os.path.join(self.work, "config"),
                        TALENTREG_TODAY="2026-11-29", LANG="C.UTF-8")
        self.next_person = 1000

    def run(self, *args, timeout=60):
        """Runs talentreg; args are str or bytes. Returns (status, stdout, stderr)."""
        argv = [TR.encode()] + [a if isinstance(a, bytes) else a.encode() for a in args]
        p = subprocess.run(argv, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, cwd=self.work)
        return p.returncode, p.stdout, p.stderr

    def person(self):
        self.next_person += 1
        return person_id(self.next_person)

    def sql(self, query, params=()):
        con = sqlite3.connect(self.db, timeout=10)
        con.text_factory = bytes
        try:
            rows = con.execute(query, params).fetchall()
            con.commit()
            return rows
        finally:
            con.close()

    def count(self):
        return self.sql("SELECT count(*) FROM records")[0][0]

    def close(self):
        if os.environ.get("HOSTILE_KEEP"):
            print("# kept " + self.work)
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def trimmed(s):
    """s as every field stores it: without blanks (ASCII white space and
    U+3000) around it."""
    blanks = (b" ", b"\t", b"\n", b"\x0b", b"\x0c", b"\r", "\u3000".encode())
    changed = True
    while changed:
        changed = False
        for b in blanks:
            if s.startswith(b):
                s, changed = s[len(b):], True
            if s.endswith(b) and len(s) >= len(b):
                s, changed = s[:-len(b)], True
    return s


def csv_undone(s):
    """What the importer makes of a cell (csv_undo_cell): ="ABC123" is the
    text ABC123, and one ' before a formula-looking value goes."""
    m = re.fullmatch(rb'="([A-Za-z0-9]+)"', s)
    if m:
        return m.group(1)
    if s.startswith(b"'") and re.match(rb"'*[=+\-@\t\r]", s[1:]):
        return s[1:]
    return s


TEACHER = {"name": "王小梅", "phone": "13800138000", "township": "宁远堡镇", "village": "东湾村",
           "school": "东湾村小学", "stage": "小学", "staffing": "在编", "years_teaching": "2"}
REASONS = ["含有不允许的控制字符或格式字符", "不是有效的 UTF-8 文本", "最多 ", "至少 "]


# ---- add ---------------------------------------------------------------------------

def through_add(env, items, field):
    label = {"name": "姓名", "school": "任教学校"}[field]
    stored = rejected = skipped = 0
    for what, s in items:
        if b"\x00" in s:
            skipped += 1		# an argument cannot hold a NUL byte
            continue
        vals = dict(TEACHER, id_number=env.person())
        args = ["add", "rural_teacher"] + [("%s=%s" % kv).encode() for kv in vals.items()
                                           if kv[0] != field]
        args.append(field.encode() + b"=" + s)
        before = env.count()
        rc, out, err = env.run(*args)
        dirty = bad_chars(out) + bad_chars(err)
        if dirty:
            not_ok("add, %s %s: the output carries %s" % (field, what, ", ".join(dirty)), err)
        if rc == 0:
            uuid = out.decode().strip()
            got = env.sql("SELECT json_extract(vals, '$.%s'), name FROM records WHERE uuid = ?"
                          % field, (uuid,))
            want = trimmed(s)
            if got and got[0][0] == want and (field != "name" or got[0][1] == want):
                stored += 1
            else:
                not_ok("add, %s %s: stored, but not verbatim" % (field, what),
                       "want %r\ngot  %r" % (want[:80], got[0][0][:80] if got else None))
        elif rc == 1:
            text = err.decode("utf-8", "replace")
            line = [ln for ln in text.splitlines() if ln.startswith("%s: %s：" % (field, label))]
            if line and any(r in line[0] for r in REASONS) and env.count() == before:
                rejected += 1
            else:
                not_ok("add, %s %s: rejected without a clear reason" % (field, what), text)
        else:
            not_ok("add, %s %s: exit status %d" % (field, what, rc), err.decode("utf-8", "replace"))
    ok("add with each string as the %s: %d stored verbatim, %d rejected with the reason, "
       "%d not tried (a NUL cannot be in an argument)" % (field, stored, rejected, skipped))
    return stored


# ---- import --------------------------------------------------------------------------

def csv_cell(b):
    return b'"' + b.replace(b'"', b'""') + b'"'


def parse_csv_bytes(data):
    """RFC 4180 rows of data (bytes), cells as bytes."""
    rows, row, cell, i, n = [], [], b"", 0, len(data)
    quoted = False
    while i < n:
        c = data[i:i + 1]
        if quoted:
            if c == b'"' and data[i + 1:i + 2] == b'"':
                cell += b'"'
                i += 2
                continue
            if c == b'"':
                quoted = False
            else:
                cell += c
            i += 1
            continue
        if c == b'"' and cell == b"":
            quoted = True
        elif c == b",":
            row.append(cell)
            cell = b""
        elif c == b"\r" and data[i + 1:i + 2] == b"\n":
            row.append(cell)
            rows.append(row)
            row, cell = [], b""
            i += 1
        elif c == b"\n":
            row.append(cell)
            rows.append(row)
            row, cell = [], b""
        else:
            cell += c
        i += 1
    if cell or row:
        row.append(cell)
        rows.append(row)
    return rows


ID_TEXT = re.compile(rb'="[A-Za-z0-9]+"')


def formula_cells(data):
    """The cells of CSV bytes that a spreadsheet would take as a formula."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    bad = []
    for r, row in enumerate(parse_csv_bytes(data)):
        for cell in row:
            if cell[:1] in (b"=", b"+", b"-", b"@", b"\t", b"\r") and not ID_TEXT.fullmatch(cell):
                bad.append("row %d: %r" % (r + 1, cell[:40]))
    return bad


def through_import(env, items, field):
    keys = list(TEACHER.keys()) + ["id_number"]
    head = b",".join(k.encode() for k in keys) + b"\r\n"
    # a NUL byte or bytes that are not UTF-8 make the whole file refused:
    # those strings each get a file of their own
    utf8 = [(w, s) for w, s in items if not bad_chars_utf8(s) and b"\x00" not in s]
    other = [(w, s) for w, s in items if bad_chars_utf8(s) or b"\x00" in s]
    path = os.path.join(env.work, "import-%s.csv" % field)
    ids, body = [], b""
    for what, s in utf8:
        pid = env.person()
        ids.append(pid)
        vals = dict(TEACHER, id_number=pid)
        vals = {k: v.encode() for k, v in vals.items()}
        vals[field] = s
        body += b",".join(csv_cell(vals[k]) for k in keys) + b"\r\n"
    with open(path, "wb") as f:
        f.write(head + body)
    rc, out, err = env.run("import", "rural_teacher", path, timeout=120)
    dirty = bad_chars(out) + bad_chars(err)
    expect(not dirty, "import of %d strings as the %s: no control character in its output"
           % (len(utf8), field), ", ".join(dirty))
    expect(rc in (0, 1), "import of %d strings as the %s: exit status %d (some rows rejected)"
           % (len(utf8), field, rc), err.decode("utf-8", "replace"))
    rej_path = path + ".rejects.csv"
    rejected_rows = set()
    if os.path.exists(rej_path):
        with open(rej_path, "rb") as f:
            rej = f.read()
        bad = formula_cells(rej)
        expect(not bad, "the rejects file of the %s import starts no cell with a formula" % field,
               "\n".join(bad[:10]))
        dirty = bad_chars(rej.replace(b"\r\n", b"\n"))
        for row in parse_csv_bytes(rej[3:])[1:]:
            if row and row[0].isdigit():
                rejected_rows.add(int(row[0]))
                if len(row) < 3 or not row[2]:
                    not_ok("the rejects file gives no reason for row %s" % row[0])
    stored = rejected = 0
    for i, ((what, s), pid) in enumerate(zip(utf8, ids)):
        got = env.sql("SELECT json_extract(vals, '$.%s') FROM records WHERE person_key = ?" % field,
                      (pid,))
        row = i + 2
        if got:
            want = csv_undone(trimmed(s)) if field != "id_number" else s
            want = trimmed(want)
            if got[0][0] == want:
                stored += 1
            else:
                not_ok("import, %s %s: stored, but not verbatim" % (field, what),
                       "want %r\ngot  %r" % (want[:80], got[0][0][:80]))
        elif row in rejected_rows:
            rejected += 1
        else:
            not_ok("import, %s %s: neither stored nor in the rejects file (row %d)"
                   % (field, what, row))
    ok("import with each UTF-8 string as a %s cell: %d stored verbatim, %d rejected in the "
       "rejects file with a reason" % (field, stored, rejected))
    # a file that is not UTF-8 (nor GB18030) is refused whole, with its line
    refused = took = 0
    if SHORT and field != "name":
        other = []		# the same bytes as a school cell: the long form only
    for what, s in other:
        pid = env.person()
        vals = {k: v.encode() for k, v in dict(TEACHER, id_number=pid).items()}
        vals[field] = s
        one = os.path.join(env.work, "one.csv")
        with open(one, "wb") as f:
            f.write(head + b",".join(csv_cell(vals[k]) for k in keys) + b"\r\n")
        before = env.count()
        rc, out, err = env.run("import", "rural_teacher", one, "--encoding", "utf-8")
        dirty = bad_chars(out) + bad_chars(err)
        if dirty:
            not_ok("import, %s %s: the output carries %s" % (field, what, ", ".join(dirty)), err)
        why = err.decode("utf-8", "replace")
        if rc == 2 and env.count() == before and ("UTF-8" in why or "NUL" in why):
            refused += 1
        elif rc == 1 and env.count() == before:
            took += 1		# read, and the row rejected (e.g. a NUL)
        else:
            not_ok("import, %s %s (not UTF-8): exit %d" % (field, what, rc),
                   err.decode("utf-8", "replace"))
    ok("import --encoding utf-8 of a %s cell with a NUL or not UTF-8: %d files refused "
       "whole with the reason, %d rows rejected" % (field, refused, took))


def bad_chars_utf8(s):
    try:
        s.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def through_headings(env, items):
    """Each string as a CSV heading: an unknown column stops the import
    (exit 2) with a message that names it, sanitised."""
    bad, refused = [], 0
    for what, s in items:
        if b"\x00" in s or bad_chars_utf8(s) or not trimmed(s):
            continue
        path = os.path.join(env.work, "heading.csv")
        with open(path, "wb") as f:
            f.write(b"name," + csv_cell(s) + b",id_number\r\n\"\xe7\x8e\x8b\xe6\xa2\x85\",x,%s\r\n"
                    % env.person().encode())
        rc, out, err = env.run("import", "rural_teacher", path)
        dirty = bad_chars(out) + bad_chars(err)
        if dirty:
            bad.append("%s: the message carries %s" % (what, ", ".join(dirty)))
        elif rc == 2:
            refused += 1
        elif rc not in (0, 1):
            bad.append("%s: exit %d %s" % (what, rc, err.decode("utf-8", "replace")[:200]))
    expect(not bad, "each string as a CSV heading: %d files refused for an unknown column, "
           "no control character in any message" % refused, "\n".join(bad[:10]))


def through_search(env, items):
    """Each string as a search: exit 0, nothing but clean output."""
    bad, n = [], 0
    for what, s in items:
        if b"\x00" in s:
            continue
        n += 1
        rc, out, err = env.run("list", "--search", s, "--limit", "5")
        dirty = bad_chars(out) + bad_chars(err)
        if rc != 0 or dirty:
            bad.append("%s: exit %d %s %s" % (what, rc, ", ".join(dirty),
                                              err.decode("utf-8", "replace")[:200]))
    expect(not bad, "each of %d strings as a search (list --search): exit 0, clean output" % n,
           "\n".join(bad[:10]))


# ---- a hostile bundle: straight into the database ---------------------------------

def json_str(b):
    out = b'"'
    for byte in b:
        if byte == 0x22:
            out += b'\\"'
        elif byte == 0x5C:
            out += b"\\\\"
        elif byte < 0x20:
            out += b"\\u%04x" % byte
        else:
            out += bytes([byte])
    return out + b'"'


def plant(env, items):
    """Stores each string as a record's name (column and value), school and
    village, with its create row in the audit, as a bundle from a hostile
    site would. Returns {uuid: (what, bytes)}."""
    planted = {}
    con = sqlite3.connect(env.db, timeout=10)
    con.text_factory = bytes
    for n, (what, s) in enumerate(items):
        pid = env.person()
        uuid = "%08x-0000-4000-8000-%012x" % (0xbad, n)
        vals = dict(TEACHER, id_number=pid, gender="女",
                    birth_date="%s-%s-%s" % (pid[6:10], pid[10:12], pid[12:14]))
        body = [json_str(k.encode()) + b":" + json_str(v.encode()) for k, v in vals.items()
                if k not in ("name", "school")]
        body = [b'"name":' + json_str(s), b'"school":' + json_str(s)] + body
        vj = b"{" + b",".join(body) + b"}"
        now = "2026-11-%02dT%02d:%02d:00.000Z" % (1 + n // 1440 % 28, n // 60 % 24, n % 60)
        ms = calendar.timegm(time.strptime(now[:19], "%Y-%m-%dT%H:%M:%S")) * 1000
        # the name, ID, township, village and phone columns are vals' own
        con.execute("INSERT INTO records(uuid, category, status, vals, comment, created_by,"
                    " created_ms, updated_by, updated_ms, version, site) VALUES (?,"
                    " 'rural_teacher', 'submitted', CAST(? AS TEXT), CAST(? AS TEXT), 'root', ?,"
                    " 'root', ?, 1, 'evil_site')", (uuid, vj, s, ms, ms))
        con.execute("INSERT INTO audit(at, login, action, uuid, new_vals, comment)"
                    " VALUES (?, 'root', 'create', ?, CAST(? AS TEXT), CAST(? AS TEXT))",
                    (now, uuid, vj, s))
        planted[uuid] = (what, s)
    con.commit()
    con.close()
    return planted


def through_export(env, planted):
    out_path = os.path.join(env.work, "export.csv")
    rc, out, err = env.run("export", "--format", "csv", "--output", out_path, timeout=120)
    expect(rc == 0, "export --format csv of the hostile records exits 0",
           err.decode("utf-8", "replace"))
    if rc != 0:
        return
    with open(out_path, "rb") as f:
        data = f.read()
    bad = formula_cells(data)
    expect(not bad, "no exported CSV cell starts a formula (= + - @ tab CR), ID text aside",
           "\n".join(bad[:10]))
    rows = parse_csv_bytes(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
    head = [c.decode("utf-8", "replace") for c in rows[0]]
    expect(data.startswith(b"\xef\xbb\xbf"), "the export starts with a UTF-8 BOM")
    name_col = head.index("姓名") if "姓名" in head else None
    id_col = head.index("身份证号") if "身份证号" in head else None
    if name_col is None or id_col is None:
        not_ok("the export has no 姓名 or 身份证号 column", ",".join(head))
        return
    by_id = {}
    for row in rows[1:]:
        if len(row) > max(name_col, id_col):
            by_id[csv_undone(row[id_col])] = row[name_col]
    lost = []
    con = sqlite3.connect(env.db)
    con.text_factory = bytes
    for uuid, (what, s) in planted.items():
        pid = con.execute("SELECT person_key FROM records WHERE uuid = ?", (uuid,)).fetchone()[0]
        stored = con.execute("SELECT json_extract(vals, '$.name') FROM records WHERE uuid = ?",
                             (uuid,)).fetchone()[0]
        cell = by_id.get(pid)
        if cell is None or csv_undone(cell) != stored.split(b"\x00")[0]:
            lost.append("%s: %r" % (what, cell[:40] if cell else cell))
    con.close()
    expect(not lost, "each hostile name comes back from the export as stored (a defused "
           "formula with one ' before it)", "\n".join(lost[:10]))


# ---- the command line's views ------------------------------------------------------------

def through_views(env, planted):
    rc, out, err = env.run("list", "--limit", "100000")
    dirty = bad_chars(out) + bad_chars(err)
    expect(rc == 0 and not dirty, "list (table) of the hostile records shows no control character",
           ", ".join(dirty))
    uuids = list(planted)
    sample = uuids if not SHORT else uuids[::24 if SLOW else 12]
    bad = []
    for u in sample:
        for cmd in (["show", u], ["history", u]):
            rc, out, err = env.run(*cmd)
            dirty = bad_chars(out) + bad_chars(err)
            if rc != 0 or dirty:
                bad.append("%s %s (%s): exit %d, %s" % (cmd[0], planted[u][0], u[:8], rc,
                                                     ", ".join(dirty)))
    expect(not bad, "show and history of %d hostile records show no control character"
           % len(sample), "\n".join(bad[:10]))


# ---- the screens ---------------------------------------------------------------------------

class Tmux:
    def __init__(self, env):
        self.env = env
        self.sock = "trhostile%d" % os.getpid()

    def tmux(self, *args, check=False):
        p = subprocess.run(["tmux", "-u", "-L", self.sock] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        return p.stdout.decode("utf-8", "surrogateescape") if not check else p.returncode

    def open(self):
        self.tmux("kill-server")
        cmd = "exec env TALENTREG_CONFIG='%s' TALENTREG_TODAY=2026-11-29 '%s'" % (
            self.env.env["TALENTREG_CONFIG"], TR)
        self.tmux("new-session", "-d", "-s", "ui", "-x", "80", "-y", "24", cmd)
        self.tmux("set", "-g", "set-clipboard", "on")
        self.tmux("set", "-g", "allow-rename", "on")
        self.pid = int(self.tmux("display-message", "-p", "-t", "ui", "#{pane_pid}").strip())
        self.title = None

    def pane_title(self):
        """What an OSC 0/2 in the data would change (the window name follows
        the program's name by itself)."""
        return self.tmux("display-message", "-p", "-t", "ui", "#{pane_title}")

    def screen(self):
        p = subprocess.run(["tmux", "-u", "-L", self.sock, "capture-pane", "-p", "-t", "ui"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return p.stdout

    def keys(self, *k):
        self.tmux("send-keys", "-t", "ui", *k)

    def wait_for(self, text, secs=5):
        end = time.time() + secs
        while time.time() < end:
            if text.encode() in self.screen():
                return True
            time.sleep(0.05)
        return False

    def wait_change(self, old, secs=5):
        end = time.time() + secs
        while time.time() < end:
            s = self.screen()
            if s != old:
                time.sleep(0.05)
                return self.screen()
            time.sleep(0.05)
        return self.screen()

    def alive(self):
        try:
            with open("/proc/%d/stat" % self.pid) as f:
                return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except OSError:
            return False

    def buffers(self):
        return self.tmux("list-buffers").strip()

    def close(self):
        self.tmux("kill-server")


def check_capture(ui, where, problems, seen):
    scr = ui.screen()
    dirty = bad_chars(scr)
    if dirty:
        problems.append("%s: the screen carries %s" % (where, ", ".join(dirty)))
    if ui.pane_title() != ui.title:
        problems.append("%s: the pane title changed to %r" % (where, ui.pane_title()))
    if ui.buffers():
        problems.append("%s: a tmux buffer was set: %r" % (where, ui.buffers()[:80]))
    if not ui.alive():
        problems.append("%s: the program is gone" % where)
    seen.append(scr)
    return scr


def through_screens(env, planted):
    ui = Tmux(env)
    ui.open()
    problems, seen = [], []
    try:
        if not ui.wait_for("五支人才队伍进度"):
            not_ok("the screens open on the hostile database", ui.screen().decode("utf-8", "replace"))
            return
        ui.title = ui.pane_title()
        check_capture(ui, "home", problems, seen)
        ui.keys("l")
        ui.wait_for("浏览记录")
        pages = 0
        scr = check_capture(ui, "browse page 1", problems, seen)
        rows_per_page = 18
        total = env.count()
        while True:
            pages += 1
            lines = scr.decode("utf-8", "replace").splitlines()
            if "浏览记录" not in lines[0] or "Enter" not in lines[-1] or "姓名" not in lines[2]:
                problems.append("browse page %d: its frame is broken:\n%s" % (pages, "\n".join(lines)))
            if pages * rows_per_page >= total:
                break
            ui.keys("NPage")
            if not ui.wait_for("第 %d/" % (pages + 1)):	# 第 2/28 页
                problems.append("browse: page %d never came" % (pages + 1))
                break
            scr = check_capture(ui, "browse page %d" % (pages + 1), problems, seen)
        expect(pages * rows_per_page >= total, "browse pages through all %d records (%d pages)"
               % (total, pages))
        # record views: back to the first page, then down the list
        ui.keys("Home")
        ui.wait_for("第 1/")
        views = min(total, (6 if SLOW else 12) if SHORT else total)
        for i in range(views):
            old = ui.screen()
            ui.keys("Enter")
            scr = ui.wait_change(old)
            if "e 修改" not in scr.decode("utf-8", "replace"):
                ui.wait_for("e 修改")
            check_capture(ui, "record view %d" % (i + 1), problems, seen)
            if i % 4 == 0:
                old = ui.screen()
                ui.keys("h")
                ui.keys("NPage")		# the history is below the fields
                ui.wait_for("[历史]")
                check_capture(ui, "history %d" % (i + 1), problems, seen)
            ui.keys("Escape")
            ui.wait_for("浏览记录")
            ui.keys("Down")
        ok("%d record views and their history opened" % views)
        ui.keys("Escape")
        ui.wait_for("五支人才队伍进度")
        check_capture(ui, "home again", problems, seen)
        ui.keys("q")
        end = time.time() + 2
        while ui.alive() and time.time() < end:
            time.sleep(0.05)
        expect(not ui.alive(), "q quits after all that")
    finally:
        ui.close()
    expect(not problems, "no ESC, BEL, C0, C1, bidi or invisible character in %d captured "
           "screens; the pane title and the paste buffers untouched" % len(seen),
           "\n".join(problems[:10]))
    joined = b"\n".join(seen).decode("utf-8", "replace")
    # (browse's name column ends a cut name in a marker: "王\ufffd]52;c…")
    expect("\ufffd]52;c" in joined or "\ufffd]0;pwned" in joined,
           "an escape sequence in the data shows as text, its ESC replaced by U+FFFD")


def timed(what, fn, *args):
    t = time.time()
    r = fn(*args)
    print("# %s: %.1f s" % (what, time.time() - t))
    return r


def main():
    items = corpus()
    print("# %d hostile strings; %s" % (len(items), TR))
    env = Env()
    try:
        rc, out, err = env.run("init")
        expect(rc == 0, "init for the hostile input test", err)
        sample = items[::12 if SLOW else 6] if SHORT else items
        timed("add as name", through_add, env, sample, "name")
        timed("add as school", through_add, env, sample, "school")
        timed("import as name", through_import, env, items, "name")
        timed("import as school", through_import, env, items, "school")
        timed("headings", through_headings, env, sample)
        timed("search", through_search, env, sample)
        rc, out, err = env.run("list", "--format", "json", "--limit", "100000")
        expect(rc == 0 and json.loads(out.decode()) is not None, "list --format json still parses")
        planted = plant(env, items)
        ok("%d hostile strings stored straight into the database" % len(planted))
        timed("export", through_export, env, planted)
        timed("views", through_views, env, planted)
        timed("screens", through_screens, env, planted)
        rc = subprocess.run(["sqlite3", env.db, "PRAGMA integrity_check"],
                            stdout=subprocess.PIPE).stdout.strip()
        expect(rc == b"ok", "integrity_check is ok after the hostile input")
        tables = env.sql("SELECT count(*) FROM sqlite_master WHERE name IN ('records', 'audit')")
        expect(tables[0][0] == 2, "the records and audit tables are still there")
    finally:
        env.close()
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
