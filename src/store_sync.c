/*
 * store_sync.c - offline site sync (sync.h), the database's side: finding
 * what a peer has not acknowledged and handing it to the bundle file
 * (store_bundle.c writes and opens the file, with our keys from
 * store_keys.c), merging an opened bundle into the records, and the
 * conflicts and held rows kept for a supervisor.
 *
 * The same code runs at both ends: a site sends its records to its
 * district; the district sends each site the records made there, with its
 * decisions (approvals, returns with their comments, unlocks). Per peer and
 * record, sync_state remembers (schema version 11):
 *   sent_seq, sent_version  our version in the last bundle we sent it;
 *   agreed_version          our version when we last agreed with it: we
 *                           applied its row or found it equal, or it
 *                           acknowledged a bundle that held ours;
 *   recv_hash               a digest of the last row it sent us.
 * A record goes to a peer while its version is not the agreed one. A row
 * whose digest we have is old news; one over a record still at the agreed
 * version is applied, when the rules (registry.c) accept it; one over a
 * record we changed since is a conflict: both sides changed it. A row the
 * rules refuse is held. Held rows and conflicts wait in sync_conflicts for
 * a supervisor and are never applied until one says so.
 *
 * Bundles are numbered per sender (seq). One that is not newer than the
 * last taken from its sender is refused as old (a replay): that loses
 * nothing, as every later bundle carries again whatever the receiver had
 * not acknowledged (ack). Each database counts its own versions: a row's
 * version is its sender's, kept only to inform; an applied row adds one.
 *
 * sqlite3changeset_apply() writes only to tables of "main" (SQLite 3.40),
 * so an incoming changeset is read with the iterator (store_bundle.c) and
 * its rows written here, each through the rules first.
 */
#define SQLITE_ENABLE_SESSION	/* declares the session API in <sqlite3.h> */
#include "store_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"
#include "text.h"

/* A value of a held row longer than this is kept cut, with its length:
 * it is never applied, and a 10 MB value has no place in a list. */
#define HELD_VALUE_MAX 200

/* ---- rows ---- */

/* A held row's reason longer than this is cut the same way: a list of a
 * form's errors stays far below it, a forged key's echo does not. */
#define HELD_REASON_MAX 2000

/* Returns s (new string) when it has at most max characters, else its
 * first ones and how long it was. */
static char *clip_text(const char *s, size_t max)
{
	size_t n = utf8_chars(s), i = 0, chars = 0;
	if (n <= max)
		return xstrdup(s);
	for (; s[i] && chars < max; chars++)
		do
			i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80);
	char *head = xstrndup(s, i);
	char *out = msgf(MSG_SYNC_CUT_VALUE, head, (long)n);
	free(head);
	return out;
}

static char *held_value(const char *s)
{
	return clip_text(s, HELD_VALUE_MAX);
}

/* Appends the row as one JSON object (vals as a nested object) to b: the
 * incoming row of a conflict, as sync_conflicts keeps it; with clip, long
 * values are cut (a held row). */
static void row_json(const struct sync_row *row, bool clip, struct buf *b)
{
	const char *c[RC__COUNT];
	st_record_cols(&row->r, row->vals_json, c);
	buf_putc(b, '{');
	for (int i = 0; i < RC__COUNT; i++) {
		buf_printf(b, "%s\"%s\":", i ? "," : "", st_col_names[i]);
		if (i == RC_VERSION) {
			buf_printf(b, "%d", row->r.version);
		} else if (i == RC_VALS) {
			struct kv cut = {0};
			const struct kv *kv = &row->r.vals;
			for (size_t k = 0; clip && k < kv->keys.n; k++) {
				char *key = held_value(kv->keys.v[k]);	/* a key is text too */
				char *v = held_value(kv->vals.v[k]);
				kv_set(&cut, key, v);
				free(key);
				free(v);
			}
			kv_to_json(clip ? &cut : kv, b);
			kv_free(&cut);
		} else if (c[i] == NULL) {
			buf_puts(b, "null");
		} else if (clip) {
			char *v = held_value(c[i]);
			json_str(b, v);
			free(v);
		} else {
			json_str(b, c[i]);
		}
	}
	buf_putc(b, '}');
}

/* True when our record x and the incoming row y hold the same data: who,
 * when and the version aside; the review comment only counts from a
 * district (a site's rows never change it). */
static bool same_content(const struct record *x, const struct sync_row *y, bool comment)
{
	return str_eq(x->category, y->r.category) && x->status == y->r.status &&
	       kv_equal(&x->vals, &y->r.vals) && (!comment || str_eq(x->comment, y->r.comment));
}

/* The digest of what a row says (category, status, values and, from a
 * district, the comment): the same row sent again has the same one. */
static void row_digest(const struct sync_row *row, bool comment, char hex[65])
{
	struct buf b = {0};
	const char *st = status_name(row->r.status);
	buf_add(&b, row->r.category, strlen(row->r.category) + 1);	/* with its NUL */
	buf_add(&b, st, strlen(st) + 1);
	struct kv sorted = {0};
	struct strv keys = {0};
	for (size_t i = 0; i < row->r.vals.keys.n; i++)
		strv_add(&keys, row->r.vals.keys.v[i]);
	/* values in key order: the same values in another order are the same row */
	for (size_t i = 0; i < keys.n; i++)
		for (size_t j = i + 1; j < keys.n; j++)
			if (strcmp(keys.v[j], keys.v[i]) < 0) {
				char *t = keys.v[i];
				keys.v[i] = keys.v[j];
				keys.v[j] = t;
			}
	for (size_t i = 0; i < keys.n; i++)
		kv_set(&sorted, keys.v[i], kv_get(&row->r.vals, keys.v[i]));
	kv_to_json(&sorted, &b);
	if (comment && row->r.comment) {
		buf_add(&b, "", 1);
		buf_puts(&b, row->r.comment);
	}
	seal_sha256_hex(b.s, b.len, hex);
	buf_free(&b);
	kv_free(&sorted);
	strv_free(&keys);
}

