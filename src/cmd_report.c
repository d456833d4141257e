/*
 * cmd_report.c - the report: the plan's targets against what is registered,
 * by team (distinct people), category (records), the plan's specific targets
 * and township. Counts are within the acting user's scope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "table.h"

/* One line of the report. */
struct line {
	const char *section, *key, *label;
	int target;
	long approved, submitted, total;
};

struct report {
	struct line *v;
	size_t n;
};

static int count(struct app *app, struct count_query q, bool people, struct line *l)
{
	long *slots[] = {&l->approved, &l->submitted, &l->total};
	int statuses[] = {ST_APPROVED, ST_SUBMITTED, -1};
	for (int i = 0; i < 3; i++) {
		long records = 0, persons = 0;
		char *cause = NULL;
		q.status = statuses[i];
		int rc = store_count(app->st, &app->actor, &q, &records, &persons, &cause);
		if (rc != SR_OK)
			return app_store_error(rc, cause);
		*slots[i] = people ? persons : records;
	}
	return EXIT_DONE;
}

static struct line *add_line(struct report *r, const char *section, const char *key,
			     const char *label, int target)
{
	r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
	r->v[r->n] = (struct line){section, key, label, target, 0, 0, 0};
	return &r->v[r->n++];
}

static void team_categories(const struct config *c, const char *team, struct strv *cats)
{
	for (size_t i = 0; i < c->forms.n; i++)
		if (!c->forms.v[i]->abstract && str_eq(c->forms.v[i]->team, team))
			strv_add(cats, c->forms.v[i]->key);
}

static int build(struct app *app, struct report *r)
{
	const struct config *c = app->cfg;
	int rc = count(app, (struct count_query){0}, true,
		       add_line(r, "total", "total", msg(MSG_REPORT_TOTAL), c->total_target));
	for (size_t i = 0; rc == EXIT_DONE && i < c->nteams; i++) {
		struct strv cats = {0};
		team_categories(c, c->teams[i].key, &cats);
		struct line *l = add_line(r, "team", c->teams[i].key, c->teams[i].label,
					  c->teams[i].target);
		if (cats.n)
			rc = count(app, (struct count_query){.categories = &cats}, true, l);
		strv_free(&cats);
	}
	for (size_t i = 0; rc == EXIT_DONE && i < c->forms.n; i++) {
		const struct form *f = c->forms.v[i];
		if (f->abstract)
			continue;
		struct strv cats = {0};
		strv_add(&cats, f->key);
		rc = count(app, (struct count_query){.categories = &cats}, false,
			   add_line(r, "category", f->key, f->title, 0));
		strv_free(&cats);
	}
	for (size_t i = 0; rc == EXIT_DONE && i < c->ntargets; i++) {
		const struct target *t = &c->targets[i];
		struct strv cats = {0};
		strv_add(&cats, t->category);
		struct count_query q = {.categories = &cats, .where_field = t->where.field,
					.where_value = t->where.value};
		rc = count(app, q, true, add_line(r, "target", t->key, t->label, t->target));
		strv_free(&cats);
	}
	for (size_t i = 0; rc == EXIT_DONE && i < c->ntowns; i++) {
		if (!auth_in_scope(app->me, c->towns[i].name))
			continue;
		rc = count(app, (struct count_query){.township = c->towns[i].name}, true,
			   add_line(r, "township", c->towns[i].name, c->towns[i].name, 0));
	}
	return rc;
}

static char *progress(const struct line *l)
{
	if (l->target <= 0)
		return xstrdup("—");
	return xasprintf("%ld%%", l->approved * 100 / l->target);
}

