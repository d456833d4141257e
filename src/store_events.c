/*
 * store_events.c - events and their attendance (store_events.h, schema 9,
 * issue 15): adding, reading, editing and reviewing events; adding and
 * removing attendees by person; the counts the plan's targets of events
 * read. Writes follow store_int.h's rules: one transaction, auth_check()
 * on the stored row inside it, the audit row (under the event's uuid) with
 * it.
 */
#include "store_int.h"
#include "store_events.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVENT_COLS \
	"uuid, type, status, title, township, start_date, end_date, hours, vals, comment," \
	" created_by, created_at, updated_by, updated_at, version, site," \
	" (SELECT count(*) FROM attendance WHERE event = events.id)"

void event_free(struct event *e)
{
	if (e == NULL)
		return;
	free(e->type);
	free(e->title);
	free(e->township);
	free(e->start_date);
	free(e->end_date);
	kv_free(&e->vals);
	free(e->comment);
	free(e->created_by);
	free(e->created_at);
	free(e->updated_by);
	free(e->updated_at);
	free(e->site);
	memset(e, 0, sizeof *e);
}

static void set_copy(char **slot, const char *v)
{
	free(*slot);
	*slot = str_empty(v) ? NULL : xstrdup(v);
}

void event_sync(struct event *e)
{
	set_copy(&e->title, kv_get(&e->vals, "title"));
	set_copy(&e->township, kv_get(&e->vals, "township"));
	set_copy(&e->start_date, kv_get(&e->vals, "start_date"));
	set_copy(&e->end_date, kv_get(&e->vals, "end_date"));
	const char *h = kv_get(&e->vals, "hours");
	e->has_hours = !str_empty(h) && str_to_double(h, &e->hours) == 0;
	if (!e->has_hours)
		e->hours = 0;
}

/* Fills e (zeroed first) from the current row of s, which lists EVENT_COLS. */
static int row_to_event(struct store *st, sqlite3_stmt *s, struct event *e, char **cause)
{
	memset(e, 0, sizeof *e);
	const char *uuid = (const char *)sqlite3_column_text(s, 0);
	snprintf(e->uuid, sizeof e->uuid, "%s", uuid ? uuid : "");
	e->type = st_col_dup(s, 1);
	if (status_parse((const char *)sqlite3_column_text(s, 2), &e->status) < 0)
		e->status = ST_DRAFT;
	e->title = st_col_dup(s, 3);
	e->township = st_col_dup(s, 4);
	e->start_date = st_col_dup(s, 5);
	e->end_date = st_col_dup(s, 6);
	e->has_hours = sqlite3_column_type(s, 7) != SQLITE_NULL;
	e->hours = sqlite3_column_double(s, 7);
	e->comment = st_col_dup(s, 9);
	e->created_by = st_col_dup(s, 10);
	e->created_at = st_col_dup(s, 11);
	e->updated_by = st_col_dup(s, 12);
	e->updated_at = st_col_dup(s, 13);
	e->version = sqlite3_column_int(s, 14);
	e->site = st_col_dup(s, 15);
	e->attendees = (long)sqlite3_column_int64(s, 16);
	return st_vals_from_json(st, (const char *)sqlite3_column_text(s, 8), &e->vals, cause);
}

/* Returns SR_OK when a may do act to e, else SR_DENIED with the reason. A
 * district event (no township) is seen by everyone. */
static int event_check(const struct actor *a, enum action act, const struct event *e,
		       char **cause)
{
	if (act == ACT_VIEW && e->township == NULL)
		return SR_OK;
	struct auth_subject subj = {e->township, e->status, e->created_by, e->updated_by, NULL};
	enum msg_id why = MSG_DENIED_ROLE;
	if (act == ACT_CREATE)	/* filling it: while it is open */
		subj.status = ST_SUBMITTED;
	if (auth_check(a->user, act, &subj, &why) < 0)
		return st_fail_msg(cause, SR_DENIED, msgf(MSG_DENIED, msg(why)));
	if (act == ACT_CREATE && (e->status == ST_APPROVED || e->status == ST_WITHDRAWN))
		return st_fail_msg(cause, SR_DENIED,
				   msgf(MSG_DENIED, msg(e->status == ST_APPROVED ? MSG_DENIED_EVENT_LOCKED
									 : MSG_DENIED_STATUS)));
	return SR_OK;
}

int store_event_may(const struct actor *a, enum action act, const struct event *e,
		    char **cause)
{
	return event_check(a, act, e, cause);
}