void sync_result_free(struct sync_result *res)
{
	if (res) {
		free(res->applied_at);
		free(res->name);
		free(res->exported);
		res->applied_at = res->name = res->exported = NULL;
	}
}

void sync_verdict_free(struct sync_verdict *v)
{
	if (v) {
		record_free(&v->rec);
		free(v->note);
		free(v->reason);
		free(v->other);
		memset(v, 0, sizeof *v);
	}
}

/* ---- statements ---- */

static const char SQL_ROWS_TABLE[] =
	"CREATE TEMP TABLE IF NOT EXISTS " ST_SYNC_ROWS_TABLE "(uuid TEXT PRIMARY KEY, category TEXT,"
	" status TEXT, person_key TEXT, name TEXT, township TEXT, village TEXT, phone TEXT,"
	" vals TEXT, comment TEXT, created_by TEXT, created_at TEXT, updated_by TEXT,"
	" updated_at TEXT, version INTEGER, site TEXT);"
	"DELETE FROM temp." ST_SYNC_ROWS_TABLE;


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

enum {
	M_GET, M_STATE_GET, M_STATE_PUT, M_INSERT, M_UPDATE, M_CONFLICT_ADD, M_SUPERSEDE,
	M_BUNDLE_GET, M_BUNDLE_ADD, M_OPEN_COUNT, M_PEER_GET, M_PEER_RECV, M_PEER_SENT, M_ACK,
	M_SENT, M_PENDING, M_WAITING, M__COUNT
};
static const char *const merge_sql[M__COUNT] = {
	[M_GET] = "SELECT " RECORD_COLS " FROM main.records WHERE uuid = ?1",
	[M_STATE_GET] = "SELECT agreed_version, recv_hash FROM main.sync_state"
			" WHERE peer = ?1 AND uuid = ?2",
	/* ?3 agreed version (NULL: unchanged), ?4 digest of the row received */
	[M_STATE_PUT] = "INSERT INTO main.sync_state(peer, uuid, agreed_version, recv_hash)"
			" VALUES (?1, ?2, coalesce(?3, 0), ?4) ON CONFLICT (peer, uuid) DO UPDATE"
			" SET agreed_version = coalesce(?3, agreed_version),"
			" recv_hash = coalesce(?4, recv_hash)",
	[M_INSERT] = "INSERT INTO main.records(" RECORD_WRITE_COLS ") VALUES ("
		     RECORD_WRITE_VALUES ")",
	[M_UPDATE] = "UPDATE main.records SET category = ?2, status = ?3, vals = ?9,"
		     " comment = ?10, created_by = ?11, created_ms = " ST_MS("?12") ","
		     " updated_by = ?13, updated_ms = " ST_MS("?14") ", version = ?15, site = ?16"
		     " WHERE uuid = ?1",
	[M_CONFLICT_ADD] = "INSERT OR IGNORE INTO main.sync_conflicts(site, uuid, kind, incoming,"
			   " incoming_version, local_version, other_uuid, reason, bundle, at)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[M_SUPERSEDE] = "UPDATE main.sync_conflicts SET resolution = 'superseded',"
			" resolved_at = ?3 WHERE site = ?1 AND uuid = ?2 AND resolution IS NULL",
	[M_BUNDLE_GET] = "SELECT applied_at FROM main.sync_bundles WHERE sha256 = ?1",
	[M_BUNDLE_ADD] = "INSERT INTO main.sync_bundles(sha256, site, exported_at, rows,"
			 " applied_at, applied_by, inserted, updated, unchanged, conflicts, seq,"
			 " held, file) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[M_OPEN_COUNT] = "SELECT count(*) FROM main.sync_conflicts WHERE resolution IS NULL",
	[M_PEER_GET] = "SELECT sent_seq, recv_seq FROM main.sync_peers WHERE peer = ?1",
	[M_PEER_RECV] = "INSERT INTO main.sync_peers(peer, recv_seq) VALUES (?1, ?2)"
			" ON CONFLICT (peer) DO UPDATE SET recv_seq = excluded.recv_seq",
	[M_PEER_SENT] = "INSERT INTO main.sync_peers(peer, sent_seq) VALUES (?1, ?2)"
			" ON CONFLICT (peer) DO UPDATE SET sent_seq = excluded.sent_seq",
	/* the peer has taken our bundles up to ?2: what they held is agreed */
	[M_ACK] = "UPDATE main.sync_state SET agreed_version = max(agreed_version, sent_version)"
		  " WHERE peer = ?1 AND sent_seq BETWEEN 1 AND ?2",
	[M_SENT] = "INSERT INTO main.sync_state(peer, uuid, sent_seq, sent_version)"
		   " SELECT ?1, uuid, ?2, version FROM temp." ST_SYNC_ROWS_TABLE " WHERE true"
		   " ON CONFLICT (peer, uuid) DO UPDATE SET sent_seq = excluded.sent_seq,"
		   " sent_version = excluded.sent_version",
	/* ?1 every record, ?2 the peer, ?3 the peer is a district (it gets every
	 * record; a site, the ones made there) */
	[M_PENDING] = "INSERT INTO temp." ST_SYNC_ROWS_TABLE "(" RECORD_COLS ") SELECT " RECORD_COLS
		      " FROM main.records r WHERE (?3 OR r.site = ?2)"
		      " AND (?1 OR NOT EXISTS (SELECT 1 FROM main.sync_state s WHERE s.peer = ?2"
		      "  AND s.uuid = r.uuid AND s.agreed_version = r.version))"
		      " AND NOT EXISTS (SELECT 1 FROM main.sync_conflicts c WHERE c.site = ?2"
		      "  AND c.uuid = r.uuid AND c.resolution IS NULL AND c.kind = 'edited')",
	[M_WAITING] = "SELECT count(*) FROM main.records r WHERE (?2 OR r.site = ?1)"
		      " AND EXISTS (SELECT 1 FROM main.sync_conflicts c WHERE c.site = ?1"
		      "  AND c.uuid = r.uuid AND c.resolution IS NULL AND c.kind = 'edited')",
};

