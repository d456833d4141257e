/*
 * store_int.h - what the store's own files share and nobody else sees: the
 * connection, the cached statements, and the helpers every store file uses
 * for transactions, binding, errors and the audit. Only src/store*.c
 * include it (and with it <sqlite3.h>); only they hold SQL.
 *
 * The rooms of the store, each behind store.h or its own header:
 *   store.c         the core below: statement cache, causes, st_run and the
 *                   transactions, record <-> row, st_check, the audit row,
 *                   finding a record by uuid or prefix
 *   store_schema.c  the schema, its migrations and triggers; open, close
 *   store_write.c   add, add many, update, the workflow's transitions
 *   store_query.c   get, list and search with paging, history, counts,
 *                   value look-ups
 *   store_meta.c    meta, drafts, store_audit
 *   store_stats.c   the running counts and the bulk add
 *   store_xfer.c    export, bulk look-ups, backup (store_xfer.h)
 *   store_review.c  the unmasked view (store_review.h)
 *   store_sync.c    site bundles: export, merge, conflicts (sync.h)
 *
 * Who calls whom among them (an arrow: calls into; no circles):
 *
 *   store_write.c --> store_stats.c --> store.c
 *   store_query.c --> store_stats.c
 *   every other store file ----------> store.c
 *
 * Rules kept in every store file:
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
#ifndef TALENTREG_STORE_INT_H
#define TALENTREG_STORE_INT_H

#include <sqlite3.h>

#include "store.h"

#define BUSY_TIMEOUT_MS 10000
#define UUID_PREFIX_MIN 8
#define UUID_LEN 36

/* The record columns every SELECT of records lists, in this order. */
#define RECORD_COLS \
	"uuid, category, status, person_key, name, township, village, phone, vals," \
	" comment, created_by, created_at, updated_by, updated_at, version, site"
enum {
	RC_UUID, RC_CATEGORY, RC_STATUS, RC_PERSON_KEY, RC_NAME, RC_TOWNSHIP,
	RC_VILLAGE, RC_PHONE, RC_VALS, RC_COMMENT, RC_CREATED_BY, RC_CREATED_AT,
	RC_UPDATED_BY, RC_UPDATED_AT, RC_VERSION, RC_SITE
};

/* The fixed statements, prepared once on first use and kept until close. */
enum stmt_id {
	Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_USER_VERSION,
	Q_ROWS_BY_PREFIX, Q_JSON_EACH, Q_UUID_EXISTS, Q_LIVE_PERSON,
	Q_INSERT_RECORD, Q_UPDATE_RECORD, Q_SET_STATUS, Q_INSERT_AUDIT,
	Q_PERSON_CATEGORIES, Q_VALUE_TAKEN, Q_DRAFT_SAVE, Q_DRAFT_LOAD, Q_DRAFT_DELETE,
	Q_META_GET, Q_META_INSERT,
	Q__COUNT
};
struct store {
	sqlite3 *db;
	sqlite3_stmt *stmts[Q__COUNT];
};

/* Hands s to the caller through cause (when it wants it), else frees it. */
void st_set_cause(char **cause, char *s);
/* Sets *cause to s and returns rc. */
int st_fail_msg(char **cause, int rc, char *s);
/* Turns SQLite result rc into SR_FAIL with a message; call it before the
 * failed statement is reset, while sqlite3_errmsg still describes it. */
int st_db_fail(struct store *st, int rc, char **cause);
/* Returns the cached statement q, preparing it on first use; NULL (with
 * *cause set) when it cannot be prepared. */
sqlite3_stmt *st_prep(struct store *st, enum stmt_id q, char **cause);
/* Resets a cached statement for its next use. */
void st_done(sqlite3_stmt *s);
/* Binds s (NULL binds SQL NULL) as a private copy. */
void st_bind_text(sqlite3_stmt *s, int i, const char *v);
/* Steps s once and resets it: for statements whose rows are not wanted. */
int st_run(struct store *st, sqlite3_stmt *s, char **cause);
int st_run_q(struct store *st, enum stmt_id q, char **cause);
/* Runs sql, one or more statements with no parameters, to its end (the
 * one wrapper of sqlite3_exec: its failure becomes a cause, as st_run's). */
