/*
 * test_lineedit.c - unit tests of lineedit.c: typing and reading back ASCII
 * and Chinese, cursor moves, deleting, the character limit, refused control
 * and format characters, pastes, and horizontal scrolling measured in columns
 * so that a wide character is never cut.
 */
#include "testutil.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "lineedit.h"

static int setup_locale(void **state)
{
	(void)state;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		return -1;
	return 0;
}

/* Asserts the field's text is want. */
static void expect_text(const struct ledit *e, const char *want)
{
	char *got = ledit_text(e);
	assert_string_equal(got, want);
	free(got);
}

/* Types every character of s one at a time; asserts each is taken. */
static void type(struct ledit *e, const char *s)
{
	assert_int_equal(ledit_insert_str(e, ""), 0);
	while (*s) {
		char one[5] = {0};
		size_t k = 1;
		while (((unsigned char)s[k] & 0xC0) == 0x80)
			k++;
		memcpy(one, s, k);
		assert_int_equal(ledit_insert_str(e, one), 1);
		s += k;
	}
}

/* Columns of characters first..first+count-1. */
static size_t cols(const struct ledit *e, size_t first, size_t count)
{
	size_t c = 0;
	for (size_t i = first; i < first + count; i++)
		c += ledit_cp_width(e->cp[i]);
	return c;
}

/* Calls ledit_visible and asserts what every view must satisfy: the cursor
 * is inside the field and among the shown characters, it stands at the
 * column the shown characters put it, the shown characters fit whole, and
 * the character under the cursor is shown when it can fit at all. */
static void check_view(struct ledit *e, size_t width, size_t *first_out,
		       size_t *count_out, size_t *col_out)
{
	size_t first = 99999, count = 99999, col = 99999;

	ledit_visible(e, width, &first, &count, &col);
	if (col >= width)
		fail_msg("width %zu: cursor col %zu outside the field", width, col);
	if (first > e->cur || e->cur > first + count)
		fail_msg("width %zu: cursor %zu outside shown %zu+%zu",
			 width, e->cur, first, count);
	assert_int_equal(first, e->scroll);
	assert_true(first + count <= e->n);
	if (cols(e, first, count) > width)
		fail_msg("width %zu: shown %zu columns", width, cols(e, first, count));
	if (e->cur < e->n && ledit_cp_width(e->cp[e->cur]) <= width)
		assert_true(e->cur < first + count);
	if (cols(e, first, e->cur - first) <= width - 1)
		assert_int_equal(col, cols(e, first, e->cur - first));
	if (first_out)
		*first_out = first;
	if (count_out)
		*count_out = count;
	if (col_out)
		*col_out = col;
}

static void test_type_ascii(void **state)
{
	struct ledit e = {0};
	(void)state;
	ledit_set(&e, "");
	assert_false(e.dirty);
	type(&e, "Zhang San 42");
	assert_int_equal(e.n, 12);
	assert_int_equal(e.cur, 12);
	assert_true(e.dirty);
	expect_text(&e, "Zhang San 42");
	ledit_free(&e);
}

static void test_type_chinese_and_mixed(void **state)
{
	struct ledit e = {0};
	(void)state;
	ledit_set(&e, "");
	type(&e, "张三丰");
	assert_int_equal(e.n, 3);
	expect_text(&e, "张三丰");
	ledit_home(&e);
	type(&e, "A1");
	ledit_end(&e);
	type(&e, "（村）😀b");
	expect_text(&e, "A1张三丰（村）😀b");
	assert_int_equal(e.n, 10);
	assert_int_equal(ledit_cp_width(0x5F20), 2);
	assert_int_equal(ledit_cp_width('A'), 1);
	assert_int_equal(ledit_cp_width(0xFF08), 2);
	assert_int_equal(ledit_cp_width(0x0301), 0);
	ledit_free(&e);
}

static void test_set_replaces(void **state)
{
	struct ledit e = {0};
	(void)state;
	ledit_set(&e, "旧的文字");
	type(&e, "x");
	ledit_set(&e, "新");
	assert_int_equal(e.n, 1);
	assert_int_equal(e.cur, 1);
	assert_int_equal(e.scroll, 0);
	assert_false(e.dirty);
	expect_text(&e, "新");
	ledit_free(&e);
	assert_null(e.cp);
	assert_int_equal(e.n, 0);
}

