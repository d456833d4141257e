/*
 * test_plan.c - the plan's counts and ledger (issue 14) without a terminal:
 * on the shipped configuration and a few hundred sample records of every
 * category, changed at random (decisions, withdrawals, edits that move a
 * record between townships or change the fields targets test, tags set and
 * removed), the report made now from the running counts and counted on the
 * spot (report_build) agrees line for line with the report as of a day to
 * come, counted in C from every record (report_build_then): every team,
 * category, target of every kind (several categories and conditions, a
 * multi-choice field, a tag, villages covered) and township, and the
 * villages each coverage target misses; for an admin and for an officer of
 * one township. And the ledger's states: not started, in progress, done by
 * amount or by a note, closed, reopened, overdue, and as of a day.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "demo.h"
#include "ledger.h"
#include "report.h"
#include "store_plan.h"

static const struct date fixed_today = {2026, 11, 29};
static char *tmp;
static struct config *cfg;
static struct store *st;
static struct user root = {.login = "root", .role = ROLE_ADMIN};
static struct actor admin = {&root, "root"};

static int setup(void **state)
{
	(void)state;
	msg_set_lang(LANG_ZH);
	tmp = tmpdir_new("plan");
	char *dir = config_copy_to(tmp);
	struct diags d = {0};
	assert_int_equal(config_load(dir, &cfg, &d), 0);
	diags_free(&d);
	free(dir);
	char *path = xasprintf("%s/t.db", tmp);
	char *cause = NULL;
	assert_int_equal(store_open(path, true, &st, &cause), SR_OK);
	free(path);
	assert_int_equal(report_counts(st, cfg, false, NULL, NULL, &cause), SR_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(st);
	config_free(cfg);
	return tmpdir_remove(tmp);
}

/* Adds n sample records of every category (one by one, through the triggers)
 * and returns their uuids in ids. */
static void add_samples(int n, uint64_t *seed, struct strv *ids)
{
	for (int k = 0; k < n; k++)
		for (size_t i = 0; i < cfg->forms.n; i++) {
			const struct form *f = cfg->forms.v[i];
			if (f->abstract)
				continue;
			struct record r = {0};
			assert_int_equal(demo_record(cfg, f, &fixed_today, seed, &r.vals), 0);
			r.category = xstrdup(f->key);
			r.status = ST_SUBMITTED;
			record_sync(&r);
			char *cause = NULL;
			int rc = store_add(st, &admin, &r, "t", NULL, &cause);
			if (rc == SR_OK)
				strv_add(ids, r.uuid);
			else
				assert_int_equal(rc, SR_DUP);	/* the same ID drawn twice */
			free(cause);
			record_free(&r);
		}
}

/* Compares two reports' lines and coverage; fails naming the first
 * difference. */
static void same_reports(const struct report *a, const struct report *b, const char *who)
{
	size_t nb = 0;
	for (size_t i = 0; i < b->n; i++)
		nb += !str_eq(b->v[i].section, "village");	/* only the day's report has them */
	assert_int_equal(a->n, nb);
	for (size_t i = 0; i < a->n; i++) {
		const struct report_line *x = &a->v[i], *y = &b->v[i];
		if (!str_eq(x->section, y->section) || !str_eq(x->key, y->key) ||
		    x->target != y->target || x->approved != y->approved ||
		    x->submitted != y->submitted || x->total != y->total)
			fail_msg("%s: %s %s: now %d %ld/%ld/%ld, as of a day to come %s %s %d %ld/%ld/%ld",
				 who, x->section, x->key, x->target, x->approved, x->submitted, x->total,
				 y->section, y->key, y->target, y->approved, y->submitted, y->total);
	}
	assert_int_equal(a->ncover, b->ncover);
	for (size_t i = 0; i < a->ncover; i++) {
		const struct report_cover *x = &a->cover[i], *y = &b->cover[i];
		bool same = str_eq(x->key, y->key) && str_eq(x->town, y->town) &&
			    x->approved == y->approved && x->any == y->any &&
			    x->missing.n == y->missing.n && x->pending.n == y->pending.n;
		for (size_t k = 0; same && k < x->missing.n; k++)
			same = str_eq(x->missing.v[k], y->missing.v[k]);
		for (size_t k = 0; same && k < x->pending.n; k++)
			same = str_eq(x->pending.v[k], y->pending.v[k]);
		if (!same)
			fail_msg("%s: coverage %s in %s: now %d/%d missing %zu, then %d/%d missing %zu",
				 who, x->key, x->town, x->approved, x->any, x->missing.n, y->approved,
				 y->any, y->missing.n);
	}
}