/* Prepares the statements of a merge (the rows table they name first). */
static int merge_prep(struct store *st, sqlite3_stmt **q, char **cause)
{
	int ret = st_exec(st, SQL_ROWS_TABLE, cause);
	return ret == SR_OK ? prep_all(st, q, merge_sql, M__COUNT, cause) : ret;
}

/* One export, merge or resolution: the statements, who acts, the peer. */
struct merge {
	struct store *st;
	sqlite3_stmt *q[M__COUNT];
	const struct actor *a;
	const struct site_decl *peer;
	const struct sync_rules *rules;
	const struct sync_bundle *b;	/* a merge: the bundle */
	const char *now;
	struct sync_result *res;
	char *first_held;		/* why the first held row was held */
};

/* Reads one integer (or text) from a statement bound by the caller. */
static int one_int(struct merge *m, sqlite3_stmt *s, long *out, char **cause)
{
	int ret = SR_OK, rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = st_db_fail(m->st, rc, cause);
	st_done(s);
	return ret;
}

/* The numbers of the last bundles sent to and taken from the peer. */
static int peer_get(struct merge *m, long *sent, long *recv, char **cause)
{
	sqlite3_stmt *s = m->q[M_PEER_GET];
	st_bind_text(s, 1, m->peer->id);
	int ret = SR_OK, rc = sqlite3_step(s);
	*sent = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
	*recv = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 1) : 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = st_db_fail(m->st, rc, cause);
	st_done(s);
	return ret;
}

static int peer_put(struct merge *m, int q, long seq, char **cause)
{
	sqlite3_stmt *s = m->q[q];
	st_bind_text(s, 1, m->peer->id);
	sqlite3_bind_int64(s, 2, seq);
	return st_run(m->st, s, cause);
}

/* ---- export ---- */

/* Fills temp.sync_rows with what the peer gets while a session watches;
 * *cs and *n receive the changeset (sqlite3_free it), *rows its size. */
static int pending_rows(struct merge *m, bool all, void **cs, int *n, long *rows, char **cause)
{
	*cs = NULL;
	*n = 0;
	int ret = SR_OK;
	sqlite3_session *sess = NULL;
	int rc = sqlite3session_create(m->st->db, "temp", &sess);
	if (rc == SQLITE_OK)
		rc = sqlite3session_attach(sess, ST_SYNC_ROWS_TABLE);
	if (rc == SQLITE_OK) {
		sqlite3_stmt *s = m->q[M_PENDING];
		sqlite3_bind_int(s, 1, all);
		st_bind_text(s, 2, m->peer->id);
		sqlite3_bind_int(s, 3, m->peer->kind == SITE_DISTRICT);
		rc = sqlite3_step(s);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		if (rc != SQLITE_OK)
			ret = st_db_fail(m->st, rc, cause);
		st_done(s);
	}
	if (rc == SQLITE_OK) {
		*rows = (long)sqlite3_changes(m->st->db);
		rc = sqlite3session_changeset(sess, n, cs);
	}
	if (rc != SQLITE_OK && ret == SR_OK)
		ret = st_db_fail(m->st, rc, cause);
	sqlite3session_delete(sess);
	return ret;
}

/* Remembers what went in bundle seq, and empties the rows table. */
static int sent(struct merge *m, long seq, char **cause)
{
	sqlite3_stmt *s = m->q[M_SENT];
	st_bind_text(s, 1, m->peer->id);
	sqlite3_bind_int64(s, 2, seq);
	int ret = st_run(m->st, s, cause);
	if (ret == SR_OK)
		ret = peer_put(m, M_PEER_SENT, seq, cause);
	if (ret == SR_OK)
		ret = st_exec(m->st, "DELETE FROM temp." ST_SYNC_ROWS_TABLE, cause);
	return ret;
}

/* store_sync_export's work inside its transaction. */
static int export_locked(struct merge *m, const struct config *cfg, bool all,
			 const struct sync_sink *sink, char **cause)
{
	struct sync_result *res = m->res;
	long seq = 0, ack = 0;
	void *cs = NULL;
	int n = 0;
	struct seal_secret *keys = NULL;
	size_t nkeys = 0;
	int ret = st_keys_load(m->st, &keys, &nkeys, cause);
	if (ret == SR_OK)
		ret = peer_get(m, &seq, &ack, cause);
	if (ret == SR_OK)
		ret = pending_rows(m, all, &cs, &n, &res->rows, cause);
	if (ret == SR_OK) {
		sqlite3_stmt *s = m->q[M_WAITING];
		st_bind_text(s, 1, m->peer->id);
		sqlite3_bind_int(s, 2, m->peer->kind == SITE_DISTRICT);
		ret = one_int(m, s, &res->waiting, cause);
	}
	res->seq = ++seq;
	/* The file goes first: when the commit below fails after it, the next
	 * export sends the same rows again under the same number, and the
	 * peer takes whichever comes first. */
	if (ret == SR_OK) {
		char *data = NULL;
		size_t len = 0;
		sync_bundle_make(cfg, m->peer, &keys[0], m->now, seq, ack, res->rows, cs, (size_t)n,
				 &data, &len, res->id);
		ret = sink->put(sink->arg, data, len, cause) == 0 ? SR_OK : SR_FAIL;
		free(data);
	}
	if (ret == SR_OK)
		ret = sent(m, seq, cause);
	if (ret == SR_OK) {
		char *note = msgf(MSG_SYNC_AUDIT_EXPORT, sink->name, m->peer->id, seq, res->rows, res->id);
		ret = st_audit_add(m->st, m->a, m->now, "sync_export", NULL, NULL, NULL, note, cause);
		free(note);
	}
	sqlite3_free(cs);
	st_keys_free(keys, nkeys);
	return ret;
}

