/*
 * home.c - the home screen: the five teams against the plan's targets as
 * progress bars, each with the plan's specific targets under it (those
 * targets.ini marks home = yes: 电商人才, 直播带货, 高素质农民, 种养大户,
 * 科技特派员), the user's drafts, the records returned to the user (↑↓ choose
 * one, Enter opens it to be corrected), the review queue, the plan's ledger
 * and the sync conflicts in one line each, and the menu keys. A user of some
 * townships sees their figures, set against their share of a target where
 * targets.ini splits it for them ([township.ID]); otherwise without a bar,
 * for the plan's targets are the district's, and the screen says so.
 */
#include <curses.h>
#include <stdlib.h>

#include "ledger.h"
#include "report.h"
#include "text.h"
#include "ui.h"

#define BAR_COLS 20
#define RETURNED_MAX 50	/* returned records listed (the count says how many in all) */

struct home {
	struct report rep;
	int drafts, returned, queue;
	char *ledger;			/* the ledger's line, NULL when it has no items */
	long conflicts;			/* sync conflicts waiting (reviewers) */
	struct strv returned_lines;	/* the records returned to me, with why */
	struct strv returned_uuids;	/* and their uuids, line for line */
	int sel;			/* the returned record chosen */
	int top;			/* the first of their rows shown */
	bool follow;			/* bring the chosen one into view */
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
	struct home *h;
};

static int returned_line(const struct record *r, void *arg)
{
	struct returned_ctx *c = arg;
	const struct form *f = formset_find(&c->app->cfg->forms, r->category);
	char *line = xasprintf("%s  %s  %.8s  %s", r->name, f ? f->title : r->category, r->uuid,
			       r->comment ? r->comment : "");
	strv_take(&c->h->returned_lines, text_sanitize(line));
	strv_add(&c->h->returned_uuids, r->uuid);
	free(line);
	return c->h->returned_lines.n >= RETURNED_MAX;
}

/* True when the user's figures are those of some townships, not the
 * district's the plan's targets are set for. */
static bool scoped(const struct app *app)
{
	return app->me->role != ROLE_ADMIN && app->me->townships.n > 0;
}

/* True when targets.ini splits some target for each of a scoped user's
 * townships (its figures are then set against their shares). */
static bool shares_known(const struct app *app, const struct report *rep)
{
	for (size_t i = 0; scoped(app) && i < rep->n; i++)
		if (rep->v[i].split)
			return true;
	return false;
}

/* The target line l is set against: the plan's, for the district's
 * figures; the user's townships' share (the report's split), for a user of
 * some townships; otherwise none (0). */
static int line_target(const struct app *app, const struct report_line *l)
{
	return !scoped(app) || l->split ? l->target : 0;
}

/* The team target t counts people of: the team of its categories (of the
 * categories its event types register, for a target of events), when they
 * are all of one team; NULL otherwise. */
static const char *target_team(const struct config *c, const struct target *t)
{
	struct strv cats = {0};
	if (TK_IS_EVENTS(t->kind)) {
		for (size_t i = 0; i < t->events.n; i++) {
			const struct form *e = config_event_type(c, t->events.v[i]);
			if (e && e->category)
				strv_add(&cats, e->category);
		}
	} else {
		for (size_t i = 0; i < t->categories.n; i++)
			strv_add(&cats, t->categories.v[i]);
	}
	const char *team = NULL;
	for (size_t i = 0; i < cats.n; i++) {
		const struct form *f = formset_find(&c->forms, cats.v[i]);
		if (f == NULL || (team && !str_eq(team, f->team))) {
			team = NULL;
			break;
		}
		team = f->team;
	}
	strv_free(&cats);
	return team;
}

/* Orders the report's lines for the screen: the total, then each team
 * followed by the specific targets of its people that targets.ini puts on
 * home (home = yes), then any such target of no one team. Returns the
 * lines' indexes (new), *n of them. */
static size_t *line_order(const struct app *app, const struct report *rep, size_t *n)
{
	const struct config *c = app->cfg;
	size_t *order = xcalloc(rep->n ? rep->n : 1, sizeof *order);
	const char **team = xcalloc(rep->n ? rep->n : 1, sizeof *team);
	bool *placed = xcalloc(rep->n ? rep->n : 1, sizeof *placed);
	*n = 0;
	for (size_t j = 0; j < rep->n; j++) {	/* which targets, under which team */
		const struct target *t = str_eq(rep->v[j].section, "target")
						 ? config_target(c, rep->v[j].key) : NULL;
		if (t && !t->home)
			placed[j] = true;	/* not on home: under t */
		else if (t)
			team[j] = target_team(c, t);
	}
	for (size_t i = 0; i < rep->n; i++) {
		if (str_eq(rep->v[i].section, "target"))
			continue;
		order[(*n)++] = i;
		placed[i] = true;
		for (size_t j = 0; str_eq(rep->v[i].section, "team") && j < rep->n; j++)
			if (!placed[j] && team[j] && str_eq(team[j], rep->v[i].key)) {
				order[(*n)++] = j;
				placed[j] = true;
			}
	}
	for (size_t j = 0; j < rep->n; j++)
		if (!placed[j])
			order[(*n)++] = j;
	free(placed);
	free(team);
	return order;
}

