/*
 * store_schema.c - the database's shape and its connection: the schema as
 * a list of migrations, the triggers that keep the search index and the
 * running counts in step with records, opening (the file, its mode, WAL and
 * the pragmas), migrating to STORE_SCHEMA_VERSION, and closing.
 */
#include "store_int.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * The triggers that keep the search index and the running counts in step
 * with records (schema versions 3, 5, 6 and 7), named here because a bulk add
 * (st_bulk_begin/st_bulk_end, store_stats.c) drops the insert triggers
 * inside its transaction, adds the rows, does their work once with a
 * set-based statement and creates them again from the same text
 * (st_insert_triggers_create below). Change one only with a new migration
 * that drops and creates it.
 *
 * people: for each count group (see count_group), status (and '*', every
 * live status), person (or, for a keyed group, the key) and township, how
 * many live records; a group is
 * '*' (everyone), 'team.KEY' or 'target.KEY' (targets.ini's sections).
 * people_count: how many distinct people each (group, status, township)
 * and each (group, status, '*') has. record_count: records by category,
 * status and township, for the report's category lines and the queue.
 */
#define ST_TRIGGER_FTS_AI \
	"CREATE TRIGGER records_fts_ai AFTER INSERT ON records BEGIN" \
	" INSERT INTO records_fts(rowid, name, person_key, phone, village)" \
	"  VALUES (new.id, new.name, new.person_key, new.phone, new.village);" \
	" END;"
/* since version 7 the trigram index holds names and villages only: a
 * search never compares the digits of an ID or phone with a part of the
 * query (store_query.c), so indexing them only cost room and time */
#define ST_TRIGGER_FTS7_AI \
	"CREATE TRIGGER records_fts_ai AFTER INSERT ON records BEGIN" \
	" INSERT INTO records_fts(rowid, name, village) VALUES (new.id, new.name, new.village);" \
	" END;"
#define ST_TRIGGER_PEOPLE_COUNT_AI \
	"CREATE TRIGGER people_count_ai AFTER INSERT ON people BEGIN" \
	" INSERT INTO people_count VALUES (new.team, new.status, new.township, 1)" \
	"  ON CONFLICT DO UPDATE SET c = c + 1;" \
	" INSERT INTO people_count SELECT new.team, new.status, '*', 1 WHERE NOT EXISTS" \
	"  (SELECT 1 FROM people WHERE team = new.team AND status = new.status" \
	"   AND person_key = new.person_key AND township <> new.township)" \
	"  ON CONFLICT DO UPDATE SET c = c + 1;" \
	" END;"
#define ST_TRIGGER_PEOPLE_COUNT_AD \
	"CREATE TRIGGER people_count_ad AFTER DELETE ON people BEGIN" \
	" UPDATE people_count SET c = c - 1" \
	"  WHERE team = old.team AND status = old.status AND township = old.township;" \
	" UPDATE people_count SET c = c - 1" \
	"  WHERE team = old.team AND status = old.status AND township = '*' AND NOT EXISTS" \
	"  (SELECT 1 FROM people WHERE team = old.team AND status = old.status" \
	"   AND person_key = old.person_key);" \
	" END;"
/* the count groups record r (new or old) is in, '*' included */
#define ST_GROUPS_OF(r) \
	"SELECT grp FROM count_group WHERE category = " r ".category AND (field IS NULL" \
	" OR json_extract(" r ".vals, '$.\"' || field || '\"') IS value) UNION ALL SELECT '*'"
/* a live record adds one to its rows of people; leaving removes it */
#define ST_PEOPLE_ADD(r) \
	" INSERT INTO people(team, status, person_key, township, n)" \
	"  SELECT g.grp, s.status, " r ".person_key, coalesce(" r ".township, ''), 1" \
	"  FROM (" ST_GROUPS_OF(r) ") AS g," \
	"       (SELECT " r ".status AS status UNION ALL SELECT '*') AS s WHERE true" \
	"  ON CONFLICT DO UPDATE SET n = n + 1;"
#define ST_PEOPLE_REMOVE(r) \
	" UPDATE people SET n = n - 1 WHERE person_key = " r ".person_key" \
	"  AND township = coalesce(" r ".township, '') AND status IN (" r ".status, '*')" \
	"  AND team IN (" ST_GROUPS_OF(r) ");" \
	" DELETE FROM people WHERE person_key = " r ".person_key" \
	"  AND township = coalesce(" r ".township, '') AND n <= 0;"
#define ST_TRIGGER_PEOPLE_AI \
	"CREATE TRIGGER people_ai AFTER INSERT ON records WHEN new.status <> 'withdrawn' BEGIN" \
	ST_PEOPLE_ADD("new") " END;"
#define ST_RECORD_COUNT_ADD(r) \
	" INSERT INTO record_count VALUES (" r ".category, " r ".status," \
	"  coalesce(" r ".township, ''), 1) ON CONFLICT DO UPDATE SET n = n + 1;"
#define ST_TRIGGER_RECORD_COUNT_AI \
	"CREATE TRIGGER record_count_ai AFTER INSERT ON records BEGIN" \
	ST_RECORD_COUNT_ADD("new") " END;"

/* Schema 7: a count group's conditions are a JSON array (count_group.conds,
 * ST_CONDS_HOLD in store_int.h), so that a target may ask several things
 * of a record and span several categories (a group row per category); and
 * a group may count something else than people: with count_group.keyed,
 * the value of that field (a coverage target's village, or its text that
 * lists villages), so that people_count holds how many villages of each
 * township a coverage target covers. A record's groups come with the key
 * it counts under in each (k); an empty key counts nothing. */
#define ST_GROUPS_OF7(r) \
	"SELECT grp, CASE WHEN keyed IS NULL THEN " r ".person_key" \
	" ELSE json_extract(" r ".vals, '$.\"' || keyed || '\"') END AS k" \
	" FROM count_group g WHERE category = " r ".category AND " \
	ST_CONDS_HOLD("g.conds", r ".vals") " UNION ALL SELECT '*', " r ".person_key"
#define ST_PEOPLE_ADD8(r) \
	" INSERT INTO people(team, status, person_key, township, n)" \
	"  SELECT g.grp, s.status, g.k, coalesce(" r ".township, ''), 1" \
	"  FROM (" ST_GROUPS_OF7(r) ") AS g," \
	"       (SELECT " r ".status AS status UNION ALL SELECT '*') AS s" \
	"  WHERE g.k IS NOT NULL AND g.k <> ''" \
	"  ON CONFLICT DO UPDATE SET n = n + 1;"
#define ST_PEOPLE_REMOVE8(r) \
	" UPDATE people SET n = n - 1 WHERE township = coalesce(" r ".township, '')" \
	"  AND status IN (" r ".status, '*')" \
	"  AND (team, person_key) IN (SELECT grp, k FROM (" ST_GROUPS_OF7(r) "));" \
	" DELETE FROM people WHERE township = coalesce(" r ".township, '') AND n <= 0" \
	"  AND (team, person_key) IN (SELECT grp, k FROM (" ST_GROUPS_OF7(r) "));"
#define ST_TRIGGER_PEOPLE_AI8 \
	"CREATE TRIGGER people_ai AFTER INSERT ON records WHEN new.status <> 'withdrawn' BEGIN" \
	ST_PEOPLE_ADD8("new") " END;"

/* Schema 12: people are counted from the records themselves, without a
 * row per person. A record is in a (group, status, township) of
 * people_count (its person groups: '*' and the groups of count_group that
 * count people, whose conditions it meets; its status and '*'; its
 * township and '*') and counts there only when no other live record of
 * the same person is: on entering, one is added where none was; on
 * leaving, one is taken where none stays. The other records of a person
 * are found by person_key, one step of an index, and are few. Each step
 * looks at every record but its own as it is at that moment, so the order
 * of a row's triggers, and of the rows of one statement, does not matter.
 * people keeps only the keyed groups (a coverage target's villages), whose
 * "other records" share a value of any field and have no index. */
#define ST_PERSON_GROUPS_OF(r) \
	"SELECT grp FROM count_group g WHERE category = " r ".category AND keyed IS NULL" \
	" AND " ST_CONDS_HOLD("g.conds", r ".vals") " UNION ALL SELECT '*'"
/* the slots of people_count record r counts in and no other record of its
 * person does */
#define ST_PERSON_SLOTS(r) \
	"SELECT g.grp AS grp, s.status AS status, t.township AS township" \
	" FROM (" ST_PERSON_GROUPS_OF(r) ") AS g," \
	"  (SELECT " r ".status AS status UNION ALL SELECT '*') AS s," \
	"  (SELECT coalesce(" r ".township, '') AS township UNION ALL SELECT '*') AS t" \
	" WHERE " r ".person_key <> '' AND NOT EXISTS (SELECT 1 FROM records o" \
	"  WHERE o.person_key = " r ".person_key AND o.id <> " r ".id AND " \
	ST_RECORD_IN_SLOT("o", "g.grp", "s.status", "t.township") ")"
#define ST_PERSON_ADD(r) \
	" INSERT INTO people_count(team, status, township, c)" \
	"  SELECT grp, status, township, 1 FROM (" ST_PERSON_SLOTS(r) ") WHERE true" \
	"  ON CONFLICT DO UPDATE SET c = c + 1;"
#define ST_PERSON_REMOVE(r) \
	" UPDATE people_count SET c = c - 1 WHERE (team, status, township) IN" \
	"  (" ST_PERSON_SLOTS(r) ");"
/* a keyed group's rows of people, as ST_PEOPLE_ADD8 and ST_PEOPLE_REMOVE8
 * kept them for every group */
#define ST_KEYED_GROUPS_OF(r) \
	"SELECT grp, json_extract(" r ".vals, '$.\"' || keyed || '\"') AS k" \
	" FROM count_group g WHERE category = " r ".category AND keyed IS NOT NULL" \
	" AND " ST_CONDS_HOLD("g.conds", r ".vals")
#define ST_KEYED_ADD(r) \
	" INSERT INTO people(team, status, person_key, township, n)" \
	"  SELECT g.grp, s.status, g.k, coalesce(" r ".township, ''), 1" \
	"  FROM (" ST_KEYED_GROUPS_OF(r) ") AS g," \
	"       (SELECT " r ".status AS status UNION ALL SELECT '*') AS s" \
	"  WHERE g.k IS NOT NULL AND g.k <> ''" \
	"  ON CONFLICT DO UPDATE SET n = n + 1;"
#define ST_KEYED_REMOVE(r) \
	" UPDATE people SET n = n - 1 WHERE township = coalesce(" r ".township, '')" \
	"  AND status IN (" r ".status, '*')" \
	"  AND (team, person_key) IN (SELECT grp, k FROM (" ST_KEYED_GROUPS_OF(r) "));" \
	" DELETE FROM people WHERE township = coalesce(" r ".township, '') AND n <= 0" \
	"  AND (team, person_key) IN (SELECT grp, k FROM (" ST_KEYED_GROUPS_OF(r) "));"
#define ST_TRIGGER_PEOPLE_AI12 \
	"CREATE TRIGGER people_ai AFTER INSERT ON records WHEN new.status <> 'withdrawn' BEGIN" \
	ST_PERSON_ADD("new") ST_KEYED_ADD("new") " END;"
/* the four people triggers; cols: the columns whose update moves a record */
#define ST_TRIGGERS_PEOPLE12(cols) \
	ST_TRIGGER_PEOPLE_AI12 \
	"CREATE TRIGGER people_ad AFTER DELETE ON records WHEN old.status <> 'withdrawn' BEGIN" \
	ST_PERSON_REMOVE("old") ST_KEYED_REMOVE("old") " END;" \
	"CREATE TRIGGER people_au_old AFTER UPDATE OF " cols \
	" ON records WHEN old.status <> 'withdrawn' BEGIN" \
	ST_PERSON_REMOVE("old") ST_KEYED_REMOVE("old") " END;" \
	"CREATE TRIGGER people_au_new AFTER UPDATE OF " cols \
	" ON records WHEN new.status <> 'withdrawn' BEGIN" \
	ST_PERSON_ADD("new") ST_KEYED_ADD("new") " END;"

/* Every 1- and 2-character piece of a record's name and village, with its
 * id, from src: a SELECT of (id, name, village). A search shorter than a
 * trigram finds its records by exact match on these (schema version 6). */
#define ST_GRAMS(src) \
	" WITH RECURSIVE c(id, name, village, i) AS (" \
	"  SELECT id, name, coalesce(village, ''), 1 FROM (" src ")" \
	"  UNION ALL SELECT id, name, village, i + 1 FROM c" \
	"   WHERE i < max(length(name), length(village)))" \
	" SELECT substr(name, i, 1) AS gram, id FROM c WHERE i <= length(name)" \
	" UNION SELECT substr(name, i, 2), id FROM c WHERE i < length(name)" \
	" UNION SELECT substr(village, i, 1), id FROM c WHERE i <= length(village)" \
	" UNION SELECT substr(village, i, 2), id FROM c WHERE i < length(village)"
#define ST_ROW_OF(r) \
	"SELECT " r ".id AS id, " r ".name AS name, " r ".village AS village"
#define ST_GRAMS_ADD(r) " INSERT INTO records_grams(gram, id)" ST_GRAMS(ST_ROW_OF(r)) ";"
#define ST_GRAMS_REMOVE(r) \
	" DELETE FROM records_grams WHERE id = " r ".id AND gram IN" \
	"  (SELECT gram FROM (" ST_GRAMS(ST_ROW_OF(r)) "));"
/* Since version 7 the pieces are of names only, one row per record and
 * piece; a village's pieces are kept once per village (village_grams), and
 * its records found by records_village: a village is shared by hundreds of
 * records, whose rows of pieces cost more than the search they serve. */
#define ST_NAME_GRAMS(src) \
	" WITH RECURSIVE c(id, name, i) AS (" \
	"  SELECT id, name, 1 FROM (" src ")" \
	"  UNION ALL SELECT id, name, i + 1 FROM c WHERE i < length(name))" \
	" SELECT substr(name, i, 1) AS gram, id FROM c" \
	" UNION ALL SELECT substr(name, i, 2), id FROM c WHERE i < length(name)"
#define ST_NAME_ROW_OF(r) "SELECT " r ".id AS id, " r ".name AS name"
#define ST_VILLAGE_GRAMS(src) \
	" WITH RECURSIVE c(village, i) AS (" \
	"  SELECT village, 1 FROM (" src ") WHERE village IS NOT NULL AND village <> ''" \
	"  UNION ALL SELECT village, i + 1 FROM c WHERE i < length(village))" \
	" SELECT substr(village, i, 1), village FROM c" \
	" UNION ALL SELECT substr(village, i, 2), village FROM c WHERE i < length(village)"
#define ST_GRAMS7_ADD(r) \
	" INSERT OR IGNORE INTO records_grams(gram, id)" ST_NAME_GRAMS(ST_NAME_ROW_OF(r)) ";" \
	" INSERT OR IGNORE INTO village_grams(gram, village)" \
	ST_VILLAGE_GRAMS("SELECT " r ".village AS village") ";"
#define ST_GRAMS7_REMOVE(r) " DELETE FROM records_grams WHERE id = " r ".id;"
#define ST_TRIGGER_GRAMS7_AI \
	"CREATE TRIGGER records_grams_ai AFTER INSERT ON records BEGIN" ST_GRAMS7_ADD("new") " END;"
#define ST_TRIGGER_GRAMS_AI \
	"CREATE TRIGGER records_grams_ai AFTER INSERT ON records BEGIN" ST_GRAMS_ADD("new") " END;"

/* The schema, one entry per version: entry i takes a database from version
 * i to version i + 1. Entries are only ever appended, never edited. */
static const char *const migrations[] = {
	/* version 1 */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE records("
	" id INTEGER PRIMARY KEY,"
	" uuid TEXT NOT NULL UNIQUE,"
	" category TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('draft','submitted','approved','returned','withdrawn')),"
	" person_key TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" township TEXT,"
	" village TEXT,"
	" phone TEXT,"
	" vals TEXT NOT NULL CHECK (json_valid(vals)),"
	" comment TEXT,"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" updated_by TEXT NOT NULL,"
	" updated_at TEXT NOT NULL,"
	" version INTEGER NOT NULL,"
	" site TEXT NOT NULL);"
	/* one live registration per person and category */
	"CREATE UNIQUE INDEX records_person_live ON records(category, person_key)"
	" WHERE status <> 'withdrawn';"
	/* browse order and keyset paging, alone and under each filter */
	"CREATE INDEX records_updated ON records(updated_at DESC, uuid DESC);"
	"CREATE INDEX records_township ON records(township, updated_at DESC, uuid DESC);"
	"CREATE INDEX records_status ON records(status, updated_at DESC, uuid DESC);"
	"CREATE INDEX records_category ON records(category, updated_at DESC, uuid DESC);"
	"CREATE INDEX records_person_key ON records(person_key);"
	/* search of 3+ characters; kept in step by the triggers (the FTS5
	 * documentation's external-content form) */
	"CREATE VIRTUAL TABLE records_fts USING fts5(name, person_key, phone, village,"
	" content='records', content_rowid='id', tokenize='trigram');"
	"CREATE TRIGGER records_fts_ai AFTER INSERT ON records BEGIN"
	" INSERT INTO records_fts(rowid, name, person_key, phone, village)"
	"  VALUES (new.id, new.name, new.person_key, new.phone, new.village);"
	" END;"
	"CREATE TRIGGER records_fts_ad AFTER DELETE ON records BEGIN"
	" INSERT INTO records_fts(records_fts, rowid, name, person_key, phone, village)"
	"  VALUES ('delete', old.id, old.name, old.person_key, old.phone, old.village);"
	" END;"
	"CREATE TRIGGER records_fts_au AFTER UPDATE OF name, person_key, phone, village"
	" ON records BEGIN"
	" INSERT INTO records_fts(records_fts, rowid, name, person_key, phone, village)"
	"  VALUES ('delete', old.id, old.name, old.person_key, old.phone, old.village);"
	" INSERT INTO records_fts(rowid, name, person_key, phone, village)"
	"  VALUES (new.id, new.name, new.person_key, new.phone, new.village);"
	" END;"
	"CREATE TABLE audit("
	" id INTEGER PRIMARY KEY,"
	" at TEXT NOT NULL,"
	" login TEXT NOT NULL,"
	" as_user TEXT,"
	" action TEXT NOT NULL,"
	" uuid TEXT,"
	" old_vals TEXT,"
	" new_vals TEXT,"
	" comment TEXT);"
	"CREATE INDEX audit_uuid ON audit(uuid, id);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
	" SELECT RAISE(ABORT, 'audit is append-only');"
	" END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
	" SELECT RAISE(ABORT, 'audit is append-only');"
	" END;"
	"CREATE TABLE drafts("
	" login TEXT NOT NULL,"
	" form TEXT NOT NULL,"
	" vals TEXT NOT NULL,"
	" updated_at TEXT NOT NULL,"
	" PRIMARY KEY (login, form));",
	/* version 2: offline site sync (store_sync.c). sync_shadow: every record
	 * as this database last exported it; sync_seen: per sending site and
	 * uuid, the site's version last received and ours just after;
	 * sync_bundles: bundles applied, by checksum; sync_conflicts: rows
	 * changed on both sides, kept for a supervisor, never deleted. */
	"CREATE TABLE sync_shadow("
	" uuid TEXT PRIMARY KEY, category TEXT, status TEXT, person_key TEXT, name TEXT,"
	" township TEXT, village TEXT, phone TEXT, vals TEXT, comment TEXT,"
	" created_by TEXT, created_at TEXT, updated_by TEXT, updated_at TEXT,"
	" version INTEGER, site TEXT) WITHOUT ROWID;"
	"CREATE TABLE sync_seen("
	" site TEXT NOT NULL,"
	" uuid TEXT NOT NULL,"
	" version INTEGER NOT NULL,"
	" local_version INTEGER NOT NULL,"
	" PRIMARY KEY (site, uuid)) WITHOUT ROWID;"
	"CREATE TABLE sync_bundles("
	" sha256 TEXT PRIMARY KEY,"
	" site TEXT NOT NULL,"
	" exported_at TEXT NOT NULL,"
	" rows INTEGER NOT NULL,"
	" applied_at TEXT NOT NULL,"
	" applied_by TEXT NOT NULL,"
	" inserted INTEGER NOT NULL,"
	" updated INTEGER NOT NULL,"
	" unchanged INTEGER NOT NULL,"
	" conflicts INTEGER NOT NULL);"
	"CREATE TABLE sync_conflicts("
	" id INTEGER PRIMARY KEY,"
	" site TEXT NOT NULL,"
	" uuid TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('edited','duplicate')),"
	" incoming TEXT NOT NULL CHECK (json_valid(incoming)),"
	" incoming_version INTEGER NOT NULL,"
	" local_version INTEGER NOT NULL,"
	" other_uuid TEXT,"
	" bundle TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" resolution TEXT CHECK (resolution IN ('keep','take','superseded')),"
	" resolved_by TEXT,"
	" resolved_at TEXT,"
	" comment TEXT,"
	" UNIQUE (site, uuid, incoming_version));"
	"CREATE INDEX sync_conflicts_open ON sync_conflicts(uuid) WHERE resolution IS NULL;"
	"CREATE TRIGGER sync_conflicts_no_delete BEFORE DELETE ON sync_conflicts BEGIN"
	" SELECT RAISE(ABORT, 'sync conflicts are kept');"
	" END;",
	/* version 3: people counted as they are registered (store_stats.c), so
	 * the home screen and the report need no COUNT(DISTINCT) over all
	 * records. people: for each team (and '*', all teams), status (and '*',
	 * every live status), person and township, how many live records;
	 * people_count: how many distinct people each (team, status, township)
	 * and each (team, status, '*') has. category_team is the forms' team
	 * of each category, kept by store_set_teams(). Triggers keep both. */
	"CREATE TABLE category_team(category TEXT PRIMARY KEY, team TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE people("
	" team TEXT NOT NULL, status TEXT NOT NULL, person_key TEXT NOT NULL,"
	" township TEXT NOT NULL, n INTEGER NOT NULL,"
	" PRIMARY KEY (team, status, person_key, township)) WITHOUT ROWID;"
	"CREATE INDEX people_township ON people(team, status, township);"
	"CREATE TABLE people_count("
	" team TEXT NOT NULL, status TEXT NOT NULL, township TEXT NOT NULL, c INTEGER NOT NULL,"
	" PRIMARY KEY (team, status, township)) WITHOUT ROWID;"
	"CREATE TRIGGER people_count_ai AFTER INSERT ON people BEGIN"
	" INSERT INTO people_count VALUES (new.team, new.status, new.township, 1)"
	"  ON CONFLICT DO UPDATE SET c = c + 1;"
	" INSERT INTO people_count SELECT new.team, new.status, '*', 1 WHERE NOT EXISTS"
	"  (SELECT 1 FROM people WHERE team = new.team AND status = new.status"
	"   AND person_key = new.person_key AND township <> new.township)"
	"  ON CONFLICT DO UPDATE SET c = c + 1;"
	" END;"
	"CREATE TRIGGER people_count_ad AFTER DELETE ON people BEGIN"
	" UPDATE people_count SET c = c - 1"
	"  WHERE team = old.team AND status = old.status AND township = old.township;"
	" UPDATE people_count SET c = c - 1"
	"  WHERE team = old.team AND status = old.status AND township = '*' AND NOT EXISTS"
	"  (SELECT 1 FROM people WHERE team = old.team AND status = old.status"
	"   AND person_key = old.person_key);"
	" END;"
	/* a live record adds one to its four rows of people; leaving removes it */
#define PEOPLE_ADD(r) \
	" INSERT INTO people(team, status, person_key, township, n)" \
	"  SELECT t.team, s.status, " r ".person_key, coalesce(" r ".township, ''), 1" \
	"  FROM (SELECT team FROM category_team WHERE category = " r ".category" \
	"        UNION ALL SELECT '*') AS t," \
	"       (SELECT " r ".status AS status UNION ALL SELECT '*') AS s WHERE true" \
	"  ON CONFLICT DO UPDATE SET n = n + 1;"
#define PEOPLE_REMOVE(r) \
	" UPDATE people SET n = n - 1 WHERE person_key = " r ".person_key" \
	"  AND township = coalesce(" r ".township, '') AND status IN (" r ".status, '*')" \
	"  AND team IN ((SELECT team FROM category_team WHERE category = " r ".category), '*');" \
	" DELETE FROM people WHERE person_key = " r ".person_key" \
	"  AND township = coalesce(" r ".township, '') AND n <= 0;"
	"CREATE TRIGGER people_ai AFTER INSERT ON records WHEN new.status <> 'withdrawn' BEGIN"
	PEOPLE_ADD("new") " END;"
	"CREATE TRIGGER people_ad AFTER DELETE ON records WHEN old.status <> 'withdrawn' BEGIN"
	PEOPLE_REMOVE("old") " END;"
	"CREATE TRIGGER people_au_old AFTER UPDATE OF status, category, person_key, township"
	" ON records WHEN old.status <> 'withdrawn' BEGIN" PEOPLE_REMOVE("old") " END;"
	"CREATE TRIGGER people_au_new AFTER UPDATE OF status, category, person_key, township"
	" ON records WHEN new.status <> 'withdrawn' BEGIN" PEOPLE_ADD("new") " END;"
	/* records of a category by status, for the report's category lines */
	"CREATE INDEX records_category_status ON records(category, status, township);",
#undef PEOPLE_ADD
#undef PEOPLE_REMOVE
	/* version 4: two indexes for budgets bench/ found over (bench/README.md).
	 * The home screen counts and lists the records returned to me: by
	 * status alone that read every returned record's row to check who made
	 * it. And the browse order carries the searchable columns, so a search
	 * of 1-2 characters (a scan in that order) tests each record on the
	 * index and reads only the rows it finds. */
	"CREATE INDEX records_created_by ON records(created_by, status, updated_at DESC, uuid DESC);"
	"DROP INDEX records_updated;"
	"CREATE INDEX records_updated_search ON records(updated_at DESC, uuid DESC, status,"
	" name, person_key, phone, village);",
	/* version 5: running counts for the report's category and target lines
	 * (bench/README.md), and triggers a bulk add can set aside (their text
	 * is above). count_group replaces category_team: each category's
	 * team, as 'team.KEY', and each target of targets.ini, as 'target.KEY',
	 * with its condition (field IS NULL: none). value has no type, so that
	 * it is compared as json_extract() is elsewhere, with no conversion.
	 * The counts of people are emptied: store_set_counts() finds the new
	 * groups missing and counts everyone again. */
	"DROP TRIGGER people_ai; DROP TRIGGER people_ad;"
	"DROP TRIGGER people_au_old; DROP TRIGGER people_au_new;"
	"DROP TABLE category_team;"
	"DELETE FROM people; DELETE FROM people_count;"
	"CREATE TABLE count_group(category TEXT NOT NULL, grp TEXT NOT NULL, field TEXT, value,"
	" PRIMARY KEY (category, grp)) WITHOUT ROWID;"
	ST_TRIGGER_PEOPLE_AI
	"CREATE TRIGGER people_ad AFTER DELETE ON records WHEN old.status <> 'withdrawn' BEGIN"
	ST_PEOPLE_REMOVE("old") " END;"
	"CREATE TRIGGER people_au_old AFTER UPDATE OF status, category, person_key, township, vals"
	" ON records WHEN old.status <> 'withdrawn' BEGIN" ST_PEOPLE_REMOVE("old") " END;"
	"CREATE TRIGGER people_au_new AFTER UPDATE OF status, category, person_key, township, vals"
	" ON records WHEN new.status <> 'withdrawn' BEGIN" ST_PEOPLE_ADD("new") " END;"
	"CREATE TABLE record_count(category TEXT NOT NULL, status TEXT NOT NULL,"
	" township TEXT NOT NULL, n INTEGER NOT NULL,"
	" PRIMARY KEY (category, status, township)) WITHOUT ROWID;"
	"INSERT INTO record_count SELECT category, status, coalesce(township, ''), count(*)"
	" FROM records GROUP BY 1, 2, 3;"
	ST_TRIGGER_RECORD_COUNT_AI
	"CREATE TRIGGER record_count_ad AFTER DELETE ON records BEGIN"
	" UPDATE record_count SET n = n - 1 WHERE category = old.category"
	"  AND status = old.status AND township = coalesce(old.township, '');"
	" END;"
	"CREATE TRIGGER record_count_au AFTER UPDATE OF category, status, township ON records BEGIN"
	" UPDATE record_count SET n = n - 1 WHERE category = old.category"
	"  AND status = old.status AND township = coalesce(old.township, '');"
	ST_RECORD_COUNT_ADD("new") " END;",
	/* version 6: a search of 1-2 characters found by an index instead of
	 * a scan (bench/README.md): every 1- and 2-character piece of each
	 * record's name and village (ST_GRAMS above), kept by triggers. */
	"CREATE TABLE records_grams(gram TEXT NOT NULL, id INTEGER NOT NULL,"
	" PRIMARY KEY (gram, id)) WITHOUT ROWID;"
	"INSERT INTO records_grams(gram, id)" ST_GRAMS("SELECT id, name, village FROM records") ";"
	ST_TRIGGER_GRAMS_AI
	"CREATE TRIGGER records_grams_ad AFTER DELETE ON records BEGIN"
	ST_GRAMS_REMOVE("old") " END;"
	"CREATE TRIGGER records_grams_au AFTER UPDATE OF name, village ON records BEGIN"
	ST_GRAMS_REMOVE("old") ST_GRAMS_ADD("new") " END;",
	/* version 7: a leaner write path (bench/README.md, issue 11), every
	 * search and count kept. The browse-order indexes break ties by the
	 * rowid (every index holds it) instead of a 36-character uuid, ascending
	 * so that a backward walk gives the newest first; the trigram index
	 * holds names and villages only, and a whole phone number is found by
	 * an index of its own; people_township and records_category_status,
	 * which no query needs since the running counts (versions 5 and 6), go. */
	"DROP INDEX people_township; DROP INDEX records_category_status;"
	"DROP INDEX records_township; DROP INDEX records_status; DROP INDEX records_category;"
	"DROP INDEX records_created_by; DROP INDEX records_updated_search;"
	"CREATE INDEX records_township ON records(township, updated_at);"
	"CREATE INDEX records_status ON records(status, updated_at);"
	"CREATE INDEX records_category ON records(category, updated_at);"
	"CREATE INDEX records_created_by ON records(created_by, status, updated_at);"
	"CREATE INDEX records_updated_search ON records(updated_at, id, status, name, person_key,"
	" phone, village);"
	"CREATE INDEX records_phone ON records(phone) WHERE phone IS NOT NULL;"
	"DROP TRIGGER records_fts_ai; DROP TRIGGER records_fts_ad; DROP TRIGGER records_fts_au;"
	"DROP TABLE records_fts;"
	"CREATE VIRTUAL TABLE records_fts USING fts5(name, village, content='records',"
	" content_rowid='id', tokenize='trigram');"
	"INSERT INTO records_fts(records_fts) VALUES ('rebuild');"
	ST_TRIGGER_FTS7_AI
	"CREATE TRIGGER records_fts_ad AFTER DELETE ON records BEGIN"
	" INSERT INTO records_fts(records_fts, rowid, name, village)"
	"  VALUES ('delete', old.id, old.name, old.village);"
	" END;"
	"CREATE TRIGGER records_fts_au AFTER UPDATE OF name, village ON records BEGIN"
	" INSERT INTO records_fts(records_fts, rowid, name, village)"
	"  VALUES ('delete', old.id, old.name, old.village);"
	" INSERT INTO records_fts(rowid, name, village) VALUES (new.id, new.name, new.village);"
	" END;"
	"DROP TRIGGER records_grams_ai; DROP TRIGGER records_grams_ad; DROP TRIGGER records_grams_au;"
	"DELETE FROM records_grams;"
	"INSERT OR IGNORE INTO records_grams(gram, id)" ST_NAME_GRAMS("SELECT id, name FROM records") ";"
	"CREATE TABLE village_grams(gram TEXT NOT NULL, village TEXT NOT NULL,"
	" PRIMARY KEY (gram, village)) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO village_grams(gram, village)"
	ST_VILLAGE_GRAMS("SELECT DISTINCT village FROM records") ";"
	"CREATE INDEX records_village ON records(village);"
	ST_TRIGGER_GRAMS7_AI
	"CREATE TRIGGER records_grams_ad AFTER DELETE ON records BEGIN" ST_GRAMS7_REMOVE("old") " END;"
	"CREATE TRIGGER records_grams_au AFTER UPDATE OF name, village ON records BEGIN"
	ST_GRAMS7_REMOVE("old") ST_GRAMS7_ADD("new") " END;",
	/* version 8 (issue 14): the plan beyond counting people.
	 * count_group.conds: a target's conditions, several of them, each of
	 * one or more values (ST_CONDS_HOLD); the people triggers test them.
	 * count_group.keyed: a group that counts the values of a field (the
	 * villages a coverage target covers) instead of people. The counts of
	 * people are emptied, as in version 5, and counted again by
	 * store_set_counts().
	 * task_log: the ledger of the plan's items (tasks.ini): progress notes
	 * with the day they happened, things done toward the item's target and
	 * evidence, and supervisors' closes (销号) and reopens; append-only, like
	 * the audit. person_tags: tags supervisors set on people (by ID number),
	 * kept when removed, so that a report as of a day knows them.
	 * samples and sample_items: spot checks, a random sample of a
	 * township's records, each record checked with a note. audit_at: the
	 * activity of a period. */
	"ALTER TABLE count_group ADD COLUMN conds TEXT;"
	"ALTER TABLE count_group ADD COLUMN keyed TEXT;"
	"DELETE FROM count_group; DELETE FROM people; DELETE FROM people_count;"
	"DROP TRIGGER people_ai; DROP TRIGGER people_ad;"
	"DROP TRIGGER people_au_old; DROP TRIGGER people_au_new;"
	ST_TRIGGER_PEOPLE_AI8
	"CREATE TRIGGER people_ad AFTER DELETE ON records WHEN old.status <> 'withdrawn' BEGIN"
	ST_PEOPLE_REMOVE8("old") " END;"
	"CREATE TRIGGER people_au_old AFTER UPDATE OF status, category, person_key, township, vals"
	" ON records WHEN old.status <> 'withdrawn' BEGIN" ST_PEOPLE_REMOVE8("old") " END;"
	"CREATE TRIGGER people_au_new AFTER UPDATE OF status, category, person_key, township, vals"
	" ON records WHEN new.status <> 'withdrawn' BEGIN" ST_PEOPLE_ADD8("new") " END;"
	"CREATE TABLE task_log("
	" id INTEGER PRIMARY KEY,"
	" item TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('progress','close','reopen')),"
	" on_date TEXT NOT NULL,"
	" amount REAL,"
	" done INTEGER NOT NULL DEFAULT 0,"
	" township TEXT,"
	" note TEXT NOT NULL,"
	" evidence TEXT,"
	" at TEXT NOT NULL,"
	" login TEXT NOT NULL,"
	" as_user TEXT);"
	"CREATE INDEX task_log_item ON task_log(item, id);"
	"CREATE TRIGGER task_log_no_update BEFORE UPDATE ON task_log BEGIN"
	" SELECT RAISE(ABORT, 'the ledger is append-only');"
	" END;"
	"CREATE TRIGGER task_log_no_delete BEFORE DELETE ON task_log BEGIN"
	" SELECT RAISE(ABORT, 'the ledger is append-only');"
	" END;"
	"CREATE TABLE person_tags("
	" id INTEGER PRIMARY KEY,"
	" person_key TEXT NOT NULL,"
	" tag TEXT NOT NULL,"
	" uuid TEXT NOT NULL,"
	" township TEXT,"
	" note TEXT,"
	" set_by TEXT NOT NULL,"
	" set_at TEXT NOT NULL,"
	" removed_by TEXT,"
	" removed_at TEXT,"
	" removed_note TEXT);"
	"CREATE UNIQUE INDEX person_tags_live ON person_tags(person_key, tag)"
	" WHERE removed_at IS NULL;"
	"CREATE INDEX person_tags_tag ON person_tags(tag, person_key);"
	"CREATE TABLE samples("
	" id INTEGER PRIMARY KEY,"
	" township TEXT NOT NULL,"
	" category TEXT,"
	" size INTEGER NOT NULL,"
	" drawn_by TEXT NOT NULL,"
	" drawn_at TEXT NOT NULL);"
	"CREATE TABLE sample_items("
	" sample INTEGER NOT NULL REFERENCES samples(id),"
	" uuid TEXT NOT NULL,"
	" result TEXT CHECK (result IN ('ok','problem')),"
	" note TEXT,"
	" checked_by TEXT,"
	" checked_at TEXT,"
	" PRIMARY KEY (sample, uuid)) WITHOUT ROWID;"
	"CREATE INDEX audit_at ON audit(at);",
	/* version 9 (issue 15): training classes and other events as records
	 * of their own (store_events.c). events: one row per event, its type
	 * (forms/events/TYPE.ini), status as a record's (reviewed like one),
	 * the columns the lists and counts read (title, township, dates,
	 * hours) and every value as JSON. attendance: who attended, by person
	 * (the normalised ID number, once per event whatever the categories),
	 * with the live record it was linked through, copies of the name and
	 * township for lists and counts, how it came (typed, a sign-in sheet,
	 * registered on the spot, an old record's training fields linked) and
	 * by whom. Changes to both are audit rows under the event's uuid. */
	"CREATE TABLE events("
	" id INTEGER PRIMARY KEY,"
	" uuid TEXT NOT NULL UNIQUE,"
	" type TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('draft','submitted','approved','returned','withdrawn')),"
	" title TEXT NOT NULL,"
	" township TEXT,"
	" start_date TEXT NOT NULL,"
	" end_date TEXT,"
	" hours REAL,"
	" vals TEXT NOT NULL CHECK (json_valid(vals)),"
	" comment TEXT,"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" updated_by TEXT NOT NULL,"
	" updated_at TEXT NOT NULL,"
	" version INTEGER NOT NULL,"
	" site TEXT NOT NULL);"
	"CREATE INDEX events_type ON events(type, start_date);"
	"CREATE INDEX events_start ON events(start_date);"
	"CREATE TABLE attendance("
	" event INTEGER NOT NULL REFERENCES events(id),"
	" person_key TEXT NOT NULL,"
	" uuid TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" township TEXT,"
	" source TEXT NOT NULL CHECK (source IN ('typed','sheet','spot','migrated')),"
	" added_by TEXT NOT NULL,"
	" added_at TEXT NOT NULL,"
	" PRIMARY KEY (event, person_key)) WITHOUT ROWID;"
	"CREATE INDEX attendance_person ON attendance(person_key);",
	/* version 10 (issue 12): the database's own key pairs for site bundles
	 * (store_keys.c): made by `sync keygen`, read only by the store's
	 * bundle code, never shown. The newest signs and is sealed to; older
	 * ones still open what was sealed to them. Only ever added. */
	"CREATE TABLE sync_keys(id INTEGER PRIMARY KEY,"
	" public_key TEXT NOT NULL,"
	" sign_sk BLOB NOT NULL CHECK (typeof(sign_sk) = 'blob' AND length(sign_sk) = 64),"
	" box_sk BLOB NOT NULL CHECK (typeof(box_sk) = 'blob' AND length(box_sk) = 32),"
	" made_at TEXT NOT NULL,"
	" made_by TEXT NOT NULL);"
	"CREATE TRIGGER sync_keys_no_update BEFORE UPDATE ON sync_keys BEGIN"
	" SELECT RAISE(ABORT, 'keys are never changed');"
	" END;"
	"CREATE TRIGGER sync_keys_no_delete BEFORE DELETE ON sync_keys BEGIN"
	" SELECT RAISE(ABORT, 'keys are kept');"
	" END;",
	/* version 11 (issue 12): signed bundles between declared peers (store_sync.c).
	 * sync_peers: per peer, the number of the last bundle we sent it and
	 * of the last one we took from it (what our next bundle acknowledges).
	 * sync_state: per peer and record, our version in the last bundle we
	 * sent it (and that bundle's number), our version when we last agreed
	 * with it (we applied its row, found it equal, or it acknowledged a
	 * bundle that held ours), and a digest of the last row it sent us.
	 * They replace the shadow (what we last exported, to anyone) and
	 * sync_seen, which trusted the version a site claimed; sync_seen's
	 * agreements are kept. sync_conflicts also holds rows refused by the
	 * rules (kind 'refused', with the reason), and is keyed by bundle. */
	"CREATE TABLE sync_peers("
	" peer TEXT PRIMARY KEY,"
	" sent_seq INTEGER NOT NULL DEFAULT 0,"
	" recv_seq INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE TABLE sync_state("
	" peer TEXT NOT NULL,"
	" uuid TEXT NOT NULL,"
	" sent_seq INTEGER NOT NULL DEFAULT 0,"
	" sent_version INTEGER NOT NULL DEFAULT 0,"
	" agreed_version INTEGER NOT NULL DEFAULT 0,"
	" recv_hash TEXT,"
	" PRIMARY KEY (peer, uuid)) WITHOUT ROWID;"
	"INSERT INTO sync_state(peer, uuid, agreed_version)"
	" SELECT site, uuid, local_version FROM sync_seen;"
	"DROP TABLE sync_seen;"
	"DROP TABLE sync_shadow;"
	"DROP TRIGGER sync_conflicts_no_delete;"
	"ALTER TABLE sync_conflicts RENAME TO sync_conflicts_old;"
	"CREATE TABLE sync_conflicts("
	" id INTEGER PRIMARY KEY,"
	" site TEXT NOT NULL,"
	" uuid TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('edited','duplicate','refused')),"
	" incoming TEXT NOT NULL CHECK (json_valid(incoming)),"
	" incoming_version INTEGER NOT NULL,"
	" local_version INTEGER NOT NULL,"
	" other_uuid TEXT,"
	" reason TEXT,"
	" bundle TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" resolution TEXT CHECK (resolution IN ('keep','take','superseded')),"
	" resolved_by TEXT,"
	" resolved_at TEXT,"
	" comment TEXT,"
	" UNIQUE (site, uuid, bundle));"
	"INSERT INTO sync_conflicts(id, site, uuid, kind, incoming, incoming_version,"
	" local_version, other_uuid, bundle, at, resolution, resolved_by, resolved_at, comment)"
	" SELECT id, site, uuid, kind, incoming, incoming_version, local_version, other_uuid,"
	" bundle, at, resolution, resolved_by, resolved_at, comment FROM sync_conflicts_old;"
	"DROP TABLE sync_conflicts_old;"
	"CREATE INDEX sync_conflicts_open ON sync_conflicts(uuid) WHERE resolution IS NULL;"
	"CREATE TRIGGER sync_conflicts_no_delete BEFORE DELETE ON sync_conflicts BEGIN"
	" SELECT RAISE(ABORT, 'sync conflicts are kept');"
	" END;"
	"ALTER TABLE sync_bundles ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sync_bundles ADD COLUMN held INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sync_bundles ADD COLUMN file TEXT;",
	/* version 12 (issue 11): people counted from the records (above,
	 * ST_PERSON_SLOTS): people keeps the keyed groups' rows only, and
	 * people_count, already right, stays as it is. */
	"DROP TRIGGER people_ai; DROP TRIGGER people_ad;"
	"DROP TRIGGER people_au_old; DROP TRIGGER people_au_new;"
	"DROP TRIGGER people_count_ad;"
	"DELETE FROM people WHERE team NOT IN (SELECT grp FROM count_group WHERE keyed IS NOT NULL);"
	ST_TRIGGER_PEOPLE_COUNT_AD
	ST_TRIGGERS_PEOPLE12("status, category, person_key, township, vals"),
	/* version 13 (issue 11): a record stores what it alone holds. Its
	 * person_key, name, township, village and phone are vals' own values,
	 * read through columns generated on read (every query, index and
	 * trigger names them as before); its two times are milliseconds
	 * (created_ms, updated_ms), read as text by created_at and updated_at,
	 * and the browse indexes order by the number. shown: the digits a
	 * masked ID and phone leave visible (6203 1234 138 5678), which a
	 * search of 1-4 digits scans in browse order. live: 1 for a live
	 * record, NULL for a withdrawn one, so that one unique index both
	 * keeps one live registration per person and category (NULLs differ)
	 * and finds every record of a person. The status index goes: a status
	 * filter walks the browse order, which holds the status. The table
	 * is made again (a column cannot become generated), with the ids, so
	 * that the search index, the pieces and the counts stay as they are;
	 * the triggers an update fires now name vals, not a generated column,
	 * which an UPDATE never sets. */
	"CREATE TABLE records_new("
	" id INTEGER PRIMARY KEY,"
	" uuid TEXT NOT NULL UNIQUE,"
	" category TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('draft','submitted','approved','returned','withdrawn')),"
	" vals TEXT NOT NULL CHECK (json_valid(vals)),"
	" comment TEXT,"
	" created_by TEXT NOT NULL,"
	" created_ms INTEGER NOT NULL,"
	" updated_by TEXT NOT NULL,"
	" updated_ms INTEGER NOT NULL,"
	" version INTEGER NOT NULL,"
	" site TEXT NOT NULL,"
	" person_key TEXT GENERATED ALWAYS AS (coalesce(json_extract(vals, '$.id_number'), ''))"
	"  VIRTUAL,"
	" name TEXT GENERATED ALWAYS AS (coalesce(json_extract(vals, '$.name'), '')) VIRTUAL,"
	" township TEXT GENERATED ALWAYS AS (json_extract(vals, '$.township')) VIRTUAL,"
	" village TEXT GENERATED ALWAYS AS (json_extract(vals, '$.village')) VIRTUAL,"
	" phone TEXT GENERATED ALWAYS AS (json_extract(vals, '$.phone')) VIRTUAL,"
	" created_at TEXT GENERATED ALWAYS AS (" ST_ISO("created_ms") ") VIRTUAL,"
	" updated_at TEXT GENERATED ALWAYS AS (" ST_ISO("updated_ms") ") VIRTUAL,"
	" shown TEXT GENERATED ALWAYS AS (substr(json_extract(vals, '$.id_number'), 1, 4) || ' '"
	"  || substr(json_extract(vals, '$.id_number'), -4) || ' '"
	"  || coalesce(substr(json_extract(vals, '$.phone'), 1, 3) || ' '"
	"  || substr(json_extract(vals, '$.phone'), -4), '')) VIRTUAL,"
	" live INTEGER GENERATED ALWAYS AS (CASE WHEN status <> 'withdrawn' THEN 1 END) VIRTUAL);"
	/* a time of another form (none is written) is read by julianday() */
	"INSERT INTO records_new(id, uuid, category, status, vals, comment, created_by,"
	" created_ms, updated_by, updated_ms, version, site)"
	" SELECT id, uuid, category, status, vals, comment, created_by,"
	" coalesce(" ST_MS("created_at") ","
	"  CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER), 0),"
	" updated_by, coalesce(" ST_MS("updated_at") ","
	"  CAST(round((julianday(updated_at) - 2440587.5) * 86400000) AS INTEGER), 0),"
	" version, site FROM records ORDER BY id;"
	"DROP TABLE records;"
	"ALTER TABLE records_new RENAME TO records;"
	"CREATE UNIQUE INDEX records_person_live ON records(person_key, category, live);"
	"CREATE INDEX records_township ON records(township, updated_ms);"
	"CREATE INDEX records_category ON records(category, updated_ms);"
	"CREATE INDEX records_created_by ON records(created_by, status, updated_ms);"
	"CREATE INDEX records_updated_search ON records(updated_ms, status, name, village, shown);"
	"CREATE INDEX records_phone ON records(phone) WHERE phone IS NOT NULL;"
	"CREATE INDEX records_village ON records(village);"
	ST_TRIGGER_FTS7_AI
	"CREATE TRIGGER records_fts_ad AFTER DELETE ON records BEGIN"
	" INSERT INTO records_fts(records_fts, rowid, name, village)"
	"  VALUES ('delete', old.id, old.name, old.village);"
	" END;"
	"CREATE TRIGGER records_fts_au AFTER UPDATE OF vals ON records BEGIN"
	" INSERT INTO records_fts(records_fts, rowid, name, village)"
	"  VALUES ('delete', old.id, old.name, old.village);"
	" INSERT INTO records_fts(rowid, name, village) VALUES (new.id, new.name, new.village);"
	" END;"
	ST_TRIGGERS_PEOPLE12("status, category, vals")
	ST_TRIGGER_RECORD_COUNT_AI
	"CREATE TRIGGER record_count_ad AFTER DELETE ON records BEGIN"
	" UPDATE record_count SET n = n - 1 WHERE category = old.category"
	"  AND status = old.status AND township = coalesce(old.township, '');"
	" END;"
	"CREATE TRIGGER record_count_au AFTER UPDATE OF category, status, vals ON records BEGIN"
	" UPDATE record_count SET n = n - 1 WHERE category = old.category"
	"  AND status = old.status AND township = coalesce(old.township, '');"
	ST_RECORD_COUNT_ADD("new") " END;"
	ST_TRIGGER_GRAMS7_AI
	"CREATE TRIGGER records_grams_ad AFTER DELETE ON records BEGIN" ST_GRAMS7_REMOVE("old") " END;"
	"CREATE TRIGGER records_grams_au AFTER UPDATE OF vals ON records BEGIN"
	ST_GRAMS7_REMOVE("old") ST_GRAMS7_ADD("new") " END;",
};
_Static_assert(ARRAY_LEN(migrations) == STORE_SCHEMA_VERSION,
	       "one migration per schema version");

int st_insert_triggers_drop(struct store *st, char **cause)
{
	return st_exec(st, "DROP TRIGGER records_fts_ai; DROP TRIGGER people_ai;"
			   " DROP TRIGGER record_count_ai; DROP TRIGGER people_count_ai;"
			   " DROP TRIGGER records_grams_ai;", cause);
}

int st_insert_triggers_create(struct store *st, char **cause)
{
	return st_exec(st, ST_TRIGGER_FTS7_AI ST_TRIGGER_PEOPLE_AI12 ST_TRIGGER_RECORD_COUNT_AI
			   ST_TRIGGER_PEOPLE_COUNT_AI ST_TRIGGER_GRAMS7_AI, cause);
}

int st_people_count_triggers_drop(struct store *st, char **cause)
{
	return st_exec(st, "DROP TRIGGER people_count_ai; DROP TRIGGER people_count_ad;", cause);
}

int st_people_count_triggers_create(struct store *st, char **cause)
{
	return st_exec(st, ST_TRIGGER_PEOPLE_COUNT_AI ST_TRIGGER_PEOPLE_COUNT_AD, cause);
}

int st_grams_add_since(struct store *st, long long last, char **cause)
{
	int ret = st_exec_since(st, "INSERT OR IGNORE INTO records_grams(gram, id)"
				ST_NAME_GRAMS("SELECT id, name FROM records WHERE id > ?1"), last, cause);
	if (ret == SR_OK)
		ret = st_exec_since(st, "INSERT OR IGNORE INTO village_grams(gram, village)"
				    ST_VILLAGE_GRAMS("SELECT DISTINCT village FROM records WHERE id > ?1"),
				    last, cause);
	return ret;
}

/* Checks that path's folder exists and, unless create, the file itself. */
static int check_paths(const char *path, bool create, char **cause)
{
	char *copy = xstrdup(path);
	const char *dir = dirname(copy);
	struct stat sb;
	int ret = SR_OK;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		ret = st_fail_msg(cause, SR_FAIL, msgf(MSG_STORE_NO_DIR, dir));
	else if (!create && stat(path, &sb) != 0)
		ret = st_fail_msg(cause, SR_FAIL, msgf(MSG_STORE_NO_DB, path));
	free(copy);
	return ret;
}

/* Creates path as an empty file of mode 0660 whatever the umask (SQLite
 * would make it 0644; its -wal and -shm files copy the file's mode). A file
 * that already exists, perhaps made by another process a moment ago, is
 * left as it is. */
static int create_file(const char *path, char **cause)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
	if (fd < 0) {
		if (errno == EEXIST)
			return SR_OK;
		char *why = xasprintf("%s: %s", path, strerror(errno));
		st_set_cause(cause, msgf(MSG_STORE_FAILED, why));
		free(why);
		return SR_FAIL;
	}
	int ret = SR_OK;
	if (fchmod(fd, 0660) != 0) {
		char *why = xasprintf("%s: %s", path, strerror(errno));
		ret = st_fail_msg(cause, SR_FAIL, msgf(MSG_STORE_FAILED, why));
		free(why);
	}
	close(fd);
	return ret;
}

#define STR_(x) #x
#define STR(x) STR_(x)

/* Switches the file to WAL (a no-op once it is). The switch needs an
 * exclusive lock and SQLite returns SQLITE_BUSY for it at once, without the
 * busy handler, when another process has the new file open at the same
 * moment; so it is retried here for as long as the busy timeout. */
static int set_wal(struct store *st, char **cause)
{
	const struct timespec pause = {0, 10 * 1000 * 1000};
	int rc;
	for (int waited = 0;; waited += 10) {
		rc = sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY || waited >= BUSY_TIMEOUT_MS)
			break;
		nanosleep(&pause, NULL);
	}
	return rc == SQLITE_OK ? SR_OK : st_db_fail(st, rc, cause);
}

