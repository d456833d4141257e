/*
 * cmd_setup.c - the commands that set things up and describe them: init
 * (with demo data), check-config and forms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "demo.h"
#include "registry.h"
#include "strmap.h"
#include "table.h"


static int seen_add(const struct record *r, void *arg)
{
	strmap_put(arg, r->person_key, 0, NULL);
	return 0;
}

/* Saves the rows every batch holds. */
static int demo_save(struct reg_batch **batches, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		char *cause = NULL;
		int src = batches[k] ? reg_batch_save(batches[k], NULL, NULL, &cause) : SR_OK;
		if (src != SR_OK)
			return cli_store_error(src, cause);
	}
	return EXIT_DONE;
}

/* Adds n sample records, spread over the categories, through the registry
 * like any other (a batch per category, saved every 1,000 rows). The people
 * already registered are skipped, so a second demo adds to the first. */
static int demo_add(struct app *app, long n)
{
	const struct formset *fs = &app->cfg->forms;
	struct strmap seen = {0};
	struct list_query all = {.status = -1};
	uint64_t seed = 20221;
	store_list(app->st, &app->actor, &all, seen_add, &seen, NULL);
	struct reg_batch **batches = xcalloc(fs->n, sizeof *batches);
	int rc = EXIT_DONE;
	size_t fi = 0, pending = 0;
	for (long i = 0; i < n && rc == EXIT_DONE; i++) {
		size_t k;
		do
			k = fi++ % fs->n;
		while (fs->v[k]->abstract);
		const struct form *f = fs->v[k];
		struct kv vals = {0};
		do {
			kv_free(&vals);
			if (demo_record(app->cfg, f, &app->today, &seed, &vals) < 0) {
				cli_err(MSG_DEMO_FAILED, f->key);
				rc = EXIT_BROKEN;
			}
		} while (rc == EXIT_DONE && !strmap_put(&seen, kv_get(&vals, "id_number"), 0, NULL));
		char *cause = NULL;
		if (rc == EXIT_DONE && !batches[k] &&
		    reg_batch_begin(&app->reg, f, false, &batches[k], &cause) != SR_OK)
			rc = cli_store_error(SR_FAIL, cause);
		if (rc == EXIT_DONE) {
			struct reg_result res;
			reg_batch_row(batches[k], &vals, i + 1, NULL, &res);
			if (res.outcome != REG_ACCEPTED) {	/* demo.c made a record its form refuses */
				cli_print_issues(&res.is);
				cli_err(MSG_DEMO_FAILED, f->key);
				rc = EXIT_BROKEN;
			}
			reg_result_free(&res);
		}
		kv_free(&vals);
		if (rc == EXIT_DONE && ++pending == 1000) {
			rc = demo_save(batches, fs->n);
			pending = 0;
		}
	}
	if (rc == EXIT_DONE)
		rc = demo_save(batches, fs->n);
	for (size_t k = 0; k < fs->n; k++)
		reg_batch_free(batches[k]);
	free(batches);
	strmap_free(&seen);
	return rc;
}

static int collect(const struct record *r, void *arg)
{
	strv_add(arg, r->uuid);
	return 0;
}

/* The first supervisor of users.ini over all townships, else NULL. */
static const struct user *district_supervisor(const struct config *c)
{
	for (size_t i = 0; i < c->nusers; i++)
		if (c->users[i].role == ROLE_SUPERVISOR && c->users[i].townships.n == 0)
			return &c->users[i];
	return NULL;
}

/* Approves every other demo record, so that the demo shows both counts;
 * only for small demos, since each approval is its own transaction. The
 * district's supervisor approves (the admin who made the records may not
 * review them: auth.c), as an admin's --as would. */
static int demo_approve(struct app *app, long n)
{
	struct strv ids = {0};
	struct list_query q = {.status = ST_SUBMITTED};
	char *cause = NULL;
	const struct user *sup = district_supervisor(app->cfg);
	if (n > 10000 || sup == NULL)
		return EXIT_DONE;
	struct actor as = {sup, app->actor.real_login};
	int rc = store_list(app->st, &app->actor, &q, collect, &ids, &cause);
	for (size_t i = 0; rc == SR_OK && i < ids.n; i += 2)
		rc = store_transition(app->st, &as, ids.v[i], ACT_APPROVE, NULL, &cause);
	strv_free(&ids);
	return rc == SR_OK ? EXIT_DONE : cli_store_error(rc, cause);
}

