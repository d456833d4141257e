/*
 * test_msg.c - the message table: every message has both languages, and
 * both take the same printf conversions in the same order (a message is a
 * format string, so a mismatch would be a crash in the other language).
 */
#include "testutil.h"

#include <string.h>

#include "msg.h"
#include "util.h"

/* Returns the conversions of a format, e.g. "sd" for "%s ... %d". */
static char *conversions(const char *fmt)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		while (*p && strchr("0123456789.-+ #l", *p))
			p++;
		buf_putc(&b, *p);
	}
	return buf_take(&b);
}

static void test_languages_agree(void **state)
{
	(void)state;
	for (int i = 0; i < MSG__COUNT; i++) {
		msg_set_lang(LANG_ZH);
		const char *zh = msg((enum msg_id)i);
		msg_set_lang(LANG_EN);
		const char *en = msg((enum msg_id)i);
		assert_true(*zh && *en);
		char *a = conversions(zh), *b = conversions(en);
		if (strcmp(a, b) != 0)
			fail_msg("message %d: \"%s\" vs \"%s\"", i, zh, en);
		free(a);
		free(b);
	}
	msg_set_lang(LANG_ZH);
}

static void test_msgf_formats(void **state)
{
	(void)state;
	char *s = msgf(MSG_V_TOO_LONG, 40);
	assert_string_equal(s, "最多 40 个字");
	free(s);
	msg_set_lang(LANG_EN);
	s = msgf(MSG_V_TOO_LONG, 40);
	assert_string_equal(s, "allows at most 40 characters");
	free(s);
	msg_set_lang(LANG_ZH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_languages_agree),
		cmocka_unit_test(test_msgf_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