/* Loads into *e the one event id names (a whole uuid or a prefix of 8 or
 * more characters) that a may see; *row_id is its rowid. */
static int find_event(struct store *st, const struct actor *a, const char *id, struct event *e,
		      long long *row_id, char **cause)
{
	char lo[UUID_LEN + 1], hi[UUID_LEN + 2];
	memset(e, 0, sizeof *e);
	if (!st_uuid_range(id, lo, hi))
		return st_fail_msg(cause, SR_NOTFOUND, msgf(MSG_EVENT_NOT_FOUND, id ? id : ""));
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT " EVENT_COLS ", id FROM events"
				    " WHERE uuid >= ?1 AND uuid < ?2 ORDER BY uuid", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, lo);
	st_bind_text(s, 2, hi);
	int ret = SR_NOTFOUND, found = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct event cand;
		if (row_to_event(st, s, &cand, cause) != SR_OK) {
			event_free(&cand);
			ret = SR_FAIL;
			break;
		}
		if (event_check(a, ACT_VIEW, &cand, NULL) != SR_OK) {
			event_free(&cand);
			continue;
		}
		if (found++) {
			event_free(&cand);
			break;
		}
		*e = cand;
		*row_id = sqlite3_column_int64(s, 17);
		ret = SR_OK;
	}
	ret = st_rows_end(st, s, rc, ret, cause);
	if (ret == SR_OK && found > 1)
		ret = st_fail_msg(cause, SR_AMBIGUOUS, msgf(MSG_AMBIGUOUS, id));
	else if (ret == SR_NOTFOUND)
		st_set_cause(cause, msgf(MSG_EVENT_NOT_FOUND, id));
	if (ret != SR_OK)
		event_free(e);
	return ret;
}

int store_event_add(struct store *st, const struct actor *a, struct event *e, const char *site,
		    const char *note, char **cause)
{
	assert(st && a && a->user && e && e->type);
	if (e->uuid[0] == '\0')
		uuid_v4(e->uuid);
	e->status = ST_SUBMITTED;
	set_copy(&e->created_by, a->user->login);
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	ret = event_check(a, ACT_CREATE, e, cause);
	char *now = now_iso();
	struct buf json = {0};
	kv_to_json(&e->vals, &json);
	sqlite3_stmt *s = NULL;
	if (ret == SR_OK) {
		int rc = sqlite3_prepare_v2(st->db, "INSERT INTO events(uuid, type, status, title,"
					    " township, start_date, end_date, hours, vals, created_by,"
					    " created_at, updated_by, updated_at, version, site)"
					    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10,"
					    " ?11, 1, ?12)", -1, &s, NULL);
		if (rc != SQLITE_OK)
			ret = st_db_fail(st, rc, cause);
	}
	if (ret == SR_OK) {
		const char *t[] = {e->uuid, e->type, status_name(e->status), e->title ? e->title : "",
				   e->township, e->start_date ? e->start_date : "", e->end_date};
		for (int i = 0; i < 7; i++)
			st_bind_text(s, i + 1, t[i]);
		if (e->has_hours)
			sqlite3_bind_double(s, 8, e->hours);
		st_bind_text(s, 9, json.s);
		st_bind_text(s, 10, a->user->login);
		st_bind_text(s, 11, now);
		st_bind_text(s, 12, site ? site : "");
		int rc = sqlite3_step(s);
		if (rc != SQLITE_DONE)
			ret = st_db_fail(st, rc, cause);
	}
	sqlite3_finalize(s);
	if (ret == SR_OK)
		ret = st_audit_add(st, a, now, "event_create", e->uuid, NULL, json.s, note, cause);
	if (ret == SR_OK) {
		set_copy(&e->created_at, now);
		set_copy(&e->updated_by, a->user->login);
		set_copy(&e->updated_at, now);
		set_copy(&e->site, site);
		e->version = 1;
	}
	buf_free(&json);
	free(now);
	return st_tx_end(st, ret, cause);
}

int store_event_get(struct store *st, const struct actor *a, const char *id, struct event **out,
		    char **cause)
{
	*out = NULL;
	struct event *e = xcalloc(1, sizeof *e);
	long long row;
	int ret = find_event(st, a, id, e, &row, cause);
	if (ret != SR_OK) {
		free(e);
		return ret;
	}
	*out = e;
	return SR_OK;
}