int store_sync_export(struct store *st, const struct actor *a, const struct config *cfg,
		      const char *to, bool all, const struct sync_sink *sink,
		      struct sync_result *res, char **cause)
{
	assert(st && a && a->user && cfg && to && sink && sink->put && res);
	memset(res, 0, sizeof *res);
	snprintf(res->peer, sizeof res->peer, "%s", to);
	const struct site_decl *peer = config_site(cfg, to);
	if (peer == NULL)
		return st_fail_msg(cause, SR_NOTFOUND, msgf(MSG_SYNC_UNKNOWN_PEER, to));
	char *now = now_iso();
	struct merge m = {.st = st, .a = a, .peer = peer, .now = now, .res = res};
	int ret = st_check(a, ACT_ADMIN, NULL, ST_SUBMITTED, NULL, cause);
	if (ret == SR_OK)
		ret = merge_prep(st, m.q, cause);
	if (ret == SR_OK) {
		ret = st_tx_begin(st, cause);
		if (ret == SR_OK)
			ret = st_tx_end(st, export_locked(&m, cfg, all, sink, cause), cause);
		finalize_all(m.q, M__COUNT);
	}
	free(now);
	return ret;
}

/* ---- import ---- */

/* Our copy of a record, as the merge compares it. */
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
	} else if (rc != SQLITE_DONE) {
		ret = st_db_fail(m->st, rc, cause);
	}
	st_done(s);
	return ret;
}

/* What sync_state says about (peer, uuid). */
struct state {
	bool found;
	long agreed;
	char hash[65];
};

static int state_get(struct merge *m, const char *uuid, struct state *sv, char **cause)
{
	sqlite3_stmt *s = m->q[M_STATE_GET];
	memset(sv, 0, sizeof *sv);
	st_bind_text(s, 1, m->peer->id);
	st_bind_text(s, 2, uuid);
	int ret = SR_OK, rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		sv->found = true;
		sv->agreed = (long)sqlite3_column_int64(s, 0);
		const char *h = (const char *)sqlite3_column_text(s, 1);
		snprintf(sv->hash, sizeof sv->hash, "%s", h ? h : "");
	} else if (rc != SQLITE_DONE) {
		ret = st_db_fail(m->st, rc, cause);
	}
	st_done(s);
	return ret;
}

/* Sets the agreed version (agreed < 0: leaves it) and the digest of the
 * row received (NULL: leaves it) of (peer, uuid). */
static int state_put(struct merge *m, const char *uuid, long agreed, const char *hash,
		     char **cause)
{
	sqlite3_stmt *s = m->q[M_STATE_PUT];
	st_bind_text(s, 1, m->peer->id);
	st_bind_text(s, 2, uuid);
	if (agreed >= 0)
		sqlite3_bind_int64(s, 3, agreed);
	st_bind_text(s, 4, hash);
	return st_run(m->st, s, cause);
}

/* Writes rec (a verdict's) into records as a new record (old NULL) or over
 * old, with our version; then the audit row with note. */
static int write_row(struct merge *m, const char *action, const struct record *rec,
		     const struct record *old, int version, const char *note, char **cause)
{
	struct buf json = {0}, oldj = {0};
	kv_to_json(&rec->vals, &json);
	const char *c[RC__COUNT];
	st_record_cols(rec, json.s, c);
	sqlite3_stmt *s = m->q[old ? M_UPDATE : M_INSERT];
	st_bind_cols(s, c, version);
	int ret = st_run(m->st, s, cause);
	if (old)
		kv_to_json(&old->vals, &oldj);
	if (ret == SR_OK)
		ret = st_audit_add(m->st, m->a, m->now, action, rec->uuid, old ? oldj.s : NULL, json.s,
				   note, cause);
	buf_free(&json);
	buf_free(&oldj);
	return ret;
}

/* Marks the open conflicts and held rows of (peer, uuid) superseded: the
 * peer has sent the record again. */
static int supersede(struct merge *m, const char *uuid, char **cause)
{
	sqlite3_stmt *s = m->q[M_SUPERSEDE];
	st_bind_text(s, 1, m->peer->id);
	st_bind_text(s, 2, uuid);
	st_bind_text(s, 3, m->now);
	return st_run(m->st, s, cause);
}

/* Keeps the row for a supervisor, as kind ("edited", "duplicate" or
 * "refused") with the reason or the other live record, and its audit row. */
static int keep_conflict(struct merge *m, const struct sync_row *row, const char *kind,
			 const struct local *l, const char *other, const char *reason,
			 char **cause)
{
	bool held = !str_eq(kind, "edited");
	char *cut = reason ? clip_text(reason, HELD_REASON_MAX) : NULL;
	char *why = cut ? xstrdup(cut) : other ? msgf(MSG_SYNC_DUP_OF, other) : xstrdup("");
	struct buf json = {0};
	row_json(row, str_eq(kind, "refused"), &json);
	sqlite3_stmt *s = m->q[M_CONFLICT_ADD];
	st_bind_text(s, 1, m->peer->id);
	st_bind_text(s, 2, row->r.uuid);
	st_bind_text(s, 3, kind);
	st_bind_text(s, 4, json.s);
	sqlite3_bind_int(s, 5, row->r.version);
	sqlite3_bind_int(s, 6, l->found ? l->row.r.version : 0);
	st_bind_text(s, 7, other);
	st_bind_text(s, 8, cut);
	st_bind_text(s, 9, m->b->id);
	st_bind_text(s, 10, m->now);
	int ret = st_run(m->st, s, cause);
	buf_free(&json);
	char *note = held ? msgf(MSG_SYNC_AUDIT_HELD, m->peer->id, m->b->seq, why)
			  : msgf(MSG_SYNC_AUDIT_CONFLICT, m->peer->id, m->b->seq);
	if (ret == SR_OK)
		ret = st_audit_add(m->st, m->a, m->now, held ? "sync_held" : "sync_conflict",
				   row->r.uuid, NULL, NULL, note, cause);
	free(note);
	if (held) {
		m->res->held++;
		if (m->first_held == NULL) {
			m->first_held = why;
			why = NULL;
		}
	} else {
		m->res->conflicts++;
	}
	free(why);
	free(cut);
	return ret;
}

