/*
 * test_validate.c - unit tests of validate.c: every field type of the
 * shipped forms (loaded from a copy of config/ and forms/), the attributes
 * (required, lengths in characters, bounds, pattern, show_if, required_if),
 * every rule kind at both severities (on small forms written here), the
 * fields a valid ID fills, the normalised values written back, and how
 * issues are printed and confirmed. "Today" is always 2026-11-29.
 */
#include "testutil.h"

#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "config.h"
#include "form.h"
#include "record.h"
#include "validate.h"

static const struct date fixed_today = {2026, 11, 29};

static char *tmp;		/* this run's temporary folder */
static struct config *cfg;	/* the shipped configuration, loaded from tmp */
static struct formset probes;	/* the last form written by probe() */

static int load_config(void **state)
{
	(void)state;
	tmp = tmpdir_new("validate");
	char *dir = config_copy_to(tmp);
	struct diags d = {0};
	int rc = config_load(dir, &cfg, &d);
	for (size_t i = 0; i < d.lines.n; i++)
		print_error("%s\n", d.lines.v[i]);
	diags_free(&d);
	free(dir);
	msg_set_lang(LANG_ZH);
	return rc;
}

static int free_config(void **state)
{
	(void)state;
	formset_free(&probes);
	config_free(cfg);
	return tmpdir_remove(tmp);
}

/* ---- helpers ---------------------------------------------------------- */

/* Writes into out the ID number of the district 620302 for someone born
 * on ymd ("19850612"), male or female, with its check character. */
static void id_born(char out[19], const char *ymd, bool male)
{
	snprintf(out, 19, "620302%s00%c", ymd, male ? '1' : '2');
	out[17] = id_check_char(out);
	out[18] = '\0';
}

/* Returns the shipped form key's field fkey. */
static const struct field *field_of(const char *key, const char *fkey)
{
	const struct form *f = formset_find(&cfg->forms, key);
	assert_non_null(f);
	const struct field *fd = form_field(f, fkey);
	assert_non_null(fd);
	return fd;
}

/* Loads a form "probe" of the given sections (fields and rules; an
 * optional id_number field is added when they have none, as every
 * category has one) and returns it; it lives until the next call. */
static const struct form *probe(const char *sections)
{
	formset_free(&probes);
	char *dir = xasprintf("%s/probe", tmp);
	mkdir(dir, 0700);
	char *text = xasprintf("[form]\nkey = probe\ntitle = 试验\nteam = rural_industry\n%s%s",
			       sections, strstr(sections, "[field.id_number]") ? ""
			       : "[field.id_number]\nlabel = 身份证号\ntype = id_card\n");
	file_put(dir, "probe.ini", text);
	struct diags d = {0};
	int rc = formset_load(dir, NULL, NULL, &probes, &d);
	for (size_t i = 0; i < d.lines.n; i++)
		print_error("%s\n", d.lines.v[i]);
	assert_int_equal(rc, 0);
	diags_free(&d);
	free(text);
	free(dir);
	return formset_find(&probes, "probe");
}

/* Returns the probe form's only field, made of the given attributes. */
static const struct field *probe_field(const char *attributes)
{
	char *text = xasprintf("[field.x]\nlabel = 某项\n%s", attributes);
	const struct form *f = probe(text);
	free(text);
	return form_field(f, "x");
}

/* Asserts that fd takes in (beside the other values vals, may be NULL) and
 * normalises it to want. */
static void accepts_in(const struct field *fd, const char *in, const struct kv *vals,
		       const char *want)
{
	char *out = NULL, *err = NULL;
	if (validate_field(fd, in, vals, cfg, &fixed_today, &out, &err) != 0)
		fail_msg("%s \"%s\" refused: %s", fd->key, in, err);
	if (strcmp(out, want) != 0)
		fail_msg("%s \"%s\" became \"%s\", want \"%s\"", fd->key, in, out, want);
	assert_null(err);
	free(out);
}

/* Asserts that fd refuses in (beside vals) with the message want. */
static void refuses_in(const struct field *fd, const char *in, const struct kv *vals,
		       const char *want)
{
	char *out = NULL, *err = NULL;
	if (validate_field(fd, in, vals, cfg, &fixed_today, &out, &err) != -1)
		fail_msg("%s \"%s\" accepted as \"%s\"", fd->key, in, out);
	assert_null(out);
	if (strcmp(err, want) != 0)
		fail_msg("%s \"%s\": said \"%s\", want \"%s\"", fd->key, in, err, want);
	free(err);
}

static void accepts(const struct field *fd, const char *in, const char *want)
{
	accepts_in(fd, in, NULL, want);
}

static void refuses(const struct field *fd, const char *in, const char *want)
{
	refuses_in(fd, in, NULL, want);
}

