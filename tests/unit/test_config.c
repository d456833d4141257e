/*
 * test_config.c - unit tests of config.c: the shipped configuration
 * (copied into a temporary folder for each test, so that a test can edit
 * it) loads clean with its users, areas, teams and targets (and the
 * townships' shares of them when targets.ini gives any); talentreg.ini's
 * paths, site, language, limits and self-review; and every problem
 * reported once, as "file:line: message", for unknown sections and keys,
 * missing keys, unknown roles and townships, and bad numbers.
 */
#include "testutil.h"

#include <string.h>

#include "config.h"
#include "msg.h"

static char *tmp;	/* the test's temporary folder */
static char *dir;	/* its copy of config/ (forms/ beside it) */

static int copy_config(void **state)
{
	(void)state;
	msg_set_lang(LANG_ZH);
	tmp = tmpdir_new("config");
	dir = config_copy_to(tmp);
	return 0;
}

static int remove_copy(void **state)
{
	(void)state;
	free(dir);
	return tmpdir_remove(tmp);
}

/* ---- helpers ---------------------------------------------------------- */

/* Writes talentreg.ini: [paths] on lines 1-3, then rest from line 4. */
static void main_ini(const char *rest)
{
	char *text = xasprintf("[paths]\ndatabase = ../data/t.db\nforms = ../forms\n%s", rest);
	file_put(dir, "talentreg.ini", text);
	free(text);
}

/* Loads the folder, expecting no problem; the caller frees the result. */
static struct config *load_clean(void)
{
	struct config *c = NULL;
	struct diags d = {0};
	int rc = config_load(dir, &c, &d);
	for (size_t i = 0; i < d.lines.n; i++)
		print_error("%s\n", d.lines.v[i]);
	assert_int_equal(d.lines.n, 0);
	assert_int_equal(rc, 0);
	diags_free(&d);
	return c;
}

/* Loads the folder, expecting problems: returns them in *d and the
 * configuration (the caller frees both). */
static struct config *load_broken(struct diags *d)
{
	struct config *c = NULL;
	assert_int_equal(config_load(dir, &c, d), -1);
	assert_non_null(c);
	return c;
}

/* Asserts that d holds the line "DIR/file:line: text". */
static void expect(const struct diags *d, const char *file, int line, const char *text)
{
	char *want = xasprintf("%s/%s:%d: %s", dir, file, line, text);
	for (size_t i = 0; i < d->lines.n; i++)
		if (strcmp(d->lines.v[i], want) == 0) {
			free(want);
			return;
		}
	for (size_t i = 0; i < d->lines.n; i++)
		print_error("  got: %s\n", d->lines.v[i]);
	fail_msg("missing: %s", want);
}

/* Loads the folder and asserts that its one problem is file:line: text. */
static void expect_only(const char *file, int line, const char *text)
{
	struct diags d = {0};
	struct config *c = load_broken(&d);
	expect(&d, file, line, text);
	if (d.lines.n != 1) {
		for (size_t i = 0; i < d.lines.n; i++)
			print_error("  got: %s\n", d.lines.v[i]);
		fail_msg("%zu problems, want 1", d.lines.n);
	}
	diags_free(&d);
	config_free(c);
}

/* ---- the shipped configuration ---------------------------------------- */

static void test_shipped_config_loads_clean(void **state)
{
	(void)state;
	struct config *c = load_clean();
	assert_int_equal(c->nusers, 5);
	assert_int_equal(c->ntowns, 2);
	assert_int_equal(c->nteams, 5);
	assert_int_equal(c->ntargets, 5);
	assert_int_equal(c->total_target, 1000);
	assert_non_null(formset_find(&c->forms, "rural_teacher"));
	assert_null(c->regions_file);	/* commented out as shipped */
	config_free(c);
}

static void test_users_roles_and_townships(void **state)
{
	(void)state;
	struct config *c = load_clean();
	const struct user *o = config_user(c, "officer_ny");
	assert_non_null(o);
	assert_int_equal(o->role, ROLE_OFFICER);
	assert_string_equal(o->name, "宁远堡镇录入员（示例）");
	assert_int_equal(o->townships.n, 1);
	assert_string_equal(o->townships.v[0], "宁远堡镇");
	const struct user *s = config_user(c, "supervisor");
	assert_int_equal(s->role, ROLE_SUPERVISOR);
	assert_int_equal(s->townships.n, 0);	/* none named: all townships */
	assert_int_equal(config_user(c, "admin")->role, ROLE_ADMIN);
	assert_null(config_user(c, "nobody"));
	assert_null(config_user(c, "officer"));
	config_free(c);
}

