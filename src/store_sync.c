/*
 * store_sync.c - offline site sync (sync.h), the database's side: finding
 * what a site changed and handing it to the bundle file (store_bundle.c
 * writes and reads the file), merging a read bundle into the district's
 * records, and the conflicts kept for a supervisor.
 *
 * How a site knows what changed: sync_shadow holds every record as it was
 * when last exported. An export copies the records that differ from their
 * shadow into a temporary table with a session attached, so the session
 * records one full-row INSERT per changed record, keyed by uuid (records.id
 * differs between databases and never travels). Full rows, not UPDATEs of
 * changed columns, so that every bundle stands alone: the district never
 * needs an earlier bundle to read a later one. The shadow is updated in the
 * transaction that wrote the file.
 *
 * How the district merges: sync_seen remembers, per site and uuid, the
 * site's version it last received and the district's version of the record
 * just after. A newer site version over an untouched district copy is an
 * update; a newer site version over a district copy that moved too is a
 * conflict, kept in sync_conflicts and never applied until a supervisor
 * says so. Applied bundles are remembered by checksum in sync_bundles, and
 * every rule is idempotent on its own. Nothing is ever deleted.
 *
 * sqlite3changeset_apply() writes only to tables of "main" (SQLite 3.40),
 * so the district reads a bundle with the changeset iterator
 * (store_bundle.c) instead of applying it into a staging table; the
 * iterator also checks its structure.
 */
#define SQLITE_ENABLE_SESSION	/* declares the session API in <sqlite3.h> */
#include "store_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"

/* ---- rows ---- */

/* Appends the row as one JSON object (vals as a nested object) to b: the
 * incoming row of a conflict, as sync_conflicts keeps it. */
static void row_json(const struct sync_row *row, struct buf *b)
{
	const char *c[RC__COUNT];
	st_record_cols(&row->r, row->vals_json, c);
	buf_putc(b, '{');
	for (int i = 0; i < RC__COUNT; i++) {
		buf_printf(b, "%s\"%s\":", i ? "," : "", st_col_names[i]);
		if (i == RC_VERSION)
			buf_printf(b, "%d", row->r.version);
		else if (i == RC_VALS)
			kv_to_json(&row->r.vals, b);
		else if (c[i] == NULL)
			buf_puts(b, "null");
		else
			json_str(b, c[i]);
	}
	buf_putc(b, '}');
}

void sync_result_free(struct sync_result *res)
{
	if (res) {
		free(res->applied_at);
		res->applied_at = NULL;
	}
}

/* ---- statements ---- */

/* Prepares n statements of sql into v (zeroed first); on failure finalizes
 * what it made. */
static int prep_all(struct store *st, sqlite3_stmt **v, const char *const *sql, size_t n,
		    char **cause)
{
	memset(v, 0, n * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		int rc = sqlite3_prepare_v2(st->db, sql[i], -1, &v[i], NULL);
		if (rc != SQLITE_OK) {
			int ret = st_db_fail(st, rc, cause);
			for (size_t j = 0; j <= i; j++)
				sqlite3_finalize(v[j]);
			memset(v, 0, n * sizeof *v);
			return ret;
		}
	}
	return SR_OK;
}

static void finalize_all(sqlite3_stmt **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sqlite3_finalize(v[i]);
}

/* Binds the row's 16 columns as ?1..?16, the version as version. */
static void bind_row(sqlite3_stmt *s, const struct sync_row *row, int version)
{
	const char *c[RC__COUNT];
	st_record_cols(&row->r, row->vals_json, c);
	st_bind_cols(s, c, version);
}

/* ---- export ---- */

#define SHADOW_SAME \
	"s.uuid = r.uuid AND s.category IS r.category AND s.status IS r.status" \
	" AND s.person_key IS r.person_key AND s.name IS r.name" \
	" AND s.township IS r.township AND s.village IS r.village AND s.phone IS r.phone" \
	" AND s.vals IS r.vals AND s.comment IS r.comment AND s.created_by IS r.created_by" \
	" AND s.created_at IS r.created_at AND s.updated_by IS r.updated_by" \
	" AND s.updated_at IS r.updated_at AND s.version IS r.version AND s.site IS r.site"

static const char SQL_ROWS_TABLE[] =
	"CREATE TEMP TABLE IF NOT EXISTS " ST_SYNC_ROWS_TABLE "(uuid TEXT PRIMARY KEY, category TEXT,"
	" status TEXT, person_key TEXT, name TEXT, township TEXT, village TEXT, phone TEXT,"
	" vals TEXT, comment TEXT, created_by TEXT, created_at TEXT, updated_by TEXT,"
	" updated_at TEXT, version INTEGER, site TEXT);"
	"DELETE FROM temp." ST_SYNC_ROWS_TABLE;