int cmd_init(struct app *app, int argc, char **argv)
{
	const char *demo = NULL;
	struct opt opts[] = {{"--demo", &demo, NULL}};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	long n = 0;
	if (rc == EXIT_DONE && demo && (str_to_long(demo, &n) < 0 || n < 0 || n > 10000000)) {
		cli_err(MSG_BAD_OPTION_VALUE, "--demo", demo);
		rc = EXIT_USAGE;
	}
	if (rc != EXIT_DONE || (rc = app_open(app, true)) != EXIT_DONE)
		return rc;

	char *first = NULL, *cause = NULL;
	char *login = app_os_login();
	int src = store_meta_set_once(app->st, "first_admin", login, &first, &cause);
	char *site = NULL;
	if (src == SR_OK)
		src = store_meta_set_once(app->st, "site_id", app->cfg->site_id, &site, &cause);
	free(site);
	free(login);
	if (src != SR_OK) {
		free(first);
		return cli_store_error(src, cause);
	}
	if ((rc = app_identify(app)) != EXIT_DONE) {
		free(first);
		return rc;
	}
	enum msg_id why;
	if (auth_check(app->me, ACT_ADMIN, NULL, &why) < 0) {
		free(first);
		cli_err(MSG_DENIED, msg(why));
		return EXIT_DENIED;
	}
	src = store_audit(app->st, &app->actor, "init", NULL, &cause);
	if (src == SR_OK && n > 0 && (rc = demo_add(app, n)) == EXIT_DONE)
		rc = demo_approve(app, n);
	int noted = 0, tagged = 0;
	if (src == SR_OK && n > 0 && rc == EXIT_DONE)	/* the plan's ledger and tags */
		src = demo_plan(app->st, app->cfg, &app->actor, district_supervisor(app->cfg),
				&app->today, &noted, &tagged, &cause);
	int events = 0, attendees = 0;
	if (src == SR_OK && n > 0 && rc == EXIT_DONE)	/* classes and their attendees */
		src = demo_events(&app->reg, district_supervisor(app->cfg), &events, &attendees,
				  &cause);
	if (src != SR_OK)
		rc = cli_store_error(src, cause);
	if (rc == EXIT_DONE) {
		long records = 0, people = 0;
		struct count_query q = {.status = -1};
		store_count(app->st, &app->actor, &q, &records, &people, NULL);
		cli_out(MSG_INIT_DONE, app->db_path, store_schema_version(app->st), (int)records);
		cli_out(MSG_INIT_ADMIN, first);
		if (n > 0)
			cli_out(MSG_DEMO_ADDED, (int)n);
		if (noted || tagged)
			cli_out(MSG_DEMO_PLAN, noted, tagged);
		if (events)
			cli_out(MSG_DEMO_EVENTS, events, attendees);
	}
	free(first);
	return rc;
}

