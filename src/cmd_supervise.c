/*
 * cmd_supervise.c - supervision (the plan's 督查、随机抽查): spot checks,
 * a random sample of a township's records drawn and kept, each record
 * then checked with a result and a note (sample draw|list|show|check);
 * and what each login did over a period (activity): records entered and
 * edited, decisions on the records it made, decisions it made, spot checks
 * done. Supervisors and admins, within their townships.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store_plan.h"
#include "table.h"

static int need_supervisor(struct app *app)
{
	enum msg_id why = MSG_DENIED_ROLE;
	if (auth_check(app->me, ACT_SUPERVISE, NULL, &why) == 0)
		return EXIT_DONE;
	cli_err(MSG_DENIED, msg(why));
	return EXIT_DENIED;
}

/* Opens the store for a supervisor's command. */
static int open_supervised(struct app *app)
{
	int rc = app_open(app, false);
	return rc == EXIT_DONE ? need_supervisor(app) : rc;
}

/* A listing's start: its --format, then open_supervised(). */
static int open_listing(struct app *app, const char *format, enum out_format *fmt)
{
	int rc = cli_table_format(format, fmt);
	return rc == EXIT_DONE ? open_supervised(app) : rc;
}

/* Reads a sample's number. */
static int read_id(const char *s, long *id)
{
	if (s && s[0] == '#')
		s++;
	if (s == NULL || str_to_long(s, id) < 0 || *id < 1)
		return cli_usage(MSG_SAMPLE_BAD_ID, s ? s : "");
	return EXIT_DONE;
}

static int sample_draw(struct app *app, int argc, char **argv)
{
	const char *town = NULL, *size = NULL, *cat = NULL;
	struct opt opts[] = {{"--township", &town, NULL}, {"--size", &size, NULL},
			     {"--category", &cat, NULL}};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	long n = 10;
	if (rc == EXIT_DONE && town == NULL)
		rc = cli_usage(MSG_MISSING_ARGUMENT, "--township");
	if (rc == EXIT_DONE && !config_township(app->cfg, town))
		rc = cli_usage(MSG_CONFIG_UNKNOWN_TOWNSHIP, town);
	if (rc == EXIT_DONE && size && (str_to_long(size, &n) < 0 || n < 1 || n > 1000)) {
		cli_err(MSG_BAD_OPTION_VALUE, "--size", size);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_DONE && cat && !cli_form(app, cat))
		rc = EXIT_USAGE;
	if (rc == EXIT_DONE)
		rc = open_supervised(app);
	if (rc != EXIT_DONE)
		return rc;
	long id;
	int drawn;
	char *cause = NULL;
	int src = store_sample_draw(app->st, &app->actor, town, cat, (int)n, &id, &drawn, &cause);
	if (src != SR_OK)
		return cli_store_error(src, cause);
	cli_out(MSG_SAMPLE_DRAWN, id, town, drawn);
	cli_out(MSG_SAMPLE_NEXT, id, id);
	return EXIT_DONE;
}

static int sample_row(const struct sample_row *s, void *arg)
{
	struct cli_list *c = arg;
	const struct form *f = s->category ? formset_find(&c->app->cfg->forms, s->category) : NULL;
	char id[24], size[16], checked[16], problems[16];
	snprintf(id, sizeof id, "%ld", s->id);
	snprintf(size, sizeof size, "%d", s->size);
	snprintf(checked, sizeof checked, "%d", s->checked);
	snprintf(problems, sizeof problems, "%d", s->problems);
	char *when = time_local(s->drawn_at);
	const char *row[] = {id, s->township, f ? f->title : s->category ? s->category : msg(MSG_UI_ALL),
			     size, checked, problems, s->drawn_by, when};
	table_row(&c->t, row);
	free(when);
	return 0;
}

static int sample_list(struct app *app, int argc, char **argv)
{
	const char *format = NULL;
	struct cli_list c = {.app = app};
	struct opt opts[] = {{"--format", &format, NULL}};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE)
		rc = open_listing(app, format, &c.fmt);
	if (rc != EXIT_DONE)
		return rc;
	static const char *const keys[] = {"id", "township", "category", "size", "checked",
					   "problems", "drawn_by", "drawn_at"};
	const char *heads[] = {msg(MSG_SAMPLE_COL_ID), msg(MSG_COL_TOWNSHIP), msg(MSG_COL_CATEGORY),
			       msg(MSG_SAMPLE_COL_SIZE), msg(MSG_SAMPLE_COL_CHECKED),
			       msg(MSG_SAMPLE_COL_PROBLEMS), msg(MSG_COL_WHO), msg(MSG_COL_WHEN)};
	table_init(&c.t, ARRAY_LEN(keys), keys, heads);
	static const size_t numbers[] = {0, 3, 4, 5};
	for (size_t i = 0; i < ARRAY_LEN(numbers); i++)
		table_numeric(&c.t, numbers[i]);
	char *cause = NULL;
	int src = store_sample_list(app->st, &app->actor, sample_row, &c, &cause);
	return cli_list_end(&c, src, cause);
}

