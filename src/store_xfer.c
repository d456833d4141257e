/*
 * store_xfer.c - the store's side of import, export and backup (see
 * store_xfer.h). The rules of store_int.h: values reach SQL only as bound
 * parameters, every write runs in BEGIN IMMEDIATE ... COMMIT, and the
 * authorization check comes from auth_check() through st_check().
 *
 * The backup holds one read transaction on the live database for the whole
 * copy. In WAL mode a reader never blocks writers, and because the snapshot
 * cannot move, sqlite3_backup_step() never has to restart when another
 * process writes between two steps: the copy is the database as it was when
 * the backup began.
 */
#include "store_xfer.h"
#include "store_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT_SQL \
	"SELECT " RECORD_COLS " FROM records WHERE status <> 'withdrawn'" \
	" AND (?1 IS NULL OR category = ?1) ORDER BY category, created_at, id"

int store_export_each(struct store *st, const struct actor *a, const char *category,
		      int (*cb)(const struct record *r, void *arg), void *arg, char **cause)
{
	assert(st && a && a->user && cb);
	int ret = st_check(a, ACT_EXPORT, NULL, ST_SUBMITTED, NULL, cause);
	if (ret != SR_OK)
		return ret;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, EXPORT_SQL, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, category);
	return st_each_record(st, s, a, cb, arg, cause);	/* only what a may see */
}


#define PERSON_VALUES_SQL \
	"SELECT person_key, uuid FROM records WHERE category = ?1 AND status <> 'withdrawn'"
/* ?2 is a plain field key, quoted as a JSON path label */
#define FIELD_VALUES_SQL \
	"SELECT json_extract(vals, '$.\"' || ?2 || '\"'), uuid FROM records" \
	" WHERE category = ?1 AND status <> 'withdrawn'"

int store_field_values(struct store *st, const char *category, const char *key,
		       void (*cb)(const char *value, const char *uuid, void *arg), void *arg,
		       char **cause)
{
	assert(st && category && cb);
	if (key && !st_plain_key(key))
		return st_fail_msg(cause, SR_FAIL, msgf(MSG_INI_BAD_VALUE, "key", key));
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, key ? FIELD_VALUES_SQL : PERSON_VALUES_SQL, -1, &s,
				    NULL);
	if (rc == SQLITE_OK) {
		st_bind_text(s, 1, category);
		if (key)
			st_bind_text(s, 2, key);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(s, 0);
			const char *uuid = (const char *)sqlite3_column_text(s, 1);
			if (!str_empty(v) && uuid)
				cb(v, uuid, arg);
		}
	}
	return st_rows_end(st, s, rc, SR_OK, cause);
}

int store_bulk_mode(struct store *st, int cache_mb, char **cause)
{
	assert(st && cache_mb > 0);
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d; PRAGMA temp_store = MEMORY",
		 cache_mb * 1024);
	return st_exec(st, sql, cause);
}

/* Pages copied per backup step: 1 MB of 4 KB pages. */
#define BACKUP_STEP_PAGES 256
#define BACKUP_BUSY_PAUSE_MS 10

/* Copies st's database into dst page by page from one snapshot; *pages
 * gets the page count. */
static int copy_pages(struct store *st, sqlite3 *dst, int *pages, char **cause)
{
	/* the snapshot: a read transaction that stays open for the whole copy */
	if (st_exec(st, "BEGIN; SELECT count(*) FROM sqlite_schema", cause) != SR_OK)
		return SR_FAIL;
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", st->db, "main");
	int ret = SR_OK;
	if (b == NULL) {
		ret = st_fail_msg(cause, SR_FAIL, msgf(MSG_STORE_FAILED, sqlite3_errmsg(dst)));
	} else {
		int rc, waited = 0;
		do {
			rc = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
			if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
			    waited < BUSY_TIMEOUT_MS) {
				sqlite3_sleep(BACKUP_BUSY_PAUSE_MS);
				waited += BACKUP_BUSY_PAUSE_MS;
				rc = SQLITE_OK;
			}
		} while (rc == SQLITE_OK);
		*pages = sqlite3_backup_pagecount(b);
		sqlite3_backup_finish(b);
		if (rc != SQLITE_DONE)
			ret = st_fail_msg(cause, SR_FAIL, msgf(MSG_STORE_FAILED, sqlite3_errstr(rc)));
	}
	sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);	/* a read: nothing to lose */
	return ret;
}

/* Runs PRAGMA integrity_check on db; SR_OK only when it says "ok". */
static int check_copy(sqlite3 *db, char **cause)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL);
	int ret = SR_FAIL;
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(s, 0);
		if (str_eq(r, "ok"))
			ret = SR_OK;
		else
			st_set_cause(cause, msgf(MSG_BACKUP_BAD_COPY, r ? r : "integrity_check"));
	} else {
		st_set_cause(cause, msgf(MSG_STORE_FAILED, sqlite3_errmsg(db)));
	}
	sqlite3_finalize(s);
	return ret;
}

int store_backup(struct store *st, const struct actor *a, const char *path, int *pages,
		 char **cause)
{
	assert(st && a && a->user && path && pages);
	*pages = 0;
	int ret = st_check(a, ACT_ADMIN, NULL, ST_SUBMITTED, NULL, cause);
	if (ret != SR_OK)
		return ret;
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK)
		ret = st_fail_msg(cause, SR_FAIL,
				  msgf(MSG_STORE_FAILED, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc)));
	else
		ret = copy_pages(st, dst, pages, cause);
	if (ret == SR_OK)
		ret = check_copy(dst, cause);
	if (sqlite3_close(dst) != SQLITE_OK && ret == SR_OK)
		ret = st_fail_msg(cause, SR_FAIL, msgf(MSG_STORE_FAILED, sqlite3_errmsg(dst)));
	return ret;
}
