/*
 * review.c - the review queue: the oldest submitted record in the
 * supervisor's townships is shown whole; a approves it, r returns it with a
 * comment (required), n skips it, and the next one opens at once.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

struct queue {
	struct app *app;
	char *skip_at, *skip_uuid;	/* the queue goes on after the last skipped */
	struct record *r;		/* the record shown, NULL when none is left */
};

static int take_first(const struct record *r, void *arg)
{
	struct queue *q = arg;
	q->r = xcalloc(1, sizeof *q->r);
	memcpy(q->r->uuid, r->uuid, sizeof r->uuid);
	return 1;
}

/* Loads the next record of the queue (whole, through store_get). */
static void next(struct queue *q)
{
	if (q->r) {
		record_free(q->r);
		free(q->r);
		q->r = NULL;
	}
	struct list_query lq = {.status = ST_SUBMITTED, .oldest_first = true, .limit = 1,
				.after_updated = q->skip_at, .after_uuid = q->skip_uuid};
	store_list(q->app->st, &q->app->actor, &lq, take_first, q, NULL);
	if (q->r) {
		char uuid[37];
		memcpy(uuid, q->r->uuid, sizeof uuid);
		free(q->r);
		q->r = NULL;
		store_get(q->app->st, &q->app->actor, uuid, &q->r, NULL);
	}
}

static long left(struct queue *q)
{
	long n = 0;
	struct count_query cq = {.status = ST_SUBMITTED};
	store_count(q->app->st, &q->app->actor, &cq, &n, NULL, NULL);
	return n;
}

/* Draws the queue's record; with to_history, scrolled to its history (or,
 * with the history hidden, to the top). */
static void draw(struct queue *q, bool history, bool to_history, int *top, const char *status,
		 enum ui_color sc)
{
	erase();
	char *title = msgf(MSG_UI_REVIEW_TITLE, left(q));
	ui_title(title, q->app->me->login);
	free(title);
	if (q->r) {
		const struct form *f = formset_find(&q->app->cfg->forms, q->r->category);
		char *head = xasprintf("%s  %s  %s", f ? f->title : q->r->category, q->r->name,
				       q->r->uuid);
		ui_text(1, 2, head, ui_cols() - 4, A_BOLD, false);
		free(head);
		struct strv lines = {0};
		int at = record_lines(q->app, q->r, history, &lines);
		if (to_history)
			*top = history ? at : 0;
		ui_lines(&lines, top, 3, ui_rows() - 5);
		strv_free(&lines);
	} else {
		ui_text(3, 2, msg(MSG_UI_REVIEW_EMPTY), ui_cols() - 4, ui_attr(C_DIM), false);
	}
	if (status)
		ui_status(status, sc);
	const struct ui_keymap *maps[] = {&keys_review};
	char *foot = ui_footer(maps, 1, 0);
	ui_keys(foot);
	free(foot);
	curs_set(0);
	refresh();
}

/* Approves or returns the record shown; returns the message to show. */
static char *decide(struct queue *q, enum action act)
{
	char *comment = NULL, *cause = NULL, *done;
	if (act == ACT_RETURN) {
		comment = ui_prompt(msg(MSG_UI_REVIEW_COMMENT), NULL);
		if (comment == NULL)
			return NULL;
		char *t = str_trim(comment);
		free(comment);
		comment = t;
		if (*comment == '\0') {
			free(comment);
			return xstrdup(msg(MSG_UI_REVIEW_NEED_COMMENT));
		}
	}
	if (store_transition(q->app->st, &q->app->actor, q->r->uuid, act, comment, &cause) != SR_OK) {
		free(comment);
		return cause;
	}
	done = msgf(act == ACT_APPROVE ? MSG_UI_REVIEW_APPROVED : MSG_UI_REVIEW_RETURNED, q->r->name);
	free(comment);
	next(q);
	return done;
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
	next(&q);
	char *status = NULL;
	bool history = false, to_history = false;
	int top = 0;
	for (;;) {
		draw(&q, history, to_history, &top, status, C_OK);
		to_history = false;
		free(status);
		status = NULL;
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
		case UA_TOP: top = 0; continue;
		case UA_BOTTOM: top = 1 << 20; continue;
		case UA_HELP: ui_help_keys(); continue;
		default: break;
		}
		if (q.r == NULL)
			continue;
		if (act == UA_APPROVE) {
			status = decide(&q, ACT_APPROVE);
			top = 0;
		} else if (act == UA_RETURN) {
			status = decide(&q, ACT_RETURN);
			top = 0;
		} else if (act == UA_SKIP) {
			free(q.skip_at);
			free(q.skip_uuid);
			q.skip_at = xstrdup(q.r->updated_at);
			q.skip_uuid = xstrdup(q.r->uuid);
			next(&q);
			top = 0;
		} else if (act == UA_HISTORY) {
			history = !history;
			to_history = true;
		}
	}
	free(status);
	free(q.skip_at);
	free(q.skip_uuid);
	if (q.r) {
		record_free(q.r);
		free(q.r);
	}
}
