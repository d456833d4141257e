/*
 * store.c - the core every store file stands on (store_int.h): the cache
 * of fixed statements, causes (SQLite's errors turned into messages that
 * say what to do), stepping and transactions, the mapping between a record
 * and its row, the authorization checks on a stored record, the audit row,
 * and finding a record by its uuid or a prefix of it. It calls no other
 * store file; store_int.h says which file owns the rest.
 */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The fixed statements of every store file, by enum stmt_id. */
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
	[Q_INSERT_RECORD] = "INSERT INTO records(" RECORD_WRITE_COLS ")"
			    " VALUES (" RECORD_WRITE_VALUES ")",
	[Q_UPDATE_RECORD] = "UPDATE records SET status = ?1, vals = ?2,"
			    " updated_by = ?3, updated_ms = " ST_MS("?4") ", version = version + 1"
			    " WHERE uuid = ?5 AND version = ?6",
	[Q_SET_STATUS] = "UPDATE records SET status = ?1,"
			 " comment = CASE WHEN ?2 THEN ?3 ELSE comment END,"
			 " updated_by = ?4, updated_ms = " ST_MS("?5") ", version = version + 1"
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

/* Sets *cause to s and returns rc. */
int st_fail_msg(char **cause, int rc, char *s)
{
	st_set_cause(cause, s);
	return rc;
}

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

/* Turns SQLite result rc into SR_FAIL with a message; call it before the
 * failed statement is reset, while sqlite3_errmsg still describes it. */
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

/* Returns the cached statement q with the n texts v bound as ?1..?n, or
 * NULL (with *cause set) when it cannot be prepared. */
static sqlite3_stmt *prep_texts(struct store *st, enum stmt_id q, const char *const v[], int n,
				char **cause)
{
	sqlite3_stmt *s = st_prep(st, q, cause);
	for (int i = 0; s && i < n; i++)
		st_bind_text(s, i + 1, v[i]);
	return s;
}

/* Runs the cached statement q with the n texts v as ?1..?n, as st_run. */
int st_run_texts(struct store *st, enum stmt_id q, const char *const v[], int n, char **cause)
{
	sqlite3_stmt *s = prep_texts(st, q, v, n, cause);
	return s ? st_run(st, s, cause) : SR_FAIL;
}

/* Steps s once and sets *out to a new copy of the first column of its row,
 * or NULL when there is no row; resets s. */
int st_one_text(struct store *st, sqlite3_stmt *s, char **out, char **cause)
{
	int ret = SR_OK, rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? st_col_dup(s, 0) : NULL;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	st_done(s);
	return ret;
}

/* st_one_text on the cached statement q with the n texts v as ?1..?n. */
int st_get_text(struct store *st, enum stmt_id q, const char *const v[], int n, char **out,
		char **cause)
{
	*out = NULL;
	sqlite3_stmt *s = prep_texts(st, q, v, n, cause);
	return s ? st_one_text(st, s, out, cause) : SR_FAIL;
}

/* Ends a loop over the rows of s, a statement prepared for one call, whose
 * last step returned rc: finalizes s and returns ret, or SR_FAIL when the
 * step failed. */
int st_rows_end(struct store *st, sqlite3_stmt *s, int rc, int ret, char **cause)
{
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	sqlite3_finalize(s);
	return ret;
}

/* Runs sql, one or more statements with no parameters, to its end. */
int st_exec(struct store *st, const char *sql, char **cause)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? SR_OK : st_db_fail(st, rc, cause);
}

/* Runs sql, one statement whose ?1 is a record id, to its end. */
int st_exec_since(struct store *st, const char *sql, long long id, char **cause)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	return st_rows_end(st, s, rc, SR_OK, cause);
}

int st_tx_begin(struct store *st, char **cause)
{
	return st_run_q(st, Q_BEGIN, cause);
}

/* Ends the transaction st_tx_begin opened: commits when ret is SR_OK, else (or
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

const char *const st_col_names[RC__COUNT] = {
	"uuid", "category", "status", "person_key", "name", "township", "village",
	"phone", "vals", "comment", "created_by", "created_at", "updated_by",
	"updated_at", "version", "site"};

/* Points f[RC_*] at the fields of r that hold the row's text columns as
 * they are; the other columns (uuid, status, vals, version) need a
 * conversion and are NULL here, mapped by the two functions below. */
