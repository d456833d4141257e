/*
 * cmd_plan.c - the plan's ledger and tags on the command line:
 *   task list|show|progress|close|reopen   the ledger (工作台账) of
 *       tasks.ini's items: their state, progress and deadline; progress
 *       notes (anyone), and closing (销号) or reopening an item with a
 *       comment (supervisors over every township, admins);
 *   tag add|remove|list   tags supervisors set on people (青年创业典型),
 *       which targets count.
 * Every change is one store call that checks auth_check() and writes the
 * audit row; the ledger screen (ui/ledger.c) makes the same calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ledger.h"
#include "present.h"
#include "report.h"
#include "store_plan.h"
#include "table.h"

/* ---- the ledger as it stands ----------------------------------------------- */

/* Builds the report (its total, team and target lines) and the ledger now. */
static int build(struct app *app, struct report *r, struct ledger *l)
{
	char *cause = NULL;
	int src = report_build(app->st, &app->actor, app->cfg, REP_TOTAL | REP_TEAMS | REP_TARGETS,
			       r, &cause);
	if (src == SR_OK)
		src = ledger_build(app->st, app->cfg, r, &app->today, l, &cause);
	return src == SR_OK ? EXIT_DONE : cli_store_error(src, cause);
}

/* Opens the store and builds the report and the ledger from it. */
static int open_ledger(struct app *app, struct report *r, struct ledger *l)
{
	int rc = app_open(app, false);
	return rc == EXIT_DONE ? build(app, r, l) : rc;
}

/* The item id names, or NULL with the error printed. */
static const struct item *find_item(struct app *app, const char *id)
{
	const struct item *it = config_item(app->cfg, id);
	if (it == NULL)
		cli_err(MSG_TASK_UNKNOWN_ITEM, id);
	return it;
}

static char *state_text(const struct ledger_item *it)
{
	return it->overdue ? xasprintf("%s（%s）", item_state_label(it->state), msg(MSG_ITEM_OVERDUE))
			   : xstrdup(item_state_label(it->state));
}

static int task_list(struct app *app, int argc, char **argv)
{
	const char *format = NULL, *state = NULL;
	bool overdue = false;
	enum out_format fmt;
	struct opt opts[] = {{"--format", &format, NULL}, {"--state", &state, NULL},
			     {"--overdue", NULL, &overdue}};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE)
		rc = cli_table_format(format, &fmt);
	static const char *const states[] = {"not_started", "in_progress", "done", "closed"};
	int want = -1;
	if (rc == EXIT_DONE && state && (want = cli_format_find(state, states, 4)) < 0) {
		cli_err(MSG_BAD_OPTION_VALUE, "--state", state);
		rc = EXIT_USAGE;
	}
	struct report r = {0};
	struct ledger l = {0};
	if (rc == EXIT_DONE)
		rc = open_ledger(app, &r, &l);
	if (rc == EXIT_DONE) {
		static const char *const keys[] = {"id", "state", "overdue", "progress", "deadline",
						   "unit", "text"};
		const char *heads[] = {msg(MSG_COL_ITEM), msg(MSG_COL_STATUS), msg(MSG_ITEM_OVERDUE),
				       msg(MSG_COL_LEDGER_PROGRESS), msg(MSG_COL_DEADLINE), msg(MSG_COL_UNIT),
				       msg(MSG_COL_DEMAND)};
		struct table t;
		table_init(&t, ARRAY_LEN(keys), keys, heads);
		int shown = 0;
		for (size_t i = 0; i < l.n; i++) {
			const struct ledger_item *it = &l.v[i];
			if ((want >= 0 && (int)it->state != want) || (overdue && !it->overdue))
				continue;
			char *prog = ledger_progress_text(it);
			const char *row[] = {it->item->id,
					     fmt == FMT_TABLE ? item_state_label(it->state)
							      : item_state_name(it->state),
					     it->overdue ? (fmt == FMT_TABLE ? msg(MSG_ITEM_OVERDUE) : "yes") : "",
					     prog, it->item->deadline, it->item->unit, it->item->text};
			table_row(&t, row);
			free(prog);
			shown++;
		}
		table_print(&t, fmt, stdout);
		table_free(&t);
		if (fmt == FMT_TABLE)
			cli_out(MSG_TASK_COUNT, shown);
	}
	ledger_free(&l);
	report_free(&r);
	return rc;
}

