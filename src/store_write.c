/*
 * store_write.c - the calls of store.h that change records: adding one or
 * a batch (a large batch through the bulk path of store_stats.c), editing,
 * and the workflow's status changes. Each runs in one transaction, checks
 * auth_check() on the stored row inside it, and appends its audit row.
 */
#include "store_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Returns SR_DUP (with the other record's uuid in *cause) when the person
 * has a live record in category other than the one whose uuid is self. */
static int check_dup(struct store *st, const char *category, const char *person_key,
		     const char *self, char **cause)
{
	char *other;
	int ret = st_get_text(st, Q_LIVE_PERSON, (const char *const[]){category, person_key, self},
			      3, &other, cause);
	if (ret == SR_OK && other)
		ret = st_fail_msg(cause, SR_DUP, msgf(MSG_DUP_PERSON, person_key, other));
	free(other);
	return ret;
}

/* Sets *exists to whether a record with this exact uuid is stored. */
static int uuid_exists(struct store *st, const char *uuid, bool *exists, char **cause)
{
	char *one;
	int ret = st_get_text(st, Q_UUID_EXISTS, (const char *const[]){uuid}, 1, &one, cause);
	*exists = one != NULL;
	free(one);
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
	sqlite3_stmt *s = st_prep(st, Q_INSERT_RECORD, cause);
	if (s == NULL)
		return SR_FAIL;
	struct buf json = {0};
	kv_to_json(&r->vals, &json);
	const char *login = a->user->login;
	const char *c[RC__COUNT];
	st_record_cols(r, json.s, c);
	/* a new row: made now by a, at this site, version 1 */
	c[RC_CREATED_BY] = c[RC_UPDATED_BY] = login;
	c[RC_CREATED_AT] = c[RC_UPDATED_AT] = now;
	c[RC_SITE] = site ? site : "";
	st_bind_cols(s, c, 1);
	/* the unique indexes guard the uuid and the live person: the insert
	 * is tried first and a refusal explained after, so that a batch pays
	 * for no look-up ahead of each row */
	int rc = sqlite3_step(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		st_done(s);
		buf_free(&json);
		bool retried;
		if ((ret = uuid_exists(st, r->uuid, &retried, cause)) != SR_OK || retried)
			return ret;	/* a retried save: nothing changes */
		if ((ret = check_dup(st, r->category, r->person_key, NULL, cause)) != SR_OK)
			return ret;
		return st_db_fail(st, rc, cause);
	}
	ret = rc == SQLITE_DONE ? SR_OK : st_db_fail(st, rc, cause);
	st_done(s);
	if (ret == SR_OK)
		/* the values are the record's own (version 1): an edit's row keeps
		 * them as its old values, so the registration's row needs no copy */
		ret = st_audit_add(st, a, now, action_name(ACT_CREATE), r->uuid, NULL, NULL,
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


/* store_add and store_add_many: one transaction, one timestamp; how says
 * what else goes in it (the notes, a draft to delete). */
static int add_records(struct store *st, const struct actor *a, struct record **rs, size_t n,
		       const char *site, const struct store_save *how, size_t *failed,
		       char **cause)
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
	for (i = 0; ret == SR_OK && i < n; i++) {
		const char *note = how == NULL ? NULL : how->notes ? how->notes[i] : how->note;
		if ((ret = add_one(st, a, rs[i], site, note, now, cause)) != SR_OK)
			break;
		if (how && how->then && (ret = how->then(st, a, rs[i], how->then_arg, cause)) != SR_OK)
			break;
	}
	if (bulk && ret == SR_OK)
		ret = st_bulk_end(st, last_id, cause);
	if (ret == SR_OK && how && how->draft_form)	/* the form's draft, saved at last */
		ret = st_run_texts(st, Q_DRAFT_DELETE,
				   (const char *const[]){a->user->login, how->draft_form}, 2, cause);
	free(now);
	if (failed)
		*failed = i;	/* n when the commit itself fails */
	return st_tx_end(st, ret, cause);
}

int store_add(struct store *st, const struct actor *a, struct record *r,
	      const char *site, const struct store_save *how, char **cause)
{
	return add_records(st, a, &r, 1, site, how, NULL, cause);
}

int store_add_many(struct store *st, const struct actor *a, struct record **rs,
		   size_t n, const char *site, const struct store_save *how, size_t *failed,
		   char **cause)
{
	return add_records(st, a, rs, n, site, how, failed, cause);
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
		st_bind_text(s, 2, newj.s);
		st_bind_text(s, 3, a->user->login);
		st_bind_text(s, 4, now);
		st_bind_text(s, 5, old->uuid);
		sqlite3_bind_int(s, 6, old->version);
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
		 const struct store_save *how, char **cause)
{
	assert(st && a && a->user && r);
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	char *now = now_iso();
	struct record old;
	ret = st_find_record(st, a, r->uuid, &old, cause);
	if (ret == SR_OK)
		ret = update_locked(st, a, r, &old, how ? how->note : NULL, now, cause);
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
