/*
 * store_plan.c - the plan's tables of schema 8 (store_plan.h): the
 * ledger's log, tags on people, spot checks; and the readings the running
 * counts do not keep: villages covered, records as they were on a past
 * day, officers' activity over a period. Writes follow store_int.h's
 * rules: one transaction, auth_check() inside it, the audit row with it.
 */
#include "store_int.h"
#include "store_plan.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the ledger ------------------------------------------------------------- */

/* Sets *closed to whether item's last close or reopen is a close. */
static int item_closed(struct store *st, const char *item, bool *closed, char **cause)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT kind FROM task_log WHERE item = ?1"
				    " AND kind IN ('close', 'reopen') ORDER BY id DESC LIMIT 1",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, item);
	rc = sqlite3_step(s);
	*closed = rc == SQLITE_ROW && str_eq((const char *)sqlite3_column_text(s, 0), "close");
	return st_rows_end(st, s, rc, SR_OK, cause);
}

int store_task_add(struct store *st, const struct actor *a, const struct task_entry *e,
		   char **cause)
{
	assert(st && a && a->user && e && e->item && e->on_date && e->note);
	const char *kind = e->kind ? e->kind : "progress";
	bool decide = !str_eq(kind, "progress");
	enum msg_id why = MSG_DENIED_ROLE;
	if (auth_check(a->user, decide ? ACT_TASK_CLOSE : ACT_TASK_PROGRESS, NULL, &why) < 0)
		return st_fail_msg(cause, SR_DENIED, msgf(MSG_DENIED, msg(why)));
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	bool closed = false;
	if (decide && (ret = item_closed(st, e->item, &closed, cause)) == SR_OK) {
		if (str_eq(kind, "close") && closed)
			ret = st_fail_msg(cause, SR_DENIED, msgf(MSG_TASK_ALREADY_CLOSED, e->item));
		else if (str_eq(kind, "reopen") && !closed)
			ret = st_fail_msg(cause, SR_DENIED, msgf(MSG_TASK_NOT_CLOSED, e->item));
	}
	char *now = now_iso();
	sqlite3_stmt *s = NULL;
	if (ret == SR_OK) {
		int rc = sqlite3_prepare_v2(st->db, "INSERT INTO task_log(item, kind, on_date, amount,"
					    " done, township, note, evidence, at, login, as_user)"
					    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
					    -1, &s, NULL);
		if (rc != SQLITE_OK)
			ret = st_db_fail(st, rc, cause);
	}
	if (ret == SR_OK) {
		st_bind_text(s, 1, e->item);
		st_bind_text(s, 2, kind);
		st_bind_text(s, 3, e->on_date);
		if (e->has_amount)
			sqlite3_bind_double(s, 4, e->amount);
		sqlite3_bind_int(s, 5, e->done);
		st_bind_text(s, 6, e->township);
		st_bind_text(s, 7, e->note);
		st_bind_text(s, 8, e->evidence);
		st_bind_text(s, 9, now);
		st_bind_text(s, 10, st_real_login(a));
		st_bind_text(s, 11, st_as_user(a));
		int rc = sqlite3_step(s);
		if (rc != SQLITE_DONE)
			ret = st_db_fail(st, rc, cause);
	}
	sqlite3_finalize(s);
	if (ret == SR_OK) {
		char *action = xasprintf("task_%s", kind);
		char *comment = xasprintf("%s: %s", e->item, e->note);
		ret = st_audit_add(st, a, now, action, NULL, NULL, NULL, comment, cause);
		free(action);
		free(comment);
	}
	free(now);
	return st_tx_end(st, ret, cause);
}

int store_task_log(struct store *st, const char *item,
		   int (*cb)(const struct task_entry *e, void *arg), void *arg, char **cause)
{
	assert(st && cb);
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT id, item, kind, on_date, amount, done, township,"
				    " note, evidence, at, login, as_user FROM task_log"
				    " WHERE ?1 IS NULL OR item = ?1 ORDER BY id", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, item);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t[12];
		for (int i = 0; i < 12; i++)
			t[i] = (const char *)sqlite3_column_text(s, i);
		struct task_entry e = {
			.id = (long)sqlite3_column_int64(s, 0), .item = t[1], .kind = t[2],
			.on_date = t[3], .has_amount = sqlite3_column_type(s, 4) != SQLITE_NULL,
			.amount = sqlite3_column_double(s, 4), .done = sqlite3_column_int(s, 5) != 0,
			.township = t[6], .note = t[7], .evidence = t[8], .at = t[9], .login = t[10],
			.as_user = t[11],
		};
		if (cb(&e, arg))
			break;
	}
	return st_rows_end(st, s, rc, SR_OK, cause);
}