struct show_ctx {
	struct table t;
};

static int show_entry(const struct task_entry *e, void *arg)
{
	struct show_ctx *c = arg;
	enum msg_id kind = str_eq(e->kind, "close") ? MSG_TASK_KIND_CLOSE
			   : str_eq(e->kind, "reopen") ? MSG_TASK_KIND_REOPEN
						       : MSG_TASK_KIND_PROGRESS;
	char amount[32] = "";
	if (e->has_amount)
		snprintf(amount, sizeof amount, "%g", e->amount);
	char *who = e->as_user ? msgf(MSG_HISTORY_AS, e->login, e->as_user) : xstrdup(e->login);
	char *note = e->done ? xasprintf("%s（%s）", e->note, msg(MSG_TASK_MARKED_DONE))
			     : xstrdup(e->note);
	char *when = time_local(e->at);
	const char *row[] = {e->on_date, msg(kind), amount, e->township, note, e->evidence, who, when};
	table_row(&c->t, row);
	free(who);
	free(note);
	free(when);
	return 0;
}

static int task_show(struct app *app, int argc, char **argv)
{
	const char *format = NULL, **pos;
	int npos;
	enum out_format fmt;
	struct opt opts[] = {{"--format", &format, NULL}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	if (rc == EXIT_DONE && npos != 1)
		rc = npos ? cli_usage(MSG_EXTRA_ARGUMENT, pos[1]) : cli_usage(MSG_MISSING_ARGUMENT, "ITEM");
	const char *id = npos ? pos[0] : NULL;
	free(pos);
	if (rc == EXIT_DONE)
		rc = cli_table_format(format, &fmt);
	const struct item *item = rc == EXIT_DONE ? find_item(app, id) : NULL;
	if (rc == EXIT_DONE && item == NULL)
		rc = EXIT_USAGE;
	struct report r = {0};
	struct ledger l = {0};
	if (rc == EXIT_DONE)
		rc = open_ledger(app, &r, &l);
	if (rc != EXIT_DONE) {
		ledger_free(&l);
		report_free(&r);
		return rc;
	}
	const struct ledger_item *it = ledger_find(&l, item->id);
	const struct task *task = config_task(app->cfg, item->task);
	static const char *const keys[] = {"on_date", "kind", "amount", "township", "note",
					   "evidence", "by", "recorded"};
	const char *heads[] = {msg(MSG_COL_DATE), msg(MSG_COL_ACTION), msg(MSG_COL_AMOUNT),
			       msg(MSG_COL_TOWNSHIP), msg(MSG_COL_NOTE), msg(MSG_COL_EVIDENCE),
			       msg(MSG_COL_WHO), msg(MSG_COL_WHEN)};
	struct show_ctx c;
	table_init(&c.t, ARRAY_LEN(keys), keys, heads);
	char *cause = NULL;
	int src = store_task_log(app->st, item->id, show_entry, &c, &cause);
	if (src != SR_OK)
		rc = cli_store_error(src, cause);
	else if (fmt == FMT_TABLE) {
		char *prog = ledger_progress_text(it), *state = state_text(it);
		cli_out(MSG_TASK_SHOW_HEAD, item->id, task ? task->title : "", item->text);
		cli_out(MSG_LEDGER_WHO, item->unit ? item->unit : "", item->owner ? item->owner : "",
			item->deadline ? item->deadline : "");
		cli_out(MSG_LEDGER_STATE, state, prog);
		if (item->counts)
			cli_out(MSG_TASK_COUNTS, item->counts);
		if (it->closed_on)
			cli_out(MSG_LEDGER_CLOSED, it->closed_on, it->closed_by, it->close_note);
		putchar('\n');
		if (c.t.cells.n)
			table_print(&c.t, FMT_TABLE, stdout);
		else
			cli_out(MSG_TASK_NO_NOTES);
		free(prog);
		free(state);
	} else {
		table_print(&c.t, fmt, stdout);
	}
	table_free(&c.t);
	ledger_free(&l);
	report_free(&r);
	return rc;
}

/* Reads an ISO date (any accepted form) no later than today into *out (a
 * new string); today when given is NULL. */
static int read_date(const char *given, char **out)
{
	struct date now;
	today(&now.y, &now.m, &now.d);	/* app_open has not run yet */
	*out = NULL;
	if (given == NULL) {
		*out = xasprintf("%04d-%02d-%02d", now.y, now.m, now.d);
		return EXIT_DONE;
	}
	enum msg_id why;
	struct date d;
	if (check_date(given, out, &why) < 0 || date_parse_iso(*out, &d) < 0 ||
	    date_cmp(&d, &now) > 0) {
		cli_err(MSG_BAD_OPTION_VALUE, "--date", given);
		free(*out);
		*out = NULL;
		return EXIT_USAGE;
	}
	return EXIT_DONE;
}

static int task_progress(struct app *app, int argc, char **argv)
{
	const char *note = NULL, *amount = NULL, *date = NULL, *evidence = NULL, *town = NULL, **pos;
	bool done = false;
	int npos;
	struct opt opts[] = {{"--note", &note, NULL}, {"--amount", &amount, NULL},
			     {"--date", &date, NULL}, {"--evidence", &evidence, NULL},
			     {"--township", &town, NULL}, {"--done", NULL, &done}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	if (rc == EXIT_DONE && npos != 1)
		rc = npos ? cli_usage(MSG_EXTRA_ARGUMENT, pos[1]) : cli_usage(MSG_MISSING_ARGUMENT, "ITEM");
	const char *id = npos ? pos[0] : NULL;
	free(pos);
	const struct item *item = rc == EXIT_DONE ? find_item(app, id) : NULL;
	if (rc == EXIT_DONE && item == NULL)
		rc = EXIT_USAGE;
	char *text = NULL, *ev = NULL, *on = NULL;
	struct task_entry e = {0};
	if (rc == EXIT_DONE)
		rc = cli_comment(note, true, MSG_TASK_NEEDS_NOTE, &text);
	if (rc == EXIT_DONE)
		rc = cli_comment(evidence, false, MSG_ERROR, &ev);
	if (rc == EXIT_DONE)
		rc = read_date(date, &on);
	if (rc == EXIT_DONE && amount) {
		if (item->counts) {
			cli_err(MSG_TASK_AMOUNT_COUNTED, item->id, item->counts);
			rc = EXIT_USAGE;
		} else if (str_to_double(amount, &e.amount) < 0 || e.amount < -1e6 || e.amount > 1e6) {
			cli_err(MSG_BAD_OPTION_VALUE, "--amount", amount);
			rc = EXIT_USAGE;
		}
		e.has_amount = true;
	}
	if (rc == EXIT_DONE && town && !config_township(app->cfg, town))
		rc = cli_usage(MSG_CONFIG_UNKNOWN_TOWNSHIP, town);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE && town && !auth_in_scope(app->me, town)) {
		cli_err(MSG_DENIED, msg(MSG_DENIED_SCOPE));
		rc = EXIT_DENIED;
	}
	if (rc == EXIT_DONE) {
		e.item = item->id;
		e.on_date = on;
		e.done = done;
		e.township = town;
		e.note = text;
		e.evidence = ev;
		char *cause = NULL;
		int src = store_task_add(app->st, &app->actor, &e, &cause);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
	}
	if (rc == EXIT_DONE) {
		struct report r = {0};
		struct ledger l = {0};
		rc = build(app, &r, &l);
		const struct ledger_item *it = rc == EXIT_DONE ? ledger_find(&l, item->id) : NULL;
		if (it) {
			char *prog = ledger_progress_text(it), *state = state_text(it);
			cli_out(MSG_TASK_NOTED, item->id, state, prog);
			free(prog);
			free(state);
		}
		ledger_free(&l);
		report_free(&r);
	}
	free(text);
	free(ev);
	free(on);
	return rc;
}

/* task close and task reopen. */
/* task close and task reopen: the subcommand's name (argv[0]) says which. */
static int task_decide(struct app *app, int argc, char **argv)
{
	bool close = str_eq(argv[0], "close");
	const char *comment = NULL, *date = NULL, **pos;
	int npos;
	struct opt opts[] = {{"--comment", &comment, NULL}, {"--date", &date, NULL}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	if (rc == EXIT_DONE && npos != 1)
		rc = npos ? cli_usage(MSG_EXTRA_ARGUMENT, pos[1]) : cli_usage(MSG_MISSING_ARGUMENT, "ITEM");
	const char *id = npos ? pos[0] : NULL;
	free(pos);
	const struct item *item = rc == EXIT_DONE ? find_item(app, id) : NULL;
	if (rc == EXIT_DONE && item == NULL)
		rc = EXIT_USAGE;
	char *text = NULL, *on = NULL;
	if (rc == EXIT_DONE)
		rc = cli_comment(comment, true, close ? MSG_TASK_CLOSE_NEEDS_COMMENT
						      : MSG_TASK_REOPEN_NEEDS_COMMENT, &text);
	if (rc == EXIT_DONE)
		rc = read_date(date, &on);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE) {
		struct task_entry e = {.item = item->id, .kind = close ? "close" : "reopen",
				       .on_date = on, .note = text};
		char *cause = NULL;
		int src = store_task_add(app->st, &app->actor, &e, &cause);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
		else
			cli_out(close ? MSG_TASK_CLOSED : MSG_TASK_REOPENED, item->id, item->text);
	}
	free(text);
	free(on);
	return rc;
}

/* ---- tags -------------------------------------------------------------------- */

/* The tag s names (key or label), or NULL with the error printed. */
static const struct tagdef *find_tag(struct app *app, const char *s)
{
	const struct tagdef *t = config_tag(app->cfg, s);
	if (t == NULL)
		cli_err(MSG_TAG_UNKNOWN, s);
	return t;
}

/* tag add and tag remove: the subcommand's name (argv[0]) says which. */
static int tag_change(struct app *app, int argc, char **argv)
{
	bool set = str_eq(argv[0], "add");
	const char *note = NULL, **pos;
	int npos;
	struct opt opts[] = {{set ? "--note" : "--comment", &note, NULL}};
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	if (rc == EXIT_DONE && npos != 2)
		rc = npos > 2 ? cli_usage(MSG_EXTRA_ARGUMENT, pos[2])
			      : cli_usage(MSG_MISSING_ARGUMENT, npos ? "TAG" : "UUID TAG");
	const char *id = npos > 0 ? pos[0] : NULL, *name = npos > 1 ? pos[1] : NULL;
	free(pos);
	const struct tagdef *tag = rc == EXIT_DONE ? find_tag(app, name) : NULL;
	if (rc == EXIT_DONE && tag == NULL)
		rc = EXIT_USAGE;
	char *text = NULL;
	if (rc == EXIT_DONE)
		rc = cli_comment(note, !set, MSG_TAG_REMOVE_NEEDS_COMMENT, &text);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE) {
		char *cause = NULL;
		int src = set ? store_tag_set(app->st, &app->actor, id, tag->key, text, &cause)
			      : store_tag_remove(app->st, &app->actor, id, tag->key, text, &cause);
		if (src != SR_OK) {
			rc = cli_store_error(src, cause);
		} else {
			struct record *r = NULL;
			store_get(app->st, &app->actor, id, &r, NULL);
			cli_out(set ? MSG_TAG_SET : MSG_TAG_REMOVED, r ? r->name : id, tag->label);
			if (r)
				record_free(r);
			free(r);
		}
	}
	free(text);
	return rc;
}