static void test_user_with_several_townships(void **state)
{
	(void)state;
	file_put(dir, "users.ini", "[user.both]\nrole = officer\ntownships = 双湾镇 | 宁远堡镇\n");
	struct config *c = load_clean();
	const struct user *u = config_user(c, "both");
	assert_non_null(u);
	assert_null(u->name);
	assert_int_equal(u->townships.n, 2);
	assert_string_equal(u->townships.v[0], "双湾镇");
	assert_string_equal(u->townships.v[1], "宁远堡镇");
	config_free(c);
}

static void test_areas_townships_and_villages(void **state)
{
	(void)state;
	struct config *c = load_clean();
	const struct township *t = config_township(c, "宁远堡镇");
	assert_non_null(t);
	assert_int_equal(t->villages.n, 7);
	assert_string_equal(t->villages.v[0], "东湾村");
	assert_string_equal(t->villages.v[6], "金水村");
	assert_int_equal(config_township(c, "双湾镇")->villages.n, 8);
	assert_null(config_township(c, "宁远堡"));
	assert_null(config_township(c, "ningyuanbu"));	/* the section's name is not the township's */
	config_free(c);
}

static void test_teams_and_targets(void **state)
{
	(void)state;
	struct config *c = load_clean();
	const struct team *t = config_team(c, "rural_industry");
	assert_non_null(t);
	assert_string_equal(t->label, "农村二三产业发展人才");
	assert_int_equal(t->target, 500);
	assert_int_equal(config_team(c, "agri_production")->target, 0);
	assert_int_equal(config_team(c, "agri_tech")->target, 100);
	assert_null(config_team(c, "nosuch"));
	const struct target *live = NULL;
	for (size_t i = 0; i < c->ntargets; i++)
		if (str_eq(c->targets[i].key, "live_streaming"))
			live = &c->targets[i];
	assert_non_null(live);
	assert_string_equal(live->label, "直播带货人员");
	assert_string_equal(live->category, "ecommerce_trainee");
	assert_string_equal(live->where.field, "live_streaming");
	assert_string_equal(live->where.value, "是");
	assert_int_equal(live->target, 10);
	config_free(c);
}

/* targets.ini with the shipped teams and targets, then rest. */
static void targets_ini(const char *rest)
{
	char *text = xasprintf("[total]\nlabel = 合计\ntarget = 1000\n"
			       "[team.rural_industry]\nlabel = 二三产业\ntarget = 500\n"
			       "[team.agri_production]\nlabel = 生产经营\ntarget = 0\n"
			       "[team.public_service]\nlabel = 公共服务\ntarget = 500\n"
			       "[team.governance]\nlabel = 治理\ntarget = 200\n"
			       "[team.agri_tech]\nlabel = 科技\ntarget = 100\n"
			       "[target.ecommerce]\nlabel = 电商\ncategory = ecommerce_trainee\ntarget = 20\n"
			       "%s", rest);	/* rest starts on line 23 */
	file_put(dir, "targets.ini", text);
	free(text);
}

static void test_no_share_shipped(void **state)
{
	(void)state;
	struct config *c = load_clean();
	assert_int_equal(c->nshares, 0);
	assert_null(config_share(c, "宁远堡镇"));
	config_free(c);
}

static void test_township_share(void **state)
{
	(void)state;
	targets_ini("[share.ny]\ntownship = 宁远堡镇\ntotal = 400\nrural_industry = 200\n"
		    "ecommerce = 8\n");
	struct config *c = load_clean();
	const struct share *sh = config_share(c, "宁远堡镇");
	assert_non_null(sh);
	assert_int_equal(sh->total, 400);
	for (size_t i = 0; i < c->nteams; i++)
		assert_int_equal(sh->teams[i], str_eq(c->teams[i].key, "rural_industry") ? 200 : 0);
	assert_int_equal(c->ntargets, 1);
	assert_int_equal(sh->targets[0], 8);
	assert_null(config_share(c, "双湾镇"));
	config_free(c);
}

