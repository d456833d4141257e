/*
 * registry.c - the one way a record is made and saved (registry.h): one
 * record (reg_add, reg_edit) or a batch of new ones (reg_batch_*), through
 * permission, validation, unique values, identity and the store.
 */
#include "registry.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "check.h"
#include "store_xfer.h"
#include "strmap.h"
#include "sync.h"

void reg_result_free(struct reg_result *res)
{
	issues_free(&res->is);
	free(res->cause);
	memset(res, 0, sizeof *res);
}

/* Sets res's outcome and cause (taken) and returns it. */
static enum reg_outcome fail(struct reg_result *res, enum reg_outcome o, int store_rc,
			     char *cause)
{
	res->outcome = o;
	res->store_rc = store_rc;
	free(res->cause);
	res->cause = cause;
	return o;
}

/* True when f's field fd takes values unique within the category: one
 * marked unique, or the ID number (one live registration per person). */
static bool unique_field(const struct field *fd)
{
	return fd->unique || fd->type == FT_ID_CARD;
}

/* The message for value v of field fd taken by record uuid: naming it only
 * when the user may see that record (a uuid out of scope says nothing
 * useful and tells where someone is registered). A record the user may not
 * see is named only when saving: a check that saves nothing (a field left
 * in the form, a dry run) would otherwise tell, for free and as often as
 * asked, whether an ID is registered anywhere, while at a save a guess
 * that is nobody costs a registration. NULL then: not taken, as far as
 * this user may be told. */
static char *taken_message(const struct registry *rg, const struct field *fd, const char *v,
			   const char *uuid, bool saving)
{
	struct record *other = NULL;
	bool visible = store_get(rg->st, rg->actor, uuid, &other, NULL) == SR_OK;
	if (other) {
		record_free(other);
		free(other);
	}
	if (!visible && !saving)
		return NULL;
	if (fd->type == FT_ID_CARD)
		return visible ? msgf(MSG_DUP_PERSON, v, uuid) : msgf(MSG_DUP_PERSON_ELSEWHERE, v);
	return visible ? msgf(MSG_IMPORT_VALUE_TAKEN, uuid) : xstrdup(msg(MSG_VALUE_TAKEN_ELSEWHERE));
}

char *reg_taken(const struct registry *rg, const struct form *f, const char *key,
		const char *value, const char *self, bool saving, char **cause)
{
	const struct field *fd = form_field(f, key);
	if (fd == NULL || !unique_field(fd) || str_empty(value))
		return NULL;
	char *uuid = NULL;
	if (store_value_taken(rg->st, f->key, fd->type == FT_ID_CARD ? NULL : key, value, self,
			      &uuid, cause) != SR_OK || uuid == NULL)
		return NULL;
	char *m = taken_message(rg, fd, value, uuid, saving);
	free(uuid);
	return m;
}

/* Adds an error for each unique value of vals that another record holds
 * (a field that already has an error is left alone). */
static int check_taken(const struct registry *rg, const struct form *f, const struct kv *vals,
		       const char *self, bool saving, struct issues *is, char **cause)
{
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		bool has_error = false;
		for (size_t k = 0; k < is->n; k++)
			has_error |= is->v[k].severity == SEV_ERROR && str_eq(is->v[k].field, fd->key);
		char *m = has_error ? NULL : reg_taken(rg, f, fd->key, kv_get(vals, fd->key), self,
						       saving, cause);
		if (m)
			issues_add(is, fd, NULL, SEV_ERROR, m);
	}
	return is->errors;
}

/* Validation, then the unique values and the person (see reg_taken for
 * saving). */
static int check_all(const struct registry *rg, const struct form *f, struct kv *vals,
		     const char *self, bool saving, struct issues *is, char **cause)
{
	validate_record(f, vals, rg->cfg, &rg->today, is);
	return check_taken(rg, f, vals, self, saving, is, cause);
}

int reg_check(const struct registry *rg, const struct form *f, struct kv *vals,
	      const char *self, struct issues *is, char **cause)
{
	return check_all(rg, f, vals, self, false, is, cause);
}