/* The connection settings; busy_timeout first, so that everything after it
 * waits for other processes. */
static int set_pragmas(struct store *st, char **cause)
{
	static const char *const after_wal[] = {
		"PRAGMA synchronous = FULL",
		"PRAGMA foreign_keys = ON",
		/* no temporary file of sorts or temp tables: one would be the
		 * caller's, in a folder the caller picks, holding records the
		 * caller may not see (priv.c) */
		"PRAGMA temp_store = MEMORY",
		/* the -wal persists (below); a large one shrinks back to this */
		"PRAGMA journal_size_limit = 4194304",
	};
	if (st_exec(st, "PRAGMA busy_timeout = " STR(BUSY_TIMEOUT_MS), cause) != SR_OK ||
	    set_wal(st, cause) != SR_OK)
		return SR_FAIL;
	for (size_t i = 0; i < ARRAY_LEN(after_wal); i++)
		if (st_exec(st, after_wal[i], cause) != SR_OK)
			return SR_FAIL;
	return SR_OK;
}

static int read_user_version(struct store *st, int *v, char **cause)
{
	sqlite3_stmt *s = st_prep(st, Q_USER_VERSION, cause);
	if (s == NULL)
		return SR_FAIL;
	int ret = SR_OK, rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(s, 0);
	else
		ret = st_db_fail(st, rc, cause);
	st_done(s);
	return ret;
}