static void test_bad_shares_reported(void **state)
{
	(void)state;
	targets_ini("[share.ny]\ntownship = 宁远堡镇\nno_such = 3\ntotal = many\n"
		    "[share.again]\ntownship = 宁远堡镇\n"
		    "[share.nowhere]\ntownship = 无此镇\n");
	struct diags d = {0};
	struct config *c = load_broken(&d);
	expect(&d, "targets.ini", 25, "未知的键：no_such");
	expect(&d, "targets.ini", 26, "total 的值无效：many");
	expect(&d, "targets.ini", 27, "乡镇 宁远堡镇 的分解目标重复给出");
	expect(&d, "targets.ini", 30, "未知的乡镇：无此镇");
	assert_int_equal(d.lines.n, 4);
	assert_int_equal(c->nshares, 1);
	diags_free(&d);
	config_free(c);
}

/* ---- talentreg.ini ---------------------------------------------------- */

static void test_paths_relative_to_the_config_folder(void **state)
{
	(void)state;
	struct config *c = load_clean();
	char *db = xasprintf("%s/../data/talentreg.db", dir);
	char *forms = xasprintf("%s/../forms", dir);
	assert_string_equal(c->db_path, db);
	assert_string_equal(c->forms_dir, forms);
	free(db);
	free(forms);
	config_free(c);
}

static void test_absolute_paths_kept(void **state)
{
	(void)state;
	char *forms = xasprintf("%s/forms", tmp);
	char *text = xasprintf("[paths]\ndatabase = /var/lib/talentreg/talentreg.db\nforms = %s\n", forms);
	file_put(dir, "talentreg.ini", text);
	struct config *c = load_clean();
	assert_string_equal(c->db_path, "/var/lib/talentreg/talentreg.db");
	assert_string_equal(c->forms_dir, forms);
	config_free(c);
	free(text);
	free(forms);
}

static void test_site_values_and_defaults(void **state)
{
	(void)state;
	struct config *c = load_clean();
	assert_string_equal(c->site_id, "district");
	assert_string_equal(c->site_name, "金川区（区级数据库）");
	config_free(c);
	main_ini("");
	c = load_clean();
	assert_string_equal(c->site_id, "district");
	assert_string_equal(c->site_name, "district");
	config_free(c);
	main_ini("[site]\nid = school_a\n");
	c = load_clean();
	assert_string_equal(c->site_id, "school_a");
	assert_string_equal(c->site_name, "school_a");	/* the id when no name */
	config_free(c);
}

static void test_ui_language(void **state)
{
	(void)state;
	struct config *c = load_clean();
	assert_int_equal(c->lang, LANG_ZH);
	config_free(c);
	main_ini("[ui]\nlanguage = en\n");
	c = load_clean();
	assert_int_equal(c->lang, LANG_EN);
	config_free(c);
	main_ini("");
	c = load_clean();
	assert_int_equal(c->lang, LANG_ZH);
	config_free(c);
	main_ini("[ui]\nlanguage = fr\n");
	expect_only("talentreg.ini", 5, "language 的值无效：fr");
}

static void test_limits_default_when_absent(void **state)
{
	(void)state;
	main_ini("");
	struct config *c = load_clean();
	assert_int_equal(c->max_input_mb, DEFAULT_MAX_INPUT_MB);
	assert_int_equal(c->lookups_per_day, DEFAULT_LOOKUPS_PER_DAY);
	assert_int_equal(DEFAULT_MAX_INPUT_MB, 256);
	assert_int_equal(DEFAULT_LOOKUPS_PER_DAY, 30);
	config_free(c);
}

static void test_limits_taken_up_to_their_bounds(void **state)
{
	(void)state;
	main_ini("[limits]\nmax_input_mb = 1\nlookups_per_day = 0\n");
	struct config *c = load_clean();
	assert_int_equal(c->max_input_mb, 1);
	assert_int_equal(c->lookups_per_day, 0);
	config_free(c);
	main_ini("[limits]\nmax_input_mb = 4096\nlookups_per_day = 1000\n");
	c = load_clean();
	assert_int_equal(c->max_input_mb, 4096);
	assert_int_equal(c->lookups_per_day, 1000);
	config_free(c);
}

