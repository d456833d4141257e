/*
 * store.c - the SQLite storage behind store.h: one database file in WAL mode
 * holding the records, the append-only audit, drafts and meta data. This is
 * the only file that includes <sqlite3.h> and the only one holding SQL.
 *
 * Rules kept everywhere below:
 *   - every write runs in BEGIN IMMEDIATE ... COMMIT (ROLLBACK on failure),
 *     and the auth_check() for it is made inside that transaction on the
 *     stored row, so nothing can change between the check and the write;
 *   - values only ever reach SQL as bound parameters; the few statements
 *     built at run time (list, count) add "?" placeholders, never values;
 *   - cached statements are reset before a public call returns, and the
 *     statements that feed a callback are prepared and finalized per call,
 *     so a callback never finds one of them half-stepped;
 *   - SQLITE_BUSY after the busy timeout becomes MSG_STORE_BUSY; any other
 *     error MSG_STORE_FAILED with SQLite's own text.
 */
#include "store.h"
#include "store_int.h"
#include "check.h"
#include "text.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>





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
	 * (bench/README.md), and triggers a bulk add can set aside (store_int.h
	 * has their text). count_group replaces category_team: each category's
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
	 * record's name and village (ST_GRAMS in store_int.h), kept by
	 * triggers. */
	"CREATE TABLE records_grams(gram TEXT NOT NULL, id INTEGER NOT NULL,"
	" PRIMARY KEY (gram, id)) WITHOUT ROWID;"
	"INSERT INTO records_grams(gram, id)" ST_GRAMS("SELECT id, name, village FROM records") ";"
	ST_TRIGGER_GRAMS_AI
	"CREATE TRIGGER records_grams_ad AFTER DELETE ON records BEGIN"
	ST_GRAMS_REMOVE("old") " END;"
	"CREATE TRIGGER records_grams_au AFTER UPDATE OF name, village ON records BEGIN"
	ST_GRAMS_REMOVE("old") ST_GRAMS_ADD("new") " END;",
};
_Static_assert(ARRAY_LEN(migrations) == STORE_SCHEMA_VERSION,
	       "one migration per schema version");

static const char *const stmt_sql[Q__COUNT] = {
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_USER_VERSION] = "PRAGMA user_version",
	/* ?2 is ?1 followed by DEL, above every uuid character */
	[Q_ROWS_BY_PREFIX] = "SELECT " RECORD_COLS " FROM records"
			     " WHERE uuid >= ?1 AND uuid < ?2 ORDER BY uuid",
	[Q_JSON_EACH] = "SELECT key, value FROM json_each(?1)",
	[Q_UUID_EXISTS] = "SELECT 1 FROM records WHERE uuid = ?1",
	[Q_LIVE_PERSON] = "SELECT uuid FROM records WHERE category = ?1 AND person_key = ?2"
			  " AND status <> 'withdrawn' AND uuid IS NOT ?3 LIMIT 1",
	[Q_INSERT_RECORD] = "INSERT INTO records(" RECORD_COLS ")"
			    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
			    " ?14, ?15, ?16)",
	[Q_UPDATE_RECORD] = "UPDATE records SET status = ?1, person_key = ?2, name = ?3,"
			    " township = ?4, village = ?5, phone = ?6, vals = ?7,"
			    " updated_by = ?8, updated_at = ?9, version = version + 1"
			    " WHERE uuid = ?10 AND version = ?11",
	[Q_SET_STATUS] = "UPDATE records SET status = ?1,"
			 " comment = CASE WHEN ?2 THEN ?3 ELSE comment END,"
			 " updated_by = ?4, updated_at = ?5, version = version + 1"
			 " WHERE uuid = ?6",
	[Q_INSERT_AUDIT] = "INSERT INTO audit(at, login, as_user, action, uuid, old_vals,"
			   " new_vals, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[Q_PERSON_CATEGORIES] = "SELECT DISTINCT category FROM records WHERE person_key = ?1"
				" AND status <> 'withdrawn' AND category IS NOT ?2"
				" ORDER BY category",
	/* ?2 is a plain field key (st_plain_key()), quoted as a JSON path label */
	[Q_VALUE_TAKEN] = "SELECT uuid FROM records WHERE category = ?1"
			  " AND status <> 'withdrawn'"
			  " AND json_extract(vals, '$.\"' || ?2 || '\"') = ?3"
			  " AND uuid IS NOT ?4 LIMIT 1",
	[Q_DRAFT_SAVE] = "INSERT INTO drafts(login, form, vals, updated_at)"
			 " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (login, form)"
			 " DO UPDATE SET vals = excluded.vals, updated_at = excluded.updated_at",
	[Q_DRAFT_LOAD] = "SELECT vals FROM drafts WHERE login = ?1 AND form = ?2",
	[Q_DRAFT_DELETE] = "DELETE FROM drafts WHERE login = ?1 AND form = ?2",
	[Q_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[Q_META_INSERT] = "INSERT OR IGNORE INTO meta(key, value) VALUES (?1, ?2)",
};


/* Hands s to the caller through cause (when it wants it), else frees it. */
void st_set_cause(char **cause, char *s)
{
	if (cause)
		*cause = s;
	else
		free(s);
}

int st_fail_msg(char **cause, int rc, char *s)
{
	st_set_cause(cause, s);
	return rc;
}

/* Turns SQLite result rc into SR_FAIL with a message; call it before the
 * failed statement is reset, while sqlite3_errmsg still describes it. */
/* A full disk or a database that cannot be written, told apart from other
 * failures so that the user reads what to do instead of SQLite's "disk I/O
 * error" or "unable to open database file" (its -shm or -wal cannot be
 * made). Returns MSG_STORE_FULL, MSG_STORE_READONLY or MSG__COUNT. */
static enum msg_id storage_problem(struct store *st, int primary)
{
	if (st == NULL || st->db == NULL)
		return MSG__COUNT;
	bool io = primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN;
	if (primary == SQLITE_FULL || (io && sqlite3_system_errno(st->db) == ENOSPC))
		return MSG_STORE_FULL;
	const char *path = sqlite3_db_filename(st->db, "main");
	if (!(io || primary == SQLITE_READONLY) || str_empty(path))
		return MSG__COUNT;
	char *copy = xstrdup(path);
	bool ro = faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0 ||
		  faccessat(AT_FDCWD, dirname(copy), W_OK, AT_EACCESS) != 0;
	free(copy);
	return ro ? MSG_STORE_READONLY : MSG__COUNT;
}