/* ---- tags on people --------------------------------------------------------- */

/* The live tag row of the person for tag, in *id (0: none). */
static int live_tag(struct store *st, const char *person, const char *tag, long long *id,
		    char **cause)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT id FROM person_tags WHERE person_key = ?1"
				    " AND tag = ?2 AND removed_at IS NULL", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, person);
	st_bind_text(s, 2, tag);
	rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	return st_rows_end(st, s, rc, SR_OK, cause);
}

/* Sets (set) or removes a tag through record id, inside one transaction. */
static int tag_change(struct store *st, const struct actor *a, const char *id, const char *tag,
		      const char *note, bool set, char **cause)
{
	assert(st && a && a->user && id && tag);
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	struct record r;
	long long row = 0;
	char *now = now_iso();
	ret = st_find_record(st, a, id, &r, cause);
	if (ret == SR_OK && (ret = st_check_record(a, ACT_TAG, &r, cause)) == SR_OK)
		ret = live_tag(st, r.person_key, tag, &row, cause);
	if (ret == SR_OK && set && row)
		ret = st_fail_msg(cause, SR_NOCHANGE, msgf(MSG_TAG_ALREADY, tag));
	else if (ret == SR_OK && !set && !row)
		ret = st_fail_msg(cause, SR_NOCHANGE, msgf(MSG_TAG_NONE, tag));
	sqlite3_stmt *s = NULL;
	if (ret == SR_OK) {
		int rc = sqlite3_prepare_v2(st->db, set
			? "INSERT INTO person_tags(person_key, tag, uuid, township, note, set_by,"
			  " set_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
			: "UPDATE person_tags SET removed_note = ?5, removed_by = ?6, removed_at = ?7"
			  " WHERE id = ?8", -1, &s, NULL);
		if (rc != SQLITE_OK)
			ret = st_db_fail(st, rc, cause);
	}
	if (ret == SR_OK) {
		st_bind_text(s, 1, r.person_key);
		st_bind_text(s, 2, tag);
		st_bind_text(s, 3, r.uuid);
		st_bind_text(s, 4, r.township);
		st_bind_text(s, 5, note);
		st_bind_text(s, 6, a->user->login);
		st_bind_text(s, 7, now);
		if (!set)
			sqlite3_bind_int64(s, 8, row);
		int rc = sqlite3_step(s);
		if (rc != SQLITE_DONE)
			ret = st_db_fail(st, rc, cause);
	}
	sqlite3_finalize(s);
	if (ret == SR_OK) {
		char *comment = note ? xasprintf("%s: %s", tag, note) : xstrdup(tag);
		ret = st_audit_add(st, a, now, set ? "tag" : "untag", r.uuid, NULL, NULL, comment,
				   cause);
		free(comment);
	}
	if (r.uuid[0])
		record_free(&r);
	free(now);
	return st_tx_end(st, ret, cause);
}

int store_tag_set(struct store *st, const struct actor *a, const char *id, const char *tag,
		  const char *note, char **cause)
{
	return tag_change(st, a, id, tag, note, true, cause);
}

int store_tag_remove(struct store *st, const struct actor *a, const char *id, const char *tag,
		     const char *note, char **cause)
{
	return tag_change(st, a, id, tag, note, false, cause);
}

#define TAG_COLS \
	"t.id, t.person_key, t.tag, t.uuid, t.township, t.note, t.set_by, t.set_at," \
	" t.removed_by, t.removed_at, t.removed_note, r.name, r.category, r.township"

/* Calls cb for each row of s (TAG_COLS); with a, only rows of records a may
 * view. */
static int each_tag(struct store *st, sqlite3_stmt *s, const struct actor *a,
		    int (*cb)(const struct tag_row *t, void *arg), void *arg, char **cause)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *c[14];
		for (int i = 0; i < 14; i++)
			c[i] = (const char *)sqlite3_column_text(s, i);
		if (a && !auth_in_scope(a->user, c[13]))
			continue;
		struct tag_row t = {(long)sqlite3_column_int64(s, 0), c[1], c[2], c[3], c[4], c[5],
				    c[6], c[7], c[8], c[9], c[10], c[11], c[12]};
		if (cb(&t, arg))
			break;
	}
	return st_rows_end(st, s, rc, SR_OK, cause);
}

