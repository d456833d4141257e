/*
 * test_region.c - unit tests of region.c and of the division code table
 * shipped in config/regions.txt: the file format and its problems, the
 * summary codes, the table's own content (the district's codes, codes no
 * longer in use, every code under a province the ID check knows), the
 * switch in talentreg.ini, and ID numbers checked against the table by
 * validate_field(), demo records included.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "demo.h"
#include "region.h"
#include "validate.h"

#define SHIPPED "config/regions.txt"

static const struct date fixed_today = {2026, 11, 29};

static char *scratch;	/* a temporary folder for the files written here */

static int make_scratch(void **state)
{
	(void)state;
	scratch = strdup("/tmp/talentreg-region.XXXXXX");
	return mkdtemp(scratch) ? 0 : -1;
}

static int remove_scratch(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", scratch);
	int rc = system(cmd);
	free(cmd);
	free(scratch);
	return rc == 0 ? 0 : -1;
}

/* Writes text to scratch/name; returns the path (the caller frees it). */
static char *write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", scratch, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Loads text as a table and asserts that it loads cleanly. */
static struct regions *load_text(const char *text)
{
	char *path = write_file("table.txt", text);
	struct regions *r = NULL;
	struct diags d = {0};
	int rc = regions_load(path, &r, &d);
	for (size_t i = 0; i < d.lines.n; i++)
		print_error("%s\n", d.lines.v[i]);
	assert_int_equal(rc, 0);
	assert_int_equal(d.lines.n, 0);
	assert_non_null(r);
	diags_free(&d);
	free(path);
	return r;
}

/* Loads text as a table and asserts that it is refused with exactly the
 * problems want (each "file:line: " followed by the message). */
static void expect_refused(const char *text, const char *const *want, size_t nwant)
{
	char *path = write_file("bad.txt", text);
	struct regions *r = (struct regions *)1;
	struct diags d = {0};
	assert_int_equal(regions_load(path, &r, &d), -1);
	assert_null(r);
	if (d.lines.n != nwant)
		fail_msg("%zu problems, want %zu (first: %s)", d.lines.n, nwant,
			 d.lines.n ? d.lines.v[0] : "-");
	for (size_t i = 0; i < nwant; i++) {
		char *line = xasprintf("%s:%s", path, want[i]);
		assert_string_equal(d.lines.v[i], line);
		free(line);
	}
	diags_free(&d);
	free(path);
}

static void test_format(void **state)
{
	(void)state;
	msg_set_lang(LANG_EN);
	struct regions *r = load_text("\xEF\xBB\xBF# a comment\r\n\r\n620302\t金川区\t1984\t\r\n"
				      "620321 永昌县\n  \n620302\t金川区（重复）\n110103\n");
	assert_int_equal(regions_count(r), 3);	/* 620302 once */
	assert_true(regions_known(r, "620302"));
	assert_true(regions_known(r, "620321198506120027"));	/* the first six count */
	assert_true(regions_known(r, "110103"));
	assert_false(regions_known(r, "620303"));
	assert_false(regions_known(r, "62030X"));
	assert_false(regions_known(r, ""));
	regions_free(r);

	static const char *const shapes[] = {
		"2: a line must start with a six-digit division code (then a tab or a space); a comment line starts with #",
		"3: a line must start with a six-digit division code (then a tab or a space); a comment line starts with #",
		"4: a line must start with a six-digit division code (then a tab or a space); a comment line starts with #",
		"5: a line must start with a six-digit division code (then a tab or a space); a comment line starts with #",
	};
	expect_refused("620302\n6203021 金川区\n62030\n 620302\n金川区 620302\n", shapes, 4);
	static const char *const empty[] = {"0: the file holds no division code"};
	expect_refused("# only comments\n\n", empty, 1);
	expect_refused("", empty, 1);

	struct regions *none = (struct regions *)1;
	struct diags d = {0};
	char *missing = xasprintf("%s/missing.txt", scratch);
	assert_int_equal(regions_load(missing, &none, &d), -1);
	assert_null(none);
	assert_int_equal(d.lines.n, 1);
	assert_true(strncmp(d.lines.v[0], missing, strlen(missing)) == 0);
	assert_non_null(strstr(d.lines.v[0], ":0: cannot read"));
	diags_free(&d);
	free(missing);
	msg_set_lang(LANG_ZH);
}

/* A summary code (xxxx00, xxxx01) stands for a prefecture the table has
 * codes of; no other code is made up. */
