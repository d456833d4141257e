/*
 * report_then.c - the report as of the end of a past day (report.h), for
 * the year-end report a district sends upward: every record created by
 * then, with the status and values it had then (store_each_then), counted
 * here in C into the same lines report.c makes from the running counts,
 * plus a line per village. Tags count when set by then and not removed.
 * Reading every record takes a while in a large registry; the home screen
 * and the plain report never come here. Run as of a day after the last
 * change, it must agree with report_build line for line (a test holds
 * them to that).
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "store_plan.h"
#include "strmap.h"

struct then {
	const struct config *c;
	const struct actor *a;
	unsigned parts;
	struct report *r;
	struct strmap seen;	/* "line|bucket|person": counted already */
	struct strmap tags;	/* "person|tag": carried on the day */
	const char *before;	/* UTC: the start of the next day */
	size_t total, teams, cats, targets, towns, villages;	/* each section's first line */
	size_t ntargets_lines;
	struct cover_acc **cover;	/* per target of targets.ini, coverage only */
	size_t *target_line;		/* per target of targets.ini: its line */
};

/* Counts person once in line l for each bucket its status falls in. */
static void bump(struct then *t, size_t l, const char *person, enum status s)
{
	struct report_line *line = &t->r->v[l];
	const struct {
		char bucket;
		bool in;
		long *n;
	} b[] = {
		{'A', s == ST_APPROVED, &line->approved},
		{'S', s == ST_SUBMITTED, &line->submitted},
		{'T', true, &line->total},
	};
	for (size_t i = 0; i < ARRAY_LEN(b); i++) {
		if (!b[i].in)
			continue;
		char *key = xasprintf("%zu|%c|%s", l, b[i].bucket, person);
		if (strmap_put(&t->seen, key, 0, NULL))
			(*b[i].n)++;
		free(key);
	}
}

static bool has_tag(const struct then *t, const char *person, const char *tag)
{
	char *key = xasprintf("%s|%s", person, tag);
	bool has = strmap_get(&t->tags, key) != NULL;
	free(key);
	return has;
}

/* Finds the line of section and key (and town) from index from. */
static size_t line_of(const struct then *t, size_t from, const char *section, const char *key,
		      const char *town)
{
	for (size_t i = from; i < t->r->n; i++)
		if (str_eq(t->r->v[i].section, section) && str_eq(t->r->v[i].key, key) &&
		    (town == NULL || str_eq(t->r->v[i].town, town)))
			return i;
	return (size_t)-1;
}

static int one_record(const struct record *rec, void *arg)
{
	struct then *t = arg;
	const struct config *c = t->c;
	enum status s = rec->status;
	if (s == ST_WITHDRAWN)
		return 0;
	const char *person = rec->person_key;
	const char *town = kv_get(&rec->vals, "township");
	const char *village = kv_get(&rec->vals, "village");
	const struct form *f = formset_find(&c->forms, rec->category);
	size_t l;
	if (t->parts & REP_TOTAL)
		bump(t, t->total, person, s);
	if ((t->parts & REP_TEAMS) && f &&
	    (l = line_of(t, t->teams, "team", f->team, NULL)) != (size_t)-1)
		bump(t, l, person, s);
	if ((t->parts & REP_CATEGORIES) &&
	    (l = line_of(t, t->cats, "category", rec->category, NULL)) != (size_t)-1) {
		t->r->v[l].approved += s == ST_APPROVED;
		t->r->v[l].submitted += s == ST_SUBMITTED;
		t->r->v[l].total++;
	}
	for (size_t i = 0; (t->parts & REP_TARGETS) && i < c->ntargets; i++) {
		const struct target *tg = &c->targets[i];
		if (!target_matches(tg, rec->category, &rec->vals))
			continue;
		if (tg->kind == TK_COVERAGE) {
			unsigned bits = COVER_LIVE | (s == ST_APPROVED ? COVER_APPROVED : 0) |
					(s == ST_SUBMITTED ? COVER_SUBMITTED : 0);
			const char *ctown = kv_get(&rec->vals, tg->by_town ? tg->by_town : "township");
			if (ctown)
				report_cover_note(ctown, kv_get(&rec->vals, tg->by), bits, t->cover[i]);
		} else if (tg->tag == NULL || has_tag(t, person, tg->tag)) {
			bump(t, t->target_line[i], person, s);
		}
	}
	if ((t->parts & REP_TOWNSHIPS) && town &&
	    (l = line_of(t, t->towns, "township", town, NULL)) != (size_t)-1)
		bump(t, l, person, s);
	if ((t->parts & REP_VILLAGES) && town && village &&
	    (l = line_of(t, t->villages, "village", village, town)) != (size_t)-1)
		bump(t, l, person, s);
	return 0;
}