int store_tag_list(struct store *st, const struct actor *a, const char *tag, bool removed,
		   int (*cb)(const struct tag_row *t, void *arg), void *arg, char **cause)
{
	assert(st && a && a->user && cb);
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT " TAG_COLS " FROM person_tags t"
				    " JOIN records r ON r.uuid = t.uuid"
				    " WHERE (?1 IS NULL OR t.tag = ?1) AND (?2 OR t.removed_at IS NULL)"
				    " ORDER BY t.id DESC", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, tag);
	sqlite3_bind_int(s, 2, removed);
	return each_tag(st, s, a, cb, arg, cause);
}

int store_tag_all(struct store *st, int (*cb)(const struct tag_row *t, void *arg), void *arg,
		  char **cause)
{
	assert(st && cb);
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT " TAG_COLS " FROM person_tags t"
				    " LEFT JOIN records r ON r.uuid = t.uuid ORDER BY t.id", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	return each_tag(st, s, NULL, cb, arg, cause);
}

/* ---- SQL built at run time: "?" placeholders and their values ---------------- */

struct sql {
	struct buf b;
	const char *v[64];
	int n;
};

static void sql_add(struct sql *q, const char *text, const char *value)
{
	buf_puts(&q->b, text);
	if (value && q->n < (int)ARRAY_LEN(q->v))
		q->v[q->n++] = value;
}

/* " AND col IN (?, ...)" over the user's townships, unless it has them all. */
static void sql_scope(struct sql *q, const char *col, const struct user *u)
{
	if (u->role == ROLE_ADMIN || u->townships.n == 0)
		return;
	buf_printf(&q->b, " AND %s IN (", col);
	for (size_t i = 0; i < u->townships.n && i < 32; i++)
		sql_add(q, i ? ", ?" : "?", u->townships.v[i]);
	buf_puts(&q->b, ")");
}

static int sql_prepare(struct store *st, struct sql *q, sqlite3_stmt **s, char **cause)
{
	int rc = sqlite3_prepare_v2(st->db, q->b.s, -1, s, NULL);
	buf_free(&q->b);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	for (int i = 0; i < q->n; i++)
		st_bind_text(*s, i + 1, q->v[i]);
	return SR_OK;
}

/* ---- villages covered ------------------------------------------------------- */

int store_coverage(struct store *st, const struct actor *a, const char *target,
		   void (*cb)(const char *town, const char *village, unsigned bits, void *arg),
		   void *arg, char **cause)
{
	assert(st && a && a->user && target && cb);
	/* a coverage target is a keyed count group: its "people" are the
	 * villages (or texts naming villages) of its records, per township */
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT township, person_key,"
				    " max(status = 'approved'), max(status = 'submitted')"
				    " FROM people WHERE team = 'target.' || ?1"
				    " AND status IN ('approved', 'submitted', '*') GROUP BY 1, 2",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, target);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		const char *v = (const char *)sqlite3_column_text(s, 1);
		unsigned bits = COVER_LIVE | (sqlite3_column_int(s, 2) ? COVER_APPROVED : 0) |
				(sqlite3_column_int(s, 3) ? COVER_SUBMITTED : 0);
		if (t && v && auth_in_scope(a->user, t))
			cb(t, v, bits, arg);
	}
	return st_rows_end(st, s, rc, SR_OK, cause);
}

/* ---- records on a past day ---------------------------------------------------- */

/* What the audit of record r says of it before `before`: *status after its
 * last decision then, and *vals_then the old values of its first edit
 * after then (a new string, or NULL when none). *known is false when a
 * site's bundle decided its status (sync rows tell no status). */