/* ?1: every record, not only the changed ones */
static const char SQL_CHANGED[] =
	"INSERT INTO temp." ST_SYNC_ROWS_TABLE "(" RECORD_COLS ") SELECT " RECORD_COLS
	" FROM main.records r WHERE ?1 OR NOT EXISTS"
	" (SELECT 1 FROM main.sync_shadow s WHERE " SHADOW_SAME ")";

static const char SQL_SHADOW_SAVE[] =
	"INSERT OR REPLACE INTO main.sync_shadow(" RECORD_COLS ") SELECT " RECORD_COLS
	" FROM temp." ST_SYNC_ROWS_TABLE ";"
	"DELETE FROM temp." ST_SYNC_ROWS_TABLE;

/* Fills temp.sync_rows with the changed records while a session watches;
 * *cs and *n receive the changeset (sqlite3_free it), *rows its size. */
static int changed_rows(struct store *st, bool all, void **cs, int *n, long *rows, char **cause)
{
	*cs = NULL;
	*n = 0;
	int ret = st_exec(st, SQL_ROWS_TABLE, cause);
	if (ret != SR_OK)
		return ret;
	sqlite3_session *sess = NULL;
	int rc = sqlite3session_create(st->db, "temp", &sess);
	if (rc == SQLITE_OK)
		rc = sqlite3session_attach(sess, ST_SYNC_ROWS_TABLE);
	sqlite3_stmt *s = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(st->db, SQL_CHANGED, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int(s, 1, all);
		rc = sqlite3_step(s);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	if (rc == SQLITE_OK) {
		*rows = (long)sqlite3_changes(st->db);
		rc = sqlite3session_changeset(sess, n, cs);
	}
	if (rc != SQLITE_OK)
		ret = st_db_fail(st, rc, cause);
	sqlite3_finalize(s);
	sqlite3session_delete(sess);
	return ret;
}

int store_sync_export(struct store *st, const struct actor *a, const char *site,
		      const char *site_name, bool all, const struct sync_sink *sink,
		      struct sync_result *res, char **cause)
{
	assert(st && a && a->user && sink && sink->put && res);
	memset(res, 0, sizeof *res);
	if (!sync_site_ok(site))
		return st_fail_msg(cause, SR_FAIL, msgf(MSG_SYNC_BAD_SITE, site ? site : ""));
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	void *cs = NULL;
	int n = 0;
	char *now = now_iso();
	ret = st_check(a, ACT_ADMIN, NULL, ST_SUBMITTED, NULL, cause);
	if (ret == SR_OK)
		ret = changed_rows(st, all, &cs, &n, &res->rows, cause);
	/* The file goes first: when the commit below fails after it, the next
	 * export sends the same rows again, which the district takes as repeats. */
	if (ret == SR_OK)
		ret = st_bundle_put(sink, site, site_name, now, res->rows, cs, (size_t)n, res->sha256,
				    cause);
	if (ret == SR_OK)
		ret = st_exec(st, SQL_SHADOW_SAVE, cause);
	if (ret == SR_OK) {
		char *note = msgf(MSG_SYNC_AUDIT_EXPORT, sink->name, res->rows, res->sha256);
		ret = st_audit_add(st, a, now, "sync_export", NULL, NULL, NULL, note, cause);
		free(note);
	}
	sqlite3_free(cs);
	free(now);
	return st_tx_end(st, ret, cause);
}

/* ---- import ---- */

enum {
	M_GET, M_SEEN_GET, M_SEEN_PUT, M_INSERT, M_UPDATE, M_CONFLICT_ADD,
	M_SUPERSEDE, M_BUNDLE_GET, M_BUNDLE_ADD, M_OPEN_COUNT, M__COUNT
};
static const char *const merge_sql[M__COUNT] = {
	[M_GET] = "SELECT " RECORD_COLS " FROM main.records WHERE uuid = ?1",
	[M_SEEN_GET] = "SELECT version, local_version FROM main.sync_seen"
		       " WHERE site = ?1 AND uuid = ?2",
	[M_SEEN_PUT] = "INSERT INTO main.sync_seen(site, uuid, version, local_version)"
		       " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (site, uuid) DO UPDATE"
		       " SET version = excluded.version, local_version = excluded.local_version",
	[M_INSERT] = "INSERT INTO main.records(" RECORD_COLS ") VALUES (?1, ?2, ?3, ?4, ?5,"
		     " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
	/* created_by and created_at (?11, ?12) stay as the record was made */
	[M_UPDATE] = "UPDATE main.records SET category = ?2, status = ?3, person_key = ?4,"
		     " name = ?5, township = ?6, village = ?7, phone = ?8, vals = ?9,"
		     " comment = ?10, updated_by = ?13, updated_at = ?14, version = ?15,"
		     " site = ?16 WHERE uuid = ?1",
	[M_CONFLICT_ADD] = "INSERT OR IGNORE INTO main.sync_conflicts(site, uuid, kind, incoming,"
			   " incoming_version, local_version, other_uuid, bundle, at)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[M_SUPERSEDE] = "UPDATE main.sync_conflicts SET resolution = 'superseded',"
			" resolved_at = ?3 WHERE site = ?1 AND uuid = ?2"
			" AND resolution IS NULL AND incoming_version < ?4",
	[M_BUNDLE_GET] = "SELECT applied_at FROM main.sync_bundles WHERE sha256 = ?1",
	[M_BUNDLE_ADD] = "INSERT INTO main.sync_bundles(sha256, site, exported_at, rows,"
			 " applied_at, applied_by, inserted, updated, unchanged, conflicts)"
			 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[M_OPEN_COUNT] = "SELECT count(*) FROM main.sync_conflicts WHERE resolution IS NULL",
};

/* One merge: the statements, who acts, the bundle's site and checksum. */
struct merge {
	struct store *st;
	sqlite3_stmt *q[M__COUNT];
	const struct actor *a;
	const char *site, *bundle, *now;
	struct sync_result *res;
};

/* The district's copy of a record, as merge compares it. */
struct local {
	bool found;
	struct sync_row row;
};

/* Reads the record uuid into *l (l->found false when there is none). */
static int local_get(struct merge *m, const char *uuid, struct local *l, char **cause)
{
	sqlite3_stmt *s = m->q[M_GET];
	memset(l, 0, sizeof *l);
	st_bind_text(s, 1, uuid);
	int ret = SR_OK, rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		sqlite3_value *v[RC__COUNT];
		for (int i = 0; i < RC__COUNT; i++)
			v[i] = sqlite3_value_dup(sqlite3_column_value(s, i));
		const char *col = NULL;
		if (st_sync_row_fill(&l->row, v, &col) < 0)	/* cannot happen: the schema's checks */
			ret = st_fail_msg(cause, SR_FAIL, msgf(MSG_STORE_FAILED, col));
		else
			l->found = true;
		for (int i = 0; i < RC__COUNT; i++)
			sqlite3_value_free(v[i]);
	} else if (rc != SQLITE_DONE)
		ret = st_db_fail(m->st, rc, cause);
	st_done(s);
	return ret;
}

