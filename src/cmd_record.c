/*
 * cmd_record.c - the commands that check and save one record: validate,
 * add and edit. All three run the same validate_record() the screens use.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Validates vals for f and prints what blocks saving. Returns EXIT_DONE when
 * the record may be saved (warnings confirmed when confirm is set), else
 * EXIT_INVALID; *note gets the confirmed warnings for the audit. */
static int check(struct app *app, const struct form *f, struct kv *vals, bool confirm,
		 char **note)
{
	struct issues is = {0};
	validate_record(f, vals, app->cfg, &app->today, &is);
	cli_print_issues(&is);
	int rc = EXIT_DONE;
	if (is.errors) {
		cli_err(MSG_INVALID);
		rc = EXIT_INVALID;
	} else if (is.warnings && !confirm) {
		cli_err(MSG_NEEDS_CONFIRM);
		rc = EXIT_INVALID;
	} else if (note) {
		*note = issues_override_note(&is);
	}
	issues_free(&is);
	return rc;
}

/* Checks the fields marked unique (other than the person's ID, which the
 * store guards) against the category's other live records. */
static int check_unique(struct app *app, const struct form *f, const struct kv *vals,
			const char *self)
{
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		const char *v = kv_get(vals, fd->key);
		if (!fd->unique || fd->type == FT_ID_CARD || str_empty(v))
			continue;
		char *other = NULL, *cause = NULL;
		int rc = store_value_taken(app->st, f->key, fd->key, v, self, &other, &cause);
		if (rc != SR_OK)
			return cli_store_error(rc, cause);
		if (other) {
			char *m = msgf(MSG_UNIQUE_TAKEN, fd->key, fd->label, other);
			fprintf(stderr, "%s\n", m);
			free(m);
			free(other);
			cli_err(MSG_INVALID);
			return EXIT_INVALID;
		}
	}
	return EXIT_DONE;
}

int cmd_validate(struct app *app, int argc, char **argv)
{
	const char **pos;
	int npos;
	int rc = opts_parse(argc, argv, NULL, 0, &pos, &npos);
	const struct form *f = NULL;
	struct kv vals = {0};
	if (rc == EXIT_DONE && npos < 1)
		rc = cli_usage(MSG_MISSING_ARGUMENT, "CATEGORY");
	if (rc == EXIT_DONE && (f = cli_form(app, pos[0])) == NULL)
		rc = EXIT_USAGE;
	if (rc == EXIT_DONE)
		rc = cli_assignments(f, npos - 1, (char **)pos + 1, &vals);
	free(pos);
	if (rc == EXIT_DONE) {
		int y, m, d;
		today(&y, &m, &d);
		app->today = (struct date){y, m, d};
		rc = check(app, f, &vals, true, NULL);
	}
	if (rc == EXIT_DONE) {
		cli_out(MSG_VALID);
		for (size_t i = 0; i < vals.keys.n; i++)
			printf("%s=%s\n", vals.keys.v[i], vals.vals.v[i]);
	}
	kv_free(&vals);
	return rc;
}

static void note_other_categories(struct app *app, const struct record *r)
{
	struct strv cats = {0};
	if (store_person_categories(app->st, r->person_key, r->category, &cats, NULL) == SR_OK &&
	    cats.n) {
		struct buf b = {0};
		for (size_t i = 0; i < cats.n; i++) {
			const struct form *f = formset_find(&app->cfg->forms, cats.v[i]);
			buf_printf(&b, "%s%s", i ? "、" : "", f ? f->title : cats.v[i]);
		}
		cli_err(MSG_ALSO_IN, b.s);
		buf_free(&b);
	}
	strv_free(&cats);
}

