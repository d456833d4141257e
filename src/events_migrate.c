/*
 * events_migrate.c - the training fields of old records linked to events
 * (events.h, ev_migrate). Before events, a class lived as its course, date
 * and site typed again on each trainee's record; once the class is entered
 * as an event, its trainees are found by those same values and added to
 * its attendees. Their records keep their text: a value that matches no
 * event, or several, is reported and left as it was.
 */
#include "events.h"

#include <stdlib.h>
#include <string.h>

#include "strmap.h"

#define SEP "\x1f"	/* joins values into one key; no stored value holds it */

struct mig_event {
	char uuid[37];
	const struct form *type;
	char *key;	/* its carried values joined, in its type's carry order */
};

struct mig_rec {
	char *person_key;
	size_t group;
};

struct mig {
	const struct registry *rg;
	const struct form *cat;
	const struct form *type;	/* the type whose events are being read */
	struct strv fields;		/* every field a type carries into cat */
	struct mig_event *ev;
	size_t nev, evcap;
	struct mig_group *g;
	size_t ng, gcap;
	struct strmap keys;		/* a group's values joined -> its index + 1 */
	struct mig_rec *rec;
	size_t nrec, reccap;
};

/* The values of keys in vals joined by SEP; NULL when one is empty. */
static char *join_all(const struct kv *vals, const struct strv *keys)
{
	struct buf b = {0};
	for (size_t i = 0; i < keys->n; i++) {
		const char *v = kv_get(vals, keys->v[i]);
		if (str_empty(v)) {
			buf_free(&b);
			return NULL;
		}
		if (i)
			buf_puts(&b, SEP);
		buf_puts(&b, v);
	}
	return buf_take(&b);
}

static int take_event(const struct event *e, void *arg)
{
	struct mig *m = arg;
	char *key = e->status == ST_WITHDRAWN ? NULL : join_all(&e->vals, &m->type->carry_from);
	if (key == NULL)
		return 0;
	if (m->nev == m->evcap) {
		m->evcap = m->evcap ? m->evcap * 2 : 16;
		m->ev = xrealloc(m->ev, m->evcap * sizeof *m->ev);
	}
	struct mig_event *me = &m->ev[m->nev++];
	memcpy(me->uuid, e->uuid, sizeof me->uuid);
	me->type = m->type;
	me->key = key;
	return 0;
}

/* A new group for the values of r, with the events they match. */
static size_t new_group(struct mig *m, const struct record *r, const char *key)
{
	if (m->ng == m->gcap) {
		m->gcap = m->gcap ? m->gcap * 2 : 16;
		m->g = xrealloc(m->g, m->gcap * sizeof *m->g);
	}
	struct mig_group *g = &m->g[m->ng];
	memset(g, 0, sizeof *g);
	g->category = m->cat;
	for (size_t i = 0; i < m->fields.n; i++) {
		strv_add(&g->fields, m->fields.v[i]);
		const char *v = kv_get(&r->vals, m->fields.v[i]);
		strv_add(&g->values, v ? v : "");
	}
	for (size_t i = 0; i < m->nev; i++) {
		char *k = join_all(&r->vals, &m->ev[i].type->carry_to);
		if (k && str_eq(k, m->ev[i].key) && !strv_has(&g->events, m->ev[i].uuid))
			strv_add(&g->events, m->ev[i].uuid);
		free(k);
	}
	strmap_put(&m->keys, key, (long)m->ng + 1, NULL);
	return m->ng++;
}

static int take_record(const struct record *r, void *arg)
{
	struct mig *m = arg;
	if (r->status == ST_WITHDRAWN || str_empty(r->person_key))
		return 0;
	struct buf b = {0};
	bool any = false;
	for (size_t i = 0; i < m->fields.n; i++) {
		const char *v = kv_get(&r->vals, m->fields.v[i]);
		any |= !str_empty(v);
		if (i)
			buf_puts(&b, SEP);
		buf_puts(&b, v ? v : "");
	}
	if (!any) {	/* no training recorded */
		buf_free(&b);
		return 0;
	}
	const struct strmap_entry *hit = strmap_get(&m->keys, b.s);
	size_t gi = hit ? (size_t)hit->row - 1 : new_group(m, r, b.s);
	buf_free(&b);
	m->g[gi].records++;
	if (m->nrec == m->reccap) {
		m->reccap = m->reccap ? m->reccap * 2 : 64;
		m->rec = xrealloc(m->rec, m->reccap * sizeof *m->rec);
	}
	m->rec[m->nrec++] = (struct mig_rec){xstrdup(r->person_key), gi};
	return 0;
}

