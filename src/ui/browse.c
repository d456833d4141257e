/*
 * browse.c - finding records: a list with search and filters, paged by key
 * (the last row of a page is where the next one starts; never OFFSET), and
 * the record view with its history and the workflow's keys (approve,
 * return, unlock, withdraw: decide.c), each offered where
 * auth_check_record() allows it.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "text.h"
#include "ui.h"

/* One row of the list, as it is shown. */
struct row {
	char uuid[37];
	char *name, *category, *area, *id, *status, *updated;
};

/* A count of the matches walks at most this many records (a search over a
 * million); beyond it the count says "more than". */
#define COUNT_MAX 9999

struct browse {
	struct app *app;
	char *search, *category, *township, *team;
	struct strv team_cats;		/* the team's categories */
	int status;			/* -1: any */
	long total;			/* the records the search and filters match */
	struct row *rows;
	int nrows, sel;
	struct strv starts_at, starts_uuid;	/* where each earlier page began */
	char *page_at, *page_uuid;	/* where this page begins (NULL: the first) */
	bool more;
};

static void rows_free(struct browse *b)
{
	for (int i = 0; i < b->nrows; i++) {
		struct row *r = &b->rows[i];
		free(r->name);
		free(r->category);
		free(r->area);
		free(r->id);
		free(r->status);
		free(r->updated);
	}
	free(b->rows);
	b->rows = NULL;
	b->nrows = 0;
}

static int page_rows(void)
{
	return ui_rows() - 6;
}

/* The value of a field of a category's form as the user may see and read it. */
static char *user_value(struct app *app, const char *category, const char *key, const char *v)
{
	return display_value(formset_find(&app->cfg->forms, category), key, v, true);
}

static int add_row(const struct record *r, void *arg)
{
	struct browse *b = arg;
	if (b->nrows == page_rows()) {
		b->more = true;
		return 1;
	}
	const struct form *f = formset_find(&b->app->cfg->forms, r->category);
	struct row *w = &b->rows[b->nrows++];
	memcpy(w->uuid, r->uuid, sizeof w->uuid);
	w->name = xstrdup(r->name);
	w->category = xstrdup(f ? f->title : r->category);
	w->area = xasprintf("%s%s%s", r->township ? r->township : "", r->village ? "/" : "",
			    r->village ? r->village : "");
	w->id = user_value(b->app, r->category, "id_number", r->person_key);
	w->status = xstrdup(status_label(r->status));
	w->updated = xstrdup(r->updated_at ? r->updated_at : "");
	return 0;
}

/* The list's query for the search and filters (the first page). */
static struct list_query query(const struct browse *b)
{
	return (struct list_query){.category = b->category, .categories = &b->team_cats,
				   .status = b->status, .township = b->township,
				   .search = b->search,
				   .lookups_per_day = b->app->cfg->lookups_per_day};
}

/* Counts the matches (after the search or a filter changed, or a record). */
static void count(struct browse *b)
{
	struct list_query q = query(b);
	b->total = 0;
	store_list_count(b->app->st, &b->app->actor, &q, COUNT_MAX, &b->total, NULL);
}

static void load(struct browse *b)
{
	rows_free(b);
	b->rows = xcalloc((size_t)page_rows() + 1, sizeof *b->rows);
	b->more = false;
	struct list_query q = {.category = b->category, .categories = &b->team_cats,
			       .status = b->status,
			       .township = b->township, .search = b->search,
			       .lookups_per_day = b->app->cfg->lookups_per_day,
			       .limit = page_rows() + 1,
			       .after_updated = b->page_at, .after_uuid = b->page_uuid};
	char *cause = NULL;
	if (store_list(b->app->st, &b->app->actor, &q, add_row, b, &cause) != SR_OK) {
		ui_status(cause, C_ERROR);
		free(cause);
	}
	if (b->sel >= b->nrows)
		b->sel = b->nrows ? b->nrows - 1 : 0;
}

