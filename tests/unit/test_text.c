/*
 * test_text.c - unit tests of text.c: UTF-8 decoding of good and bad
 * sequences, character counts, the forbidden control and format characters,
 * full-width folding and trimming.
 */
#include "testutil.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "util.h"

/* Asserts that the n bytes at s decode to cp taking len bytes. */
static void expect_decode(const char *s, size_t n, uint32_t cp, int len)
{
	uint32_t got = 0;
	int took = utf8_decode(s, n, &got);
	if (got != cp || took != len)
		fail_msg("decode of %zu bytes: got U+%04X/%d, want U+%04X/%d",
			 n, (unsigned)got, took, (unsigned)cp, len);
}

static void test_decode_valid(void **state)
{
	(void)state;
	expect_decode("A", 1, 'A', 1);
	expect_decode("\x7f", 1, 0x7F, 1);
	expect_decode("\xc2\x80", 2, 0x80, 2);
	expect_decode("\xdf\xbf", 2, 0x7FF, 2);
	expect_decode("\xe0\xa0\x80", 3, 0x800, 3);
	expect_decode("张", 3, 0x5F20, 3);
	expect_decode("\xed\x9f\xbf", 3, 0xD7FF, 3);
	expect_decode("\xee\x80\x80", 3, 0xE000, 3);
	expect_decode("\xef\xbf\xbf", 3, 0xFFFF, 3);
	expect_decode("\xf0\x90\x80\x80", 4, 0x10000, 4);
	expect_decode("\xf0\x9f\x98\x80", 4, 0x1F600, 4);
	expect_decode("\xf4\x8f\xbf\xbf", 4, 0x10FFFF, 4);
	expect_decode("张三", 6, 0x5F20, 3);	/* only the first character */
}

static void test_decode_invalid(void **state)
{
	(void)state;
	expect_decode("\x80", 1, TEXT_INVALID, 1);	/* lone continuation */
	expect_decode("\xbf\x80", 2, TEXT_INVALID, 1);
	expect_decode("\xfe", 1, TEXT_INVALID, 1);
	expect_decode("\xff", 1, TEXT_INVALID, 1);
	expect_decode("\xf5\x80\x80\x80", 4, TEXT_INVALID, 1);	/* > U+10FFFF */
	expect_decode("\xf4\x90\x80\x80", 4, TEXT_INVALID, 1);	/* U+110000 */
	expect_decode("\xf8\x88\x80\x80\x80", 5, TEXT_INVALID, 1);	/* 5 bytes */
	expect_decode("\xe5\x41\x41", 3, TEXT_INVALID, 1);	/* bad continuation */
	expect_decode("\xe5\xbc\x41", 3, TEXT_INVALID, 1);
	expect_decode("\xf0\x9f\x98\x41", 4, TEXT_INVALID, 1);
}

static void test_decode_overlong(void **state)
{
	(void)state;
	expect_decode("\xc0\x80", 2, TEXT_INVALID, 1);	/* U+0000 */
	expect_decode("\xc0\xaf", 2, TEXT_INVALID, 1);	/* '/' */
	expect_decode("\xc1\xbf", 2, TEXT_INVALID, 1);
	expect_decode("\xe0\x80\x80", 3, TEXT_INVALID, 1);
	expect_decode("\xe0\x9f\xbf", 3, TEXT_INVALID, 1);	/* U+07FF */
	expect_decode("\xf0\x80\x80\x80", 4, TEXT_INVALID, 1);
	expect_decode("\xf0\x8f\xbf\xbf", 4, TEXT_INVALID, 1);	/* U+FFFF */
}

static void test_decode_surrogate(void **state)
{
	(void)state;
	expect_decode("\xed\xa0\x80", 3, TEXT_INVALID, 1);	/* U+D800 */
	expect_decode("\xed\xaf\xbf", 3, TEXT_INVALID, 1);	/* U+DBFF */
	expect_decode("\xed\xb0\x80", 3, TEXT_INVALID, 1);	/* U+DC00 */
	expect_decode("\xed\xbf\xbf", 3, TEXT_INVALID, 1);	/* U+DFFF */
	/* a CESU-8 pair for U+1F600 */
	expect_decode("\xed\xa0\xbd\xed\xb8\x80", 6, TEXT_INVALID, 1);
}

static void test_decode_truncated(void **state)
{
	(void)state;
	expect_decode("张", 1, TEXT_INVALID, 1);
	expect_decode("张", 2, TEXT_INVALID, 1);
	expect_decode("\xc2", 1, TEXT_INVALID, 1);
	expect_decode("\xf0\x9f\x98", 3, TEXT_INVALID, 1);
	expect_decode("\xe5\xbc", 3, TEXT_INVALID, 1);	/* the NUL stops it */
	assert_false(utf8_valid("\xe5\xbc"));
	assert_false(utf8_valid("abc\xf0\x9f\x98"));
}