static int status_then(struct store *st, sqlite3_stmt *hist, const struct record *r,
		       const char *before, enum status *status, bool *known, char **vals_then,
		       char **cause)
{
	static const struct {
		const char *action;
		int to;		/* -1: returned becomes submitted (an edit) */
	} moves[] = {
		{"create", ST_SUBMITTED}, {"submit", ST_SUBMITTED}, {"approve", ST_APPROVED},
		{"return", ST_RETURNED}, {"unlock", ST_SUBMITTED}, {"withdraw", ST_WITHDRAWN},
		{"edit", -1},
	};
	*status = ST_SUBMITTED;
	*known = true;
	*vals_then = NULL;
	sqlite3_reset(hist);
	st_bind_text(hist, 1, r->uuid);
	int rc;
	while ((rc = sqlite3_step(hist)) == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(hist, 0);
		const char *act = (const char *)sqlite3_column_text(hist, 1);
		bool after = at && strcmp(at, before) >= 0;
		if (after) {
			if ((str_eq(act, "edit") || strncmp(act ? act : "", "sync", 4) == 0) &&
			    sqlite3_column_type(hist, 2) != SQLITE_NULL) {
				*vals_then = st_col_dup(hist, 2);
				break;
			}
			continue;
		}
		if (act && strncmp(act, "sync", 4) == 0)
			*known = false;
		for (size_t i = 0; i < ARRAY_LEN(moves); i++)
			if (str_eq(act, moves[i].action)) {
				*known = true;
				if (moves[i].to >= 0)
					*status = (enum status)moves[i].to;
				else if (*status == ST_RETURNED)
					*status = ST_SUBMITTED;
			}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return st_db_fail(st, rc, cause);
	return SR_OK;
}

int store_each_then(struct store *st, const struct actor *a, const char *before,
		    int (*cb)(const struct record *r, void *arg), void *arg, char **cause)
{
	assert(st && a && a->user && before && cb);
	sqlite3_stmt *s = NULL, *hist = NULL;
	int rc = sqlite3_prepare_v2(st->db, "SELECT " RECORD_COLS " FROM records"
				    " WHERE created_at < ?1", -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(st->db, "SELECT at, action, old_vals FROM audit"
					" WHERE uuid = ?1 ORDER BY id", -1, &hist, NULL);
	if (rc != SQLITE_OK) {
		int ret = st_db_fail(st, rc, cause);
		sqlite3_finalize(s);
		return ret;
	}
	st_bind_text(s, 1, before);
	int ret = SR_OK;
	while (ret == SR_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct record r;
		ret = st_row_to_record(st, s, &r, cause);
		bool stop = false;
		if (ret == SR_OK && st_check_record(a, ACT_VIEW, &r, NULL) == SR_OK) {
			if (r.updated_at && strcmp(r.updated_at, before) >= 0) {
				enum status then;
				bool known;
				char *vals = NULL;
				ret = status_then(st, hist, &r, before, &then, &known, &vals, cause);
				if (ret == SR_OK && known)
					r.status = then;
				if (ret == SR_OK && vals) {
					struct kv old = {0};
					if (st_vals_from_json(st, vals, &old, cause) == SR_OK) {
						kv_free(&r.vals);
						r.vals = old;
					} else {
						kv_free(&old);
					}
				}
				free(vals);
			}
			stop = ret == SR_OK && cb(&r, arg);
		}
		record_free(&r);
		if (stop)
			break;
	}
	sqlite3_finalize(hist);
	return st_rows_end(st, s, rc, ret, cause);
}

/* ---- spot checks ----------------------------------------------------------- */

int store_sample_draw(struct store *st, const struct actor *a, const char *township,
		      const char *category, int size, long *id, int *drawn, char **cause)
{
	assert(st && a && a->user && township && size > 0 && id && drawn);
	*id = 0;
	*drawn = 0;
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	ret = st_check(a, ACT_SUPERVISE, township, ST_SUBMITTED, NULL, cause);
	char *now = now_iso();
	struct strv picked = {0};
	sqlite3_stmt *s = NULL;
	if (ret == SR_OK) {
		int rc = sqlite3_prepare_v2(st->db, "SELECT uuid FROM records WHERE township = ?1"
					    " AND status <> 'withdrawn' AND (?2 IS NULL OR category = ?2)"
					    " ORDER BY random() LIMIT ?3", -1, &s, NULL);
		if (rc == SQLITE_OK) {
			st_bind_text(s, 1, township);
			st_bind_text(s, 2, category);
			sqlite3_bind_int(s, 3, size);
			while ((rc = sqlite3_step(s)) == SQLITE_ROW)
				strv_take(&picked, st_col_dup(s, 0));
		}
		ret = st_rows_end(st, s, rc, SR_OK, cause);
		s = NULL;
	}
	if (ret == SR_OK && picked.n == 0)
		ret = st_fail_msg(cause, SR_NOTFOUND, msgf(MSG_SAMPLE_EMPTY, township));
	if (ret == SR_OK) {
		int rc = sqlite3_prepare_v2(st->db, "INSERT INTO samples(township, category, size,"
					    " drawn_by, drawn_at) VALUES (?1, ?2, ?3, ?4, ?5)", -1, &s, NULL);
		if (rc == SQLITE_OK) {
			st_bind_text(s, 1, township);
			st_bind_text(s, 2, category);
			sqlite3_bind_int(s, 3, (int)picked.n);
			st_bind_text(s, 4, a->user->login);
			st_bind_text(s, 5, now);
			rc = sqlite3_step(s);
		}
		ret = rc == SQLITE_DONE ? SR_OK : st_db_fail(st, rc, cause);
		*id = (long)sqlite3_last_insert_rowid(st->db);
		sqlite3_finalize(s);
		s = NULL;
	}
	if (ret == SR_OK) {
		int rc = sqlite3_prepare_v2(st->db, "INSERT INTO sample_items(sample, uuid)"
					    " VALUES (?1, ?2)", -1, &s, NULL);
		for (size_t i = 0; rc == SQLITE_OK && i < picked.n; i++) {
			sqlite3_bind_int64(s, 1, *id);
			st_bind_text(s, 2, picked.v[i]);
			rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(st->db);
			sqlite3_reset(s);
		}
		if (rc != SQLITE_OK)
			ret = st_db_fail(st, rc, cause);
		sqlite3_finalize(s);
	}
	if (ret == SR_OK) {
		char *comment = xasprintf("#%ld %s %s %zu", *id, township, category ? category : "*",
					  picked.n);
		ret = st_audit_add(st, a, now, "sample", NULL, NULL, NULL, comment, cause);
		free(comment);
	}
	*drawn = (int)picked.n;
	strv_free(&picked);
	free(now);
	return st_tx_end(st, ret, cause);
}

#define SAMPLE_COLS \
	"s.id, s.township, s.category, s.drawn_by, s.drawn_at, s.size," \
	" (SELECT count(*) FROM sample_items i WHERE i.sample = s.id AND i.checked_at IS NOT NULL)," \
	" (SELECT count(*) FROM sample_items i WHERE i.sample = s.id AND i.result = 'problem')"

static void sample_from(sqlite3_stmt *s, struct sample_row *row)
{
	*row = (struct sample_row){
		(long)sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
		(const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 3),
		(const char *)sqlite3_column_text(s, 4), sqlite3_column_int(s, 5),
		sqlite3_column_int(s, 6), sqlite3_column_int(s, 7),
	};
}

int store_sample_list(struct store *st, const struct actor *a,
		      int (*cb)(const struct sample_row *s, void *arg), void *arg, char **cause)
{
	assert(st && a && a->user && cb);
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT " SAMPLE_COLS " FROM samples s ORDER BY s.id DESC",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct sample_row row;
		sample_from(s, &row);
		if (auth_in_scope(a->user, row.township) && cb(&row, arg))
			break;
	}
	return st_rows_end(st, s, rc, SR_OK, cause);
}

int store_sample_show(struct store *st, const struct actor *a, long id,
		      int (*head)(const struct sample_row *s, void *arg),
		      int (*cb)(const struct sample_item *it, void *arg), void *arg, char **cause)
{
	assert(st && a && a->user && head && cb);
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT " SAMPLE_COLS " FROM samples s WHERE s.id = ?1",
				    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	struct sample_row row;
	int ret = SR_OK;
	if (rc == SQLITE_ROW) {
		sample_from(s, &row);
		if (!auth_in_scope(a->user, row.township))
			ret = st_fail_msg(cause, SR_NOTFOUND, msgf(MSG_SAMPLE_NOT_FOUND, id));
		else
			head(&row, arg);
	} else if (rc == SQLITE_DONE) {
		ret = st_fail_msg(cause, SR_NOTFOUND, msgf(MSG_SAMPLE_NOT_FOUND, id));
	}
	ret = st_rows_end(st, s, rc, ret, cause);
	if (ret != SR_OK)
		return ret;
	rc = sqlite3_prepare_v2(st->db, "SELECT i.uuid, r.name, r.category, r.village, r.status,"
				" i.result, i.note, i.checked_by, i.checked_at FROM sample_items i"
				" LEFT JOIN records r ON r.uuid = i.uuid WHERE i.sample = ?1"
				" ORDER BY r.village, r.name, i.uuid", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *c[9];
		for (int i = 0; i < 9; i++)
			c[i] = (const char *)sqlite3_column_text(s, i);
		struct sample_item it = {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]};
		if (cb(&it, arg))
			break;
	}
	return st_rows_end(st, s, rc, SR_OK, cause);
}

