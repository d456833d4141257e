/*
 * cmd_report.c - the report: the plan's targets against what is registered,
 * by team (distinct people), category (records), the plan's specific targets
 * and township. Counts are within the acting user's scope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "table.h"

static char *progress(const struct report_line *l)
{
	int p = report_percent(l);
	return p < 0 ? xstrdup("—") : xasprintf("%d%%", p);
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
			const struct report_line *l = &r->v[i];
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
		cli_out(MSG_REPORT_TITLE, app->cfg->site_name);
	for (size_t s = 0; s < ARRAY_LEN(sections); s++) {
		struct table t;
		/* the text table leaves out the section and key columns */
		table_init(&t, 6, keys + 2, heads + 2);
		for (size_t i = 0; i < r->n; i++) {
			const struct report_line *l = &r->v[i];
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
	const char *format = NULL;
	enum out_format fmt;
	struct opt opts[] = {{"--format", &format, NULL}};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE)
		rc = cli_table_format(format, &fmt);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	struct report r = {0};
	char *cause = NULL;
	int src;
	if (rc == EXIT_DONE && (src = report_build(app->st, &app->actor, app->cfg, REP_ALL, &r,
						   &cause)) != SR_OK)
		rc = cli_store_error(src, cause);
	if (rc == EXIT_DONE && fmt == FMT_JSON)
		print_json(app, &r);
	else if (rc == EXIT_DONE)
		print_tables(app, &r, fmt);
	report_free(&r);
	return rc;
}
