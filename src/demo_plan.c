/*
 * demo_plan.c - the demo's share of the plan (issue 14), once its records
 * exist: progress notes on the ledger's items (stations built, problems
 * solved, a training class held), one item done and closed (销号) by the
 * district's supervisor, and tags on a few people (青年创业典型, 返乡创业典型,
 * 优秀人才), so that the ledger, the tag targets and the year-end report
 * show something on a new demo database. Every change goes through the
 * store calls the commands make; nothing here writes a record.
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_plan.h"

/* A progress note: item, days before today, amount (0: none), done,
 * township (NULL: none), note, evidence. */
static const struct {
	const char *item;
	int days_ago;
	double amount;
	bool done;
	const char *town, *note, *evidence;
} notes[] = {
	{"1.1", 120, 1, false, NULL, "区委组织部集中轮训农村党员一期，参训 186 人", "组织部培训通知及签到表"},
	{"4.1", 90, 1, false, "宁远堡镇", "宁远堡镇公共法律服务站建成并通过验收", "区司法局验收意见"},
	{"4.1", 30, 1, false, "双湾镇", "双湾镇南湾村公共法律服务室挂牌运行", "挂牌照片、值班表"},
	{"5.2", 60, 1, false, "双湾镇", "双湾镇高原夏菜科技示范点建成", "区科技局批复"},
	{"6.3", 75, 1, false, NULL, "举办金川区科技活动周，组织专家下乡 12 场次", "活动方案及新闻报道"},
	{"6.4", 100, 2, false, NULL, "与省农科院合作解决制种玉米倒伏、蔬菜根结线虫两项技术难题", "合作协议及技术报告"},
	{"6.4", 40, 2, false, NULL, "与甘肃农业大学合作解决肉羊冬季补饲、设施蔬菜连作障碍问题", "技术服务记录"},
	{"8.1", 50, 0, false, NULL, "两家农产品加工企业建成实训基地，培训农民 80 人次", "企业实训台账"},
	{"9.1", 20, 1, false, NULL, "区委党校举办“三农”工作专题培训班第一期", "党校培训通知"},
};

/* The item closed (销号) by the district's supervisor, with its comment. */
#define DEMO_CLOSED_ITEM "6.3"
#define DEMO_CLOSED_NOTE "科技活动周已按计划举办，资料齐全，同意销号"

/* Tags: a tag key, a category, and how many of its people get it. */
static const struct {
	const char *tag, *category;
	size_t n;
	const char *note;
} tags[] = {
	{"youth_model", "entrepreneur", 3, "区级青年创业典型"},
	{"returnee_model", "entrepreneur", 1, "返乡创业典型，带动就业突出"},
	{"outstanding", "grower", 2, "优秀乡土人才"},
};

struct pick {
	struct strv ids;
	size_t want;
};

static int pick_one(const struct record *r, void *arg)
{
	struct pick *p = arg;
	if (r->status == ST_APPROVED)
		strv_add(&p->ids, r->uuid);
	return p->ids.n >= p->want;
}

static int count_entry(const struct task_entry *e, void *arg)
{
	(void)e;
	++*(int *)arg;
	return 1;
}

int demo_plan(struct store *st, const struct config *c, const struct actor *a,
	      const struct user *supervisor, const struct date *today, int *noted, int *tagged,
	      char **cause)
{
	*noted = *tagged = 0;
	/* a second demo on the same database adds records, not the ledger again */
	int entries = 0;
	int rc = store_task_log(st, NULL, count_entry, &entries, cause);
	bool ledger = rc == SR_OK && entries == 0;
	for (size_t i = 0; ledger && rc == SR_OK && i < ARRAY_LEN(notes); i++) {
		if (config_item(c, notes[i].item) == NULL)
			continue;	/* a ledger edited since: its items may differ */
		char on[11];
		demo_day_before(today, notes[i].days_ago, on);
		struct task_entry e = {.item = notes[i].item, .on_date = on,
				       .has_amount = notes[i].amount != 0, .amount = notes[i].amount,
				       .done = notes[i].done, .township = notes[i].town,
				       .note = notes[i].note, .evidence = notes[i].evidence};
		if (e.township && !config_township(c, e.township))
			e.township = NULL;
		rc = store_task_add(st, a, &e, cause);
		*noted += rc == SR_OK;
	}
	if (supervisor == NULL)
		return rc;
	struct actor sup = {supervisor, a->real_login};
	if (ledger && rc == SR_OK && config_item(c, DEMO_CLOSED_ITEM)) {
		char on[11];
		demo_day_before(today, 10, on);
		struct task_entry e = {.item = DEMO_CLOSED_ITEM, .kind = "close", .on_date = on,
				       .note = DEMO_CLOSED_NOTE};
		rc = store_task_add(st, &sup, &e, cause);
	}
	for (size_t i = 0; rc == SR_OK && i < ARRAY_LEN(tags); i++) {
		if (config_tag(c, tags[i].tag) == NULL)
			continue;
		/* the people of the category, oldest first, approved ones; a
		 * person tagged already (by the tag before) is skipped */
		struct pick p = {{0}, tags[i].n + 4};
		struct list_query q = {.category = tags[i].category, .status = ST_APPROVED,
				       .oldest_first = true};
		rc = store_list(st, a, &q, pick_one, &p, cause);
		size_t done = 0;
		size_t skip = i == 1 ? tags[0].n : 0;	/* another person than the youth models */
		for (size_t k = skip; rc == SR_OK && k < p.ids.n && done < tags[i].n; k++) {
			char *why = NULL;
			int r = store_tag_set(st, &sup, p.ids.v[k], tags[i].tag, tags[i].note, &why);
			if (r == SR_OK) {
				done++;
				(*tagged)++;
			} else if (r != SR_NOCHANGE) {
				rc = r;
				if (cause)
					*cause = why;
				why = NULL;
			}
			free(why);
		}
		strv_free(&p.ids);
	}
	return rc;
}