static void test_max_input_mb_out_of_bounds_refused_once(void **state)
{
	(void)state;
	const char *bad[] = {"0", "4097", "-1", "abc", "1.5", "99999999999", ""};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *rest = xasprintf("[limits]\nmax_input_mb = %s\n", bad[i]);
		char *text = xasprintf("max_input_mb 的值无效：%s", bad[i]);
		main_ini(rest);
		expect_only("talentreg.ini", 5, text);
		free(text);
		free(rest);
	}
}

static void test_lookups_per_day_out_of_bounds_refused_once(void **state)
{
	(void)state;
	const char *bad[] = {"-1", "many", "99999999999", "3.0"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		char *rest = xasprintf("[limits]\n; a comment\nlookups_per_day = %s\n", bad[i]);
		char *text = xasprintf("lookups_per_day 的值无效：%s", bad[i]);
		main_ini(rest);
		expect_only("talentreg.ini", 6, text);
		free(text);
		free(rest);
	}
}

static void test_self_review(void **state)
{
	(void)state;
	struct config *c = load_clean();	/* shipped: no */
	assert_false(c->self_review);
	assert_false(config_user(c, "supervisor")->self_review);
	config_free(c);
	main_ini("[review]\nself_review = yes\n");
	c = load_clean();
	assert_true(c->self_review);
	assert_true(config_user(c, "supervisor")->self_review);	/* every user takes it */
	config_free(c);
	main_ini("");
	c = load_clean();
	assert_false(c->self_review);
	config_free(c);
	main_ini("[review]\nself_review = maybe\n");
	expect_only("talentreg.ini", 5, "self_review 的值无效：maybe");
}

/* ---- problems, each at its file:line ---------------------------------- */

static void test_unknown_section_reported(void **state)
{
	(void)state;
	main_ini("[colours]\nscheme = dark\n");	/* its keys are not reported again */
	expect_only("talentreg.ini", 4, "未知的节：[colours]");
	file_put(dir, "talentreg.ini", "[paths]\ndatabase = t.db\nforms = ../forms\n");
	file_put(dir, "users.ini", "[user.a]\nrole = admin\n\n[people.b]\nrole = admin\n");
	expect_only("users.ini", 4, "未知的节：[people.b]");
}

static void test_unknown_key_reported(void **state)
{
	(void)state;
	main_ini("[site]\nid = district\ncolour = red\n");
	expect_only("talentreg.ini", 6, "未知的键：colour");
	main_ini("");
	file_put(dir, "areas.ini", "[township.a]\nname = 宁远堡镇\nvillages = 东湾村\nmayor = 某\n"
				   "[township.b]\nname = 双湾镇\n");
	expect_only("areas.ini", 4, "未知的键：mayor");
}

static void test_missing_required_key_reported_at_its_section(void **state)
{
	(void)state;
	file_put(dir, "talentreg.ini", "; the paths\n\n[paths]\nforms = ../forms\n");
	expect_only("talentreg.ini", 3, "缺少必需的键：database");
	main_ini("");
	file_put(dir, "users.ini", "[user.a]\nrole = admin\n[user.b]\nname = 某\n");
	expect_only("users.ini", 3, "缺少必需的键：role");
}

static void test_missing_paths_section_reported(void **state)
{
	(void)state;
	file_put(dir, "talentreg.ini", "[site]\nid = district\n");
	struct diags d = {0};
	struct config *c = load_broken(&d);
	expect(&d, "talentreg.ini", 1, "缺少必需的键：database");
	expect(&d, "talentreg.ini", 1, "缺少必需的键：forms");
	assert_int_equal(d.lines.n, 2);
	assert_int_equal(c->forms.n, 0);
	diags_free(&d);
	config_free(c);
}

static void test_unknown_role_reported(void **state)
{
	(void)state;
	file_put(dir, "users.ini", "[user.a]\nrole = admin\n\n[user.king]\nname = 国王\nrole = king\n");
	expect_only("users.ini", 6, "未知的角色：king（应为 officer、supervisor 或 admin）");
	struct diags d = {0};
	struct config *c = load_broken(&d);
	assert_null(config_user(c, "king"));	/* such a login is not let in */
	assert_non_null(config_user(c, "a"));
	diags_free(&d);
	config_free(c);
}