/* Sets the "key=value" pairs of the NULL-terminated list in kv. */
static void set_all(struct kv *kv, const char *const *pairs)
{
	for (; *pairs; pairs++) {
		const char *eq = strchr(*pairs, '=');
		char *key = xstrndup(*pairs, (size_t)(eq - *pairs));
		kv_set(kv, key, eq + 1);
		free(key);
	}
}

/* Fills kv with a valid person of Ningyuanbu's Dongwan village whose ID is id. */
static void person(struct kv *kv, const char *id)
{
	set_all(kv, (const char *const[]){"name=王小梅", "phone=13800138000",
					  "township=宁远堡镇", "village=东湾村", NULL});
	kv_set(kv, "id_number", id);
}

/* Fills kv with a valid rural teacher (female, born 1985-06-12) with
 * years_teaching years of teaching. */
static void teacher(struct kv *kv, const char *years)
{
	char id[19];
	id_born(id, "19850612", false);
	person(kv, id);
	set_all(kv, (const char *const[]){"school=东湾村小学", "stage=小学", "staffing=在编", NULL});
	kv_set(kv, "years_teaching", years);
}

/* Validates vals against the shipped form key; returns the errors. */
static int check(const char *key, struct kv *vals, struct issues *is)
{
	const struct form *f = formset_find(&cfg->forms, key);
	assert_non_null(f);
	return validate_record(f, vals, cfg, &fixed_today, is);
}

/* Prints every issue (for a failing test's output). */
static void show(const struct issues *is)
{
	for (size_t i = 0; i < is->n; i++) {
		char *line = issue_format(&is->v[i]);
		print_message("  issue: %s (%s)\n", line, is->v[i].rule ? is->v[i].rule : "-");
		free(line);
	}
}

/* Returns the issue about field (of rule, NULL for a field check), or NULL. */
static const struct issue *issue_of(const struct issues *is, const char *field, const char *rule)
{
	for (size_t i = 0; i < is->n; i++)
		if (str_eq(is->v[i].field, field) &&
		    (rule ? str_eq(is->v[i].rule, rule) : is->v[i].rule == NULL))
			return &is->v[i];
	return NULL;
}

/* Asserts an issue about field (of rule, or a field check when NULL) with
 * severity sev and message text. */
static void expect_issue(const struct issues *is, const char *field, const char *rule,
			 enum severity sev, const char *text)
{
	const struct issue *x = issue_of(is, field, rule);
	if (x == NULL) {
		show(is);
		fail_msg("no issue about %s (%s)", field, rule ? rule : "field check");
	}
	assert_int_equal(x->severity, sev);
	assert_string_equal(x->message, text);
}

static void expect_no_issues(const struct issues *is)
{
	if (is->n) {
		show(is);
		fail_msg("%zu issues, want none", is->n);
	}
	assert_int_equal(is->errors, 0);
	assert_int_equal(is->warnings, 0);
}

/* ---- single fields ---------------------------------------------------- */

static void test_text_length_counts_characters(void **state)
{
	(void)state;
	const struct field *name = field_of("rural_teacher", "name");	/* 2 to 20 */
	accepts(name, "王小", "王小");
	refuses(name, "王", "至少 2 个字");
	/* 20 Chinese characters are 60 bytes: still 20 characters */
	accepts(name, "一二三四五六七八九十一二三四五六七八九十", "一二三四五六七八九十一二三四五六七八九十");
	refuses(name, "一二三四五六七八九十一二三四五六七八九十一", "最多 20 个字");
	accepts(name, "  王小梅\xE3\x80\x80", "王小梅");	/* spaces, U+3000 trimmed */
}

static void test_text_refuses_control_and_format_characters(void **state)
{
	(void)state;
	const struct field *name = field_of("rural_teacher", "name");
	refuses(name, "王\x01小梅", "含有不允许的控制字符或格式字符 (U+0001)");
	refuses(name, "王\n小梅", "含有不允许的控制字符或格式字符 (U+000A)");
	refuses(name, "王\xE2\x80\xAE小梅", "含有不允许的控制字符或格式字符 (U+202E)");
	refuses(name, "王\xE2\x80\x8B小梅", "含有不允许的控制字符或格式字符 (U+200B)");
	refuses(name, "王\xFF小梅", "不是有效的 UTF-8 文本");
}

static void test_memo_allows_newlines_and_limits_length(void **state)
{
	(void)state;
	const struct field *memo = field_of("tech_commissioner", "techniques_promoted");
	accepts(memo, "推广地膜覆盖\n推广节水灌溉", "推广地膜覆盖\n推广节水灌溉");
	refuses(memo, "推广\x07地膜", "含有不允许的控制字符或格式字符 (U+0007)");
	char *long_text = xmalloc(201 * 3 + 1);
	long_text[0] = '\0';
	for (int i = 0; i < 201; i++)
		strcat(long_text, "字");
	refuses(memo, long_text, "最多 200 个字");
	long_text[200 * 3] = '\0';
	accepts(memo, long_text, long_text);
	free(long_text);
}