/* Pages are keyed by the last row shown: (updated_at, uuid). */
static void next_page(struct browse *b)
{
	if (!b->more || b->nrows == 0)
		return;
	strv_add(&b->starts_at, b->page_at ? b->page_at : "");
	strv_add(&b->starts_uuid, b->page_uuid ? b->page_uuid : "");
	struct row *last = &b->rows[b->nrows - 1];
	free(b->page_at);
	free(b->page_uuid);
	b->page_at = xstrdup(last->updated);
	b->page_uuid = xstrdup(last->uuid);
	b->sel = 0;
	load(b);
}

static void prev_page(struct browse *b)
{
	size_t n = b->starts_at.n;
	if (n == 0)
		return;
	free(b->page_at);
	free(b->page_uuid);
	b->page_at = *b->starts_at.v[n - 1] ? xstrdup(b->starts_at.v[n - 1]) : NULL;
	b->page_uuid = *b->starts_uuid.v[n - 1] ? xstrdup(b->starts_uuid.v[n - 1]) : NULL;
	free(b->starts_at.v[n - 1]);
	free(b->starts_uuid.v[n - 1]);
	b->starts_at.v[--b->starts_at.n] = NULL;
	b->starts_uuid.v[--b->starts_uuid.n] = NULL;
	b->sel = page_rows() - 1;
	load(b);
}

static void first_page(struct browse *b)
{
	strv_free(&b->starts_at);
	strv_free(&b->starts_uuid);
	free(b->page_at);
	free(b->page_uuid);
	b->page_at = b->page_uuid = NULL;
	b->sel = 0;
	load(b);
	count(b);
}

/* The line above the list: how many match, the page among how many, and
 * the search and filters in force. Returns a new string. */
static char *summary(const struct browse *b)
{
	struct buf s = {0};
	int page = (int)b->starts_at.n + 1, rows = page_rows();
	char *head = b->total > COUNT_MAX
			     ? msgf(MSG_UI_BROWSE_COUNT_MANY, (long)COUNT_MAX, page)
			     : msgf(MSG_UI_BROWSE_COUNT, b->total, page,
				    b->total ? (b->total + rows - 1) / rows : 1L);
	buf_puts(&s, head);
	free(head);
	const struct form *f = b->category ? formset_find(&b->app->cfg->forms, b->category) : NULL;
	const struct team *t = b->team ? config_team(b->app->cfg, b->team) : NULL;
	const char *shown[][2] = {
		{msg(MSG_FOOT_SEARCH), b->search},
		{msg(MSG_FOOT_TEAM), t ? t->label : b->team},
		{msg(MSG_FOOT_CATEGORY), f ? f->title : b->category},
		{msg(MSG_FOOT_STATUS), b->status >= 0 ? status_label((enum status)b->status) : NULL},
		{msg(MSG_FOOT_TOWNSHIP), b->township},
	};
	bool any = false;
	for (size_t i = 0; i < sizeof shown / sizeof *shown; i++)
		if (shown[i][1]) {
			buf_printf(&s, "  %s：%s", shown[i][0], shown[i][1]);
			any = true;
		}
	if (!any)
		buf_printf(&s, "  %s", msg(MSG_UI_BROWSE_NO_FILTER));
	return buf_take(&s);
}

/* The columns' widths for the window: name, category, township/village,
 * ID, status and the day of the last change. At 80 columns every column
 * fits its usual content (the masked ID's 18, the day's 10); a wider window
 * gives the name, the category and most of all the area more room. */
static void column_widths(int w[6])
{
	int extra = ui_cols() > 80 ? ui_cols() - 80 : 0;
	w[0] = 9 + extra / 4;
	w[1] = 11 + extra / 4;
	w[2] = 18 + extra - 2 * (extra / 4);
	w[3] = 18;
	w[4] = 7;
	w[5] = 10;
}

