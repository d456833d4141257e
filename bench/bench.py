#!/usr/bin/env python3
"""make bench: every budget of DESIGN.md ("Performance budgets"), each
figure measured next to its reference in the same run, with the ratio.

usage: bench.py [--quick] [--only NAME[,NAME...]]

NAME is one of import, search, start, browse, dashboard, typing. --quick
makes fewer runs (for trying the script, not for figures). The data sets
are made once and kept in bench/data/ (see bench/README.md); delete the
folder to make them again. Everything runs with TALENTREG_TODAY=2026-11-29
and LANG=C.UTF-8, as the login that runs it (the first admin of every
database made here, so nothing is hidden by the roles).
"""
import configparser
import glob
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import startup  # noqa: E402

BUILD = os.environ.get("BUILD", "build")
TR = os.path.join(TOP, BUILD, "talentreg")
PAGE = os.path.join(TOP, BUILD, "bench", "page")
DATA = os.path.join(HERE, "data")
CONF = os.path.join(DATA, "conf")
ENV = dict(os.environ, TALENTREG_TODAY="2026-11-29", LANG="C.UTF-8",
           TALENTREG_CONFIG=os.path.join(CONF, "config"))
ENV.pop("TALENTREG_DB", None)
QUICK = "--quick" in sys.argv
RESULTS = []  # (group, what, talentreg, reference, ratio, budget, verdict, command)


def say(*a):
    print(*a, flush=True)


def run(args, **kw):
    return subprocess.run(args, env=ENV, check=True, **kw)


def ms(x):
    return "%.1f ms" % x if x < 1000 else "%.2f s" % (x / 1000)


def record(group, what, tr, ref, budget, ok, command, unit=ms, cpu=None):
    """Keeps and prints one figure; cpu, when given, is (talentreg's CPU
    time, the reference's), shown beside the wall-clock figures."""
    ratio = tr / ref if ref else float("nan")
    t, r = unit(tr), unit(ref) if ref is not None else "-"
    if cpu:
        t, r = "%s (CPU %s)" % (t, unit(cpu[0])), "%s (CPU %s)" % (r, unit(cpu[1]))
    RESULTS.append({"group": group, "what": what, "talentreg": t, "reference": r,
                    "ratio": "%.2f" % ratio if ref else "-", "budget": budget,
                    "verdict": "ok" if ok else ("-" if budget == "-" else "OVER"),
                    "command": command})
    say("  %-44s %s  ref %s  ratio %s  budget %s  %s" % (
        what, t, r, "%.2f" % ratio if ref else "-", budget, RESULTS[-1]["verdict"]))


# ---- data sets ---------------------------------------------------------------

def fresh_conf():
    """A private copy of config/ and forms/ (made again every run, so a
    changed form is seen), with data/ beside them."""
    for d in ("config", "forms"):
        shutil.rmtree(os.path.join(CONF, d), ignore_errors=True)
        shutil.copytree(os.path.join(TOP, d), os.path.join(CONF, d))
    os.makedirs(os.path.join(CONF, "data"), exist_ok=True)


def stale(target, *sources):
    return not os.path.exists(target) or any(
        os.path.getmtime(s) > os.path.getmtime(target) for s in sources)


