/*
 * test_record.c - unit tests of record.c: field values in order (kv_get,
 * kv_set, kv_del), their JSON form both ways and what it refuses, the
 * JSON string writer that every output goes through (each invisible or
 * control character escaped, invalid UTF-8 replaced, Chinese as is),
 * statuses, a record's searchable copies and its JSON head.
 */
#include "testutil.h"

#include <string.h>

#include "msg.h"
#include "record.h"
#include "text.h"

/* ---- helpers ---------------------------------------------------------- */

/* Asserts that kv holds exactly the keys and values of pairs, in order:
 * {"k1", "v1", "k2", "v2", ..., NULL}. */
static void kv_is(const struct kv *kv, const char *const *pairs)
{
	size_t n = 0;
	for (; pairs[2 * n]; n++) {
		if (n >= kv->keys.n)
			fail_msg("pair %zu (%s) missing", n, pairs[2 * n]);
		assert_string_equal(kv->keys.v[n], pairs[2 * n]);
		assert_string_equal(kv->vals.v[n], pairs[2 * n + 1]);
	}
	assert_int_equal(kv->keys.n, n);
	assert_int_equal(kv->vals.n, n);
}

/* Returns a new string: kv as JSON. */
static char *kv_json(const struct kv *kv)
{
	struct buf b = {0};
	kv_to_json(kv, &b);
	return buf_take(&b);
}

/* Returns a new string: s as a JSON string literal. */
static char *json_of(const char *s)
{
	struct buf b = {0};
	json_str(&b, s);
	return buf_take(&b);
}

/* Asserts that json_str writes in as want (quotes included). */
static void json_is(const char *in, const char *want)
{
	char *got = json_of(in);
	assert_string_equal(got, want);
	free(got);
}

/* Asserts that the character cp, between "a" and "b", is written as the
 * escape want, and read back as itself. */
static void escaped_as(uint32_t cp, const char *want)
{
	char c[5] = {0};
	utf8_encode(cp, c);
	char *in = xasprintf("a%sb", c);
	char *expected = xasprintf("\"a%sb\"", want);
	char *got = json_of(in);
	if (strcmp(got, expected) != 0)
		fail_msg("U+%04X written as %s, want %s", (unsigned)cp, got, expected);
	char *obj = xasprintf("{\"k\":%s}", got);
	struct kv kv = {0};
	assert_int_equal(kv_from_json(obj, &kv), 0);
	assert_string_equal(kv_get(&kv, "k"), in);
	kv_free(&kv);
	free(obj);
	free(got);
	free(expected);
	free(in);
}

/* Asserts that kv_from_json refuses s. */
static void refused(const char *s)
{
	struct kv kv = {0};
	if (kv_from_json(s, &kv) != -1)
		fail_msg("accepted: %s", s);
	kv_free(&kv);
}

/* ---- key=value pairs -------------------------------------------------- */

static void test_kv_set_appends_and_replaces_in_place(void **state)
{
	(void)state;
	struct kv kv = {0};
	kv_set(&kv, "name", "王小梅");
	kv_set(&kv, "phone", "13800138000");
	kv_set(&kv, "school", "东湾村小学");
	kv_set(&kv, "phone", "13900139000");
	kv_is(&kv, (const char *const[]){"name", "王小梅", "phone", "13900139000",
					 "school", "东湾村小学", NULL});
	kv_set(&kv, "stage", "");
	kv_is(&kv, (const char *const[]){"name", "王小梅", "phone", "13900139000",
					 "school", "东湾村小学", "stage", "", NULL});
	kv_free(&kv);
}

static void test_kv_get(void **state)
{
	(void)state;
	struct kv kv = {0};
	assert_null(kv_get(&kv, "name"));
	kv_set(&kv, "name", "王小梅");
	kv_set(&kv, "name2", "李四");
	assert_string_equal(kv_get(&kv, "name"), "王小梅");
	assert_string_equal(kv_get(&kv, "name2"), "李四");
	assert_null(kv_get(&kv, "nam"));
	assert_null(kv_get(&kv, "NAME"));
	kv_free(&kv);
}