/* Applies migration v, taking the schema from version v to v + 1. */
static int apply_migration(struct store *st, int v, char **cause)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
	int ret = st_exec(st, migrations[v], cause);
	return ret == SR_OK ? st_exec(st, sql, cause) : ret;
}

/* Brings the schema to STORE_SCHEMA_VERSION in one transaction. The version
 * is read again inside it: another process may have migrated in between. */
static int migrate(struct store *st, char **cause)
{
	int v = 0, ret = read_user_version(st, &v, cause);
	if (ret == SR_OK && v >= 0 && v < STORE_SCHEMA_VERSION) {
		if ((ret = st_tx_begin(st, cause)) != SR_OK)
			return ret;
		ret = read_user_version(st, &v, cause);
		for (; ret == SR_OK && v >= 0 && v < STORE_SCHEMA_VERSION; v++)
			ret = apply_migration(st, v, cause);
		ret = st_tx_end(st, ret, cause);
	}
	if (ret == SR_OK && (v < 0 || v > STORE_SCHEMA_VERSION))
		ret = st_fail_msg(cause, SR_FAIL, msgf(MSG_STORE_TOO_NEW, v, STORE_SCHEMA_VERSION));
	return ret;
}

/* The library's settings, before its first use: each connection is used by
 * one thread at a time (the program has one), so SQLite needs no mutex per
 * connection, and it keeps no memory statistics (a global mutex on every
 * allocation). Later calls change nothing (SQLITE_MISUSE once it is up). */