static void print_json(const struct app *app, const struct report *r)
{
	struct buf b = {0};
	buf_puts(&b, "{\"site\":");
	json_str(&b, app->cfg->site_name);
	const char *sections[] = {"total", "team", "category", "target", "township"};
	const char *names[] = {"total", "teams", "categories", "targets", "townships"};
	for (size_t s = 0; s < ARRAY_LEN(sections); s++) {
		buf_printf(&b, ",\n\"%s\":[", names[s]);
		bool first = true;
		for (size_t i = 0; i < r->n; i++) {
			const struct line *l = &r->v[i];
			if (strcmp(l->section, sections[s]) != 0)
				continue;
			buf_puts(&b, first ? "\n{\"key\":" : ",\n{\"key\":");
			first = false;
			json_str(&b, l->key);
			buf_puts(&b, ",\"label\":");
			json_str(&b, l->label);
			buf_printf(&b, ",\"target\":%d,\"approved\":%ld,\"submitted\":%ld,\"total\":%ld}",
				   l->target, l->approved, l->submitted, l->total);
		}
		buf_puts(&b, "]");
	}
	buf_puts(&b, "}\n");
	fputs(b.s, stdout);
	buf_free(&b);
}

static void print_tables(const struct app *app, const struct report *r, enum out_format fmt)
{
	static const char *const keys[] = {"section", "key", "label", "target", "approved",
					   "submitted", "total", "progress"};
	const char *heads[] = {msg(MSG_COL_SECTION), msg(MSG_COL_KEY), msg(MSG_COL_LABEL),
			       msg(MSG_COL_TARGET), msg(MSG_COL_APPROVED), msg(MSG_COL_SUBMITTED),
			       msg(MSG_COL_ALL), msg(MSG_COL_PROGRESS)};
	const char *sections[] = {"total", "team", "category", "target", "township"};
	enum msg_id titles[] = {MSG_REPORT_TOTAL, MSG_REPORT_TEAMS, MSG_REPORT_CATEGORIES,
				MSG_REPORT_TARGETS, MSG_REPORT_TOWNSHIPS};
	struct table all;
	table_init(&all, ARRAY_LEN(keys), keys, heads);
	if (fmt == FMT_TABLE)
		app_out(MSG_REPORT_TITLE, app->cfg->site_name);
	for (size_t s = 0; s < ARRAY_LEN(sections); s++) {
		struct table t;
		/* the text table leaves out the section and key columns */
		table_init(&t, 6, keys + 2, heads + 2);
		for (size_t i = 0; i < r->n; i++) {
			const struct line *l = &r->v[i];
			if (strcmp(l->section, sections[s]) != 0)
				continue;
			char nums[4][24];
			snprintf(nums[0], sizeof nums[0], "%d", l->target);
			snprintf(nums[1], sizeof nums[1], "%ld", l->approved);
			snprintf(nums[2], sizeof nums[2], "%ld", l->submitted);
			snprintf(nums[3], sizeof nums[3], "%ld", l->total);
			char *p = progress(l);
			const char *row[] = {l->section, l->key, l->label,
					     l->target > 0 ? nums[0] : "", nums[1], nums[2], nums[3], p};
			table_row(&all, row);
			table_row(&t, row + 2);
			free(p);
		}
		if (fmt == FMT_TABLE) {
			printf("\n[%s]\n", msg(titles[s]));
			table_print(&t, FMT_TABLE, stdout);
		}
		table_free(&t);
	}
	if (fmt == FMT_CSV)
		table_print(&all, FMT_CSV, stdout);
	else
		printf("\n%s\n", msg(MSG_REPORT_NOTE));
	table_free(&all);
}

int cmd_report(struct app *app, int argc, char **argv)
{
	const char *format = NULL, **pos;
	int npos;
	enum out_format fmt;
	struct opt opts[] = {{"--format", &format, NULL}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	if (rc == EXIT_DONE && npos > 0)
		rc = app_usage(MSG_EXTRA_ARGUMENT, pos[0]);
	free(pos);
	if (rc == EXIT_DONE && out_format_parse(format, FMT_TABLE, &fmt) < 0) {
		app_err(MSG_BAD_OPTION_VALUE, "--format", format);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	struct report r = {0};
	if (rc == EXIT_DONE)
		rc = build(app, &r);
	if (rc == EXIT_DONE && fmt == FMT_JSON)
		print_json(app, &r);
	else if (rc == EXIT_DONE)
		print_tables(app, &r, fmt);
	free(r.v);
	return rc;
}
