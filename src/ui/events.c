/*
 * events.c - the events on the screen (issue 15): a list of them (type,
 * title, date, township, status, attendees), n to register one (its type
 * picked, then its form, saved through events.h); Enter shows one with its
 * values and attendees; a adds attendees one after another: the ID number
 * and Enter for a registered person; for one not registered, the form of
 * the category the event registers opens filled with the event's details,
 * the person's own fields to fill and Ctrl-S, which saves the record and
 * the attendance together. A wrong ID is refused at the ID line, the text
 * kept for correcting. A supervisor approves (v) or returns (r) an event
 * that waits, and unlocks (u) an approved one; w withdraws one, as in the
 * record view, each offered where the rules allow it. The same calls as
 * `talentreg event`.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "present.h"
#include "text.h"
#include "ui.h"

struct evlist {
	struct app *app;
	struct strv ids, lines;
	int sel, top;
	char *status;
	enum ui_color sc;
};

static void set_status(char **slot, enum ui_color *sc, char *text, enum ui_color c)
{
	free(*slot);
	*slot = text;
	*sc = c;
}

static const char *type_title(const struct app *app, const char *key)
{
	const struct form *t = config_event_type(app->cfg, key);
	return t ? t->title : key;
}

static int list_one(const struct event *e, void *arg)
{
	struct evlist *l = arg;
	strv_add(&l->ids, e->uuid);
	char *line = xasprintf("%s  %-10s  %s  %s  %s  %ld", e->start_date,
			       e->township ? e->township : msg(MSG_EVENT_DISTRICT),
			       status_label(e->status), type_title(l->app, e->type), e->title,
			       e->attendees);
	strv_take(&l->lines, line);
	return 0;
}

static void list_load(struct evlist *l)
{
	strv_free(&l->ids);
	strv_free(&l->lines);
	char *cause = NULL;
	struct event_query q = {.status = -1};
	if (store_event_list(l->app->st, &l->app->actor, &q, list_one, l, &cause) != SR_OK)
		set_status(&l->status, &l->sc, cause, C_ERROR);
}

static void list_draw(struct evlist *l)
{
	erase();
	char *title = msgf(MSG_UI_EVENTS_TITLE, (int)l->ids.n);
	ui_title(title, l->app->me->login);
	free(title);
	int rows = ui_rows() - 4, n = (int)l->lines.n;
	if (l->sel >= n)
		l->sel = n - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	if (n == 0)
		ui_text(2, 2, msg(MSG_UI_EVENTS_NONE), ui_cols() - 4, ui_attr(C_DIM), false);
	for (int i = l->top; i < n && i - l->top < rows; i++) {
		int attr = i == l->sel ? ui_attr(C_SELECTED) : 0;
		if (i == l->sel)
			ui_clear_line(2 + i - l->top, 0, attr);
		ui_text(2 + i - l->top, 1, l->lines.v[i], ui_cols() - 2, attr, i == l->sel);
	}
	if (l->status)
		ui_status(l->status, l->sc);
	else if (l->app->cfg->site_kind == SITE_SITE)
		ui_status(msg(MSG_UI_EVENTS_AT_SITE), C_WARN);
	ui_keyline(&keys_events, 0);
	curs_set(0);
	refresh();
}

/* n: an event type picked, then its form. Returns the new event's uuid. */
static char *new_event(struct app *app)
{
	const struct config *c = app->cfg;
	struct pick_item *items = xcalloc(c->events.n + 1, sizeof *items);
	const struct form **types = xcalloc(c->events.n + 1, sizeof *types);
	int n = 0;
	for (size_t i = 0; i < c->events.n; i++)
		if (!c->events.v[i]->abstract) {
			types[n] = c->events.v[i];
			items[n++] = (struct pick_item){c->events.v[i]->key, c->events.v[i]->title};
		}
	int got = n ? ui_pick(msg(MSG_UI_PICK_EVENT_TYPE), items, n, false, NULL, 0) : -1;
	char *uuid = got >= 0 ? form_event_new(app, types[got]) : NULL;
	free(items);
	free(types);
	return uuid;
}

/* ---- one event ---- */

struct evview {
	struct app *app;
	struct event *e;
	struct strv lines;
	int top;
	char *status;
	enum ui_color sc;
};

static int attendee_line(const struct attendee *at, void *arg)
{
	struct evview *v = arg;
	static const struct field id = {.key = "id_number", .type = FT_ID_CARD, .pii = true};
	char *masked = at->person_key ? mask_value(&id, at->person_key) : xstrdup("");
	const struct form *f = at->category ? formset_find(&v->app->cfg->forms, at->category) : NULL;
	strv_take(&v->lines, xasprintf("  %s  %s  %s  %s", at->name, masked,
				       at->township ? at->township : "", f ? f->title : ""));
	free(masked);
	return 0;
}