int cmd_add(struct app *app, int argc, char **argv)
{
	const char **pos, *uuid = NULL;
	int npos;
	bool confirm = false;
	struct opt opts[] = {{"--confirm", NULL, &confirm}, {"--uuid", &uuid, NULL}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	const struct form *f = NULL;
	struct record r = {0};
	char *note = NULL;
	if (rc == EXIT_DONE && npos < 1)
		rc = cli_usage(MSG_MISSING_ARGUMENT, "CATEGORY");
	if (rc == EXIT_DONE && uuid) {
		/* taken in either case, and kept in lower case as the store keeps it */
		snprintf(r.uuid, sizeof r.uuid, "%s", uuid);
		for (char *p = r.uuid; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (strlen(uuid) >= sizeof r.uuid || !uuid_ok(r.uuid))
			rc = cli_usage(MSG_BAD_UUID, uuid);
	}
	if (rc == EXIT_DONE && (f = cli_form(app, pos[0])) == NULL)
		rc = EXIT_USAGE;
	if (rc == EXIT_DONE)
		rc = cli_assignments(f, npos - 1, (char **)pos + 1, &r.vals);
	free(pos);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE)
		rc = check(app, f, &r.vals, confirm, &note);
	if (rc == EXIT_DONE)
		rc = check_unique(app, f, &r.vals, uuid);
	if (rc == EXIT_DONE) {
		if (!uuid)
			uuid_v4(r.uuid);
		r.category = xstrdup(f->key);
		r.status = ST_SUBMITTED;
		record_sync(&r);
		char *cause = NULL;
		int src = store_add(app->st, &app->actor, &r, app->cfg->site_id, note, &cause);
		if (src != SR_OK) {
			rc = cli_store_error(src, cause);
		} else {
			printf("%s\n", r.uuid);
			if (note)
				cli_err(MSG_WARN_CONFIRMED);
			note_other_categories(app, &r);
		}
	}
	free(note);
	record_free(&r);
	return rc;
}

/* Applies key=value arguments to a stored record's values: an empty value
 * clears the field. */
static void apply(struct kv *vals, const struct kv *changes)
{
	for (size_t i = 0; i < changes->keys.n; i++) {
		if (*changes->vals.v[i])
			kv_set(vals, changes->keys.v[i], changes->vals.v[i]);
		else
			kv_del(vals, changes->keys.v[i]);
	}
}

static bool same_values(const struct kv *a, const struct kv *b)
{
	if (a->keys.n != b->keys.n)
		return false;
	for (size_t i = 0; i < a->keys.n; i++)
		if (!str_eq(kv_get(b, a->keys.v[i]), a->vals.v[i]))
			return false;
	return true;
}

int cmd_edit(struct app *app, int argc, char **argv)
{
	const char **pos;
	int npos;
	bool confirm = false;
	struct opt opts[] = {{"--confirm", NULL, &confirm}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	struct record *r = NULL;
	const struct form *f = NULL;
	struct kv changes = {0}, before = {0};
	char *note = NULL, *cause = NULL;
	if (rc == EXIT_DONE && npos < 1)
		rc = cli_usage(MSG_MISSING_ARGUMENT, "UUID");
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE) {
		int src = store_get(app->st, &app->actor, pos[0], &r, &cause);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
	}
	/* permission before comparison: who may not edit the record learns
	 * nothing from its values (an unchanged guess would say 没有改动) */
	enum msg_id why = MSG_DENIED_ROLE;
	if (rc == EXIT_DONE &&
	    auth_check(app->me, ACT_EDIT,
		       &(struct auth_subject){r->township, r->status, r->created_by, r->updated_by},
		       &why) < 0) {
		cli_err(MSG_DENIED, msg(why));
		rc = EXIT_DENIED;
	}
	if (rc == EXIT_DONE && (f = cli_form(app, r->category)) == NULL)
		rc = EXIT_BROKEN;
	if (rc == EXIT_DONE)
		rc = cli_assignments(f, npos - 1, (char **)pos + 1, &changes);
	free(pos);
	if (rc == EXIT_DONE) {
		for (size_t i = 0; i < r->vals.keys.n; i++)
			kv_set(&before, r->vals.keys.v[i], r->vals.vals.v[i]);
		/* a corrected ID number brings its own birth date and gender */
		if (kv_get(&changes, "id_number")) {
			if (!kv_get(&changes, "birth_date"))
				kv_del(&r->vals, "birth_date");
			if (!kv_get(&changes, "gender"))
				kv_del(&r->vals, "gender");
		}
		apply(&r->vals, &changes);
		rc = check(app, f, &r->vals, confirm, &note);
	}
	if (rc == EXIT_DONE)
		rc = check_unique(app, f, &r->vals, r->uuid);
	if (rc == EXIT_DONE && same_values(&before, &r->vals)) {
		cli_out(MSG_NO_CHANGE);
	} else if (rc == EXIT_DONE) {
		record_sync(r);
		int src = store_update(app->st, &app->actor, r, note, &cause);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
		else
			cli_out(MSG_EDIT_SAVED, r->uuid, r->version);
	}
	free(note);
	kv_free(&changes);
	kv_free(&before);
	if (r) {
		record_free(r);
		free(r);
	}
	return rc;
}
