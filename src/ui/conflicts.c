/*
 * conflicts.c - the offline sync's conflicts in the screens (issue 12): the
 * open conflicts and held rows of the supervisor's townships as a list to
 * pick from; then the record as this database holds it beside the
 * version the peer sent, field by field, each field that differs marked
 * with * (values masked as everywhere in the screens); t takes the peer's
 * version, k keeps ours, each after a y/n question, through the same
 * store call as `sync resolve`. A held row (refused by the checks) shows
 * why, and can only be kept.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"
#include "text.h"
#include "ui.h"

#define LABEL_COLS 16

/* One open conflict as the list shows it. */
struct citem {
	long id;
	char *uuid, *site, *kind, *name, *category, *why;	/* why: fields, reason */
};

struct list {
	struct app *app;
	struct citem *v;
	size_t n;
};

static const char *label_of(const struct form *f, const char *key);

/* The field keys "a, b" as their labels "甲、乙" (new string). */
static char *labels_of(struct app *app, const char *category, const char *keys)
{
	const struct form *f = category ? formset_find(&app->cfg->forms, category) : NULL;
	struct strv sv = {0};
	struct buf b = {0};
	buf_add(&b, "", 0);
	strv_split(&sv, keys ? keys : "", ',');
	for (size_t i = 0; i < sv.n; i++)
		buf_printf(&b, "%s%s", i ? "、" : "", label_of(f, sv.v[i]));
	strv_free(&sv);
	return buf_take(&b);
}

static int collect(const struct sync_conflict *c, void *arg)
{
	struct list *l = arg;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	struct citem *it = &l->v[l->n++];
	it->id = c->id;
	it->uuid = xstrdup(c->uuid);
	it->site = xstrdup(c->site);
	it->kind = xstrdup(c->kind);
	it->name = xstrdup(c->name ? c->name : "");
	it->category = xstrdup(c->category ? c->category : "");
	it->why = str_eq(c->kind, "refused")	 ? xstrdup(c->reason ? c->reason : "")
		  : str_eq(c->kind, "duplicate") ? msgf(MSG_SYNC_DUP_OF, c->other_uuid ? c->other_uuid : "")
						 : labels_of(l->app, c->category, c->fields);
	return 0;
}

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct citem *it = &l->v[i];
		free(it->uuid), free(it->site), free(it->kind), free(it->name), free(it->category);
		free(it->why);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

long conflicts_open(struct app *app)
{
	if (app->me->role == ROLE_OFFICER)
		return 0;
	struct list l = {app, NULL, 0};
	store_sync_conflicts(app->st, &app->actor, false, collect, &l, NULL);
	long n = (long)l.n;
	list_free(&l);
	return n;
}

static const char *kind_label(const char *kind)
{
	return msg(str_eq(kind, "duplicate") ? MSG_SYNC_KIND_DUPLICATE
		   : str_eq(kind, "refused") ? MSG_SYNC_KIND_REFUSED
					     : MSG_SYNC_KIND_EDITED);
}

/* The label of a field key of form f: its label, status, the comment. */
static const char *label_of(const struct form *f, const char *key)
{
	const struct field *fd = f ? form_field(f, key) : NULL;
	return fd ? fd->label
	       : str_eq(key, "status") ? msg(MSG_COL_STATUS)
	       : str_eq(key, "comment") ? msg(MSG_SYNC_FIELD_COMMENT)
					: key;
}

/* One line of the comparison: a label and the two values as shown. */
struct cmp_row {
	const char *label;
	char *ours, *theirs;
	bool differ;
};

/* Builds the rows: status and review comment, then every field of the
 * form (or, for a category this database does not know, every key the
 * row has). Returns how many differ. */
static int compare(struct app *app, const struct record *ours, const struct sync_row *in,
		   struct cmp_row **out, size_t *n)
{
	const struct form *f = formset_find(&app->cfg->forms, in->r.category);
	struct strv keys = {0};
	strv_add(&keys, "status");
	strv_add(&keys, "comment");
	for (size_t i = 0; f && i < f->nfields; i++)
		strv_add(&keys, f->fields[i].key);
	for (size_t i = 0; i < in->r.vals.keys.n; i++)	/* a key the form lacks too */
		if (!strv_has(&keys, in->r.vals.keys.v[i]))
			strv_add(&keys, in->r.vals.keys.v[i]);
	*out = xcalloc(keys.n, sizeof **out);
	*n = 0;
	int differ = 0;
	for (size_t i = 0; i < keys.n; i++) {
		const char *k = keys.v[i], *a = NULL, *b = NULL;
		if (str_eq(k, "status")) {
			a = ours ? status_label(ours->status) : NULL;
			b = status_label(in->r.status);
		} else if (str_eq(k, "comment")) {
			a = ours ? ours->comment : NULL;
			b = in->r.comment;
		} else {
			a = ours ? kv_get(&ours->vals, k) : NULL;
			b = kv_get(&in->r.vals, k);
		}
		if (a == NULL && b == NULL && str_eq(k, "comment"))
			continue;
		struct cmp_row *r = &(*out)[(*n)++];
		r->label = label_of(f, k);
		bool plain = str_eq(k, "status") || str_eq(k, "comment");
		r->ours = ours ? plain ? xstrdup(a ? a : "") : display_value(f, k, a, true)
			       : xstrdup(msg(MSG_UI_CONFLICT_NO_LOCAL));
		r->theirs = plain ? xstrdup(b ? b : "") : display_value(f, k, b, true);
		r->differ = ours && !str_eq(a ? a : "", b ? b : "");
		differ += r->differ;
	}
	/* label_of points into the form or the message table: keys may go */
	strv_free(&keys);
	return differ;
}

