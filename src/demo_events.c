/*
 * demo_events.c - the demo's events (issue 15), once its records exist:
 * two classes of 高素质农民 training with some trainees in both (counted
 * once), two of them registered on the spot; a concentrated training of
 * rural party members, the party school's class, the science week, an
 * e-commerce and a domestic-service class, each with attendees of the
 * categories it serves. Every event and attendee goes through events.h
 * (validation, the registry for people registered on the spot, the
 * store's rights); the district's supervisor approves all but the
 * e-commerce class, so that the report shows both counts.
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

/* An event of the demo: its type, days before today, township (NULL: the
 * district's), title, organiser, place, hours, and who attends: people of
 * category, from the pool's first..first+n, and how many are registered
 * on the spot. */
static const struct {
	const char *type;
	int days_ago;
	const char *town, *title, *organiser, *place, *hours;
	const char *category;
	size_t first, n, spot;
	bool approve;
} events[] = {
	{"hq_farmer_class", 200, "宁远堡镇", "第一期高素质农民培训班（设施蔬菜）", "区农业农村局",
	 "宁远堡镇农民田间学校", "40", "grower|family_farm|coop_leader", 0, 12, 0, true},
	{"hq_farmer_class", 100, "双湾镇", "第二期高素质农民培训班（肉羊养殖）", "区农业农村局",
	 "双湾镇综合文化站", "32", "grower|family_farm|coop_leader", 8, 10, 0, true},
	{"party_training", 150, NULL, "全区农村党员集中培训", "区委组织部", "区委党校", "16",
	 "village_cadre", 0, 8, 0, true},
	{"party_school_class", 60, NULL, "区委党校“三农”工作专题培训班（第一期）", "区委党校",
	 "区委党校", "24", "village_cadre|exchange_cadre", 2, 6, 0, true},
	{"sci_tech_week", 75, NULL, "2026年金川区科技活动周", "区科技局", "区科技馆", "8",
	 "tech_commissioner", 0, 5, 0, true},
	{"ecommerce_class", 30, "宁远堡镇", "农村电商与直播带货培训班", "区商务局", "宁远堡镇电商服务站",
	 "20", "ecommerce_trainee", 0, 6, 0, false},
	{"domestic_class", 45, "双湾镇", "家政服务员职业技能培训班", "区人社局", "双湾镇便民服务中心",
	 "60", "domestic_service", 0, 5, 0, true},
};

struct pool {
	struct strv ids;
	const struct strv *cats;
};

static int pool_add(const struct record *r, void *arg)
{
	struct pool *p = arg;
	if (strv_has(p->cats, r->category) && !strv_has(&p->ids, r->person_key))
		strv_add(&p->ids, r->person_key);
	return 0;
}

static int count_event(const struct event *e, void *arg)
{
	(void)e;
	++*(int *)arg;
	return 1;
}

/* Registers someone new on the spot at e: a sample person of the type's
 * category, without the values the event gives. */
static int spot(const struct registry *rg, const struct form *type, const struct event *e,
		uint64_t *seed, int *added, char **cause)
{
	const struct form *cat = ev_category(rg->cfg, type);
	if (cat == NULL)
		return SR_OK;
	for (int tries = 0; tries < 20; tries++) {
		struct kv own = {0};
		if (demo_record(rg->cfg, cat, &rg->today, seed, &own) < 0)
			return SR_OK;
		for (size_t i = 0; i < type->carry_to.n; i++)
			kv_del(&own, type->carry_to.v[i]);
		for (size_t i = 0; i < type->preset_keys.n; i++)
			kv_del(&own, type->preset_keys.v[i]);
		char *id = xstrdup(kv_get(&own, "id_number"));
		struct attend_result r;
		ev_attend(rg, e, id, &own, "typed", true, false, &r);
		free(id);
		kv_free(&own);
		enum attend_outcome o = r.outcome;
		if (o == AT_FAILED && cause) {
			*cause = r.res.cause;
			r.res.cause = NULL;
		}
		attend_result_free(&r);
		if (o == AT_REGISTERED) {
			++*added;
			return SR_OK;
		}
		if (o == AT_FAILED)
			return SR_FAIL;
	}
	return SR_OK;
}

int demo_events(const struct registry *rg, const struct user *supervisor, int *nevents,
		int *nattend, char **cause)
{
	*nevents = *nattend = 0;
	int had = 0;
	int rc = store_event_list(rg->st, rg->actor, NULL, count_event, &had, cause);
	if (rc != SR_OK || had)	/* a second demo adds records, not the events again */
		return rc;
	uint64_t seed = 15;
	for (size_t i = 0; rc == SR_OK && i < ARRAY_LEN(events); i++) {
		const struct form *type = config_event_type(rg->cfg, events[i].type);
		if (type == NULL || (events[i].town && !config_township(rg->cfg, events[i].town)))
			continue;	/* a configuration edited since */
		char on[11];
		demo_day_before(&rg->today, events[i].days_ago, on);
		struct kv vals = {0};
		kv_set(&vals, "title", events[i].title);
		kv_set(&vals, "organiser", events[i].organiser);
		kv_set(&vals, "start_date", on);
		kv_set(&vals, "place", events[i].place);
		kv_set(&vals, "hours", events[i].hours);
		if (events[i].town)
			kv_set(&vals, "township", events[i].town);
		struct reg_opts o = {.confirm = true};
		struct reg_result res;
		ev_add(rg, type, &vals, &o, &res);
		kv_free(&vals);
		struct event *e = NULL;
		if (res.outcome == REG_SAVED)
			rc = store_event_get(rg->st, rg->actor, res.uuid, &e, cause);
		reg_result_free(&res);
		if (e == NULL)
			continue;	/* a type edited so that the demo's values fail */
		++*nevents;
		struct strv cats = {0};
		strv_split(&cats, events[i].category, '|');
		struct pool p = {{0}, &cats};
		struct list_query q = {.status = -1, .oldest_first = true};
		rc = store_list(rg->st, rg->actor, &q, pool_add, &p, cause);
		for (size_t k = events[i].first; rc == SR_OK && k < p.ids.n &&
		     k < events[i].first + events[i].n; k++) {
			struct attend_result r;
			ev_attend(rg, e, p.ids.v[k], NULL, "typed", false, false, &r);
			*nattend += r.outcome == AT_LINKED;
			attend_result_free(&r);
		}
		for (size_t k = 0; rc == SR_OK && k < events[i].spot; k++)
			rc = spot(rg, type, e, &seed, nattend, cause);
		strv_free(&cats);
		strv_free(&p.ids);
		if (rc == SR_OK && supervisor && events[i].approve) {
			struct actor sup = {supervisor, rg->actor->real_login};
			rc = store_event_transition(rg->st, &sup, e->uuid, ACT_APPROVE, NULL, cause);
		}
		event_free(e);
		free(e);
	}
	return rc;
}
