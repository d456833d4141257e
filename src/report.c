/*
 * report.c - counts for the report and the home screen, now: the five teams
 * and the district total in distinct people (one person in two categories
 * counts once), categories in records, the plan's targets (people from the
 * running counts, and the villages coverage targets cover, from theirs;
 * people with a tag counted on the spot), and townships. A target is the user's townships' share when
 * targets.ini splits it off for each of them. report_then.c makes the same
 * lines as of a past day.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "present.h"
#include "store_events.h"
#include "store_plan.h"

static int count(struct store *st, const struct actor *a, struct count_query q, bool people,
		 struct report_line *l, char **cause)
{
	long *slots[] = {&l->approved, &l->submitted, &l->total};
	int statuses[] = {ST_APPROVED, ST_SUBMITTED, -1};
	for (int i = 0; i < 3; i++) {
		long records = 0, persons = 0;
		q.status = statuses[i];
		/* distinct people only when the line counts them: a category's
		 * records are counted on an index alone (bench/README.md) */
		int rc = store_count(st, a, &q, &records, people ? &persons : NULL, cause);
		if (rc != SR_OK)
			return rc;
		*slots[i] = people ? persons : records;
	}
	return SR_OK;
}

/* The user's townships' share of a target: the sum of their splits, when
 * every one of them has one; else -1 (the district's target stands). */
static int share(const struct config *c, const struct user *u, const char *what)
{
	if (what == NULL || u == NULL || u->role == ROLE_ADMIN || u->townships.n == 0)
		return -1;
	int sum = 0;
	for (size_t i = 0; i < u->townships.n; i++) {
		int n = config_split(c, u->townships.v[i], what);
		if (n < 0)
			return -1;
		sum += n;
	}
	return sum;
}

struct report_line *report_add_line(struct report *r, const struct config *c,
				    const struct user *u, const char *section, const char *key,
				    const char *label, const char *kind, const char *what,
				    int district)
{
	r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
	int part = share(c, u, what);
	r->v[r->n] = (struct report_line){section, key, label, NULL, kind,
					  part >= 0 ? part : district, part >= 0, 0, 0, 0};
	return &r->v[r->n++];
}

struct report_line *report_add_township(struct report *r, const struct config *c,
					const char *name)
{
	int split = config_split(c, name, "total");
	struct report_line *l = report_add_line(r, c, NULL, "township", name, name, "people", NULL,
						split > 0 ? split : 0);
	l->split = split > 0;
	return l;
}

int report_counts(struct store *st, const struct config *c, bool check, bool *stale,
		  long *records, char **cause)
{
	struct strv cats = {0}, teams = {0};
	for (size_t i = 0; i < c->forms.n; i++) {
		const struct form *f = c->forms.v[i];
		if (!f->abstract) {
			strv_add(&cats, f->key);
			strv_add(&teams, f->team);
		}
	}
	/* the targets counted as they change: people, or (coverage) the
	 * villages they name; not those by a tag, which is set apart from
	 * records: they are counted on the spot, below */
	struct store_target *t = xcalloc(c->ntargets + 1, sizeof *t);
	size_t nconds = 0, nt = 0;
	for (size_t i = 0; i < c->ntargets; i++)
		nconds += c->targets[i].nconds;
	struct store_cond *conds = xcalloc(nconds + 1, sizeof *conds), *next = conds;
	for (size_t i = 0; i < c->ntargets; i++) {
		const struct target *ct = &c->targets[i];
		if (ct->tag || TK_IS_EVENTS(ct->kind))	/* counted on the spot */
			continue;
		for (size_t k = 0; k < ct->nconds; k++)
			next[k] = (struct store_cond){ct->conds[k].field, &ct->conds[k].values,
						      ct->conds[k].multi};
		t[nt++] = (struct store_target){.key = ct->key, .categories = &ct->categories,
						.conds = ct->nconds ? next : NULL,
						.nconds = ct->nconds,
						.keyed = ct->kind == TK_COVERAGE ? ct->by : NULL};
		next += ct->nconds;
	}
	int rc = check ? store_counts_stale(st, &cats, &teams, t, nt, stale, records, cause)
		       : store_set_counts(st, &cats, &teams, t, nt, cause);
	free(t);
	free(conds);
	strv_free(&cats);
	strv_free(&teams);
	return rc;
}

/* ---- coverage -------------------------------------------------------------- */

struct cover_acc {
	const struct config *c;
	const struct target *t;
	struct strv towns, villages;	/* each village named, and its township */
	unsigned *bits;
};

struct cover_acc *report_cover_begin(const struct config *c, const struct target *t)
{
	struct cover_acc *acc = xcalloc(1, sizeof *acc);
	acc->c = c;
	acc->t = t;
	return acc;
}