int store_event_update(struct store *st, const struct actor *a, struct event *e,
		       const char *note, char **cause)
{
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	struct event old;
	long long row = 0;
	ret = find_event(st, a, e->uuid, &old, &row, cause);
	if (ret == SR_OK)
		ret = event_check(a, ACT_EDIT, &old, cause);
	if (ret == SR_OK && e->township && !auth_in_scope(a->user, e->township))
		ret = st_fail_msg(cause, SR_DENIED, msgf(MSG_DENIED, msg(MSG_DENIED_SCOPE)));
	if (ret == SR_OK && e->township == NULL && !auth_in_scope(a->user, NULL))
		ret = st_fail_msg(cause, SR_DENIED, msgf(MSG_DENIED, msg(MSG_DENIED_SCOPE)));
	if (ret == SR_OK && old.version != e->version)
		ret = st_fail_msg(cause, SR_STALE, msgf(MSG_STALE, old.uuid));
	char *now = now_iso();
	struct buf oldj = {0}, newj = {0};
	kv_to_json(&old.vals, &oldj);
	kv_to_json(&e->vals, &newj);
	if (ret == SR_OK) {
		enum status to = old.status == ST_RETURNED ? ST_SUBMITTED : old.status;
		sqlite3_stmt *s;
		int rc = sqlite3_prepare_v2(st->db, "UPDATE events SET status = ?1, title = ?2,"
					    " township = ?3, start_date = ?4, end_date = ?5, hours = ?6,"
					    " vals = ?7, updated_by = ?8, updated_at = ?9,"
					    " version = version + 1 WHERE id = ?10 AND version = ?11",
					    -1, &s, NULL);
		if (rc != SQLITE_OK)
			ret = st_db_fail(st, rc, cause);
		else {
			st_bind_text(s, 1, status_name(to));
			st_bind_text(s, 2, e->title ? e->title : "");
			st_bind_text(s, 3, e->township);
			st_bind_text(s, 4, e->start_date ? e->start_date : "");
			st_bind_text(s, 5, e->end_date);
			if (e->has_hours)
				sqlite3_bind_double(s, 6, e->hours);
			st_bind_text(s, 7, newj.s);
			st_bind_text(s, 8, a->user->login);
			st_bind_text(s, 9, now);
			sqlite3_bind_int64(s, 10, row);
			sqlite3_bind_int(s, 11, old.version);
			rc = sqlite3_step(s);
			ret = st_rows_end(st, s, rc, SR_OK, cause);
		}
		if (ret == SR_OK) {
			e->status = to;
			e->version = old.version + 1;
			ret = st_audit_add(st, a, now, "event_edit", old.uuid, oldj.s, newj.s, note,
					   cause);
		}
	}
	buf_free(&oldj);
	buf_free(&newj);
	free(now);
	event_free(&old);
	return st_tx_end(st, ret, cause);
}

/* The status an action takes an event to, and whether it may start from st. */
static bool transition_to(enum action act, enum status st, enum status *to)
{
	switch (act) {
	case ACT_APPROVE: *to = ST_APPROVED; return st == ST_SUBMITTED;
	case ACT_RETURN: *to = ST_RETURNED; return st == ST_SUBMITTED;
	case ACT_UNLOCK: *to = ST_SUBMITTED; return st == ST_APPROVED;
	case ACT_SUBMIT: *to = ST_SUBMITTED; return st == ST_RETURNED || st == ST_DRAFT;
	case ACT_WITHDRAW: *to = ST_WITHDRAWN; return st != ST_WITHDRAWN && st != ST_APPROVED;
	default: return false;
	}
}

int store_event_transition(struct store *st, const struct actor *a, const char *id,
			   enum action act, const char *comment, char **cause)
{
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	struct event e;
	long long row = 0;
	enum status to = ST_SUBMITTED;
	ret = find_event(st, a, id, &e, &row, cause);
	if (ret == SR_OK)
		ret = event_check(a, act, &e, cause);
	if (ret == SR_OK && !transition_to(act, e.status, &to))
		ret = st_fail_msg(cause, SR_DENIED, msgf(MSG_DENIED, msg(MSG_DENIED_STATUS)));
	char *now = now_iso();
	if (ret == SR_OK) {
		sqlite3_stmt *s;
		int rc = sqlite3_prepare_v2(st->db, "UPDATE events SET status = ?1,"
					    " comment = CASE WHEN ?2 IS NOT NULL THEN ?2 ELSE comment END,"
					    " updated_by = ?3, updated_at = ?4, version = version + 1"
					    " WHERE id = ?5", -1, &s, NULL);
		if (rc != SQLITE_OK)
			ret = st_db_fail(st, rc, cause);
		else {
			st_bind_text(s, 1, status_name(to));
			st_bind_text(s, 2, comment);
			st_bind_text(s, 3, a->user->login);
			st_bind_text(s, 4, now);
			sqlite3_bind_int64(s, 5, row);
			rc = sqlite3_step(s);
			ret = st_rows_end(st, s, rc, SR_OK, cause);
		}
	}
	if (ret == SR_OK) {
		char *action = xasprintf("event_%s", action_name(act));
		ret = st_audit_add(st, a, now, action, e.uuid, NULL, NULL, comment, cause);
		free(action);
	}
	free(now);
	event_free(&e);
	return st_tx_end(st, ret, cause);
}