enum reg_outcome reg_judge(struct reg_result *res, const struct reg_opts *o, char **note)
{
	*note = NULL;
	if (res->is.errors)
		return res->outcome = REG_INVALID;
	if (res->is.warnings && !(o && o->confirm))
		return res->outcome = REG_UNCONFIRMED;
	*note = issues_override_note(&res->is);
	res->confirmed = *note != NULL;
	return res->outcome = REG_SAVED;
}

/* The store's refusal as an outcome: a person registered meanwhile is an
 * error on the ID (another session won the race), a refusal by the roles
 * is REG_DENIED, anything else REG_FAILED. */
static void store_failed(const struct form *f, int rc, char *cause, struct reg_result *res)
{
	const struct field *id = NULL;
	for (size_t i = 0; i < f->nfields && !id; i++)
		if (f->fields[i].type == FT_ID_CARD)
			id = &f->fields[i];
	if (rc == SR_DUP && id) {
		issues_add(&res->is, id, NULL, SEV_ERROR, cause);
		fail(res, REG_INVALID, rc, NULL);
	} else {
		fail(res, rc == SR_DENIED || rc == SR_NOTFOUND ? REG_DENIED : REG_FAILED, rc, cause);
	}
}

/* Returns 0 when the actor may create a record in township t, else -1 with
 * res failed as REG_DENIED. */
static int may_create(const struct registry *rg, const char *t, struct reg_result *res)
{
	struct auth_subject s = {t, ST_SUBMITTED, rg->actor->user->login, NULL, NULL};
	enum msg_id why = MSG_DENIED_ROLE;
	if (auth_check(rg->actor->user, ACT_CREATE, &s, &why) == 0)
		return 0;
	fail(res, REG_DENIED, SR_DENIED, msgf(MSG_DENIED, msg(why)));
	return -1;
}