/* A field that sets no max_chars still takes no more than VALUE_MAX_CHARS:
 * a 10 MB value (as a forged bundle once carried) would break every export. */
static void test_every_value_has_a_limit(void **state)
{
	(void)state;
	struct field f = *field_of("rural_teacher", "school");
	f.max_chars = 0;
	char *text = xmalloc(VALUE_MAX_CHARS * 3 + 4);
	text[0] = '\0';
	for (int i = 0; i < VALUE_MAX_CHARS; i++)
		strcat(text, "字");
	accepts(&f, text, text);
	strcat(text, "字");
	char *want = xasprintf("最多 %d 个字", VALUE_MAX_CHARS);
	refuses(&f, text, want);
	free(want);
	free(text);
}

static void test_int_bounds_and_full_width_digits(void **state)
{
	(void)state;
	const struct field *years = field_of("rural_teacher", "years_teaching");	/* 0..45 */
	accepts(years, "0", "0");
	accepts(years, "45", "45");
	accepts(years, "\xEF\xBC\x91\xEF\xBC\x92", "12");	/* full-width 12 */
	accepts(years, "007", "7");
	refuses(years, "-1", "不能小于 0");
	refuses(years, "46", "不能大于 45");
	refuses(years, "12.5", "应为整数");
	refuses(years, "十二", "应为整数");
	refuses(years, "0x10", "应为整数");
}

static void test_decimal_bounds(void **state)
{
	(void)state;
	const struct field *sales = field_of("ecommerce_trainee", "monthly_sales");	/* 0..1e8 */
	accepts(sales, "1234.50", "1234.50");
	accepts(sales, "\xEF\xBC\x91\xEF\xBC\x92.5", "12.5");
	accepts(sales, "100000000", "100000000");
	refuses(sales, "-0.01", "不能小于 0");
	refuses(sales, "100000000.5", "不能大于 100000000");
	refuses(sales, "1e5", "应为数字");
	refuses(sales, "nan", "应为数字");
	refuses(sales, "一千", "应为数字");
	const struct field *rate = probe_field("type = decimal\nmin = 0.5\nmax = 99.5\n");
	refuses(rate, "0.4", "不能小于 0.5");
	refuses(rate, "99.51", "不能大于 99.5");
	accepts(rate, "0.5", "0.5");
}

static void test_date_forms_and_max_today(void **state)
{
	(void)state;
	const struct field *day = field_of("ecommerce_trainee", "training_date");	/* max = today */
	accepts(day, "2024年3月5日", "2024-03-05");
	accepts(day, "2024/3/5", "2024-03-05");
	accepts(day, "20240305", "2024-03-05");
	accepts(day, "2026-11-29", "2026-11-29");	/* today itself */
	refuses(day, "2026-11-30", "不能晚于今天");
	refuses(day, "2024-02-30", "不是真实存在的日期");
	refuses(day, "三月五日", "日期格式应为 2024-03-05、2024/3/5、2024.3.5、2024年3月5日 或 20240305");
}

static void test_date_min_and_max_dates(void **state)
{
	(void)state;
	const struct field *d = probe_field("type = date\nmin = 2020-01-01\nmax = 2025-12-31\n");
	accepts(d, "2020-01-01", "2020-01-01");
	accepts(d, "2025.12.31", "2025-12-31");
	refuses(d, "2019-12-31", "不能早于 2020-01-01");
	refuses(d, "2026-01-01", "不能晚于 2025-12-31");
}

static void test_choice_takes_only_its_options(void **state)
{
	(void)state;
	const struct field *gender = field_of("rural_teacher", "gender");
	accepts(gender, " 女 ", "女");
	refuses(gender, "female", "应为以下之一：男、女");
	refuses(gender, "男女", "应为以下之一：男、女");
}

static void test_multi_normalised_to_option_order(void **state)
{
	(void)state;
	const struct field *m = probe_field("type = multi\noptions = 红|绿|蓝\n");
	accepts(m, "蓝，红", "红|蓝");
	accepts(m, "蓝;绿、红", "红|绿|蓝");
	accepts(m, "绿,绿；绿", "绿");
	accepts(m, "红 | 蓝", "红|蓝");
	refuses(m, "红|紫", "应为以下之一：红、绿、蓝");
	const struct field *subjects = field_of("rural_teacher", "subjects");
	accepts(subjects, "数学、语文", "语文|数学");
}

