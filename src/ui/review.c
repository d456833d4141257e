/*
 * review.c - the review queue: the submitted records in the supervisor's
 * townships, oldest first, one shown whole. a approves it (after one
 * question: it locks the record), r returns it with a comment (required),
 * n and p go to the next and the previous (round the ends, so a skipped
 * record comes back), Home and End to the oldest and the newest; / searches
 * and t, c, o keep one township, category or officer's records. The header
 * counts the queue as filtered and says where the record shown stands in it.
 * The record view offers the same decisions (decide.c).
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* A count of the queue walks at most this many records (a search, or a
 * place in a very long queue); beyond it the header says "more than". */
#define COUNT_MAX 9999

struct queue {
	struct app *app;
	char *search, *category, *township, *officer;	/* filters; NULL: any */
	struct record *r;	/* the record shown, NULL when none is left */
	long total, pos;	/* the queue's size, the shown record's place (1-based) */
	char *cause;		/* why the queue could not be read */
};

static void query(const struct queue *q, struct list_query *lq)
{
	*lq = (struct list_query){.status = ST_SUBMITTED, .oldest_first = true,
				  .category = q->category, .township = q->township,
				  .created_by = q->officer, .search = q->search,
				  .lookups_per_day = q->app->cfg->lookups_per_day};
}

static int take_first(const struct record *r, void *arg)
{
	char *uuid = arg;
	memcpy(uuid, r->uuid, 37);
	return 1;
}

static void drop(struct queue *q)
{
	if (q->r) {
		record_free(q->r);
		free(q->r);
		q->r = NULL;
	}
}

/* Shows the record after (dir 1) or before (dir -1) the row at/uuid in the
 * queue's order, or its first (last) when at is NULL; returns false when
 * there is none. */
static bool load(struct queue *q, const char *at, const char *uuid, int dir)
{
	struct list_query lq;
	query(q, &lq);
	lq.oldest_first = dir > 0;
	lq.limit = 1;
	lq.after_updated = at;
	lq.after_uuid = uuid;
	char found[37] = "";
	free(q->cause);
	q->cause = NULL;
	store_list(q->app->st, &q->app->actor, &lq, take_first, found, &q->cause);
	if (!*found)
		return false;
	drop(q);
	store_get(q->app->st, &q->app->actor, found, &q->r, NULL);
	return q->r != NULL;
}

/* Counts the queue, and where the record shown stands in it. */
static void count(struct queue *q)
{
	struct list_query lq;
	query(q, &lq);
	q->total = q->pos = 0;
	store_list_count(q->app->st, &q->app->actor, &lq, COUNT_MAX, &q->total, NULL);
	if (q->r == NULL)
		return;
	lq.oldest_first = false;	/* the records before it */
	lq.after_updated = q->r->updated_at;
	lq.after_uuid = q->r->uuid;
	store_list_count(q->app->st, &q->app->actor, &lq, COUNT_MAX, &q->pos, NULL);
	q->pos++;
}

/* Goes on from the record shown in direction dir, round the end of the
 * queue; returns a message when it went round (new), else NULL. */
static char *go_on(struct queue *q, int dir)
{
	char *round = NULL;
	bool found = false, had = q->r != NULL;
	if (had) {
		char at[40], uuid[37];
		snprintf(at, sizeof at, "%s", q->r->updated_at ? q->r->updated_at : "");
		memcpy(uuid, q->r->uuid, sizeof uuid);
		found = load(q, at, uuid, dir);
	}
	if (!found && (found = load(q, NULL, NULL, dir)) && had)
		round = xstrdup(msg(dir > 0 ? MSG_UI_REVIEW_WRAPPED : MSG_UI_REVIEW_WRAPPED_BACK));
	if (!found)
		drop(q);
	count(q);
	return round;
}

/* The filters in force, as one line (new), or NULL when there are none. */
static char *filters_line(const struct queue *q)
{
	if (!q->search && !q->category && !q->township && !q->officer)
		return NULL;
	const struct form *f = q->category ? formset_find(&q->app->cfg->forms, q->category) : NULL;
	const char *all = msg(MSG_UI_ALL);
	return msgf(MSG_UI_REVIEW_FILTERS, q->search ? q->search : all,
		    f ? f->title : q->category ? q->category : all, q->township ? q->township : all,
		    q->officer ? q->officer : all);
}

/* Draws the queue's record; with to_history, scrolled to its history (or,
 * with the history hidden, to the top). */
static void draw(struct queue *q, bool history, bool to_history, int *top, const char *status,
		 enum ui_color sc)
{
	erase();
	char *title = q->total > COUNT_MAX ? msgf(MSG_UI_REVIEW_TITLE_MANY, (long)COUNT_MAX)
					   : msgf(MSG_UI_REVIEW_TITLE, q->total);
	ui_title(title, q->app->me->login);
	free(title);
	int y = 1;
	char *filters = filters_line(q);
	if (filters)
		ui_text(y++, 2, filters, ui_cols() - 4, ui_attr(C_DIM), false);
	free(filters);
	if (q->r) {
		const struct form *f = formset_find(&q->app->cfg->forms, q->r->category);
		char *place = q->pos > COUNT_MAX ? msgf(MSG_UI_REVIEW_PLACE_FAR, (long)COUNT_MAX)
						  : msgf(MSG_UI_REVIEW_PLACE, q->pos, q->total);
		char *head = xasprintf("%s  %s  %s  %s", place, f ? f->title : q->r->category,
				       q->r->name, q->r->uuid);
		ui_text(y, 2, head, ui_cols() - 4, A_BOLD, false);
		free(head);
		free(place);
		struct strv lines = {0};
		int at = record_lines(q->app, q->r, history, &lines);
		if (to_history)
			*top = history ? at : 0;
		ui_lines(&lines, top, y + 2, ui_rows() - y - 4);
		strv_free(&lines);
	} else {
		bool filtered = q->search || q->category || q->township || q->officer;
		ui_text(y + 2, 2, q->cause ? q->cause : msg(filtered ? MSG_UI_REVIEW_NONE_FILTERED
								   : MSG_UI_REVIEW_EMPTY),
			ui_cols() - 4, ui_attr(q->cause ? C_ERROR : C_DIM), false);
	}
	if (status)
		ui_status(status, sc);
	ui_keyline(&keys_review, 0);
	curs_set(0);
	refresh();
}

