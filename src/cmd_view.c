/*
 * cmd_view.c - the commands that read: list, show and history. Officers see
 * ID numbers and phones masked in all of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "history.h"
#include "present.h"
#include "store_review.h"
#include "table.h"
#include "text.h"

/* Set by show --full once the store has allowed and recorded the full view
 * (ACT_VIEW_FULL): this run then shows ID numbers and phones unmasked. */
static bool full_view;

/* Returns a new copy of the value of key as the acting user may see it. */
static char *visible(const struct form *f, const char *key, const char *v)
{
	return shown_value(f, key, v, !full_view);
}

struct list_ctx {
	struct app *app;
	struct table t;
	enum out_format fmt;
	int n;
};

static int list_row(const struct record *r, void *arg)
{
	struct list_ctx *c = arg;
	const struct form *f = formset_find(&c->app->cfg->forms, r->category);
	char *id = visible(f, "id_number", r->person_key);
	char *phone = visible(f, "phone", r->phone);
	if (c->fmt == FMT_TABLE) {
		char *area = xasprintf("%s%s%s", r->township ? r->township : "",
				       r->village ? "/" : "", r->village ? r->village : "");
		char shortid[9] = {0};
		memcpy(shortid, r->uuid, 8);
		char *when = time_local(r->updated_at);	/* local time, to the minute */
		const char *row[] = {shortid, r->name, f ? f->title : r->category, area, id,
				     status_label(r->status), when};
		table_row(&c->t, row);
		free(when);
		free(area);
	} else {
		const char *row[] = {r->uuid, r->name, r->category, r->township, r->village, id,
				     phone, status_name(r->status), r->updated_at};
		table_row(&c->t, row);
	}
	free(id);
	free(phone);
	c->n++;
	return 0;
}

/* Parses list's filters; returns 0 or an exit status (message printed). */
static int list_query(struct app *app, const char *cat, const char *status, const char *town,
		      const char *village, const char *limit, struct list_query *q)
{
	enum status st;
	long n = 0;
	q->status = -1;
	if (cat && !cli_form(app, cat))
		return EXIT_USAGE;
	if (status && status_parse(status, &st) < 0)
		return cli_usage(MSG_BAD_STATUS, status);
	if (status)
		q->status = (int)st;
	if (town && !config_township(app->cfg, town))
		return cli_usage(MSG_CONFIG_UNKNOWN_TOWNSHIP, town);
	/* a village of the township given, or of any */
	bool known = false;
	for (size_t i = 0; village && i < app->cfg->ntowns; i++)
		known |= (town == NULL || str_eq(app->cfg->towns[i].name, town)) &&
			 strv_has(&app->cfg->towns[i].villages, village);
	if (village && !known)
		return cli_usage(MSG_LIST_UNKNOWN_VILLAGE, village);
	if (limit && (str_to_long(limit, &n) < 0 || n <= 0 || n > 100000000))
		return cli_usage(MSG_BAD_LIMIT, limit);
	q->category = cat;
	q->township = town;
	q->village = village;
	q->limit = (int)n;
	return EXIT_DONE;
}

int cmd_list(struct app *app, int argc, char **argv)
{
	const char *cat = NULL, *status = NULL, *town = NULL, *village = NULL, *search = NULL,
		   *format = NULL, *limit = NULL;
	struct opt opts[] = {
		{"--category", &cat, NULL}, {"--status", &status, NULL}, {"--township", &town, NULL},
		{"--search", &search, NULL}, {"--format", &format, NULL}, {"--limit", &limit, NULL},
		{"--village", &village, NULL},
	};
	struct list_ctx c = {.app = app};
	struct list_query q = {0};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE)
		rc = cli_table_format(format, &c.fmt);
	if (rc == EXIT_DONE)
		rc = list_query(app, cat, status, town, village, limit, &q);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc != EXIT_DONE)
		return rc;
	q.search = search;
	q.lookups_per_day = app->cfg->lookups_per_day;
	if (c.fmt == FMT_TABLE) {
		static const char *const keys[] = {"uuid", "name", "category", "area", "id_number",
						   "status", "updated_at"};
		const char *heads[] = {msg(MSG_COL_UUID), msg(MSG_COL_NAME), msg(MSG_COL_CATEGORY),
				       msg(MSG_COL_AREA), msg(MSG_COL_ID), msg(MSG_COL_STATUS),
				       msg(MSG_COL_UPDATED)};
		table_init(&c.t, ARRAY_LEN(keys), keys, heads);
	} else {
		static const char *const keys[] = {"uuid", "name", "category", "township", "village",
						   "id_number", "phone", "status", "updated_at"};
		table_init(&c.t, ARRAY_LEN(keys), keys, keys);
	}
	char *cause = NULL;
	int src = store_list(app->st, &app->actor, &q, list_row, &c, &cause);
	if (src != SR_OK) {
		table_free(&c.t);
		return cli_store_error(src, cause);
	}
	table_print(&c.t, c.fmt, stdout);
	if (c.fmt == FMT_TABLE)
		cli_out(MSG_LIST_COUNT, c.n);
	table_free(&c.t);
	return EXIT_DONE;
}

/* Reads the one UUID argument of show and history and the record; with
 * *full (show --full) through store_get_full, which records the view. */