static void test_yesno_words(void **state)
{
	(void)state;
	const struct field *yn = field_of("ecommerce_trainee", "has_shop");
	const char *yes[] = {"是", "yes", "Y", "1", "TRUE", "有"};
	const char *no[] = {"否", "no", "N", "0", "false", "无"};
	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		accepts(yn, yes[i], "是");
		accepts(yn, no[i], "否");
	}
	refuses(yn, "也许", "应为 是 或 否");
	refuses(yn, "yesno", "应为 是 或 否");
}

static void test_phone_normalised(void **state)
{
	(void)state;
	const struct field *phone = field_of("rural_teacher", "phone");
	accepts(phone, "+86 138-0013-8000", "13800138000");
	accepts(phone, "0086 13800138000", "13800138000");
	accepts(phone, "\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x98" "00138000", "13800138000");
	refuses(phone, "12800138000", "应为 11 位手机号，以 13–19 开头");
	refuses(phone, "1380013800", "应为 11 位手机号，以 13–19 开头");
}

static void test_id_card_normalised_and_checked(void **state)
{
	(void)state;
	const struct field *idf = field_of("rural_teacher", "id_number");
	char id[19];
	id_born(id, "19850612", false);
	accepts(idf, id, id);
	accepts(idf, "62030219900101008x", "62030219900101008X");
	accepts(idf, "\xEF\xBC\x96" "20302198506120028", "620302198506120028");	/* full-width 6 */
	accepts(idf, "620302850612002", "620302198506120028");	/* 15 digits upgraded */
	refuses(idf, "620302198506120027", "校验位不正确，请核对");
	id_born(id, "20261129", true);
	accepts(idf, id, id);				/* born today */
	id_born(id, "20261130", true);
	refuses(idf, id, "其中的出生日期晚于今天");
	refuses(idf, "6.20302E+17",
		"被 Excel 当作数字存成科学计数法，末几位已丢失：请把该列设为文本，重填后再导出");
}

/* Returns a valid credit code made of the 17 characters head. */
static void uscc_of(char out[19], const char *head)
{
	snprintf(out, 19, "%s", head);
	out[17] = uscc_check_char(out);
	out[18] = '\0';
}

static void test_uscc_with_pattern_message(void **state)
{
	(void)state;
	const struct field *code = field_of("coop_leader", "coop_uscc");	/* pattern ^93 */
	char c93[19], c91[19];
	uscc_of(c93, "93620302MA7HDU4L0");
	uscc_of(c91, "91620302MA7HDU4L0");
	accepts(code, c93, c93);
	char *lower = xstrdup(c93);
	for (char *p = lower; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	accepts(code, lower, c93);
	free(lower);
	refuses(code, c91, "农民专业合作社的统一社会信用代码以93开头");
	c93[17] = c93[17] == '0' ? '1' : '0';
	refuses(code, c93, "校验位不正确，请核对");
	refuses(code, "9362030", "应为 18 位");
}

static void test_pattern_without_message(void **state)
{
	(void)state;
	const struct field *f = probe_field("type = text\npattern = ^M[0-9]{3}$\n");
	accepts(f, "M007", "M007");
	refuses(f, "M07", "格式不正确");
	refuses(f, "xM007", "格式不正确");
}

static void test_area_township_then_village(void **state)
{
	(void)state;
	const struct field *town = field_of("rural_teacher", "township");
	const struct field *village = field_of("rural_teacher", "village");
	accepts(town, "宁远堡镇", "宁远堡镇");
	refuses(town, "天堂镇", "不是本区的乡镇：天堂镇");
	struct kv vals = {0};
	refuses_in(village, "东湾村", &vals, "请先填写乡镇");
	kv_set(&vals, "township", " 宁远堡镇 ");
	accepts_in(village, "东湾村", &vals, "东湾村");
	refuses_in(village, "南湾村", &vals, "不是宁远堡镇的村：南湾村");	/* a village of 双湾镇 */
	kv_set(&vals, "township", "天堂镇");
	refuses_in(village, "东湾村", &vals, "不是本区的乡镇：天堂镇");
	kv_free(&vals);
}

static void test_empty_value_is_empty(void **state)
{
	(void)state;
	accepts(field_of("rural_teacher", "years_teaching"), "  ", "");
	accepts(field_of("rural_teacher", "id_number"), NULL, "");
}

/* ---- whole records ---------------------------------------------------- */

static void test_valid_teacher_has_no_issues(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "12");
	assert_int_equal(check("rural_teacher", &vals, &is), 0);
	expect_no_issues(&is);
	issues_free(&is);
	kv_free(&vals);
}

static void test_required_fields_reported(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "12");
	kv_del(&vals, "school");
	kv_set(&vals, "phone", "   ");
	assert_int_equal(check("rural_teacher", &vals, &is), 2);
	expect_issue(&is, "school", NULL, SEV_ERROR, "必填");
	expect_issue(&is, "phone", NULL, SEV_ERROR, "必填");
	assert_null(issue_of(&is, "subjects", NULL));	/* not required */
	issues_free(&is);
	kv_free(&vals);
}