/* What sync_seen says about (site, uuid): *found, and the versions. */
static int seen_get(struct merge *m, const char *site, const char *uuid, bool *found,
		    int *version, int *local_version, char **cause)
{
	sqlite3_stmt *s = m->q[M_SEEN_GET];
	st_bind_text(s, 1, site);
	st_bind_text(s, 2, uuid);
	int ret = SR_OK, rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	*version = *found ? sqlite3_column_int(s, 0) : 0;
	*local_version = *found ? sqlite3_column_int(s, 1) : 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = st_db_fail(m->st, rc, cause);
	st_done(s);
	return ret;
}

static int seen_put(struct merge *m, const char *site, const char *uuid, int version,
		    int local_version, char **cause)
{
	sqlite3_stmt *s = m->q[M_SEEN_PUT];
	st_bind_text(s, 1, site);
	st_bind_text(s, 2, uuid);
	sqlite3_bind_int(s, 3, version);
	sqlite3_bind_int(s, 4, local_version);
	return st_run(m->st, s, cause);
}

/* Sets *other to the uuid (new string) of another live record of the
 * row's person in its category, or NULL. A withdrawn row collides with
 * nothing. */
static int live_other(struct merge *m, const struct sync_row *row, char **other, char **cause)
{
	*other = NULL;
	if (row->r.status == ST_WITHDRAWN)
		return SR_OK;
	const char *const v[] = {row->r.category, row->r.person_key, row->r.uuid};
	return st_get_text(m->st, Q_LIVE_PERSON, v, (int)ARRAY_LEN(v), other, cause);
}