static void rows_free(struct cmp_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].ours);
		free(rows[i].theirs);
	}
	free(rows);
}

/* What one conflict's screen shows. */
struct shown {
	const struct citem *it;
	int index, count;
	struct record *ours;	/* NULL: no such record here */
	struct cmp_row *rows;
	size_t nrows;
	int differ;
	int top;
};

static void draw(struct app *app, struct shown *s, const char *status, enum ui_color sc)
{
	erase();
	const struct citem *it = s->it;
	const struct form *f = formset_find(&app->cfg->forms, it->category);
	char *head = xasprintf("%s  %s  %s", it->name, f ? f->title : it->category, kind_label(it->kind));
	char *title = msgf(MSG_UI_CONFLICT_TITLE, s->index + 1, s->count, head);
	ui_title(title, app->me->login);
	free(title);
	free(head);
	int cols = ui_cols(), w = (cols - 4 - LABEL_COLS - 2) / 2;
	int x_ours = 2 + LABEL_COLS, x_theirs = x_ours + w + 2;
	char *site = msgf(MSG_UI_CONFLICT_SITE, it->site);
	ui_text(1, 2, it->uuid, cols - 4, ui_attr(C_DIM), false);
	ui_text(2, 4, msg(MSG_UI_CONFLICT_FIELD), LABEL_COLS - 2, A_BOLD, false);
	ui_text(2, x_ours, msg(MSG_UI_CONFLICT_LOCAL), w, A_BOLD, false);
	ui_text(2, x_theirs, site, w, A_BOLD, false);
	free(site);
	int first = 3, rows = ui_rows() - 2 - 3 - first;
	if (s->top > (int)s->nrows - rows)
		s->top = (int)s->nrows - rows;
	if (s->top < 0)
		s->top = 0;
	for (int i = 0; i < rows && s->top + i < (int)s->nrows; i++) {
		const struct cmp_row *r = &s->rows[s->top + i];
		int attr = r->differ ? ui_attr(C_WARN) | A_BOLD : 0;
		ui_text(first + i, 2, r->differ ? "*" : " ", 1, attr, false);
		ui_text(first + i, 4, r->label, LABEL_COLS - 2, attr, true);
		ui_text(first + i, x_ours, r->ours, w, attr, true);
		ui_text(first + i, x_theirs, r->theirs, w, attr, true);
	}
	if (s->top + rows < (int)s->nrows) {
		char *more = msgf(MSG_UI_MORE_BELOW, (int)s->nrows - s->top - rows);
		ui_text(first + rows, 4, more, cols - 6, ui_attr(C_DIM), false);
		free(more);
	}
	bool held = str_eq(it->kind, "refused");
	char *why = status ? xstrdup(status)
		    : held ? msgf(MSG_UI_CONFLICT_HELD, it->why)
		    : str_eq(it->kind, "duplicate") ? xstrdup(it->why)
						    : msgf(MSG_UI_CONFLICT_DIFFER, s->differ);
	ui_status(why, status ? sc : held ? C_ERROR : C_WARN);
	free(why);
	ui_keyline(&keys_conflict, held ? 0 : UW_TAKE);
	curs_set(0);
	refresh();
}

/* Resolves the conflict shown as how, after asking; returns the message
 * to show (new string), or NULL when nothing was done. */
static char *decide(struct app *app, struct shown *s, enum sync_choice how, bool *done)
{
	const struct citem *it = s->it;
	char *q = how == SYNC_TAKE ? msgf(MSG_UI_CONFLICT_CONFIRM_TAKE, it->site, it->name)
				   : msgf(MSG_UI_CONFLICT_CONFIRM_KEEP, it->name, it->site);
	bool yes = ui_confirm(q);
	free(q);
	if (!yes)
		return NULL;
	struct sync_rules rules;
	reg_sync_rules(&app->reg, &rules);
	char *cause = NULL;
	if (store_sync_resolve(app->st, &app->actor, app->cfg, &rules, it->uuid, it->site, how,
			       NULL, &cause) != SR_OK)
		return cause;
	*done = true;
	return msgf(how == SYNC_TAKE ? MSG_UI_CONFLICT_TAKEN : MSG_UI_CONFLICT_KEPT, it->name);
}