/* A new record of f with the values vals (taken), submitted. */
static struct record *new_record(const struct form *f, struct kv *vals, const char *uuid)
{
	struct record *r = xcalloc(1, sizeof *r);
	if (uuid)
		snprintf(r->uuid, sizeof r->uuid, "%s", uuid);
	else
		uuid_v4(r->uuid);
	for (char *p = r->uuid; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	r->category = xstrdup(f->key);
	r->status = ST_SUBMITTED;
	r->vals = *vals;
	memset(vals, 0, sizeof *vals);
	record_sync(r);
	return r;
}

static void record_drop(struct record *r)
{
	record_free(r);
	free(r);
}

void reg_add(const struct registry *rg, const struct form *f, struct kv *vals,
	     const struct reg_opts *o, struct reg_result *res)
{
	memset(res, 0, sizeof *res);
	char *note = NULL, *cause = NULL;
	validate_record(f, vals, rg->cfg, &rg->today, &res->is);
	if (!res->is.errors && may_create(rg, kv_get(vals, "township"), res) < 0)
		return;
	/* a save retried with its uuid finds itself, not a duplicate */
	check_taken(rg, f, vals, o ? o->uuid : NULL, true, &res->is, &cause);
	if (cause) {
		fail(res, REG_FAILED, SR_FAIL, cause);
		return;
	}
	if (reg_judge(res, o, &note) != REG_SAVED)
		return;
	struct record *r = new_record(f, vals, o ? o->uuid : NULL);
	struct store_save how = {.note = note, .draft_form = o && o->drop_draft ? f->key : NULL,
				 .then = o ? o->then : NULL, .then_arg = o ? o->then_arg : NULL};
	int rc = store_add(rg->st, rg->actor, r, rg->site, &how, &cause);
	if (rc == SR_OK) {
		snprintf(res->uuid, sizeof res->uuid, "%s", r->uuid);
		res->version = 1;
	} else {
		store_failed(f, rc, cause, res);
	}
	free(note);
	record_drop(r);
}

/* Applies changes to vals: each key gets its value; an empty one clears
 * it. A new ID number brings its own birth date and gender. */
static void apply(struct kv *vals, const struct kv *changes)
{
	const char *id = kv_get(changes, "id_number");
	if (id && !str_eq(id, kv_get(vals, "id_number"))) {
		if (!kv_get(changes, "birth_date"))
			kv_del(vals, "birth_date");
		if (!kv_get(changes, "gender"))
			kv_del(vals, "gender");
	}
	for (size_t i = 0; i < changes->keys.n; i++) {
		if (*changes->vals.v[i])
			kv_set(vals, changes->keys.v[i], changes->vals.v[i]);
		else
			kv_del(vals, changes->keys.v[i]);
	}
}

void reg_edit(const struct registry *rg, const struct form *f, struct record *r,
	      const struct kv *changes, const struct reg_opts *o, struct reg_result *res)
{
	memset(res, 0, sizeof *res);
	/* permission before comparison: who may not edit the record learns
	 * nothing from its values (an unchanged guess would say so) */
	enum msg_id why = MSG_DENIED_ROLE;
	if (auth_check_record(rg->actor->user, ACT_EDIT, r, &why) < 0) {
		fail(res, REG_DENIED, SR_DENIED, msgf(MSG_DENIED, msg(why)));
		return;
	}
	struct kv before = {0};
	for (size_t i = 0; i < r->vals.keys.n; i++)
		kv_set(&before, r->vals.keys.v[i], r->vals.vals.v[i]);
	apply(&r->vals, changes);
	char *note = NULL, *cause = NULL;
	check_all(rg, f, &r->vals, r->uuid, true, &res->is, &cause);
	if (cause)
		fail(res, REG_FAILED, SR_FAIL, cause);
	else if (reg_judge(res, o, &note) == REG_SAVED && kv_equal(&before, &r->vals))
		res->outcome = REG_UNCHANGED;
	else if (res->outcome == REG_SAVED) {
		record_sync(r);
		struct store_save how = {.note = note};
		int rc = store_update(rg->st, rg->actor, r, &how, &cause);
		if (rc == SR_OK) {
			snprintf(res->uuid, sizeof res->uuid, "%s", r->uuid);
			res->version = r->version;
		} else {
			store_failed(f, rc, cause, res);
		}
	}
	free(note);
	kv_free(&before);
}

/* ---- batches ---- */

struct reg_batch {
	const struct registry *rg;
	const struct form *f;
	struct strmap *taken;	/* per field of f: the values held, by a row or the database */
	struct record **recs;	/* the rows accepted */
	long *rows;
	char **notes;		/* their confirmed warnings, NULL none */
	size_t n, cap;
	bool checking;		/* a dry run: nothing will be saved */
};

static void put_db(const char *value, const char *uuid, void *arg)
{
	strmap_put(arg, value, 0, uuid);
}

int reg_batch_begin(const struct registry *rg, const struct form *f, bool checking,
		    struct reg_batch **out, char **cause)
{
	struct reg_batch *b = xcalloc(1, sizeof *b);
	b->rg = rg;
	b->f = f;
	b->checking = checking;
	b->taken = xcalloc(f->nfields, sizeof *b->taken);
	int rc = SR_OK;
	for (size_t i = 0; rc == SR_OK && i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		if (unique_field(fd))
			rc = store_field_values(rg->st, f->key,
						fd->type == FT_ID_CARD ? NULL : fd->key, put_db,
						&b->taken[i], cause);
	}
	if (rc != SR_OK) {
		reg_batch_free(b);
		b = NULL;
	}
	*out = b;
	return rc;
}

/* Adds an error for each unique value of vals held by the database or an
 * earlier row of the batch. */
static void batch_taken(struct reg_batch *b, const struct kv *vals, struct issues *is)
{
	for (size_t i = 0; i < b->f->nfields; i++) {
		const struct field *fd = &b->f->fields[i];
		const char *v = unique_field(fd) ? kv_get(vals, fd->key) : NULL;
		const struct strmap_entry *e = v ? strmap_get(&b->taken[i], v) : NULL;
		if (e == NULL)
			continue;
		char *m = e->row == 0 ? taken_message(b->rg, fd, v, e->uuid, !b->checking)
			: fd->type == FT_ID_CARD ? msgf(MSG_IMPORT_DUP_IN_FILE, v, (int)e->row)
						 : msgf(MSG_IMPORT_VALUE_IN_FILE, (int)e->row);
		if (m)
			issues_add(is, fd, NULL, SEV_ERROR, m);
	}
}

void reg_batch_row(struct reg_batch *b, struct kv *vals, long row, const struct reg_opts *o,
		   struct reg_result *res)
{
	memset(res, 0, sizeof *res);
	char *note = NULL;
	validate_record(b->f, vals, b->rg->cfg, &b->rg->today, &res->is);
	if (reg_judge(res, o, &note) != REG_SAVED)
		return;
	if (may_create(b->rg, kv_get(vals, "township"), res) < 0) {
		free(note);
		return;
	}
	batch_taken(b, vals, &res->is);
	if (res->is.errors) {
		res->outcome = REG_INVALID;
		free(note);
		return;
	}
	for (size_t i = 0; i < b->f->nfields; i++) {
		const char *v = unique_field(&b->f->fields[i]) ? kv_get(vals, b->f->fields[i].key) : NULL;
		if (v)
			strmap_put(&b->taken[i], v, row, NULL);
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->recs = xrealloc(b->recs, b->cap * sizeof *b->recs);
		b->rows = xrealloc(b->rows, b->cap * sizeof *b->rows);
		b->notes = xrealloc(b->notes, b->cap * sizeof *b->notes);
	}
	b->recs[b->n] = new_record(b->f, vals, NULL);
	snprintf(res->uuid, sizeof res->uuid, "%s", b->recs[b->n]->uuid);
	b->rows[b->n] = row;
	b->notes[b->n++] = note;
	res->outcome = REG_ACCEPTED;
}

size_t reg_batch_count(const struct reg_batch *b)
{
	return b->n;
}

/* Leaves accepted row i out (a late refusal by the store). */
static void batch_drop(struct reg_batch *b, size_t i)
{
	record_drop(b->recs[i]);
	free(b->notes[i]);
	size_t rest = b->n - i - 1;
	memmove(&b->recs[i], &b->recs[i + 1], rest * sizeof *b->recs);
	memmove(&b->rows[i], &b->rows[i + 1], rest * sizeof *b->rows);
	memmove(&b->notes[i], &b->notes[i + 1], rest * sizeof *b->notes);
	b->n--;
}

int reg_batch_save(struct reg_batch *b,
		   void (*refused)(long row, int store_rc, const char *cause, void *arg), void *arg,
		   char **cause)
{
	/* about 1 KB of index pages a row, at most 256 MB */
	int cache_mb = b->n > 256 * 1024 ? 256 : (int)(b->n / 1024) + 8;
	if (b->n >= 1000)
		store_bulk_mode(b->rg->st, cache_mb, NULL);	/* when it fails, only slower */
	while (b->n > 0) {
		size_t failed = 0;
		char *why = NULL;
		struct store_save how = {.notes = (const char *const *)b->notes};
		int rc = store_add_many(b->rg->st, b->rg->actor, b->recs, b->n, b->rg->site, &how,
					&failed, &why);
		if (rc == SR_OK) {	/* saved: the batch goes on empty */
			while (b->n > 0)
				batch_drop(b, b->n - 1);
			return SR_OK;
		}
		if ((rc == SR_DUP || rc == SR_DENIED) && failed < b->n) {
			if (refused)
				refused(b->rows[failed], rc, why, arg);
			free(why);
			batch_drop(b, failed);
			continue;
		}
		if (cause)
			*cause = why;
		else
			free(why);
		return rc;
	}
	return SR_OK;
}

void reg_batch_free(struct reg_batch *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->f->nfields; i++)
		strmap_free(&b->taken[i]);
	free(b->taken);
	for (size_t i = 0; i < b->n; i++) {
		record_drop(b->recs[i]);
		free(b->notes[i]);
	}
	free(b->recs);
	free(b->rows);
	free(b->notes);
	free(b);
}