static void test_kv_del_keeps_the_order_of_the_rest(void **state)
{
	(void)state;
	struct kv kv = {0};
	const char *keys[] = {"a", "b", "c", "d"};
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		kv_set(&kv, keys[i], keys[i]);
	kv_del(&kv, "b");
	kv_is(&kv, (const char *const[]){"a", "a", "c", "c", "d", "d", NULL});
	kv_del(&kv, "nosuch");
	kv_del(&kv, "d");
	kv_del(&kv, "a");
	kv_is(&kv, (const char *const[]){"c", "c", NULL});
	kv_set(&kv, "b", "again");
	kv_is(&kv, (const char *const[]){"c", "c", "b", "again", NULL});
	kv_del(&kv, "c");
	kv_del(&kv, "b");
	kv_is(&kv, (const char *const[]){NULL});
	kv_free(&kv);
}

/* ---- JSON of the values ----------------------------------------------- */

static void test_kv_to_json_in_order(void **state)
{
	(void)state;
	struct kv kv = {0};
	char *s = kv_json(&kv);
	assert_string_equal(s, "{}");
	free(s);
	kv_set(&kv, "name", "王小梅");
	kv_set(&kv, "note", "说\"好\"\\再见\n");
	s = kv_json(&kv);
	assert_string_equal(s, "{\"name\":\"王小梅\",\"note\":\"说\\\"好\\\"\\\\再见\\n\"}");
	free(s);
	kv_free(&kv);
}

static void test_kv_json_round_trip(void **state)
{
	(void)state;
	const char *const pairs[] = {
		"name", "王小梅",
		"quote", "他说\"是\"",
		"backslash", "C:\\data\\",
		"lines", "第一行\r\n第二行\n\t缩进",
		"controls", "\x01\x1f\x7f\xc2\x80",
		"invisible", "a\xe2\x80\xae" "b\xe2\x80\x8b\xe2\x80\xa8\xf3\xa0\x80\x81",
		"emoji", "\xf0\x9f\x98\x80",
		"empty", "",
		"键", "值",
		NULL};
	struct kv kv = {0}, back = {0};
	for (size_t i = 0; pairs[i]; i += 2)
		kv_set(&kv, pairs[i], pairs[i + 1]);
	char *s = kv_json(&kv);
	assert_int_equal(kv_from_json(s, &back), 0);
	kv_is(&back, pairs);
	free(s);
	kv_free(&kv);
	kv_free(&back);
}

static void test_kv_from_json_reads_escapes_and_spaces(void **state)
{
	(void)state;
	struct kv kv = {0};
	assert_int_equal(kv_from_json(" {\n \"a\" : \"\\/\\b\\f\\u4e2d\\u00e9\" ,\t\"e\":\"\\ud83d\\ude00\" }\n",
				      &kv), 0);
	kv_is(&kv, (const char *const[]){"a", "/\b\f中é", "e", "\xf0\x9f\x98\x80", NULL});
	kv_free(&kv);
	assert_int_equal(kv_from_json(" { } ", &kv), 0);
	assert_int_equal(kv.keys.n, 0);
}

static void test_kv_from_json_refuses_what_is_not_flat(void **state)
{
	(void)state;
	refused("{\"a\":{\"b\":\"c\"}}");
	refused("{\"a\":[\"b\"]}");
	refused("{\"a\":1}");
	refused("{\"a\":true}");
	refused("{\"a\":null}");
	refused("[\"a\",\"b\"]");
	refused("\"a\"");
}

static void test_kv_from_json_refuses_malformed(void **state)
{
	(void)state;
	refused("");
	refused("{");
	refused("{\"a\"}");
	refused("{\"a\":\"b\"");
	refused("{\"a\":\"b\",}");
	refused("{\"a\":\"b\"}}");
	refused("{\"a\":\"b\"} x");
	refused("{\"a\" \"b\"}");
	refused("{a:\"b\"}");
	refused("{\"a\":\"b\" \"c\":\"d\"}");
	refused("{\"a\":\"\\x\"}");		/* unknown escape */
	refused("{\"a\":\"\\u12\"}");		/* short \u */
	refused("{\"a\":\"\\u12g4\"}");
	refused("{\"a\":\"x\\u0000y\"}");	/* NUL would cut the value */
	refused("{\"a\":\"\\ud800\"}");	/* lone surrogates */
	refused("{\"a\":\"\\udc00\"}");
	refused("{\"a\":\"\\ud800\\u0041\"}");
	refused("{\"a\":\"unterminated}");
}

