/*
 * cmd_events.c - `talentreg event`: training classes and other events
 * (issue 15) as records of their own. types lists the event types
 * (forms/events/); add, edit and review make, change and decide an event
 * (events.h, store_events.h); list and show read them, an event with its
 * attendees and history; attend adds a person by ID number (a registered
 * person is linked, one not registered is registered on the spot with the
 * event's details carried in), unattend takes one off; import reads a
 * sign-in sheet (cmd_import.c does the reading, the columns and the
 * rejects); migrate links the training fields of old records to events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "events.h"
#include "history.h"
#include "present.h"
#include "table.h"
#include "text.h"

/* The event type named, or an error printed and NULL. */
static const struct form *cli_event_type(struct app *app, const char *key)
{
	const struct form *t = config_event_type(app->cfg, key);
	if (t == NULL)
		cli_err(MSG_EVENT_UNKNOWN_TYPE, key);
	return t;
}

/* The event id names, or an error printed (*rc its exit status) and NULL. */
static struct event *get_event(struct app *app, const char *id, int *rc)
{
	struct event *e = NULL;
	char *cause = NULL;
	int src = store_event_get(app->st, &app->actor, id, &e, &cause);
	if (src != SR_OK)
		*rc = cli_store_error(src, cause);
	return e;
}

static void drop_event(struct event *e)
{
	event_free(e);
	free(e);
}

static const char *type_title(const struct app *app, const char *key)
{
	const struct form *t = config_event_type(app->cfg, key);
	return t ? t->title : key;
}

/* The ID number as the acting user may see it in a list: masked. */
static char *masked_id(const char *id)
{
	static const struct field fd = {.key = "id_number", .type = FT_ID_CARD, .pii = true};
	return mask_value(&fd, id);
}

/* ---- types, add, edit, review ------------------------------------------------ */

static int ev_types(struct app *app, int argc, char **argv)
{
	const char *format = NULL;
	enum out_format fmt;
	struct opt opts[] = {{"--format", &format, NULL}};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE)
		rc = cli_table_format(format, &fmt);
	if (rc != EXIT_DONE)
		return rc;
	static const char *const keys[] = {"key", "title", "category", "fields"};
	const char *heads[] = {msg(MSG_COL_KEY), msg(MSG_COL_LABEL), msg(MSG_EVENT_COL_REGISTERS),
			       msg(MSG_COL_FIELDS)};
	struct table t;
	table_init(&t, 4, keys, heads);
	table_numeric(&t, 3);
	for (size_t i = 0; i < app->cfg->events.n; i++) {
		const struct form *e = app->cfg->events.v[i];
		if (e->abstract)
			continue;
		const struct form *f = ev_category(app->cfg, e);
		char n[16];
		snprintf(n, sizeof n, "%zu", e->nfields);
		const char *row[] = {e->key, e->title,
				     fmt == FMT_TABLE ? (f ? f->title : "—") : e->category, n};
		table_row(&t, row);
	}
	table_print(&t, fmt, stdout);
	table_free(&t);
	return EXIT_DONE;
}

static int ev_add_cmd(struct app *app, int argc, char **argv)
{
	const char **pos;
	int npos;
	bool confirm = false;
	struct opt opts[] = {{"--confirm", NULL, &confirm}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	const struct form *type = NULL;
	struct kv vals = {0};
	if (rc == EXIT_DONE && npos < 1)
		rc = cli_usage(MSG_MISSING_ARGUMENT, "TYPE");
	if (rc == EXIT_DONE && (type = cli_event_type(app, pos[0])) == NULL)
		rc = EXIT_USAGE;
	if (rc == EXIT_DONE)
		rc = cli_assignments(type, npos - 1, (char **)pos + 1, &vals);
	free(pos);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE) {
		struct reg_opts o = {.confirm = confirm};
		struct reg_result res;
		ev_add(&app->reg, type, &vals, &o, &res);
		rc = cli_reg_result(&res);
		if (res.outcome == REG_SAVED) {
			printf("%s\n", res.uuid);
			if (app->cfg->site_kind == SITE_SITE)	/* said, not left to find out */
				cli_err(MSG_EVENT_AT_SITE);
		}
		reg_result_free(&res);
	}
	kv_free(&vals);
	return rc;
}