static void test_field_check_becomes_an_error(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "50");
	assert_int_equal(check("rural_teacher", &vals, &is), 1);
	expect_issue(&is, "years_teaching", NULL, SEV_ERROR, "不能大于 45");
	assert_string_equal(is.v[0].label, "教龄(年)");
	/* what was typed is kept, so that it can be corrected */
	assert_string_equal(kv_get(&vals, "years_teaching"), "50");
	issues_free(&is);
	kv_free(&vals);
}

static void test_values_normalised_in_place(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "\xEF\xBC\x91\xEF\xBC\x92");
	set_all(&vals, (const char *const[]){"phone=+86 138 0013 8000", "subjects=数学，语文",
					   "id_number=620302850612002", "name= 王小梅 ", NULL});
	assert_int_equal(check("rural_teacher", &vals, &is), 0);
	expect_no_issues(&is);
	assert_string_equal(kv_get(&vals, "phone"), "13800138000");
	assert_string_equal(kv_get(&vals, "subjects"), "语文|数学");
	assert_string_equal(kv_get(&vals, "id_number"), "620302198506120028");
	assert_string_equal(kv_get(&vals, "years_teaching"), "12");
	assert_string_equal(kv_get(&vals, "name"), "王小梅");
	issues_free(&is);
	kv_free(&vals);
}

static void test_defaults_filled_and_form_order_kept(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "12");
	kv_set(&vals, "title", "");	/* empty values are dropped */
	assert_int_equal(check("rural_teacher", &vals, &is), 0);
	assert_string_equal(kv_get(&vals, "ethnicity"), "汉族");
	assert_string_equal(kv_get(&vals, "political_status"), "群众");
	assert_null(kv_get(&vals, "title"));
	const struct form *f = formset_find(&cfg->forms, "rural_teacher");
	size_t k = 0;
	for (size_t i = 0; i < f->nfields && k < vals.keys.n; i++)
		if (str_eq(f->fields[i].key, vals.keys.v[k]))
			k++;
	assert_int_equal(k, vals.keys.n);	/* every key, in the form's order */
	issues_free(&is);
	kv_free(&vals);
}

static void test_valid_id_fills_birth_date_and_gender(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "12");
	char id[19];
	id_born(id, "19800229", true);
	kv_set(&vals, "id_number", id);
	assert_int_equal(check("rural_teacher", &vals, &is), 0);
	expect_no_issues(&is);
	assert_string_equal(kv_get(&vals, "birth_date"), "1980-02-29");
	assert_string_equal(kv_get(&vals, "gender"), "男");
	issues_free(&is);
	kv_free(&vals);
}

static void test_given_birth_date_and_gender_kept_and_checked(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "12");	/* a woman born 1985-06-12 */
	set_all(&vals, (const char *const[]){"gender=男", "birth_date=1985/6/13", NULL});
	assert_int_equal(check("rural_teacher", &vals, &is), 2);
	expect_issue(&is, "gender", "id_gender", SEV_ERROR, "性别与身份证号不一致");
	expect_issue(&is, "birth_date", "id_birth", SEV_ERROR, "出生日期与身份证号不一致");
	/* the person's word is not overwritten by the ID's */
	assert_string_equal(kv_get(&vals, "gender"), "男");
	assert_string_equal(kv_get(&vals, "birth_date"), "1985-06-13");
	issues_free(&is);
	kv_free(&vals);
	/* matching ones in another form pass */
	teacher(&vals, "12");
	set_all(&vals, (const char *const[]){"gender=女", "birth_date=1985年6月12日", NULL});
	assert_int_equal(check("rural_teacher", &vals, &is), 0);
	assert_string_equal(kv_get(&vals, "birth_date"), "1985-06-12");
	issues_free(&is);
	kv_free(&vals);
}

static void test_wrong_id_asks_only_for_the_id(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "12");
	kv_set(&vals, "id_number", "620302198506120027");
	assert_int_equal(check("rural_teacher", &vals, &is), 1);
	expect_issue(&is, "id_number", NULL, SEV_ERROR, "校验位不正确，请核对");
	assert_null(issue_of(&is, "birth_date", NULL));
	assert_null(issue_of(&is, "gender", NULL));
	assert_null(kv_get(&vals, "birth_date"));
	issues_free(&is);
	kv_free(&vals);
}

static void test_missing_id_asks_only_for_the_id(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "12");
	kv_del(&vals, "id_number");
	assert_int_equal(check("rural_teacher", &vals, &is), 1);
	expect_issue(&is, "id_number", NULL, SEV_ERROR, "必填");
	/* gender comes before the ID in the form, birth date after it */
	assert_null(issue_of(&is, "gender", NULL));
	assert_null(issue_of(&is, "birth_date", NULL));
	issues_free(&is);
	kv_free(&vals);
}