/* ---- rows of a peer's bundle ---- */

/* True when s can be a login as a peer recorded it: 1 to 64 of
 * [A-Za-z0-9_.-], not starting with '-' (what a system login may be). */
static bool plain_login(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 64 || s[0] == '-')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
			return false;
	return true;
}

/* Returns a login of peer's row as this database names it (new string), or
 * NULL when the row may not name it so. A plain login is the peer's own and
 * is marked as such ("officer_ny@site_a"); only a district's rows may also
 * carry logins it marked, ours ("officer_ny@site_a" coming back to site_a
 * is "officer_ny") or another peer's. */
static char *peer_login(const struct registry *rg, const struct site_decl *peer,
			const char *login)
{
	if (plain_login(login))
		return xasprintf("%s@%s", login, peer->id);
	const char *at = login ? strchr(login, '@') : NULL;
	if (peer->kind != SITE_DISTRICT || at == NULL)
		return NULL;
	char *who = xstrndup(login, (size_t)(at - login));
	char *out = NULL;
	if (plain_login(who) && site_id_ok(at + 1))
		out = str_eq(at + 1, rg->cfg->site_id) ? xstrdup(who) : xstrdup(login);
	free(who);
	return out;
}

/* True when s is a stored time (now_iso's form) not after now. */
static bool time_ok(const char *s, const char *now)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	if (s == NULL || strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
	int h = atoi(s + 11), mi = atoi(s + 14), sec = atoi(s + 17);
	/* a real day and time: the store keeps it as milliseconds (ST_MS) */
	return date_valid(y, mo, d) && y >= 1970 && h < 24 && mi < 60 && sec < 60 &&
	       strcmp(s, now) <= 0;
}