/* Stores what the rules made of a row: a new record, or ours updated when
 * we did not change it since we last agreed with the peer, else a
 * conflict. */
static int apply_row(struct merge *m, const struct sync_row *row, const struct local *l,
		     const struct state *sv, const struct sync_verdict *v, const char *hash,
		     char **cause)
{
	int ret;
	char *note = msgf(MSG_SYNC_AUDIT_FROM, m->peer->id, m->b->seq, v->rec.updated_by);
	if (!str_empty(v->note)) {
		char *both = xasprintf("%s; %s", note, v->note);
		free(note);
		note = both;
	}
	if (!l->found) {
		ret = write_row(m, "sync", &v->rec, NULL, 1, note, cause);
		if (ret == SR_OK)
			ret = state_put(m, row->r.uuid, 1, hash, cause);
		m->res->inserted++;
	} else if (sv->found && l->row.r.version == sv->agreed) {
		int version = l->row.r.version + 1;
		ret = write_row(m, "sync", &v->rec, &l->row.r, version, note, cause);
		if (ret == SR_OK)
			ret = state_put(m, row->r.uuid, version, hash, cause);
		m->res->updated++;
	} else {	/* we changed it too since we last agreed */
		ret = keep_conflict(m, row, "edited", l, NULL, NULL, cause);
		if (ret == SR_OK)
			ret = state_put(m, row->r.uuid, -1, hash, cause);
	}
	free(note);
	return ret;
}

/* Merges one incoming row; see the rules at the top of the file. */
static int merge_row(struct merge *m, const struct sync_row *row, char **cause)
{
	bool comment = m->peer->kind == SITE_DISTRICT;
	char hash[65];
	row_digest(row, comment, hash);
	struct local l;
	struct state sv;
	int ret = local_get(m, row->r.uuid, &l, cause);
	if (ret == SR_OK)
		ret = state_get(m, row->r.uuid, &sv, cause);
	if (ret != SR_OK)
		goto out;
	if (sv.found && str_eq(sv.hash, hash)) {	/* sent before: old news */
		m->res->unchanged++;
		goto out;
	}
	ret = supersede(m, row->r.uuid, cause);	/* what it held before is replaced */
	if (ret == SR_OK && l.found && same_content(&l.row.r, row, comment)) {
		ret = state_put(m, row->r.uuid, l.row.r.version, hash, cause);
		m->res->unchanged++;
		goto out;
	}
	struct sync_verdict v = {0};
	if (ret == SR_OK)
		m->rules->check(m->rules->arg, m->peer, row, l.found ? &l.row.r : NULL, &v);
	if (ret != SR_OK)
		;
	else if (v.kind == SV_OK)
		ret = apply_row(m, row, &l, &sv, &v, hash, cause);
	else
		ret = keep_conflict(m, row, v.kind == SV_DUPLICATE ? "duplicate" : "refused", &l,
				    v.other, v.reason, cause);
	if (ret == SR_OK && v.kind != SV_OK)
		ret = state_put(m, row->r.uuid, -1, hash, cause);
	sync_verdict_free(&v);
out:
	sync_row_free(&l.row);
	return ret;
}

/* Sets *applied_at (new string) when the bundle was applied before. */
static int bundle_applied(struct merge *m, char **applied_at, char **cause)
{
	sqlite3_stmt *s = m->q[M_BUNDLE_GET];
	st_bind_text(s, 1, m->b->id);
	return st_one_text(m->st, s, applied_at, cause);
}

/* Remembers the bundle as applied, with what it did, and audits it. */
static int bundle_done(struct merge *m, const char *file, char **cause)
{
	const struct sync_result *r = m->res;
	const struct sync_bundle *b = m->b;
	sqlite3_stmt *s = m->q[M_BUNDLE_ADD];
	st_bind_text(s, 1, b->id);
	st_bind_text(s, 2, b->from);
	st_bind_text(s, 3, b->exported);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)b->nrows);
	st_bind_text(s, 5, m->now);
	st_bind_text(s, 6, st_real_login(m->a));
	sqlite3_bind_int64(s, 7, r->inserted);
	sqlite3_bind_int64(s, 8, r->updated);
	sqlite3_bind_int64(s, 9, r->unchanged);
	sqlite3_bind_int64(s, 10, r->conflicts);
	sqlite3_bind_int64(s, 11, b->seq);
	sqlite3_bind_int64(s, 12, r->held);
	st_bind_text(s, 13, file);
	int ret = st_run(m->st, s, cause);
	if (ret == SR_OK)
		ret = peer_put(m, M_PEER_RECV, b->seq, cause);
	if (ret == SR_OK) {
		char *note = msgf(MSG_SYNC_AUDIT_IMPORT, file, b->from, b->seq, r->rows, r->inserted,
				  r->updated, r->conflicts, r->held, b->id);
		ret = st_audit_add(m->st, m->a, m->now, "sync_import", NULL, NULL, NULL, note, cause);
		free(note);
	}
	return ret;
}