static void test_cursor_moves(void **state)
{
	struct ledit e = {0};
	(void)state;
	ledit_set(&e, "ab张三");
	assert_int_equal(e.cur, 4);
	ledit_right(&e);	/* at n */
	assert_int_equal(e.cur, 4);
	ledit_left(&e);
	assert_int_equal(e.cur, 3);
	ledit_home(&e);
	assert_int_equal(e.cur, 0);
	ledit_left(&e);		/* at 0 */
	assert_int_equal(e.cur, 0);
	ledit_right(&e);
	ledit_right(&e);
	assert_int_equal(e.cur, 2);
	type(&e, "中");
	expect_text(&e, "ab中张三");
	assert_int_equal(e.cur, 3);
	ledit_end(&e);
	assert_int_equal(e.cur, 5);
	assert_false(ledit_delete(&e));
	ledit_free(&e);
}

static void test_backspace_delete(void **state)
{
	struct ledit e = {0};
	(void)state;
	ledit_set(&e, "a张b三c");

	/* in the middle, on wide characters */
	ledit_home(&e);
	ledit_right(&e);
	ledit_right(&e);	/* before b */
	assert_true(ledit_backspace(&e));	/* removes 张 */
	expect_text(&e, "ab三c");
	assert_int_equal(e.cur, 1);
	ledit_right(&e);	/* before 三 */
	assert_true(ledit_delete(&e));	/* removes 三 */
	expect_text(&e, "abc");
	assert_int_equal(e.cur, 2);
	assert_true(e.dirty);

	/* at the ends */
	ledit_home(&e);
	assert_false(ledit_backspace(&e));
	assert_true(ledit_delete(&e));
	expect_text(&e, "bc");
	assert_int_equal(e.cur, 0);
	ledit_end(&e);
	assert_false(ledit_delete(&e));
	assert_true(ledit_backspace(&e));
	expect_text(&e, "b");
	assert_true(ledit_backspace(&e));
	assert_false(ledit_backspace(&e));
	assert_false(ledit_delete(&e));
	expect_text(&e, "");
	assert_int_equal(e.n, 0);
	assert_int_equal(e.cur, 0);

	ledit_set(&e, "张三");
	ledit_clear(&e);
	expect_text(&e, "");
	assert_int_equal(e.cur, 0);
	assert_true(e.dirty);
	type(&e, "李");
	expect_text(&e, "李");
	ledit_free(&e);
}

static void test_max_chars(void **state)
{
	struct ledit e = {0};
	(void)state;
	ledit_set(&e, "");
	e.max_chars = 4;
	type(&e, "张三a丰");	/* 4 characters, 10 bytes, 7 columns */
	assert_false(ledit_insert(&e, 'x'));
	assert_false(ledit_insert(&e, 0x674E));
	expect_text(&e, "张三a丰");
	assert_true(ledit_backspace(&e));
	assert_int_equal(ledit_insert_str(&e, "李四王"), 1);
	expect_text(&e, "张三a李");
	assert_int_equal(ledit_insert_str(&e, "x"), 0);
	ledit_home(&e);
	assert_false(ledit_insert(&e, 'y'));

	ledit_set(&e, "");
	e.max_chars = 3;
	assert_int_equal(ledit_insert_str(&e, "一二三四五"), 3);
	expect_text(&e, "一二三");
	ledit_free(&e);
}

static void test_refused_characters(void **state)
{
	static const uint32_t bad[] = {
		0x00, 0x01, '\t', '\n', '\r', 0x1B /* ESC */, 0x1F, 0x7F /* DEL */,
		0x80, 0x85, 0x9B /* CSI */, 0x9F, 0x202A, 0x202E, 0x2066, 0x2069,
		0x200E, 0x200F, 0x061C, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF,
		0x0301 /* combining acute: no width of its own */,
		0xD800, 0xDFFF, 0x110000, UINT32_MAX,
	};
	struct ledit e = {0};
	(void)state;
	ledit_set(&e, "ok");
	e.dirty = false;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ledit_insert(&e, bad[i]))
			fail_msg("U+%04X was taken", (unsigned)bad[i]);
	expect_text(&e, "ok");
	assert_false(e.dirty);
	assert_true(ledit_insert(&e, ' '));
	assert_true(ledit_insert(&e, 0xA0));	/* no-break space is text */
	assert_true(ledit_insert(&e, 0x3000));
	ledit_free(&e);
}

static void test_paste_with_newline(void **state)
{
	struct ledit e = {0};
	(void)state;
	ledit_set(&e, "[]");
	ledit_left(&e);
	assert_int_equal(ledit_insert_str(&e, "张三\n李四\r\x1b[31m\xe2\x80\xae!"), 9);
	expect_text(&e, "[张三李四[31m!]");
	assert_int_equal(e.cur, 10);
	assert_int_equal(ledit_insert_str(&e, "\n\t\xe2\x80\x8b"), 0);
	expect_text(&e, "[张三李四[31m!]");
	ledit_free(&e);
}

