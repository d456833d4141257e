/*
 * report.c - counts for the report and the home screen: the five teams and
 * the district total in distinct people (one person in two categories counts
 * once), categories in records, the plan's specific targets and townships.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"

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

static struct report_line *add_line(struct report *r, const char *section, const char *key,
				    const char *label, int target)
{
	r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
	r->v[r->n] = (struct report_line){section, key, label, target, 0, 0, 0};
	return &r->v[r->n++];
}

/* Counts with a category list of one or more categories. */
static int count_cats(struct store *st, const struct actor *a, struct strv *cats,
		      struct count_query q, bool people, struct report_line *l, char **cause)
{
	q.categories = cats;
	int rc = cats->n ? count(st, a, q, people, l, cause) : SR_OK;
	strv_free(cats);
	return rc;
}

int report_build(struct store *st, const struct actor *a, const struct config *c,
		 unsigned parts, struct report *r, char **cause)
{
	int rc = SR_OK;
	memset(r, 0, sizeof *r);
	if (parts & REP_TOTAL)
		rc = count(st, a, (struct count_query){.team = "*"}, true,
			   add_line(r, "total", "total", msg(MSG_REPORT_TOTAL), c->total_target), cause);
	for (size_t i = 0; rc == SR_OK && (parts & REP_TEAMS) && i < c->nteams; i++)
		rc = count(st, a, (struct count_query){.team = c->teams[i].key}, true,
			   add_line(r, "team", c->teams[i].key, c->teams[i].label,
				    c->teams[i].target), cause);
	for (size_t i = 0; rc == SR_OK && (parts & REP_CATEGORIES) && i < c->forms.n; i++) {
		const struct form *f = c->forms.v[i];
		if (f->abstract)
			continue;
		struct strv cats = {0};
		strv_add(&cats, f->key);
		rc = count_cats(st, a, &cats, (struct count_query){0}, false,
				add_line(r, "category", f->key, f->title, 0), cause);
	}
	for (size_t i = 0; rc == SR_OK && (parts & REP_TARGETS) && i < c->ntargets; i++) {
		const struct target *t = &c->targets[i];
		rc = count(st, a, (struct count_query){.target = t->key}, true,
			   add_line(r, "target", t->key, t->label, t->target), cause);
	}
	for (size_t i = 0; rc == SR_OK && (parts & REP_TOWNSHIPS) && i < c->ntowns; i++) {
		if (!auth_in_scope(a->user, c->towns[i].name))
			continue;
		rc = count(st, a, (struct count_query){.team = "*", .township = c->towns[i].name}, true,
			   add_line(r, "township", c->towns[i].name, c->towns[i].name, 0), cause);
	}
	return rc;
}

void report_free(struct report *r)
{
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

int report_percent(const struct report_line *l)
{
	return l->target > 0 ? (int)(l->approved * 100 / l->target) : -1;
}