int store_sample_check(struct store *st, const struct actor *a, long id, const char *uuid,
		       bool problem, const char *note, char **cause)
{
	assert(st && a && a->user && uuid && note);
	char lo[UUID_LEN + 1], hi[UUID_LEN + 2];
	if (!st_uuid_range(uuid, lo, hi))
		return st_fail_msg(cause, SR_NOTFOUND, msgf(MSG_SAMPLE_NO_RECORD, id, uuid));
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	char *full = NULL, *now = now_iso();
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT uuid FROM sample_items WHERE sample = ?1"
				    " AND uuid >= ?2 AND uuid < ?3 LIMIT 2", -1, &s, NULL);
	int found = 0;
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(s, 1, id);
		st_bind_text(s, 2, lo);
		st_bind_text(s, 3, hi);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			if (found++ == 0)
				full = st_col_dup(s, 0);
	}
	ret = st_rows_end(st, s, rc, SR_OK, cause);
	if (ret == SR_OK && found != 1)
		ret = st_fail_msg(cause, found ? SR_AMBIGUOUS : SR_NOTFOUND,
				  found ? msgf(MSG_AMBIGUOUS, uuid) : msgf(MSG_SAMPLE_NO_RECORD, id, uuid));
	struct record r = {0};
	if (ret == SR_OK && (ret = st_find_record(st, a, full, &r, cause)) == SR_OK)
		ret = st_check_record(a, ACT_SUPERVISE, &r, cause);
	if (ret == SR_OK) {
		rc = sqlite3_prepare_v2(st->db, "UPDATE sample_items SET result = ?1, note = ?2,"
					" checked_by = ?3, checked_at = ?4 WHERE sample = ?5 AND uuid = ?6",
					-1, &s, NULL);
		if (rc == SQLITE_OK) {
			st_bind_text(s, 1, problem ? "problem" : "ok");
			st_bind_text(s, 2, note);
			st_bind_text(s, 3, a->user->login);
			st_bind_text(s, 4, now);
			sqlite3_bind_int64(s, 5, id);
			st_bind_text(s, 6, full);
			rc = sqlite3_step(s);
			sqlite3_finalize(s);
		}
		ret = rc == SQLITE_DONE ? SR_OK : st_db_fail(st, rc, cause);
	}
	if (ret == SR_OK) {
		char *comment = msgf(problem ? MSG_SAMPLE_AUDIT_PROBLEM : MSG_SAMPLE_AUDIT_OK, id, note);
		ret = st_audit_add(st, a, now, "sample_check", full, NULL, NULL, comment, cause);
		free(comment);
	}
	if (r.uuid[0])
		record_free(&r);
	free(full);
	free(now);
	return st_tx_end(st, ret, cause);
}

