/*
 * home.c - the home screen: the five teams against the plan's targets as
 * progress bars (a user of some townships sees their share of them, when
 * targets.ini splits them), the user's drafts, records returned to the
 * user, the review queue, the plan's ledger in one line, and the menu keys.
 */
#include <curses.h>
#include <stdlib.h>

#include "ledger.h"
#include "report.h"
#include "text.h"
#include "ui.h"

#define BAR_COLS 20

struct home {
	struct report rep;
	int drafts, returned, queue;
	char *ledger;			/* the ledger's line, NULL when it has no items */
	long conflicts;		/* sync conflicts waiting (reviewers) */
	struct strv returned_lines;	/* the records returned to me, with why */
	int top;			/* the first of their rows shown */
	char *error;
};

static long count_status(struct app *app, enum status st, const char *by)
{
	long records = 0;
	struct count_query q = {.status = (int)st, .created_by = by};
	store_count(app->st, &app->actor, &q, &records, NULL, NULL);
	return records;
}

struct returned_ctx {
	struct app *app;
	struct strv *lines;
};

static int returned_line(const struct record *r, void *arg)
{
	struct returned_ctx *c = arg;
	const struct form *f = formset_find(&c->app->cfg->forms, r->category);
	char *line = xasprintf("%s  %s  %.8s  %s", r->name, f ? f->title : r->category, r->uuid,
			       r->comment ? r->comment : "");
	strv_take(c->lines, text_sanitize(line));
	free(line);
	return c->lines->n >= 5;
}

static void load(struct app *app, struct home *h)
{
	report_free(&h->rep);
	free(h->error);
	h->error = NULL;
	if (report_build(app->st, &app->actor, app->cfg, REP_TOTAL | REP_TEAMS, &h->rep,
			 &h->error) != SR_OK)
		report_free(&h->rep);
	struct strv forms = {0}, times = {0};
	store_draft_list(app->st, app->me->login, &forms, &times, NULL);
	h->drafts = (int)forms.n;
	strv_free(&forms);
	strv_free(&times);
	h->returned = (int)count_status(app, ST_RETURNED, app->me->login);
	strv_free(&h->returned_lines);
	if (h->returned) {
		struct list_query q = {.status = ST_RETURNED, .limit = 5,
				       .created_by = app->me->login};
		struct returned_ctx c = {app, &h->returned_lines};
		store_list(app->st, &app->actor, &q, returned_line, &c, NULL);
	}
	h->queue = (int)count_status(app, ST_SUBMITTED, NULL);
	/* the ledger in one line: its items' states, from their notes and the
	 * targets they follow */
	free(h->ledger);
	h->ledger = NULL;
	struct report tr;
	struct ledger l = {0};
	if (app->cfg->nitems &&
	    report_build(app->st, &app->actor, app->cfg, REP_TOTAL | REP_TEAMS | REP_TARGETS, &tr,
			 NULL) == SR_OK &&
	    ledger_build(app->st, app->cfg, &tr, &app->today, &l, NULL) == SR_OK) {
		int n[4] = {0}, overdue = 0;
		for (size_t i = 0; i < l.n; i++) {
			n[l.v[i].state]++;
			overdue += l.v[i].overdue;
		}
		h->ledger = msgf(MSG_UI_HOME_LEDGER, overdue, n[IT_DONE], n[IT_CLOSED]);
	}
	ledger_free(&l);
	report_free(&tr);
	h->conflicts = conflicts_open(app);
}

static void draw_bar(int y, int x, const struct report_line *l)
{
	int filled = 0;
	if (l->target > 0)
		filled = (int)(l->approved * BAR_COLS / l->target);
	if (filled > BAR_COLS)
		filled = BAR_COLS;
	attron(ui_attr(C_BAR));
	for (int i = 0; i < filled; i++)
		mvaddch(y, x + i, ' ');
	attroff(ui_attr(C_BAR));
	for (int i = filled; i < BAR_COLS; i++)
		mvaddch(y, x + i, l->target > 0 ? '.' : ' ');
}

static unsigned home_when(const struct app *app);

