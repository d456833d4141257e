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
 *   store_plan.c    the plan beyond records (store_plan.h, schema 8): the
 *                   ledger's log, tags on people, spot checks, villages
 *                   covered, records as they were on a past day, activity
 *   store_sync.c    site bundles: export, merge, conflicts and held rows
 *                   (sync.h)
 *   store_bundle.c  the bundle file: its head, the signed and sealed
 *                   message (seal.c), changeset <-> rows; no SQL (sync.h)
 *   store_keys.c    the database's own key pairs for bundles (sync.h)
 *
 * Who calls whom among them (an arrow: calls into; no circles):
 *
 *   store_write.c --> store_stats.c --> store_schema.c --> store.c
 *   store_query.c --> store_stats.c
 *   store_plan.c  --> store_stats.c
 *   store_sync.c  --> store_bundle.c --------------------------> store.c
 *   store_sync.c  --> store_keys.c ----------------------------> store.c
 *   every other store file ----------------------------------> store.c
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
	RC_UPDATED_BY, RC_UPDATED_AT, RC_VERSION, RC_SITE, RC__COUNT
};
/* Their names, by RC_*. */
extern const char *const st_col_names[RC__COUNT];

/* Since schema 13 a record stores only these columns; person_key, name,
 * township, village and phone are read from vals, and created_at and
 * updated_at from created_ms and updated_ms, by columns generated on read
 * (store_schema.c). A whole row is written from the RECORD_COLS values
 * ?1..?16 (st_bind_cols) by RECORD_WRITE_VALUES, which takes the two times
 * as text and keeps them as milliseconds. */
#define RECORD_WRITE_COLS \
	"uuid, category, status, vals, comment, created_by, created_ms, updated_by," \
	" updated_ms, version, site"
#define RECORD_WRITE_VALUES \
	"?1, ?2, ?3, ?9, ?10, ?11, " ST_MS("?12") ", ?13, " ST_MS("?14") ", ?15, ?16"
/* A time as the program writes it (2026-11-29T12:34:56.789Z, UTC) in
 * milliseconds since 1970, and back; NULL for any other text, which the
 * NOT NULL of created_ms and updated_ms then refuses. */
#define ST_MS(t) \
	"(CASE WHEN " t " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:" \
	"[0-9][0-9].[0-9][0-9][0-9]Z' THEN CAST(strftime('%s', " t ") AS INTEGER) * 1000" \
	" + CAST(substr(" t ", 21, 3) AS INTEGER) END)"
#define ST_ISO(ms) \
	"strftime('%Y-%m-%dT%H:%M:%S', " ms " / 1000, 'unixepoch')" \
	" || printf('.%03dZ', " ms " % 1000)"

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

/* ---- store.c ---- */

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
/* Runs the cached statement q with the n texts v (NULL binds SQL NULL) as
 * ?1..?n, as st_run does. */
int st_run_texts(struct store *st, enum stmt_id q, const char *const v[], int n, char **cause);
/* Steps s once and sets *out to a new copy of the first column of its row,
 * or NULL when there is no row (or the column is NULL); resets s. */
int st_one_text(struct store *st, sqlite3_stmt *s, char **out, char **cause);
/* st_one_text on the cached statement q with the n texts v as ?1..?n. */
int st_get_text(struct store *st, enum stmt_id q, const char *const v[], int n, char **out,
		char **cause);
/* Ends a loop over the rows of s, a statement prepared for one call, whose
 * last step (or prepare) returned rc: finalizes s and returns ret, or the
 * failure rc stands for (SQLITE_ROW, a loop left early, and SQLITE_DONE are
 * not failures). */
int st_rows_end(struct store *st, sqlite3_stmt *s, int rc, int ret, char **cause);
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
/*
 * A record and its row: the one mapping between struct record and the
 * columns of RECORD_COLS, both ways, that every INSERT, UPDATE and SELECT
 * of a whole record goes through (store_write.c, store_sync.c and the
 * bundle reader). A row is held as its column texts, c[RC_*], where the
 * version (an integer) is passed beside them and vals is JSON text.
 */
/* Points c[RC_*] at r's columns (borrowed), vals_json as vals; c[RC_VERSION]
 * is NULL: the version is the caller's to bind. */
void st_record_cols(const struct record *r, const char *vals_json, const char *c[RC__COUNT]);
/* Binds the columns c as ?1..?16 (NULL binds SQL NULL), version as ?15. */
void st_bind_cols(sqlite3_stmt *s, const char *const c[RC__COUNT], int version);
/* Fills r (zeroed first) with copies of the column texts t[RC_*] and
 * version; t[RC_VERSION] is not read, and r->vals is left empty for the
 * caller to read from t[RC_VALS]. A status not known reads as a draft. */