/* Refuses the row: v gets the reason (msg_id's text with one string). */
static void row_refused(struct sync_verdict *v, char *reason)
{
	record_free(&v->rec);
	v->kind = SV_REFUSED;
	v->reason = reason;
}

/* Builds the record the row stands for, as this database stores it, into
 * v->rec: the values, and the columns they give; who and when, in our
 * names; a site's row never brings a review comment. */
static void row_record(const struct registry *rg, const struct site_decl *peer,
		       const struct sync_row *in, const struct record *local,
		       struct sync_verdict *v)
{
	struct record *r = &v->rec;
	char *now = now_iso();
	snprintf(r->uuid, sizeof r->uuid, "%s", in->r.uuid);
	r->category = xstrdup(in->r.category);
	r->status = in->r.status;
	for (size_t i = 0; i < in->r.vals.keys.n; i++)
		kv_set(&r->vals, in->r.vals.keys.v[i], in->r.vals.vals.v[i]);
	record_sync(r);
	r->comment = xstrdup(peer->kind == SITE_DISTRICT ? in->r.comment
				     : local ? local->comment : NULL);
	r->updated_by = peer_login(rg, peer, in->r.updated_by);
	r->updated_at = xstrdup(time_ok(in->r.updated_at, now) ? in->r.updated_at : now);
	if (local) {
		r->created_by = xstrdup(local->created_by);
		r->created_at = xstrdup(local->created_at);
	} else {
		r->created_by = peer_login(rg, peer, in->r.created_by);
		r->created_at = xstrdup(time_ok(in->r.created_at, now) ? in->r.created_at : now);
	}
	r->site = xstrdup(in->r.site);
	free(now);
}

/* The largest row taken from a peer (its vals as JSON and its other
 * columns together): every form's values and a comment stay far below it.
 * A larger row is held, cut, whatever else it is (a duplicate too). */
#define ROW_MAX_BYTES (64 * 1024)