static void draw(struct browse *b)
{
	erase();
	ui_title(msg(MSG_UI_BROWSE_TITLE), b->app->me->login);
	char *filters = summary(b);
	ui_text(1, 1, filters, ui_cols() - 2, ui_attr(C_DIM), false);
	free(filters);
	int widths[6];
	column_widths(widths);
	const char *heads[] = {msg(MSG_COL_NAME), msg(MSG_COL_CATEGORY), msg(MSG_COL_AREA),
			       msg(MSG_COL_ID), msg(MSG_COL_STATUS), msg(MSG_COL_UPDATED)};
	int x = 1;
	for (int c = 0; c < 6; c++) {
		ui_text(2, x, heads[c], widths[c], A_BOLD, false);
		x += widths[c] + 1;
	}
	if (b->nrows == 0)
		ui_text(4, 2, msg(MSG_UI_NOTHING_FOUND), ui_cols() - 4, ui_attr(C_DIM), false);
	for (int i = 0; i < b->nrows; i++) {
		struct row *r = &b->rows[i];
		char *when = time_local(r->updated), day[11] = {0};
		strncpy(day, when, 10);	/* the local day */
		free(when);
		const char *cells[] = {r->name, r->category, r->area, r->id, r->status, day};
		int attr = i == b->sel ? ui_attr(C_SELECTED) : 0;
		x = 1;
		if (i == b->sel)
			ui_clear_line(3 + i, 0, attr);
		for (int c = 0; c < 6; c++) {
			ui_text(3 + i, x, cells[c], widths[c], attr, false);
			x += widths[c] + 1;
		}
	}
	if (b->nrows) {	/* the selected row whole, where a cell had to be cut */
		struct row *r = &b->rows[b->sel];
		char *when = time_local(r->updated);
		char *whole = xasprintf("%s  %s  %s  %s", r->name, r->category, r->area, when);
		ui_status(whole, C_DIM);
		free(whole);
		free(when);
	}
	ui_keyline(&keys_browse, 0);
	curs_set(0);
	refresh();
}

static void filter_key(struct browse *b, wint_t ch)
{
	struct strv keys = {0}, labels = {0};
	const struct config *c = b->app->cfg;
	if (ch == 'g') {
		for (size_t i = 0; i < c->nteams; i++) {
			strv_add(&keys, c->teams[i].key);
			strv_add(&labels, c->teams[i].label);
		}
		ui_choose_filter(msg(MSG_UI_PICK_TEAM), &keys, &labels, &b->team);
		strv_free(&b->team_cats);
		for (size_t i = 0; b->team && i < c->forms.n; i++)
			if (!c->forms.v[i]->abstract && str_eq(c->forms.v[i]->team, b->team))
				strv_add(&b->team_cats, c->forms.v[i]->key);
	} else if (ch == 'c') {
		for (size_t i = 0; i < c->forms.n; i++)
			if (!c->forms.v[i]->abstract) {
				strv_add(&keys, c->forms.v[i]->key);
				strv_add(&labels, c->forms.v[i]->title);
			}
		ui_choose_filter(msg(MSG_COL_CATEGORY), &keys, &labels, &b->category);
	} else if (ch == 't') {
		for (size_t i = 0; i < c->ntowns; i++)
			if (auth_in_scope(b->app->me, c->towns[i].name)) {
				strv_add(&keys, c->towns[i].name);
				strv_add(&labels, c->towns[i].name);
			}
		ui_choose_filter(msg(MSG_UI_PICK_TOWNSHIP), &keys, &labels, &b->township);
	} else if (ch == 's') {
		for (int s = 0; s < ST__COUNT; s++) {
			strv_add(&keys, status_name((enum status)s));
			strv_add(&labels, status_label((enum status)s));
		}
		char *st = b->status >= 0 ? xstrdup(status_name((enum status)b->status)) : NULL;
		ui_choose_filter(msg(MSG_UI_PICK_STATUS), &keys, &labels, &st);
		enum status parsed;
		b->status = st && status_parse(st, &parsed) == 0 ? (int)parsed : -1;
		free(st);
	}
	strv_free(&keys);
	strv_free(&labels);
}

