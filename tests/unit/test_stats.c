/*
 * test_stats.c - the running counts (schemas 3 and 5) always agree with
 * counting the slow way, whatever happens to records: people by team and
 * by target (a category, or a category and a field's value), records by
 * category, status and township. Adds one by one and in bulk (which sets
 * the triggers aside), in several categories and townships, status
 * changes, withdrawals, edits that move a record to another township or
 * change the field a target tests, a category moved to another team and a
 * target changed.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "util.h"

static char dir[64];
static struct store *st;
static struct user admin = {.login = "root", .role = ROLE_ADMIN};
static struct actor actor = {&admin, "root"};
/* who decides: nobody reviews the records they made (auth.c) */
static struct user reviewer_user = {.login = "reviewer", .role = ROLE_ADMIN};
static struct actor reviewer = {&reviewer_user, "reviewer"};
static const char *cats[] = {"a1", "a2", "b1"};
static const char *teams[] = {"ta", "ta", "tb"};
static const char *towns[] = {"甲镇", "乙镇"};
/* t_all: every a1 person; t_x: a2 people whose kind is x; t_span: people
 * of a1 and b1 (schema 8) whose kind is x or z and whose roles (a multi
 * value) hold p */
static struct strv span_cats, kinds_xz, role_p;
static const struct store_cond span_conds[] = {
	{"kind", &kinds_xz, false},
	{"roles", &role_p, true},
};
/* t_cover: villages (a keyed group, schema 8) that a1 and b1 records name */
static struct store_target targets[] = {
	{"t_all", "a1", NULL, NULL, NULL, NULL, 0, NULL},
	{"t_x", "a2", "kind", "x", NULL, NULL, 0, NULL},
	{"t_span", NULL, NULL, NULL, &span_cats, span_conds, 2, NULL},
	{"t_cover", NULL, NULL, NULL, &span_cats, NULL, 0, "village"},
};

static void set_counts(void)
{
	struct strv c = {0}, t = {0};
	for (int i = 0; i < 3; i++) {
		strv_add(&c, cats[i]);
		strv_add(&t, teams[i]);
	}
	char *cause = NULL;
	assert_int_equal(store_set_counts(st, &c, &t, targets, ARRAY_LEN(targets), &cause), SR_OK);
	strv_free(&c);
	strv_free(&t);
}