/* store_sync_import's work inside its transaction, on the opened bundle. */
static int import_locked(struct merge *m, const char *file, char **cause)
{
	const struct sync_bundle *b = m->b;
	struct sync_result *res = m->res;
	int ret = bundle_applied(m, &res->applied_at, cause);
	res->already = ret == SR_OK && res->applied_at != NULL;
	if (ret != SR_OK || res->already)
		return ret;
	long sent = 0, recv = 0;
	ret = peer_get(m, &sent, &recv, cause);
	if (ret == SR_OK && b->seq <= recv)
		return st_fail_msg(cause, SYNC_REFUSED, msgf(MSG_SYNC_REPLAY, b->seq, b->from, recv, file));
	/* an ack beyond what we remember sending: we are a restored backup,
	 * and number our next bundle after what the peer has seen */
	if (ret == SR_OK && b->ack > sent)
		ret = peer_put(m, M_PEER_SENT, b->ack, cause);
	if (ret == SR_OK) {	/* what the peer has taken from us is agreed */
		sqlite3_stmt *s = m->q[M_ACK];
		st_bind_text(s, 1, b->from);
		sqlite3_bind_int64(s, 2, b->ack);
		ret = st_run(m->st, s, cause);
	}
	for (size_t i = 0; ret == SR_OK && i < b->nrows; i++)
		ret = merge_row(m, &b->rows[i], cause);
	if (ret == SR_OK && res->held > SYNC_HELD_MAX)
		return st_fail_msg(cause, SYNC_REFUSED, msgf(MSG_SYNC_FLOOD, res->held, SYNC_HELD_MAX,
							     m->first_held, file));
	if (ret == SR_OK)
		ret = bundle_done(m, file, cause);
	return ret;
}

/* Writes the audit row of a bundle refused whole (its own transaction:
 * the refusal rolled everything else back). */
static void refused_audit(struct store *st, const struct actor *a, const char *file,
			  const char *from, const char *why)
{
	char *now = now_iso();
	char *note = msgf(MSG_SYNC_AUDIT_REFUSED, file, from, why ? why : "");
	if (st_tx_begin(st, NULL) == SR_OK)
		st_tx_end(st, st_audit_add(st, a, now, "sync_refused", NULL, NULL, NULL, note, NULL),
			  NULL);
	free(note);
	free(now);
}

/* Opens the bundle with our keys; SR_OK, SYNC_DAMAGED, SYNC_REFUSED or
 * the store's failure. */
static int open_bundle(struct store *st, const struct config *cfg, const char *data, size_t n,
		       const char *name, struct sync_bundle *b, char **cause)
{
	struct seal_secret *keys = NULL;
	size_t nkeys = 0;
	int ret = st_keys_load(st, &keys, &nkeys, cause);
	if (ret == SR_OK)
		ret = sync_bundle_open(data, n, name, cfg, keys, nkeys, b, cause);
	st_keys_free(keys, nkeys);
	return ret;
}

int store_sync_import(struct store *st, const struct actor *a, const struct config *cfg,
		      const struct sync_rules *rules, const char *data, size_t n,
		      const char *name, struct sync_result *res, char **cause)
{
	assert(st && a && a->user && cfg && rules && rules->check && data && name && res);
	memset(res, 0, sizeof *res);
	int ret = st_check(a, ACT_ADMIN, NULL, ST_SUBMITTED, NULL, cause);
	if (ret != SR_OK)
		return ret;
	struct sync_bundle b;
	char *why = NULL;
	ret = open_bundle(st, cfg, data, n, name, &b, &why);
	if (ret != SR_OK) {
		if (ret == SYNC_DAMAGED || ret == SYNC_REFUSED) {
			struct sync_head h;
			bool head = sync_head_parse(data, n, name, &h, NULL) == SR_OK;
			refused_audit(st, a, name, head ? h.from : "?", why);
		}
		st_set_cause(cause, why);
		return ret;
	}
	snprintf(res->peer, sizeof res->peer, "%s", b.from);
	snprintf(res->id, sizeof res->id, "%s", b.id);
	res->rows = (long)b.nrows;
	res->seq = b.seq;
	res->name = xstrdup(b.name);
	res->exported = xstrdup(b.exported);
	char *now = now_iso();
	struct merge m = {.st = st, .a = a, .peer = config_site(cfg, b.from), .rules = rules,
			  .b = &b, .now = now, .res = res};
	ret = merge_prep(st, m.q, cause);
	if (ret == SR_OK) {
		ret = st_tx_begin(st, cause);
		if (ret == SR_OK) {
			ret = import_locked(&m, name, cause);
			if (ret == SR_OK) {
				sqlite3_stmt *s = m.q[M_OPEN_COUNT];
				ret = one_int(&m, s, &res->open_conflicts, cause);
			}
			ret = st_tx_end(st, ret, cause);
		}
		finalize_all(m.q, M__COUNT);
	}
	if (ret == SYNC_REFUSED)
		refused_audit(st, a, name, b.from, cause ? *cause : NULL);
	if (ret != SR_OK) {	/* rolled back: nothing was done */
		res->inserted = res->updated = res->unchanged = res->conflicts = res->held = 0;
		res->already = false;
	}
	free(m.first_held);
	free(now);
	sync_bundle_free(&b);
	return ret;
}

/* ---- conflicts: listing and resolving ---- */

#define CONFLICT_COLS \
	"c.id, c.site, c.uuid, c.kind, json_extract(c.incoming, '$.name')," \
	" json_extract(c.incoming, '$.township'), c.other_uuid, c.incoming_version," \
	" c.local_version, c.at, c.resolution, c.resolved_by, c.resolved_at, c.incoming," \
	" r.township, json_extract(c.incoming, '$.vals'), r.vals," \
	" json_extract(c.incoming, '$.category'), c.reason, c.bundle," \
	" json_extract(c.incoming, '$.status'), r.status," \
	" json_extract(c.incoming, '$.comment'), r.comment"