void report_cover_note(const char *town, const char *village, unsigned bits, void *arg)
{
	struct cover_acc *acc = arg;
	struct strv names = {0};
	target_village_list(acc->t, village, &names);
	for (size_t k = 0; k < names.n; k++) {
		size_t i = 0;
		while (i < acc->villages.n && !(str_eq(acc->villages.v[i], names.v[k]) &&
						 str_eq(acc->towns.v[i], town)))
			i++;
		if (i == acc->villages.n) {
			strv_add(&acc->towns, town);
			strv_add(&acc->villages, names.v[k]);
			acc->bits = xrealloc(acc->bits, acc->villages.n * sizeof *acc->bits);
			acc->bits[i] = 0;
		}
		acc->bits[i] |= bits;
	}
	strv_free(&names);
}

/* The bits noted for a village of a township. */
static unsigned cover_bits(const struct cover_acc *acc, const char *town, const char *village)
{
	for (size_t i = 0; i < acc->villages.n; i++)
		if (str_eq(acc->villages.v[i], village) && str_eq(acc->towns.v[i], town))
			return acc->bits[i];
	return 0;
}

void report_cover_end(struct cover_acc *acc, const struct user *u, struct report *r,
		      size_t line, unsigned parts)
{
	const struct config *c = acc->c;
	struct report_line *l = &r->v[line];
	int villages = 0;
	for (size_t i = 0; i < c->ntowns; i++) {
		const struct township *tw = &c->towns[i];
		if (!auth_in_scope(u, tw->name))
			continue;
		struct report_cover rc = {acc->t->key, tw->name, (int)tw->villages.n, 0, 0, {0}, {0}};
		for (size_t v = 0; v < tw->villages.n; v++) {
			const char *name = tw->villages.v[v];
			unsigned b = cover_bits(acc, tw->name, name);
			rc.approved += (b & COVER_APPROVED) != 0;
			rc.any += b != 0;
			l->approved += (b & COVER_APPROVED) != 0;
			l->submitted += (b & COVER_SUBMITTED) != 0;
			l->total += b != 0;
			if (!(b & COVER_APPROVED))
				strv_add(&rc.missing, name);
			if (!(b & COVER_APPROVED) && (b & COVER_SUBMITTED))
				strv_add(&rc.pending, name);
		}
		villages += (int)tw->villages.n;
		if (parts & REP_COVERAGE) {
			r->cover = xrealloc(r->cover, (r->ncover + 1) * sizeof *r->cover);
			r->cover[r->ncover++] = rc;
		} else {
			strv_free(&rc.missing);
			strv_free(&rc.pending);
		}
	}
	/* every village of the user's townships, unless targets.ini says how many */
	if (!l->split && (acc->t->target == 0 || !auth_in_scope(u, NULL)))
		l->target = villages;
	strv_free(&acc->towns);
	strv_free(&acc->villages);
	free(acc->bits);
	free(acc);
}

/* ---- targets of events --------------------------------------------------------- */

const char *report_kind_name(enum target_kind k, bool tag)
{
	static const char *const names[] = {
		[TK_PEOPLE] = "people", [TK_COVERAGE] = "coverage", [TK_EVENTS] = "events",
		[TK_TRAINEES] = "trainees", [TK_HOURS] = "hours",
	};
	if (k == TK_PEOPLE && tag)
		return "tag";
	return (unsigned)k < ARRAY_LEN(names) ? names[k] : "people";
}

int report_event_counts(struct store *st, const struct actor *a, const struct target *t,
			const char *before, const char *last_day, struct report_line *l,
			char **cause)
{
	static const enum event_measure what[] = {
		[TK_EVENTS] = EM_EVENTS, [TK_TRAINEES] = EM_PEOPLE, [TK_HOURS] = EM_HOURS,
	};
	const char *to = t->to;
	if (last_day && (to == NULL || strcmp(last_day, to) < 0))
		to = last_day;
	long *slots[] = {&l->approved, &l->submitted, &l->total};
	int statuses[] = {ST_APPROVED, ST_SUBMITTED, -1};
	for (int i = 0; i < 3; i++) {
		struct event_count q = {&t->events, t->from, to, before, statuses[i], what[t->kind]};
		double n = 0;
		int rc = store_event_count(st, a, &q, &n, cause);
		if (rc != SR_OK)
			return rc;
		*slots[i] = (long)(n + 0.5);
	}
	return SR_OK;
}

/* ---- the lines --------------------------------------------------------------- */

/* A target of targets.ini: from the running counts (people; villages
 * covered), or counted on the spot (people with a tag). */
