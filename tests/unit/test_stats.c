/*
 * test_stats.c - the running counts of people (schema 3) always agree with
 * counting distinct ID numbers the slow way, whatever happens to records:
 * adds in several categories and townships, status changes, withdrawals,
 * edits that move a record to another township, and a category moved to
 * another team.
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
static const char *cats[] = {"a1", "a2", "b1"};
static const char *teams[] = {"ta", "ta", "tb"};
static const char *towns[] = {"甲镇", "乙镇"};

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/talentreg-stats-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/t.db", dir);
	char *cause = NULL;
	assert_int_equal(store_open(path, true, &st, &cause), SR_OK);
	free(path);
	struct strv c = {0}, t = {0};
	for (int i = 0; i < 3; i++) {
		strv_add(&c, cats[i]);
		strv_add(&t, teams[i]);
	}
	assert_int_equal(store_set_teams(st, &c, &t, &cause), SR_OK);
	strv_free(&c);
	strv_free(&t);
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

static void add(const char *uuid, const char *cat, const char *person, const char *town)
{
	struct record r = {0};
	snprintf(r.uuid, sizeof r.uuid, "%s", uuid);
	r.category = xstrdup(cat);
	r.status = ST_SUBMITTED;
	kv_set(&r.vals, "id_number", person);
	kv_set(&r.vals, "name", "某人");
	kv_set(&r.vals, "township", town);
	record_sync(&r);
	char *cause = NULL;
	assert_int_equal(store_add(st, &actor, &r, "t", NULL, &cause), SR_OK);
	record_free(&r);
}

/* The slow count: distinct people of the team's categories. */
static long slow(const char *team, int status, const char *town, const struct actor *a)
{
	struct strv c = {0};
	for (int i = 0; i < 3; i++)
		if (strcmp(team, "*") == 0 || strcmp(teams[i], team) == 0)
			strv_add(&c, cats[i]);
	struct count_query q = {.categories = &c, .status = status, .township = town};
	long records, people;
	assert_int_equal(store_count(st, a, &q, &records, &people, NULL), SR_OK);
	strv_free(&c);
	return people;
}

static long fast(const char *team, int status, const char *town, const struct actor *a)
{
	struct count_query q = {.team = team, .status = status, .township = town};
	long people = -1;
	assert_int_equal(store_count(st, a, &q, NULL, &people, NULL), SR_OK);
	return people;
}

/* Compares both ways for every team, status and township, as the admin and
 * as officers of one and of both townships. */
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
		for (size_t t = 0; t < 3; t++)
			for (size_t s = 0; s < 4; s++)
				for (size_t w = 0; w < 3; w++) {
					long f = fast(tlist[t], statuses[s], tw[w], &actors[a]);
					long sl = slow(tlist[t], statuses[s], tw[w], &actors[a]);
					if (f != sl)
						fail_msg("actor %zu team %s status %d town %s: fast %ld, slow %ld",
							 a, tlist[t], statuses[s], tw[w] ? tw[w] : "-", f, sl);
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
	assert_int_equal(fast("ta", -1, NULL, &actor), 2);
	assert_int_equal(fast("*", -1, NULL, &actor), 2);
	assert_int_equal(fast("tb", -1, NULL, &actor), 1);
	/* status changes */
	assert_int_equal(store_transition(st, &actor, "00000000-0000-4000-8000-000000000001",
					  ACT_APPROVE, NULL, &cause), SR_OK);
	assert_int_equal(store_transition(st, &actor, "00000000-0000-4000-8000-000000000004",
					  ACT_RETURN, "请核对", &cause), SR_OK);
	agree();
	assert_int_equal(fast("ta", ST_APPROVED, NULL, &actor), 1);
	/* a withdrawal leaves the counts */
	assert_int_equal(store_transition(st, &actor, "00000000-0000-4000-8000-000000000003",
					  ACT_WITHDRAW, NULL, &cause), SR_OK);
	agree();
	assert_int_equal(fast("tb", -1, NULL, &actor), 0);
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
	/* a category moved to the other team: the counts are rebuilt */
	struct strv c = {0}, t = {0};
	for (int i = 0; i < 3; i++) {
		strv_add(&c, cats[i]);
		strv_add(&t, i == 1 ? "tb" : teams[i]);
	}
	teams[1] = "tb";
	assert_int_equal(store_set_teams(st, &c, &t, &cause), SR_OK);
	strv_free(&c);
	strv_free(&t);
	agree();
	teams[1] = "ta";
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
			store_transition(st, &actor, u, acts[(x >> 4) % 5], "意见", &cause);
			free(cause);
			cause = NULL;
		}
	}
	agree();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts_follow_every_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_random_changes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