int store_event_list(struct store *st, const struct actor *a, const struct event_query *q,
		     int (*cb)(const struct event *e, void *arg), void *arg, char **cause)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT " EVENT_COLS " FROM events"
				    " WHERE (?1 IS NULL OR type = ?1)"
				    " AND (?2 IS NULL AND status <> 'withdrawn' OR status = ?2)"
				    " AND (?3 IS NULL OR township = ?3)"
				    " ORDER BY start_date DESC, id DESC", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, q ? q->type : NULL);
	st_bind_text(s, 2, q && q->status >= 0 ? status_name((enum status)q->status) : NULL);
	st_bind_text(s, 3, q ? q->township : NULL);
	int ret = SR_OK, n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct event e;
		ret = row_to_event(st, s, &e, cause);
		int stop = ret != SR_OK;
		if (!stop && event_check(a, ACT_VIEW, &e, NULL) == SR_OK) {
			stop = cb(&e, arg) || (q && q->limit > 0 && ++n >= q->limit);
		}
		event_free(&e);
		if (stop)
			break;
	}
	return st_rows_end(st, s, rc, ret, cause);
}

/* ---- attendance ---- */

int store_person_record(struct store *st, const char *person_key, const char *prefer,
			char **uuid, char **name, char **township, char **category, char **cause)
{
	*uuid = NULL;
	if (name)
		*name = NULL;
	if (township)
		*township = NULL;
	if (category)
		*category = NULL;
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT uuid, name, township, category FROM records"
				    " WHERE person_key = ?1 AND status <> 'withdrawn'"
				    " ORDER BY category IS NOT ?2, id LIMIT 1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, person_key);
	st_bind_text(s, 2, prefer);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*uuid = st_col_dup(s, 0);
		if (name)
			*name = st_col_dup(s, 1);
		if (township)
			*township = st_col_dup(s, 2);
		if (category)
			*category = st_col_dup(s, 3);
	}
	return st_rows_end(st, s, rc, SR_OK, cause);
}

/* Adds an attendance row inside an open transaction: the event row (whose
 * rights are checked), the person and the record they attend through. */
static int attend_row(struct store *st, const struct actor *a, const struct event *e,
		      long long row, const char *person_key, const char *uuid, const char *name,
		      const char *township, const char *source, char **cause)
{
	int ret = event_check(a, ACT_CREATE, e, cause);
	if (ret != SR_OK)
		return ret;
	char *now = now_iso();
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "INSERT INTO attendance(event, person_key, uuid, name,"
				    " township, source, added_by, added_at)"
				    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		free(now);
		return st_db_fail(st, rc, cause);
	}
	sqlite3_bind_int64(s, 1, row);
	st_bind_text(s, 2, person_key);
	st_bind_text(s, 3, uuid);
	st_bind_text(s, 4, name ? name : "");
	st_bind_text(s, 5, township);
	st_bind_text(s, 6, source);
	st_bind_text(s, 7, a->user->login);
	st_bind_text(s, 8, now);
	rc = sqlite3_step(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		sqlite3_finalize(s);
		free(now);
		return st_fail_msg(cause, SR_NOCHANGE, xstrdup(msg(MSG_EVENT_ALREADY_ATTENDS)));
	}
	ret = st_rows_end(st, s, rc, SR_OK, cause);
	if (ret == SR_OK) {
		char *what = xasprintf("%s %s", source, uuid);
		ret = st_audit_add(st, a, now, "event_attend", e->uuid, NULL, NULL, what, cause);
		free(what);
	}
	free(now);
	return ret;
}