static void text_fields(struct record *r, char **f[RC__COUNT])
{
	memset(f, 0, RC__COUNT * sizeof *f);
	f[RC_CATEGORY] = &r->category;
	f[RC_PERSON_KEY] = &r->person_key;
	f[RC_NAME] = &r->name;
	f[RC_TOWNSHIP] = &r->township;
	f[RC_VILLAGE] = &r->village;
	f[RC_PHONE] = &r->phone;
	f[RC_COMMENT] = &r->comment;
	f[RC_CREATED_BY] = &r->created_by;
	f[RC_CREATED_AT] = &r->created_at;
	f[RC_UPDATED_BY] = &r->updated_by;
	f[RC_UPDATED_AT] = &r->updated_at;
	f[RC_SITE] = &r->site;
}

/* Points c[RC_*] at r's columns (borrowed), vals_json as vals; c[RC_VERSION]
 * is NULL: the version is the caller's to bind. */
void st_record_cols(const struct record *r, const char *vals_json, const char *c[RC__COUNT])
{
	char **f[RC__COUNT];
	text_fields((struct record *)r, f);	/* only read */
	for (int i = 0; i < RC__COUNT; i++)
		c[i] = f[i] ? *f[i] : NULL;
	c[RC_UUID] = r->uuid;
	c[RC_STATUS] = status_name(r->status);
	c[RC_VALS] = vals_json;
}

/* Binds the columns c as ?1..?16 (NULL binds SQL NULL), version as ?15. */
void st_bind_cols(sqlite3_stmt *s, const char *const c[RC__COUNT], int version)
{
	for (int i = 0; i < RC__COUNT; i++) {
		if (i == RC_VERSION)
			sqlite3_bind_int(s, i + 1, version);
		else
			st_bind_text(s, i + 1, c[i]);
	}
}

/* Fills r (zeroed first) with copies of the column texts t[RC_*] and
 * version; r->vals is left for the caller. */
void st_record_from_cols(struct record *r, const char *const t[RC__COUNT], int version)
{
	char **f[RC__COUNT];
	memset(r, 0, sizeof *r);
	text_fields(r, f);
	for (int i = 0; i < RC__COUNT; i++)
		if (f[i])
			*f[i] = xstrdup(t[i]);
	snprintf(r->uuid, sizeof r->uuid, "%s", t[RC_UUID] ? t[RC_UUID] : "");
	if (status_parse(t[RC_STATUS], &r->status) < 0)
		r->status = ST_DRAFT;	/* cannot happen: the CHECK constraint */
	r->version = version;
}

/* Fills r (zeroed first) from the current row of s, which lists RECORD_COLS. */
int st_row_to_record(struct store *st, sqlite3_stmt *s, struct record *r, char **cause)
{
	const char *t[RC__COUNT] = {0};
	for (int i = 0; i < RC__COUNT; i++)
		if (i != RC_VERSION)
			t[i] = (const char *)sqlite3_column_text(s, i);
	st_record_from_cols(r, t, sqlite3_column_int(s, RC_VERSION));
	return st_vals_from_json(st, t[RC_VALS], &r->vals, cause);
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
	struct auth_subject subj = {township, status, created_by, NULL, NULL};
	return check_subject(a, act, &subj, cause);
}

int st_check_record(const struct actor *a, enum action act, const struct record *r,
			char **cause)
{
	enum msg_id why = MSG_DENIED_ROLE;
	if (auth_check_record(a->user, act, r, &why) == 0)
		return SR_OK;
	return st_fail_msg(cause, SR_DENIED, msgf(MSG_DENIED, msg(why)));
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
	const char *const v[] = {at, st_real_login(a), st_as_user(a), action, uuid, old_vals,
				 new_vals, comment};
	return st_run_texts(st, Q_INSERT_AUDIT, v, (int)ARRAY_LEN(v), cause);
}

/* Copies id into lo as a lower-case uuid prefix, and into hi the same
 * followed by DEL, above every uuid character, so that lo <= uuid < hi
 * holds for the uuids that start with it; reports whether id can name a
 * record: 8 to 36 characters of hex digits and hyphens. */
bool st_uuid_range(const char *id, char lo[UUID_LEN + 1], char hi[UUID_LEN + 2])
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
	snprintf(hi, UUID_LEN + 2, "%s\x7f", lo);
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
	if (!st_uuid_range(id, lo, hi))
		return st_fail_msg(cause, SR_NOTFOUND, msgf(MSG_NOT_FOUND, id ? id : ""));
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
	return st_rows_end(st, s, rc, ret, cause);
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