int st_db_fail(struct store *st, int rc, char **cause)
{
	int primary = rc & 0xff;
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return st_fail_msg(cause, SR_FAIL, xstrdup(msg(MSG_STORE_BUSY)));
	enum msg_id why = storage_problem(st, primary);
	if (why != MSG__COUNT)
		return st_fail_msg(cause, SR_FAIL, msgf(why, sqlite3_db_filename(st->db, "main")));
	const char *text = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
	return st_fail_msg(cause, SR_FAIL, msgf(MSG_STORE_FAILED, text));
}

/* Returns the cached statement q, preparing it on first use; NULL (with
 * *cause set) when it cannot be prepared. */
sqlite3_stmt *st_prep(struct store *st, enum stmt_id q, char **cause)
{
	if (st->stmts[q] == NULL) {
		int rc = sqlite3_prepare_v3(st->db, stmt_sql[q], -1, SQLITE_PREPARE_PERSISTENT,
					    &st->stmts[q], NULL);
		if (rc != SQLITE_OK) {
			st_db_fail(st, rc, cause);
			sqlite3_finalize(st->stmts[q]);
			st->stmts[q] = NULL;
		}
	}
	return st->stmts[q];
}

/* Resets a cached statement for its next use. */
void st_done(sqlite3_stmt *s)
{
	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	}
}

/* Binds s (NULL binds SQL NULL) as a private copy. */
void st_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* Steps s once and resets it: for statements whose rows are not wanted. */
int st_run(struct store *st, sqlite3_stmt *s, char **cause)
{
	int rc = sqlite3_step(s);
	int ret = rc == SQLITE_DONE || rc == SQLITE_ROW ? SR_OK : st_db_fail(st, rc, cause);
	st_done(s);
	return ret;
}

int st_run_q(struct store *st, enum stmt_id q, char **cause)
{
	sqlite3_stmt *s = st_prep(st, q, cause);
	return s ? st_run(st, s, cause) : SR_FAIL;
}

int st_tx_begin(struct store *st, char **cause)
{
	return st_run_q(st, Q_BEGIN, cause);
}

/* Ends the transaction tx_begin opened: commits when ret is SR_OK, else (or
 * when the commit fails) rolls back. Returns the final result. */
int st_tx_end(struct store *st, int ret, char **cause)
{
	if (ret == SR_OK)
		ret = st_run_q(st, Q_COMMIT, cause);
	if (ret != SR_OK && !sqlite3_get_autocommit(st->db))
		st_run_q(st, Q_ROLLBACK, NULL);
	return ret;
}

/* Returns a copy of column i of s, or NULL when it is NULL. */
char *st_col_dup(sqlite3_stmt *s, int i)
{
	return xstrdup((const char *)sqlite3_column_text(s, i));
}

/* Reads the JSON object json into kv, in its stored key order. */
int st_vals_from_json(struct store *st, const char *json, struct kv *kv, char **cause)
{
	sqlite3_stmt *s = st_prep(st, Q_JSON_EACH, cause);
	if (s == NULL)
		return SR_FAIL;
	st_bind_text(s, 1, json);
	int rc, ret = SR_OK;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);
		const char *v = (const char *)sqlite3_column_text(s, 1);
		kv_set(kv, k ? k : "", v ? v : "");
	}
	if (rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	st_done(s);
	return ret;
}

/* Fills r (zeroed first) from the current row of s, which lists RECORD_COLS. */
int st_row_to_record(struct store *st, sqlite3_stmt *s, struct record *r, char **cause)
{
	memset(r, 0, sizeof *r);
	const char *uuid = (const char *)sqlite3_column_text(s, RC_UUID);
	snprintf(r->uuid, sizeof r->uuid, "%s", uuid ? uuid : "");
	r->category = st_col_dup(s, RC_CATEGORY);
	if (status_parse((const char *)sqlite3_column_text(s, RC_STATUS), &r->status) < 0)
		r->status = ST_DRAFT;	/* cannot happen: the CHECK constraint */
	r->person_key = st_col_dup(s, RC_PERSON_KEY);
	r->name = st_col_dup(s, RC_NAME);
	r->township = st_col_dup(s, RC_TOWNSHIP);
	r->village = st_col_dup(s, RC_VILLAGE);
	r->phone = st_col_dup(s, RC_PHONE);
	r->comment = st_col_dup(s, RC_COMMENT);
	r->created_by = st_col_dup(s, RC_CREATED_BY);
	r->created_at = st_col_dup(s, RC_CREATED_AT);
	r->updated_by = st_col_dup(s, RC_UPDATED_BY);
	r->updated_at = st_col_dup(s, RC_UPDATED_AT);
	r->version = sqlite3_column_int(s, RC_VERSION);
	r->site = st_col_dup(s, RC_SITE);
	return st_vals_from_json(st, (const char *)sqlite3_column_text(s, RC_VALS), &r->vals,
			      cause);
}

/* Returns SR_OK when a may do act to subj, else SR_DENIED with the reason. */
static int check_subject(const struct actor *a, enum action act, const struct auth_subject *subj,
			 char **cause)
{
	enum msg_id why = MSG_DENIED_ROLE;
	if (auth_check(a->user, act, subj, &why) == 0)
		return SR_OK;
	return st_fail_msg(cause, SR_DENIED, msgf(MSG_DENIED, msg(why)));
}

/* Returns SR_OK when a may do act to the record with these facts, else
 * SR_DENIED with the reason. */
int st_check(const struct actor *a, enum action act, const char *township,
		 enum status status, const char *created_by, char **cause)
{
	struct auth_subject subj = {township, status, created_by, NULL};
	return check_subject(a, act, &subj, cause);
}