def datasets(need_large):
    csv = os.path.join(DATA, "import-100k.csv")
    if stale(csv, os.path.join(HERE, "gen_csv.py")):
        say("making %s" % csv)
        run([sys.executable, os.path.join(HERE, "gen_csv.py"), "100000", csv])
    base = os.path.join(DATA, "demo-20k.db")
    if not os.path.exists(base):
        say("making %s (talentreg init --demo 20000)" % base)
        db = os.path.join(DATA, "demo-20k.tmp")
        for f in glob.glob(db + "*"):
            os.unlink(f)
        run([TR, "--db", db, "init", "--demo", "20000"], stdout=subprocess.DEVNULL)
        con = sqlite3.connect(db)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        os.replace(db, base)
    # the base in this program's schema (build_db.py writes its columns)
    run([TR, "--db", base, "list", "--limit", "1"], stdout=subprocess.DEVNULL)
    sizes = [("100k", 100000)] + ([("1m", 1000000)] if need_large else [])
    for name, n in sizes:
        out = os.path.join(DATA, "db-%s.db" % name)
        if stale(out, base, os.path.join(HERE, "build_db.py")):
            say("making %s (bench/build_db.py, a few minutes for 1,000,000)" % out)
            run([sys.executable, os.path.join(HERE, "build_db.py"), base, str(n), out])
        # a database cached by an older talentreg is migrated now, not in a timed run
        run([TR, "--db", out, "list", "--limit", "1"], stdout=subprocess.DEVNULL)
    return csv


# ---- timing helpers ----------------------------------------------------------

def hyperfine(cmds, runs, warmup=2):
    """Times each command (a list of words) with hyperfine; returns the
    median wall-clock time of each in ms, and the mean CPU times (user
    and system) after them."""
    out = os.path.join(DATA, "hyperfine.json")
    args = ["hyperfine", "-N", "--style", "none", "-w", str(warmup), "-r", str(runs),
            "--export-json", out]
    for c in cmds:
        args.append(" ".join(shell_quote(w) for w in c))
    run(args, stdout=subprocess.DEVNULL)
    with open(out) as f:
        res = json.load(f)["results"]
    return ([statistics.median(r["times"]) * 1000 for r in res] +
            [(r["user"] + r["system"]) * 1000 for r in res])  # hyperfine gives means


def shell_quote(w):
    if w and all(c.isalnum() or c in "-_./=:" for c in w):
        return w
    return "'" + w.replace("'", "'\\''") + "'"


def timed(args, **kw):
    """Runs args; returns (wall ms, CPU ms of the children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    run(args, **kw)
    wall = (time.monotonic() - t0) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


# ---- (1) import --------------------------------------------------------------

# The reference: sqlite3's .import of the same file into a table with the
# records table's own columns, unique and other indexes and FTS5 trigram
# table (with its insert trigger), all taken from a database talentreg made.
# .import writes into a view whose INSTEAD OF trigger fills the columns the
# file lacks (uuid, category, status, the values as JSON, times), as
# talentreg does. The second reference imports the same way into a whole
# talentreg database: also its running counts of people (schema 3), whose
# triggers the first reference lacks.
REF_VIEW = """
CREATE VIEW csv_in(name, id_number, phone, township, village, school, stage, staffing,
 years_teaching) AS SELECT name, person_key, phone, township, village, '', '', '', ''
 FROM records;
CREATE TRIGGER csv_in_insert INSTEAD OF INSERT ON csv_in BEGIN
 INSERT INTO records(uuid, category, status, vals, created_by, created_ms, updated_by,
  updated_ms, version, site)
 VALUES (lower(hex(randomblob(16))), 'rural_teacher', 'submitted',
  json_object('name', new.name, 'id_number', new.id_number, 'phone', new.phone,
   'township', new.township, 'village', new.village, 'school', new.school,
   'stage', new.stage, 'staffing', new.staffing, 'years_teaching', new.years_teaching),
  'bench', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 'bench',
  CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 1, 'district');
END;
"""


# The lean reference of issue 11: the file's own columns in a table with a
# unique index on the ID number and an FTS5 trigram index on the name, the
# least a registry of people must keep. talentreg keeps much more (the
# values as JSON, who and when, the audit, the running counts, the browse
# indexes, 1-2 character search), so this ratio is its whole write path
# against SQLite's own work.
LEAN_DDL = """
PRAGMA journal_mode = WAL;
CREATE TABLE t(name, id_number, phone, township, village, school, stage, staffing,
 years_teaching);
CREATE UNIQUE INDEX t_id ON t(id_number);
CREATE VIRTUAL TABLE t_fts USING fts5(name, content='t', content_rowid='rowid',
 tokenize='trigram');
CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
 INSERT INTO t_fts(rowid, name) VALUES (new.rowid, new.name);
END;
"""


def size_breakdown(db, records):
    """Bytes per record of db in all, and by table and index (dbstat, as the
    sqlite3 shell has it), largest first."""
    out = subprocess.run(["sqlite3", db, "SELECT name, sum(pgsize) FROM dbstat GROUP BY name"
                          " ORDER BY 2 DESC"], capture_output=True, text=True, check=True).stdout
    rows = [(n, int(b)) for n, b in (line.split("|") for line in out.split())]
    total = os.path.getsize(db)
    say("    %s: %.0f bytes a record (%s in all); by table and index:" % (
        os.path.basename(db), total / records, "%.1f MB" % (total / 1e6)))
    for name, size in rows:
        if size >= 0.01 * total:
            say("      %-28s %5.0f B/record  %4.1f%%" % (name, size / records,
                                                        100.0 * size / total))
    return total / records


def records_schema(db):
    """The records table's DDL, its indexes, the FTS table and its insert
    trigger, as talentreg made them in db; WAL and synchronous=FULL as
    talentreg opens it."""
    con = sqlite3.connect(db)
    rows = dict(con.execute("SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL"))
    idx = [sql for (sql,) in con.execute(
        "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'records'"
        " AND sql IS NOT NULL ORDER BY name")]
    con.close()
    return "\n".join(["PRAGMA journal_mode = WAL;", rows["records"] + ";"] +
                     [i + ";" for i in idx] +
                     [rows["records_fts"] + ";", rows["records_fts_ai"] + ";", REF_VIEW])


def bench_import(csv):
    say("(1) validated import of 100,000 rows (a fresh database each run)")
    db = os.path.join(CONF, "data", "talentreg.db")
    ref = os.path.join(DATA, "ref-import.db")
    whole = os.path.join(DATA, "ref-whole.db")

    def clean(path):
        for f in glob.glob(path + "*"):
            os.unlink(f)

    def fresh_talentreg(path):
        clean(path)
        run([TR, "--db", path, "init"], stdout=subprocess.DEVNULL)
        run([TR, "--db", path, "forms"], stdout=subprocess.DEVNULL)  # count_group, from the forms and targets

    fresh_talentreg(db)
    ddl = records_schema(db)
    # the page cache talentreg's import asks for (import_save in cmd_import.c)
    pragmas = ["PRAGMA cache_size = -%d" % ((100000 // 1024 + 8) * 1024),
               "PRAGMA temp_store = MEMORY", "PRAGMA synchronous = FULL"]
    load = ".import --csv --skip 1 %s csv_in" % csv
    n = 1 if QUICK else 3
    lean = os.path.join(DATA, "ref-lean.db")
    lean_load = ".import --csv --skip 1 %s t" % csv
    fig = {"tr": [], "ref": [], "whole": [], "lean": []}
    for i in range(n):
        clean(lean)
        run(["sqlite3", lean], input=LEAN_DDL, text=True, stdout=subprocess.DEVNULL)
        fig["lean"].append(timed(["sqlite3", lean, "PRAGMA synchronous = FULL", lean_load]))
        clean(ref)
        run(["sqlite3", ref], input=ddl, text=True, stdout=subprocess.DEVNULL)
        fig["ref"].append(timed(["sqlite3", ref] + pragmas + [load]))
        fresh_talentreg(whole)
        run(["sqlite3", whole], input=REF_VIEW, text=True)
        fig["whole"].append(timed(["sqlite3", whole] + pragmas + [load]))
        fresh_talentreg(db)
        fig["tr"].append(timed([TR, "import", "rural_teacher", csv], stdout=subprocess.DEVNULL))
        say("    run %d: talentreg %s (CPU %s); sqlite3 .import %s (CPU %s);"
            " into the whole schema %s (CPU %s); into the lean table %s (CPU %s)" % (
                i + 1, ms(fig["tr"][-1][0]), ms(fig["tr"][-1][1]), ms(fig["ref"][-1][0]),
                ms(fig["ref"][-1][1]), ms(fig["whole"][-1][0]), ms(fig["whole"][-1][1]),
                ms(fig["lean"][-1][0]), ms(fig["lean"][-1][1])))
    for path, table in ((db, "records"), (ref, "records"), (whole, "records"), (lean, "t")):
        con = sqlite3.connect(path)
        got = con.execute("SELECT count(*) FROM %s" % table).fetchone()[0]
        con.close()
        if got != 100000:
            raise SystemExit("bench: %s holds %d records, not 100000" % (path, got))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in fig.items()}
    tw, tc = med["tr"]
    rw, rc = med["ref"]
    ww, wc = med["whole"]
    lw, lc = med["lean"]
    record("import", "import 100k rows (median of %d)" % n, tw, rw, "<= 1.5x", tw <= 1.5 * rw,
           "talentreg import rural_teacher import-100k.csv | sqlite3 ref.db '%s'" % load,
           cpu=(tc, rc))
    record("import", "  the same against .import into a lean table (unique ID, trigram name)",
           tw, lw, "<= 5x", tw <= 5 * lw,
           "sqlite3 lean.db '%s' (bench.py LEAN_DDL)" % lean_load, cpu=(tc, lc))
    record("import", "  the same against .import into talentreg's whole schema", tw, ww, "-",
           True, "sqlite3 talentreg.db '%s' (a new talentreg database)" % load, cpu=(tc, wc))
    per = size_breakdown(db, 100000)
    lean_per = size_breakdown(lean, 100000)
    record("import", "  bytes a record after the import (lean table: %.0f)" % lean_per, per,
           None, "-", True, "ls -l talentreg.db; sqlite3 talentreg.db 'SELECT ... FROM dbstat'",
           unit=lambda b: "%.0f B" % b)


# ---- (2) search --------------------------------------------------------------

RECORD_COLS = ("uuid, category, status, person_key, name, township, village, phone, vals,"
               " comment, created_by, created_at, updated_by, updated_at, version, site")


def search_sql(q, con, town=None):
    """The SQL store_list() runs for `list --search q --limit 50`, as an
    admin or (town) an officer of that township, with the values written
    in (store_query.c's search_by and q_search): the trigram index of names
    and villages for 3 characters or more; for 1-2 characters the pieces of
    names and of villages when at most 2,000 records hold them
    (GRAM_SCAN_MIN), else a scan in browse order."""
    lit = "'" + q.replace("'", "''") + "'"
    digits = not q.strip("0123456789X")
    table = "records NOT INDEXED"
    if digits:  # the digits an ID or phone shows, or a whole one (not measured here)
        table = "records"
        where = " AND instr(shown, {0}) > 0".format(lit)
    elif len(q) >= 3:
        fts = "'{name village} : \"" + q.replace("'", "''").replace('"', '""') + "\"'"
        where = " AND id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH %s)" % fts
    elif con.execute(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM records_grams WHERE gram = ?1"
            " LIMIT 2001)) + (SELECT count(*) FROM (SELECT 1 FROM records WHERE village IN"
            " (SELECT village FROM village_grams WHERE gram = ?1) LIMIT 2001))",
            (q,)).fetchone()[0] <= 2000:
        where = (" AND id IN (SELECT id FROM records_grams WHERE gram = {0} UNION SELECT id"
                 " FROM records WHERE village IN (SELECT village FROM village_grams"
                 " WHERE gram = {0}))").format(lit)
    else:
        table = "records"
        where = " AND (instr(name, {0}) > 0 OR instr(village, {0}) > 0)".format(lit)
    scope = " AND township IN ('%s')" % town if town else ""
    return ("SELECT " + RECORD_COLS + " FROM " + table + " WHERE status <> 'withdrawn'" +
            scope + where + " ORDER BY updated_ms DESC, id DESC LIMIT 50")


def bench_search():
    say("(2) search at 1,000,000 records: talentreg list --search Q --limit 50")
    db = os.path.join(DATA, "db-1m.db")
    con = sqlite3.connect(db)
    # a real person's full name (3 characters) and given name (2)
    name = con.execute("SELECT name FROM records WHERE length(name) = 3 ORDER BY id"
                       " LIMIT 1 OFFSET 1000").fetchone()[0]
    # the officer's township is the other one than the name's, so that
    # the search finds nothing there (the costliest case for a filter)
    town = con.execute("SELECT township FROM records WHERE township <> (SELECT township"
                       " FROM records WHERE name = ? LIMIT 1) LIMIT 1", (name,)).fetchone()[0]
    officer = [u for u in ("officer_ny", "officer_sw") if town.startswith(
        {"officer_ny": "宁远", "officer_sw": "双湾"}[u])][0]
    queries = [(name, "3 characters, a full name", 50, None),
               (name[1:], "2 characters, a given name", 150, None),
               ("龘龘", "2 characters, found nowhere", 150, None),
               (name[0], "1 character, a surname (in over 2,000 records: the scan)", 150, None),
               (name, "3 characters, as an officer of the other township", 50, town),
               (name[1:], "2 characters, as an officer of the other township", 150, town)]
    runs = 3 if QUICK else 15
    for q, what, budget, scope in queries:
        sql = search_sql(q, con, scope)
        hits = con.execute(sql.replace("LIMIT 50", "")).fetchall()
        plan = " / ".join(r[3] for r in con.execute("EXPLAIN QUERY PLAN " + sql))
        as_ = ["--as", officer] if scope else []
        tr, ref, tc, rc = hyperfine([[TR, "--db", db] + as_ + ["list", "--search", q,
                                                               "--limit", "50"],
                                     ["sqlite3", db, sql]], runs)
        record("search", "search %s: %s (%d hits)" % (q, what, len(hits)), tr, ref,
               "<= %d ms" % budget, tr <= budget,
               "talentreg %slist --search %s --limit 50 | sqlite3 db-1m.db \"%s\""
               % ("--as %s " % officer if scope else "", q, sql), cpu=(tc, rc))
        say("    plan: %s" % plan)
    con.close()


# ---- (3) start ---------------------------------------------------------------

def rss_kb(cmd, marker):
    """Peak RSS of cmd in KB, by /usr/bin/time (its own small image is what
    the child has before exec, not this Python's)."""
    out = os.path.join(DATA, "time.out")
    startup.once(["/usr/bin/time", "-f", "%M", "-o", out] + cmd, marker, b"q")
    with open(out) as f:
        return int(f.read().split()[-1])


def bench_start():
    say("(3) start to the home screen under an 80x24 pty")
    dialog = ["dialog", "--infobox", "基准测试", "3", "30"]
    runs = 3 if QUICK else 21
    os.environ.update({k: ENV[k] for k in ("TALENTREG_TODAY", "LANG", "TALENTREG_CONFIG")})
    for size in (("100k", "1m") if not QUICK else ("100k",)):
        db = os.path.join(DATA, "db-%s.db" % size)
        cmd = [TR, "--db", db]
        tr, ref = [], []
        startup.once(cmd, "退出".encode(), b"q")  # warm the page cache
        for _ in range(runs):  # interleaved, so both see the same load
            t, _, _ = startup.once(cmd, "退出".encode(), b"q")
            d, _, _ = startup.once(dialog, "基准测试".encode(), b"q")
            if t is None or d is None:
                raise SystemExit("bench: the home screen (or dialog) never showed")
            tr.append(t * 1000)
            ref.append(d * 1000)
        t, r = statistics.median(tr), statistics.median(ref)
        what = "start to home screen, %s records (median of %d)" % (size, runs)
        budget = 50 if size == "100k" else 100
        record("start", what, t, r, "<= %d ms" % budget, t <= budget,
               "bench/startup.py 1 退出 q -- talentreg --db db-%s.db | "
               "dialog --infobox 基准测试 3 30" % size)
        if size == "100k":
            kb = max(rss_kb(cmd, "退出".encode()) for _ in range(3))
            dkb = max(rss_kb(dialog, "基准测试".encode()) for _ in range(3))
            record("start", "peak RSS, 100k records", kb, dkb, "<= 10 MB", kb <= 10 * 1024,
                   "/usr/bin/time -f %M (under the same pty)",
                   unit=lambda k: "%.1f MB" % (k / 1024))
            # the pages in use (a database made by an older program keeps
            # the pages its migrations freed), by table and index
            con = sqlite3.connect(db)
            used = con.execute("SELECT (SELECT page_count FROM pragma_page_count)"
                               " - (SELECT freelist_count FROM pragma_freelist_count)").fetchone()[0]
            psize = con.execute("PRAGMA page_size").fetchone()[0]
            n = con.execute("SELECT count(*) FROM records").fetchone()[0]
            con.close()
            size_breakdown(db, n)
            per = used * psize / n
            record("start", "bytes a record on disk, 100k demo records", per, None, "<= 1 KB",
                   per <= 1024, "sqlite3 db-100k.db 'PRAGMA page_count; PRAGMA freelist_count'",
                   unit=lambda b: "%.0f B" % b)


# ---- (4) browse and dashboard -------------------------------------------------

def bench_browse():
    say("(4) browse: one page of 18 rows at 1,000,000 records (store_list, in process)")
    db = os.path.join(DATA, "db-1m.db")
    runs = 5 if QUICK else 31
    out = subprocess.run([PAGE, db, str(runs)], env=ENV, check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        page, tr, ref, rows = line.split()
        record("browse", "browse, %s page (%s rows; median of %d)" % (page, rows, runs),
               float(tr), float(ref), "<= 20 ms", float(tr) <= 20,
               "build/bench/page db-1m.db %d" % runs)


def report_sql():
    """The statements `talentreg report` runs (store_count for each line of
    report_build, as an admin), with the values written in."""
    def ini(path):
        c = configparser.ConfigParser(interpolation=None, strict=False)
        c.read(path, encoding="utf-8-sig")
        return c

    cfg = os.path.join(CONF, "config")
    statuses = ("status = 'approved'", "status = 'submitted'", "status <> 'withdrawn'")
    sql = []
    t = ini(os.path.join(cfg, "targets.ini"))
    # the count groups of people (src/store_schema.c): everyone, each team,
    # each target
    groups = ["*"] + [s for s in t.sections() if s.startswith("team.")]
    targets = [s for s in t.sections() if s.startswith("target.")]
    towns = [ini(os.path.join(cfg, "areas.ini")).get(s, "name")
             for s in ini(os.path.join(cfg, "areas.ini")).sections() if s.startswith("township.")]
    for group in groups:
        for st in ("approved", "submitted", "*"):
            sql.append("SELECT c FROM people_count WHERE team = '%s' AND status = '%s'"
                       " AND township = '*';" % (group, st))
    for path in sorted(glob.glob(os.path.join(CONF, "forms", "*.ini"))):
        f = ini(path)
        if f.get("form", "abstract", fallback="no") == "yes":
            continue
        for st in statuses:
            sql.append("SELECT coalesce(sum(n), 0), 0 FROM record_count WHERE %s"
                       " AND category IN ('%s');" % (st, f.get("form", "key")))
    for target in targets:
        for st in ("approved", "submitted", "*"):
            sql.append("SELECT c FROM people_count WHERE team = '%s' AND status = '%s'"
                       " AND township = '*';" % (target, st))
    for town in towns:
        for st in ("approved", "submitted", "*"):
            sql.append("SELECT c FROM people_count WHERE team = '*' AND status = '%s'"
                       " AND township = '%s';" % (st, town))
    return "\n".join(sql) + "\n"


def bench_dashboard():
    say("(4) dashboard at 1,000,000 records: talentreg report")
    db = os.path.join(DATA, "db-1m.db")
    script = os.path.join(DATA, "report.sql")
    with open(script, "w") as f:
        f.write(report_sql())
    runs = 1 if QUICK else 3
    tr, ref, tc, rc = hyperfine([[TR, "--db", db, "report"],
                                 ["sqlite3", "-init", script, db, ".quit"]], runs, warmup=1)
    record("dashboard", "report (median of %d)" % runs, tr, ref, "<= 100 ms", tr <= 100,
           "talentreg report | sqlite3 -init report.sql db-1m.db .quit", cpu=(tc, rc))


# ---- (5) typing --------------------------------------------------------------

def bench_typing():
    say("(5) bytes written to the terminal for one typed character (tmux pipe-pane -o)")
    # a new database each time: the last run's typing was kept as a draft,
    # which the form would offer first
    db = os.path.join(CONF, "data", "typing.db")
    for f in glob.glob(db + "*"):
        os.unlink(f)
    run([TR, "--db", db, "init"], stdout=subprocess.DEVNULL)
    typing = os.path.join(HERE, "typing.py")
    tr = dict(l.split() for l in subprocess.run(
        [sys.executable, typing, "talentreg", TR, "--db", db], env=ENV, check=True,
        capture_output=True, text=True).stdout.splitlines())
    ref = dict(l.split() for l in subprocess.run(
        [sys.executable, typing, "dialog"], env=ENV, check=True, capture_output=True,
        text=True).stdout.splitlines())
    for k, what in (("ascii", "an ASCII character (a)"), ("chinese", "a Chinese character (王)")):
        t, r = int(tr[k]), int(ref[k])
        record("typing", "typing %s" % what, t, r, "<= 16 B", t <= 16,
               "bench/typing.py talentreg | bench/typing.py dialog (dialog --form)",
               unit=lambda b: "%d B" % b)


# ---- the machine and the summary ----------------------------------------------

def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    sq = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    return "%s, %d cores, %d MB RAM, %s %s, SQLite %s, load average %s" % (
        cpu, os.cpu_count(), mem, platform.system(), platform.release(), sq,
        " ".join(open("/proc/loadavg").read().split()[:3]))


def main():
    only = None
    if "--only" in sys.argv:
        only = sys.argv[sys.argv.index("--only") + 1].split(",")
    want = lambda n: only is None or n in only  # noqa: E731
    for tool in ("hyperfine", "dialog", "tmux", "sqlite3"):
        if shutil.which(tool) is None:
            raise SystemExit("bench: %s is missing (make bench installs it as root)" % tool)
    os.makedirs(DATA, exist_ok=True)
    t0 = time.monotonic()
    say("machine: %s" % machine())
    fresh_conf()
    csv = datasets(any(want(n) for n in ("search", "start", "browse", "dashboard")))
    if want("import"):
        bench_import(csv)
    if want("search"):
        bench_search()
    if want("start"):
        bench_start()
    if want("browse"):
        bench_browse()
    if want("dashboard"):
        bench_dashboard()
    if want("typing"):
        bench_typing()
    say("")
    say("| what | talentreg | reference | ratio | budget | verdict |")
    say("| --- | --- | --- | --- | --- | --- |")
    for r in RESULTS:
        say("| %s | %s | %s | %s | %s | %s |" % (r["what"], r["talentreg"], r["reference"],
                                                 r["ratio"], r["budget"], r["verdict"]))
    say("")
    say("machine at the end: %s; %.0f s in all" % (machine(), time.monotonic() - t0))
    with open(os.path.join(DATA, "results.json"), "w") as f:
        json.dump({"machine": machine(), "results": RESULTS}, f, ensure_ascii=False, indent=1)


main()