static int ev_edit_cmd(struct app *app, int argc, char **argv)
{
	const char **pos;
	int npos;
	bool confirm = false;
	struct opt opts[] = {{"--confirm", NULL, &confirm}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	struct event *e = NULL;
	const struct form *type = NULL;
	struct kv changes = {0};
	if (rc == EXIT_DONE && npos < 1)
		rc = cli_usage(MSG_MISSING_ARGUMENT, "EVENT");
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE && (e = get_event(app, pos[0], &rc)) != NULL &&
	    (type = cli_event_type(app, e->type)) == NULL)
		rc = EXIT_BROKEN;
	if (rc == EXIT_DONE)
		rc = cli_assignments(type, npos - 1, (char **)pos + 1, &changes);
	free(pos);
	if (rc == EXIT_DONE) {
		struct reg_opts o = {.confirm = confirm};
		struct reg_result res;
		ev_edit(&app->reg, type, e, &changes, &o, &res);
		rc = cli_edit_result(&res);
		reg_result_free(&res);
	}
	kv_free(&changes);
	if (e)
		drop_event(e);
	return rc;
}

static int ev_review(struct app *app, int argc, char **argv)
{
	const char **pos, *comment = NULL;
	int npos;
	struct opt opts[] = {{"--comment", &comment, NULL}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	static const struct {
		const char *name;
		enum action act;
		bool comment;
		enum msg_id done;
	} acts[] = {
		{"approve", ACT_APPROVE, false, MSG_EVENT_APPROVED},
		{"return", ACT_RETURN, true, MSG_EVENT_RETURNED},
		{"unlock", ACT_UNLOCK, true, MSG_EVENT_UNLOCKED},
		{"withdraw", ACT_WITHDRAW, false, MSG_EVENT_WITHDRAWN},
	};
	int which = -1;
	if (rc == EXIT_DONE && npos < 2)
		rc = cli_usage(MSG_MISSING_ARGUMENT, npos < 1 ? "EVENT" : "approve|return|unlock|withdraw");
	for (size_t i = 0; rc == EXIT_DONE && i < ARRAY_LEN(acts); i++)
		if (str_eq(pos[1], acts[i].name))
			which = (int)i;
	if (rc == EXIT_DONE && which < 0)
		rc = cli_usage(MSG_BAD_SUBCOMMAND, pos[1]);
	else if (rc == EXIT_DONE && npos > 2)
		rc = cli_usage(MSG_EXTRA_ARGUMENT, pos[2]);
	char *text = NULL;
	if (rc == EXIT_DONE)
		rc = cli_comment(comment, acts[which].comment, MSG_EVENT_NEEDS_COMMENT, &text);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE) {
		char *cause = NULL;
		int src = store_event_transition(app->st, &app->actor, pos[0], acts[which].act, text,
						 &cause);
		rc = src == SR_OK ? EXIT_DONE : cli_store_error(src, cause);
		if (rc == EXIT_DONE)
			cli_out(acts[which].done, pos[0]);
	}
	free(text);
	free(pos);
	return rc;
}

/* ---- list, show ---------------------------------------------------------------- */

static int list_row(const struct event *e, void *arg)
{
	struct cli_list *c = arg;
	char n[24], shortid[9] = {0};
	snprintf(n, sizeof n, "%ld", e->attendees);
	memcpy(shortid, e->uuid, 8);
	if (c->fmt == FMT_TABLE) {
		const char *row[] = {shortid, type_title(c->app, e->type), e->title, e->start_date,
				     e->township ? e->township : msg(MSG_EVENT_DISTRICT),
				     status_label(e->status), n};
		table_row(&c->t, row);
	} else {
		const char *row[] = {e->uuid, e->type, e->title, e->start_date, e->township,
				     status_name(e->status), n};
		table_row(&c->t, row);
	}
	return 0;
}