static void test_kv_from_json_refuses_a_repeated_key(void **state)
{
	(void)state;
	/* two values for one key: one reader would see the first, another the
	 * last, and removing the key would uncover the hidden one */
	refused("{\"id_number\":\"620302198506120028\",\"id_number\":\"110101199001011237\"}");
	struct kv kv = {0};
	assert_int_equal(kv_from_json("{\"a\":\"1\",\"A\":\"2\"}", &kv), 0);	/* keys differ */
	kv_free(&kv);
}

/* ---- the JSON string writer ------------------------------------------- */

static void test_json_str_plain_and_chinese_as_is(void **state)
{
	(void)state;
	json_is("", "\"\"");
	json_is("abc 123", "\"abc 123\"");
	json_is("王小梅，宁远堡镇东湾村", "\"王小梅，宁远堡镇东湾村\"");
	json_is("a/b", "\"a/b\"");
	json_is("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");	/* an emoji is not invisible */
	json_is("\"\\", "\"\\\"\\\\\"");
}

static void test_json_str_escapes_c0_del_and_c1(void **state)
{
	(void)state;
	for (uint32_t c = 1; c < 0x20; c++) {
		char want[8];
		if (c == '\n' || c == '\r' || c == '\t')
			snprintf(want, sizeof want, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else
			snprintf(want, sizeof want, "\\u%04x", (unsigned)c);
		escaped_as(c, want);
	}
	escaped_as(0x7F, "\\u007f");
	for (uint32_t c = 0x80; c <= 0x9F; c++) {
		char want[8];
		snprintf(want, sizeof want, "\\u%04x", (unsigned)c);
		escaped_as(c, want);
	}
}

static void test_json_str_escapes_bidi_and_zero_width(void **state)
{
	(void)state;
	const uint32_t cps[] = {
		0x202A, 0x202B, 0x202C, 0x202D, 0x202E,		/* embeddings, overrides */
		0x2066, 0x2067, 0x2068, 0x2069,			/* isolates */
		0x200E, 0x200F, 0x061C,				/* marks */
		0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF,		/* zero-width */
		0x00AD, 0x2028, 0x2029,				/* soft hyphen, separators */
	};
	for (size_t i = 0; i < ARRAY_LEN(cps); i++) {
		char want[8];
		snprintf(want, sizeof want, "\\u%04x", (unsigned)cps[i]);
		escaped_as(cps[i], want);
	}
}

static void test_json_str_escapes_tags_as_surrogate_pairs(void **state)
{
	(void)state;
	escaped_as(0xE0001, "\\udb40\\udc01");	/* LANGUAGE TAG */
	escaped_as(0xE0041, "\\udb40\\udc41");	/* TAG LATIN CAPITAL A */
	escaped_as(0xE007F, "\\udb40\\udc7f");	/* CANCEL TAG */
}

static void test_json_str_replaces_invalid_utf8(void **state)
{
	(void)state;
	json_is("a\xff" "b", "\"a\\ufffdb\"");
	json_is("\xc0\xaf", "\"\\ufffd\\ufffd\"");		/* an overlong slash */
	json_is("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* a surrogate */
	json_is("a\xe4\xb8", "\"a\\ufffd\\ufffd\"");		/* cut short at the end */
	json_is("\xe4\xb8\xad\x80", "\"中\\ufffd\"");
}

/* ---- statuses --------------------------------------------------------- */

static void test_status_names_round_trip(void **state)
{
	(void)state;
	const char *names[ST__COUNT] = {"draft", "submitted", "approved", "returned", "withdrawn"};
	for (int i = 0; i < ST__COUNT; i++) {
		enum status s = ST__COUNT;
		assert_string_equal(status_name((enum status)i), names[i]);
		assert_int_equal(status_parse(names[i], &s), 0);
		assert_int_equal(s, i);
	}
	assert_string_equal(status_name((enum status)ST__COUNT), "?");
}

static void test_status_parse_refuses_unknown(void **state)
{
	(void)state;
	enum status s = ST_APPROVED;
	assert_int_equal(status_parse("deleted", &s), -1);
	assert_int_equal(status_parse("Draft", &s), -1);
	assert_int_equal(status_parse("", &s), -1);
	assert_int_equal(status_parse(NULL, &s), -1);
	assert_int_equal(s, ST_APPROVED);
}

static void test_status_labels_in_both_languages(void **state)
{
	(void)state;
	enum status s = ST__COUNT;
	msg_set_lang(LANG_ZH);
	assert_string_equal(status_label(ST_SUBMITTED), "待审核");
	assert_string_equal(status_label(ST_RETURNED), "已退回");
	assert_int_equal(status_parse("已通过", &s), 0);	/* a label is read too */
	assert_int_equal(s, ST_APPROVED);
	msg_set_lang(LANG_EN);
	assert_string_equal(status_label(ST_WITHDRAWN), "withdrawn");
	assert_string_equal(status_label((enum status)ST__COUNT), "?");
	msg_set_lang(LANG_ZH);
}

/* ---- records ---------------------------------------------------------- */

static void test_record_sync_copies_searchable_values(void **state)
{
	(void)state;
	struct record r = {0};
	kv_set(&r.vals, "name", "王小梅");
	kv_set(&r.vals, "id_number", "620302198506120028");
	kv_set(&r.vals, "township", "宁远堡镇");
	kv_set(&r.vals, "village", "东湾村");
	kv_set(&r.vals, "phone", "13800138000");
	record_sync(&r);
	assert_string_equal(r.person_key, "620302198506120028");
	assert_string_equal(r.name, "王小梅");
	assert_string_equal(r.township, "宁远堡镇");
	assert_string_equal(r.village, "东湾村");
	assert_string_equal(r.phone, "13800138000");
	/* a change followed by a sync replaces the copies */
	kv_set(&r.vals, "name", "王晓梅");
	kv_del(&r.vals, "village");
	kv_del(&r.vals, "phone");
	record_sync(&r);
	assert_string_equal(r.name, "王晓梅");
	assert_null(r.village);
	assert_null(r.phone);
	record_free(&r);
}

static void test_record_sync_without_values(void **state)
{
	(void)state;
	struct record r = {0};
	record_sync(&r);
	assert_string_equal(r.person_key, "");	/* never NULL: a column NOT NULL */
	assert_string_equal(r.name, "");
	assert_null(r.township);
	assert_null(r.village);
	assert_null(r.phone);
	record_free(&r);
}

static void test_record_json_head(void **state)
{
	(void)state;
	struct record r = {0};
	snprintf(r.uuid, sizeof r.uuid, "%s", "0b6e2a52-5f3c-4c1e-9a57-0d7d9a3e2b11");
	r.category = xstrdup("rural_teacher");
	r.status = ST_RETURNED;
	struct buf b = {0};
	record_json_head(&b, &r);
	assert_string_equal(b.s, "{\"uuid\":\"0b6e2a52-5f3c-4c1e-9a57-0d7d9a3e2b11\","
				 "\"category\":\"rural_teacher\",\"status\":\"returned\"");
	buf_free(&b);
	free(r.category);
	r.category = xstrdup("a\"b\n");
	record_json_head(&b, &r);
	assert_non_null(strstr(b.s, "\"category\":\"a\\\"b\\n\""));
	buf_free(&b);
	record_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kv_set_appends_and_replaces_in_place),
		cmocka_unit_test(test_kv_get),
		cmocka_unit_test(test_kv_del_keeps_the_order_of_the_rest),
		cmocka_unit_test(test_kv_to_json_in_order),
		cmocka_unit_test(test_kv_json_round_trip),
		cmocka_unit_test(test_kv_from_json_reads_escapes_and_spaces),
		cmocka_unit_test(test_kv_from_json_refuses_what_is_not_flat),
		cmocka_unit_test(test_kv_from_json_refuses_malformed),
		cmocka_unit_test(test_kv_from_json_refuses_a_repeated_key),
		cmocka_unit_test(test_json_str_plain_and_chinese_as_is),
		cmocka_unit_test(test_json_str_escapes_c0_del_and_c1),
		cmocka_unit_test(test_json_str_escapes_bidi_and_zero_width),
		cmocka_unit_test(test_json_str_escapes_tags_as_surrogate_pairs),
		cmocka_unit_test(test_json_str_replaces_invalid_utf8),
		cmocka_unit_test(test_status_names_round_trip),
		cmocka_unit_test(test_status_parse_refuses_unknown),
		cmocka_unit_test(test_status_labels_in_both_languages),
		cmocka_unit_test(test_record_sync_copies_searchable_values),
		cmocka_unit_test(test_record_sync_without_values),
		cmocka_unit_test(test_record_json_head),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
