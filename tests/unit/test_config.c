/*
 * test_config.c - unit tests of config.c: the shipped configuration
 * (copied into a temporary folder for each test, so that a test can edit
 * it) loads clean with its users, areas, teams and targets (those on the
 * home screen among them); talentreg.ini's
 * paths, site, language, limits and self-review; and every problem
 * reported once, as "file:line: message", for unknown sections and keys,
 * missing keys, unknown roles and townships, and bad numbers.
 */
#include "testutil.h"

#include <string.h>

#include <unistd.h>

#include "config.h"
#include "msg.h"
#include "seal.h"

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
	assert_int_equal(c->ntargets, 22);
	assert_int_equal(c->ntags, 3);
	assert_int_equal(c->ntasks, 11);
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
	assert_int_equal(live->nconds, 1);
	assert_string_equal(live->conds[0].field, "live_streaming");
	assert_int_equal(live->conds[0].values.n, 1);
	assert_string_equal(live->conds[0].values.v[0], "是");
	assert_int_equal(live->target, 10);
	config_free(c);
}

/* home = yes puts a target on the home screen: the five the plan names. */
static void test_home_targets_shipped(void **state)
{
	(void)state;
	struct config *c = load_clean();
	struct strv home = {0};
	for (size_t i = 0; i < c->ntargets; i++)
		if (c->targets[i].home)
			strv_add(&home, c->targets[i].key);
	assert_int_equal(home.n, 5);
	static const char *const want[] = {"ecommerce", "live_streaming", "tech_commissioner",
					   "hq_farmers", "large_growers"};
	for (size_t i = 0; i < ARRAY_LEN(want); i++)
		assert_true(strv_has(&home, want[i]));
	strv_free(&home);
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

/* A public key as sync keygen prints it. */
static char *key_text(void)
{
	struct seal_secret k;
	seal_keygen(&k);
	char text[SEAL_TEXT_LEN + 1];
	seal_public_text(&k.pub, text);
	seal_wipe(&k, sizeof k);
	return xstrdup(text);
}

static void test_site_kind(void **state)
{
	(void)state;
	struct config *c = load_clean();
	assert_int_equal(c->site_kind, SITE_DISTRICT);	/* the shipped config is the district's */
	assert_int_equal(c->nsites, 0);	/* and its sites.ini only shows an example */
	config_free(c);
	main_ini("[site]\nid = site_ny\nkind = site\n");
	c = load_clean();
	assert_int_equal(c->site_kind, SITE_SITE);
	config_free(c);
	main_ini("[site]\nid = Site A\nkind = laptop\n");
	struct diags d = {0};
	c = load_broken(&d);
	char *m = msgf(MSG_SYNC_BAD_SITE, "Site A");
	expect(&d, "talentreg.ini", 5, m);
	free(m);
	expect(&d, "talentreg.ini", 6, m = msgf(MSG_INI_BAD_VALUE, "kind", "laptop"));
	free(m);
	assert_int_equal(d.lines.n, 2);
	diags_free(&d);
	config_free(c);
}

static void test_sites_declared(void **state)
{
	(void)state;
	char *ka = key_text(), *kd = key_text();
	char *text = xasprintf("[site.site_ny]\nname = 宁远堡镇培训点\nkind = site\n"
			       "townships = 宁远堡镇|双湾镇\npublic_key = %s\n"
			       "[site.city]\nkind = district\npublic_key = %s\n", ka, kd);
	file_put(dir, "sites.ini", text);
	/* a district declares no district: it is refused there */
	struct diags d = {0};
	struct config *c = load_broken(&d);
	char *m = msgf(MSG_CONFIG_SITE_TWO_DISTRICTS, "city");
	expect(&d, "sites.ini", 7, m);
	free(m);
	assert_int_equal(d.lines.n, 1);
	diags_free(&d);
	config_free(c);
	/* a site's laptop may declare its district */
	main_ini("[site]\nid = site_x\nkind = site\n");
	c = load_clean();
	assert_int_equal(c->nsites, 2);
	const struct site_decl *s = config_site(c, "site_ny");
	assert_non_null(s);
	assert_string_equal(s->name, "宁远堡镇培训点");
	assert_int_equal(s->kind, SITE_SITE);
	assert_int_equal(s->townships.n, 2);
	assert_string_equal(s->townships.v[1], "双湾镇");
	char back[SEAL_TEXT_LEN + 1];
	seal_public_text(&s->key, back);
	assert_string_equal(back, ka);
	s = config_site(c, "city");
	assert_int_equal(s->kind, SITE_DISTRICT);
	assert_string_equal(s->name, "city");	/* the id when no name */
	assert_null(config_site(c, "site_x"));
	config_free(c);
	free(text);

	/* without sites.ini: no peers, and no problem */
	char *path = xasprintf("%s/sites.ini", dir);
	assert_int_equal(unlink(path), 0);
	free(path);
	c = load_clean();
	assert_int_equal(c->nsites, 0);
	config_free(c);
	free(ka);
	free(kd);
}

static void test_sites_problems_reported(void **state)
{
	(void)state;
	char *k = key_text();
	char *text = xasprintf("[site.district]\nkind = site\ntownships = 宁远堡镇\npublic_key = %s\n"	/* 1-4 */
			       "[site.a]\nkind = site\ntownships = 不存在镇\npublic_key = %.85s\n"	/* 5-8 */
			       "[site.b]\nkind = site\npublic_key = %s\n"	/* 9-11 */
			       "[site.c]\nkind = both\ntownships = 宁远堡镇\npublic_key = %s\n"	/* 12-15 */
			       "[site.d]\nkind = site\ntownships = 宁远堡镇\npublic_key = %s\n"	/* 16-19 */
			       "[site.e]\nkind = site\ntownships = 宁远堡镇\npublic_key = %s\n"	/* 20-23 */
			       "[site.E]\nkind = site\n",	/* 24-25 */
			       k, k, k, k, k, k);
	file_put(dir, "sites.ini", text);
	struct diags d = {0};
	struct config *c = load_broken(&d);
	char *m;
	expect(&d, "sites.ini", 1, m = msgf(MSG_CONFIG_SITE_SELF, "district"));
	free(m);
	expect(&d, "sites.ini", 7, m = msgf(MSG_CONFIG_UNKNOWN_TOWNSHIP, "不存在镇"));
	free(m);
	expect(&d, "sites.ini", 8, msg(MSG_CONFIG_SITE_KEY));
	expect(&d, "sites.ini", 9, m = msgf(MSG_CONFIG_SITE_TOWNSHIPS, "b"));
	free(m);
	expect(&d, "sites.ini", 13, m = msgf(MSG_INI_BAD_VALUE, "kind", "both"));
	free(m);
	expect(&d, "sites.ini", 23, m = msgf(MSG_CONFIG_SITE_SAME_KEY, "d"));
	free(m);
	/* iniparser lower-cases section names: [site.E] is [site.e] again,
	 * and the repeated section's keys are reported where they repeat */
	assert_int_equal(c->nsites, 1);	/* d alone is whole */
	assert_non_null(config_site(c, "d"));
	diags_free(&d);
	config_free(c);
	free(text);
	free(k);
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
	file_put(dir, "areas.ini", "[township.ningyuanbu]\nname = 宁远堡镇\nvillages = 东湾村\nmayor = 某\n"
				   "[township.shuangwan]\nname = 双湾镇\n");
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
	file_put(dir, "tasks.ini", "");	/* its items follow the targets gone */
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


/* ---- targets.ini: the plan's targets beyond one category ---------------- */

/* Appends text to dir/name; returns the line number its first line gets. */
static int append(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	int lines = 0, ch, last = '\n';
	while (f && (ch = getc(f)) != EOF) {
		lines += ch == '\n';
		last = ch;
	}
	if (f)
		fclose(f);
	f = fopen(path, "a");
	if (f == NULL)
		fail_msg("cannot append to %s", path);
	if (last != '\n') {
		putc('\n', f);
		lines++;
	}
	fputs(text, f);
	fclose(f);
	free(path);
	return lines + 1;
}

static void test_home_bad_value(void **state)
{
	(void)state;
	int line = append("targets.ini", "[target.growers]\nlabel = 种养\ncategory = grower\n"
					 "target = 1\nhome = maybe\n");
	expect_only("targets.ini", line + 4, "home 的值无效：maybe");
}

static void test_targets_across_categories_and_conditions(void **state)
{
	(void)state;
	struct config *c = load_clean();
	const struct target *party = config_target(c, "party_members");
	assert_non_null(party);
	assert_int_equal(party->kind, TK_PEOPLE);
	assert_int_equal(party->categories.n, 15);	/* * is every category */
	assert_int_equal(party->nconds, 1);
	assert_int_equal(party->conds[0].values.n, 2);
	assert_false(party->conds[0].multi);
	struct kv v = {0};
	kv_set(&v, "political_status", "中共预备党员");
	assert_true(target_matches(party, "grower", &v));
	assert_true(target_matches(party, "village_team_member", &v));
	kv_set(&v, "political_status", "群众");
	assert_false(target_matches(party, "grower", &v));
	kv_free(&v);

	const struct target *cadres = config_target(c, "youth_women_cadres");
	assert_true(cadres->conds[0].multi);	/* positions is a multi-choice field */
	kv_set(&v, "positions", "村委会委员|村妇联主席");
	assert_true(target_matches(cadres, "village_cadre", &v));
	assert_false(target_matches(cadres, "grower", &v));
	kv_set(&v, "positions", "村委会委员");
	assert_false(target_matches(cadres, "village_cadre", &v));
	kv_free(&v);

	const struct target *models = config_target(c, "youth_models");
	assert_string_equal(models->tag, "youth_model");
	assert_int_equal(models->categories.n, 3);
	assert_string_equal(config_tag(c, "青年创业典型")->key, "youth_model");
	assert_string_equal(config_tag(c, "youth_model")->label, "青年创业典型");
	assert_null(config_tag(c, "典型"));
	config_free(c);
}

static void test_coverage_targets_and_their_village_field(void **state)
{
	(void)state;
	struct config *c = load_clean();
	const struct target *teams = config_target(c, "village_teams");
	assert_int_equal(teams->kind, TK_COVERAGE);
	assert_string_equal(teams->by, "village");
	assert_string_equal(teams->by_town, "township");
	assert_false(teams->by_list);
	const struct target *law = config_target(c, "village_legal_advisers");
	assert_string_equal(law->by, "served_villages");
	assert_true(law->by_list);
	struct kv v = {0};
	struct strv out = {0};
	kv_set(&v, "served_villages", "东湾村、西坡村, 东湾村，新华村");
	target_villages(law, &v, &out);
	assert_int_equal(out.n, 3);
	assert_string_equal(out.v[0], "东湾村");
	assert_string_equal(out.v[2], "新华村");
	strv_free(&out);
	kv_set(&v, "village", "南湾村");
	target_villages(teams, &v, &out);
	assert_int_equal(out.n, 1);
	strv_free(&out);
	kv_free(&v);
	config_free(c);
}

static void test_targets_split_per_township(void **state)
{
	(void)state;
	struct config *c = load_clean();
	assert_int_equal(config_split(c, "宁远堡镇", "total"), 600);
	assert_int_equal(config_split(c, "双湾镇", "team.governance"), 80);
	assert_int_equal(config_split(c, "双湾镇", "target.ecommerce"), 8);
	assert_int_equal(config_split(c, "双湾镇", "team.agri_production"), -1);
	assert_int_equal(config_split(c, "无此镇", "total"), -1);
	config_free(c);
	int line = append("targets.ini", "[township.nowhere]\ntotal = 5\n"
					     "[township.shuangwan]\nteam.nosuch = 3\n");
	struct diags d = {0};
	c = load_broken(&d);
	expect(&d, "targets.ini", line, "未知的乡镇：nowhere");
	expect(&d, "targets.ini", line + 3, "未知的分解目标：team.nosuch（应为 total、team.队伍标识 或 target.目标标识）");
	assert_int_equal(d.lines.n, 2);
	diags_free(&d);
	config_free(c);
}

static void test_where_value_must_be_an_option(void **state)
{
	(void)state;
	int line = append("targets.ini", "[target.typo]\nlabel = 错字\ncategory = grower\n"
					     "where = grower_type=种养大护\ntarget = 1\n");
	expect_only("targets.ini", line + 3,
		    "字段 grower_type 没有选项“种养大护”（可选：种养大户|高素质农民|种养能手）");
}

static void test_where_problems_each_at_its_line(void **state)
{
	(void)state;
	int line = append("targets.ini",
			  "[target.a]\nlabel = 甲\ncategory = nosuch\ntarget = 1\n"		/* +2 */
			  "[target.b]\nlabel = 乙\ncategory = grower|coop_leader\n"
			  "where = grower_type=种养大户\n"					/* +7 */
			  "[target.c]\nlabel = 丙\ncategory = *\nwhere = no_field=1\n"		/* +11 */
			  "[target.d]\nlabel = 丁\ncategory = grower\nwhere = 党员\n"		/* +15 */
			  "[target.e]\nlabel = 戊\ncategory = grower\n"
			  "where = political_status=中共党员 & live_streaming=是\n"		/* +19 */
			  "[target.f]\nlabel = 己\ncategory = grower\ntag = hero\n"		/* +23 */
			  "[target.g]\nlabel = 庚\nkind = coverage\ncategory = grower\nby = land_area\n" /* +28 */
			  "[target.h]\nlabel = 辛\nkind = villages\ncategory = grower\n");	/* +31 */
	struct diags d = {0};
	struct config *c = load_broken(&d);
	expect(&d, "targets.ini", line + 2, "未知的类别：nosuch");
	expect(&d, "targets.ini", line + 7, "类别 coop_leader 没有字段：grower_type");
	expect(&d, "targets.ini", line + 11, "没有哪个类别有字段：no_field");
	expect(&d, "targets.ini", line + 15, "where 应为 字段=值 的形式：党员");
	expect(&d, "targets.ini", line + 19, "类别 grower 没有字段：live_streaming");
	expect(&d, "targets.ini", line + 23, "未知的标记：hero（应在 targets.ini 的 [tag.标识] 中定义）");
	expect(&d, "targets.ini", line + 28,
	       "类别 grower 的 land_area 不是表示村的字段（应为所在乡镇下的村，或列出村名的文字）");
	expect(&d, "targets.ini", line + 31,
	       "未知的目标类型：villages（应为 people 按人计、coverage 按村覆盖，或按活动计的 events 次数、trainees 参加人数、hours 学时）");
	assert_int_equal(d.lines.n, 8);
	diags_free(&d);
	config_free(c);
}

/* ---- targets of events (issue 15) ---------------------------------------- */

static void test_event_targets_loaded(void **state)
{
	(void)state;
	append("targets.ini", "[target.tours2022]\nlabel = 2022年观摩学习\nkind = events\n"
			      "event = study_tour|sci_tech_week\nfrom = 2022-01-01\nto = 2022年12月31日\n");
	struct config *c = load_clean();
	const struct target *t = config_target(c, "tours2022");
	assert_non_null(t);
	assert_int_equal(t->kind, TK_EVENTS);
	assert_int_equal(t->events.n, 2);
	assert_string_equal(t->events.v[1], "sci_tech_week");
	assert_string_equal(t->from, "2022-01-01");
	assert_string_equal(t->to, "2022-12-31");
	assert_int_equal(t->categories.n, 0);
	assert_int_equal(config_target(c, "hq_farmers")->kind, TK_TRAINEES);
	assert_int_equal(config_target(c, "training_hours")->kind, TK_HOURS);
	assert_string_equal(config_item(c, "1.1")->counts, "party_training");
	assert_string_equal(config_event_type(c, "hq_farmer_class")->category, "grower");
	assert_null(config_event_type(c, "event"));	/* the abstract base */
	config_free(c);
}

static void test_event_target_problems_each_at_its_line(void **state)
{
	(void)state;
	int line = append("targets.ini",
			  "[target.a]\nlabel = 甲\nkind = events\nevent = no_such_type\n"	/* +3 */
			  "[target.b]\nlabel = 乙\nkind = trainees\nevent = study_tour\n"
			  "category = grower\n"						/* +8 */
			  "[target.c]\nlabel = 丙\nkind = hours\nevent = study_tour\nfrom = 去年\n" /* +13 */
			  "[target.d]\nlabel = 丁\ncategory = grower\nevent = study_tour\n"	/* +17 */
			  "[target.e]\nlabel = 戊\nkind = events\n");			/* +18 */
	struct diags d = {0};
	struct config *c = load_broken(&d);
	expect(&d, "targets.ini", line + 3, "未知的活动类型：no_such_type（用 talentreg event types 查看）");
	expect(&d, "targets.ini", line + 8,
	       "按活动计的目标（events、trainees、hours）不用 category：统计的是 event 列出的活动类型");
	expect(&d, "targets.ini", line + 13, "from 的值无效：去年");
	expect(&d, "targets.ini", line + 17, "event 只用于按活动计的目标（kind = events、trainees 或 hours）");
	expect(&d, "targets.ini", line + 18, "缺少必需的键：event");
	assert_int_equal(d.lines.n, 5);
	diags_free(&d);
	config_free(c);
}

/* ---- tasks.ini: the ledger ----------------------------------------------- */

static void test_ledger_loaded_from_the_plan(void **state)
{
	(void)state;
	struct config *c = load_clean();
	assert_int_equal(c->ntasks, 11);
	assert_string_equal(config_task(c, 4)->title, "加快培养乡村治理人才");
	const struct item *st = config_item(c, "4.1");
	assert_non_null(st);
	assert_int_equal(st->task, 4);
	assert_string_equal(st->measure, "个");
	assert_int_equal(st->target, 3);
	assert_null(st->counts);
	assert_string_equal(st->unit, "待填写");	/* the task's, the plan names none */
	assert_string_equal(st->owner, "待填写");
	assert_string_equal(st->deadline, "2022-12-31");
	assert_string_equal(config_item(c, "6.4")->unit, "区科技局、区农业农村局");
	assert_int_equal(config_item(c, "6.4")->target, 10);
	assert_string_equal(config_item(c, "1.2")->counts, "hq_farmers");
	assert_string_equal(config_item(c, "9.2")->counts, "village_teams");
	assert_string_equal(config_item(c, "2.2")->counts, "team.rural_industry");
	assert_null(config_item(c, "8.1")->counts);
	assert_int_equal(config_item(c, "8.1")->target, 0);
	for (int t = 1; t <= 11; t++) {	/* every task has an item */
		bool has = false;
		for (size_t i = 0; i < c->nitems; i++)
			has |= c->items[i].task == t;
		assert_true(has);
	}
	assert_null(config_item(c, "4.9"));
	config_free(c);
}

static void test_ledger_problems_each_at_its_line(void **state)
{
	(void)state;
	int line = append("tasks.ini",
			  "[item.4.9]\ntext = 甲\ndeadline = 2022-13-45\n"		/* +2 */
			  "[item.4.10]\ntext = 乙\ndeadline = 年底\n"			/* +5 */
			  "[item.x]\ntext = 丙\n"					/* +6 */
			  "[item.13.1]\ntext = 丁\n"					/* +8 */
			  "[item.4.11]\ntext = 戊\ncounts = nosuch\n"			/* +12 */
			  "[item.4.12]\ntext = 己\ntarget = 3\n"			/* +15 */
			  "[item.4.13]\ntext = 庚\ncounts = ecommerce\ntarget = 3\n"	/* +19 */
			  "[task.x]\ntitle = 辛\n"					/* +20 */
			  "[task.12]\ndeadline = 2022-12-31\n");			/* +22 */
	struct diags d = {0};
	struct config *c = load_broken(&d);
	expect(&d, "tasks.ini", line + 2, "完成时限不是有效的日期：2022-13-45（不是真实存在的日期）");
	expect(&d, "tasks.ini", line + 5,
	       "完成时限不是有效的日期：年底（日期格式应为 2024-03-05、2024/3/5、2024.3.5、2024年3月5日 或 20240305）");
	expect(&d, "tasks.ini", line + 6, "台账条目的节名应为 [item.任务序号.条目序号]，如 [item.4.2]：[item.x]");
	expect(&d, "tasks.ini", line + 8, "台账条目 13.1 所属的重点任务 [task.13] 不存在");
	expect(&d, "tasks.ini", line + 12,
	       "counts 应为 total、team.队伍标识 或 targets.ini 中的目标标识：nosuch");
	expect(&d, "tasks.ini", line + 15, "有 target 的条目须写明 measure（计量单位，如 个、家、次）");
	expect(&d, "tasks.ini", line + 19,
	       "条目不能同时有 target 和 counts（counts 的目标数取自 targets.ini）");
	expect(&d, "tasks.ini", line + 20, "重点任务的节名应为 [task.序号]，如 [task.4]：[task.x]");
	expect(&d, "tasks.ini", line + 22, "缺少必需的键：title");
	assert_int_equal(d.lines.n, 9);
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
	assert_string_equal(role_name((enum role)4), "?");
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
		T(test_home_targets_shipped),
		T(test_home_bad_value),
		T(test_paths_relative_to_the_config_folder),
		T(test_absolute_paths_kept),
		T(test_site_values_and_defaults),
		T(test_site_kind),
		T(test_sites_declared),
		T(test_sites_problems_reported),
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
		T(test_targets_across_categories_and_conditions),
		T(test_coverage_targets_and_their_village_field),
		T(test_targets_split_per_township),
		T(test_where_value_must_be_an_option),
		T(test_where_problems_each_at_its_line),
		T(test_event_targets_loaded),
		T(test_event_target_problems_each_at_its_line),
		T(test_ledger_loaded_from_the_plan),
		T(test_ledger_problems_each_at_its_line),
		cmocka_unit_test(test_role_names_round_trip),
		cmocka_unit_test(test_role_parse_refuses_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