static int ev_list(struct app *app, int argc, char **argv)
{
	const char *format = NULL, *type = NULL, *status = NULL, *town = NULL;
	struct opt opts[] = {{"--format", &format, NULL}, {"--type", &type, NULL},
			     {"--status", &status, NULL}, {"--township", &town, NULL}};
	struct cli_list c = {.app = app};
	struct event_query q = {.status = -1};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE)
		rc = cli_table_format(format, &c.fmt);
	if (rc == EXIT_DONE && type && !(q.type = type, cli_event_type(app, type)))
		rc = EXIT_USAGE;
	enum status st;
	if (rc == EXIT_DONE && status) {
		if (status_parse(status, &st) < 0)
			rc = cli_usage(MSG_BAD_STATUS, status);
		else
			q.status = (int)st;
	}
	q.township = town;
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc != EXIT_DONE)
		return rc;
	static const char *const keys[] = {"uuid", "type", "title", "start_date", "township",
					   "status", "attendees"};
	const char *heads[] = {msg(MSG_COL_UUID), msg(MSG_EVENT_COL_TYPE), msg(MSG_EVENT_COL_TITLE),
			       msg(MSG_EVENT_COL_DATE), msg(MSG_COL_TOWNSHIP), msg(MSG_COL_STATUS),
			       msg(MSG_EVENT_COL_ATTENDEES)};
	table_init(&c.t, ARRAY_LEN(keys), keys, heads);
	table_numeric(&c.t, 6);
	char *cause = NULL;
	int src = store_event_list(app->st, &app->actor, &q, list_row, &c, &cause);
	return cli_list_end(&c, src, cause);
}

struct show_ctx {
	struct app *app;
	const struct event *e;
	struct buf json;
	struct table t;
	bool as_json;
	int n;
};

static int show_attendee(const struct attendee *at, void *arg)
{
	struct show_ctx *c = arg;
	char *id = at->person_key ? masked_id(at->person_key) : xstrdup("");
	const struct form *f = at->category ? formset_find(&c->app->cfg->forms, at->category) : NULL;
	if (c->as_json) {
		buf_puts(&c->json, c->n ? ",\n {\"name\":" : "\n {\"name\":");
		json_str(&c->json, at->name);
		buf_puts(&c->json, ",\"id_number\":");
		json_str(&c->json, id);
		const char *more[][2] = {{"township", at->township}, {"uuid", at->uuid},
					 {"category", at->category}, {"status", at->status},
					 {"source", at->source}, {"added_by", at->added_by},
					 {"added_at", at->added_at}};
		for (size_t i = 0; i < ARRAY_LEN(more); i++) {
			buf_printf(&c->json, ",\"%s\":", more[i][0]);
			if (more[i][1])
				json_str(&c->json, more[i][1]);
			else
				buf_puts(&c->json, "null");
		}
		buf_putc(&c->json, '}');
	} else {
		char shortid[9] = {0};
		if (at->uuid)
			memcpy(shortid, at->uuid, 8);
		const char *row[] = {at->name, id, at->township ? at->township : "",
				     f ? f->title : at->category ? at->category : "", shortid,
				     msg(str_eq(at->source, "spot") ? MSG_EVENT_SOURCE_SPOT
					 : str_eq(at->source, "sheet") ? MSG_EVENT_SOURCE_SHEET
					 : str_eq(at->source, "migrated") ? MSG_EVENT_SOURCE_MIGRATED
									  : MSG_EVENT_SOURCE_TYPED)};
		table_row(&c->t, row);
	}
	free(id);
	c->n++;
	return 0;
}

static int show_history(const struct audit_row *row, void *arg)
{
	struct show_ctx *c = arg;
	const struct form *type = config_event_type(c->app->cfg, c->e->type);
	char *detail = history_detail(type, row, true);
	char *when = time_local(row->at);
	char *line = xasprintf("  %s  %s  %s  %s", when, row->as_user ? row->as_user : row->login,
			       history_action_label(row->action), detail);
	char *safe = text_sanitize(line);
	puts(safe);
	free(safe);
	free(line);
	free(when);
	free(detail);
	return 0;
}

static void show_text(struct app *app, const struct event *e, const struct form *type)
{
	char *head = msgf(MSG_EVENT_SHOW_HEAD, e->title, type ? type->title : e->type, e->uuid);
	puts(head);
	free(head);
	cli_out(MSG_EVENT_SHOW_STATUS, status_label(e->status), e->attendees);
	if (e->comment)
		cli_out(MSG_EVENT_SHOW_COMMENT, e->comment);
	for (size_t i = 0; type && i < type->nfields; i++) {
		const char *v = kv_get(&e->vals, type->fields[i].key);
		if (!str_empty(v)) {
			char *line = xasprintf("  %s：%s", type->fields[i].label, v);
			char *safe = text_sanitize(line);
			puts(safe);
			free(safe);
			free(line);
		}
	}
	(void)app;
}