static void test_summary_codes(void **state)
{
	(void)state;
	struct regions *r = load_text("110101\t东城区\n620300\t金昌市\n620302\t金川区\n");
	assert_true(regions_known(r, "110100"));	/* 北京市市辖区 */
	assert_true(regions_known(r, "110101"));
	assert_false(regions_known(r, "110102"));
	assert_true(regions_known(r, "620301"));	/* 金昌市市辖区 */
	assert_false(regions_known(r, "620399"));
	assert_false(regions_known(r, "620200"));	/* no code of 6202 */
	assert_false(regions_known(r, "620201"));
	assert_false(regions_known(r, "110000"));	/* nor of 1100 */
	regions_free(r);
}

static struct regions *load_shipped(void)
{
	struct regions *r = NULL;
	struct diags d = {0};
	int rc = regions_load(SHIPPED, &r, &d);
	for (size_t i = 0; i < d.lines.n; i++)
		print_error("%s\n", d.lines.v[i]);
	assert_int_equal(rc, 0);
	diags_free(&d);
	return r;
}

/* The shipped table: the district's own codes, codes of places that were
 * renamed or abolished, and the residence permits' 81, 82, 83. */
static void test_shipped_table(void **state)
{
	(void)state;
	struct regions *r = load_shipped();
	assert_true(regions_count(r) > 6000);	/* every county since 1981 */
	static const char *const known[] = {
		"620000", "620300", "620302", "620321",	/* 甘肃省 金昌市 金川区 永昌县 */
		"110103",	/* 崇文区, merged into 东城区 in 2010 */
		"620112",	/* 兰州市白银区, 1983-1985 */
		"620502",	/* 秦城区, renamed 秦州区 in 2004 */
		"710000", "810000", "820000", "830000",
		"620301", "110100",	/* summary codes */
	};
	for (size_t i = 0; i < ARRAY_LEN(known); i++)
		if (!regions_known(r, known[i]))
			fail_msg("%s is not in %s", known[i], SHIPPED);
	static const char *const unknown[] = {"620399", "629900", "990302", "000000", "620304"};
	for (size_t i = 0; i < ARRAY_LEN(unknown); i++)
		if (regions_known(r, unknown[i]))
			fail_msg("%s is in %s", unknown[i], SHIPPED);
	regions_free(r);
}

/* Every code of the shipped table starts with a province the ID check
 * accepts: turning the table on never contradicts the province check. */
static void test_shipped_provinces(void **state)
{
	(void)state;
	struct regions *r = load_shipped();
	char *text = file_read(SHIPPED, NULL);
	assert_non_null(text);
	size_t codes = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		char first17[18], id[19], *out = NULL;
		enum msg_id why;
		snprintf(first17, sizeof first17, "%.6s19900101123", line);
		int sum = 0;
		for (int i = 0; i < 17; i++) {
			static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
			sum += (first17[i] - '0') * w[i];
		}
		snprintf(id, sizeof id, "%s%c", first17, "10X98765432"[sum % 11]);
		if (check_id_card(id, &fixed_today, &out, &why) != 0)
			fail_msg("%s: the ID %s is refused: %s", SHIPPED, id, msg(why));
		assert_true(regions_known(r, id));
		free(out);
		codes++;
	}
	assert_true(codes >= regions_count(r));
	free(text);
	regions_free(r);
}

/* Writes a configuration folder: the shipped one, with talentreg.ini's
 * [validation] part replaced by section (empty: none). */
