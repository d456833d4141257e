/*
 * test_history.c - a record's audit rows as people read them: each action
 * by its name in the user's language (an unknown one as stored), and what a
 * row changed, field by field with the form's labels, personal fields
 * masked unless asked otherwise, then the comment.
 */
#include "testutil.h"

#include <string.h>

#include "config.h"
#include "history.h"
#include "msg.h"
#include "util.h"

static struct config *cfg;

static int load(void **state)
{
	(void)state;
	struct diags d = {0};
	int rc = config_load("config", &cfg, &d);
	diags_free(&d);
	return rc;
}

static int unload(void **state)
{
	(void)state;
	config_free(cfg);
	msg_set_lang(LANG_ZH);
	return 0;
}

static void test_action_labels(void **state)
{
	(void)state;
	assert_string_equal(history_action_label("create"), "登记");
	assert_string_equal(history_action_label("approve"), "审核通过");
	assert_string_equal(history_action_label("return"), "退回修改");
	assert_string_equal(history_action_label("sync_conflict"), "同步冲突");
	/* written by a newer version: shown as stored, never dropped */
	assert_string_equal(history_action_label("archive"), "archive");
	msg_set_lang(LANG_EN);
	assert_string_equal(history_action_label("approve"), "approved");
	msg_set_lang(LANG_ZH);
}

static void test_detail(void **state)
{
	(void)state;
	const struct form *f = formset_find(&cfg->forms, "rural_teacher");
	assert_non_null(f);
	struct audit_row row = {
		.action = "edit",
		.old_vals = "{\"name\":\"王小梅\",\"phone\":\"13800138000\",\"subjects\":\"语文\","
			    "\"note_gone\":\"x\"}",
		.new_vals = "{\"name\":\"王小梅\",\"phone\":\"13912345678\",\"subjects\":\"数学|英语\"}",
		.comment = "更正",
	};
	char *d = history_detail(f, &row, true);
	/* unchanged name left out; the phone masked; the several subjects
	 * joined as people write them; a key only the old row had, by its
	 * key (no such field); the comment last */
	assert_string_equal(d, "手机号: 138****8000 → 139****5678; 任教学科: 语文 → 数学、英语;"
			       " note_gone: x → ; 更正");
	free(d);
	d = history_detail(f, &row, false);
	assert_non_null(strstr(d, "手机号: 13800138000 → 13912345678"));
	free(d);
	/* a decision: no values, only its comment */
	struct audit_row ret = {.action = "return", .comment = "请补充"};
	d = history_detail(f, &ret, true);
	assert_string_equal(d, "请补充");
	free(d);
	struct audit_row bare = {.action = "approve"};
	d = history_detail(NULL, &bare, true);
	assert_string_equal(d, "");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_action_labels),
		cmocka_unit_test(test_detail),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