/* Returns true when the two copies hold the same data (who and when aside). */
static bool same_content(const struct sync_row *x, const struct sync_row *y)
{
	static const int cols[] = {RC_CATEGORY, RC_STATUS, RC_PERSON_KEY, RC_NAME, RC_TOWNSHIP,
				   RC_VILLAGE, RC_PHONE, RC_VALS, RC_COMMENT};
	const char *a[RC__COUNT], *b[RC__COUNT];
	st_record_cols(&x->r, x->vals_json, a);
	st_record_cols(&y->r, y->vals_json, b);
	for (size_t i = 0; i < ARRAY_LEN(cols); i++) {
		const char *p = a[cols[i]], *q = b[cols[i]];
		if ((p == NULL) != (q == NULL) || (p && strcmp(p, q) != 0))
			return false;
	}
	return true;
}

/* Writes the row into records: a new record (old NULL) or over old, with
 * the given version; then the audit row. */
static int write_row(struct store *st, sqlite3_stmt *s, const struct actor *a, const char *now,
		     const char *action, const struct sync_row *row, const struct sync_row *old,
		     int version, const char *note, char **cause)
{
	bind_row(s, row, version);
	int ret = st_run(st, s, cause);
	if (ret == SR_OK)
		ret = st_audit_add(st, a, now, action, row->r.uuid, old ? old->vals_json : NULL,
				   row->vals_json, note, cause);
	return ret;
}

/* Keeps the row as a conflict of kind with the district's version (0:
 * none) and the other live record (duplicates). A conflict already kept
 * (the same site, uuid and version) is a repeat and changes nothing. */
static int keep_conflict(struct merge *m, const struct sync_row *row, const char *kind,
			 const struct local *l, const char *other, char **cause)
{
	struct buf json = {0};
	row_json(row, &json);
	sqlite3_stmt *s = m->q[M_CONFLICT_ADD];
	st_bind_text(s, 1, m->site);
	st_bind_text(s, 2, row->r.uuid);
	st_bind_text(s, 3, kind);
	st_bind_text(s, 4, json.s);
	sqlite3_bind_int(s, 5, row->r.version);
	sqlite3_bind_int(s, 6, l->found ? l->row.r.version : 0);
	st_bind_text(s, 7, other);
	st_bind_text(s, 8, m->bundle);
	st_bind_text(s, 9, m->now);
	int ret = st_run(m->st, s, cause);
	buf_free(&json);
	if (ret != SR_OK)
		return ret;
	if (sqlite3_changes(m->st->db) == 0) {
		m->res->unchanged++;
		return SR_OK;
	}
	s = m->q[M_SUPERSEDE];
	st_bind_text(s, 1, m->site);
	st_bind_text(s, 2, row->r.uuid);
	st_bind_text(s, 3, m->now);
	sqlite3_bind_int(s, 4, row->r.version);
	ret = st_run(m->st, s, cause);
	char *note = msgf(MSG_SYNC_AUDIT_CONFLICT, m->site, row->r.version);
	if (ret == SR_OK)
		ret = st_audit_add(m->st, m->a, m->now, "sync_conflict", row->r.uuid,
				   l->found ? l->row.vals_json : NULL, row->vals_json, note, cause);
	free(note);
	m->res->conflicts++;
	return ret;
}

/* A row whose uuid the district does not have: inserted, unless the person
 * is already registered live in the category (a duplicate conflict). */
static int merge_new(struct merge *m, const struct sync_row *row, const struct local *l,
		     char **cause)
{
	char *other = NULL;
	int ret = live_other(m, row, &other, cause);
	if (ret == SR_OK && other)
		ret = keep_conflict(m, row, "duplicate", l, other, cause);
	else if (ret == SR_OK) {
		char *note = msgf(MSG_SYNC_AUDIT_FROM, m->site, row->r.version);
		ret = write_row(m->st, m->q[M_INSERT], m->a, m->now, "sync", row, NULL,
				row->r.version, note, cause);
		free(note);
		if (ret == SR_OK)
			ret = seen_put(m, m->site, row->r.uuid, row->r.version, row->r.version, cause);
		m->res->inserted++;
	}
	free(other);
	return ret;
}