void browse_run(struct app *app)
{
	struct browse b = {.app = app, .status = -1};
	first_page(&b);
	for (;;) {
		draw(&b);
		struct key k = ui_key();
		if (k.fn && k.ch == KEY_RESIZE) {
			load(&b);
			continue;
		}
		enum ui_action act = ui_action(&keys_browse, k, 0);
		if (act == UA_BACK)
			break;
		switch (act) {
		case UA_DOWN:
			if (b.sel + 1 < b.nrows)
				b.sel++;
			else
				next_page(&b);
			break;
		case UA_UP:
			if (b.sel > 0)
				b.sel--;
			else
				prev_page(&b);
			break;
		case UA_PGDN: next_page(&b); break;
		case UA_PGUP: prev_page(&b); break;
		case UA_TOP: first_page(&b); break;
		case UA_OPEN:
			if (b.nrows) {
				record_view(app, b.rows[b.sel].uuid);
				load(&b);
				count(&b);
			}
			break;
		case UA_SEARCH: {
			char *s = ui_prompt(msg(MSG_UI_SEARCH), b.search);
			if (s) {
				free(b.search);
				b.search = *s ? s : NULL;
				if (!*s)
					free(s);
				first_page(&b);
			}
			break;
		}
		case UA_FILTER_TEAM: filter_key(&b, 'g'); first_page(&b); break;
		case UA_FILTER_CATEGORY: filter_key(&b, 'c'); first_page(&b); break;
		case UA_FILTER_STATUS: filter_key(&b, 's'); first_page(&b); break;
		case UA_FILTER_TOWNSHIP: filter_key(&b, 't'); first_page(&b); break;
		case UA_FILTER_CLEAR:
			free(b.search);
			free(b.category);
			free(b.township);
			free(b.team);
			strv_free(&b.team_cats);
			b.search = b.category = b.township = b.team = NULL;
			b.status = -1;
			first_page(&b);
			break;
		case UA_EDIT:
			if (b.nrows) {
				form_edit(app, b.rows[b.sel].uuid);
				load(&b);
				count(&b);
			}
			break;
		case UA_HELP: ui_help_keys(); break;
		default: break;
		}
	}
	rows_free(&b);
	strv_free(&b.starts_at);
	strv_free(&b.starts_uuid);
	free(b.page_at);
	free(b.page_uuid);
	free(b.search);
	free(b.category);
	free(b.township);
	free(b.team);
	strv_free(&b.team_cats);
}

/* The record view's lines: fields, then (when asked) the history. */
struct view {
	struct app *app;
	const struct form *f;
	struct strv *lines;
};

/* The columns of a field's label in the record view (the longest label,
 * 所属公共法律服务站（室）, is 24) and of the status and time lines' labels. */
#define VIEW_LABEL_COLS 26
#define VIEW_META_COLS 12

/* Appends label and value as rows of the view's width: the label padded to
 * cols columns, the value wrapped under itself. */
static void labelled(struct strv *lines, const char *label, const char *value, size_t cols)
{
	char *safe = text_sanitize(value ? value : "");
	size_t lw = text_width(label);
	char *line = xasprintf("%s%*s%s", label, (int)(lw < cols ? cols - lw : 1), "", safe);
	text_wrap(line, (size_t)(ui_cols() - 4), cols, lines);
	free(line);
	free(safe);
}

/* One audit row: when (local time, to the minute), who, what, and what it
 * changed, wrapped under the time so that no change is cut. */
static int history_line(const struct audit_row *row, void *arg)
{
	struct view *v = arg;
	char *login = row->as_user ? msgf(MSG_HISTORY_AS, row->login, row->as_user)
				   : xstrdup(row->login);
	char *when = time_local(row->at);
	char *detail = history_detail(v->f, row, true);
	char *line = xasprintf("%s  %s  %s  %s", when, login, history_action_label(row->action), detail);
	char *safe = text_sanitize(line);
	text_wrap(safe, (size_t)(ui_cols() - 4), text_width(when) + 2, v->lines);
	free(safe);
	free(line);
	free(login);
	free(when);
	free(detail);
	return 0;
}