int store_event_attend(struct store *st, const struct actor *a, const char *id,
		       const char *person_key, const char *prefer, const char *source,
		       char **cause)
{
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	struct event e;
	long long row = 0;
	char *uuid = NULL, *name = NULL, *town = NULL;
	ret = find_event(st, a, id, &e, &row, cause);
	if (ret == SR_OK)
		ret = store_person_record(st, person_key, prefer, &uuid, &name, &town, NULL, cause);
	if (ret == SR_OK && uuid == NULL)
		ret = st_fail_msg(cause, SR_NOTFOUND, xstrdup(msg(MSG_EVENT_NOT_REGISTERED)));
	if (ret == SR_OK)
		ret = attend_row(st, a, &e, row, person_key, uuid, name, town, source, cause);
	free(uuid);
	free(name);
	free(town);
	event_free(&e);
	return st_tx_end(st, ret, cause);
}

int st_event_attend_hook(struct store *st, const struct actor *a, const struct record *r,
			 void *arg, char **cause)
{
	const struct attend_hook *h = arg;
	struct event e;
	long long row = 0;
	int ret = find_event(st, a, h->event_uuid, &e, &row, cause);
	if (ret == SR_OK)
		ret = attend_row(st, a, &e, row, r->person_key, r->uuid, r->name, r->township,
				 h->source, cause);
	event_free(&e);
	return ret;
}

/* Whether a may take person_key off event row: whoever added them may,
 * and a supervisor or admin who sees their township; to anyone else they
 * are not there, so that an ID typed at unattend tells nothing the list
 * does not, and removes nobody someone else added. *uuid (new) is the
 * record they attend through. */
static int removable(struct store *st, const struct actor *a, long long row,
		     const char *person_key, char **uuid, char **cause)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT uuid, township, added_by FROM attendance"
				    " WHERE event = ?1 AND person_key = ?2", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	sqlite3_bind_int64(s, 1, row);
	st_bind_text(s, 2, person_key);
	rc = sqlite3_step(s);
	bool may = false;
	if (rc == SQLITE_ROW) {
		const char *town = (const char *)sqlite3_column_text(s, 1);
		may = str_eq((const char *)sqlite3_column_text(s, 2), a->user->login) ||
		      (a->user->role != ROLE_OFFICER && auth_in_scope(a->user, town));
		if (may)
			*uuid = st_col_dup(s, 0);
	}
	int ret = st_rows_end(st, s, rc, SR_OK, cause);
	if (ret == SR_OK && !may)
		ret = st_fail_msg(cause, SR_NOCHANGE, xstrdup(msg(MSG_EVENT_NOT_ATTENDING)));
	return ret;
}

int store_event_unattend(struct store *st, const struct actor *a, const char *id,
			 const char *person_key, char **cause)
{
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	struct event e;
	long long row = 0;
	ret = find_event(st, a, id, &e, &row, cause);
	if (ret == SR_OK)
		ret = event_check(a, ACT_CREATE, &e, cause);
	char *uuid = NULL;
	if (ret == SR_OK)
		ret = removable(st, a, row, person_key, &uuid, cause);
	if (ret == SR_OK) {
		sqlite3_stmt *s;
		int rc = sqlite3_prepare_v2(st->db, "DELETE FROM attendance WHERE event = ?1"
					    " AND person_key = ?2", -1, &s, NULL);
		if (rc != SQLITE_OK)
			ret = st_db_fail(st, rc, cause);
		else {
			sqlite3_bind_int64(s, 1, row);
			st_bind_text(s, 2, person_key);
			ret = st_rows_end(st, s, sqlite3_step(s), SR_OK, cause);
		}
	}
	if (ret == SR_OK) {
		char *now = now_iso();
		ret = st_audit_add(st, a, now, "event_unattend", e.uuid, NULL, NULL, uuid, cause);
		free(now);
	}
	free(uuid);
	event_free(&e);
	return st_tx_end(st, ret, cause);
}