/* Applies one incoming row; see the rules at the top of the file. */
static int merge_row(struct merge *m, const struct sync_row *row, char **cause)
{
	struct local l;
	bool seen;
	int seen_v, seen_local;
	int ret = local_get(m, row->r.uuid, &l, cause);
	if (ret == SR_OK)
		ret = seen_get(m, m->site, row->r.uuid, &seen, &seen_v, &seen_local, cause);
	if (ret != SR_OK)
		goto out;
	if (!l.found) {
		ret = merge_new(m, row, &l, cause);
		goto out;
	}
	if (seen && row->r.version <= seen_v) {	/* old news, or a repeat */
		m->res->unchanged++;
		goto out;
	}
	if (same_content(&l.row, row)) {	/* both sides agree already */
		ret = seen_put(m, m->site, row->r.uuid, row->r.version, l.row.r.version, cause);
		m->res->unchanged++;
		goto out;
	}
	if (!seen || l.row.r.version != seen_local) {	/* the district moved too */
		ret = keep_conflict(m, row, "edited", &l, NULL, cause);
		if (ret == SR_OK)
			ret = seen_put(m, m->site, row->r.uuid, row->r.version,
				       seen ? seen_local : 0, cause);
		goto out;
	}
	char *other = NULL;
	ret = live_other(m, row, &other, cause);
	if (ret == SR_OK && other)
		ret = keep_conflict(m, row, "duplicate", &l, other, cause);
	else if (ret == SR_OK) {
		int v = l.row.r.version + 1 > row->r.version ? l.row.r.version + 1 : row->r.version;
		char *note = msgf(MSG_SYNC_AUDIT_FROM, m->site, row->r.version);
		ret = write_row(m->st, m->q[M_UPDATE], m->a, m->now, "sync", row, &l.row, v, note,
				cause);
		free(note);
		if (ret == SR_OK)
			ret = seen_put(m, m->site, row->r.uuid, row->r.version, v, cause);
		m->res->updated++;
	}
	free(other);
out:
	st_sync_row_free(&l.row);
	return ret;
}

/* Sets *applied_at (new string) when the bundle was applied before. */
static int bundle_applied(struct merge *m, char **applied_at, char **cause)
{
	sqlite3_stmt *s = m->q[M_BUNDLE_GET];
	st_bind_text(s, 1, m->bundle);
	return st_one_text(m->st, s, applied_at, cause);
}

/* Remembers the bundle as applied, with what it did, and audits it. */
static int bundle_done(struct merge *m, const struct sync_bundle *b, char **cause)
{
	const struct sync_result *r = m->res;
	sqlite3_stmt *s = m->q[M_BUNDLE_ADD];
	st_bind_text(s, 1, b->sha256);
	st_bind_text(s, 2, b->site);
	st_bind_text(s, 3, b->exported);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)b->nrows);
	st_bind_text(s, 5, m->now);
	st_bind_text(s, 6, st_real_login(m->a));
	sqlite3_bind_int64(s, 7, r->inserted);
	sqlite3_bind_int64(s, 8, r->updated);
	sqlite3_bind_int64(s, 9, r->unchanged);
	sqlite3_bind_int64(s, 10, r->conflicts);
	int ret = st_run(m->st, s, cause);
	if (ret == SR_OK) {
		char *note = msgf(MSG_SYNC_AUDIT_IMPORT, b->site, r->rows, r->inserted, r->updated,
				  r->conflicts, b->sha256);
		ret = st_audit_add(m->st, m->a, m->now, "sync_import", NULL, NULL, NULL, note, cause);
		free(note);
	}
	return ret;
}

static int open_conflicts(struct merge *m, long *n, char **cause)
{
	sqlite3_stmt *s = m->q[M_OPEN_COUNT];
	int ret = SR_OK, rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(s, 0);
	else
		ret = st_db_fail(m->st, rc, cause);
	st_done(s);
	return ret;
}

int store_sync_import(struct store *st, const struct actor *a, const struct sync_bundle *b,
		      struct sync_result *res, char **cause)
{
	assert(st && a && a->user && b && res);
	memset(res, 0, sizeof *res);
	res->rows = (long)b->nrows;
	snprintf(res->sha256, sizeof res->sha256, "%s", b->sha256);
	char *now = now_iso();
	struct merge m = {st, {0}, a, b->site, b->sha256, now, res};
	int ret = prep_all(st, m.q, merge_sql, M__COUNT, cause);
	if (ret != SR_OK) {
		free(now);
		return ret;
	}
	ret = st_tx_begin(st, cause);
	if (ret == SR_OK) {
		ret = st_check(a, ACT_ADMIN, NULL, ST_SUBMITTED, NULL, cause);
		if (ret == SR_OK)
			ret = bundle_applied(&m, &res->applied_at, cause);
		res->already = ret == SR_OK && res->applied_at != NULL;
		for (size_t i = 0; ret == SR_OK && !res->already && i < b->nrows; i++)
			ret = merge_row(&m, &b->rows[i], cause);
		if (ret == SR_OK && !res->already)
			ret = bundle_done(&m, b, cause);
		if (ret == SR_OK)
			ret = open_conflicts(&m, &res->open_conflicts, cause);
		ret = st_tx_end(st, ret, cause);
	}
	finalize_all(m.q, M__COUNT);
	free(now);
	if (ret != SR_OK) {	/* rolled back: nothing was done */
		sync_result_free(res);
		res->inserted = res->updated = res->unchanged = res->conflicts = 0;
		res->already = false;
	}
	return ret;
}

