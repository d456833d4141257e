/*
 * test_demo.c - unit tests of demo.c: every category form of the real
 * configuration gets 200 sample records that validate_record() accepts
 * without errors or warnings, with distinct ID numbers, the same for the same
 * seed; a made-up form exercises what the real ones do not (rules on other
 * field names, a date order against the form's order, negative and decimal
 * bounds, a pattern on a credit code); an impossible form gives up cleanly.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "demo.h"
#include "validate.h"

#define RECORDS 200
#define MIN_DISTINCT_IDS 195
#define SEED 20221129

/* The fixed "today" of every test, so that ages and future dates are stable. */
static const struct date fixed_today = {2026, 11, 29};

static void kv_copy(struct kv *to, const struct kv *from)
{
	for (size_t i = 0; i < from->keys.n; i++)
		kv_set(to, from->keys.v[i], from->vals.v[i]);
}

/* Equal keys and values, in the same order (validation keeps the form's). */
static bool kv_same_order(const struct kv *a, const struct kv *b)
{
	if (a->keys.n != b->keys.n)
		return false;
	for (size_t i = 0; i < a->keys.n; i++)
		if (strcmp(a->keys.v[i], b->keys.v[i]) != 0 || strcmp(a->vals.v[i], b->vals.v[i]) != 0)
			return false;
	return true;
}