void st_record_from_cols(struct record *r, const char *const t[RC__COUNT], int version);
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
/* Copies id into lo as a lower-case uuid prefix and into hi the bound just
 * above every uuid that starts with it (lo <= uuid < hi); false when id
 * cannot name a record: 8 to 36 characters of hex digits and hyphens. */
bool st_uuid_range(const char *id, char lo[UUID_LEN + 1], char hi[UUID_LEN + 2]);
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

/* ---- store_schema.c ---- */

/* True when the record whose values (JSON) are vals meets every condition
 * of conds, a JSON array [{"f": field, "v": [values], "m": 1 for a multi},
 * ...] as st_conds_json() writes it (NULL: no condition): for each, the
 * field holds one of the values, or (m) one of its items does. The one SQL
 * text of a target's conditions, for the triggers (schema 8), the bulk
 * count and the counts made on the spot. */
#define ST_CONDS_HOLD(conds, vals) \
	"(" conds " IS NULL OR NOT EXISTS (SELECT 1 FROM json_each(" conds ") c" \
	" WHERE NOT EXISTS (SELECT 1 FROM json_each(c.value, '$.v') v WHERE" \
	"  CASE WHEN json_extract(c.value, '$.m') THEN instr('|' || json_extract(" vals "," \
	"   '$.\"' || json_extract(c.value, '$.f') || '\"') || '|', '|' || v.value || '|') > 0" \
	"  ELSE json_extract(" vals ", '$.\"' || json_extract(c.value, '$.f') || '\"')" \
	"   IS v.value END)))"

/* True when record o (an alias) is live and in the person group grp
 * ('*': every record), the status st ('*': any live one) and the township
 * tw ('*': any) of people_count (schema 12: ST_PERSON_SLOTS in
 * store_schema.c; the bulk count of store_stats.c). */
#define ST_RECORD_IN_SLOT(o, grp, st, tw) \
	o ".status <> 'withdrawn' AND (" st " = '*' OR " o ".status = " st ")" \
	" AND (" tw " = '*' OR coalesce(" o ".township, '') = " tw ")" \
	" AND (" grp " = '*' OR EXISTS (SELECT 1 FROM count_group cg WHERE cg.grp = " grp \
	"  AND cg.category = " o ".category AND cg.keyed IS NULL AND " \
	ST_CONDS_HOLD("cg.conds", o ".vals") "))"

/* The triggers a bulk add sets aside (store_stats.c), kept beside the
 * migrations that made them and created again from the same text: every
 * AFTER INSERT trigger of records, and people_count_ai (the bulk add counts
 * the people it adds itself). Drop them only inside a transaction, which
 * restores them when it rolls back. */
int st_insert_triggers_drop(struct store *st, char **cause);
int st_insert_triggers_create(struct store *st, char **cause);
/* The two triggers that keep people_count from people, which
 * store_set_counts() sets aside while it counts everyone again. */
int st_people_count_triggers_drop(struct store *st, char **cause);
int st_people_count_triggers_create(struct store *st, char **cause);
/* Adds the 1- and 2-character pieces of every record after record id last
 * to records_grams in one statement: what records_grams_ai does row by row. */
int st_grams_add_since(struct store *st, long long last, char **cause);

/* ---- store_stats.c ---- */

/* Returns a new JSON text of the conditions (ST_CONDS_HOLD's form), or
 * NULL when there are none; SR_FAIL (with *cause) for a field that is not
 * a plain key. Takes t's short form (field, value) when conds is NULL. */
int st_conds_json(const struct store_cond *conds, size_t n, const char *field,
		  const char *value, char **json, char **cause);

/* store_count() for q->team and q->target: people from the running counts. */
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

/* ---- store_bundle.c: the bundle file (its format is in sync.h), for the
 * merge of store_sync.c ---- */

struct sync_row;
/* The table name every bundle's changeset carries. */
#define ST_SYNC_ROWS_TABLE "sync_rows"
/* Fills row (zeroed first) from the 16 values v of a record (RECORD_COLS
 * order), checking each as the records table would (a version of any size
 * from 1, kept up to INT_MAX: only its sender counts by it). Returns 0, or
 * -1 with the first bad column's name in *col. Free row with
 * sync_row_free (sync.h). Writing and opening whole bundles is sync.h's
 * sync_bundle_make and sync_bundle_open. */
int st_sync_row_fill(struct sync_row *row, sqlite3_value *const v[RC__COUNT], const char **col);

/* ---- store_keys.c ---- */

struct seal_secret;
/* Loads the database's key pairs, newest first, into *keys (n of them;
 * none is SR_FAIL with a message that says to run sync keygen). For the
 * store's bundle code alone; free with st_keys_free, which wipes them. */
int st_keys_load(struct store *st, struct seal_secret **keys, size_t *n, char **cause);
void st_keys_free(struct seal_secret *keys, size_t n);

#endif
