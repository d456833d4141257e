#!/usr/bin/env python3
"""Builds a large talentreg database fast, for the benchmarks.

usage: build_db.py BASE N OUT

BASE is a database made by `talentreg init --demo M` (bench/run.sh makes it
with M = 20,000, which takes seconds where `init --demo 1000000` takes
minutes). OUT becomes a copy of BASE multiplied to N records: copy k of each
demo record gets a new uuid, a new valid ID number (same birth date and
gender, a sequence number no other record uses, the GB 11643 check digit) in
person_key and in its values, an updated_at k weeks and a few hours older,
and a status spread like a working registry's (about half approved, 40%
submitted, 5% returned with a comment, 5% withdrawn). The copies go in with
INSERT ... SELECT through the records table's own triggers, so the FTS5
index and the running counts of people are kept exactly as talentreg keeps
them. No ANALYZE: talentreg never runs one, so the query plans are the ones a
real database gets. The work is done in OUT.tmp and renamed at the end, so an
interrupted build leaves no half database behind.
"""
import os
import random
import shutil
import sqlite3
import sys
import time
import uuid

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
STATUSES = ["approved"] * 10 + ["submitted"] * 8 + ["returned", "withdrawn"]


class Ids:
    """Hands out new ID numbers of area+birth date like an old one, with
    a sequence number (positions 15-17, the last one's parity the gender)
    that no record of the database uses yet."""

    def __init__(self, used):
        self.used, self.cursor = {}, {}
        for pk in used:
            self.used.setdefault(pk[:14], set()).add(int(pk[14:17]))

    def new(self, old):
        date, parity = old[:14], int(old[16]) % 2
        used = self.used.setdefault(date, set())
        seq = self.cursor.get((date, parity), parity)
        while seq in used:
            seq += 2
        if seq > 999:
            raise SystemExit("build_db: more than 500 people born on %s" % old[6:14])
        used.add(seq)
        self.cursor[(date, parity)] = seq + 2
        body = "%s%03d" % (date, seq)
        return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def main():
    sqlite3.enable_callback_tracebacks(True)
    base, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    t0 = time.monotonic()
    tmp = out + ".tmp"
    for f in (tmp, tmp + "-wal", tmp + "-shm"):
        if os.path.exists(f):
            os.unlink(f)
    src = sqlite3.connect(base)
    dst = sqlite3.connect(tmp, isolation_level=None)
    src.backup(dst)
    src.close()
    db = dst
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -1048576")
    db.execute("PRAGMA temp_store = MEMORY")
    rows = db.execute("SELECT count(*), max(id) FROM records").fetchone()
    have, last = rows
    copies = (n + have - 1) // have - 1
    ids = Ids(pk for (pk,) in db.execute("SELECT person_key FROM records"))
    rnd = random.Random(20221)
    memo = {}

    def new_id(pk, k):
        key = (pk, k)
        if key not in memo:
            memo[key] = ids.new(pk)
        return memo[key]

    db.create_function("bench_id", 2, new_id, deterministic=True)
    db.create_function("bench_uuid", 0, lambda: str(uuid.UUID(int=rnd.getrandbits(128), version=4)))
    db.create_function("bench_status", 1, lambda i: STATUSES[(i * 7919) % len(STATUSES)],
                       deterministic=True)
    db.execute("BEGIN")
    for k in range(1, copies + 1):
        left = n - have * k
        if left <= 0:
            break
        memo.clear()
        db.execute(
            "INSERT INTO records(uuid, category, status, vals, comment, created_by,"
            " created_ms, updated_by, updated_ms, version, site)"
            " SELECT bench_uuid(), category, st, json_set(vals, '$.id_number', pk),"
            "  CASE st WHEN 'returned' THEN '请补充任职证明材料' END,"
            "  created_by, created_ms, updated_by,"
            "  updated_ms - ?1 * 86400000 + (id * 37 % 86400) * 1000,"
            "  version, site"
            " FROM (SELECT *, bench_id(person_key, ?2) AS pk, bench_status(id + ?2 * ?3) AS st"
            "       FROM records WHERE id <= ?3 ORDER BY id LIMIT ?4)",
            (7 * k, k, last, left))
        sys.stderr.write("\rbuild_db: %d records" % (have * (k + 1)))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = db.execute("SELECT count(*) FROM records").fetchone()[0]
    db.close()
    os.replace(tmp, out)
    for f in (tmp + "-wal", tmp + "-shm"):
        if os.path.exists(f):
            os.unlink(f)
    sys.stderr.write("\rbuild_db: %s: %d records in %.0f s\n" % (out, total, time.monotonic() - t0))


main()