static void test_unknown_township_of_a_user_reported(void **state)
{
	(void)state;
	file_put(dir, "users.ini", "[user.a]\nrole = officer\nname = 某\ntownships = 宁远堡镇|无此镇\n");
	expect_only("users.ini", 4, "未知的乡镇：无此镇");
}

static void test_bad_numbers_reported(void **state)
{
	(void)state;
	file_put(dir, "targets.ini",
		 "[total]\ntarget = many\n"				/* 2 */
		 "[team.rural_industry]\nlabel = 甲\ntarget = -5\n"	/* 5 */
		 "[team.agri_production]\nlabel = 乙\n"
		 "[team.public_service]\nlabel = 丙\ntarget = 1.5\n"	/* 10 */
		 "[team.governance]\nlabel = 丁\n"
		 "[team.agri_tech]\nlabel = 戊\n");
	struct diags d = {0};
	struct config *c = load_broken(&d);
	expect(&d, "targets.ini", 2, "target 的值无效：many");
	expect(&d, "targets.ini", 5, "target 的值无效：-5");
	expect(&d, "targets.ini", 10, "target 的值无效：1.5");
	assert_int_equal(d.lines.n, 3);
	assert_int_equal(config_team(c, "agri_production")->target, 0);	/* none set */
	diags_free(&d);
	config_free(c);
}

static void test_every_problem_collected(void **state)
{
	(void)state;
	main_ini("[ui]\nlanguage = jp\n");
	file_put(dir, "users.ini", "[user.a]\nrole = boss\n[user.b]\nrole = officer\ntownships = 某镇\n");
	struct diags d = {0};
	struct config *c = load_broken(&d);
	expect(&d, "talentreg.ini", 5, "language 的值无效：jp");
	expect(&d, "users.ini", 2, "未知的角色：boss（应为 officer、supervisor 或 admin）");
	expect(&d, "users.ini", 5, "未知的乡镇：某镇");
	assert_int_equal(d.lines.n, 3);
	diags_free(&d);
	config_free(c);
}

/* ---- roles ------------------------------------------------------------ */

static void test_role_names_round_trip(void **state)
{
	(void)state;
	const char *names[] = {"officer", "supervisor", "admin"};
	const enum role roles[] = {ROLE_OFFICER, ROLE_SUPERVISOR, ROLE_ADMIN};
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		enum role r = (enum role)-1;
		assert_string_equal(role_name(roles[i]), names[i]);
		assert_int_equal(role_parse(names[i], &r), 0);
		assert_int_equal(r, roles[i]);
	}
	assert_string_equal(role_name((enum role)3), "?");
}

static void test_role_parse_refuses_unknown(void **state)
{
	(void)state;
	enum role r = ROLE_OFFICER;
	assert_int_equal(role_parse("Admin", &r), -1);
	assert_int_equal(role_parse("root", &r), -1);
	assert_int_equal(role_parse("", &r), -1);
	assert_int_equal(role_parse(NULL, &r), -1);
	assert_int_equal(r, ROLE_OFFICER);
}

#define T(f) cmocka_unit_test_setup_teardown(f, copy_config, remove_copy)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_shipped_config_loads_clean),
		T(test_users_roles_and_townships),
		T(test_user_with_several_townships),
		T(test_areas_townships_and_villages),
		T(test_teams_and_targets),
		T(test_no_share_shipped),
		T(test_township_share),
		T(test_bad_shares_reported),
		T(test_paths_relative_to_the_config_folder),
		T(test_absolute_paths_kept),
		T(test_site_values_and_defaults),
		T(test_ui_language),
		T(test_limits_default_when_absent),
		T(test_limits_taken_up_to_their_bounds),
		T(test_max_input_mb_out_of_bounds_refused_once),
		T(test_lookups_per_day_out_of_bounds_refused_once),
		T(test_self_review),
		T(test_unknown_section_reported),
		T(test_unknown_key_reported),
		T(test_missing_required_key_reported_at_its_section),
		T(test_missing_paths_section_reported),
		T(test_unknown_role_reported),
		T(test_unknown_township_of_a_user_reported),
		T(test_bad_numbers_reported),
		T(test_every_problem_collected),
		cmocka_unit_test(test_role_names_round_trip),
		cmocka_unit_test(test_role_parse_refuses_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