static void test_encode(void **state)
{
	static const uint32_t cps[] = {
		0, 'a', 0x7F, 0x80, 0x7FF, 0x800, 0x5F20, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF
	};
	static const int lens[] = { 1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4 };
	(void)state;
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char out[4];
		uint32_t back;
		int n = utf8_encode(cps[i], out);
		assert_int_equal(n, lens[i]);
		assert_int_equal(utf8_decode(out, (size_t)n, &back), n);
		assert_int_equal(back, cps[i]);
	}
	char out[4];
	assert_int_equal(utf8_encode(0x4E09, out), 3);
	assert_memory_equal(out, "三", 3);
}

static void test_valid_and_chars(void **state)
{
	(void)state;
	assert_true(utf8_valid(""));
	assert_true(utf8_valid("张三丰 Zhang San 😀"));
	assert_false(utf8_valid("张三\xff"));
	assert_false(utf8_valid("\xc0\x80"));
	assert_false(utf8_valid("\xed\xa0\x80"));
	assert_int_equal(utf8_chars("张三丰"), 3);
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("abc"), 3);
	assert_int_equal(utf8_chars("a张b"), 3);
	assert_int_equal(utf8_chars("😀"), 1);
	assert_int_equal(utf8_chars("\xff\xfe"), 2);	/* each bad byte is one */
	assert_int_equal(utf8_chars("张\xe5\xbc"), 3);
	assert_int_equal(utf8_chars("\xed\xa0\x80"), 3);
}

/* Asserts that text_check rejects the character cp inside ordinary text. */
static void expect_bad(uint32_t cp, bool allow_newline)
{
	char s[16] = "a张";
	char enc[4];
	uint32_t bad = 0;
	int n = utf8_encode(cp, enc);
	memcpy(s + strlen(s), enc, (size_t)n);
	strcat(s, "b");
	if (text_check(s, allow_newline, &bad) != -1 || bad != cp)
		fail_msg("U+%04X was not caught", (unsigned)cp);
	assert_true(text_forbidden(cp));
}

static void test_check_controls(void **state)
{
	uint32_t bad;
	(void)state;
	assert_true(text_forbidden(0));
	for (uint32_t cp = 1; cp < 0x20; cp++) {
		expect_bad(cp, false);
		if (cp != '\n')
			expect_bad(cp, true);
	}
	expect_bad(0x7F, false);
	for (uint32_t cp = 0x80; cp <= 0x9F; cp++)
		expect_bad(cp, true);
	assert_int_equal(text_check("第一行\n第二行", true, &bad), 0);
	assert_int_equal(text_check("第一行\n第二行", false, &bad), -1);
	assert_int_equal(bad, '\n');
	assert_int_equal(text_check("a\r\nb", true, &bad), -1);
	assert_int_equal(bad, '\r');
}

static void test_check_format_chars(void **state)
{
	static const uint32_t list[] = {
		0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
		0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x200E, 0x200F, 0x061C
	};
	(void)state;
	for (size_t i = 0; i < sizeof list / sizeof list[0]; i++) {
		expect_bad(list[i], false);
		expect_bad(list[i], true);
	}
	assert_true(text_forbidden(TEXT_INVALID));
}

static void test_check_invalid_bytes(void **state)
{
	uint32_t bad = 0;
	(void)state;
	assert_int_equal(text_check("张三\xff", false, &bad), -1);
	assert_int_equal(bad, TEXT_INVALID);
	assert_int_equal(text_check("\xc0\xaf", false, &bad), -1);
	assert_int_equal(bad, TEXT_INVALID);
	assert_int_equal(text_check("\xed\xa0\x80", true, &bad), -1);
	assert_int_equal(bad, TEXT_INVALID);
}

static void test_check_accepts_text(void **state)
{
	static const char *const ok[] = {
		"", "张三丰", "Zhang San", "王小明，男，汉族。", "138-0013-8000",
		"（备注）：种植 3.5 亩，“稻虾共作”！", "维吾尔族 ئۇيغۇر", "😀 ©®™ ½",
		"全角ＡＢＣ１２３　空格", "\xc2\xa0no-break", "ĀÉÎõü", "한국어 日本語 ひらがな",
	};
	static const uint32_t near[] = {
		0x20, 0x7E, 0xA0, 0x061B, 0x061D, 0x200A, 0x2010, 0x2029, 0x202F,
		0x2065, 0x206A, 0xFEFE, 0xFF00, 0x3000, 0x10FFFF
	};
	uint32_t bad;
	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (text_check(ok[i], false, &bad) != 0)
			fail_msg("\"%s\" rejected at U+%04X", ok[i], (unsigned)bad);
	for (size_t i = 0; i < sizeof near / sizeof near[0]; i++)
		if (text_forbidden(near[i]))
			fail_msg("U+%04X should be allowed", (unsigned)near[i]);
}