int st_check_record(const struct actor *a, enum action act, const struct record *r,
			char **cause)
{
	struct auth_subject subj = {r->township, r->status, r->created_by, r->updated_by};
	return check_subject(a, act, &subj, cause);
}

/* The login that really acts (audit.login), and the user acted as when
 * that differs (audit.as_user, else NULL). */
const char *st_real_login(const struct actor *a)
{
	return a->real_login ? a->real_login : a->user->login;
}

const char *st_as_user(const struct actor *a)
{
	return str_eq(st_real_login(a), a->user->login) ? NULL : a->user->login;
}

/* Appends an audit row; uuid, old_vals, new_vals and comment may be NULL. */
int st_audit_add(struct store *st, const struct actor *a, const char *at,
		     const char *action, const char *uuid, const char *old_vals,
		     const char *new_vals, const char *comment, char **cause)
{
	sqlite3_stmt *s = st_prep(st, Q_INSERT_AUDIT, cause);
	if (s == NULL)
		return SR_FAIL;
	st_bind_text(s, 1, at);
	st_bind_text(s, 2, st_real_login(a));
	st_bind_text(s, 3, st_as_user(a));
	st_bind_text(s, 4, action);
	st_bind_text(s, 5, uuid);
	st_bind_text(s, 6, old_vals);
	st_bind_text(s, 7, new_vals);
	st_bind_text(s, 8, comment);
	return st_run(st, s, cause);
}

/* Copies id into lo as a lower-case uuid prefix and reports whether it can
 * name a record: 8 to 36 characters of hex digits and hyphens. */
static bool uuid_prefix(const char *id, char lo[UUID_LEN + 1])
{
	size_t n = id ? strlen(id) : 0;
	if (n < UUID_PREFIX_MIN || n > UUID_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-'))
			return false;
		lo[i] = c;
	}
	lo[n] = '\0';
	return true;
}

/* Loads into *r the one record that id names (a whole uuid or a prefix of
 * 8 or more characters) and that a may view. Records out of a's scope are
 * treated as absent, so that neither SR_NOTFOUND nor SR_AMBIGUOUS tells
 * they exist. On success the caller frees r with record_free(). */
int st_find_record(struct store *st, const struct actor *a, const char *id,
		       struct record *r, char **cause)
{
	char lo[UUID_LEN + 1], hi[UUID_LEN + 2];
	memset(r, 0, sizeof *r);
	if (!uuid_prefix(id, lo))
		return st_fail_msg(cause, SR_NOTFOUND, msgf(MSG_NOT_FOUND, id ? id : ""));
	snprintf(hi, sizeof hi, "%s\x7f", lo);
	sqlite3_stmt *s = st_prep(st, Q_ROWS_BY_PREFIX, cause);
	if (s == NULL)
		return SR_FAIL;
	st_bind_text(s, 1, lo);
	st_bind_text(s, 2, hi);
	int rc, ret = SR_NOTFOUND, found = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct record cand;
		if (st_row_to_record(st, s, &cand, cause) != SR_OK) {
			record_free(&cand);
			ret = SR_FAIL;
			break;
		}
		if (st_check_record(a, ACT_VIEW, &cand, NULL) != SR_OK) {
			record_free(&cand);
			continue;
		}
		if (found++) {
			record_free(&cand);
			break;
		}
		*r = cand;
		ret = SR_OK;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	st_done(s);
	if (ret == SR_OK && found > 1)
		ret = st_fail_msg(cause, SR_AMBIGUOUS, msgf(MSG_AMBIGUOUS, id));
	else if (ret == SR_NOTFOUND)
		st_set_cause(cause, msgf(MSG_NOT_FOUND, id));
	if (ret != SR_OK)
		record_free(r);
	return ret;
}

/* Returns SR_DUP (with the other record's uuid in *cause) when the person
 * has a live record in category other than the one whose uuid is self. */