static int target_line(struct store *st, const struct actor *a, const struct config *c,
		       const struct target *t, unsigned parts, struct report *r, char **cause)
{
	char *what = xasprintf("target.%s", t->key);
	struct report_line *l = report_add_line(r, c, a->user, "target", t->key, t->label,
						report_kind_name(t->kind, t->tag != NULL), what,
						t->target);
	free(what);
	if (TK_IS_EVENTS(t->kind))
		return report_event_counts(st, a, t, NULL, NULL, l, cause);
	if (t->kind == TK_COVERAGE) {
		struct cover_acc *acc = report_cover_begin(c, t);
		size_t line = r->n - 1;
		int rc = store_coverage(st, a, t->key, report_cover_note, acc, cause);
		report_cover_end(acc, a->user, r, line, parts);
		return rc;
	}
	if (t->tag == NULL)
		return count(st, a, (struct count_query){.target = t->key}, true, l, cause);
	struct store_cond *conds = xcalloc(t->nconds + 1, sizeof *conds);
	for (size_t i = 0; i < t->nconds; i++)
		conds[i] = (struct store_cond){t->conds[i].field, &t->conds[i].values, t->conds[i].multi};
	struct count_query q = {.categories = &t->categories, .conds = t->nconds ? conds : NULL,
				.nconds = t->nconds, .tag = t->tag};
	int rc = count(st, a, q, true, l, cause);
	free(conds);
	return rc;
}

int report_build(struct store *st, const struct actor *a, const struct config *c,
		 unsigned parts, struct report *r, char **cause)
{
	int rc = SR_OK;
	memset(r, 0, sizeof *r);
	const struct user *u = a->user;
	if (parts & REP_TOTAL)
		rc = count(st, a, (struct count_query){.team = "*"}, true,
			   report_add_line(r, c, u, "total", "total", msg(MSG_REPORT_TOTAL), "people",
					   "total", c->total_target), cause);
	for (size_t i = 0; rc == SR_OK && (parts & REP_TEAMS) && i < c->nteams; i++) {
		char *what = xasprintf("team.%s", c->teams[i].key);
		struct report_line *l = report_add_line(r, c, u, "team", c->teams[i].key,
							c->teams[i].label, "people", what,
							c->teams[i].target);
		free(what);
		rc = count(st, a, (struct count_query){.team = c->teams[i].key}, true, l, cause);
	}
	for (size_t i = 0; rc == SR_OK && (parts & REP_CATEGORIES) && i < c->forms.n; i++) {
		const struct form *f = c->forms.v[i];
		if (f->abstract)
			continue;
		struct strv cats = {0};
		strv_add(&cats, f->key);
		rc = count(st, a, (struct count_query){.categories = &cats}, false,
			   report_add_line(r, c, u, "category", f->key, f->title, "records", NULL, 0),
			   cause);
		strv_free(&cats);
	}
	for (size_t i = 0; rc == SR_OK && (parts & REP_TARGETS) && i < c->ntargets; i++)
		rc = target_line(st, a, c, &c->targets[i], parts, r, cause);
	for (size_t i = 0; rc == SR_OK && (parts & REP_TOWNSHIPS) && i < c->ntowns; i++) {
		const char *name = c->towns[i].name;
		if (!auth_in_scope(u, name))
			continue;
		struct report_line *l = report_add_township(r, c, name);
		rc = count(st, a, (struct count_query){.team = "*", .township = name}, true, l, cause);
	}
	return rc;
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->ncover; i++) {
		strv_free(&r->cover[i].missing);
		strv_free(&r->cover[i].pending);
	}
	free(r->cover);
	free(r->v);
	free(r->as_of);
	memset(r, 0, sizeof *r);
}

int report_percent(const struct report_line *l)
{
	return l->target > 0 ? (int)(l->approved * 100 / l->target) : -1;
}

const struct report_line *report_find(const struct report *r, const char *section,
				      const char *key)
{
	for (size_t i = 0; i < r->n; i++)
		if (str_eq(r->v[i].section, section) && str_eq(r->v[i].key, key))
			return &r->v[i];
	return NULL;
}

const struct report_line *report_counted(const struct report *r, const char *counts)
{
	if (counts == NULL)
		return NULL;
	if (str_eq(counts, "total"))
		return report_find(r, "total", "total");
	if (strncmp(counts, "team.", 5) == 0)
		return report_find(r, "team", counts + 5);
	return report_find(r, "target", counts);
}

char *report_cover_line(const struct report_cover *cv)
{
	char *miss = present_list(&cv->missing), *pend = present_list(&cv->pending);
	char *line = cv->missing.n == 0
			     ? msgf(MSG_REPORT_COVER_ALL, cv->town, cv->approved, cv->villages)
		     : cv->pending.n
			     ? msgf(MSG_REPORT_COVER_PENDING, cv->town, cv->approved, cv->villages, miss,
				    pend)
			     : msgf(MSG_REPORT_COVER_MISSING, cv->town, cv->approved, cv->villages, miss);
	free(miss);
	free(pend);
	return line;
}
