/*
 * events.c - events made and saved, and people added to them (events.h):
 * an event is validated against its type as a record against its form;
 * an attendee not registered yet is registered through the registry, with
 * the attendance in the same transaction (store_save.then).
 */
#include "events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static void stored(int rc, char *cause, struct reg_result *res)
{
	res->store_rc = rc;
	res->cause = cause;
	res->outcome = rc == SR_OK ? REG_SAVED
		       : rc == SR_DENIED || rc == SR_NOTFOUND ? REG_DENIED : REG_FAILED;
}

void ev_add(const struct registry *rg, const struct form *type, struct kv *vals,
	    const struct reg_opts *o, struct reg_result *res)
{
	memset(res, 0, sizeof *res);
	validate_record(type, vals, rg->cfg, &rg->today, &res->is);
	char *note = NULL;
	if (reg_judge(res, o, &note) != REG_SAVED)
		return;
	struct event e = {0};
	if (o && o->uuid)
		snprintf(e.uuid, sizeof e.uuid, "%s", o->uuid);
	e.type = xstrdup(type->key);
	e.vals = *vals;
	memset(vals, 0, sizeof *vals);
	event_sync(&e);
	char *cause = NULL;
	int rc = store_event_add(rg->st, rg->actor, &e, rg->site, note, &cause);
	stored(rc, cause, res);
	if (rc == SR_OK) {
		snprintf(res->uuid, sizeof res->uuid, "%s", e.uuid);
		res->version = 1;
	}
	free(note);
	event_free(&e);
}

void ev_edit(const struct registry *rg, const struct form *type, struct event *e,
	     const struct kv *changes, const struct reg_opts *o, struct reg_result *res)
{
	memset(res, 0, sizeof *res);
	struct kv before = {0};
	for (size_t i = 0; i < e->vals.keys.n; i++)
		kv_set(&before, e->vals.keys.v[i], e->vals.vals.v[i]);
	for (size_t i = 0; i < changes->keys.n; i++) {
		if (*changes->vals.v[i])
			kv_set(&e->vals, changes->keys.v[i], changes->vals.v[i]);
		else
			kv_del(&e->vals, changes->keys.v[i]);
	}
	validate_record(type, &e->vals, rg->cfg, &rg->today, &res->is);
	char *note = NULL;
	if (reg_judge(res, o, &note) == REG_SAVED) {
		bool same = before.keys.n == e->vals.keys.n;
		for (size_t i = 0; same && i < before.keys.n; i++)
			same = str_eq(kv_get(&e->vals, before.keys.v[i]), before.vals.v[i]);
		if (same) {
			res->outcome = REG_UNCHANGED;
		} else {
			event_sync(e);
			char *cause = NULL;
			int rc = store_event_update(rg->st, rg->actor, e, note, &cause);
			stored(rc, cause, res);
			snprintf(res->uuid, sizeof res->uuid, "%s", e->uuid);
			res->version = e->version;
		}
	}
	free(note);
	kv_free(&before);
}

const struct form *ev_category(const struct config *c, const struct form *type)
{
	return type && type->category ? formset_find(&c->forms, type->category) : NULL;
}

void ev_attendee_values(const struct form *type, const struct event *e, const char *id,
			struct kv *vals)
{
	kv_set(vals, "id_number", id);
	struct id_info info;	/* what the ID says, as the form fills it */
	if (id_card_info(id, &info) == 0) {
		char *birth = xasprintf("%04d-%02d-%02d", info.birth.y, info.birth.m, info.birth.d);
		kv_set(vals, "birth_date", birth);
		kv_set(vals, "gender", info.male ? "男" : "女");
		free(birth);
	}
	for (size_t i = 0; i < type->carry_from.n; i++) {
		const char *v = kv_get(&e->vals, type->carry_from.v[i]);
		if (!str_empty(v))
			kv_set(vals, type->carry_to.v[i], v);
	}
	for (size_t i = 0; i < type->preset_keys.n; i++)
		kv_set(vals, type->preset_keys.v[i], type->preset_vals.v[i]);
}

void attend_result_free(struct attend_result *r)
{
	reg_result_free(&r->res);
	free(r->person_key);
	free(r->name);
	memset(r, 0, sizeof *r);
}

/* The ID typed, checked as the category's (or person.ini's) field checks
 * it: *key the normalised number, or an issue on the field. */
static bool check_id(const struct registry *rg, const struct form *f, const char *typed,
		     struct attend_result *out)
{
	const struct field *fd = f ? form_field(f, "id_number") : NULL;
	char *norm = NULL, *err = NULL;
	int rc;
	if (fd)
		rc = validate_field(fd, typed, NULL, rg->cfg, &rg->today, &norm, &err);
	else {
		enum msg_id why = MSG_V_REQUIRED;
		rc = str_empty(typed) ? -1 : check_id_card(typed, &rg->today, &norm, &why);
		if (rc < 0)
			err = xstrdup(msg(why));
	}
	if (rc == 0 && str_empty(norm)) {
		free(norm);
		norm = NULL;
		err = xstrdup(msg(MSG_V_REQUIRED));
		rc = -1;
	}
	if (rc < 0) {
		static struct field id_field = {.key = "id_number"};
		id_field.label = (char *)msg(MSG_EVENT_ID_LABEL);
		issues_add(&out->res.is, fd ? fd : &id_field, NULL, SEV_ERROR, err);
		out->outcome = AT_BAD_ID;
		return false;
	}
	out->person_key = norm;
	return true;
}