/* Shows one conflict until it is resolved (returns the message, new) or
 * left (returns NULL). */
static char *show(struct app *app, const struct citem *it, int index, int count)
{
	struct shown s = {.it = it, .index = index, .count = count};
	struct sync_row in;
	char *cause = NULL;
	if (store_sync_conflict_row(app->st, &app->actor, it->id, &in, &cause) != SR_OK) {
		/* a held row that is no record at all: its reason says enough */
		char *m = cause ? cause : xstrdup(it->why);
		if (cause && str_eq(it->kind, "refused")) {
			free(cause);
			m = msgf(MSG_UI_CONFLICT_HELD, it->why);
		}
		return m;
	}
	store_get(app->st, &app->actor, it->uuid, &s.ours, NULL);
	s.differ = compare(app, s.ours, &in, &s.rows, &s.nrows);
	char *status = NULL, *result = NULL;
	enum ui_color sc = C_OK;
	bool done = false;
	while (!done) {
		draw(app, &s, status, sc);
		free(status);
		status = NULL;
		int page = ui_rows() - 7;
		unsigned when = str_eq(it->kind, "refused") ? 0 : UW_TAKE;
		enum ui_action act = ui_action(&keys_conflict, ui_key(), when);
		switch (act) {
		case UA_DOWN: s.top++; break;
		case UA_UP: s.top--; break;
		case UA_PGDN: s.top += page; break;
		case UA_PGUP: s.top -= page; break;
		case UA_TOP: s.top = 0; break;
		case UA_BOTTOM: s.top = 1 << 20; break;
		case UA_HELP: ui_help_keys(); break;
		case UA_TAKE:
		case UA_KEEP:
			status = decide(app, &s, act == UA_TAKE ? SYNC_TAKE : SYNC_KEEP, &done);
			break;
		case UA_BACK:
			done = true;
			break;
		default:
			break;
		}
		if (done)
			result = status, status = NULL;
		sc = C_ERROR;
	}
	free(status);
	rows_free(s.rows, s.nrows);
	if (s.ours) {
		record_free(s.ours);
		free(s.ours);
	}
	sync_row_free(&in);
	return result;
}

/* The list once it is empty: what was decided last, and that nothing is
 * left; any key goes back. */
static void empty(struct app *app, const char *status)
{
	erase();
	ui_title(msg(MSG_KEYS_CONFLICT), app->me->login);
	if (status)
		ui_text(2, 2, status, ui_cols() - 4, ui_attr(C_OK), false);
	ui_text(4, 2, msg(MSG_SYNC_NO_CONFLICTS), ui_cols() - 4, A_BOLD, false);
	ui_keyline(&keys_conflict, 0);
	curs_set(0);
	refresh();
	ui_key();
}

void conflicts_run(struct app *app)
{
	int start = -1;
	char *status = NULL;
	for (;;) {
		struct list l = {app, NULL, 0};
		char *cause = NULL;
		if (store_sync_conflicts(app->st, &app->actor, false, collect, &l, &cause) != SR_OK) {
			ui_status(cause, C_ERROR);
			free(cause);
			break;
		}
		if (l.n == 0) {
			list_free(&l);
			empty(app, status);
			break;
		}
		struct pick_item *items = xcalloc(l.n, sizeof *items);
		char **labels = xcalloc(l.n, sizeof *labels);
		for (size_t i = 0; i < l.n; i++) {
			const struct citem *it = &l.v[i];
			labels[i] = xasprintf("%s  %s  %s  %s", it->name, it->site, kind_label(it->kind),
					      it->why);
			items[i] = (struct pick_item){it->uuid, labels[i]};
		}
		/* what was just decided heads the list, which draws the screen anew */
		char *count = msgf(MSG_UI_CONFLICTS_TITLE, (int)l.n);
		char *title = status ? xasprintf("%s  %s", status, count) : xstrdup(count);
		free(count);
		free(status);
		status = NULL;
		int got = ui_pick(title, items, (int)l.n, false, NULL, start);
		free(title);
		if (got >= 0)
			status = show(app, &l.v[got], got, (int)l.n);
		start = got;
		for (size_t i = 0; i < l.n; i++)
			free(labels[i]);
		free(labels);
		free(items);
		list_free(&l);
		if (got < 0)
			break;
	}
	free(status);
}