/* ---- activity --------------------------------------------------------------- */

int store_activity(struct store *st, const struct actor *a, const char *from, const char *to,
		   int (*cb)(const struct activity_row *r, void *arg), void *arg, char **cause)
{
	assert(st && a && a->user && from && to && cb);
	struct sql q = {0};
	sql_add(&q, "WITH acts AS (SELECT coalesce(a.as_user, a.login) AS who, a.action AS action,"
		    " r.created_by AS maker FROM audit a JOIN records r ON r.uuid = a.uuid"
		    " WHERE a.at >= ?", from);
	sql_add(&q, " AND a.at < ?", to);
	buf_puts(&q.b, " AND a.action IN ('create', 'edit', 'approve', 'return', 'sample_check')");
	sql_scope(&q, "r.township", a->user);
	buf_puts(&q.b, ") SELECT login, sum(e), sum(ed), sum(ret), sum(app), sum(rev), sum(chk) FROM ("
		       " SELECT who AS login, action = 'create' AS e, action = 'edit' AS ed, 0 AS ret,"
		       "  0 AS app, action IN ('approve', 'return') AS rev,"
		       "  action = 'sample_check' AS chk FROM acts"
		       " UNION ALL SELECT maker, 0, 0, action = 'return', action = 'approve', 0, 0"
		       "  FROM acts WHERE action IN ('approve', 'return'))"
		       " GROUP BY login ORDER BY login");
	sqlite3_stmt *s;
	int ret = sql_prepare(st, &q, &s, cause);
	if (ret != SR_OK)
		return ret;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct activity_row r = {
			(const char *)sqlite3_column_text(s, 0), (long)sqlite3_column_int64(s, 1),
			(long)sqlite3_column_int64(s, 2), (long)sqlite3_column_int64(s, 3),
			(long)sqlite3_column_int64(s, 4), (long)sqlite3_column_int64(s, 5),
			(long)sqlite3_column_int64(s, 6),
		};
		if (cb(&r, arg))
			break;
	}
	return st_rows_end(st, s, rc, SR_OK, cause);
}