static int show_head(const struct sample_row *s, void *arg)
{
	struct cli_list *c = arg;
	if (c->fmt == FMT_TABLE) {
		char *when = time_local(s->drawn_at);
		cli_out(MSG_SAMPLE_HEAD, s->id, s->township, s->size, s->checked, s->problems,
			s->drawn_by, when);
		free(when);
	}
	return 0;
}

static int show_item(const struct sample_item *it, void *arg)
{
	struct cli_list *c = arg;
	const struct form *f = it->category ? formset_find(&c->app->cfg->forms, it->category) : NULL;
	enum status st;
	const char *status = it->status && status_parse(it->status, &st) == 0 ? status_label(st) : "";
	const char *result = it->result == NULL ? msg(MSG_SAMPLE_UNCHECKED)
			     : str_eq(it->result, "ok") ? msg(MSG_SAMPLE_OK) : msg(MSG_SAMPLE_PROBLEM);
	char uuid[9];
	snprintf(uuid, sizeof uuid, "%.8s", it->uuid);
	char *when = it->checked_at ? time_local(it->checked_at) : NULL;
	const char *row[] = {c->fmt == FMT_TABLE ? uuid : it->uuid, it->name, f ? f->title : it->category,
			     it->village, status,
			     c->fmt == FMT_TABLE ? result : it->result ? it->result : "",
			     it->checked_by, when, it->note};
	table_row(&c->t, row);
	free(when);
	return 0;
}