static int tag_row(const struct tag_row *tr, void *arg)
{
	struct cli_list *c = arg;
	const struct tagdef *td = config_tag(c->app->cfg, tr->tag);
	const struct form *f = formset_find(&c->app->cfg->forms, tr->category);
	char *id = shown_value(f, "id_number", tr->person_key, true);
	char *when = time_local(tr->set_at);
	char *removed = tr->removed_at ? time_local(tr->removed_at) : NULL;
	char uuid[9];
	snprintf(uuid, sizeof uuid, "%.8s", tr->uuid);
	const char *row[] = {td ? td->label : tr->tag, tr->name, id, f ? f->title : tr->category,
			     tr->township, c->fmt == FMT_TABLE ? uuid : tr->uuid, tr->set_by, when,
			     tr->note, removed};
	table_row(&c->t, row);
	free(id);
	free(when);
	free(removed);
	return 0;
}

static int tag_list(struct app *app, int argc, char **argv)
{
	const char *format = NULL, *name = NULL;
	bool all = false;
	struct opt opts[] = {{"--format", &format, NULL}, {"--tag", &name, NULL},
			     {"--all", NULL, &all}};
	struct cli_list c = {.app = app};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE)
		rc = cli_table_format(format, &c.fmt);
	const struct tagdef *tag = NULL;
	if (rc == EXIT_DONE && name && (tag = find_tag(app, name)) == NULL)
		rc = EXIT_USAGE;
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc != EXIT_DONE)
		return rc;
	static const char *const keys[] = {"tag", "name", "id_number", "category", "township",
					   "uuid", "set_by", "set_at", "note", "removed_at"};
	const char *heads[] = {msg(MSG_COL_TAG), msg(MSG_COL_NAME), msg(MSG_COL_ID),
			       msg(MSG_COL_CATEGORY), msg(MSG_COL_TOWNSHIP), msg(MSG_COL_UUID),
			       msg(MSG_COL_WHO), msg(MSG_COL_WHEN), msg(MSG_COL_NOTE),
			       msg(MSG_COL_REMOVED)};
	table_init(&c.t, all ? 10 : 9, keys, heads);
	char *cause = NULL;
	int src = store_tag_list(app->st, &app->actor, tag ? tag->key : NULL, all, tag_row, &c,
				 &cause);
	if (src != SR_OK)
		rc = cli_store_error(src, cause);
	else {
		table_print(&c.t, c.fmt, stdout);
		if (c.fmt == FMT_TABLE)
			cli_out(MSG_LIST_COUNT, (int)(c.t.cells.n / c.t.ncols));
	}
	table_free(&c.t);
	return rc;
}