/* t, c, o: keeps one township's, category's or officer's records. */
static bool set_filter(struct queue *q, enum ui_action act)
{
	const struct config *c = q->app->cfg;
	struct strv keys = {0}, labels = {0};
	bool chosen = false;
	if (act == UA_FILTER_TOWNSHIP) {
		for (size_t i = 0; i < c->ntowns; i++)
			if (auth_in_scope(q->app->me, c->towns[i].name))
				strv_add(&keys, c->towns[i].name);
		chosen = ui_choose_filter(msg(MSG_UI_PICK_TOWNSHIP), &keys, &keys, &q->township);
	} else if (act == UA_FILTER_CATEGORY) {
		for (size_t i = 0; i < c->forms.n; i++)
			if (!c->forms.v[i]->abstract) {
				strv_add(&keys, c->forms.v[i]->key);
				strv_add(&labels, c->forms.v[i]->title);
			}
		chosen = ui_choose_filter(msg(MSG_COL_CATEGORY), &keys, &labels, &q->category);
	} else if (act == UA_FILTER_OFFICER) {
		for (size_t i = 0; i < c->nusers; i++) {
			const struct user *u = &c->users[i];
			strv_add(&keys, u->login);
			strv_take(&labels, u->name ? xasprintf("%s  %s", u->login, u->name)
						   : xstrdup(u->login));
		}
		chosen = ui_choose_filter(msg(MSG_UI_PICK_OFFICER), &keys, &labels, &q->officer);
	}
	strv_free(&keys);
	strv_free(&labels);
	return chosen;
}

/* The keys that choose what the queue holds or where in it to stand: a
 * search, a filter, the ends. Returns false for any other. */
static bool reselect(struct queue *q, enum ui_action act)
{
	switch (act) {
	case UA_SEARCH: {
		char *s = ui_prompt(msg(MSG_UI_SEARCH), q->search);
		if (s == NULL)
			return true;
		free(q->search);
		q->search = *s ? s : NULL;
		if (!*s)
			free(s);
		break;
	}
	case UA_FILTER_TOWNSHIP:
	case UA_FILTER_CATEGORY:
	case UA_FILTER_OFFICER:
		if (!set_filter(q, act))
			return true;
		break;
	case UA_FILTER_CLEAR:
		free(q->search);
		free(q->category);
		free(q->township);
		free(q->officer);
		q->search = q->category = q->township = q->officer = NULL;
		break;
	case UA_TOP:
	case UA_BOTTOM:
		break;
	default:
		return false;
	}
	if (!load(q, NULL, NULL, act == UA_BOTTOM ? -1 : 1))
		drop(q);
	count(q);
	return true;
}

void review_run(struct app *app)
{
	enum msg_id why;
	struct auth_subject any = {NULL, ST_SUBMITTED, NULL, NULL, NULL};
	if (app->me->role == ROLE_OFFICER &&
	    auth_check(app->me, ACT_APPROVE, &any, &why) < 0) {
		char *m = msgf(MSG_DENIED, msg(why));
		ui_status(m, C_ERROR);
		free(m);
		return;
	}
	struct queue q = {.app = app};
	load(&q, NULL, NULL, 1);
	count(&q);
	char *status = NULL;
	enum ui_color sc = C_OK;
	bool history = false, to_history = false;
	int top = 0;
	for (;;) {
		draw(&q, history, to_history, &top, status, sc);
		to_history = false;
		free(status);
		status = NULL;
		sc = C_OK;
		struct key k = ui_key();
		enum ui_action act = ui_action(&keys_review, k, 0);
		int page = ui_rows() - 6;
		if (act == UA_BACK)
			break;
		switch (act) {
		case UA_DOWN: top++; continue;
		case UA_UP: top--; continue;
		case UA_PGDN: top += page; continue;
		case UA_PGUP: top -= page; continue;
		case UA_HELP: ui_help_keys(); continue;
		default: break;
		}
		if (reselect(&q, act)) {
			top = 0;
			continue;
		}
		if (q.r == NULL)
			continue;
		enum action decision;
		if (ui_decision(act, &decision)) {
			bool done;
			status = review_decide(app, q.r, decision, &done);
			if (done) {
				char *round = go_on(&q, 1);	/* it left the queue */
				if (round) {	/* both: the decision, then that it went round */
					char *both = xasprintf("%s  %s", status, round);
					free(status);
					free(round);
					status = both;
				}
				top = 0;
			} else if (status) {
				sc = C_ERROR;
			}
		} else if (act == UA_SKIP || act == UA_PREV_RECORD) {
			status = go_on(&q, act == UA_SKIP ? 1 : -1);
			sc = C_WARN;
			top = 0;
		} else if (act == UA_HISTORY) {
			history = !history;
			to_history = true;
		}
	}
	free(status);
	free(q.search);
	free(q.category);
	free(q.township);
	free(q.officer);
	free(q.cause);
	drop(&q);
}