static int sample_show(struct app *app, int argc, char **argv)
{
	const char *format = NULL, **pos;
	int npos;
	struct cli_list c = {.app = app};
	struct opt opts[] = {{"--format", &format, NULL}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	if (rc == EXIT_DONE && npos != 1)
		rc = npos ? cli_usage(MSG_EXTRA_ARGUMENT, pos[1]) : cli_usage(MSG_MISSING_ARGUMENT, "ID");
	long id = 0;
	if (rc == EXIT_DONE)
		rc = read_id(pos[0], &id);
	free(pos);
	if (rc == EXIT_DONE)
		rc = open_listing(app, format, &c.fmt);
	if (rc != EXIT_DONE)
		return rc;
	static const char *const keys[] = {"uuid", "name", "category", "village", "status", "result",
					   "checked_by", "checked_at", "note"};
	const char *heads[] = {msg(MSG_COL_UUID), msg(MSG_COL_NAME), msg(MSG_COL_CATEGORY),
			       msg(MSG_COL_VILLAGE), msg(MSG_COL_STATUS), msg(MSG_SAMPLE_COL_RESULT),
			       msg(MSG_COL_WHO), msg(MSG_COL_WHEN), msg(MSG_COL_NOTE)};
	table_init(&c.t, ARRAY_LEN(keys), keys, heads);
	char *cause = NULL;
	int src = store_sample_show(app->st, &app->actor, id, show_head, show_item, &c, &cause);
	return cli_list_end(&c, src, cause);
}

static int sample_check(struct app *app, int argc, char **argv)
{
	const char *note = NULL, **pos;
	bool problem = false;
	int npos;
	struct opt opts[] = {{"--note", &note, NULL}, {"--problem", NULL, &problem}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	if (rc == EXIT_DONE && npos != 2)
		rc = npos > 2 ? cli_usage(MSG_EXTRA_ARGUMENT, pos[2])
			      : cli_usage(MSG_MISSING_ARGUMENT, npos ? "UUID" : "ID UUID");
	long id = 0;
	if (rc == EXIT_DONE)
		rc = read_id(pos[0], &id);
	const char *uuid = npos > 1 ? pos[1] : NULL;
	free(pos);
	char *text = NULL;
	if (rc == EXIT_DONE)
		rc = cli_comment(note, true, MSG_SAMPLE_NEEDS_NOTE, &text);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE) {
		char *cause = NULL;
		int src = store_sample_check(app->st, &app->actor, id, uuid, problem, text, &cause);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
		else
			cli_out(problem ? MSG_SAMPLE_CHECKED_PROBLEM : MSG_SAMPLE_CHECKED_OK, id, uuid);
	}
	free(text);
	return rc;
}

/* ---- activity ----------------------------------------------------------------- */

static int activity_row(const struct activity_row *r, void *arg)
{
	struct table *t = arg;
	char n[6][24];
	long v[] = {r->entered, r->edited, r->returned, r->approved, r->reviewed, r->checked};
	for (int i = 0; i < 6; i++)
		snprintf(n[i], sizeof n[i], "%ld", v[i]);
	const char *row[] = {r->login, n[0], n[1], n[2], n[3], n[4], n[5]};
	table_row(t, row);
	return 0;
}

/* Reads a day (any accepted form) into *d; the option's name for errors. */
static int read_day(const char *name, const char *given, struct date *d)
{
	char *iso = NULL;
	enum msg_id why;
	int ok = check_date(given, &iso, &why) == 0 && date_parse_iso(iso, d) == 0;
	free(iso);
	if (ok)
		return EXIT_DONE;
	cli_err(MSG_BAD_OPTION_VALUE, name, given);
	return EXIT_USAGE;
}

int cmd_activity(struct app *app, int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *year = NULL, *format = NULL;
	enum out_format fmt;
	struct opt opts[] = {{"--from", &from, NULL}, {"--to", &to, NULL}, {"--year", &year, NULL},
			     {"--format", &format, NULL}};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE)
		rc = cli_table_format(format, &fmt);
	struct date a = {1900, 1, 1}, b = {2999, 12, 31};
	today(&b.y, &b.m, &b.d);
	if (rc == EXIT_DONE && year) {
		long y;
		if ((from || to) || str_to_long(year, &y) < 0 || y < 1900 || y > 2999) {
			cli_err(MSG_BAD_OPTION_VALUE, "--year", year);
			rc = EXIT_USAGE;
		} else {
			a = (struct date){(int)y, 1, 1};
			b = (struct date){(int)y, 12, 31};
		}
	}
	if (rc == EXIT_DONE && from)
		rc = read_day("--from", from, &a);
	if (rc == EXIT_DONE && to)
		rc = read_day("--to", to, &b);
	if (rc == EXIT_DONE && !from && !year) {	/* the last 30 days by default */
		a = b;
		a.d -= 29;
	}
	if (rc == EXIT_DONE)
		rc = open_supervised(app);
	if (rc != EXIT_DONE)
		return rc;
	char *start = day_start_iso(a.y, a.m, a.d), *end = day_start_iso(b.y, b.m, b.d + 1);
	char *first = date_local(start), *last = xasprintf("%04d-%02d-%02d", b.y, b.m, b.d);
	static const char *const keys[] = {"login", "entered", "edited", "returned", "approved",
					   "reviewed", "checked"};
	const char *heads[] = {msg(MSG_COL_WHO), msg(MSG_ACT_COL_ENTERED), msg(MSG_ACT_COL_EDITED),
			       msg(MSG_ACT_COL_RETURNED), msg(MSG_ACT_COL_APPROVED),
			       msg(MSG_ACT_COL_REVIEWED), msg(MSG_ACT_COL_CHECKED)};
	struct table t;
	table_init(&t, ARRAY_LEN(keys), keys, heads);
	for (size_t i = 1; i < ARRAY_LEN(keys); i++)
		table_numeric(&t, i);
	char *cause = NULL;
	int src = store_activity(app->st, &app->actor, start, end, activity_row, &t, &cause);
	if (src != SR_OK)
		rc = cli_store_error(src, cause);
	else {
		if (fmt == FMT_TABLE)
			cli_out(MSG_ACT_TITLE, first, last);
		table_print(&t, fmt, stdout);
		if (fmt == FMT_TABLE)
			cli_out(MSG_ACT_NOTE);
	}
	table_free(&t);
	free(start);
	free(end);
	free(first);
	free(last);
	return rc;
}

int cmd_sample(struct app *app, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(struct app *, int, char **);
	} subs[] = {
		{"draw", sample_draw}, {"list", sample_list}, {"show", sample_show},
		{"check", sample_check},
	};
	for (size_t i = 0; argc >= 2 && i < ARRAY_LEN(subs); i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(app, argc - 1, argv + 1);
	fputs(msg(MSG_USE_SAMPLE), stderr);
	return argc < 2 ? cli_usage(MSG_MISSING_ARGUMENT, "draw|list|show|check")
			: cli_usage(MSG_BAD_SUBCOMMAND, argv[1]);
}