int st_exec(struct store *st, const char *sql, char **cause);
/* Runs sql, one statement whose ?1 is the record id id, to its end. */
int st_exec_since(struct store *st, const char *sql, long long id, char **cause);
/* BEGIN IMMEDIATE. */
int st_tx_begin(struct store *st, char **cause);
/* Ends the transaction st_tx_begin opened: commits when ret is SR_OK, else
 * (or when the commit fails) rolls back. Returns the final result. */
int st_tx_end(struct store *st, int ret, char **cause);
/* Returns a copy of column i of s, or NULL when it is NULL. */
char *st_col_dup(sqlite3_stmt *s, int i);
/* Reads the JSON object json into kv, in its stored key order. */
int st_vals_from_json(struct store *st, const char *json, struct kv *kv, char **cause);
/* Fills r (zeroed first) from the current row of s, which lists RECORD_COLS. */
int st_row_to_record(struct store *st, sqlite3_stmt *s, struct record *r, char **cause);
/* Returns SR_OK when a may do act to the record with these facts, else
 * SR_DENIED with the reason. */
int st_check(const struct actor *a, enum action act, const char *township,
	     enum status status, const char *created_by, char **cause);
int st_check_record(const struct actor *a, enum action act, const struct record *r,
		    char **cause);
/* The login that really acts (audit.login), and the user acted as when
 * that differs (audit.as_user, else NULL). */
const char *st_real_login(const struct actor *a);
const char *st_as_user(const struct actor *a);
/* Appends an audit row; uuid, old_vals, new_vals and comment may be NULL. */
int st_audit_add(struct store *st, const struct actor *a, const char *at,
		 const char *action, const char *uuid, const char *old_vals,
		 const char *new_vals, const char *comment, char **cause);
/* Loads into *r the one record that id names (a whole uuid or a prefix of
 * 8 or more characters) and that a may view; out of scope is absent. */
int st_find_record(struct store *st, const struct actor *a, const char *id,
		   struct record *r, char **cause);

/* Steps s (a SELECT of RECORD_COLS) and calls cb with each record until cb
 * returns non-zero; with view_as, records view_as may not view are skipped.
 * Finalizes s. */
int st_each_record(struct store *st, sqlite3_stmt *s, const struct actor *view_as,
		   int (*cb)(const struct record *r, void *arg), void *arg, char **cause);

/* Returns true when key is a plain field key ([a-z0-9_]+), the only kind
 * that may go into a JSON path. */
bool st_plain_key(const char *key);

/*
 * The triggers that keep the search index and the running counts in step
 * with records (schema versions 1, 3 and 5). Their text lives here because
 * a bulk add (st_bulk_begin/st_bulk_end, store_stats.c) drops the insert
 * triggers inside its transaction, adds the rows, does their work once with
 * a set-based statement and creates them again from the same text. Change
 * one only with a new migration that drops and creates it.
 *
 * people: for each count group (see count_group), status (and '*', every
 * live status), person and township, how many live records; a group is
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
#define ST_TRIGGER_GRAMS_AI \
	"CREATE TRIGGER records_grams_ai AFTER INSERT ON records BEGIN" ST_GRAMS_ADD("new") " END;"

/* store_count() for q->team and q->target: people from the running counts
 * (store_stats.c). */
int st_count_people(struct store *st, const struct actor *a, const struct count_query *q,
		    long *people, char **cause);

/* A bulk add inside an open transaction: st_bulk_begin drops the insert
 * triggers above and notes the last record id; after the rows are added,
 * st_bulk_end indexes and counts every record after that id in a few
 * set-based statements and creates the triggers again. A failure between
 * them must roll the transaction back (which also restores the triggers). */
int st_bulk_begin(struct store *st, long long *last_id, char **cause);
int st_bulk_end(struct store *st, long long last_id, char **cause);
/* Below this many records an add goes row by row, through the triggers. */
#define ST_BULK_MIN 64

#endif