static void test_set_invalid_utf8(void **state)
{
	struct ledit e = {0};
	(void)state;
	ledit_set(&e, "a\xff张\xe5\xbc\xc0\x80三\xed\xa0\x80z\xe4\xb8");
	expect_text(&e, "a张三z");
	assert_int_equal(e.n, 4);
	assert_int_equal(e.cur, 4);
	/* a paste drops bad bytes the same way */
	ledit_set(&e, "");
	assert_int_equal(ledit_insert_str(&e, "\x80王\xfe"), 1);
	expect_text(&e, "王");
	ledit_free(&e);
}

static void test_scroll_chinese(void **state)
{
	static const char twenty[] = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸";
	struct ledit e = {0};
	size_t first, count, col;
	(void)state;
	ledit_set(&e, twenty);
	assert_int_equal(e.n, 20);

	ledit_end(&e);
	check_view(&e, 10, &first, &count, &col);
	assert_true(col <= 9);
	assert_true(cols(&e, first, count) <= 10);
	assert_int_equal(first + count, 20);	/* the last characters show */
	assert_int_equal(count, 4);	/* 8 columns and the cursor's one */
	assert_int_equal(col, 8);

	/* moving left from the end, one character at a time */
	for (size_t step = 0; step < 20; step++) {
		ledit_left(&e);
		check_view(&e, 10, &first, &count, &col);
		assert_int_equal(e.cur, 19 - step);
		assert_true(first <= e.cur && e.cur < first + count);
		assert_true(col <= 8);	/* a whole wide character at the cursor */
	}
	assert_int_equal(first, 0);

	ledit_end(&e);
	check_view(&e, 10, NULL, NULL, NULL);
	assert_true(e.scroll > 0);
	ledit_home(&e);
	check_view(&e, 10, &first, &count, &col);
	assert_int_equal(first, 0);
	assert_int_equal(col, 0);
	assert_int_equal(count, 5);

	/* moving right scrolls just enough */
	for (size_t step = 0; step < 20; step++) {
		size_t before = e.scroll;
		ledit_right(&e);
		check_view(&e, 10, &first, &count, &col);
		assert_true(first <= before + 1);
	}
	ledit_free(&e);
}

static void test_scroll_mixed_odd_width(void **state)
{
	struct ledit e = {0};
	size_t first, count, col;
	(void)state;
	/* a wide character would straddle the right edge of 5 columns */
	ledit_set(&e, "ab张三cd");
	ledit_home(&e);
	check_view(&e, 5, &first, &count, &col);
	assert_int_equal(first, 0);
	assert_int_equal(count, 3);	/* a b 张, not half of 三 */
	for (int i = 0; i < 3; i++)
		ledit_right(&e);	/* on 三 */
	check_view(&e, 5, &first, &count, &col);
	assert_true(e.cur < first + count);
	ledit_end(&e);
	check_view(&e, 5, &first, &count, &col);
	assert_int_equal(col, 4);
	expect_text(&e, "ab张三cd");
	ledit_free(&e);
}

static void test_scroll_narrow_fields(void **state)
{
	struct ledit e = {0};
	size_t first, count, col;
	(void)state;
	ledit_set(&e, "张三丰");

	/* width 1: no wide character ever fits */
	ledit_end(&e);
	check_view(&e, 1, &first, &count, &col);
	assert_int_equal(count, 0);
	assert_int_equal(col, 0);
	ledit_home(&e);
	check_view(&e, 1, &first, &count, &col);
	assert_int_equal(count, 0);
	assert_int_equal(col, 0);
	for (int i = 0; i < 3; i++) {
		ledit_right(&e);
		check_view(&e, 1, &first, &count, &col);
		assert_int_equal(first, e.cur);
		assert_int_equal(col, 0);
	}
	for (int i = 0; i < 3; i++) {
		ledit_left(&e);
		check_view(&e, 1, &first, &count, &col);
		assert_int_equal(col, 0);
	}

	/* width 2: one wide character, or the end-of-text cursor */
	ledit_home(&e);
	check_view(&e, 2, &first, &count, &col);
	assert_int_equal(count, 1);
	assert_int_equal(col, 0);
	for (int i = 0; i < 3; i++) {
		ledit_right(&e);
		check_view(&e, 2, &first, &count, &col);
		assert_int_equal(col, 0);
	}
	assert_int_equal(count, 0);	/* at the end */

	/* width 3: one wide character and the cursor beside it */
	check_view(&e, 3, &first, &count, &col);
	assert_int_equal(count, 1);
	assert_int_equal(col, 2);
	for (int i = 0; i < 3; i++) {
		ledit_left(&e);
		check_view(&e, 3, &first, &count, &col);
		assert_true(col <= 1);
	}
	assert_int_equal(first, 0);

	/* ASCII in width 1 */
	ledit_set(&e, "abc");
	check_view(&e, 1, &first, &count, &col);
	assert_int_equal(count, 0);
	ledit_left(&e);
	check_view(&e, 1, &first, &count, &col);
	assert_int_equal(count, 1);
	assert_int_equal(first, 2);
	ledit_free(&e);
}

