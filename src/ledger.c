/*
 * ledger.c - the plan's ledger as people read it (ledger.h): each item's
 * state, progress and whether it is overdue, from the store's log of
 * notes, closes and reopens and from the report's counts.
 */
#include "ledger.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "store_plan.h"

static const struct {
	const char *name;
	enum msg_id label;
} states[] = {
	[IT_NOT_STARTED] = {"not_started", MSG_ITEM_NOT_STARTED},
	[IT_IN_PROGRESS] = {"in_progress", MSG_ITEM_IN_PROGRESS},
	[IT_DONE] = {"done", MSG_ITEM_DONE},
	[IT_CLOSED] = {"closed", MSG_ITEM_CLOSED},
};

const char *item_state_name(enum item_state s)
{
	return (unsigned)s < ARRAY_LEN(states) ? states[s].name : "?";
}

const char *item_state_label(enum item_state s)
{
	return (unsigned)s < ARRAY_LEN(states) ? msg(states[s].label) : "?";
}

struct build {
	struct ledger *l;
	char as_of[16];
};

static void set_text(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrdup(v);
}

static int one_entry(const struct task_entry *e, void *arg)
{
	struct build *b = arg;
	struct ledger_item *it = NULL;
	for (size_t i = 0; i < b->l->n && it == NULL; i++)
		if (str_eq(b->l->v[i].item->id, e->item))
			it = &b->l->v[i];
	if (it == NULL || strcmp(e->on_date, b->as_of) > 0)
		return 0;	/* an item gone from tasks.ini, or after the day */
	if (str_eq(e->kind, "progress")) {
		it->notes++;
		if (e->has_amount)
			it->amount += e->amount;
		it->marked_done |= e->done;
		set_text(&it->last_date, e->on_date);
		set_text(&it->last_note, e->note);
	} else if (str_eq(e->kind, "close")) {
		set_text(&it->closed_on, e->on_date);
		set_text(&it->closed_by, e->as_user ? e->as_user : e->login);
		set_text(&it->close_note, e->note);
	} else if (str_eq(e->kind, "reopen")) {
		free(it->closed_on);
		free(it->closed_by);
		free(it->close_note);
		it->closed_on = it->closed_by = it->close_note = NULL;
		it->marked_done = false;	/* reopened: what was done is judged again */
	}
	return 0;
}

/* The state, progress and target of an item once its log is read. */
static void settle(struct ledger_item *it, const struct report *r, const char *as_of)
{
	const struct item *item = it->item;
	const struct report_line *line = report_counted(r, item->counts);
	bool met = false;
	if (line) {
		it->progress = line->approved;
		it->target = line->target;
		it->measure = msg(str_eq(line->kind, "coverage") ? MSG_MEASURE_VILLAGES
				  : str_eq(line->kind, "events") ? MSG_MEASURE_EVENTS
				  : str_eq(line->kind, "hours") ? MSG_MEASURE_HOURS
								 : MSG_MEASURE_PEOPLE);
		met = line->target > 0 && line->approved >= line->target;
	} else {
		it->progress = (long)floor(it->amount + 0.5);
		it->target = item->target;
		it->measure = item->measure;
		met = item->target > 0 && it->amount >= item->target;
	}
	if (it->closed_on)
		it->state = IT_CLOSED;
	else if (met || it->marked_done)
		it->state = IT_DONE;
	else if (it->notes > 0 || (line && line->total > 0))
		it->state = IT_IN_PROGRESS;
	else
		it->state = IT_NOT_STARTED;
	it->overdue = it->state != IT_CLOSED && it->state != IT_DONE && item->deadline &&
		      strcmp(item->deadline, as_of) < 0;
}

int ledger_build(struct store *st, const struct config *c, const struct report *r,
		 const struct date *as_of, struct ledger *out, char **cause)
{
	memset(out, 0, sizeof *out);
	out->v = xcalloc(c->nitems + 1, sizeof *out->v);
	out->n = c->nitems;
	for (size_t i = 0; i < c->nitems; i++)
		out->v[i].item = &c->items[i];
	struct build b = {out, ""};
	snprintf(b.as_of, sizeof b.as_of, "%04d-%02d-%02d", (as_of->y % 10000 + 10000) % 10000,
		 (as_of->m % 100 + 100) % 100, (as_of->d % 100 + 100) % 100);
	int rc = store_task_log(st, NULL, one_entry, &b, cause);
	for (size_t i = 0; i < out->n; i++)
		settle(&out->v[i], r, b.as_of);
	return rc;
}

void ledger_free(struct ledger *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct ledger_item *it = &l->v[i];
		free(it->last_date);
		free(it->last_note);
		free(it->closed_on);
		free(it->closed_by);
		free(it->close_note);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

const struct ledger_item *ledger_find(const struct ledger *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (str_eq(l->v[i].item->id, id))
			return &l->v[i];
	return NULL;
}

char *ledger_progress_text(const struct ledger_item *it)
{
	if (it->target > 0)
		return xasprintf("%ld / %d %s", it->progress, it->target, it->measure ? it->measure : "");
	if (it->item->counts)
		return xasprintf("%ld %s", it->progress, it->measure ? it->measure : "");
	if (it->notes > 0 && it->amount != 0)
		return xasprintf("%ld %s", it->progress, it->measure ? it->measure : "");
	return xstrdup("—");
}