/* ---- conflicts: listing and resolving ---- */

#define CONFLICT_COLS \
	"c.id, c.site, c.uuid, c.kind, json_extract(c.incoming, '$.name')," \
	" json_extract(c.incoming, '$.township'), c.other_uuid, c.incoming_version," \
	" c.local_version, c.at, c.resolution, c.resolved_by, c.resolved_at, c.incoming," \
	" r.township, json_extract(c.incoming, '$.vals'), r.vals," \
	" json_extract(c.incoming, '$.category')"
enum { CC_LOCAL_TOWNSHIP = 14, CC_VALS, CC_LOCAL_VALS, CC_CATEGORY, CC__COUNT };

static const char SQL_CONFLICTS[] =
	"SELECT " CONFLICT_COLS " FROM main.sync_conflicts c"
	" LEFT JOIN main.records r ON r.uuid = c.uuid"
	" WHERE ?1 OR c.resolution IS NULL ORDER BY c.id";

/* Appends to b the keys whose values differ between the JSON objects x and
 * y (either may be NULL), as "a, b". */
static void differing_keys(const char *x, const char *y, struct buf *b)
{
	struct kv kx = {0}, ky = {0};
	if (x)
		kv_from_json(x, &kx);
	if (y)
		kv_from_json(y, &ky);
	struct kv *sides[] = {&kx, &ky};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < sides[k]->keys.n; i++) {
			const char *key = sides[k]->keys.v[i];
			const char *vx = kv_get(&kx, key), *vy = kv_get(&ky, key);
			if ((k == 1 && vx) || (vx && vy && strcmp(vx, vy) == 0))
				continue;
			buf_printf(b, "%s%s", b->len ? ", " : "", key);
		}
	kv_free(&kx);
	kv_free(&ky);
}

static void conflict_from(sqlite3_stmt *s, struct sync_conflict *c, struct buf *fields)
{
	const char *t[CC__COUNT];
	for (int i = 0; i < CC__COUNT; i++)
		t[i] = (const char *)sqlite3_column_text(s, i);
	buf_add(fields, "", 0);
	differing_keys(t[CC_LOCAL_VALS], t[CC_VALS], fields);
	*c = (struct sync_conflict){
		.id = (long)sqlite3_column_int64(s, 0), .site = t[1], .uuid = t[2], .kind = t[3],
		.name = t[4], .township = t[5], .other_uuid = t[6],
		.incoming_version = sqlite3_column_int(s, 7),
		.local_version = sqlite3_column_int(s, 8), .at = t[9], .resolution = t[10],
		.resolved_by = t[11], .resolved_at = t[12], .incoming_json = t[13],
		.fields = fields->s, .category = t[CC_CATEGORY],
	};
}

/* Conflicts are a supervisor's or an admin's to see and decide: the role
 * check the brief of issue 5 asks for, as auth.c has no action for it. */
static int supervisor_or_admin(const struct actor *a, char **cause)
{
	if (a->user->role == ROLE_SUPERVISOR || a->user->role == ROLE_ADMIN)
		return SR_OK;
	return st_fail_msg(cause, SR_DENIED, msgf(MSG_DENIED, msg(MSG_DENIED_ROLE)));
}

/* Returns SR_OK when a may decide on a conflict whose incoming row is in
 * township t and whose district copy (if found) is in township lt: a
 * supervisor in scope of both, or an admin. ACT_VIEW_FULL is the action
 * auth_check grants exactly so (not an officer, in scope, any status);
 * deciding needs the unmasked values anyway. */
static int conflict_check(const struct actor *a, const char *t, const char *lt, bool found,
			  char **cause)
{
	int ret = supervisor_or_admin(a, cause);
	if (ret == SR_OK)
		ret = st_check(a, ACT_VIEW_FULL, t, ST_SUBMITTED, NULL, cause);
	if (ret == SR_OK && found)
		ret = st_check(a, ACT_VIEW_FULL, lt, ST_SUBMITTED, NULL, cause);
	return ret;
}