static int check_dup(struct store *st, const char *category, const char *person_key,
		     const char *self, char **cause)
{
	sqlite3_stmt *s = st_prep(st, Q_LIVE_PERSON, cause);
	if (s == NULL)
		return SR_FAIL;
	st_bind_text(s, 1, category);
	st_bind_text(s, 2, person_key);
	st_bind_text(s, 3, self);
	int ret = SR_OK, rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		ret = st_fail_msg(cause, SR_DUP,
			       msgf(MSG_DUP_PERSON, person_key,
				    (const char *)sqlite3_column_text(s, 0)));
	else if (rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	st_done(s);
	return ret;
}

/* Sets *exists to whether a record with this exact uuid is stored. */
static int uuid_exists(struct store *st, const char *uuid, bool *exists, char **cause)
{
	sqlite3_stmt *s = st_prep(st, Q_UUID_EXISTS, cause);
	if (s == NULL)
		return SR_FAIL;
	st_bind_text(s, 1, uuid);
	int ret = SR_OK, rc = sqlite3_step(s);
	*exists = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	st_done(s);
	return ret;
}

static void replace(char **field, const char *v)
{
	char *copy = xstrdup(v);
	free(*field);
	*field = copy;
}

/* Gives r a uuid when it has none and folds it to lower case, so that
 * prefixes typed by users find it. */
static void normalise_uuid(struct record *r)
{
	if (r->uuid[0] == '\0')
		uuid_v4(r->uuid);
	for (char *p = r->uuid; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

/* store_add's work inside an open transaction; now is the timestamp. */
static int add_one(struct store *st, const struct actor *a, struct record *r,
		   const char *site, const char *note, const char *now, char **cause)
{
	int ret = st_check(a, ACT_CREATE, r->township, r->status, a->user->login, cause);
	if (ret != SR_OK)
		return ret;
	normalise_uuid(r);
	bool retried;
	if ((ret = uuid_exists(st, r->uuid, &retried, cause)) != SR_OK || retried)
		return ret;
	if ((ret = check_dup(st, r->category, r->person_key, NULL, cause)) != SR_OK)
		return ret;

	sqlite3_stmt *s = st_prep(st, Q_INSERT_RECORD, cause);
	if (s == NULL)
		return SR_FAIL;
	struct buf json = {0};
	kv_to_json(&r->vals, &json);
	const char *login = a->user->login;
	st_bind_text(s, RC_UUID + 1, r->uuid);
	st_bind_text(s, RC_CATEGORY + 1, r->category);
	st_bind_text(s, RC_STATUS + 1, status_name(r->status));
	st_bind_text(s, RC_PERSON_KEY + 1, r->person_key);
	st_bind_text(s, RC_NAME + 1, r->name ? r->name : "");
	st_bind_text(s, RC_TOWNSHIP + 1, r->township);
	st_bind_text(s, RC_VILLAGE + 1, r->village);
	st_bind_text(s, RC_PHONE + 1, r->phone);
	st_bind_text(s, RC_VALS + 1, json.s);
	st_bind_text(s, RC_COMMENT + 1, r->comment);
	st_bind_text(s, RC_CREATED_BY + 1, login);
	st_bind_text(s, RC_CREATED_AT + 1, now);
	st_bind_text(s, RC_UPDATED_BY + 1, login);
	st_bind_text(s, RC_UPDATED_AT + 1, now);
	sqlite3_bind_int(s, RC_VERSION + 1, 1);
	st_bind_text(s, RC_SITE + 1, site ? site : "");
	ret = st_run(st, s, cause);
	if (ret == SR_OK)
		ret = st_audit_add(st, a, now, action_name(ACT_CREATE), r->uuid, NULL, json.s,
				note, cause);
	buf_free(&json);
	if (ret == SR_OK) {
		replace(&r->created_by, login);
		replace(&r->created_at, now);
		replace(&r->updated_by, login);
		replace(&r->updated_at, now);
		replace(&r->site, site ? site : "");
		r->version = 1;
	}
	return ret;
}


/* store_add and store_add_many: one transaction, one timestamp. */
static int add_records(struct store *st, const struct actor *a, struct record **rs, size_t n,
		       const char *site, const char *note, size_t *failed, char **cause)
{
	assert(st && a && a->user && (rs || n == 0));
	if (failed)
		*failed = 0;
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	/* a large batch is indexed and counted once, at its end */
	long long last_id = 0;
	bool bulk = n >= ST_BULK_MIN;
	if (bulk)
		ret = st_bulk_begin(st, &last_id, cause);
	char *now = now_iso();
	size_t i;
	for (i = 0; ret == SR_OK && i < n; i++)
		if ((ret = add_one(st, a, rs[i], site, note, now, cause)) != SR_OK)
			break;
	if (bulk && ret == SR_OK)
		ret = st_bulk_end(st, last_id, cause);
	free(now);
	if (failed)
		*failed = i;	/* n when the commit itself fails */
	return st_tx_end(st, ret, cause);
}

int store_add(struct store *st, const struct actor *a, struct record *r,
	      const char *site, const char *note, char **cause)
{
	return add_records(st, a, &r, 1, site, note, NULL, cause);
}

int store_add_many(struct store *st, const struct actor *a, struct record **rs,
		   size_t n, const char *site, size_t *failed, char **cause)
{
	return add_records(st, a, rs, n, site, NULL, failed, cause);
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
	int rc = sqlite3_exec(st->db, "PRAGMA busy_timeout = " STR(BUSY_TIMEOUT_MS),
			      NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	if (set_wal(st, cause) != SR_OK)
		return SR_FAIL;
	for (size_t i = 0; i < ARRAY_LEN(after_wal); i++)
		if ((rc = sqlite3_exec(st->db, after_wal[i], NULL, NULL, NULL)) != SQLITE_OK)
			return st_db_fail(st, rc, cause);
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
	int rc = sqlite3_exec(st->db, migrations[v], NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? SR_OK : st_db_fail(st, rc, cause);
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

int store_open(const char *path, bool create, struct store **out, char **cause)
{
	assert(path && out);
	*out = NULL;
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

/* Sets *val to a new copy of meta key's value, or NULL when unset. */
static int meta_read(struct store *st, const char *key, char **val, char **cause)
{
	*val = NULL;
	sqlite3_stmt *s = st_prep(st, Q_META_GET, cause);
	if (s == NULL)
		return SR_FAIL;
	st_bind_text(s, 1, key);
	int ret = SR_OK, rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*val = st_col_dup(s, 0);
	else if (rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	st_done(s);
	return ret;
}

int store_meta_get(struct store *st, const char *key, char **val, char **cause)
{
	assert(st && key && val);
	return meta_read(st, key, val, cause);
}

int store_meta_set_once(struct store *st, const char *key, const char *value,
			char **val, char **cause)
{
	assert(st && key && value && val);
	*val = NULL;
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	sqlite3_stmt *s = st_prep(st, Q_META_INSERT, cause);
	if (s == NULL)
		ret = SR_FAIL;
	else {
		st_bind_text(s, 1, key);
		st_bind_text(s, 2, value);
		ret = st_run(st, s, cause);
	}
	if (ret == SR_OK)
		ret = meta_read(st, key, val, cause);
	ret = st_tx_end(st, ret, cause);
	if (ret != SR_OK) {
		free(*val);
		*val = NULL;
	}
	return ret;
}

int store_get(struct store *st, const struct actor *a, const char *id,
	      struct record **out, char **cause)
{
	assert(st && a && a->user && out);
	*out = NULL;
	struct record *r = xcalloc(1, sizeof *r);
	int ret = st_find_record(st, a, id, r, cause);
	if (ret != SR_OK) {
		free(r);
		return ret;
	}
	*out = r;
	return SR_OK;
}

/* store_update's checks and writes inside its transaction; old is the
 * stored record, now the timestamp. */
static int update_locked(struct store *st, const struct actor *a, struct record *r,
			 const struct record *old, const char *note, const char *now,
			 char **cause)
{
	int ret = st_check_record(a, ACT_EDIT, old, cause);
	if (ret != SR_OK)
		return ret;
	/* the record may not move out of the actor's townships */
	if (!auth_in_scope(a->user, r->township))
		return st_fail_msg(cause, SR_DENIED, msgf(MSG_DENIED, msg(MSG_DENIED_SCOPE)));
	if (old->version != r->version) {
		st_set_cause(cause, msgf(MSG_STALE, old->uuid));
		return SR_STALE;
	}
	if ((ret = check_dup(st, old->category, r->person_key, old->uuid, cause)) != SR_OK)
		return ret;

	enum status to = old->status == ST_RETURNED ? ST_SUBMITTED : old->status;
	struct buf oldj = {0}, newj = {0};
	kv_to_json(&old->vals, &oldj);
	kv_to_json(&r->vals, &newj);
	sqlite3_stmt *s = st_prep(st, Q_UPDATE_RECORD, cause);
	if (s == NULL)
		ret = SR_FAIL;
	else {
		st_bind_text(s, 1, status_name(to));
		st_bind_text(s, 2, r->person_key);
		st_bind_text(s, 3, r->name ? r->name : "");
		st_bind_text(s, 4, r->township);
		st_bind_text(s, 5, r->village);
		st_bind_text(s, 6, r->phone);
		st_bind_text(s, 7, newj.s);
		st_bind_text(s, 8, a->user->login);
		st_bind_text(s, 9, now);
		st_bind_text(s, 10, old->uuid);
		sqlite3_bind_int(s, 11, old->version);
		ret = st_run(st, s, cause);
	}
	if (ret == SR_OK)
		ret = st_audit_add(st, a, now, action_name(ACT_EDIT), old->uuid, oldj.s, newj.s,
				note, cause);
	buf_free(&oldj);
	buf_free(&newj);
	if (ret == SR_OK) {
		r->status = to;
		r->version = old->version + 1;
	}
	return ret;
}

int store_update(struct store *st, const struct actor *a, struct record *r,
		 const char *note, char **cause)
{
	assert(st && a && a->user && r);
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	char *now = now_iso();
	struct record old;
	ret = st_find_record(st, a, r->uuid, &old, cause);
	if (ret == SR_OK)
		ret = update_locked(st, a, r, &old, note, now, cause);
	record_free(&old);
	ret = st_tx_end(st, ret, cause);
	if (ret == SR_OK) {
		replace(&r->updated_by, a->user->login);
		replace(&r->updated_at, now);
	}
	free(now);
	return ret;
}

/* What each workflow action does to a record: its new status, and whether
 * the action's comment becomes the record's latest review comment. */
static const struct {
	enum action act;
	enum status to;
	bool review;
} transitions[] = {
	{ACT_SUBMIT, ST_SUBMITTED, false},
	{ACT_WITHDRAW, ST_WITHDRAWN, false},
	{ACT_APPROVE, ST_APPROVED, true},
	{ACT_RETURN, ST_RETURNED, true},
	{ACT_UNLOCK, ST_SUBMITTED, true},
};

int store_transition(struct store *st, const struct actor *a, const char *id,
		     enum action act, const char *comment, char **cause)
{
	assert(st && a && a->user);
	size_t t = 0;
	while (t < ARRAY_LEN(transitions) && transitions[t].act != act)
		t++;
	if (t == ARRAY_LEN(transitions))
		return st_fail_msg(cause, SR_DENIED, msgf(MSG_DENIED, msg(MSG_DENIED_STATUS)));

	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	char *now = now_iso();
	struct record r;
	ret = st_find_record(st, a, id, &r, cause);
	if (ret == SR_OK)
		ret = st_check_record(a, act, &r, cause);
	sqlite3_stmt *s = ret == SR_OK ? st_prep(st, Q_SET_STATUS, cause) : NULL;
	if (ret == SR_OK && s == NULL)
		ret = SR_FAIL;
	if (ret == SR_OK) {
		st_bind_text(s, 1, status_name(transitions[t].to));
		sqlite3_bind_int(s, 2, transitions[t].review);
		st_bind_text(s, 3, comment);
		st_bind_text(s, 4, a->user->login);
		st_bind_text(s, 5, now);
		st_bind_text(s, 6, r.uuid);
		ret = st_run(st, s, cause);
	}
	if (ret == SR_OK)
		ret = st_audit_add(st, a, now, action_name(act), r.uuid, NULL, NULL, comment, cause);
	record_free(&r);
	free(now);
	return st_tx_end(st, ret, cause);
}

/* A statement built at run time: its SQL and the values its "?" stand for,
 * bound in order. Values are borrowed, or owned through owned. */
struct query {
	struct buf sql;
	struct qarg {
		const char *s;
		long long i;
		bool is_int;
	} *args;
	size_t n;
	struct strv owned;
};

static void q_sql(struct query *q, const char *sql)
{
	buf_puts(&q->sql, sql);
}

static void q_push(struct query *q, const char *s, long long i, bool is_int)
{
	q->args = xrealloc(q->args, (q->n + 1) * sizeof *q->args);
	q->args[q->n++] = (struct qarg){s, i, is_int};
}

/* Appends sql, whose one "?" stands for s. */
static void q_text(struct query *q, const char *sql, const char *s)
{
	q_sql(q, sql);
	q_push(q, s, 0, false);
}

/* Appends " AND col IN (?, ...)" with one parameter per value of sv. */
static void q_in(struct query *q, const char *col, const struct strv *sv)
{
	q_sql(q, " AND ");
	q_sql(q, col);
	q_sql(q, " IN (");
	for (size_t i = 0; i < sv->n; i++)
		q_text(q, i ? ", ?" : "?", sv->v[i]);
	q_sql(q, ")");
}

/* Keeps the records of u's townships: the SQL face of auth_in_scope(), so
 * that LIMIT counts only rows the user may see. */
static void q_scope(struct query *q, const struct user *u)
{
	if (u->role != ROLE_ADMIN && u->townships.n > 0)
		q_in(q, "township", &u->townships);
}


/* How many records hold gram in their name or village, counted up to
 * limit + 1 (on an index range, so at most that many steps). */
static long gram_count(struct store *st, const char *gram, long limit)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM (SELECT 1 FROM records_grams"
				       " WHERE gram = ?1 LIMIT ?2)", -1, &s, NULL) != SQLITE_OK)
		return limit + 1;
	st_bind_text(s, 1, gram);
	sqlite3_bind_int64(s, 2, limit + 1);
	long n = sqlite3_step(s) == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : limit + 1;
	sqlite3_finalize(s);
	return n;
}

/* A search of 1-2 characters found in more records than this scans in
 * browse order instead of reading them all through records_grams: the
 * page's 50 are then found early (bench/README.md). */
#define GRAM_SCAN_MIN 2000

/* How a search finds its records. A search matches only what its user is
 * shown (DESIGN.md, "Statuses and roles"): names and villages, the digits
 * a masked ID or phone leaves visible (6203**********1234, 138****5678),
 * or a whole ID or phone number exactly. Digits hidden by the mask are
 * never compared with a part of the query, so no sequence of searches
 * recovers one. */
enum search_by {
	BY_NONE,
	BY_FTS,		/* 3+ characters of text: the trigram index on name and village */
	BY_GRAMS,	/* 1-2 characters of text: records_grams */
	BY_SCAN,	/* 1-2 common characters of text: instr() in browse order */
	BY_VISIBLE,	/* 1-4 digits: the visible digits of ID and phone */
	BY_ID,		/* a whole ID number (15 or 18 characters) */
	BY_PHONE,	/* a whole mobile number */
	BY_NOTHING	/* other digit strings: nothing shown holds them */
};

/* True when t is made of digits (and X) only. */
static bool all_id_chars(const char *t)
{
	return strspn(t, "0123456789X") == strlen(t);
}

/* Decides how search t (trimmed, full-width forms folded, x upper-cased)
 * is found: numbers by what the mask shows or as a whole; text by the
 * trigram index for 3 characters or more, below that by records_grams or,
 * when the piece is common, by a scan that stops at the page's end. */
static enum search_by search_by(struct store *st, const char *t)
{
	if (t == NULL || *t == '\0')
		return BY_NONE;
	if (all_id_chars(t)) {
		size_t n = strlen(t);
		return n <= 4 ? BY_VISIBLE : n == 11 ? BY_PHONE : n == 15 || n == 18 ? BY_ID
										   : BY_NOTHING;
	}
	if (utf8_chars(t) >= 3)
		return BY_FTS;
	return gram_count(st, t, GRAM_SCAN_MIN) <= GRAM_SCAN_MIN ? BY_GRAMS : BY_SCAN;
}

/* Keeps the records that search t matches, found as by says. */
static void q_search(struct query *q, const char *t, enum search_by by)
{
	if (by == BY_FTS) {
		struct buf b = {0};	/* {name village} : "..." with " doubled */
		buf_puts(&b, "{name village} : \"");
		for (const char *p = t; *p; p++)
			buf_puts(&b, *p == '"' ? "\"\"" : (char[]){*p, '\0'});
		buf_putc(&b, '"');
		char *fts = buf_take(&b);
		strv_take(&q->owned, fts);
		q_text(q, " AND id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)",
		       fts);
	} else if (by == BY_GRAMS) {
		q_text(q, " AND id IN (SELECT id FROM records_grams WHERE gram = ?)", t);
	} else if (by == BY_SCAN) {
		q_text(q, " AND (instr(name, ?) > 0", t);
		q_text(q, " OR instr(village, ?) > 0)", t);
	} else if (by == BY_VISIBLE) {
		q_text(q, " AND (instr(substr(person_key, 1, 4), ?) > 0", t);
		q_text(q, " OR instr(substr(person_key, -4), ?) > 0", t);
		q_text(q, " OR instr(substr(phone, 1, 3), ?) > 0", t);
		q_text(q, " OR instr(substr(phone, -4), ?) > 0)", t);
	} else if (by == BY_ID) {
		q_text(q, " AND person_key = ?", t);
	} else if (by == BY_PHONE) {
		struct buf b = {0};	/* the trigram index finds the few candidates */
		buf_printf(&b, "{phone} : \"%s\"", t);
		char *fts = buf_take(&b);
		strv_take(&q->owned, fts);
		q_text(q, " AND id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)",
		       fts);
		q_text(q, " AND phone = ?", t);
	} else if (by == BY_NOTHING) {
		q_sql(q, " AND 0");
	}
}

/* Returns a new copy of the search as it is compared: trimmed, full-width
 * forms folded; a number with x gets X, and a 15-digit ID its 18-digit
 * form. NULL stays NULL. */
static char *search_text(const char *search)
{
	if (search == NULL)
		return NULL;
	char *folded = text_fold_fullwidth(search);
	char *t = str_trim(folded);
	free(folded);
	if (strspn(t, "0123456789Xx") == strlen(t)) {
		for (char *p = t; *p; p++)
			if (*p == 'x')
				*p = 'X';
		static const struct date far = {9999, 12, 31};
		char *id = NULL;
		enum msg_id why;
		if (strlen(t) == 15 && check_id_card(t, &far, &id, &why) == 0) {
			free(t);
			t = id;
		}
	}
	return t;
}

/* A whole ID or phone number looked up: recorded in the audit (as every
 * full view is), once a day for each number and login; an officer may look
 * up at most limit numbers a day, so that guessing the hidden digits of a
 * masked ID one candidate at a time is slow, seen, and soon stopped. */
static int note_lookup(struct store *st, const struct actor *a, const char *number, int limit,
		       char **cause)
{
	char *now = now_iso();
	char day[11];
	snprintf(day, sizeof day, "%.10s", now);
	const char *login = st_real_login(a);
	sqlite3_stmt *seen = NULL, *count = NULL;
	int ret = st_tx_begin(st, cause);
	if (ret == SR_OK &&
	    (sqlite3_prepare_v2(st->db, "SELECT 1 FROM audit WHERE action = 'lookup'"
					" AND login = ?1 AND at >= ?2 AND comment = ?3",
				-1, &seen, NULL) != SQLITE_OK ||
	     sqlite3_prepare_v2(st->db, "SELECT count(*) FROM audit WHERE action = 'lookup'"
					" AND login = ?1 AND at >= ?2",
				-1, &count, NULL) != SQLITE_OK))
		ret = st_db_fail(st, sqlite3_errcode(st->db), cause);
	if (ret == SR_OK) {
		st_bind_text(seen, 1, login);
		st_bind_text(seen, 2, day);
		st_bind_text(seen, 3, number);
		st_bind_text(count, 1, login);
		st_bind_text(count, 2, day);
		bool again = sqlite3_step(seen) == SQLITE_ROW;
		long n = sqlite3_step(count) == SQLITE_ROW ? (long)sqlite3_column_int64(count, 0) : 0;
		if (!again && a->user->role == ROLE_OFFICER && limit > 0 && n >= limit)
			ret = st_fail_msg(cause, SR_DENIED, msgf(MSG_LOOKUP_LIMIT, limit));
		else if (!again)
			ret = st_audit_add(st, a, now, "lookup", NULL, NULL, NULL, number, cause);
	}
	sqlite3_finalize(seen);
	sqlite3_finalize(count);
	free(now);
	return st_tx_end(st, ret, cause);
}

/* Prepares q and binds its values; on failure *out is NULL. */
static int q_prepare(struct store *st, struct query *q, sqlite3_stmt **out, char **cause)
{
	int rc = sqlite3_prepare_v2(st->db, q->sql.s, -1, out, NULL);
	if (rc != SQLITE_OK) {
		int ret = st_db_fail(st, rc, cause);
		sqlite3_finalize(*out);
		*out = NULL;
		return ret;
	}
	for (size_t i = 0; i < q->n; i++) {
		if (q->args[i].is_int)
			sqlite3_bind_int64(*out, (int)i + 1, q->args[i].i);
		else
			st_bind_text(*out, (int)i + 1, q->args[i].s);
	}
	return SR_OK;
}

static void q_free(struct query *q)
{
	buf_free(&q->sql);
	free(q->args);
	strv_free(&q->owned);
}

/* The WHERE of store_list, from q; the status filter comes first. */
static void list_where(struct query *qy, const struct user *u, const struct list_query *q,
		       const char *search, enum search_by by)
{
	if (q->status == ST_WITHDRAWN)
		q_sql(qy, " WHERE status = 'withdrawn'");
	else {
		q_sql(qy, " WHERE status <> 'withdrawn'");
		if (q->status >= 0)
			q_text(qy, " AND status = ?", status_name((enum status)q->status));
	}
	if (q->category)
		q_text(qy, " AND category = ?", q->category);
	if (q->township)
		q_text(qy, " AND township = ?", q->township);
	if (q->created_by)
		q_text(qy, " AND created_by = ?", q->created_by);
	q_scope(qy, u);
	q_search(qy, search, by);
	const char *cmp = q->oldest_first ? ">" : "<";
	if (q->after_updated && q->after_uuid) {
		q_sql(qy, " AND (updated_at, uuid) ");
		q_sql(qy, cmp);
		q_text(qy, " (?", q->after_updated);
		q_text(qy, ", ?)", q->after_uuid);
	} else if (q->after_updated) {
		q_sql(qy, " AND updated_at ");
		q_sql(qy, cmp);
		q_text(qy, " ?", q->after_updated);
	}
}

int store_list(struct store *st, const struct actor *a, const struct list_query *q,
	       int (*cb)(const struct record *r, void *arg), void *arg, char **cause)
{
	assert(st && a && a->user && cb);
	static const struct list_query all = {.status = -1};
	if (q == NULL)
		q = &all;
	struct query qy = {0};
	char *search = search_text(q->search);
	enum search_by by = search_by(st, search);
	/* a whole number is looked up once, on the first page */
	if ((by == BY_ID || by == BY_PHONE) && q->after_updated == NULL) {
		int ret = note_lookup(st, a, search, q->lookups_per_day, cause);
		if (ret != SR_OK) {
			free(search);
			return ret;
		}
	}
	/* a search through an index reads its records by id and sorts them:
	 * with a township or status filter SQLite would otherwise walk that
	 * filter's index and test every record of it against the search */
	q_sql(&qy, by == BY_FTS || by == BY_GRAMS || by == BY_PHONE
			   ? "SELECT " RECORD_COLS " FROM records NOT INDEXED"
			   : "SELECT " RECORD_COLS " FROM records");
	list_where(&qy, a->user, q, search, by);
	q_sql(&qy, q->oldest_first ? " ORDER BY updated_at, uuid" : " ORDER BY updated_at DESC, uuid DESC");
	if (q->limit > 0) {
		q_sql(&qy, " LIMIT ?");
		q_push(&qy, NULL, q->limit, true);
	}
	sqlite3_stmt *s;
	int ret = q_prepare(st, &qy, &s, cause);
	q_free(&qy);
	free(search);
	if (ret != SR_OK)
		return ret;
	return st_each_record(st, s, NULL, cb, arg, cause);
}

int st_each_record(struct store *st, sqlite3_stmt *s, const struct actor *view_as,
		   int (*cb)(const struct record *r, void *arg), void *arg, char **cause)
{
	int rc, ret = SR_OK;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct record r;
		ret = st_row_to_record(st, s, &r, cause);
		int stop = ret != SR_OK ||
			   ((view_as == NULL || st_check_record(view_as, ACT_VIEW, &r, NULL) == SR_OK) &&
			    cb(&r, arg));
		record_free(&r);
		if (stop)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	sqlite3_finalize(s);
	return ret;
}

#define HISTORY_SQL \
	"SELECT id, at, login, as_user, action, uuid, old_vals, new_vals, comment" \
	" FROM audit WHERE uuid = ?1 ORDER BY id"

int store_history(struct store *st, const struct actor *a, const char *id,
		  int (*cb)(const struct audit_row *row, void *arg), void *arg, char **cause)
{
	assert(st && a && a->user && cb);
	struct record r;
	int ret = st_find_record(st, a, id, &r, cause);
	if (ret != SR_OK)
		return ret;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, HISTORY_SQL, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		st_bind_text(s, 1, r.uuid);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			const char *c[9];
			for (int i = 1; i < 9; i++)
				c[i] = (const char *)sqlite3_column_text(s, i);
			struct audit_row row = {
				(long)sqlite3_column_int64(s, 0), c[1], c[2], c[3], c[4], c[5],
				c[6], c[7], c[8]
			};
			if (cb(&row, arg))
				break;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	sqlite3_finalize(s);
	record_free(&r);
	return ret;
}

int store_person_categories(struct store *st, const char *person_key,
			    const char *exclude_category, struct strv *cats, char **cause)
{
	assert(st && person_key && cats);
	sqlite3_stmt *s = st_prep(st, Q_PERSON_CATEGORIES, cause);
	if (s == NULL)
		return SR_FAIL;
	st_bind_text(s, 1, person_key);
	st_bind_text(s, 2, exclude_category);
	int rc, ret = SR_OK;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 0);
		if (c && !strv_has(cats, c))
			strv_add(cats, c);
	}
	if (rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	st_done(s);
	return ret;
}

/* Returns true when key is a plain field key ([a-z0-9_]+), the only kind
 * that may go into a JSON path. */
bool st_plain_key(const char *key)
{
	if (str_empty(key))
		return false;
	for (const char *p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

int store_value_taken(struct store *st, const char *category, const char *key,
		      const char *value, const char *exclude_uuid, char **uuid, char **cause)
{
	assert(st && category && key && value && uuid);
	*uuid = NULL;
	if (!st_plain_key(key))
		return st_fail_msg(cause, SR_FAIL, msgf(MSG_INI_BAD_VALUE, "key", key));
	sqlite3_stmt *s = st_prep(st, Q_VALUE_TAKEN, cause);
	if (s == NULL)
		return SR_FAIL;
	st_bind_text(s, 1, category);
	st_bind_text(s, 2, key);
	st_bind_text(s, 3, value);
	st_bind_text(s, 4, exclude_uuid);
	int ret = SR_OK, rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*uuid = st_col_dup(s, 0);
	else if (rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	st_done(s);
	return ret;
}

int store_count(struct store *st, const struct actor *a, const struct count_query *q,
		long *records, long *people, char **cause)
{
	assert(st && a && a->user && q);
	if (records)
		*records = 0;
	if (people)
		*people = 0;
	if ((q->team || q->target) && !q->where_field && !q->created_by)
		return people ? st_count_people(st, a, q, people, cause) : SR_OK;
	if (q->where_field && !st_plain_key(q->where_field))
		return st_fail_msg(cause, SR_FAIL,
				msgf(MSG_INI_BAD_VALUE, "where_field", q->where_field));
	struct query qy = {0};
	/* counting distinct people is the costly part: only when asked */
	/* records alone come from their running count (record_count has the
	 * category, status and township the conditions below test) */
	q_sql(&qy, people ? "SELECT count(*), count(DISTINCT person_key) FROM records"
		   : q->where_field || q->created_by ? "SELECT count(*), 0 FROM records"
		   : "SELECT coalesce(sum(n), 0), 0 FROM record_count");
	if (q->status < 0)
		q_sql(&qy, " WHERE status <> 'withdrawn'");
	else
		q_text(&qy, " WHERE status = ?", status_name((enum status)q->status));
	if (q->categories && q->categories->n > 0)
		q_in(&qy, "category", q->categories);
	if (q->township)
		q_text(&qy, " AND township = ?", q->township);
	if (q->created_by)
		q_text(&qy, " AND created_by = ?", q->created_by);
	q_scope(&qy, a->user);
	if (q->where_field) {
		q_text(&qy, " AND json_extract(vals, '$.\"' || ? || '\"')", q->where_field);
		q_text(&qy, " IS ?", q->where_value);
	}
	sqlite3_stmt *s;
	int ret = q_prepare(st, &qy, &s, cause);
	q_free(&qy);
	if (ret != SR_OK)
		return ret;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (records)
			*records = (long)sqlite3_column_int64(s, 0);
		if (people)
			*people = (long)sqlite3_column_int64(s, 1);
	} else
		ret = st_db_fail(st, rc, cause);
	sqlite3_finalize(s);
	return ret;
}

int store_draft_save(struct store *st, const char *login, const char *form,
		     const char *vals_json, char **cause)
{
	assert(st && login && form && vals_json);
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	char *now = now_iso();
	sqlite3_stmt *s = st_prep(st, Q_DRAFT_SAVE, cause);
	if (s == NULL)
		ret = SR_FAIL;
	else {
		st_bind_text(s, 1, login);
		st_bind_text(s, 2, form);
		st_bind_text(s, 3, vals_json);
		st_bind_text(s, 4, now);
		ret = st_run(st, s, cause);
	}
	free(now);
	return st_tx_end(st, ret, cause);
}

int store_draft_list(struct store *st, const char *login, struct strv *forms,
		     struct strv *times, char **cause)
{
	assert(st && login && forms && times);
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT form, updated_at FROM drafts WHERE login = ?1"
				    " ORDER BY updated_at DESC, form", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, login);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		strv_take(forms, st_col_dup(s, 0));
		strv_take(times, st_col_dup(s, 1));
	}
	int ret = rc == SQLITE_DONE ? SR_OK : st_db_fail(st, rc, cause);
	sqlite3_finalize(s);
	return ret;
}

int store_draft_load(struct store *st, const char *login, const char *form,
		     char **vals_json, char **cause)
{
	assert(st && login && form && vals_json);
	*vals_json = NULL;
	sqlite3_stmt *s = st_prep(st, Q_DRAFT_LOAD, cause);
	if (s == NULL)
		return SR_FAIL;
	st_bind_text(s, 1, login);
	st_bind_text(s, 2, form);
	int ret = SR_OK, rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*vals_json = st_col_dup(s, 0);
	else if (rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	st_done(s);
	return ret;
}

int store_draft_delete(struct store *st, const char *login, const char *form, char **cause)
{
	assert(st && login && form);
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	sqlite3_stmt *s = st_prep(st, Q_DRAFT_DELETE, cause);
	if (s == NULL)
		ret = SR_FAIL;
	else {
		st_bind_text(s, 1, login);
		st_bind_text(s, 2, form);
		ret = st_run(st, s, cause);
	}
	return st_tx_end(st, ret, cause);
}

int store_audit(struct store *st, const struct actor *a, const char *action,
		const char *detail, char **cause)
{
	assert(st && a && a->user && action);
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	char *now = now_iso();
	ret = st_audit_add(st, a, now, action, NULL, NULL, NULL, detail, cause);
	free(now);
	return st_tx_end(st, ret, cause);
}