int store_event_attendees(struct store *st, const struct actor *a, const char *id,
			  int (*cb)(const struct attendee *at, void *arg), void *arg, char **cause)
{
	struct event e;
	long long row = 0;
	int ret = find_event(st, a, id, &e, &row, cause);
	event_free(&e);
	if (ret != SR_OK)
		return ret;
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT t.person_key, t.uuid, t.name, t.township,"
				    " r.category, r.status, t.source, t.added_by, t.added_at"
				    " FROM attendance t LEFT JOIN records r ON r.uuid = t.uuid"
				    " WHERE t.event = ?1 ORDER BY t.added_at, t.person_key", -1, &s,
				    NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	sqlite3_bind_int64(s, 1, row);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t[9];
		for (int i = 0; i < 9; i++)
			t[i] = (const char *)sqlite3_column_text(s, i);
		struct attendee at = {t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8]};
		/* someone of a township a does not see (at a district event, or
		 * typed in by someone who does): there, but not who */
		if (!auth_in_scope(a->user, t[3]))
			at = (struct attendee){.name = msg(MSG_EVENT_ATTENDEE_HIDDEN), .township = t[3],
					       .source = t[6], .added_by = t[7], .added_at = t[8]};
		if (cb(&at, arg))
			break;
	}
	return st_rows_end(st, s, rc, SR_OK, cause);
}

int store_event_history(struct store *st, const struct actor *a, const char *id,
			int (*cb)(const struct audit_row *row, void *arg), void *arg,
			char **cause)
{
	struct event e;
	long long row = 0;
	int ret = find_event(st, a, id, &e, &row, cause);
	if (ret != SR_OK)
		return ret;
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT id, at, login, as_user, action, uuid, old_vals,"
				    " new_vals, comment FROM audit WHERE uuid = ?1 ORDER BY id", -1,
				    &s, NULL);
	if (rc != SQLITE_OK) {
		event_free(&e);
		return st_db_fail(st, rc, cause);
	}
	st_bind_text(s, 1, e.uuid);
	event_free(&e);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t[9];
		for (int i = 1; i < 9; i++)
			t[i] = (const char *)sqlite3_column_text(s, i);
		struct audit_row r = {(long)sqlite3_column_int64(s, 0), t[1], t[2], t[3], t[4], t[5],
				      t[6], t[7], t[8]};
		if (cb(&r, arg))
			break;
	}
	return st_rows_end(st, s, rc, SR_OK, cause);
}

/* ---- counts ---- */

/* Appends "AND col IN (?, ...)" for the n values to sql, binding them
 * later from the same vector. */
static void sql_in(struct buf *sql, const char *col, size_t n)
{
	buf_printf(sql, " AND %s IN (", col);
	for (size_t i = 0; i < n; i++)
		buf_puts(sql, i ? ", ?" : "?");
	buf_puts(sql, ")");
}

int store_event_count(struct store *st, const struct actor *a, const struct event_count *q,
		      double *n, char **cause)
{
	*n = 0;
	static const char *const what[] = {
		[EM_EVENTS] = "SELECT count(*) FROM events e WHERE true",
		[EM_PEOPLE] = "SELECT count(DISTINCT t.person_key) FROM attendance t"
			      " JOIN events e ON e.id = t.event WHERE true",
		[EM_HOURS] = "SELECT total(e.hours) FROM attendance t"
			     " JOIN events e ON e.id = t.event WHERE true",
	};
	const struct strv *towns = auth_in_scope(a->user, NULL) ? NULL : &a->user->townships;
	bool att = q->what != EM_EVENTS;
	struct buf sql = {0};
	buf_puts(&sql, what[q->what]);
	buf_puts(&sql, q->status >= 0 ? " AND e.status = ?1" : " AND e.status <> 'withdrawn'");
	buf_puts(&sql, " AND (?2 IS NULL OR e.start_date >= ?2) AND (?3 IS NULL OR e.start_date <= ?3)"
		       " AND (?4 IS NULL OR e.created_at < ?4)");
	if (att)
		buf_puts(&sql, " AND (?4 IS NULL OR t.added_at < ?4)");
	if (q->types)
		sql_in(&sql, "e.type", q->types->n);
	if (towns)
		sql_in(&sql, att ? "t.township" : "e.township", towns->n);
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, sql.s, -1, &s, NULL);
	buf_free(&sql);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	if (q->status >= 0)
		st_bind_text(s, 1, status_name((enum status)q->status));
	st_bind_text(s, 2, q->from);
	st_bind_text(s, 3, q->to);
	st_bind_text(s, 4, q->before);
	int i = 5;
	for (size_t k = 0; q->types && k < q->types->n; k++)
		st_bind_text(s, i++, q->types->v[k]);
	for (size_t k = 0; towns && k < towns->n; k++)
		st_bind_text(s, i++, towns->v[k]);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_double(s, 0);
	return st_rows_end(st, s, rc, SR_OK, cause);
}