static int setup(void **state)
{
	(void)state;
	if (span_cats.n == 0) {
		strv_add(&span_cats, "a1");
		strv_add(&span_cats, "b1");
		strv_add(&kinds_xz, "x");
		strv_add(&kinds_xz, "z");
		strv_add(&role_p, "p");
	}
	strcpy(dir, "/tmp/talentreg-stats-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/t.db", dir);
	char *cause = NULL;
	assert_int_equal(store_open(path, true, &st, &cause), SR_OK);
	free(path);
	set_counts();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(st);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

/* The records a recount would count when the store finds its groups
 * stale against teams and targets as they are now; 0 when not stale. */
static long stale(void)
{
	struct strv c = {0}, t = {0};
	for (int i = 0; i < 3; i++) {
		strv_add(&c, cats[i]);
		strv_add(&t, teams[i]);
	}
	bool is_stale = false;
	long records = -1;
	assert_int_equal(store_counts_stale(st, &c, &t, targets, ARRAY_LEN(targets), &is_stale,
					    &records, NULL), SR_OK);
	strv_free(&c);
	strv_free(&t);
	return is_stale ? records : 0;
}

static void fill(struct record *r, const char *uuid, const char *cat, const char *person,
		 const char *town, const char *kind)
{
	memset(r, 0, sizeof *r);
	snprintf(r->uuid, sizeof r->uuid, "%s", uuid);
	r->category = xstrdup(cat);
	r->status = ST_SUBMITTED;
	kv_set(&r->vals, "id_number", person);
	kv_set(&r->vals, "name", "某人");
	kv_set(&r->vals, "township", town);
	if (kind)
		kv_set(&r->vals, "kind", kind);
	/* a multi value: p alone, p among others, or without p */
	static const char *const roles[] = {"p", "o|p|q", "q", "pp|q"};
	kv_set(&r->vals, "roles", roles[(strlen(person) + (unsigned char)uuid[35]) % 4]);
	/* a village of three, one of them named in both townships */
	static const char *const villages[] = {"东村", "西村", "南村"};
	kv_set(&r->vals, "village", villages[((unsigned char)uuid[34] + strlen(person)) % 3]);
	record_sync(r);
}

static void add(const char *uuid, const char *cat, const char *person, const char *town)
{
	struct record r;
	fill(&r, uuid, cat, person, town, "x");
	char *cause = NULL;
	assert_int_equal(store_add(st, &actor, &r, "t", NULL, &cause), SR_OK);
	record_free(&r);
}

/* The slow counts: distinct people and records of the team's categories
 * (or of a target's), read from the records table. */
static void slow(const char *team, const char *target, int status, const char *town,
		 const struct actor *a, long *people, long *records)
{
	struct strv c = {0};
	struct count_query q = {.categories = &c, .status = status, .township = town};
	for (size_t i = 0; target && i < ARRAY_LEN(targets); i++)
		if (strcmp(targets[i].key, target) == 0) {
			if (targets[i].categories)
				for (size_t k = 0; k < targets[i].categories->n; k++)
					strv_add(&c, targets[i].categories->v[k]);
			else
				strv_add(&c, targets[i].category);
			q.where_field = targets[i].field;
			q.where_value = targets[i].value;
			q.conds = targets[i].conds;
			q.nconds = targets[i].nconds;
		}
	for (int i = 0; !target && i < 3; i++)
		if (strcmp(team, "*") == 0 || strcmp(teams[i], team) == 0)
			strv_add(&c, cats[i]);
	assert_int_equal(store_count(st, a, &q, records, people, NULL), SR_OK);
	strv_free(&c);
}

static long fast(const char *team, const char *target, int status, const char *town,
		 const struct actor *a)
{
	struct count_query q = {.team = team, .target = target, .status = status, .township = town};
	long people = -1;
	assert_int_equal(store_count(st, a, &q, NULL, &people, NULL), SR_OK);
	return people;
}

/* Records of the team's categories from record_count. */
static long fast_records(const char *team, int status, const char *town, const struct actor *a)
{
	struct strv c = {0};
	for (int i = 0; i < 3; i++)
		if (strcmp(team, "*") == 0 || strcmp(teams[i], team) == 0)
			strv_add(&c, cats[i]);
	struct count_query q = {.categories = strcmp(team, "*") ? &c : NULL, .status = status,
				.township = town};
	long records = -1;
	assert_int_equal(store_count(st, a, &q, &records, NULL, NULL), SR_OK);
	strv_free(&c);
	return records;
}

/* The villages of t_cover counted the slow way: distinct (township,
 * village) of the live a1 and b1 records a may view, of the status and
 * township asked. */
struct villages_ctx {
	int status;
	const char *town;
	struct strv seen;
};

static int village_of(const struct record *r, void *arg)
{
	struct villages_ctx *c = arg;
	if (!strv_has(&span_cats, r->category) || (c->status >= 0 && (int)r->status != c->status) ||
	    (c->town && !str_eq(r->township, c->town)) || str_empty(r->village))
		return 0;
	char *key = xasprintf("%s|%s", r->township, r->village);
	if (!strv_has(&c->seen, key))
		strv_add(&c->seen, key);
	free(key);
	return 0;
}

static long slow_villages(int status, const char *town, const struct actor *a)
{
	struct villages_ctx c = {status, town, {0}};
	struct list_query q = {.status = -1};
	assert_int_equal(store_list(st, a, &q, village_of, &c, NULL), SR_OK);
	long n = (long)c.seen.n;
	strv_free(&c.seen);
	return n;
}

/* Compares both ways for every team, target, status and township, as the
 * admin and as officers of one and of both townships. */
static void agree(void)
{
	struct user one = {.login = "o1", .role = ROLE_OFFICER};
	struct user both = {.login = "o2", .role = ROLE_SUPERVISOR};
	strv_add(&one.townships, towns[0]);
	strv_add(&both.townships, towns[0]);
	strv_add(&both.townships, towns[1]);
	struct actor actors[] = {actor, {&one, "o1"}, {&both, "o2"}};
	const char *tlist[] = {"ta", "tb", "*"};
	int statuses[] = {-1, ST_SUBMITTED, ST_APPROVED, ST_RETURNED};
	const char *tw[] = {NULL, towns[0], towns[1]};
	for (size_t a = 0; a < 3; a++)
		for (size_t s = 0; s < 4; s++)
			for (size_t w = 0; w < 3; w++) {
				for (size_t t = 0; t < 3; t++) {
					long people, records;
					slow(tlist[t], NULL, statuses[s], tw[w], &actors[a], &people,
					     &records);
					long f = fast(tlist[t], NULL, statuses[s], tw[w], &actors[a]);
					long fr = fast_records(tlist[t], statuses[s], tw[w], &actors[a]);
					if (f != people || fr != records)
						fail_msg("actor %zu team %s status %d town %s: people fast %ld,"
							 " slow %ld; records fast %ld, slow %ld", a, tlist[t],
							 statuses[s], tw[w] ? tw[w] : "-", f, people, fr,
							 records);
				}
				for (size_t t = 0; t < ARRAY_LEN(targets); t++) {
					long people, records;
					const char *k = targets[t].key;
					if (targets[t].keyed) {	/* villages, of one township or all */
						long f = fast(NULL, k, statuses[s], tw[w], &actors[a]);
						long v = slow_villages(statuses[s], tw[w], &actors[a]);
						if (tw[w] && f != v)
							fail_msg("actor %zu %s status %d town %s: villages fast %ld,"
								 " slow %ld", a, k, statuses[s], tw[w], f, v);
						continue;
					}
					slow(NULL, k, statuses[s], tw[w], &actors[a], &people, &records);
					long f = fast(NULL, k, statuses[s], tw[w], &actors[a]);
					if (f != people)
						fail_msg("actor %zu target %s status %d town %s: fast %ld, slow %ld",
							 a, k, statuses[s], tw[w] ? tw[w] : "-", f, people);
				}
			}
	strv_free(&one.townships);
	strv_free(&both.townships);
}

static void test_counts_follow_every_change(void **state)
{
	(void)state;
	char *cause = NULL;
	agree();
	/* one person in two categories of one team and one of another */
	add("00000000-0000-4000-8000-000000000001", "a1", "P1", towns[0]);
	add("00000000-0000-4000-8000-000000000002", "a2", "P1", towns[0]);
	add("00000000-0000-4000-8000-000000000003", "b1", "P1", towns[0]);
	add("00000000-0000-4000-8000-000000000004", "a1", "P2", towns[1]);
	/* the same person registered in both townships */
	add("00000000-0000-4000-8000-000000000005", "a2", "P2", towns[0]);
	agree();
	assert_int_equal(fast("ta", NULL, -1, NULL, &actor), 2);
	assert_int_equal(fast("*", NULL, -1, NULL, &actor), 2);
	assert_int_equal(fast("tb", NULL, -1, NULL, &actor), 1);
	/* status changes */
	assert_int_equal(store_transition(st, &reviewer, "00000000-0000-4000-8000-000000000001",
					  ACT_APPROVE, NULL, &cause), SR_OK);
	assert_int_equal(store_transition(st, &reviewer, "00000000-0000-4000-8000-000000000004",
					  ACT_RETURN, "请核对", &cause), SR_OK);
	agree();
	assert_int_equal(fast("ta", NULL, ST_APPROVED, NULL, &actor), 1);
	/* a withdrawal leaves the counts */
	assert_int_equal(store_transition(st, &reviewer, "00000000-0000-4000-8000-000000000003",
					  ACT_WITHDRAW, NULL, &cause), SR_OK);
	agree();
	assert_int_equal(fast("tb", NULL, -1, NULL, &actor), 0);
	/* an edit that moves a record to the other township */
	struct record *r = NULL;
	assert_int_equal(store_get(st, &actor, "00000000-0000-4000-8000-000000000005", &r, &cause),
			 SR_OK);
	kv_set(&r->vals, "township", towns[1]);
	record_sync(r);
	assert_int_equal(store_update(st, &actor, r, NULL, &cause), SR_OK);
	record_free(r);
	free(r);
	agree();
	assert_int_equal(fast(NULL, "t_x", -1, NULL, &actor), 2);
	/* an edit that changes the field a target tests */
	assert_int_equal(store_get(st, &actor, "00000000-0000-4000-8000-000000000002", &r, &cause),
			 SR_OK);
	kv_set(&r->vals, "kind", "y");
	record_sync(r);
	assert_int_equal(store_update(st, &actor, r, NULL, &cause), SR_OK);
	record_free(r);
	free(r);
	agree();
	assert_int_equal(fast(NULL, "t_x", -1, NULL, &actor), 1);
	/* edits that move a record in and out of a target of several
	 * conditions across categories: kind z is one of its values, and an
	 * item of a multi value counts, a longer one holding it does not */
	assert_int_equal(store_get(st, &actor, "00000000-0000-4000-8000-000000000004", &r, &cause),
			 SR_OK);
	kv_set(&r->vals, "kind", "z");
	kv_set(&r->vals, "roles", "q|p");
	record_sync(r);
	assert_int_equal(store_update(st, &actor, r, NULL, &cause), SR_OK);
	record_free(r);
	free(r);
	agree();
	long span = fast(NULL, "t_span", -1, NULL, &actor);
	assert_int_equal(store_get(st, &actor, "00000000-0000-4000-8000-000000000004", &r, &cause),
			 SR_OK);
	kv_set(&r->vals, "roles", "pp|q");
	record_sync(r);
	assert_int_equal(store_update(st, &actor, r, NULL, &cause), SR_OK);
	record_free(r);
	free(r);
	agree();
	assert_int_equal(fast(NULL, "t_span", -1, NULL, &actor), span - 1);
	assert_true(fast(NULL, "t_cover", -1, towns[0], &actor) > 0);
	/* a category moved to the other team, a target changed: the counts
	 * are rebuilt, and the store says so first */
	assert_int_equal(stale(), 0);
	teams[1] = "tb";
	targets[1].value = "y";
	assert_int_equal(stale(), 5);
	set_counts();
	agree();
	role_p.v[0][0] = 'q';	/* the span target's condition changes */
	assert_int_equal(stale(), 5);
	set_counts();
	agree();
	role_p.v[0][0] = 'p';
	assert_int_equal(stale(), 5);
	set_counts();
	assert_int_equal(stale(), 0);
	agree();
	assert_int_equal(fast(NULL, "t_x", -1, NULL, &actor), 1);
	teams[1] = "ta";
	targets[1].value = "x";
}

/* Adds n records in one store_add_many: people P0.. in the three
 * categories and both townships, some of them already registered. */
static void add_batch(int first, int n, int people)
{
	struct record *rs = xcalloc((size_t)n, sizeof *rs);
	struct record **p = xcalloc((size_t)n, sizeof *p);
	int k = 0;
	for (int i = 0; k < n; i++) {
		char uuid[48], person[32];
		snprintf(uuid, sizeof uuid, "00000000-0000-4000-9000-%012d", first + i);
		snprintf(person, sizeof person, "P%d", i % people);
		const char *cat = cats[(i / people) % 3];
		if (i / people >= 3)
			snprintf(person, sizeof person, "Q%d-%d", first, i);
		struct strv in = {0};
		store_person_categories(st, person, NULL, &in, NULL);
		bool taken = strv_has(&in, cat);
		strv_free(&in);
		if (taken)
			continue;
		fill(&rs[k], uuid, cat, person, towns[i % 2], i % 3 ? "x" : "y");
		if (person[0] == 'Q') {	/* a name that a search finds */
			char name[48];
			snprintf(name, sizeof name, "批量%s", person);
			kv_set(&rs[k].vals, "name", name);
			record_sync(&rs[k]);
		}
		p[k] = &rs[k];
		k++;
	}
	char *cause = NULL;
	size_t failed = 0;
	assert_int_equal(store_add_many(st, &actor, p, (size_t)n, "t", NULL, &failed, &cause), SR_OK);
	for (int i = 0; i < n; i++)
		record_free(&rs[i]);
	free(rs);
	free(p);
}

/* Counts the records a list finds whose person key starts with prefix. */
struct prefix_count {
	const char *prefix;
	long n;
};

static int count_prefix(const struct record *r, void *arg)
{
	struct prefix_count *c = arg;
	c->n += strncmp(r->person_key, c->prefix, strlen(c->prefix)) == 0;
	return 0;
}

static void test_bulk_adds_count_as_single_ones(void **state)
{
	(void)state;
	char *cause = NULL;
	/* some people first, one by one, then status changes */
	add("00000000-0000-4000-8000-000000000001", "a1", "P1", towns[0]);
	add("00000000-0000-4000-8000-000000000002", "a2", "P2", towns[1]);
	assert_int_equal(store_transition(st, &reviewer, "00000000-0000-4000-8000-000000000001",
					  ACT_APPROVE, NULL, &cause), SR_OK);
	agree();
	/* a bulk batch (over ST_BULK_MIN) whose people partly exist */
	add_batch(0, 150, 40);
	agree();
	/* a small batch goes through the triggers */
	add_batch(1000, 10, 5);
	agree();
	/* another bulk batch after the small one, then changes to bulk rows */
	add_batch(2000, 100, 60);
	assert_int_equal(store_transition(st, &reviewer, "00000000-0000-4000-9000-000000000003",
					  ACT_WITHDRAW, NULL, &cause), SR_OK);
	assert_int_equal(store_transition(st, &reviewer, "00000000-0000-4000-9000-000000002045",
					  ACT_APPROVE, NULL, &cause), SR_OK);
	agree();
	/* the bulk path puts its triggers back: one more single add counts */
	add("00000000-0000-4000-8000-000000000003", "b1", "NEW", towns[1]);
	agree();
	assert_int_equal(fast("tb", NULL, ST_SUBMITTED, towns[1], &actor) > 0, 1);
	/* and a search finds the records of a bulk batch through the index */
	struct prefix_count all = {"Q0-", 0}, found = {"Q0-", 0};
	struct list_query lq = {.status = -1};
	assert_int_equal(store_list(st, &actor, &lq, count_prefix, &all, &cause), SR_OK);
	lq.search = "批量Q0-";
	assert_int_equal(store_list(st, &actor, &lq, count_prefix, &found, &cause), SR_OK);
	assert_true(all.n > 10);
	assert_int_equal(found.n, all.n);
}

static void test_many_random_changes(void **state)
{
	(void)state;
	char *cause = NULL;
	unsigned seed = 7;
	char uuids[200][37];
	int n = 0;
	for (int i = 0; i < 600; i++) {
		seed = seed * 1103515245 + 12345;
		unsigned x = seed >> 16;
		if (n < 200 && (x % 3 != 0 || n == 0)) {
			snprintf(uuids[n], 37, "00000000-0000-4000-8000-%012d", n + 100);
			char person[16];
			snprintf(person, sizeof person, "P%u", x % 40);
			const char *cat = cats[x % 3];
			/* one live record per person and category */
			struct strv in = {0};
			store_person_categories(st, person, NULL, &in, NULL);
			bool taken = strv_has(&in, cat);
			strv_free(&in);
			if (!taken) {
				add(uuids[n], cat, person, towns[(x >> 3) % 2]);
				n++;
			}
		} else {
			const char *u = uuids[x % (unsigned)n];
			enum action acts[] = {ACT_APPROVE, ACT_RETURN, ACT_WITHDRAW, ACT_UNLOCK, ACT_SUBMIT};
			store_transition(st, &reviewer, u, acts[(x >> 4) % 5], "意见", &cause);
			free(cause);
			cause = NULL;
		}
	}
	agree();
}

int main(void)
{
	/* the targets' vectors live for the whole run */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts_follow_every_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_random_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_adds_count_as_single_ones, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