static void load(struct app *app, struct home *h)
{
	report_free(&h->rep);
	free(h->error);
	h->error = NULL;
	if (report_build(app->st, &app->actor, app->cfg, REP_TOTAL | REP_TEAMS | REP_TARGETS,
			 &h->rep, &h->error) != SR_OK)
		report_free(&h->rep);
	struct strv forms = {0}, times = {0};
	store_draft_list(app->st, app->me->login, &forms, &times, NULL);
	h->drafts = (int)forms.n;
	strv_free(&forms);
	strv_free(&times);
	h->returned = (int)count_status(app, ST_RETURNED, app->me->login);
	strv_free(&h->returned_lines);
	strv_free(&h->returned_uuids);
	if (h->returned) {
		struct list_query q = {.status = ST_RETURNED, .limit = RETURNED_MAX,
				       .created_by = app->me->login};
		struct returned_ctx c = {app, h};
		store_list(app->st, &app->actor, &q, returned_line, &c, NULL);
	}
	if (h->sel >= (int)h->returned_lines.n)
		h->sel = h->returned_lines.n ? (int)h->returned_lines.n - 1 : 0;
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

static void draw_bar(int y, int x, long approved, int target)
{
	int filled = (int)(approved * BAR_COLS / target);
	if (filled > BAR_COLS)
		filled = BAR_COLS;
	attron(ui_attr(C_BAR));
	for (int i = 0; i < filled; i++)
		mvaddch(y, x + i, ' ');
	attroff(ui_attr(C_BAR));
	for (int i = filled; i < BAR_COLS; i++)
		mvaddch(y, x + i, '.');
}

/* One line of the figures at row y: a bar against its target (line_target)
 * when it has one; otherwise the number alone, and for a team the plan
 * sets no total for, a pointer to the specific targets under it. */
static void draw_line(const struct app *app, int y, const struct report_line *l)
{
	bool specific = str_eq(l->section, "target");
	char *label = specific ? xasprintf("  %s", l->label) : xstrdup(l->label);
	ui_text(y, 2, label, 26, specific ? 0 : A_BOLD, true);
	free(label);
	int target = line_target(app, l);
	if (target > 0)
		draw_bar(y, 28, l->approved, target);
	else if (l->target == 0 && str_eq(l->section, "team"))
		ui_text(y, 28, msg(MSG_UI_HOME_NO_TEAM_TARGET), BAR_COLS, ui_attr(C_DIM), false);
	char *nums = target > 0 ? xasprintf("%5ld / %-5d %3d%%", l->approved, target,
					    (int)(l->approved * 100 / target))
				: xasprintf("%5ld", l->approved);
	ui_text(y, 49, nums, 18, 0, false);
	free(nums);
	char *pending = msgf(MSG_UI_HOME_PENDING, l->submitted);
	ui_text(y, 68, pending, ui_cols() - 69, ui_attr(C_DIM), false);
	free(pending);
}

/* The returned records, from row y in rows rows: each with the whole of
 * why it was returned (wrapped), the chosen one highlighted and kept in
 * view; the last row says what lies below or above. */
static void draw_returned(struct home *h, int y, int rows)
{
	struct strv lines = {0};
	int *owner = NULL, first = -1, last = -1;
	for (size_t i = 0; i < h->returned_lines.n; i++) {
		size_t from = lines.n;
		text_wrap(h->returned_lines.v[i], (size_t)(ui_cols() - 6), 4, &lines);
		owner = xrealloc(owner, (lines.n + 1) * sizeof *owner);
		for (size_t r = from; r < lines.n; r++)
			owner[r] = (int)i;
		if ((int)i == h->sel)
			first = (int)from, last = (int)lines.n - 1;
	}
	int n = (int)lines.n, shown = n > rows ? rows - 1 : rows;	/* a row for the hint */
	if (h->follow && first >= 0 && first < h->top)
		h->top = first;
	if (h->follow && last >= h->top + shown)	/* its first row, at least */
		h->top = last - shown + 1 > first ? first : last - shown + 1;
	h->follow = false;
	if (h->top > n - shown)
		h->top = n - shown;
	if (h->top < 0)
		h->top = 0;
	for (int r = h->top; r < n && r - h->top < shown; r++) {
		bool here = owner[r] == h->sel;
		char *row = xasprintf("%s%s", here && r == first ? "> " : "  ", lines.v[r]);
		ui_text(y + r - h->top, 2, row, ui_cols() - 4, here ? ui_attr(C_SELECTED) : 0,
			here);
		free(row);
	}
	if (shown < rows) {
		int below = n - h->top - shown;
		char *hint = below > 0 ? msgf(MSG_UI_MORE_BELOW, below) : msgf(MSG_UI_MORE_ABOVE, h->top);
		ui_text(y + shown, 2, hint, ui_cols() - 4, ui_attr(C_DIM), false);
		free(hint);
	}
	strv_free(&lines);
	free(owner);
}

static unsigned home_when(const struct app *app, const struct home *h);

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
	if (scoped(app)) {	/* its townships' figures, not against the district's targets */
		struct buf towns = {0};
		for (size_t i = 0; i < app->me->townships.n; i++)
			buf_printf(&towns, "%s%s", i ? "、" : "", app->me->townships.v[i]);
		bool shares = shares_known(app, &h->rep);
		char *head = msgf(shares ? MSG_UI_HOME_TEAMS_SHARE : MSG_UI_HOME_TEAMS_TOWNSHIP,
				  towns.s);
		ui_text(shares ? 2 : 1, 2, head, ui_cols() - 4, A_BOLD, false);
		if (!shares)
			ui_text(2, 2, msg(MSG_UI_HOME_NO_TOWNSHIP_TARGETS), ui_cols() - 4,
				ui_attr(C_DIM), false);
		free(head);
		buf_free(&towns);
	} else {
		ui_text(2, 2, msg(MSG_UI_HOME_TEAMS), ui_cols() - 4, A_BOLD, false);
	}
	int y = 3;
	size_t n;
	size_t *order = line_order(app, &h->rep, &n);
	for (size_t i = 0; i < n; i++)
		draw_line(app, y++, &h->rep.v[order[i]]);
	free(order);
	if (h->error)
		ui_status(h->error, C_ERROR);
	char *counts = msgf(MSG_UI_HOME_COUNTS, h->drafts, h->returned, h->queue);
	int w = ui_text(y + 1, 2, counts, ui_cols() - 4, A_BOLD, false);
	free(counts);
	if (h->ledger)	/* on the same row: the returned records need the rows below */
		ui_text(y + 1, 2 + w + 3, h->ledger, ui_cols() - 7 - w, 0, false);
	y += 2;
	if (h->conflicts > 0) {	/* under the counts: a reviewer's to decide */
		char *c = msgf(MSG_UI_HOME_CONFLICTS, h->conflicts);
		ui_text(y++, 2, c, ui_cols() - 4, ui_attr(C_WARN) | A_BOLD, false);
		free(c);
	}
	if (h->returned_lines.n) {
		ui_text(y, 2, msg(MSG_UI_HOME_RETURNED), ui_cols() - 4, ui_attr(C_WARN), false);
		draw_returned(h, y + 1, ui_rows() - 2 - (y + 1));
	}
	ui_keyline(&keys_home, home_when(app, h));
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
static unsigned home_when(const struct app *app, const struct home *h)
{
	return (app->me->role == ROLE_OFFICER ? 0 : UW_REVIEWER) |
	       (h->returned_lines.n ? UW_RETURNED : 0);
}

int home_run(struct app *app)
{
	struct home h = {0};
	load(app, &h);
	for (;;) {
		draw(app, &h);
		struct key k = ui_key();
		const struct form *f;
		int nret = (int)h.returned_lines.n;
		switch (ui_action(&keys_home, k, home_when(app, &h))) {
		case UA_QUIT:
			report_free(&h.rep);
			strv_free(&h.returned_lines);
			strv_free(&h.returned_uuids);
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
		case UA_OPEN:	/* a returned record, to be corrected at once */
			if (nret)
				form_edit(app, h.returned_uuids.v[h.sel]);
			break;
		case UA_DOWN:
			h.sel += h.sel + 1 < nret;
			h.follow = true;
			continue;
		case UA_UP:
			h.sel -= h.sel > 0;
			h.follow = true;
			continue;
		case UA_PGDN:
		case UA_PGUP:	/* their rows, so that a long comment is read to its end */
			h.top += ui_action(&keys_home, k, UW_RETURNED) == UA_PGDN ? 4 : -4;
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
