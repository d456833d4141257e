/*
 * test_check.c - unit tests of check.c: every vector of the file
 * tests/data/validators.tsv, then focused cases for each validator, the
 * reasons they give, and the date arithmetic behind ages.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "util.h"

#define MIN_VECTORS 30

/* The fixed "today" of every test, so that ages and future dates are stable. */
static const struct date fixed_today = { 2026, 11, 29 };

/* Runs the validator named type; returns its result, or -2 for an unknown type. */
static int run_check(const char *type, const char *in, char **out, enum msg_id *why)
{
	if (strcmp(type, "id_card") == 0)
		return check_id_card(in, &fixed_today, out, why);
	if (strcmp(type, "uscc") == 0)
		return check_uscc(in, out, why);
	if (strcmp(type, "phone") == 0)
		return check_phone(in, out, why);
	if (strcmp(type, "date") == 0)
		return check_date(in, out, why);
	return -2;
}

/* Splits line at tabs into at most max fields, keeping empty ones; returns
 * how many there are. The line is modified in place. */
static size_t split_tabs(char *line, char **field, size_t max)
{
	size_t n = 0;
	for (char *p = line; n < max; ) {
		field[n++] = p;
		p = strchr(p, '\t');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

/* Asserts one vector; lineno is for the message. */
static void check_vector(int lineno, char **f, size_t nf)
{
	char *out = NULL;
	enum msg_id why = MSG__COUNT;

	if (nf < 4 || (strcmp(f[2], "valid") != 0 && strcmp(f[2], "invalid") != 0))
		fail_msg("validators.tsv:%d: malformed line", lineno);
	bool valid = strcmp(f[2], "valid") == 0;
	int rc = run_check(f[0], f[1], &out, &why);
	if (rc == -2)
		fail_msg("validators.tsv:%d: unknown type \"%s\"", lineno, f[0]);
	if (valid && (rc != 0 || out == NULL || strcmp(out, f[3]) != 0))
		fail_msg("validators.tsv:%d: %s \"%s\": got %d \"%s\" (%s), want \"%s\"",
			 lineno, f[0], f[1], rc, out ? out : "(null)",
			 rc ? msg(why) : "-", f[3]);
	if (!valid && (rc != -1 || out != NULL || why >= MSG__COUNT))
		fail_msg("validators.tsv:%d: %s \"%s\" accepted as \"%s\"",
			 lineno, f[0], f[1], out ? out : "(null)");
	free(out);
}

static void test_vectors_file(void **state)
{
	char *path = xasprintf("%s/validators.tsv", testdata_dir());
	char *text = file_read(path, NULL);
	int lineno = 0, vectors = 0;
	(void)state;

	if (text == NULL)
		fail_msg("cannot read %s", path);
	msg_set_lang(LANG_EN);
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		size_t len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (*line == '\0' || *line == '#')
			continue;
		char *f[5];
		check_vector(lineno, f, split_tabs(line, f, 5));
		vectors++;
	}
	if (vectors < MIN_VECTORS)
		fail_msg("%s holds %d vectors, fewer than %d", path, vectors, MIN_VECTORS);
	free(text);
	free(path);
}

/* Asserts that validator type accepts in as want. */
static void expect_ok(const char *type, const char *in, const char *want)
{
	char *out = NULL;
	enum msg_id why = MSG__COUNT;
	int rc = run_check(type, in, &out, &why);
	if (rc != 0 || out == NULL || strcmp(out, want) != 0)
		fail_msg("%s \"%s\": got %d \"%s\", want \"%s\"", type,
			 in ? in : "(null)", rc, out ? out : "(null)", want);
	free(out);
}

/* Asserts that validator type rejects in with reason want. */
static void expect_bad(const char *type, const char *in, enum msg_id want)
{
	char *out = NULL;
	enum msg_id why = MSG__COUNT;
	int rc = run_check(type, in, &out, &why);
	if (rc != -1 || out != NULL || why != want)
		fail_msg("%s \"%s\": got %d \"%s\" why %d, want -1 why %d", type,
			 in ? in : "(null)", rc, out ? out : "(null)", (int)why, (int)want);
}

static void test_id_info(void **state)
{
	struct id_info info;
	(void)state;

	assert_int_equal(id_card_info("11010519491231002X", &info), 0);
	assert_int_equal(info.birth.y, 1949);
	assert_int_equal(info.birth.m, 12);
	assert_int_equal(info.birth.d, 31);
	assert_false(info.male);
	assert_int_equal(id_card_info("110105199003071239", &info), 0);
	assert_int_equal(info.birth.y, 1990);
	assert_int_equal(info.birth.m, 3);
	assert_int_equal(info.birth.d, 7);
	assert_true(info.male);
	assert_int_equal(id_card_info("510104198002290011", &info), 0);
	assert_int_equal(info.birth.m, 2);
	assert_int_equal(info.birth.d, 29);
	assert_true(info.male);
	assert_int_equal(id_card_info("110105200002290021", &info), 0);
	assert_false(info.male);
}

static void test_id_info_rejects(void **state)
{
	struct id_info info;
	(void)state;
	assert_int_equal(id_card_info(NULL, &info), -1);
	assert_int_equal(id_card_info("", &info), -1);
	assert_int_equal(id_card_info("11010519491231002x", &info), -1);	/* not normalised */
	assert_int_equal(id_card_info("110105491231002", &info), -1);	/* not upgraded */
	assert_int_equal(id_card_info("110105194912310021", &info), -1);	/* check */
	assert_int_equal(id_card_info("110105194902300026", &info), -1);	/* 30 Feb */
	assert_int_equal(id_card_info(" 11010519491231002X", &info), -1);
}

/* Asserts the age on y-m-d of someone born on birth. */
static void expect_age(const struct date *birth, int y, int m, int d, int want)
{
	struct date on = { y, m, d };
	int got = age_on(birth, &on);
	if (got != want)
		fail_msg("born %d-%d-%d, on %d-%d-%d: age %d, want %d", birth->y,
			 birth->m, birth->d, y, m, d, got, want);
}

static void test_age_on(void **state)
{
	const struct date b = { 1990, 3, 7 }, dec31 = { 2000, 12, 31 };
	(void)state;
	expect_age(&b, 1990, 3, 7, 0);
	expect_age(&b, 2026, 3, 6, 35);
	expect_age(&b, 2026, 3, 7, 36);
	expect_age(&b, 2026, 3, 8, 36);
	expect_age(&b, 2026, 2, 28, 35);
	expect_age(&b, 2026, 11, 29, 36);
	expect_age(&dec31, 2001, 1, 1, 0);
	expect_age(&dec31, 2001, 12, 30, 0);
	expect_age(&dec31, 2001, 12, 31, 1);
}

/* Born on 29 February: in a common year the birthday is 28 February. */
static void test_age_on_leap_day(void **state)
{
	const struct date b = { 1980, 2, 29 };
	(void)state;
	expect_age(&b, 2025, 2, 27, 44);
	expect_age(&b, 2025, 2, 28, 45);
	expect_age(&b, 2025, 3, 1, 45);
	expect_age(&b, 2024, 2, 28, 43);
	expect_age(&b, 2024, 2, 29, 44);
	expect_age(&b, 2024, 3, 1, 44);
	expect_age(&b, 1981, 2, 28, 1);
	expect_age(&b, 2100, 2, 28, 120);	/* 2100 is a common year */
}

static void test_id_future(void **state)
{
	(void)state;
	expect_bad("id_card", "11010520261130001X", MSG_V_ID_FUTURE);	/* tomorrow */
	expect_ok("id_card", "110105202611290018", "110105202611290018");	/* today */
}

static void test_id_legacy(void **state)
{
	struct id_info info;
	(void)state;
	expect_ok("id_card", "110105491231002", "11010519491231002X");
	expect_ok("id_card", " 110105491231002　", "11010519491231002X");
	expect_ok("id_card", "１１０１０５４９１２３１００２", "11010519491231002X");
	expect_ok("id_card", "320583990101123", "320583199901011238");
	assert_int_equal(id_card_info("320583199901011238", &info), 0);
	assert_int_equal(info.birth.y, 1999);
	assert_true(info.male);	/* the 17th digit, 3, is odd */
	expect_bad("id_card", "11010549123100X", MSG_V_ID_CHARS);	/* no X in 15 */
	expect_bad("id_card", "110105490230002", MSG_V_ID_DATE);
}

static void test_id_reasons(void **state)
{
	(void)state;
	expect_ok("id_card", "　11010519491231002x ", "11010519491231002X");
	expect_ok("id_card", "11010519491231002ｘ", "11010519491231002X");
	expect_bad("id_card", NULL, MSG_V_ID_LENGTH);
	expect_bad("id_card", "", MSG_V_ID_LENGTH);
	expect_bad("id_card", "   ", MSG_V_ID_LENGTH);
	expect_bad("id_card", "11010519491231002", MSG_V_ID_LENGTH);
	expect_bad("id_card", "11010519491231002X1", MSG_V_ID_LENGTH);
	expect_bad("id_card", "110105 19491231002X", MSG_V_ID_LENGTH);
	expect_bad("id_card", "11010519491231002Y", MSG_V_ID_CHARS);
	expect_bad("id_card", "1101051949123100X2", MSG_V_ID_CHARS);
	expect_bad("id_card", "1101051949123100二X", MSG_V_ID_CHARS);
	expect_bad("id_card", "110105194902300026", MSG_V_ID_DATE);
	expect_bad("id_card", "110105194913010020", MSG_V_ID_DATE);
	expect_bad("id_card", "110105194912000020", MSG_V_ID_DATE);
	expect_bad("id_card", "110105194912310021", MSG_V_ID_CHECK);
	expect_bad("id_card", "11010519491231020X", MSG_V_ID_CHECK);
}

/* Writes the 18-character ID of the 17 digits first17 with its GB 11643
 * check character (weights 2^(17-i) mod 11) into out. */
static void id_with_check(const char *first17, char out[19])
{
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		int w = 1;
		for (int k = 0; k < 17 - i; k++)
			w = w * 2 % 11;
		sum += (first17[i] - '0') * w;
	}
	memcpy(out, first17, 17);
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* Every two-digit start: exactly the province-level codes of DESIGN.md are
 * accepted, each other start is refused for its province, even with a
 * right check character. */
static void test_id_province(void **state)
{
	static const char provinces[] =
		" 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46"
		" 50 51 52 53 54 61 62 63 64 65 71 81 82 83 ";
	(void)state;
	for (int p = 0; p < 100; p++) {
		char first17[18], id[19], code[5];
		snprintf(first17, sizeof first17, "%02d030219900101123", p);
		snprintf(code, sizeof code, " %02d ", p);
		id_with_check(first17, id);
		if (strstr(provinces, code))
			expect_ok("id_card", id, id);
		else
			expect_bad("id_card", id, MSG_V_ID_PROVINCE);
	}
	expect_bad("id_card", "990302199001011238", MSG_V_ID_PROVINCE);
	expect_bad("id_card", "000302199001011239", MSG_V_ID_PROVINCE);
	expect_bad("id_card", "990302900101123", MSG_V_ID_PROVINCE);	/* legacy */
	expect_bad("id_card", "９９０３０２１９９００１０１１２３８", MSG_V_ID_PROVINCE);
	/* the region is the first thing read: it is named before a bad date
	 * or check character */
	expect_bad("id_card", "990302199002301234", MSG_V_ID_PROVINCE);
	expect_bad("id_card", "990302199001011230", MSG_V_ID_PROVINCE);
}

/* What Excel makes of an ID in a column without the text format: a number
 * in scientific notation, or rounded to 15 significant digits; and the
 * apostrophe that keeps a cell as text. */
static void test_id_excel(void **state)
{
	(void)state;
	expect_bad("id_card", "6.20302E+17", MSG_V_ID_EXCEL_SCIENTIFIC);
	expect_bad("id_card", "6.20302199001011E+17", MSG_V_ID_EXCEL_SCIENTIFIC);
	expect_bad("id_card", "6.20302e+17", MSG_V_ID_EXCEL_SCIENTIFIC);
	expect_bad("id_card", "6.20302E17", MSG_V_ID_EXCEL_SCIENTIFIC);
	expect_bad("id_card", "6E+17", MSG_V_ID_EXCEL_SCIENTIFIC);
	expect_bad("id_card", "6.20302E+14", MSG_V_ID_EXCEL_SCIENTIFIC);	/* a 15-digit one */
	expect_bad("id_card", " 6.20302E+17　", MSG_V_ID_EXCEL_SCIENTIFIC);
	expect_bad("id_card", "６．２０３０２Ｅ＋１７", MSG_V_ID_EXCEL_SCIENTIFIC);
	expect_bad("id_card", "'6.20302E+17", MSG_V_ID_EXCEL_SCIENTIFIC);
	/* not Excel's shape: the usual reasons */
	expect_bad("id_card", "6.E+17", MSG_V_ID_LENGTH);
	expect_bad("id_card", "6.20302E-17", MSG_V_ID_LENGTH);
	expect_bad("id_card", "6.20302E+", MSG_V_ID_LENGTH);
	expect_bad("id_card", "62.0302E+16", MSG_V_ID_LENGTH);

	/* rounded: the last three digits 000 and the check character wrong */
	expect_bad("id_card", "620302199001011000", MSG_V_ID_EXCEL_ROUNDED);
	expect_bad("id_card", "620302198506120000", MSG_V_ID_EXCEL_ROUNDED);
	/* a real ID may end in 000: its check character is right */
	expect_ok("id_card", "620302198801011000", "620302198801011000");
	/* 001 is not Excel's rounding, only a wrong check character */
	expect_bad("id_card", "620302199001011001", MSG_V_ID_CHECK);

	/* one leading apostrophe is Excel's text mark and is dropped */
	expect_ok("id_card", "'620302198506120028", "620302198506120028");
	expect_ok("id_card", "'11010519491231002x", "11010519491231002X");
	expect_ok("id_card", " '620302198506120028 ", "620302198506120028");
	expect_ok("id_card", "＇６２０３０２１９８５０６１２００２８", "620302198506120028");
	expect_ok("id_card", "'110105491231002", "11010519491231002X");
	expect_bad("id_card", "''620302198506120028", MSG_V_ID_LENGTH);	/* only one */
	expect_bad("id_card", "''62030219850612002", MSG_V_ID_CHARS);
	expect_bad("id_card", "62030219850612002'", MSG_V_ID_CHARS);	/* only leading */
	expect_bad("id_card", "'", MSG_V_ID_LENGTH);
}

static void test_uscc(void **state)
{
	(void)state;
	expect_ok("uscc", "93440106ma5cx7k2xg", "93440106MA5CX7K2XG");
	expect_ok("uscc", "91350100m000100y43", "91350100M000100Y43");
	expect_ok("uscc", " ９１３５０１００Ｍ０００１００Ｙ４３　", "91350100M000100Y43");
	expect_bad("uscc", NULL, MSG_V_USCC_LENGTH);
	expect_bad("uscc", "", MSG_V_USCC_LENGTH);
	expect_bad("uscc", "91350100M000100Y4", MSG_V_USCC_LENGTH);
	expect_bad("uscc", "91350100M000100Y431", MSG_V_USCC_LENGTH);
	expect_bad("uscc", "91350100M000100O43", MSG_V_USCC_CHARS);
	expect_bad("uscc", "91350100M000100s43", MSG_V_USCC_CHARS);
	expect_bad("uscc", "91350100M000100-43", MSG_V_USCC_CHARS);
	expect_bad("uscc", "91350100M000100Y张3", MSG_V_USCC_CHARS);
	expect_bad("uscc", "91350100M000100Y44", MSG_V_USCC_CHECK);
}

static void test_phone(void **state)
{
	(void)state;
	expect_ok("phone", "+8613800138000", "13800138000");
	expect_ok("phone", "+86 138 0013 8000", "13800138000");
	expect_ok("phone", "0086-138-0013-8000", "13800138000");
	expect_ok("phone", "008619912345678", "19912345678");
	expect_ok("phone", "＋８６　１３８－００１３－８０００", "13800138000");
	expect_ok("phone", "１３８００１３８０００", "13800138000");
	expect_ok("phone", " 138 0013 8000 ", "13800138000");
	expect_ok("phone", "13300000000", "13300000000");
	expect_ok("phone", "19999999999", "19999999999");
	expect_bad("phone", NULL, MSG_V_PHONE);
	expect_bad("phone", "", MSG_V_PHONE);
	expect_bad("phone", "8613800138000", MSG_V_PHONE);	/* bare 86 is not stripped */
	expect_bad("phone", "+85213800138000", MSG_V_PHONE);
	expect_bad("phone", "+86", MSG_V_PHONE);
	expect_bad("phone", "10800138000", MSG_V_PHONE);
	expect_bad("phone", "12800138000", MSG_V_PHONE);
	expect_bad("phone", "23800138000", MSG_V_PHONE);
	expect_bad("phone", "1380013800a", MSG_V_PHONE);
	expect_bad("phone", "(138)00138000", MSG_V_PHONE);
	expect_bad("phone", "138.0013.8000", MSG_V_PHONE);
}

static void test_date_forms(void **state)
{
	(void)state;
	expect_ok("date", "2024-03-05", "2024-03-05");
	expect_ok("date", "20240305", "2024-03-05");
	expect_ok("date", "2024/3/5", "2024-03-05");
	expect_ok("date", "2024-3-5", "2024-03-05");
	expect_ok("date", "2024.3.5", "2024-03-05");
	expect_ok("date", "2024/03/05", "2024-03-05");
	expect_ok("date", "2024-3-05", "2024-03-05");
	expect_ok("date", " 2024-03-05　", "2024-03-05");
	expect_ok("date", "２０２４－０３－０５", "2024-03-05");
	expect_ok("date", "2024-02-29", "2024-02-29");
	expect_ok("date", "2000-02-29", "2000-02-29");
	expect_ok("date", "1900-01-01", "1900-01-01");
	expect_ok("date", "2999-12-31", "2999-12-31");
	expect_ok("date", "2024-12-31", "2024-12-31");
}

/* Dates as Chinese offices write them: 年月日 and dots, with or without
 * leading zeros, and typed with full-width digits. */
static void test_date_chinese_forms(void **state)
{
	(void)state;
	expect_ok("date", "2022年3月9日", "2022-03-09");
	expect_ok("date", "2022年03月09日", "2022-03-09");
	expect_ok("date", "2022年3月09日", "2022-03-09");
	expect_ok("date", "2022年12月31日", "2022-12-31");
	expect_ok("date", "２０２２年３月９日", "2022-03-09");
	expect_ok("date", "　2022年3月9日 ", "2022-03-09");
	expect_ok("date", "2024年2月29日", "2024-02-29");
	expect_ok("date", "2022.3.9", "2022-03-09");
	expect_ok("date", "2022.03.09", "2022-03-09");
	expect_ok("date", "２０２２．３．９", "2022-03-09");
	expect_bad("date", "2023年2月29日", MSG_V_DATE_INVALID);
	expect_bad("date", "2022年13月1日", MSG_V_DATE_INVALID);
	expect_bad("date", "2022年4月31日", MSG_V_DATE_INVALID);
	expect_bad("date", "1899年12月31日", MSG_V_DATE_INVALID);
	expect_bad("date", "2022.02.30", MSG_V_DATE_INVALID);
	expect_bad("date", "2022年3月9", MSG_V_DATE_FORMAT);	/* no 日 */
	expect_bad("date", "2022年3月", MSG_V_DATE_FORMAT);
	expect_bad("date", "2022年3-9日", MSG_V_DATE_FORMAT);
	expect_bad("date", "2022年003月9日", MSG_V_DATE_FORMAT);
	expect_bad("date", "22年3月9日", MSG_V_DATE_FORMAT);
	expect_bad("date", "2022 年 3 月 9 日", MSG_V_DATE_FORMAT);
	expect_bad("date", "2022年3月9日0时", MSG_V_DATE_FORMAT);
	expect_bad("date", "2022.3-9", MSG_V_DATE_FORMAT);
	expect_bad("date", "2022.3.9.", MSG_V_DATE_FORMAT);
	expect_bad("date", "二〇二二年三月九日", MSG_V_DATE_FORMAT);
}

static void test_date_invalid(void **state)
{
	(void)state;
	expect_bad("date", "2023-02-29", MSG_V_DATE_INVALID);
	expect_bad("date", "2024-13-01", MSG_V_DATE_INVALID);
	expect_bad("date", "2024-00-10", MSG_V_DATE_INVALID);
	expect_bad("date", "2024-01-00", MSG_V_DATE_INVALID);
	expect_bad("date", "2024-04-31", MSG_V_DATE_INVALID);
	expect_bad("date", "1900-02-29", MSG_V_DATE_INVALID);
	expect_bad("date", "20230229", MSG_V_DATE_INVALID);
	expect_bad("date", "1899-12-31", MSG_V_DATE_INVALID);
	expect_bad("date", "3000-01-01", MSG_V_DATE_INVALID);
	expect_bad("date", "", MSG_V_DATE_FORMAT);
	expect_bad("date", NULL, MSG_V_DATE_FORMAT);
	expect_bad("date", "abc", MSG_V_DATE_FORMAT);
	expect_bad("date", "2024-3/5", MSG_V_DATE_FORMAT);
	expect_bad("date", "2024-003-05", MSG_V_DATE_FORMAT);
	expect_bad("date", "2024-03-", MSG_V_DATE_FORMAT);
	expect_bad("date", "24-3-5", MSG_V_DATE_FORMAT);
	expect_bad("date", "2024035", MSG_V_DATE_FORMAT);
	expect_bad("date", "202403051", MSG_V_DATE_FORMAT);
	expect_bad("date", "2024-03-05T00:00", MSG_V_DATE_FORMAT);
	expect_bad("date", "2024 03 05", MSG_V_DATE_FORMAT);
}

static void test_date_helpers(void **state)
{
	struct date d = { 0, 0, 0 }, a = { 2024, 3, 5 }, b = { 2024, 3, 6 }, c = { 2023, 12, 31 };
	(void)state;
	assert_int_equal(date_parse_iso("2024-03-05", &d), 0);
	assert_int_equal(date_cmp(&d, &a), 0);
	assert_int_equal(date_parse_iso("2024-02-29", &d), 0);
	assert_int_equal(date_parse_iso("2023-02-29", &d), -1);
	assert_int_equal(date_parse_iso("2024-3-5", &d), -1);
	assert_int_equal(date_parse_iso("20240305", &d), -1);
	assert_int_equal(date_parse_iso("2024-03-05 ", &d), -1);
	assert_int_equal(date_parse_iso("", &d), -1);
	assert_true(date_cmp(&a, &b) < 0);
	assert_true(date_cmp(&b, &a) > 0);
	assert_true(date_cmp(&c, &a) < 0);
	assert_true(date_valid(2024, 2, 29));
	assert_true(date_valid(2000, 2, 29));
	assert_false(date_valid(1900, 2, 29));
	assert_false(date_valid(2023, 2, 29));
	assert_false(date_valid(2024, 4, 31));
	assert_false(date_valid(2024, 0, 1));
	assert_false(date_valid(2024, 13, 1));
	assert_false(date_valid(2024, 1, 0));
	assert_true(date_valid(2024, 12, 31));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_file),
		cmocka_unit_test(test_id_info),
		cmocka_unit_test(test_id_info_rejects),
		cmocka_unit_test(test_age_on),
		cmocka_unit_test(test_age_on_leap_day),
		cmocka_unit_test(test_id_future),
		cmocka_unit_test(test_id_legacy),
		cmocka_unit_test(test_id_reasons),
		cmocka_unit_test(test_id_province),
		cmocka_unit_test(test_id_excel),
		cmocka_unit_test(test_uscc),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_date_forms),
		cmocka_unit_test(test_date_chinese_forms),
		cmocka_unit_test(test_date_invalid),
		cmocka_unit_test(test_date_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