enum {
	CC_LOCAL_TOWNSHIP = 14, CC_VALS, CC_LOCAL_VALS, CC_CATEGORY, CC_REASON, CC_BUNDLE,
	CC_STATUS, CC_LOCAL_STATUS, CC_COMMENT, CC_LOCAL_COMMENT, CC__COUNT
};

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
	/* the fields of a record changed on both sides: a held row is listed
	 * with its reason instead */
	bool both = t[CC_LOCAL_VALS] != NULL && str_eq(t[3], "edited");
	if (both && !str_eq(t[CC_STATUS], t[CC_LOCAL_STATUS]))
		buf_puts(fields, "status");
	if (both)
		differing_keys(t[CC_LOCAL_VALS], t[CC_VALS], fields);
	if (both && !str_eq(t[CC_COMMENT], t[CC_LOCAL_COMMENT]) && t[CC_COMMENT])
		buf_printf(fields, "%scomment", fields->len ? ", " : "");
	*c = (struct sync_conflict){
		.id = (long)sqlite3_column_int64(s, 0), .site = t[1], .uuid = t[2], .kind = t[3],
		.name = t[4], .township = t[5], .other_uuid = t[6],
		.incoming_version = sqlite3_column_int(s, 7),
		.local_version = sqlite3_column_int(s, 8), .at = t[9], .resolution = t[10],
		.resolved_by = t[11], .resolved_at = t[12], .incoming_json = t[13],
		.fields = fields->s, .category = t[CC_CATEGORY], .reason = t[CC_REASON],
		.bundle = t[CC_BUNDLE],
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
 * township t and whose copy here (if found) is in township lt: a
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
			bool found = sqlite3_column_type(s, CC_LOCAL_VALS) != SQLITE_NULL;
			const char *lt = (const char *)sqlite3_column_text(s, CC_LOCAL_TOWNSHIP);
			int stop = conflict_check(a, c.township, lt, found, NULL) == SR_OK && cb(&c, arg);
			buf_free(&fields);
			if (stop)
				break;
		}
	}
	return st_rows_end(st, s, rc, ret, cause);
}

/* The 16 columns of an incoming row, as its JSON in sync_conflicts holds them. */
#define SQL_INCOMING_ROW \
	" json_extract(incoming, '$.uuid'), json_extract(incoming, '$.category')," \
	" json_extract(incoming, '$.status'), json_extract(incoming, '$.person_key')," \
	" json_extract(incoming, '$.name'), json_extract(incoming, '$.township')," \
	" json_extract(incoming, '$.village'), json_extract(incoming, '$.phone')," \
	" json_extract(incoming, '$.vals'), json_extract(incoming, '$.comment')," \
	" json_extract(incoming, '$.created_by'), json_extract(incoming, '$.created_at')," \
	" json_extract(incoming, '$.updated_by'), json_extract(incoming, '$.updated_at')," \
	" json_extract(incoming, '$.version'), json_extract(incoming, '$.site')"

/* The open conflicts of a uuid (prefix ?1 .. ?2), newest first, with the
 * incoming row's 16 columns from column 4 on. */
static const char SQL_OPEN_OF[] =
	"SELECT id, site, kind, reason," SQL_INCOMING_ROW
	" FROM main.sync_conflicts WHERE resolution IS NULL AND uuid >= ?1 AND uuid < ?2"
	" AND (?3 IS NULL OR site = ?3) ORDER BY id DESC";
enum { OC_ID, OC_SITE, OC_KIND, OC_REASON, OC_ROW };

static const char SQL_CONFLICT_ROW[] =
	"SELECT c.site, r.township," SQL_INCOMING_ROW
	" FROM main.sync_conflicts c LEFT JOIN main.records r ON r.uuid = c.uuid WHERE c.id = ?1";

int store_sync_conflict_row(struct store *st, const struct actor *a, long id,
			    struct sync_row *row, char **cause)
{
	assert(st && a && a->user && row);
	memset(row, 0, sizeof *row);
	int ret = supervisor_or_admin(a, cause);
	if (ret != SR_OK)
		return ret;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, SQL_CONFLICT_ROW, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(s, 1, id);
		ret = SR_NOTFOUND;
		if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			bool found = sqlite3_column_type(s, 1) != SQLITE_NULL;
			const char *lt = (const char *)sqlite3_column_text(s, 1);
			const char *t = (const char *)sqlite3_column_text(s, 2 + RC_TOWNSHIP);
			sqlite3_value *v[RC__COUNT];
			for (int i = 0; i < RC__COUNT; i++)
				v[i] = sqlite3_column_value(s, 2 + i);
			const char *col = NULL;
			ret = conflict_check(a, t, lt, found, cause);
			if (ret == SR_OK && st_sync_row_fill(row, v, &col) < 0)
				ret = st_fail_msg(cause, SR_INVALID, msgf(MSG_SYNC_BAD_ROW, 1, col, ""));
		}
	}
	ret = st_rows_end(st, s, rc, ret, cause);
	if (ret == SR_NOTFOUND) {
		char n[24];
		snprintf(n, sizeof n, "%ld", id);
		st_set_cause(cause, msgf(MSG_NOT_FOUND, n));
	}
	return ret;
}

/* A conflict to resolve: its id, peer, kind and incoming row. */
struct pending {
	long id;
	char *site, *kind, *reason;
	struct sync_row row;
	bool row_ok;		/* the row reads back (a held row may not) */
};

static void pending_free(struct pending *p)
{
	sync_row_free(&p->row);
	free(p->site);
	free(p->kind);
	free(p->reason);
	memset(p, 0, sizeof *p);
}