/* Validates a copy of vals again and fails with every issue when there is one. */
static void assert_clean(const struct form *f, const struct kv *vals, const struct config *cfg)
{
	struct kv copy = {0};
	struct issues is = {0};
	kv_copy(&copy, vals);
	validate_record(f, &copy, cfg, &fixed_today, &is);
	for (size_t i = 0; i < is.n; i++) {
		char *line = issue_format(&is.v[i]);
		print_error("%s: %s\n", f->key, line);
		free(line);
	}
	assert_int_equal(is.errors, 0);
	assert_int_equal(is.warnings, 0);
	/* validate_record's output is already normalised: it comes back unchanged */
	assert_true(kv_same_order(&copy, vals));
	issues_free(&is);
	kv_free(&copy);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Returns how many different strings the n of v hold (sorting v). */
static size_t distinct(char **v, size_t n)
{
	size_t k = n ? 1 : 0;
	qsort(v, n, sizeof *v, cmp_str);
	for (size_t i = 1; i < n; i++)
		k += strcmp(v[i], v[i - 1]) != 0;
	return k;
}

/* Makes RECORDS records of f and checks each; the ID numbers go to ids. */
static void make_records(const struct config *cfg, const struct form *f, uint64_t seed,
			 char **ids)
{
	for (int i = 0; i < RECORDS; i++) {
		struct kv vals = {0};
		if (demo_record(cfg, f, &fixed_today, &seed, &vals) != 0)
			fail_msg("%s: no valid record at %d", f->key, i);
		assert_clean(f, &vals, cfg);
		const char *id = kv_get(&vals, "id_number");
		assert_non_null(id);
		ids[i] = strdup(id);
		kv_free(&vals);
	}
}

static struct config *load_config(void)
{
	struct config *cfg = NULL;
	struct diags d = {0};
	int rc = config_load("config", &cfg, &d);
	for (size_t i = 0; i < d.lines.n; i++)
		print_error("%s\n", d.lines.v[i]);
	assert_int_equal(rc, 0);
	assert_int_equal(d.lines.n, 0);
	diags_free(&d);
	return cfg;
}

/* Every category form: valid records, with different ID numbers. */
static void test_every_form(void **state)
{
	(void)state;
	struct config *cfg = load_config();
	size_t forms = 0;
	for (size_t i = 0; i < cfg->forms.n; i++) {
		const struct form *f = cfg->forms.v[i];
		if (f->abstract)
			continue;
		forms++;
		char *ids[RECORDS];
		make_records(cfg, f, SEED + i, ids);
		size_t k = distinct(ids, RECORDS);
		if (k < MIN_DISTINCT_IDS)
			fail_msg("%s: only %zu different ID numbers in %d records", f->key, k, RECORDS);
		for (int j = 0; j < RECORDS; j++)
			free(ids[j]);
	}
	assert_true(forms >= 11);
	config_free(cfg);
}

/* The values have the shapes asked for: the district's ID numbers of people
 * aged 25 to 55, the gender and birth date they give, mobile numbers, names of
 * two or three characters, villages of the record's township. */
static void test_value_shapes(void **state)
{
	(void)state;
	struct config *cfg = load_config();
	const struct form *f = formset_find(&cfg->forms, "coop_leader");
	assert_non_null(f);
	uint64_t seed = SEED;
	for (int i = 0; i < RECORDS; i++) {
		struct kv v = {0};
		assert_int_equal(demo_record(cfg, f, &fixed_today, &seed, &v), 0);
		const char *id = kv_get(&v, "id_number");
		struct id_info info;
		assert_int_equal(strncmp(id, "620302", 6), 0);
		assert_int_equal(id_card_info(id, &info), 0);
		int age = age_on(&info.birth, &fixed_today);
		assert_true(age >= 25 && age <= 55);
		assert_string_equal(kv_get(&v, "gender"), info.male ? "男" : "女");
		const char *phone = kv_get(&v, "phone");
		assert_int_equal(strlen(phone), 11);
		assert_true(phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9');
		size_t name = strlen(kv_get(&v, "name"));	/* 3 bytes a character */
		assert_true(name == 6 || name == 9);
		const struct township *tw = config_township(cfg, kv_get(&v, "township"));
		assert_non_null(tw);
		assert_true(strv_has(&tw->villages, kv_get(&v, "village")));
		assert_int_equal(strncmp(kv_get(&v, "coop_uscc"), "93", 2), 0);
		kv_free(&v);
	}
	config_free(cfg);
}

/* The same seed gives the same record; the seed advances. */
static void test_deterministic(void **state)
{
	(void)state;
	struct config *cfg = load_config();
	for (size_t i = 0; i < cfg->forms.n; i++) {
		const struct form *f = cfg->forms.v[i];
		if (f->abstract)
			continue;
		uint64_t s1 = 42, s2 = 42;
		struct kv a = {0}, b = {0}, c = {0};
		assert_int_equal(demo_record(cfg, f, &fixed_today, &s1, &a), 0);
		assert_int_equal(demo_record(cfg, f, &fixed_today, &s2, &b), 0);
		assert_true(kv_same_order(&a, &b));
		assert_true(s1 == s2 && s1 != 42);
		assert_int_equal(demo_record(cfg, f, &fixed_today, &s1, &c), 0);
		assert_false(kv_same_order(&a, &c));
		kv_free(&a);
		kv_free(&b);
		kv_free(&c);
	}
	config_free(cfg);
}

/* A form folder made for one test, removed by forms_remove. */
struct tmp_forms {
	char dir[64];
	char path[96];
	struct formset fs;
};

static void forms_make(struct tmp_forms *t, const char *text)
{
	struct diags d = {0};
	snprintf(t->dir, sizeof t->dir, "/tmp/test_demo.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/made_up.ini", t->dir);
	FILE *fp = fopen(t->path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	int rc = formset_load(t->dir, NULL, NULL, &t->fs, &d);
	for (size_t i = 0; i < d.lines.n; i++)
		print_error("%s\n", d.lines.v[i]);
	assert_int_equal(rc, 0);
	diags_free(&d);
}

static void forms_remove(struct tmp_forms *t)
{
	formset_free(&t->fs);
	unlink(t->path);
	rmdir(t->dir);
}

static const char made_up_form[] =
	"[form]\nkey = made_up\ntitle = 测试\nteam = governance\n"
	"[field.id_number]\nlabel = 身份证号\ntype = id_card\nrequired = yes\n"
	"[field.born]\nlabel = 生日\ntype = date\nrequired = yes\n"
	"[field.sex]\nlabel = 性别\ntype = choice\noptions = 男|女\n"
	"[field.town]\nlabel = 乡镇\ntype = area\nrequired = yes\n"
	"[field.vill]\nlabel = 村\ntype = area\nparent = town\n"
	"[field.code]\nlabel = 代码\ntype = uscc\nrequired = yes\npattern = ^91\n"
	"[field.ended]\nlabel = 结束\ntype = date\nrequired = yes\n"
	"[field.started]\nlabel = 开始\ntype = date\nrequired = yes\nmin = 2020-01-01\nmax = 2022-12-31\n"
	"[field.kind]\nlabel = 类别\ntype = choice\noptions = 甲|乙\nrequired = yes\n"
	"[field.note]\nlabel = 说明\ntype = text\nrequired_if = kind=甲\n"
	"[field.extra]\nlabel = 补充\ntype = text\nrequired = yes\nshow_if = kind=乙\n"
	"[field.loss]\nlabel = 亏损\ntype = int\nmin = -10\nmax = -2\n"
	"[field.ratio]\nlabel = 比例\ntype = decimal\nmin = 0.5\nmax = 0.7\n"
	"[field.story]\nlabel = 经历\ntype = memo\nmin_chars = 20\nmax_chars = 24\n"
	"[field.service_years]\nlabel = 服务年限\ntype = int\nrequired = yes\n"
	"[rule.born]\nkind = id_matches_birth_date\nfield = born\nid_field = id_number\nmessage = 生日\n"
	"[rule.sex]\nkind = id_matches_gender\nfield = sex\nid_field = id_number\nmessage = 性别\n"
	"[rule.order]\nkind = date_order\nfield = ended\nafter = started\nmessage = 顺序\n"
	"[rule.old]\nkind = age_range\nfield = id_number\nage_from = id_number\nmin = 60\nmax = 70\n"
	"message = 年龄\n"
	"[rule.years]\nkind = max_years_since_age\nfield = service_years\nage_from = id_number\n"
	"offset = 58\nmessage = 年限\n";

/* Rules on fields the generator knows only from the rules, a date whose
 * lower bound comes later in the form, an age range outside 25..55. */
static void test_made_up_form(void **state)
{
	(void)state;
	struct config *cfg = load_config();
	struct tmp_forms t;
	forms_make(&t, made_up_form);
	const struct form *f = formset_find(&t.fs, "made_up");
	assert_non_null(f);
	uint64_t seed = SEED;
	for (int i = 0; i < RECORDS; i++) {
		struct kv v = {0};
		if (demo_record(cfg, f, &fixed_today, &seed, &v) != 0)
			fail_msg("made_up: no valid record at %d", i);
		assert_clean(f, &v, cfg);
		struct id_info info;
		assert_int_equal(id_card_info(kv_get(&v, "id_number"), &info), 0);
		int age = age_on(&info.birth, &fixed_today);
		assert_true(age >= 60 && age <= 70);
		assert_int_equal(strncmp(kv_get(&v, "code"), "91", 2), 0);
		assert_true(strcmp(kv_get(&v, "ended"), kv_get(&v, "started")) >= 0);
		if (strcmp(kv_get(&v, "kind"), "甲") == 0)
			assert_null(kv_get(&v, "extra"));
		kv_free(&v);
	}
	forms_remove(&t);
	config_free(cfg);
}

/* A pattern no value can match: demo_record gives up and leaves vals empty. */
static void test_impossible_form(void **state)
{
	(void)state;
	struct config *cfg = load_config();
	struct tmp_forms t;
	forms_make(&t, "[form]\nkey = made_up\ntitle = 测试\nteam = governance\n"
		       "[field.id_number]\nlabel = 身份证号\ntype = id_card\nrequired = yes\n"
		       "[field.code]\nlabel = 编号\ntype = text\nrequired = yes\npattern = ^Q{3}$\n");
	uint64_t seed = SEED;
	struct kv v = {0};
	assert_int_equal(demo_record(cfg, formset_find(&t.fs, "made_up"), &fixed_today, &seed, &v), -1);
	assert_int_equal(v.keys.n, 0);
	forms_remove(&t);
	config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_form),
		cmocka_unit_test(test_value_shapes),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_made_up_form),
		cmocka_unit_test(test_impossible_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