static char *config_with(const char *section)
{
	char *dir = xasprintf("%s/config", scratch);
	char *cmd = xasprintf("rm -rf '%s' && cp -r config '%s' && cp -r forms '%s/' && "
			      "sed -i '/^\\[validation\\]/,$d' '%s/talentreg.ini' && "
			      "sed -i 's|^forms = .*|forms = ../forms|' '%s/talentreg.ini'",
			      dir, dir, scratch, dir, dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	char *ini = xasprintf("%s/talentreg.ini", dir);
	FILE *f = fopen(ini, "a");
	assert_non_null(f);
	fputs(section, f);
	assert_int_equal(fclose(f), 0);
	free(ini);
	return dir;
}

/* Loads dir; returns its configuration and the problems in *d. */
static struct config *load(const char *dir, struct diags *d)
{
	struct config *cfg = NULL;
	config_load(dir, &cfg, d);
	return cfg;
}

/* Validates id as the id_number field of rural_teacher; returns the
 * message, or NULL when it is accepted. */
static char *id_problem(const struct config *cfg, const char *id)
{
	const struct form *f = formset_find(&cfg->forms, "rural_teacher");
	const struct field *fd = form_field(f, "id_number");
	char *out = NULL, *err = NULL;
	if (validate_field(fd, id, NULL, cfg, &fixed_today, &out, &err) == 0) {
		free(out);
		return NULL;
	}
	assert_null(out);
	return err;
}

/* Off by default: only the province is checked; on: the six digits. */
static void test_switch(void **state)
{
	(void)state;
	struct diags d = {0};
	char *dir = config_with("");
	struct config *off = load(dir, &d);
	assert_int_equal(d.lines.n, 0);
	assert_null(off->regions);
	assert_null(id_problem(off, "620399198506120027"));	/* no such county: not asked */
	config_free(off);
	free(dir);

	dir = config_with("[validation]\nregion_table = regions.txt\n");
	struct config *on = load(dir, &d);
	for (size_t i = 0; i < d.lines.n; i++)
		print_error("%s\n", d.lines.v[i]);
	assert_int_equal(d.lines.n, 0);
	assert_non_null(on->regions);
	assert_null(id_problem(on, "620302198506120028"));
	assert_null(id_problem(on, "620301198506120021"));	/* summary code of 金昌市 */
	assert_null(id_problem(on, "110103198506120023"));	/* 崇文区, abolished in 2010 */
	char *m = id_problem(on, "620399198506120027");
	assert_string_equal(m, "身份证号前六位 620399 不在行政区划代码表中；号码无误的请告知管理员补入代码表");
	free(m);
	m = id_problem(on, "990302199001011238");	/* the province comes first */
	assert_string_equal(m, "身份证号前两位不是有效的省级行政区划代码");
	free(m);
	config_free(on);
	free(dir);
}

static void test_switch_problems(void **state)
{
	(void)state;
	msg_set_lang(LANG_EN);
	struct diags d = {0};
	char *dir = config_with("[validation]\nregion_table = /etc/passwd\n");
	struct config *c = load(dir, &d);
	assert_int_equal(d.lines.n, 1);
	assert_non_null(strstr(d.lines.v[0], "talentreg.ini:"));
	assert_non_null(strstr(d.lines.v[0], "region_table must name a file of the configuration folder"));
	assert_null(c->regions);
	config_free(c);
	diags_free(&d);
	free(dir);

	dir = config_with("[validation]\nregion_table = nowhere.txt\n");
	c = load(dir, &d);
	assert_int_equal(d.lines.n, 1);
	assert_non_null(strstr(d.lines.v[0], "/nowhere.txt:0: cannot read"));
	config_free(c);
	diags_free(&d);
	free(dir);

	dir = config_with("[validation]\nregion_tabel = regions.txt\n");
	c = load(dir, &d);
	assert_int_equal(d.lines.n, 1);
	assert_non_null(strstr(d.lines.v[0], "unknown key: region_tabel"));
	config_free(c);
	diags_free(&d);
	free(dir);
	msg_set_lang(LANG_ZH);
}

/* Demo records are made with the district's code 620302: every category
 * still gets valid ones with the table on. */
static void test_demo_with_table(void **state)
{
	(void)state;
	struct diags d = {0};
	char *dir = config_with("[validation]\nregion_table = regions.txt\n");
	struct config *cfg = load(dir, &d);
	assert_int_equal(d.lines.n, 0);
	uint64_t seed = 16;
	for (size_t i = 0; i < cfg->forms.n; i++) {
		const struct form *f = cfg->forms.v[i];
		for (int k = 0; !f->abstract && k < 20; k++) {
			struct kv vals = {0};
			if (demo_record(cfg, f, &fixed_today, &seed, &vals) != 0)
				fail_msg("%s: no demo record with the region table on", f->key);
			assert_true(regions_known(cfg->regions, kv_get(&vals, "id_number")));
			kv_free(&vals);
		}
	}
	config_free(cfg);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_summary_codes),
		cmocka_unit_test(test_shipped_table),
		cmocka_unit_test(test_shipped_provinces),
		cmocka_unit_test(test_switch),
		cmocka_unit_test(test_switch_problems),
		cmocka_unit_test(test_demo_with_table),
	};
	return cmocka_run_group_tests(tests, make_scratch, remove_scratch);
}