/* Finds the one (site, uuid) with open conflicts that id and site name and
 * loads its newest into *p. */
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
		const char *csite = (const char *)sqlite3_column_text(s, OC_SITE);
		const char *cuuid = (const char *)sqlite3_column_text(s, OC_ROW);
		if (ret == SR_OK) {
			if (!str_eq(csite, p->site) || !str_eq(cuuid, p->row.r.uuid))
				buf_printf(&others, "%s%s/%.8s", others.len ? "、" : "", csite, cuuid);
			continue;
		}
		sqlite3_value *v[RC__COUNT];
		for (int i = 0; i < RC__COUNT; i++)
			v[i] = sqlite3_value_dup(sqlite3_column_value(s, i + OC_ROW));
		const char *col = NULL;
		p->row_ok = st_sync_row_fill(&p->row, v, &col) == 0;
		if (!p->row_ok) {	/* a held row as received; keep its uuid */
			memset(&p->row, 0, sizeof p->row);
			snprintf(p->row.r.uuid, sizeof p->row.r.uuid, "%s", cuuid ? cuuid : "");
			p->row.r.township = st_col_dup(s, OC_ROW + RC_TOWNSHIP);
		}
		p->id = (long)sqlite3_column_int64(s, OC_ID);
		p->site = xstrdup(csite);
		p->kind = st_col_dup(s, OC_KIND);
		p->reason = st_col_dup(s, OC_REASON);
		ret = SR_OK;
		for (int i = 0; i < RC__COUNT; i++)
			sqlite3_value_free(v[i]);
	}
	ret = st_rows_end(st, s, rc, ret, cause);
	if (ret == SR_OK && others.len) {
		char *all = xasprintf("%s/%.8s、%s", p->site, p->row.r.uuid, others.s);
		ret = st_fail_msg(cause, SR_AMBIGUOUS, msgf(MSG_SYNC_SEVERAL, id, all));
		free(all);
	} else if (ret == SR_NOTFOUND) {
		st_set_cause(cause, msgf(MSG_SYNC_NO_OPEN_CONFLICT, id));
	}
	buf_free(&others);
	if (ret != SR_OK)
		pending_free(p);
	return ret;
}

static const char SQL_RESOLVE[] =
	"UPDATE main.sync_conflicts SET resolution = ?2, resolved_by = ?3, resolved_at = ?4,"
	" comment = ?5 WHERE id = ?1";

/* Puts the peer's copy in place of ours (or adds it), when the rules still
 * accept it. */
static int take(struct merge *m, const struct pending *p, const struct local *l,
		const char *note, char **cause)
{
	if (str_eq(p->kind, "refused") || !p->row_ok)
		return st_fail_msg(cause, SR_INVALID,
				   msgf(MSG_SYNC_HELD_NOT_TAKEN, p->reason ? p->reason : ""));
	struct sync_verdict v = {0};
	m->rules->check(m->rules->arg, m->peer, &p->row, l->found ? &l->row.r : NULL, &v);
	int ret = SR_OK;
	if (v.kind == SV_DUPLICATE)
		ret = st_fail_msg(cause, SR_DUP, msgf(MSG_DUP_PERSON, p->row.r.person_key, v.other));
	else if (v.kind == SV_REFUSED)
		ret = st_fail_msg(cause, SR_INVALID, msgf(MSG_SYNC_TAKE_REFUSED, v.reason));
	int version = l->found ? l->row.r.version + 1 : 1;
	if (ret == SR_OK)
		ret = write_row(m, "sync_take", &v.rec, l->found ? &l->row.r : NULL, version, note,
				cause);
	if (ret == SR_OK)	/* we hold what the peer sent: agreed */
		ret = state_put(m, p->row.r.uuid, version, NULL, cause);
	sync_verdict_free(&v);
	return ret;
}

/* store_sync_resolve's work inside its transaction. */
static int resolve_locked(struct merge *m, const struct config *cfg, const char *id,
			  const char *site, enum sync_choice how, const char *comment,
			  char **cause)
{
	struct pending p;
	struct local l = {0};
	int ret = pending_find(m->st, id, site, &p, cause);
	if (ret == SR_OK)
		ret = local_get(m, p.row.r.uuid, &l, cause);
	if (ret == SR_OK)
		ret = conflict_check(m->a, p.row.r.township, l.row.r.township, l.found, cause);
	if (ret == SR_OK && (m->peer = config_site(cfg, p.site)) == NULL)
		ret = st_fail_msg(cause, SR_NOTFOUND, msgf(MSG_SYNC_UNKNOWN_PEER, p.site));
	char *note = NULL;
	if (ret == SR_OK) {
		note = msgf(how == SYNC_TAKE ? MSG_SYNC_AUDIT_TAKE : MSG_SYNC_AUDIT_KEEP, p.site);
		if (!str_empty(comment)) {
			char *both = xasprintf("%s; %s", note, comment);
			free(note);
			note = both;
		}
	}
	if (ret == SR_OK && how == SYNC_TAKE) {
		ret = take(m, &p, &l, note, cause);
	} else if (ret == SR_OK) {
		ret = st_audit_add(m->st, m->a, m->now, "sync_keep", p.row.r.uuid, NULL, NULL, note,
				   cause);
		/* our copy goes to the peer in its next bundle, so that both
		 * hold what was kept */
		if (ret == SR_OK && l.found)
			ret = state_put(m, p.row.r.uuid, 0, NULL, cause);
	}
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
	sync_row_free(&l.row);
	pending_free(&p);
	return ret;
}

int store_sync_resolve(struct store *st, const struct actor *a, const struct config *cfg,
		       const struct sync_rules *rules, const char *id, const char *site,
		       enum sync_choice how, const char *comment, char **cause)
{
	assert(st && a && a->user && cfg && rules && id);
	char *now = now_iso();
	struct merge m = {.st = st, .a = a, .rules = rules, .now = now};
	int ret = merge_prep(st, m.q, cause);
	if (ret == SR_OK) {
		ret = st_tx_begin(st, cause);
		if (ret == SR_OK)
			ret = st_tx_end(st, resolve_locked(&m, cfg, id, site, how, comment, cause),
					cause);
		finalize_all(m.q, M__COUNT);
	}
	free(now);
	return ret;
}