static void view_load(struct evview *v)
{
	char *id = xstrdup(v->e->uuid), *cause = NULL;
	event_free(v->e);
	free(v->e);
	v->e = NULL;
	strv_free(&v->lines);
	if (store_event_get(v->app->st, &v->app->actor, id, &v->e, &cause) != SR_OK) {
		set_status(&v->status, &v->sc, cause, C_ERROR);
		free(id);
		return;
	}
	free(id);
	const struct form *type = config_event_type(v->app->cfg, v->e->type);
	strv_take(&v->lines, xasprintf("%s（%s）", v->e->title, type ? type->title : v->e->type));
	strv_take(&v->lines, msgf(MSG_EVENT_SHOW_STATUS, status_label(v->e->status), v->e->attendees));
	for (size_t i = 0; type && i < type->nfields; i++) {
		const char *val = kv_get(&v->e->vals, type->fields[i].key);
		if (!str_empty(val) && !str_eq(type->fields[i].key, "title"))
			strv_take(&v->lines, xasprintf("%s：%s", type->fields[i].label, val));
	}
	strv_add(&v->lines, "");
	strv_take(&v->lines, msgf(MSG_UI_EVENT_ATTENDEES, v->e->attendees));
	store_event_attendees(v->app->st, &v->app->actor, v->e->uuid, attendee_line, v, NULL);
}

/* A supervisor decides on the screen while the event waits; unlock and
 * withdraw are offered where the rules allow them. */
static unsigned view_when(const struct evview *v)
{
	const struct actor *a = &v->app->actor;
	return (v->app->me->role != ROLE_OFFICER ? UW_REVIEWER : 0) |
	       (v->e && v->e->status == ST_SUBMITTED ? UW_DECIDE : 0) |
	       (v->e && store_event_may(a, ACT_UNLOCK, v->e, NULL) == SR_OK ? UW_UNLOCK : 0) |
	       (v->e && store_event_may(a, ACT_WITHDRAW, v->e, NULL) == SR_OK ? UW_WITHDRAW : 0);
}

static void view_draw(struct evview *v)
{
	erase();
	ui_title(msg(MSG_KEYS_EVENT), v->app->me->login);
	ui_lines(&v->lines, &v->top, 2, ui_rows() - 5);
	if (v->status)
		ui_status(v->status, v->sc);
	ui_keyline(&keys_event, view_when(v));
	curs_set(0);
	refresh();
}

/* v, r, u or w: the event approved or withdrawn after one question,
 * returned with a comment or unlocked with a reason; the same call as
 * `talentreg event review ID approve|return|unlock|withdraw`. */
static void decide(struct evview *v, enum action act)
{
	char *status, *cause = NULL;
	char *q = msgf(act == ACT_WITHDRAW ? MSG_UI_EVENT_CONFIRM_WITHDRAW
					   : MSG_UI_EVENT_CONFIRM_APPROVE, v->e->title);
	char *comment = review_ask(act, q, &status);
	free(q);
	if (comment == NULL) {
		set_status(&v->status, &v->sc, status, C_ERROR);
		return;
	}
	int rc = store_event_transition(v->app->st, &v->app->actor, v->e->uuid, act,
					*comment ? comment : NULL, &cause);
	free(comment);
	if (rc != SR_OK)
		set_status(&v->status, &v->sc, cause, C_ERROR);
	else
		set_status(&v->status, &v->sc,
			   msgf(act == ACT_APPROVE ? MSG_EVENT_APPROVED
				: act == ACT_RETURN ? MSG_EVENT_RETURNED
				: act == ACT_UNLOCK ? MSG_EVENT_UNLOCKED : MSG_EVENT_WITHDRAWN,
				v->e->title), C_OK);
	view_load(v);
}