int cmd_check_config(struct app *app, int argc, char **argv)
{
	if (argc > 1)
		return cli_usage(MSG_EXTRA_ARGUMENT, argv[1]);
	struct diags d = {0};
	struct config *c = NULL;
	int rc = config_load(app->config_dir, &c, &d);
	cli_print_diags(&d);
	if (rc == 0) {
		size_t cats = 0;
		for (size_t i = 0; i < c->forms.n; i++)
			cats += !c->forms.v[i]->abstract;
		cli_out(MSG_CONFIG_OK, (int)cats, (int)c->nusers, (int)c->ntowns);
		cli_out(MSG_CONFIG_PLAN, (int)c->ntargets, (int)c->ntags, (int)c->nsplits,
			(int)c->ntasks, (int)c->nitems);
		size_t types = 0;
		for (size_t i = 0; i < c->events.n; i++)
			types += !c->events.v[i]->abstract;
		if (c->events_dir)
			cli_out(MSG_CONFIG_EVENTS, (int)types, c->events_dir);
		if (c->regions)
			cli_out(MSG_CONFIG_REGIONS, c->regions_file, (int)regions_count(c->regions));
		/* each peer's fingerprint, to compare with what it read out */
		for (size_t i = 0; i < c->nsites; i++) {
			const struct site_decl *sd = &c->sites[i];
			char fp[SEAL_FINGERPRINT_LEN + 1], *towns = NULL;
			struct buf t = {0};
			buf_add(&t, "", 0);
			for (size_t k = 0; k < sd->townships.n; k++)
				buf_printf(&t, "%s%s", k ? "、" : "", sd->townships.v[k]);
			towns = buf_take(&t);
			seal_fingerprint(&sd->key, fp);
			cli_out(sd->kind == SITE_DISTRICT ? MSG_CONFIG_PEER_DISTRICT : MSG_CONFIG_PEER_SITE,
				sd->id, sd->name, towns, fp);
			free(towns);
		}
	}
	diags_free(&d);
	config_free(c);
	return rc == 0 ? EXIT_DONE : EXIT_BROKEN;
}

static char *field_range(const struct field *f)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (size_t i = 0; i < f->options.n; i++)
		buf_printf(&b, "%s%s", i ? "|" : "", f->options.v[i]);
	if (f->has_min || f->has_max)
		buf_printf(&b, "%.15g..%.15g", f->has_min ? f->min : 0, f->has_max ? f->max : 0);
	if (f->min_date || f->max_date)
		buf_printf(&b, "%s..%s", f->min_date ? f->min_date : "", f->max_date ? f->max_date : "");
	if (f->max_chars)
		buf_printf(&b, "≤%d", f->max_chars);
	return buf_take(&b);
}

static int list_fields(const struct form *f, enum out_format fmt)
{
	static const char *const keys[] = {"key", "label", "type", "required", "range"};
	const char *heads[] = {msg(MSG_FORMS_FIELD_HEAD), msg(MSG_FORMS_LABEL_HEAD),
			       msg(MSG_FORMS_TYPE_HEAD), msg(MSG_FORMS_REQUIRED_HEAD),
			       msg(MSG_FORMS_OPTIONS_HEAD)};
	struct table t;
	table_init(&t, 5, keys, heads);
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		char *range = field_range(fd);
		const char *row[] = {fd->key, fd->label, ftype_name(fd->type),
				     fd->required ? msg(MSG_YES) : "", range};
		table_row(&t, row);
		free(range);
	}
	table_print(&t, fmt, stdout);
	table_free(&t);
	return EXIT_DONE;
}

int cmd_forms(struct app *app, int argc, char **argv)
{
	const char *fields = NULL, *format = NULL;
	enum out_format fmt;
	struct opt opts[] = {{"--fields", &fields, NULL}, {"--format", &format, NULL}};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE)
		rc = cli_table_format(format, &fmt);
	if (rc != EXIT_DONE)
		return rc;
	if (fields) {
		const struct form *f = cli_form(app, fields);
		return f ? list_fields(f, fmt) : EXIT_USAGE;
	}
	static const char *const keys[] = {"key", "title", "team", "fields"};
	const char *heads[] = {msg(MSG_COL_CATEGORY), msg(MSG_FORMS_LABEL_HEAD),
			       msg(MSG_COL_TEAM), msg(MSG_COL_FIELDS)};
	struct table t;
	table_init(&t, 4, keys, heads);
	table_numeric(&t, 3);
	for (size_t i = 0; i < app->cfg->forms.n; i++) {
		const struct form *f = app->cfg->forms.v[i];
		if (f->abstract)
			continue;
		const struct team *team = config_team(app->cfg, f->team);
		char n[16];
		snprintf(n, sizeof n, "%zu", f->nfields);
		const char *row[] = {f->key, f->title,
				     fmt == FMT_TABLE && team ? team->label : f->team, n};
		table_row(&t, row);
	}
	table_print(&t, fmt, stdout);
	table_free(&t);
	return EXIT_DONE;
}