/* Every width from 1 to 12 over text with ASCII, wide and combining
 * characters, under many edits: the view's rules always hold. */
static void test_scroll_invariants(void **state)
{
	struct ledit e = {0};
	unsigned seed = 12345;
	(void)state;
	for (size_t width = 1; width <= 12; width++) {
		ledit_set(&e, "a张e\xcc\x81三bc丰😀d（）");
		for (int step = 0; step < 400; step++) {
			seed = seed * 1103515245u + 12345u;
			switch ((seed >> 16) % 8) {
			case 0: ledit_left(&e); break;
			case 1: ledit_right(&e); break;
			case 2: ledit_home(&e); break;
			case 3: ledit_end(&e); break;
			case 4: ledit_backspace(&e); break;
			case 5: ledit_delete(&e); break;
			case 6: ledit_insert(&e, 0x6587); break;
			default: ledit_insert(&e, 'x'); break;
			}
			check_view(&e, width, NULL, NULL, NULL);
		}
	}
	ledit_free(&e);
}

/* Deleting at the end scrolls back so the field is not left half empty. */
static void test_scroll_refills_after_delete(void **state)
{
	struct ledit e = {0};
	size_t first, count, col;
	(void)state;
	ledit_set(&e, "一二三四五六七八九十");
	check_view(&e, 10, &first, &count, &col);
	assert_true(first > 0);
	for (int i = 0; i < 7; i++)
		assert_true(ledit_backspace(&e));
	check_view(&e, 10, &first, &count, &col);
	assert_int_equal(first, 0);
	assert_int_equal(count, 3);
	assert_int_equal(col, 6);
	ledit_free(&e);
}

static void test_big_paste(void **state)
{
	struct ledit e = {0};
	char *big = malloc(10000 * 3 + 1), *p = big, *back;
	size_t first, count, col;
	(void)state;
	for (int i = 0; i < 10000; i++) {
		memcpy(p, i % 2 ? "张" : "\xe4\xb8\x89", 3);	/* 张, 三 */
		p += 3;
	}
	*p = '\0';
	ledit_set(&e, "[]");
	ledit_left(&e);
	assert_int_equal(ledit_insert_str(&e, big), 10000);
	assert_int_equal(e.n, 10002);
	assert_int_equal(e.cur, 10001);
	/* then paste into the middle, char by char as an IME burst would */
	ledit_home(&e);
	ledit_right(&e);
	for (int i = 0; i < 10000; i++)
		assert_true(ledit_insert(&e, 'x'));
	check_view(&e, 30, &first, &count, &col);
	back = ledit_text(&e);
	assert_int_equal(strlen(back), 2 + 10000 + 30000);
	assert_int_equal(back[0], '[');
	assert_int_equal(back[10001], '\xe4');
	free(back);
	free(big);
	ledit_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_ascii),
		cmocka_unit_test(test_type_chinese_and_mixed),
		cmocka_unit_test(test_set_replaces),
		cmocka_unit_test(test_cursor_moves),
		cmocka_unit_test(test_backspace_delete),
		cmocka_unit_test(test_max_chars),
		cmocka_unit_test(test_refused_characters),
		cmocka_unit_test(test_paste_with_newline),
		cmocka_unit_test(test_set_invalid_utf8),
		cmocka_unit_test(test_scroll_chinese),
		cmocka_unit_test(test_scroll_mixed_odd_width),
		cmocka_unit_test(test_scroll_narrow_fields),
		cmocka_unit_test(test_scroll_invariants),
		cmocka_unit_test(test_scroll_refills_after_delete),
		cmocka_unit_test(test_big_paste),
	};
	return cmocka_run_group_tests(tests, setup_locale, NULL);
}