/* a: attendees one after another until Esc. */
static void attend_loop(struct evview *v)
{
	char *again = NULL;	/* a refused ID, kept for correcting */
	char *why = NULL;
	for (;;) {
		v->top = 1 << 20;	/* the newest attendees in sight */
		view_draw(v);
		/* what the last ID did, then the question: the prompt takes the
		 * status rows */
		char *q = why ? msgf(MSG_UI_ATTEND_BAD, why)
			  : v->status ? xasprintf("%s  %s", v->status, msg(MSG_UI_ATTEND_ASK))
				      : xstrdup(msg(MSG_UI_ATTEND_ASK));
		char *typed = ui_prompt(q, again);
		free(q);
		free(again);
		free(why);
		again = why = NULL;
		if (typed == NULL)
			break;
		char *id = text_trim(typed);
		free(typed);
		if (*id == '\0') {
			free(id);
			break;
		}
		struct attend_result r;
		ev_attend(&v->app->reg, v->e, id, NULL, "typed", false, false, &r);
		const struct form *type = config_event_type(v->app->cfg, v->e->type);
		const struct form *cat = ev_category(v->app->cfg, type);
		switch (r.outcome) {
		case AT_LINKED:
			set_status(&v->status, &v->sc,
				   msgf(r.elsewhere ? MSG_EVENT_LINKED_ELSEWHERE : MSG_EVENT_LINKED,
					r.name ? r.name : ""), C_OK);
			break;
		case AT_ALREADY:
			set_status(&v->status, &v->sc, xstrdup(msg(MSG_EVENT_ALREADY_ATTENDS)), C_WARN);
			break;
		case AT_BAD_ID:
			why = xstrdup(r.res.is.n ? r.res.is.v[0].message : msg(MSG_INVALID));
			again = xstrdup(id);
			set_status(&v->status, &v->sc, NULL, C_OK);
			break;
		case AT_NEW: {	/* their own fields, the event's already in */
			struct kv init = {0};
			ev_attendee_values(type, v->e, r.person_key, &init);
			struct attend_hook hook = {v->e->uuid, "spot"};
			struct reg_opts extra = {.then = st_event_attend_hook, .then_arg = &hook};
			char *uuid = form_attendee_new(v->app, cat, &init, &extra);
			kv_free(&init);
			if (uuid)
				set_status(&v->status, &v->sc,
					   msgf(MSG_EVENT_REGISTERED, "", cat->title, uuid), C_OK);
			free(uuid);
			break;
		}
		case AT_NOBODY:
			set_status(&v->status, &v->sc,
				   msgf(MSG_EVENT_NOBODY, type ? type->title : v->e->type), C_ERROR);
			break;
		default:
			set_status(&v->status, &v->sc, xstrdup(r.res.cause ? r.res.cause : msg(MSG_ERROR)),
				   C_ERROR);
		}
		attend_result_free(&r);
		free(id);
		view_load(v);
		if (v->e == NULL)
			break;
	}
	free(again);
	free(why);
}

static void view_run(struct app *app, const char *uuid)
{
	struct evview v = {.app = app};
	char *cause = NULL;
	if (store_event_get(app->st, &app->actor, uuid, &v.e, &cause) != SR_OK) {
		free(cause);
		return;
	}
	view_load(&v);
	while (v.e) {
		view_draw(&v);
		struct key k = ui_key();
		enum ui_action act = ui_action(&keys_event, k, view_when(&v));
		switch (act) {
		case UA_BACK: goto out;
		case UA_HELP: ui_help_keys(); break;
		case UA_ATTEND: attend_loop(&v); break;
		default: {
			enum action decision;
			if (ui_decision(act, &decision))
				decide(&v, decision);
			else	/* the page: the view's lines less one */
				ui_scroll(act, &v.top, ui_rows() - 5);
			break;
		}
		}
	}
out:
	if (v.e) {
		event_free(v.e);
		free(v.e);
	}
	strv_free(&v.lines);
	free(v.status);
}

void events_run(struct app *app)
{
	struct evlist l = {.app = app};
	list_load(&l);
	for (;;) {
		list_draw(&l);
		struct key k = ui_key();
		enum ui_action act = ui_action(&keys_events, k, 0);
		if (act == UA_BACK)
			break;
		if (act != UA_NONE)
			set_status(&l.status, &l.sc, NULL, C_OK);
		char *uuid;
		switch (act) {
		case UA_DOWN: l.sel++; break;
		case UA_UP: l.sel--; break;
		case UA_PGDN: l.sel += ui_rows() - 4; break;
		case UA_PGUP: l.sel -= ui_rows() - 4; break;
		case UA_HELP: ui_help_keys(); break;
		case UA_OPEN:
			if (l.sel < (int)l.ids.n)
				view_run(app, l.ids.v[l.sel]);
			list_load(&l);
			break;
		case UA_NEW:
			if ((uuid = new_event(app)) != NULL) {
				list_load(&l);
				for (size_t i = 0; i < l.ids.n; i++)
					if (str_eq(l.ids.v[i], uuid))
						l.sel = (int)i;
				view_run(app, uuid);
				list_load(&l);
				set_status(&l.status, &l.sc, msgf(MSG_UI_EVENT_SAVED, uuid), C_OK);
				free(uuid);
			}
			break;
		default: break;
		}
	}
	strv_free(&l.ids);
	strv_free(&l.lines);
	free(l.status);
}