static int take_attendee(const struct attendee *at, void *arg)
{
	if (at->person_key)	/* one the user does not see is none of theirs */
		strmap_put(arg, at->person_key, 0, NULL);
	return 0;
}

/* Links the records of group gi to its one event. */
static int link_group(struct mig *m, size_t gi, bool dry_run, char **cause)
{
	struct mig_group *g = &m->g[gi];
	const char *event = g->events.v[0];
	struct strmap attends = {0};
	int ret = store_event_attendees(m->rg->st, m->rg->actor, event, take_attendee, &attends,
					cause);
	for (size_t i = 0; ret == SR_OK && i < m->nrec; i++) {
		const char *pk = m->rec[i].person_key;
		if (m->rec[i].group != gi)
			continue;
		if (strmap_get(&attends, pk)) {
			g->already++;
			continue;
		}
		if (g->refused) {	/* the event refused the first: it refuses them all */
			g->refused++;
			continue;
		}
		int rc = dry_run ? SR_OK
				 : store_event_attend(m->rg->st, m->rg->actor, event, pk,
						      m->cat->key, "migrated", cause);
		if (rc == SR_OK) {
			g->linked++;
			strmap_put(&attends, pk, 0, NULL);
		} else if (rc == SR_NOCHANGE) {
			g->already++;
		} else if (rc == SR_DENIED) {
			g->refused++;
			free(*cause);
			*cause = NULL;
		} else {
			ret = rc;
		}
	}
	strmap_free(&attends);
	return ret;
}

static int by_values(const void *a, const void *b)
{
	const struct mig_group *x = *(const struct mig_group *const *)a;
	const struct mig_group *y = *(const struct mig_group *const *)b;
	for (size_t i = 0; i < x->values.n && i < y->values.n; i++) {
		int c = strcmp(x->values.v[i], y->values.v[i]);
		if (c)
			return c;
	}
	return 0;
}

static void mig_clear(struct mig *m)
{
	for (size_t i = 0; i < m->nev; i++)
		free(m->ev[i].key);
	for (size_t i = 0; i < m->ng; i++) {
		strv_free(&m->g[i].fields);
		strv_free(&m->g[i].values);
		strv_free(&m->g[i].events);
	}
	for (size_t i = 0; i < m->nrec; i++)
		free(m->rec[i].person_key);
	free(m->ev);
	free(m->g);
	free(m->rec);
	strv_free(&m->fields);
	strmap_free(&m->keys);
}

/* One category: its types' events, its records, their groups linked. */
static int migrate_category(const struct registry *rg, const struct form *cat, bool dry_run,
			    int (*cb)(const struct mig_group *g, void *arg), void *arg,
			    char **cause)
{
	struct mig m = {.rg = rg, .cat = cat};
	const struct formset *types = &rg->cfg->events;
	int ret = SR_OK;
	for (size_t i = 0; ret == SR_OK && i < types->n; i++) {
		const struct form *t = types->v[i];
		if (t->abstract || !str_eq(t->category, cat->key) || t->carry_to.n == 0)
			continue;
		for (size_t j = 0; j < t->carry_to.n; j++)
			if (!strv_has(&m.fields, t->carry_to.v[j]))
				strv_add(&m.fields, t->carry_to.v[j]);
		m.type = t;
		struct event_query q = {.type = t->key, .status = -1};
		ret = store_event_list(rg->st, rg->actor, &q, take_event, &m, cause);
	}
	if (ret == SR_OK && m.fields.n) {
		struct list_query q = {.category = cat->key, .status = -1};
		ret = store_list(rg->st, rg->actor, &q, take_record, &m, cause);
	}
	for (size_t i = 0; ret == SR_OK && i < m.ng; i++)
		if (m.g[i].events.n == 1)
			ret = link_group(&m, i, dry_run, cause);
	if (ret == SR_OK && m.ng) {
		const struct mig_group **order = xmalloc(m.ng * sizeof *order);
		for (size_t i = 0; i < m.ng; i++)
			order[i] = &m.g[i];
		qsort(order, m.ng, sizeof *order, by_values);
		for (size_t i = 0; i < m.ng && cb(order[i], arg) == 0; i++)
			;
		free(order);
	}
	mig_clear(&m);
	return ret;
}

int ev_migrate(const struct registry *rg, bool dry_run,
	       int (*cb)(const struct mig_group *g, void *arg), void *arg, char **cause)
{
	const struct formset *forms = &rg->cfg->forms;
	int ret = SR_OK;
	for (size_t i = 0; ret == SR_OK && i < forms->n; i++)
		if (!forms->v[i]->abstract)
			ret = migrate_category(rg, forms->v[i], dry_run, cb, arg, cause);
	return ret;
}