/* Asserts that folding in gives want. */
static void expect_fold(const char *in, const char *want)
{
	char *got = text_fold_fullwidth(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_fold_fullwidth(void **state)
{
	(void)state;
	expect_fold("１３８", "138");
	expect_fold("Ｘ", "X");
	expect_fold("ｘ", "x");
	expect_fold("　", " ");
	expect_fold("！～", "!~");	/* U+FF01 and U+FF5E, the ends of the range */
	expect_fold("ＡＢＣａｂｃ０９＋－／．", "ABCabc09+-/.");
	expect_fold("张三 丰", "张三 丰");
	expect_fold("\xef\xbc\x80\xef\xbd\x9f", "\xef\xbc\x80\xef\xbd\x9f");	/* U+FF00, U+FF5F */
	expect_fold("，；：", ",;:");	/* full-width forms of ASCII punctuation */
	expect_fold("。、《》“”", "。、《》“”");	/* CJK punctuation stays */
	expect_fold("\xff１\xe5\xbc", "\xff" "1\xe5\xbc");	/* bad bytes copied */
	expect_fold("", "");
}

/* Asserts that trimming in gives want. */
static void expect_trim(const char *in, const char *want)
{
	char *got = text_trim(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_trim(void **state)
{
	(void)state;
	expect_trim("  abc  ", "abc");
	expect_trim("\t\r\n abc \n", "abc");
	expect_trim("　张三　", "张三");
	expect_trim(" 　 张 三 　 ", "张 三");
	expect_trim("a　b", "a　b");
	expect_trim("   ", "");
	expect_trim("　　", "");
	expect_trim("", "");
	expect_trim("abc", "abc");
	expect_trim("张\xff ", "张\xff");
	expect_trim("\xe3\x80", "\xe3\x80");	/* a truncated U+3000 is not space */
}

/* Rows never pass their columns, never split a character, and joined
 * back (indent removed) give the text. */
static void test_wrap(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));	/* widths from wcwidth */
	struct strv rows = {0};
	const char *s = "修改 任教学校: 永丰村幼儿园 → 永丰村中心幼儿园分园";
	size_t n = text_wrap(s, 12, 4, &rows);
	assert_int_equal(n, rows.n);
	assert_true(n > 3);
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (size_t i = 0; i < rows.n; i++) {
		assert_true(text_width(rows.v[i]) <= 12);
		const char *r = rows.v[i];
		if (i) {
			assert_memory_equal(r, "    ", 4);
			r += 4;
		}
		assert_true(utf8_valid(r));
		buf_puts(&b, r);
	}
	/* only spaces at a break may be dropped */
	char *joined = buf_take(&b);
	struct buf want = {0};
	buf_add(&want, "", 0);
	for (const char *p = s; *p; p++)
		if (*p != ' ')
			buf_putc(&want, *p);
	struct buf got = {0};
	buf_add(&got, "", 0);
	for (const char *p = joined; *p; p++)
		if (*p != ' ')
			buf_putc(&got, *p);
	assert_string_equal(got.s, want.s);
	free(joined);
	buf_free(&want);
	buf_free(&got);
	strv_free(&rows);
	/* English breaks at spaces; a newline breaks; "" is one row */
	text_wrap("the quick brown fox", 10, 0, &rows);
	assert_int_equal(rows.n, 2);
	assert_string_equal(rows.v[0], "the quick ");
	assert_string_equal(rows.v[1], "brown fox");
	strv_free(&rows);
	text_wrap("a\nb", 10, 0, &rows);
	assert_int_equal(rows.n, 2);
	strv_free(&rows);
	assert_int_equal(text_wrap("", 10, 0, &rows), 1);
	strv_free(&rows);
}

static void test_clip_mark(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	char *c = text_clip_mark("电商培训学员", 11);
	assert_string_equal(c, "电商培训学" TEXT_MORE);
	free(c);
	c = text_clip_mark("电商培训学员", 12);
	assert_string_equal(c, "电商培训学员");
	free(c);
	c = text_clip_mark("电商培训学员", 10);
	assert_string_equal(c, "电商培训" TEXT_MORE);
	assert_true(text_width(c) <= 10);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_decode_overlong),
		cmocka_unit_test(test_decode_surrogate),
		cmocka_unit_test(test_decode_truncated),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_valid_and_chars),
		cmocka_unit_test(test_check_controls),
		cmocka_unit_test(test_check_format_chars),
		cmocka_unit_test(test_check_invalid_bytes),
		cmocka_unit_test(test_check_accepts_text),
		cmocka_unit_test(test_fold_fullwidth),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_clip_mark),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