int store_sync_conflicts(struct store *st, const struct actor *a, bool all,
			 int (*cb)(const struct sync_conflict *c, void *arg), void *arg,
			 char **cause)
{
	assert(st && a && a->user && cb);
	int ret = supervisor_or_admin(a, cause);
	if (ret != SR_OK)
		return ret;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, SQL_CONFLICTS, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int(s, 1, all);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			struct sync_conflict c;
			struct buf fields = {0};
			conflict_from(s, &c, &fields);
			bool found = sqlite3_column_type(s, CC_LOCAL_TOWNSHIP) != SQLITE_NULL;
			const char *lt = (const char *)sqlite3_column_text(s, CC_LOCAL_TOWNSHIP);
			int stop = conflict_check(a, c.township, lt, found, NULL) == SR_OK && cb(&c, arg);
			buf_free(&fields);
			if (stop)
				break;
		}
	}
	return st_rows_end(st, s, rc, ret, cause);
}

/* The open conflicts of a uuid (prefix ?1 .. ?2), newest first, with the
 * incoming row's 16 columns from column 3 on. */
static const char SQL_OPEN_OF[] =
	"SELECT id, site, json_extract(incoming, '$.uuid'),"
	" json_extract(incoming, '$.category'), json_extract(incoming, '$.status'),"
	" json_extract(incoming, '$.person_key'), json_extract(incoming, '$.name'),"
	" json_extract(incoming, '$.township'), json_extract(incoming, '$.village'),"
	" json_extract(incoming, '$.phone'), json_extract(incoming, '$.vals'),"
	" json_extract(incoming, '$.comment'), json_extract(incoming, '$.created_by'),"
	" json_extract(incoming, '$.created_at'), json_extract(incoming, '$.updated_by'),"
	" json_extract(incoming, '$.updated_at'), json_extract(incoming, '$.version'),"
	" json_extract(incoming, '$.site')"
	" FROM main.sync_conflicts WHERE resolution IS NULL AND uuid >= ?1 AND uuid < ?2"
	" AND (?3 IS NULL OR site = ?3) ORDER BY incoming_version DESC, id DESC";

/* A conflict to resolve: its id, site and incoming row. */
struct pending {
	long id;
	char *site;
	struct sync_row row;
};

/* Finds the one (site, uuid) with open conflicts that id and site name and
 * loads its newest conflict into *p. */
static int pending_find(struct store *st, const char *id, const char *site, struct pending *p,
			char **cause)
{
	char lo[UUID_LEN + 1], hi[UUID_LEN + 2];
	memset(p, 0, sizeof *p);
	if (!st_uuid_range(id, lo, hi))
		return st_fail_msg(cause, SR_NOTFOUND, msgf(MSG_SYNC_NO_OPEN_CONFLICT, id ? id : ""));
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, SQL_OPEN_OF, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, lo);
	st_bind_text(s, 2, hi);
	st_bind_text(s, 3, site);
	int ret = SR_NOTFOUND;
	struct buf others = {0};
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *csite = (const char *)sqlite3_column_text(s, 1);
		const char *cuuid = (const char *)sqlite3_column_text(s, 2);
		if (ret == SR_OK) {
			if (!str_eq(csite, p->site) || !str_eq(cuuid, p->row.r.uuid))
				buf_printf(&others, "%s%s/%.8s", others.len ? "、" : "", csite, cuuid);
			continue;
		}
		sqlite3_value *v[RC__COUNT];
		for (int i = 0; i < RC__COUNT; i++)
			v[i] = sqlite3_value_dup(sqlite3_column_value(s, i + 2));
		const char *col = NULL;
		if (st_sync_row_fill(&p->row, v, &col) < 0)
			ret = st_fail_msg(cause, SR_FAIL, msgf(MSG_STORE_FAILED, col));
		else {
			p->id = (long)sqlite3_column_int64(s, 0);
			p->site = xstrdup(csite);
			ret = SR_OK;
		}
		for (int i = 0; i < RC__COUNT; i++)
			sqlite3_value_free(v[i]);
		if (ret != SR_OK)
			break;
	}
	ret = st_rows_end(st, s, rc, ret, cause);
	if (ret == SR_OK && others.len) {
		char *all = xasprintf("%s/%.8s、%s", p->site, p->row.r.uuid, others.s);
		ret = st_fail_msg(cause, SR_AMBIGUOUS, msgf(MSG_SYNC_SEVERAL, id, all));
		free(all);
	} else if (ret == SR_NOTFOUND)
		st_set_cause(cause, msgf(MSG_SYNC_NO_OPEN_CONFLICT, id));
	buf_free(&others);
	if (ret != SR_OK) {
		st_sync_row_free(&p->row);
		free(p->site);
		memset(p, 0, sizeof *p);
	}
	return ret;
}