static void test_show_if_hides_and_rule_requires(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	char id[19];
	id_born(id, "19900101", true);
	person(&vals, id);
	set_all(&vals, (const char *const[]){"course=直播带货培训班", "training_date=2026-05-01",
					   "training_site=区电商中心", "has_shop=否", NULL});
	assert_int_equal(check("ecommerce_trainee", &vals, &is), 0);
	expect_no_issues(&is);
	issues_free(&is);
	kv_set(&vals, "has_shop", "yes");
	assert_int_equal(check("ecommerce_trainee", &vals, &is), 1);
	expect_issue(&is, "shop_name", "shop_name_required", SEV_ERROR, "开设网店的须填写网店名称");
	issues_free(&is);
	kv_free(&vals);
}

static const char member_fields[] =
	"[field.member]\nlabel = 是否会员\ntype = yesno\n"
	"[field.member_no]\nlabel = 会员号\ntype = text\nrequired_if = member=是\n"
	"[field.card]\nlabel = 会员卡\ntype = text\nrequired = yes\nshow_if = member=是\n";

/* Validates the probe's record with member set to m (and nothing else). */
static int members(const char *m, struct issues *is)
{
	const struct form *f = probe(member_fields);
	struct kv vals = {0};
	kv_set(&vals, "member", m);
	int errors = validate_record(f, &vals, cfg, &fixed_today, is);
	kv_free(&vals);
	return errors;
}

static void test_required_if_and_show_if_attributes(void **state)
{
	(void)state;
	struct issues is = {0};
	assert_int_equal(members("是", &is), 2);
	expect_issue(&is, "member_no", NULL, SEV_ERROR, "必填");
	expect_issue(&is, "card", NULL, SEV_ERROR, "必填");
	issues_free(&is);
	assert_int_equal(members("否", &is), 0);	/* neither asked for, the card hidden */
	expect_no_issues(&is);
	issues_free(&is);
}

/* ---- rules, each kind at both severities ------------------------------ */

static const char rule_fields[] =
	"[field.id_number]\nlabel = 身份证号\ntype = id_card\n"
	"[field.birth_date]\nlabel = 出生日期\ntype = date\n"
	"[field.gender]\nlabel = 性别\ntype = choice\noptions = 男|女\n"
	"[field.start]\nlabel = 开始日期\ntype = date\n"
	"[field.end]\nlabel = 结束日期\ntype = date\n"
	"[field.years]\nlabel = 工龄\ntype = int\n"
	"[field.member]\nlabel = 是否会员\ntype = yesno\n"
	"[field.member_no]\nlabel = 会员号\ntype = text\n";

/* Validates pairs ("key=value", NULL-terminated) against a form of
 * rule_fields and the rule [rule.r] of the given body, once at each
 * severity, and asserts that the rule fires, or not, and nothing else. */
static void rule_fires(const char *body, const char *const *pairs, bool fires)
{
	static const char *const sevs[] = {"error", "warn"};
	for (int s = 0; s < 2; s++) {
		char *text = xasprintf("%s[rule.r]\n%sseverity = %s\nmessage = 规则不符\n",
				       rule_fields, body, sevs[s]);
		const struct form *f = probe(text);
		free(text);
		struct kv vals = {0};
		struct issues is = {0};
		set_all(&vals, pairs);
		int errors = validate_record(f, &vals, cfg, &fixed_today, &is);
		if (is.n != (fires ? 1u : 0u)) {
			show(&is);
			fail_msg("rule (%s): %zu issues, want %d", sevs[s], is.n, fires);
		}
		if (fires) {
			assert_string_equal(is.v[0].rule, "r");
			assert_string_equal(is.v[0].message, "规则不符");
			assert_int_equal(is.v[0].severity, s == 0 ? SEV_ERROR : SEV_WARN);
		}
		/* an error blocks; a warning only counts */
		assert_int_equal(errors, fires && s == 0);
		assert_int_equal(is.errors, fires && s == 0);
		assert_int_equal(is.warnings, fires && s == 1);
		issues_free(&is);
		kv_free(&vals);
	}
}

/* Like rule_fires, with the ID of someone born on ymd and one more pair. */
static void rule_fires_id(const char *body, const char *ymd, const char *pair, bool fires)
{
	char id[19];
	id_born(id, ymd, false);
	char *idp = xasprintf("id_number=%s", id);
	rule_fires(body, (const char *const[]){idp, pair ? pair : "years=", NULL}, fires);
	free(idp);
}

static const char age_rule[] =
	"kind = age_range\nfield = id_number\nage_from = id_number\nmin = 18\nmax = 60\n";