/* The bytes of the row's text: its values as JSON and its columns. */
static size_t row_bytes(const struct sync_row *in)
{
	const struct record *r = &in->r;
	const char *c[] = {in->vals_json, r->category, r->person_key, r->name, r->township,
			   r->village, r->phone, r->created_by, r->created_at, r->updated_by,
			   r->updated_at, r->site, r->comment};
	size_t n = strlen(r->uuid);
	for (size_t i = 0; i < ARRAY_LEN(c); i++)
		n += c[i] ? strlen(c[i]) : 0;
	return n;
}

/* The workflow actions that take our copy local (NULL: none yet) to what
 * the row says: its status to, and changed values when changed. Fills
 * acts (at most 3) and returns how many, or -1 when no step of the
 * workflow leads there (back to a draft, out of a withdrawal). */
static int row_actions(const struct record *local, enum status to, bool changed,
		       enum action acts[3])
{
	int n = 0;
	enum status from = local ? local->status : ST_DRAFT;
	if (local == NULL)
		acts[n++] = ACT_CREATE;	/* as a draft or submitted (auth.c) */
	else if (changed)
		acts[n++] = ACT_EDIT;
	if ((local && to == from) || (!local && (to == ST_DRAFT || to == ST_SUBMITTED)))
		return n;
	switch (to) {
	case ST_SUBMITTED:
		if (from == ST_APPROVED)
			acts[n++] = ACT_UNLOCK;
		else if (from == ST_DRAFT || from == ST_RETURNED)
			acts[n++] = ACT_SUBMIT;
		else
			return -1;
		break;
	case ST_WITHDRAWN:
		acts[n++] = ACT_WITHDRAW;
		break;
	case ST_APPROVED:
		acts[n++] = ACT_APPROVE;
		break;
	case ST_RETURNED:
		acts[n++] = ACT_RETURN;
		break;
	default:
		return -1;
	}
	return n;
}

/* Returns NULL when the site peer may do with its row what the row says,
 * else why not (new string): the site acts as a user of role ROLE_SITE in
 * the townships sites.ini gives it, through auth.c like every user. */
static char *site_may(const struct site_decl *peer, const struct sync_row *in,
		      const struct record *local, const struct record *rec, bool changed)
{
	if (local == NULL && !str_eq(in->r.site, peer->id))
		return msgf(MSG_SYNC_ROW_OTHER_SITE, in->r.site);
	/* where a record was made never changes */
	if (local && !str_eq(in->r.site, local->site))
		return msgf(MSG_SYNC_ROW_SITE_CHANGED, local->site ? local->site : "",
			    in->r.site ? in->r.site : "");
	enum action acts[3];
	int n = row_actions(local, in->r.status, changed, acts);
	if (n < 0)
		return msgf(MSG_SYNC_ROW_STEP, status_label(local ? local->status : ST_DRAFT),
			    status_label(in->r.status));
	struct user u = {.login = peer->id, .role = ROLE_SITE, .townships = peer->townships};
	/* each step as the record stands before it: ours as it is, or a new
	 * one as it is made (a draft, else submitted: then withdrawn, say) */
	enum status made = in->r.status == ST_DRAFT ? ST_DRAFT : ST_SUBMITTED;
	for (int i = 0; i < n; i++) {
		struct auth_subject s = {
			local ? local->township : rec->township,
			local ? local->status : made,
			local ? local->created_by : rec->created_by,
			local ? local->updated_by : NULL,
			local ? local->site : in->r.site,
		};
		enum msg_id why = MSG_DENIED_ROLE;
		if (auth_check(&u, acts[i], &s, &why) < 0)
			return msgf(MSG_SYNC_ROW_DENIED, action_name(acts[i]), msg(why));
	}
	/* an edit may not move the record out of the site's townships */
	if (!auth_in_scope(&u, rec->township))
		return msgf(MSG_SYNC_ROW_DENIED, action_name(ACT_EDIT), msg(MSG_DENIED_SCOPE));
	return NULL;
}

/* Every issue of is on one line (new string), as the command line prints
 * them, joined by "；". */