/* The row refused: by the store's rc and its cause (taken), and nothing
 * more told (no name). */
static void refuse(struct attend_result *out, int rc, char *cause)
{
	free(out->name);
	out->name = NULL;
	out->outcome = AT_DENIED;
	out->res.store_rc = rc;
	out->res.cause = cause;
}

/* An ID that found nobody, and registered nobody, told the user that much:
 * a lookup, as a hit in another township is, or misses would be free
 * guesses at a masked ID's hidden digits (a dry run of a sheet of guesses
 * would show the one that is someone). The screen's newcomer form (own
 * NULL, AT_NEW) is one too, recorded before it opens (a line dropped with
 * the form open must not make it free); registering the person takes it
 * out of the day's count. Past an officer's limit the row is refused
 * saying only that. */
static void note_miss(const struct registry *rg, struct attend_result *out)
{
	if (out->outcome != AT_NEW && out->outcome != AT_NOBODY)
		return;
	char *cause = NULL;
	int rc = store_note_lookup(rg->st, rg->actor, out->person_key, rg->cfg->lookups_per_day,
				   &cause);
	if (rc == SR_OK)
		return;
	char *key = out->person_key;	/* the issues found go too */
	out->person_key = NULL;
	attend_result_free(out);
	out->person_key = key;
	refuse(out, rc, cause);
}

void ev_attend(const struct registry *rg, const struct event *e, const char *typed_id,
	       const struct kv *own, const char *source, bool confirm, bool check,
	       struct attend_result *out)
{
	memset(out, 0, sizeof *out);
	const struct form *type = config_event_type(rg->cfg, e->type);
	const struct form *cat = ev_category(rg->cfg, type);
	char *uuid = NULL, *town = NULL, *cause = NULL;
	int rc = store_event_may(rg->actor, ACT_CREATE, e, &cause);
	if (rc != SR_OK) {	/* before anyone's fields are asked for */
		refuse(out, rc, cause);
		return;
	}
	if (!check_id(rg, cat, typed_id, out))
		return;
	rc = store_person_record(rg->st, out->person_key, type ? type->category : NULL, &uuid,
				     &out->name, &town, NULL, &cause);
	if (rc != SR_OK) {
		out->outcome = AT_FAILED;
		out->res.store_rc = rc;
		out->res.cause = cause;
		return;
	}
	if (uuid) {	/* registered: linked, in whichever category */
		out->elsewhere = !auth_in_scope(rg->actor->user, town);
		snprintf(out->res.uuid, sizeof out->res.uuid, "%s", uuid);
		free(uuid);
		free(town);
		/* someone outside the user's townships, found by the whole ID, is
		 * a lookup as a search by it is: audited, an officer's limited a
		 * day; else typing IDs at a class would name anyone, unseen */
		if (out->elsewhere &&
		    (rc = store_note_lookup(rg->st, rg->actor, out->person_key,
					    rg->cfg->lookups_per_day, &cause)) != SR_OK) {
			refuse(out, rc, cause);
			return;
		}
		if (check) {
			out->outcome = AT_LINKED;
			return;
		}
		rc = store_event_attend(rg->st, rg->actor, e->uuid, out->person_key,
					type ? type->category : NULL, source, &cause);
		out->outcome = rc == SR_OK ? AT_LINKED : rc == SR_NOCHANGE ? AT_ALREADY
			       : rc == SR_DENIED || rc == SR_NOTFOUND ? AT_DENIED : AT_FAILED;
		out->res.store_rc = rc;
		out->res.cause = cause;
		return;
	}
	if (cat == NULL) {
		out->outcome = AT_NOBODY;
		note_miss(rg, out);
		return;
	}
	/* not registered: a new record of the category, the event's details
	 * carried in, the person's own fields beside them */
	struct kv vals = {0};
	ev_attendee_values(type, e, out->person_key, &vals);
	/* their own fields: not over what the event carries or fixes, nor
	 * what the ID says (a sheet's 培训课程 or 人才类型 column is the
	 * event's, not the row's to change) */
	for (size_t i = 0; own && i < own->keys.n; i++)
		if (str_empty(kv_get(&vals, own->keys.v[i])))
			kv_set(&vals, own->keys.v[i], own->vals.v[i]);
	out->name = xstrdup(kv_get(&vals, "name"));
	if (check) {
		char *why = NULL;
		reg_check(rg, cat, &vals, NULL, &out->res.is, &why);
		free(why);
		out->outcome = AT_NEW;
		kv_free(&vals);
		note_miss(rg, out);
		return;
	}
	struct attend_hook hook = {e->uuid, "spot"};
	(void)source;
	struct reg_opts o = {.confirm = confirm, .then = st_event_attend_hook, .then_arg = &hook};
	reg_add(rg, cat, &vals, &o, &out->res);
	kv_free(&vals);
	switch (out->res.outcome) {
	case REG_SAVED: out->outcome = AT_REGISTERED; break;
	case REG_INVALID:
	case REG_UNCONFIRMED: out->outcome = AT_NEW; break;
	case REG_DENIED: out->outcome = AT_DENIED; break;
	default:
		out->outcome = out->res.store_rc == SR_NOCHANGE ? AT_ALREADY : AT_FAILED;
	}
	note_miss(rg, out);
}