static void test_rule_age_range(void **state)
{
	(void)state;
	rule_fires_id(age_rule, "19850612", NULL, false);	/* 41 */
	rule_fires_id(age_rule, "20081129", NULL, false);	/* 18 today */
	rule_fires_id(age_rule, "20081130", NULL, true);	/* 18 tomorrow */
	rule_fires_id(age_rule, "19651130", NULL, false);	/* 60 */
	rule_fires_id(age_rule, "19651129", NULL, true);	/* 61 today */
}

static const char birth_rule[] =
	"kind = id_matches_birth_date\nfield = birth_date\nid_field = id_number\n";

static void test_rule_id_matches_birth_date(void **state)
{
	(void)state;
	rule_fires_id(birth_rule, "19850612", "birth_date=1985-06-12", false);
	rule_fires_id(birth_rule, "19850612", "birth_date=1985年6月12日", false);
	rule_fires_id(birth_rule, "19850612", "birth_date=1985-06-13", true);
	rule_fires_id(birth_rule, "19850612", "birth_date=1986-06-12", true);
	rule_fires_id(birth_rule, "19850612", "birth_date=1985-06-11", true);
}

static const char gender_rule[] =
	"kind = id_matches_gender\nfield = gender\nid_field = id_number\n";

static void test_rule_id_matches_gender(void **state)
{
	(void)state;
	rule_fires_id(gender_rule, "19850612", "gender=女", false);	/* a woman's ID */
	rule_fires_id(gender_rule, "19850612", "gender=男", true);
}

static const char required_rule[] =
	"kind = required_if\nfield = member_no\nwhen = member=是\n";

static void test_rule_required_if(void **state)
{
	(void)state;
	rule_fires(required_rule, (const char *const[]){"member=是", NULL}, true);
	rule_fires(required_rule, (const char *const[]){"member=y", "member_no=M1", NULL}, false);
	rule_fires(required_rule, (const char *const[]){"member=否", NULL}, false);
	rule_fires(required_rule, (const char *const[]){NULL}, false);
}

static const char order_rule[] = "kind = date_order\nfield = end\nafter = start\n";

static void test_rule_date_order(void **state)
{
	(void)state;
	rule_fires(order_rule, (const char *const[]){"start=2024-03-05", "end=2024-03-04", NULL}, true);
	rule_fires(order_rule, (const char *const[]){"start=2024-03-05", "end=2024/3/5", NULL}, false);
	rule_fires(order_rule, (const char *const[]){"start=2024-03-05", "end=2025-01-01", NULL}, false);
	rule_fires(order_rule, (const char *const[]){"end=2024-03-04", NULL}, false);
}

static const char years_rule[] =
	"kind = max_years_since_age\nfield = years\nage_from = id_number\noffset = 16\n";

static void test_rule_max_years_since_age(void **state)
{
	(void)state;
	rule_fires_id(years_rule, "19850612", "years=25", false);	/* 41 - 16 */
	rule_fires_id(years_rule, "19850612", "years=26", true);
	rule_fires_id(years_rule, "19850612", "years=0", false);
}

static void test_shipped_rules_error_and_warn(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "26");	/* 41 years old: at most 25 years of teaching */
	assert_int_equal(check("rural_teacher", &vals, &is), 1);
	expect_issue(&is, "years_teaching", "teaching_years_vs_age", SEV_ERROR, "教龄不能超过年龄减16");
	issues_free(&is);
	kv_free(&vals);
	/* person.ini's age check only warns */
	char id[19];
	id_born(id, "19300101", true);
	teacher(&vals, "12");
	kv_set(&vals, "id_number", id);
	check("rural_teacher", &vals, &is);
	expect_issue(&is, "id_number", "adult", SEV_WARN, "年龄不在16至90岁之间，请核对");
	expect_issue(&is, "id_number", "teacher_age", SEV_ERROR, "乡村教师年龄应在18至65岁之间");
	assert_int_equal(is.warnings, 1);
	issues_free(&is);
	kv_free(&vals);
}

/* ---- how issues are printed and confirmed ----------------------------- */

static void test_issue_format(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "12");
	kv_del(&vals, "school");
	check("rural_teacher", &vals, &is);
	assert_int_equal(is.n, 1);
	char *line = issue_format(&is.v[0]);
	assert_string_equal(line, "school: 任教学校：必填");
	free(line);
	issues_free(&is);
	kv_free(&vals);
}

/* Validates a cooperative leader born on ymd; returns the note of
 * confirmed warnings (new, or NULL). */
static char *leader_note(const char *ymd, struct issues *is)
{
	char id[19], code[19];
	id_born(id, ymd, true);
	uscc_of(code, "93620302MA7HDU4L0");
	struct kv vals = {0};
	person(&vals, id);
	set_all(&vals, (const char *const[]){"coop_name=东湾村蔬菜合作社", "member_count=12",
					   "position=理事长", "founded_on=2018-04-01", NULL});
	kv_set(&vals, "coop_uscc", code);
	check("coop_leader", &vals, is);
	kv_free(&vals);
	return issues_override_note(is);
}