int record_lines(struct app *app, const struct record *r, bool history, struct strv *lines)
{
	const struct form *f = formset_find(&app->cfg->forms, r->category);
	struct view vv = {app, f, lines}, *v = &vv;
	strv_free(lines);
	labelled(lines, msg(MSG_COL_STATUS), status_label(r->status), VIEW_META_COLS);
	if (r->comment)
		labelled(lines, msg(MSG_SHOW_COMMENT), r->comment, VIEW_META_COLS);
	for (size_t i = 0; f && i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		char *val = user_value(v->app, r->category, fd->key, kv_get(&r->vals, fd->key));
		labelled(lines, fd->label, val, VIEW_LABEL_COLS);
		free(val);
	}
	char *created = time_local(r->created_at), *updated = time_local(r->updated_at);
	char *c = xasprintf("%s  %s", created, r->created_by);
	char *u = xasprintf("%s  %s  v%d", updated, r->updated_by, r->version);
	labelled(lines, msg(MSG_SHOW_CREATED), c, VIEW_META_COLS);
	labelled(lines, msg(MSG_SHOW_UPDATED), u, VIEW_META_COLS);
	free(created);
	free(updated);
	free(c);
	free(u);
	int at = (int)v->lines->n;
	if (history) {
		strv_add(v->lines, "");
		strv_take(v->lines, xasprintf("[%s]", msg(MSG_UI_VIEW_HISTORY)));
		store_history(v->app->st, &v->app->actor, r->uuid, history_line, v, NULL);
	}
	return at;
}

void record_view(struct app *app, const char *uuid)
{
	struct strv lines = {0};
	bool history = false, to_history = false;
	int top = 0;
	char *status = NULL;	/* what the last decision says, shown once */
	enum ui_color sc = C_OK;
	for (;;) {
		struct record *r = NULL;
		char *cause = NULL;
		if (store_get(app->st, &app->actor, uuid, &r, &cause) != SR_OK) {
			ui_status(cause, C_ERROR);
			free(cause);
			break;
		}
		int at = record_lines(app, r, history, &lines);
		if (to_history)		/* h scrolls to the history it shows */
			top = history ? at : 0;
		to_history = false;
		const struct form *f = formset_find(&app->cfg->forms, r->category);
		erase();
		char *title = xasprintf("%s  %s  %s", f ? f->title : r->category, r->name, r->uuid);
		ui_title(title, app->me->login);
		free(title);
		int shown = ui_rows() - 4;
		ui_lines(&lines, &top, 2, shown);
		/* a supervisor decides here too, while the record waits; unlock
		 * and withdraw are offered where the rules allow them */
		unsigned when = (app->me->role != ROLE_OFFICER ? UW_REVIEWER : 0) |
				(r->status == ST_SUBMITTED ? UW_DECIDE : 0) |
				(auth_check_record(app->me, ACT_UNLOCK, r, NULL) == 0 ? UW_UNLOCK : 0) |
				(auth_check_record(app->me, ACT_WITHDRAW, r, NULL) == 0 ? UW_WITHDRAW
											 : 0);
		if (status)
			ui_status(status, sc);
		free(status);
		status = NULL;
		ui_keyline(&keys_view, when);
		curs_set(0);
		refresh();
		struct key k = ui_key();
		enum ui_action act = ui_action(&keys_view, k, when);
		enum action decision;
		if (ui_decision(act, &decision)) {
			bool done;
			status = review_decide(app, r, decision, &done);
			sc = done ? C_OK : C_ERROR;
		}
		record_free(r);
		free(r);
		if (act == UA_BACK)
			break;
		switch (act) {
		case UA_HISTORY: history = !history, to_history = true; break;
		case UA_EDIT: form_edit(app, uuid); break;
		case UA_HELP: ui_help_keys(); break;
		default: ui_scroll(act, &top, shown); break;
		}
	}
	free(status);
	strv_free(&lines);
}