static int one_tag(const struct tag_row *tr, void *arg)
{
	struct then *t = arg;
	if (tr->set_at && strcmp(tr->set_at, t->before) < 0 &&
	    (tr->removed_at == NULL || strcmp(tr->removed_at, t->before) >= 0)) {
		char *key = xasprintf("%s|%s", tr->person_key, tr->tag);
		strmap_put(&t->tags, key, 0, NULL);
		free(key);
	}
	return 0;
}

/* The lines, in report_build's order, all at zero. */
static void lines(struct then *t)
{
	const struct config *c = t->c;
	const struct user *u = t->a->user;
	struct report *r = t->r;
	t->total = r->n;
	if (t->parts & REP_TOTAL)
		report_add_line(r, c, u, "total", "total", msg(MSG_REPORT_TOTAL), "people", "total",
				c->total_target);
	t->teams = r->n;
	for (size_t i = 0; (t->parts & REP_TEAMS) && i < c->nteams; i++) {
		char *what = xasprintf("team.%s", c->teams[i].key);
		report_add_line(r, c, u, "team", c->teams[i].key, c->teams[i].label, "people", what,
				c->teams[i].target);
		free(what);
	}
	t->cats = r->n;
	for (size_t i = 0; (t->parts & REP_CATEGORIES) && i < c->forms.n; i++)
		if (!c->forms.v[i]->abstract)
			report_add_line(r, c, u, "category", c->forms.v[i]->key, c->forms.v[i]->title,
					"records", NULL, 0);
	t->targets = r->n;
	t->cover = xcalloc(c->ntargets + 1, sizeof *t->cover);
	t->target_line = xcalloc(c->ntargets + 1, sizeof *t->target_line);
	for (size_t i = 0; (t->parts & REP_TARGETS) && i < c->ntargets; i++) {
		const struct target *tg = &c->targets[i];
		char *what = xasprintf("target.%s", tg->key);
		t->target_line[i] = r->n;
		report_add_line(r, c, u, "target", tg->key, tg->label,
				report_kind_name(tg->kind, tg->tag != NULL), what, tg->target);
		free(what);
		if (tg->kind == TK_COVERAGE)
			t->cover[i] = report_cover_begin(c, tg);
	}
	t->towns = r->n;
	for (size_t i = 0; (t->parts & REP_TOWNSHIPS) && i < c->ntowns; i++) {
		const char *name = c->towns[i].name;
		if (auth_in_scope(u, name))
			report_add_township(r, c, name);
	}
	t->villages = r->n;
	for (size_t i = 0; (t->parts & REP_VILLAGES) && i < c->ntowns; i++) {
		const struct township *tw = &c->towns[i];
		if (!auth_in_scope(u, tw->name))
			continue;
		for (size_t v = 0; v < tw->villages.n; v++)
			report_add_line(r, c, NULL, "village", tw->villages.v[v], tw->villages.v[v],
					"people", NULL, 0)->town = tw->name;
	}
}

int report_build_then(struct store *st, const struct actor *a, const struct config *c,
		      unsigned parts, const struct date *as_of, struct report *r, char **cause)
{
	memset(r, 0, sizeof *r);
	char *before = day_start_iso(as_of->y, as_of->m, as_of->d + 1);
	struct then t = {.c = c, .a = a, .parts = parts, .r = r, .before = before};
	lines(&t);
	int rc = store_tag_all(st, one_tag, &t, cause);
	if (rc == SR_OK)
		rc = store_each_then(st, a, before, one_record, &t, cause);
	for (size_t i = 0; i < c->ntargets; i++)
		if (t.cover[i])
			report_cover_end(t.cover[i], a->user, r, t.target_line[i], parts);
	r->as_of = xasprintf("%04d-%02d-%02d", as_of->y, as_of->m, as_of->d);
	/* targets of events: the events held by then and entered before the
	 * next day, with the attendance added by then */
	for (size_t i = 0; rc == SR_OK && (parts & REP_TARGETS) && i < c->ntargets; i++)
		if (TK_IS_EVENTS(c->targets[i].kind))
			rc = report_event_counts(st, a, &c->targets[i], before, r->as_of,
						 &r->v[t.target_line[i]], cause);
	strmap_free(&t.seen);
	strmap_free(&t.tags);
	free(t.cover);
	free(t.target_line);
	free(before);
	return rc;
}