static char *issues_line(const struct issues *is, enum severity sev)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (size_t i = 0; i < is->n; i++)
		if (is->v[i].severity == sev) {
			char *line = issue_format(&is->v[i]);
			buf_printf(&b, "%s%s", b.len ? "；" : "", line);
			free(line);
		}
	return buf_take(&b);
}

/* Checks the row's values as a typed record's are checked (the form of its
 * category, only that form's fields, the sizes, every field and rule, the
 * values that must be unique) into v->rec.vals; returns false with v
 * refused or a duplicate. */
static bool row_values(const struct registry *rg, const struct sync_row *in,
		       const struct record *local, struct sync_verdict *v)
{
	const struct form *f = formset_find(&rg->cfg->forms, in->r.category);
	if (f == NULL || f->abstract) {
		row_refused(v, msgf(MSG_SYNC_ROW_CATEGORY, in->r.category));
		return false;
	}
	if (local && !str_eq(local->category, in->r.category)) {
		row_refused(v, msgf(MSG_SYNC_ROW_CATEGORY_CHANGED, local->category, in->r.category));
		return false;
	}
	size_t bytes = row_bytes(in);
	if (bytes > ROW_MAX_BYTES) {
		row_refused(v, msgf(MSG_SYNC_ROW_TOO_LARGE, (long)bytes, (long)ROW_MAX_BYTES));
		return false;
	}
	for (size_t i = 0; i < in->r.vals.keys.n; i++)
		if (form_field(f, in->r.vals.keys.v[i]) == NULL) {
			row_refused(v, msgf(MSG_UNKNOWN_FIELD, f->key, in->r.vals.keys.v[i]));
			return false;
		}
	struct issues is = {0};
	char *cause = NULL;
	kv_free(&v->rec.vals);
	for (size_t i = 0; i < in->r.vals.keys.n; i++)
		kv_set(&v->rec.vals, in->r.vals.keys.v[i], in->r.vals.vals.v[i]);
	validate_record(f, &v->rec.vals, rg->cfg, &rg->today, &is);
	bool live = in->r.status != ST_WITHDRAWN;
	char *other = NULL;
	/* the person: a live registration of them in the category already */
	if (!is.errors && live)
		store_value_taken(rg->st, f->key, NULL, kv_get(&v->rec.vals, "id_number"), in->r.uuid,
				  &other, &cause);
	if (other) {
		record_free(&v->rec);
		v->kind = SV_DUPLICATE;
		v->other = other;
		issues_free(&is);
		return false;
	}
	if (!is.errors && live && !cause)
		check_taken(rg, f, &v->rec.vals, in->r.uuid, true, &is, &cause);
	if (cause || is.errors) {
		row_refused(v, cause ? cause : issues_line(&is, SEV_ERROR));
		if (cause && is.errors)
			free(cause);
		issues_free(&is);
		return false;
	}
	if (is.warnings) {	/* confirmed where the record was typed */
		char *w = issues_line(&is, SEV_WARN);
		v->note = msgf(MSG_SYNC_ROW_WARNINGS, w);
		free(w);
	}
	issues_free(&is);
	record_sync(&v->rec);
	return true;
}

static void sync_check(void *arg, const struct site_decl *peer, const struct sync_row *in,
		       const struct record *local, struct sync_verdict *v)
{
	const struct registry *rg = arg;
	row_record(rg, peer, in, local, v);
	if (v->rec.created_by == NULL || v->rec.updated_by == NULL) {
		row_refused(v, msgf(MSG_SYNC_ROW_LOGIN, in->r.created_by, in->r.updated_by));
		return;
	}
	if (!row_values(rg, in, local, v))
		return;
	/* a site's rows do what that site may; the district decides */
	bool changed = local == NULL || !kv_equal(&local->vals, &v->rec.vals);
	char *why = peer->kind == SITE_SITE ? site_may(peer, in, local, &v->rec, changed) : NULL;
	if (why)
		row_refused(v, why);
}

void reg_sync_rules(const struct registry *rg, struct sync_rules *out)
{
	out->check = sync_check;
	out->arg = (void *)rg;
}