static const char SQL_RESOLVE[] =
	"UPDATE main.sync_conflicts SET resolution = ?2, resolved_by = ?3, resolved_at = ?4,"
	" comment = ?5 WHERE id = ?1";

/* Puts the site's copy in place of the district's (or adds it). */
static int take(struct merge *m, const struct pending *p, const struct local *l,
		const char *note, char **cause)
{
	char *other = NULL;
	int ret = live_other(m, &p->row, &other, cause);
	if (ret == SR_OK && other)
		ret = st_fail_msg(cause, SR_DUP, msgf(MSG_DUP_PERSON, p->row.r.person_key, other));
	free(other);
	if (ret != SR_OK)
		return ret;
	const struct record *r = &p->row.r;
	int v = r->version;
	if (l->found && l->row.r.version + 1 > v)
		v = l->row.r.version + 1;
	ret = write_row(m->st, m->q[l->found ? M_UPDATE : M_INSERT], m->a, m->now, "sync_take",
			&p->row, l->found ? &l->row : NULL, v, note, cause);
	bool seen;
	int seen_v = 0, seen_local;
	if (ret == SR_OK)
		ret = seen_get(m, p->site, r->uuid, &seen, &seen_v, &seen_local, cause);
	if (ret == SR_OK)
		ret = seen_put(m, p->site, r->uuid, seen_v > r->version ? seen_v : r->version, v,
			       cause);
	return ret;
}

/* store_sync_resolve's work inside its transaction. */
static int resolve_locked(struct merge *m, const char *id, const char *site,
			  enum sync_choice how, const char *comment, char **cause)
{
	struct pending p;
	struct local l = {0};
	int ret = pending_find(m->st, id, site, &p, cause);
	if (ret == SR_OK)
		ret = local_get(m, p.row.r.uuid, &l, cause);
	if (ret == SR_OK)
		ret = conflict_check(m->a, p.row.r.township, l.row.r.township, l.found, cause);
	char *note = NULL;
	if (ret == SR_OK) {
		note = msgf(how == SYNC_TAKE ? MSG_SYNC_AUDIT_TAKE : MSG_SYNC_AUDIT_KEEP, p.site,
			    p.row.r.version);
		if (!str_empty(comment)) {
			char *both = xasprintf("%s; %s", note, comment);
			free(note);
			note = both;
		}
	}
	if (ret == SR_OK && how == SYNC_TAKE)
		ret = take(m, &p, &l, note, cause);
	else if (ret == SR_OK)
		ret = st_audit_add(m->st, m->a, m->now, "sync_keep", p.row.r.uuid, NULL, NULL, note,
				   cause);
	sqlite3_stmt *s = NULL;
	if (ret == SR_OK) {
		int rc = sqlite3_prepare_v2(m->st->db, SQL_RESOLVE, -1, &s, NULL);
		if (rc != SQLITE_OK)
			ret = st_db_fail(m->st, rc, cause);
	}
	if (ret == SR_OK) {
		sqlite3_bind_int64(s, 1, p.id);
		st_bind_text(s, 2, how == SYNC_TAKE ? "take" : "keep");
		st_bind_text(s, 3, st_real_login(m->a));
		st_bind_text(s, 4, m->now);
		st_bind_text(s, 5, comment);
		ret = st_run(m->st, s, cause);
	}
	sqlite3_finalize(s);
	free(note);
	st_sync_row_free(&l.row);
	st_sync_row_free(&p.row);
	free(p.site);
	return ret;
}

int store_sync_resolve(struct store *st, const struct actor *a, const char *id,
		       const char *site, enum sync_choice how, const char *comment,
		       char **cause)
{
	assert(st && a && a->user && id);
	char *now = now_iso();
	struct merge m = {st, {0}, a, site, NULL, now, NULL};
	int ret = prep_all(st, m.q, merge_sql, M__COUNT, cause);
	if (ret == SR_OK) {
		ret = st_tx_begin(st, cause);
		if (ret == SR_OK)
			ret = st_tx_end(st, resolve_locked(&m, id, site, how, comment, cause), cause);
		finalize_all(m.q, M__COUNT);
	}
	free(now);
	return ret;
}