static void agree(const struct actor *a, const char *who)
{
	struct report now, then;
	char *cause = NULL;
	assert_int_equal(report_build(st, a, cfg, REP_ALL, &now, &cause), SR_OK);
	const struct date later = {2099, 12, 31};
	assert_int_equal(report_build_then(st, a, cfg, REP_ALL | REP_VILLAGES, &later, &then, &cause),
			 SR_OK);
	same_reports(&now, &then, who);
	report_free(&now);
	report_free(&then);
}

/* The value of a line, for the checks that the agreement is not empty. */
static long total_of(const struct actor *a, const char *section, const char *key)
{
	struct report r;
	assert_int_equal(report_build(st, a, cfg, REP_ALL, &r, NULL), SR_OK);
	const struct report_line *l = report_find(&r, section, key);
	long n = l ? l->total : -1;
	report_free(&r);
	return n;
}

static void test_report_now_agrees_with_every_record(void **state)
{
	(void)state;
	uint64_t seed = 14;
	struct strv ids = {0};
	add_samples(12, &seed, &ids);
	struct user off = {.login = "off", .role = ROLE_OFFICER};
	strv_add(&off.townships, "宁远堡镇");
	struct actor officer = {&off, "off"};
	struct user sup_user = {.login = "sup", .role = ROLE_SUPERVISOR};
	struct actor sup = {&sup_user, "sup"};
	agree(&admin, "after the adds");
	unsigned x = 7;
	char *cause = NULL;
	for (int step = 0; step < 400; step++) {
		x = x * 1103515245 + 12345;
		const char *u = ids.v[(x >> 8) % ids.n];
		switch ((x >> 4) % 6) {
		case 0:
		case 1: {
			enum action acts[] = {ACT_APPROVE, ACT_RETURN, ACT_WITHDRAW, ACT_UNLOCK};
			store_transition(st, &sup, u, acts[(x >> 12) % 4], "意见", &cause);
			break;
		}
		case 2: {	/* an edit of what targets test, or of the township */
			struct record *r = NULL;
			if (store_get(st, &admin, u, &r, NULL) != SR_OK)
				break;
			static const char *const parties[] = {"中共党员", "群众", "中共预备党员"};
			kv_set(&r->vals, "political_status", parties[(x >> 12) % 3]);
			if (str_eq(r->category, "village_cadre"))
				kv_set(&r->vals, "positions", (x >> 14) & 1 ? "村委会委员|村妇联主席" : "村文书");
			if ((x >> 16) % 5 == 0) {	/* to the other township, a village of it */
				bool ny = str_eq(kv_get(&r->vals, "township"), "宁远堡镇");
				kv_set(&r->vals, "township", ny ? "双湾镇" : "宁远堡镇");
				kv_set(&r->vals, "village", ny ? "北湾村" : "龙泉村");
			}
			record_sync(r);
			store_update(st, &admin, r, NULL, &cause);
			record_free(r);
			free(r);
			break;
		}
		case 3:
			store_tag_set(st, &sup, u, (x >> 12) & 1 ? "youth_model" : "outstanding", NULL, &cause);
			break;
		case 4:
			store_tag_remove(st, &sup, u, "youth_model", "核实", &cause);
			break;
		default:
			break;
		}
		free(cause);
		cause = NULL;
		if (step % 100 == 99) {
			agree(&admin, "the admin, after changes");
			agree(&officer, "an officer of one township");
		}
	}
	/* the agreement is not about empty lines */
	assert_true(total_of(&admin, "target", "party_members") > 0);
	assert_true(total_of(&admin, "target", "village_creators") > 0);
	assert_true(total_of(&admin, "target", "youth_models") > 0);
	assert_true(total_of(&admin, "target", "youth_women_cadres") > 0);
	strv_free(&ids);
	strv_free(&off.townships);
}

/* ---- the ledger --------------------------------------------------------------- */