static int ev_show(struct app *app, int argc, char **argv)
{
	const char **pos, *format = NULL;
	int npos;
	struct opt opts[] = {{"--format", &format, NULL}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	static const char *const names[] = {"table", "json"};
	int fmt = 0;
	if (rc == EXIT_DONE)
		rc = cli_format(format, names, 2, 0, &fmt);
	if (rc == EXIT_DONE && npos != 1)
		rc = npos < 1 ? cli_usage(MSG_MISSING_ARGUMENT, "EVENT")
			      : cli_usage(MSG_EXTRA_ARGUMENT, pos[1]);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	struct event *e = rc == EXIT_DONE ? get_event(app, pos[0], &rc) : NULL;
	free(pos);
	if (e == NULL)
		return rc;
	const struct form *type = config_event_type(app->cfg, e->type);
	struct show_ctx c = {.app = app, .e = e, .as_json = fmt == 1};
	char *cause = NULL;
	int src;
	if (c.as_json) {
		buf_puts(&c.json, "{\"uuid\":");
		json_str(&c.json, e->uuid);
		buf_puts(&c.json, ",\"type\":");
		json_str(&c.json, e->type);
		buf_puts(&c.json, ",\"status\":");
		json_str(&c.json, status_name(e->status));
		buf_puts(&c.json, ",\"values\":");
		kv_to_json(&e->vals, &c.json);
		buf_printf(&c.json, ",\"attendee_count\":%ld,\"attendees\":[", e->attendees);
		src = store_event_attendees(app->st, &app->actor, e->uuid, show_attendee, &c, &cause);
		buf_puts(&c.json, "]}\n");
		if (src == SR_OK)
			fputs(c.json.s, stdout);
	} else {
		show_text(app, e, type);
		static const char *const keys[] = {"name", "id", "township", "category", "uuid",
						   "source"};
		const char *heads[] = {msg(MSG_COL_NAME), msg(MSG_COL_ID), msg(MSG_COL_TOWNSHIP),
				       msg(MSG_COL_CATEGORY), msg(MSG_COL_UUID), msg(MSG_EVENT_COL_SOURCE)};
		table_init(&c.t, ARRAY_LEN(keys), keys, heads);
		cli_out(MSG_EVENT_SHOW_ATTENDEES, e->attendees);
		src = store_event_attendees(app->st, &app->actor, e->uuid, show_attendee, &c, &cause);
		if (src == SR_OK && c.n)
			table_print(&c.t, FMT_TABLE, stdout);
		table_free(&c.t);
		if (src == SR_OK) {
			cli_out(MSG_EVENT_SHOW_HISTORY);
			src = store_event_history(app->st, &app->actor, e->uuid, show_history, &c,
						  &cause);
		}
	}
	buf_free(&c.json);
	if (src != SR_OK)
		rc = cli_store_error(src, cause);
	drop_event(e);
	return rc;
}

/* ---- attendance ---------------------------------------------------------------- */

/* Prints what an attendance did and returns its exit status. */
int cli_attend_result(struct app *app, const struct event *e, const struct attend_result *r)
{
	const struct form *type = config_event_type(app->cfg, e->type);
	const struct form *cat = ev_category(app->cfg, type);
	const char *name = r->name ? r->name : "";
	switch (r->outcome) {
	case AT_LINKED:
		cli_out(r->elsewhere ? MSG_EVENT_LINKED_ELSEWHERE : MSG_EVENT_LINKED, name);
		return EXIT_DONE;
	case AT_REGISTERED:
		cli_out(MSG_EVENT_REGISTERED, name, cat ? cat->title : "", r->res.uuid);
		return EXIT_DONE;
	case AT_ALREADY:
		cli_err(MSG_EVENT_ALREADY_ATTENDS);
		return EXIT_INVALID;
	case AT_BAD_ID:
		cli_print_issues(&r->res.is);
		cli_err(MSG_INVALID);
		return EXIT_INVALID;
	case AT_NOBODY:
		cli_err(MSG_EVENT_NOBODY, type ? type->title : e->type);
		return EXIT_INVALID;
	case AT_NEW:
		cli_print_issues(&r->res.is);
		cli_err(MSG_EVENT_NEEDS_OWN_FIELDS, cat ? cat->title : "", cat ? cat->key : "");
		return EXIT_INVALID;
	case AT_DENIED:
		cli_err_text(r->res.cause ? r->res.cause : msg(MSG_ERROR));
		return EXIT_DENIED;
	default:
		return cli_store_error(r->res.store_rc ? r->res.store_rc : SR_FAIL,
				       xstrdup(r->res.cause));
	}
}

static int ev_attend_cmd(struct app *app, int argc, char **argv)
{
	const char **pos;
	int npos;
	bool confirm = false;
	struct opt opts[] = {{"--confirm", NULL, &confirm}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	if (rc == EXIT_DONE && npos < 2)
		rc = cli_usage(MSG_MISSING_ARGUMENT, npos < 1 ? "EVENT" : "ID_NUMBER");
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	struct event *e = rc == EXIT_DONE ? get_event(app, pos[0], &rc) : NULL;
	struct kv own = {0};
	const struct form *cat = NULL;
	if (e) {
		cat = ev_category(app->cfg, config_event_type(app->cfg, e->type));
		if (cat)
			rc = cli_assignments(cat, npos - 2, (char **)pos + 2, &own);
		else if (npos > 2)
			rc = cli_usage(MSG_EXTRA_ARGUMENT, pos[2]);
	}
	if (e && rc == EXIT_DONE) {
		struct attend_result r;
		ev_attend(&app->reg, e, pos[1], &own, "typed", confirm, false, &r);
		rc = cli_attend_result(app, e, &r);
		attend_result_free(&r);
	}
	kv_free(&own);
	free(pos);
	if (e)
		drop_event(e);
	return rc;
}

static int ev_unattend(struct app *app, int argc, char **argv)
{
	const char **pos;
	int npos;
	int rc = opts_parse(argc, argv, NULL, 0, &pos, &npos);
	if (rc == EXIT_DONE && npos != 2)
		rc = npos < 2 ? cli_usage(MSG_MISSING_ARGUMENT, npos < 1 ? "EVENT" : "ID_NUMBER")
			      : cli_usage(MSG_EXTRA_ARGUMENT, pos[2]);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE) {
		char *id = NULL;
		enum msg_id why;
		if (check_id_card(pos[1], &app->today, &id, &why) < 0) {
			cli_err(MSG_EVENT_BAD_ID, msg(why));
			rc = EXIT_INVALID;
		} else {
			char *cause = NULL;
			int src = store_event_unattend(app->st, &app->actor, pos[0], id, &cause);
			rc = src == SR_OK ? EXIT_DONE : cli_store_error(src, cause);
			if (rc == EXIT_DONE)
				cli_out(MSG_EVENT_UNATTENDED);
		}
		free(id);
	}
	free(pos);
	return rc;
}

static int ev_import(struct app *app, int argc, char **argv)
{
	return import_attendance(app, argc, argv);
}

/* ---- the training fields of old records --------------------------------------------- */

struct mig_ctx {
	struct table t;
	enum out_format fmt;
	long linked, already, none, many, refused;
};

static int mig_row(const struct mig_group *g, void *arg)
{
	struct mig_ctx *c = arg;
	long unlinked = g->records - g->linked - g->already;
	c->linked += g->linked;
	c->already += g->already;
	c->refused += g->refused;
	if (g->events.n == 0)
		c->none += g->records;
	else if (g->events.n > 1)
		c->many += g->records;
	struct buf training = {0};
	for (size_t i = 0; i < g->values.n; i++) {
		if (c->fmt == FMT_TABLE) {
			if (i)
				buf_puts(&training, " / ");
			buf_puts(&training, g->values.v[i][0] ? g->values.v[i] : "—");
		} else {	/* field=value|field=value, as a form's carry is written */
			buf_printf(&training, "%s%s=%s", i ? "|" : "", g->fields.v[i], g->values.v[i]);
		}
	}
	char *event;
	if (g->events.n == 1) {
		char shortid[9] = {0};
		memcpy(shortid, g->events.v[0], 8);
		const char *id = c->fmt == FMT_TABLE ? shortid : g->events.v[0];
		event = g->refused ? msgf(MSG_EVENT_MIG_REFUSED, id) : xstrdup(id);
	} else if (c->fmt != FMT_TABLE) {
		event = xstrdup("");
	} else {
		event = g->events.n ? msgf(MSG_EVENT_MIG_MANY, g->events.n)
				    : xstrdup(msg(MSG_EVENT_MIG_NONE));
	}
	char n[4][24];
	snprintf(n[0], sizeof n[0], "%ld", g->records);
	snprintf(n[1], sizeof n[1], "%ld", g->linked);
	snprintf(n[2], sizeof n[2], "%ld", g->already);
	snprintf(n[3], sizeof n[3], "%ld", unlinked);
	const char *row[] = {c->fmt == FMT_TABLE ? g->category->title : g->category->key,
			     training.s ? training.s : "", n[0], event, n[1], n[2], n[3]};
	table_row(&c->t, row);
	free(event);
	buf_free(&training);
	return 0;
}

static int ev_migrate_cmd(struct app *app, int argc, char **argv)
{
	const char *format = NULL;
	bool dry_run = false;
	struct opt opts[] = {{"--format", &format, NULL}, {"--dry-run", NULL, &dry_run}};
	struct mig_ctx c = {0};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE)
		rc = cli_table_format(format, &c.fmt);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc != EXIT_DONE)
		return rc;
	static const char *const keys[] = {"category", "training", "records", "event",
					   "linked", "already", "not_linked"};
	const char *heads[] = {msg(MSG_COL_CATEGORY), msg(MSG_EVENT_COL_TRAINING),
			       msg(MSG_EVENT_COL_RECORDS), msg(MSG_EVENT_COL_EVENT),
			       msg(MSG_EVENT_COL_LINKED), msg(MSG_EVENT_COL_ALREADY),
			       msg(MSG_EVENT_COL_UNLINKED)};
	table_init(&c.t, ARRAY_LEN(keys), keys, heads);
	table_numeric(&c.t, 2);
	table_numeric(&c.t, 4);
	table_numeric(&c.t, 5);
	table_numeric(&c.t, 6);
	char *cause = NULL;
	int src = ev_migrate(&app->reg, dry_run, mig_row, &c, &cause);
	if (src != SR_OK) {
		rc = cli_store_error(src, cause);
	} else {
		long unlinked = c.none + c.many + c.refused;
		if (c.fmt != FMT_TABLE || c.linked + c.already + unlinked)
			table_print(&c.t, c.fmt, stdout);
		FILE *out = c.fmt == FMT_TABLE ? stdout : stderr;
		if (c.linked + c.already + unlinked == 0)
			fprintf(out, "%s\n", msg(MSG_EVENT_MIG_NOTHING));
		else {
			char *sum = msgf(MSG_EVENT_MIG_SUMMARY, c.linked, c.already, unlinked, c.none,
					 c.many, c.refused);
			fprintf(out, "%s\n", sum);
			free(sum);
		}
		if (dry_run)
			fprintf(out, "%s\n", msg(MSG_EVENT_MIG_DRY));
	}
	table_free(&c.t);
	return rc;
}

int cmd_event(struct app *app, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(struct app *app, int argc, char **argv);
	} subs[] = {
		{"types", ev_types}, {"list", ev_list}, {"show", ev_show}, {"add", ev_add_cmd},
		{"edit", ev_edit_cmd}, {"review", ev_review}, {"attend", ev_attend_cmd},
		{"unattend", ev_unattend}, {"import", ev_import}, {"migrate", ev_migrate_cmd},
	};
	for (size_t i = 0; argc >= 2 && i < ARRAY_LEN(subs); i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(app, argc - 1, argv + 1);
	fputs(msg(MSG_USE_EVENT), stderr);
	return argc < 2 ? cli_usage(MSG_MISSING_ARGUMENT, "types|list|show|add|edit|review|attend|unattend|import|migrate")
			: cli_usage(MSG_BAD_SUBCOMMAND, argv[1]);
}
