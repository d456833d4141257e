/*
 * cmd_record.c - the commands that check and save one record: validate
 * (the form's rules alone, without the database), add and edit (through
 * the registry, as the screens save).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
		struct date now = {y, m, d};
		struct issues is = {0};
		validate_record(f, &vals, app->cfg, &now, &is);
		cli_print_issues(&is);
		if (is.errors) {
			cli_err(MSG_INVALID);
			rc = EXIT_INVALID;
		}
		issues_free(&is);
	}
	if (rc == EXIT_DONE) {
		cli_out(MSG_VALID);
		for (size_t i = 0; i < vals.keys.n; i++)
			printf("%s=%s\n", vals.keys.v[i], vals.vals.v[i]);
	}
	kv_free(&vals);
	return rc;
}

/* Says in which other categories the person of the record just added is
 * registered. */
static void note_other_categories(struct app *app, const char *category, const char *uuid)
{
	struct strv cats = {0};
	struct record *r = NULL;
	if (store_get(app->st, &app->actor, uuid, &r, NULL) == SR_OK &&
	    store_person_categories(app->st, r->person_key, category, &cats, NULL) == SR_OK &&
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
	if (r) {
		record_free(r);
		free(r);
	}
}

int cmd_add(struct app *app, int argc, char **argv)
{
	const char **pos, *uuid = NULL;
	int npos;
	bool confirm = false;
	struct opt opts[] = {{"--confirm", NULL, &confirm}, {"--uuid", &uuid, NULL}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	const struct form *f = NULL;
	struct kv vals = {0};
	if (rc == EXIT_DONE && npos < 1)
		rc = cli_usage(MSG_MISSING_ARGUMENT, "CATEGORY");
	char lower[37] = "";
	if (rc == EXIT_DONE && uuid) {
		/* taken in either case, and kept in lower case as the store keeps it */
		snprintf(lower, sizeof lower, "%s", uuid);
		for (char *p = lower; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		if (strlen(uuid) >= sizeof lower || !uuid_ok(lower))
			rc = cli_usage(MSG_BAD_UUID, uuid);
	}
	if (rc == EXIT_DONE && (f = cli_form(app, pos[0])) == NULL)
		rc = EXIT_USAGE;
	if (rc == EXIT_DONE)
		rc = cli_assignments(f, npos - 1, (char **)pos + 1, &vals);
	free(pos);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE) {
		struct reg_opts o = {.confirm = confirm, .uuid = uuid ? lower : NULL};
		struct reg_result res;
		reg_add(&app->reg, f, &vals, &o, &res);
		rc = cli_reg_result(&res);
		if (res.outcome == REG_SAVED) {
			printf("%s\n", res.uuid);
			if (res.confirmed)
				cli_err(MSG_WARN_CONFIRMED);
			note_other_categories(app, f->key, res.uuid);
		}
		reg_result_free(&res);
	}
	kv_free(&vals);
	return rc;
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
	struct kv changes = {0};
	char *cause = NULL;
	if (rc == EXIT_DONE && npos < 1)
		rc = cli_usage(MSG_MISSING_ARGUMENT, "UUID");
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE) {
		int src = store_get(app->st, &app->actor, pos[0], &r, &cause);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
	}
	if (rc == EXIT_DONE && (f = cli_form(app, r->category)) == NULL)
		rc = EXIT_BROKEN;
	if (rc == EXIT_DONE)
		rc = cli_assignments(f, npos - 1, (char **)pos + 1, &changes);
	free(pos);
	if (rc == EXIT_DONE) {
		struct reg_opts o = {.confirm = confirm};
		struct reg_result res;
		reg_edit(&app->reg, f, r, &changes, &o, &res);
		rc = cli_edit_result(&res);
		reg_result_free(&res);
	}
	kv_free(&changes);
	if (r) {
		record_free(r);
		free(r);
	}
	return rc;
}