static int one_record(struct app *app, int argc, char **argv, const char **format,
		      bool *full, struct record **r)
{
	const char **pos;
	int npos;
	struct opt opts[] = {{"--format", format, NULL}, {"--full", NULL, full}};
	int rc = opts_parse(argc, argv, opts, format ? ARRAY_LEN(opts) : 0, &pos, &npos);
	if (rc == EXIT_DONE && npos < 1)
		rc = cli_usage(MSG_MISSING_ARGUMENT, "UUID");
	else if (rc == EXIT_DONE && npos > 1)
		rc = cli_usage(MSG_EXTRA_ARGUMENT, pos[1]);
	static const char *const names[] = {"text", "json"};
	int which;
	if (rc == EXIT_DONE && format)
		rc = cli_format(*format, names, ARRAY_LEN(names), 0, &which);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE) {
		char *cause = NULL;
		int src = full && *full ? store_get_full(app->st, &app->actor, pos[0], r, &cause)
					: store_get(app->st, &app->actor, pos[0], r, &cause);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
		full_view = src == SR_OK && full && *full;
	}
	free(pos);
	return rc;
}

static void show_json(const struct form *f, const struct record *r)
{
	struct buf b = {0};
	record_json_head(&b, r);
	const char *meta[][2] = {{"created_by", r->created_by}, {"created_at", r->created_at},
				 {"updated_by", r->updated_by}, {"updated_at", r->updated_at},
				 {"site", r->site}, {"comment", r->comment}};
	for (size_t i = 0; i < ARRAY_LEN(meta); i++) {
		buf_printf(&b, ",\"%s\":", meta[i][0]);
		if (meta[i][1])
			json_str(&b, meta[i][1]);
		else
			buf_puts(&b, "null");
	}
	buf_printf(&b, ",\"version\":%d,\"values\":{", r->version);
	for (size_t i = 0; i < r->vals.keys.n; i++) {
		char *v = visible(f, r->vals.keys.v[i], r->vals.vals.v[i]);
		buf_puts(&b, i ? "," : "");
		json_str(&b, r->vals.keys.v[i]);
		buf_putc(&b, ':');
		json_str(&b, v);
		free(v);
	}
	buf_puts(&b, "}}\n");
	fputs(b.s, stdout);
	buf_free(&b);
}

static void show_line(const char *label, const char *value)
{
	char *l = text_sanitize(label), *v = text_sanitize(value ? value : "");
	printf("%s", l);
	size_t w = text_width(l);
	do
		putchar(' ');
	while (++w < 24);
	printf("%s\n", v);
	free(l);
	free(v);
}

static void show_text(const struct form *f, const struct record *r)
{
	char *head = xasprintf("%s  %s", f ? f->title : r->category, r->uuid);
	show_line(msg(MSG_COL_CATEGORY), head);
	free(head);
	show_line(msg(MSG_SHOW_STATUS), status_label(r->status));
	if (r->comment)
		show_line(msg(MSG_SHOW_COMMENT), r->comment);
	for (size_t i = 0; f && i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		char *v = display_value(f, fd->key, kv_get(&r->vals, fd->key),
					!full_view);
		show_line(fd->label, v);
		free(v);
	}
	char *created = time_local(r->created_at), *updated = time_local(r->updated_at);
	char *c = xasprintf("%s  %s", created, r->created_by);
	char *u = xasprintf("%s  %s", updated, r->updated_by);
	free(created);
	free(updated);
	char *ver = xasprintf("%d", r->version);
	show_line(msg(MSG_SHOW_CREATED), c);
	show_line(msg(MSG_SHOW_UPDATED), u);
	show_line(msg(MSG_SHOW_VERSION), ver);
	show_line(msg(MSG_SHOW_SITE), r->site);
	free(c);
	free(u);
	free(ver);
}

int cmd_show(struct app *app, int argc, char **argv)
{
	const char *format = NULL;
	bool full = false;
	struct record *r = NULL;
	int rc = one_record(app, argc, argv, &format, &full, &r);
	if (rc != EXIT_DONE)
		return rc;
	const struct form *f = formset_find(&app->cfg->forms, r->category);
	if (str_eq(format, "json"))
		show_json(f, r);
	else
		show_text(f, r);
	if (full_view)
		cli_err(MSG_SHOW_FULL_RECORDED);
	record_free(r);
	free(r);
	return EXIT_DONE;
}

struct history_ctx {
	struct app *app;
	const struct form *f;
	struct table t;
	int n;
};

static int history_row(const struct audit_row *row, void *arg)
{
	struct history_ctx *c = arg;
	char *who = row->as_user ? msgf(MSG_HISTORY_AS, row->login, row->as_user)
				 : xstrdup(row->login);
	char *what = history_detail(c->f, row, true);
	char *when = time_local(row->at);
	const char *cells[] = {when, who, history_action_label(row->action), what};
	table_row(&c->t, cells);
	free(when);
	free(who);
	free(what);
	c->n++;
	return 0;
}

int cmd_history(struct app *app, int argc, char **argv)
{
	struct record *r = NULL;
	int rc = one_record(app, argc, argv, NULL, NULL, &r);
	if (rc != EXIT_DONE)
		return rc;
	struct history_ctx c = {app, formset_find(&app->cfg->forms, r->category), {0}, 0};
	static const char *const keys[] = {"at", "login", "action", "detail"};
	const char *heads[] = {msg(MSG_COL_WHEN), msg(MSG_COL_WHO), msg(MSG_COL_ACTION),
			       msg(MSG_COL_DETAIL)};
	table_init(&c.t, 4, keys, heads);
	char *cause = NULL;
	int src = store_history(app->st, &app->actor, r->uuid, history_row, &c, &cause);
	if (src != SR_OK)
		rc = cli_store_error(src, cause);
	else if (c.n == 0)
		cli_out(MSG_HISTORY_EMPTY);
	else
		table_print(&c.t, FMT_TABLE, stdout);
	table_free(&c.t);
	record_free(r);
	free(r);
	return rc;
}