static void library_setup(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *path, bool create, struct store **out, char **cause)
{
	assert(path && out);
	*out = NULL;
	library_setup();
	int ret = check_paths(path, create, cause);
	if (ret == SR_OK && create)
		ret = create_file(path, cause);
	if (ret != SR_OK)
		return ret;

	struct store *st = xcalloc(1, sizeof *st);
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (rc != SQLITE_OK)
		ret = st_db_fail(st, rc, cause);
	else {
		sqlite3_extended_result_codes(st->db, 1);
		/* Opened with a group not the caller's own, this is the installed
		 * program (priv.c): its -wal and -shm stay when the last session
		 * closes, so that whoever creates the database makes them and no
		 * later caller, without the group by then, has to unlink or make
		 * them again (priv.c, rule 4). */
		int persist = getegid() != getgid();
		sqlite3_file_control(st->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
		ret = set_pragmas(st, cause);
		if (ret == SR_OK)
			ret = migrate(st, cause);
	}
	if (ret != SR_OK) {
		store_close(st);
		return ret;
	}
	*out = st;
	return SR_OK;
}

void store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < Q__COUNT; i++)
		sqlite3_finalize(st->stmts[i]);
	if (st->db && sqlite3_close(st->db) == SQLITE_BUSY) {
		/* cannot happen when every path finalizes; close cleanly anyway */
		sqlite3_stmt *s;
		while ((s = sqlite3_next_stmt(st->db, NULL)) != NULL)
			sqlite3_finalize(s);
		sqlite3_close(st->db);
	}
	free(st);
}

int store_schema_version(struct store *st)
{
	int v = -1;
	return read_user_version(st, &v, NULL) == SR_OK ? v : -1;
}