static void draw(struct app *app, struct home *h)
{
	erase();
	const char *role = msg(app->me->role == ROLE_ADMIN ? MSG_ROLE_ADMIN
			       : app->me->role == ROLE_SUPERVISOR ? MSG_ROLE_SUPERVISOR
								  : MSG_ROLE_OFFICER);
	char *who = msgf(MSG_UI_USER, app->me->login, role);
	char *title = xasprintf("%s  %s", msg(MSG_UI_APP_TITLE), app->cfg->site_name);
	ui_title(title, who);
	free(title);
	free(who);
	bool split = false;
	for (size_t i = 0; i < h->rep.n; i++)
		split |= h->rep.v[i].split;
	ui_text(2, 2, msg(split ? MSG_UI_HOME_TEAMS_SPLIT : MSG_UI_HOME_TEAMS), ui_cols() - 4, A_BOLD,
		false);
	int y = 4;
	for (size_t i = 0; i < h->rep.n; i++) {
		const struct report_line *l = &h->rep.v[i];
		ui_text(y, 2, l->label, 26, 0, true);
		draw_bar(y, 28, l);
		char *nums = l->target > 0 ? xasprintf("%5ld / %-5d %3d%%", l->approved, l->target,
							report_percent(l))
					   : xasprintf("%5ld", l->approved);
		ui_text(y, 49, nums, 18, 0, false);
		free(nums);
		char *pending = msgf(MSG_UI_HOME_PENDING, l->submitted);
		ui_text(y, 68, pending, ui_cols() - 69, ui_attr(C_DIM), false);
		free(pending);
		y += l == h->rep.v ? 2 : 1;	/* the total stands apart */
	}
	if (h->error)
		ui_status(h->error, C_ERROR);
	char *counts = msgf(MSG_UI_HOME_COUNTS, h->drafts, h->returned, h->queue);
	int w = ui_text(y + 1, 2, counts, ui_cols() - 4, A_BOLD, false);
	free(counts);
	if (h->ledger)	/* on the same row: the returned records need the rows below */
		ui_text(y + 1, 2 + w + 3, h->ledger, ui_cols() - 7 - w, 0, false);
	if (h->conflicts > 0) {	/* under the counts: a reviewer's to decide */
		char *c = msgf(MSG_UI_HOME_CONFLICTS, h->conflicts);
		ui_text(y + 2, 2, c, ui_cols() - 4, ui_attr(C_WARN) | A_BOLD, false);
		free(c);
	}
	if (h->returned_lines.n) {
		/* each returned record with the whole of why, wrapped; PgDn
		 * scrolls when they do not all fit */
		ui_text(y + 3, 2, msg(MSG_UI_HOME_RETURNED), ui_cols() - 4, ui_attr(C_WARN), false);
		struct strv rows = {0};
		for (size_t i = 0; i < h->returned_lines.n; i++)
			text_wrap(h->returned_lines.v[i], (size_t)(ui_cols() - 6), 4, &rows);
		for (size_t i = 0; i < rows.n; i++) {	/* under the heading's indent */
			char *r = xasprintf("  %s", rows.v[i]);
			free(rows.v[i]);
			rows.v[i] = r;
		}
		ui_lines(&rows, &h->top, y + 4, ui_rows() - 2 - (y + 4));
		strv_free(&rows);
	}
	const struct ui_keymap *maps[] = {&keys_home};
	char *foot = ui_footer(maps, 1, home_when(app));
	ui_keys(foot);
	free(foot);
	curs_set(0);
	refresh();
}

/* Picks a category, grouped by team; returns its form or NULL. */
static const struct form *pick_category(struct app *app)
{
	const struct config *c = app->cfg;
	struct pick_item *items = xcalloc(c->nteams + c->forms.n, sizeof *items);
	const struct form **forms = xcalloc(c->nteams + c->forms.n, sizeof *forms);
	int n = 0;
	for (size_t t = 0; t < c->nteams; t++) {
		items[n++] = (struct pick_item){NULL, c->teams[t].label};
		for (size_t i = 0; i < c->forms.n; i++) {
			const struct form *f = c->forms.v[i];
			if (!f->abstract && str_eq(f->team, c->teams[t].key)) {
				forms[n] = f;
				items[n++] = (struct pick_item){f->key, f->title};
			}
		}
	}
	int got = ui_pick(msg(MSG_UI_PICK_CATEGORY), items, n, false, NULL, -1);
	const struct form *f = got >= 0 ? forms[got] : NULL;
	free(items);
	free(forms);
	return f;
}

/* The conditions of this user's keys (UW_*). */
static unsigned home_when(const struct app *app)
{
	return app->me->role == ROLE_OFFICER ? 0 : UW_REVIEWER;
}

int home_run(struct app *app)
{
	struct home h = {0};
	load(app, &h);
	for (;;) {
		draw(app, &h);
		struct key k = ui_key();
		const struct form *f;
		switch (ui_action(&keys_home, k, home_when(app))) {
		case UA_QUIT:
			report_free(&h.rep);
			strv_free(&h.returned_lines);
			free(h.error);
			free(h.ledger);
			return EXIT_DONE;
		case UA_NEW:
			if ((f = pick_category(app)) != NULL)
				form_new(app, f);
			break;
		case UA_BROWSE:
			browse_run(app);
			break;
		case UA_DRAFTS:
			drafts_run(app);
			break;
		case UA_REVIEW:
			review_run(app);
			break;
		case UA_LEDGER:
			ledger_run(app);
			break;
		case UA_TARGETS:
			targets_run(app);
			break;
		case UA_EVENTS:
			events_run(app);
			break;
		case UA_CONFLICTS:
			conflicts_run(app);
			break;
		case UA_HELP:
			ui_help_keys();
			break;
		case UA_PGDN:
		case UA_PGUP:	/* the returned records' rows */
			h.top += ui_action(&keys_home, k, 0) == UA_PGDN ? 5 : -5;
			continue;
		default:
			continue;
		}
		load(app, &h);
	}
}

int ui_main(struct app *app)
{
	int rc = app_open(app, false);
	if (rc == EXIT_DONE && (rc = ui_start(app)) == EXIT_DONE) {
		rc = home_run(app);
		ui_stop();
	}
	return rc;
}