static const struct ledger_item *state_of(struct ledger *l, const char *id, const struct date *on)
{
	struct report r;
	ledger_free(l);
	assert_int_equal(report_build(st, &admin, cfg, REP_TOTAL | REP_TEAMS | REP_TARGETS, &r, NULL),
			 SR_OK);
	assert_int_equal(ledger_build(st, cfg, &r, on, l, NULL), SR_OK);
	report_free(&r);
	const struct ledger_item *it = ledger_find(l, id);
	assert_non_null(it);
	return it;
}

static void note(const char *item, const char *day, double amount, bool done)
{
	struct task_entry e = {.item = item, .on_date = day, .has_amount = amount != 0,
			       .amount = amount, .done = done, .note = "进展"};
	char *cause = NULL;
	assert_int_equal(store_task_add(st, &admin, &e, &cause), SR_OK);
}

static void test_ledger_states(void **state)
{
	(void)state;
	struct ledger l = {0};
	const struct date before = {2022, 11, 1}, after = {2023, 1, 5};
	const struct ledger_item *it = state_of(&l, "4.1", &before);
	assert_int_equal(it->state, IT_NOT_STARTED);
	assert_false(it->overdue);
	assert_int_equal(it->target, 3);
	assert_true(state_of(&l, "4.1", &after)->overdue);
	note("4.1", "2022-06-01", 1, false);
	note("4.1", "2022-12-20", 1, false);
	it = state_of(&l, "4.1", &before);
	assert_int_equal(it->state, IT_IN_PROGRESS);
	assert_int_equal(it->progress, 1);	/* the note of 12-20 is after that day */
	it = state_of(&l, "4.1", &after);
	assert_int_equal(it->progress, 2);
	assert_true(it->overdue);
	note("4.1", "2022-12-30", 1, false);
	it = state_of(&l, "4.1", &after);
	assert_int_equal(it->state, IT_DONE);
	assert_false(it->overdue);
	/* a closing by a supervisor of one township is refused; the district's is not */
	struct user sup1 = {.login = "s1", .role = ROLE_SUPERVISOR}, sup = {.login = "s", .role = ROLE_SUPERVISOR};
	strv_add(&sup1.townships, "宁远堡镇");
	struct actor a1 = {&sup1, "s1"}, a = {&sup, "s"};
	struct task_entry close = {.item = "4.1", .kind = "close", .on_date = "2023-01-02",
				   .note = "同意销号"};
	char *cause = NULL;
	assert_int_equal(store_task_add(st, &a1, &close, &cause), SR_DENIED);
	free(cause);
	cause = NULL;
	assert_int_equal(store_task_add(st, &a, &close, &cause), SR_OK);
	assert_int_equal(store_task_add(st, &a, &close, &cause), SR_DENIED);	/* closed already */
	free(cause);
	cause = NULL;
	it = state_of(&l, "4.1", &after);
	assert_int_equal(it->state, IT_CLOSED);
	assert_string_equal(it->closed_by, "s");
	assert_string_equal(it->close_note, "同意销号");
	assert_int_equal(state_of(&l, "4.1", &(struct date){2023, 1, 1})->state, IT_DONE);
	struct task_entry reopen = {.item = "4.1", .kind = "reopen", .on_date = "2023-01-04",
				    .note = "材料不全"};
	assert_int_equal(store_task_add(st, &a, &reopen, &cause), SR_OK);
	assert_int_equal(state_of(&l, "4.1", &after)->state, IT_DONE);
	/* an item without a number: done when a note says so */
	assert_int_equal(state_of(&l, "8.1", &after)->state, IT_NOT_STARTED);
	note("8.1", "2022-10-01", 0, false);
	assert_int_equal(state_of(&l, "8.1", &after)->state, IT_IN_PROGRESS);
	note("8.1", "2022-10-02", 0, true);
	assert_int_equal(state_of(&l, "8.1", &after)->state, IT_DONE);
	/* an item that follows a target: its count, against its target */
	it = state_of(&l, "7.1", &after);
	assert_string_equal(it->measure, "个村");
	assert_int_equal(it->target, 15);
	ledger_free(&l);
	strv_free(&sup1.townships);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_report_now_agrees_with_every_record, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ledger_states, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