static void test_override_note_names_warnings(void **state)
{
	(void)state;
	struct issues is = {0};
	char *note = leader_note("19850612", &is);	/* 41: nothing to confirm */
	expect_no_issues(&is);
	assert_null(note);
	issues_free(&is);
	note = leader_note("19460101", &is);	/* 80 */
	assert_int_equal(is.errors, 0);
	assert_string_equal(note, "确认警告: leader_age(合作社带头人年龄不在18至75岁之间，请核对)");
	free(note);
	issues_free(&is);
	note = leader_note("19300101", &is);	/* 96: both warnings */
	assert_string_equal(note, "确认警告: adult(年龄不在16至90岁之间，请核对) "
				  "leader_age(合作社带头人年龄不在18至75岁之间，请核对)");
	free(note);
	issues_free(&is);
}

static void test_override_note_ignores_errors(void **state)
{
	(void)state;
	struct kv vals = {0};
	struct issues is = {0};
	teacher(&vals, "26");
	check("rural_teacher", &vals, &is);
	assert_int_equal(is.errors, 1);
	assert_null(issues_override_note(&is));
	issues_free(&is);
	kv_free(&vals);
}

static void test_cond_matches_single_and_multi(void **state)
{
	(void)state;
	struct cond none = {NULL, NULL};
	struct cond red = {"colour", "红"};
	assert_true(cond_matches(&none, NULL));
	assert_true(cond_matches(&none, "anything"));
	assert_false(cond_matches(&red, NULL));
	assert_true(cond_matches(&red, "红"));
	assert_false(cond_matches(&red, "绿"));
	assert_false(cond_matches(&red, "红色"));
	assert_false(cond_matches(&red, ""));
	assert_true(cond_matches(&red, "绿|红|蓝"));
	assert_true(cond_matches(&red, "红|蓝"));
	assert_false(cond_matches(&red, "绿|蓝"));
	assert_false(cond_matches(&red, "绿|红色"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_length_counts_characters),
		cmocka_unit_test(test_text_refuses_control_and_format_characters),
		cmocka_unit_test(test_memo_allows_newlines_and_limits_length),
		cmocka_unit_test(test_every_value_has_a_limit),
		cmocka_unit_test(test_int_bounds_and_full_width_digits),
		cmocka_unit_test(test_decimal_bounds),
		cmocka_unit_test(test_date_forms_and_max_today),
		cmocka_unit_test(test_date_min_and_max_dates),
		cmocka_unit_test(test_choice_takes_only_its_options),
		cmocka_unit_test(test_multi_normalised_to_option_order),
		cmocka_unit_test(test_yesno_words),
		cmocka_unit_test(test_phone_normalised),
		cmocka_unit_test(test_id_card_normalised_and_checked),
		cmocka_unit_test(test_uscc_with_pattern_message),
		cmocka_unit_test(test_pattern_without_message),
		cmocka_unit_test(test_area_township_then_village),
		cmocka_unit_test(test_empty_value_is_empty),
		cmocka_unit_test(test_valid_teacher_has_no_issues),
		cmocka_unit_test(test_required_fields_reported),
		cmocka_unit_test(test_field_check_becomes_an_error),
		cmocka_unit_test(test_values_normalised_in_place),
		cmocka_unit_test(test_defaults_filled_and_form_order_kept),
		cmocka_unit_test(test_valid_id_fills_birth_date_and_gender),
		cmocka_unit_test(test_given_birth_date_and_gender_kept_and_checked),
		cmocka_unit_test(test_wrong_id_asks_only_for_the_id),
		cmocka_unit_test(test_missing_id_asks_only_for_the_id),
		cmocka_unit_test(test_show_if_hides_and_rule_requires),
		cmocka_unit_test(test_required_if_and_show_if_attributes),
		cmocka_unit_test(test_rule_age_range),
		cmocka_unit_test(test_rule_id_matches_birth_date),
		cmocka_unit_test(test_rule_id_matches_gender),
		cmocka_unit_test(test_rule_required_if),
		cmocka_unit_test(test_rule_date_order),
		cmocka_unit_test(test_rule_max_years_since_age),
		cmocka_unit_test(test_shipped_rules_error_and_warn),
		cmocka_unit_test(test_issue_format),
		cmocka_unit_test(test_override_note_names_warnings),
		cmocka_unit_test(test_override_note_ignores_errors),
		cmocka_unit_test(test_cond_matches_single_and_multi),
	};
	return cmocka_run_group_tests(tests, load_config, free_config);
}