/* ---- the families ----------------------------------------------------------- */

struct sub {
	const char *name;
	int (*run)(struct app *app, int argc, char **argv);
};

static int dispatch(struct app *app, int argc, char **argv, const struct sub *subs, size_t n,
		    enum msg_id usage, const char *names)
{
	for (size_t i = 0; argc >= 2 && i < n; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(app, argc - 1, argv + 1);
	fputs(msg(usage), stderr);
	return argc < 2 ? cli_usage(MSG_MISSING_ARGUMENT, names)
			: cli_usage(MSG_BAD_SUBCOMMAND, argv[1]);
}

int cmd_task(struct app *app, int argc, char **argv)
{
	static const struct sub subs[] = {
		{"list", task_list}, {"show", task_show}, {"progress", task_progress},
		{"close", task_decide}, {"reopen", task_decide},
	};
	return dispatch(app, argc, argv, subs, ARRAY_LEN(subs), MSG_USE_TASK,
			"list|show|progress|close|reopen");
}

int cmd_tag(struct app *app, int argc, char **argv)
{
	static const struct sub subs[] = {
		{"add", tag_change}, {"remove", tag_change}, {"list", tag_list},
	};
	return dispatch(app, argc, argv, subs, ARRAY_LEN(subs), MSG_USE_TAG, "add|remove|list");
}
