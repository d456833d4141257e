/*
 * test_form.c - the loader: the real config and forms load clean, and a set
 * of broken files is reported problem by problem, each at its file:line.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "form.h"
#include "msg.h"
#include "util.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static int make_dir(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/talentreg-form-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int remove_dir(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	return rc;
}

/* Returns the index of the diagnostic that starts with file:line: and
 * contains text, or fails. */
static void expect(const struct diags *d, const char *file, int line, const char *text)
{
	char *prefix = xasprintf("%s/%s:%d: ", dir, file, line);
	for (size_t i = 0; i < d->lines.n; i++)
		if (strncmp(d->lines.v[i], prefix, strlen(prefix)) == 0 &&
		    strstr(d->lines.v[i], text)) {
			free(prefix);
			return;
		}
	for (size_t i = 0; i < d->lines.n; i++)
		print_message("  got: %s\n", d->lines.v[i]);
	fail_msg("no diagnostic %s... %s", prefix, text);
}

static void test_real_config_loads(void **state)
{
	(void)state;
	struct diags d = {0};
	struct config *c = NULL;
	int rc = config_load("config", &c, &d);
	for (size_t i = 0; i < d.lines.n; i++)
		print_message("%s\n", d.lines.v[i]);
	assert_int_equal(rc, 0);
	assert_int_equal(d.lines.n, 0);
	size_t cats = 0;
	for (size_t i = 0; i < c->forms.n; i++) {
		const struct form *f = c->forms.v[i];
		if (f->abstract)
			continue;
		cats++;
		assert_non_null(config_team(c, f->team));
		/* every category starts with the person fields */
		assert_string_equal(f->fields[0].key, "name");
		assert_non_null(form_field(f, "id_number"));
	}
	assert_int_equal(cats, 15);
	assert_int_equal(c->nteams, 5);
	assert_int_equal(c->total_target, 1000);
	assert_int_equal(c->ntowns, 2);
	assert_non_null(config_township(c, "宁远堡镇"));
	assert_non_null(config_township(c, "双湾镇"));
	const struct form *t = formset_find(&c->forms, "rural_teacher");
	assert_non_null(t);
	assert_string_equal(t->team, "public_service");
	const struct field *y = form_field(t, "years_teaching");
	assert_non_null(y);
	assert_int_equal(y->type, FT_INT);
	assert_true(y->has_max);
	assert_null(formset_find(&c->forms, "person"));	/* abstract */
	const struct user *o = config_user(c, "officer_ny");
	assert_non_null(o);
	assert_int_equal(o->role, ROLE_OFFICER);
	assert_int_equal(o->townships.n, 1);
	diags_free(&d);
	config_free(c);
}

static const char person[] =
	"[form]\n"
	"key = person\n"
	"title = 个人\n"
	"abstract = yes\n"
	"[field.name]\n"
	"label = 姓名\n"
	"type = text\n"
	"[field.id_number]\n"
	"label = 身份证号\n"
	"type = id_card\n";

static bool only_t1(const char *team, void *arg)
{
	(void)arg;
	return strcmp(team, "t1") == 0;
}

static void test_broken_forms_each_reported(void **state)
{
	(void)state;
	write_file("person.ini", person);
	write_file("badtype.ini",
		   "[form]\n"			/* 1 */
		   "key = badtype\n"		/* 2 */
		   "title = 甲\n"		/* 3 */
		   "team = t1\n"		/* 4 */
		   "extends = person\n"		/* 5 */
		   "[field.a]\n"		/* 6 */
		   "label = 甲\n"		/* 7 */
		   "type = texty\n"		/* 8: unknown type */
		   "colour = red\n"		/* 9: unknown key */
		   "[field.b]\n"		/* 10: choice without options */
		   "label = 乙\n"
		   "type = choice\n"
		   "[rule.r]\n"			/* 13 */
		   "kind = required_if\n"
		   "field = nosuch\n"		/* 15: names a missing field */
		   "when = a=1\n"
		   "message = 丙\n"
		   "[rule.k]\n"			/* 18 */
		   "kind = magic\n"		/* 19: unknown rule kind */
		   "field = a\n"
		   "message = 丁\n");
	write_file("bom.ini", "\xEF\xBB\xBF[form]\nkey = bom\n");
	char *longline = xmalloc(1200);
	memset(longline, 'x', 1100);
	strcpy(longline + 1100, "\n");
	char *text = xasprintf("[form]\nkey = longl\ntitle = 长\nteam = t1\nextends = person\nhelp = %s", longline);
	write_file("longl.ini", text);	/* line 6 is too long */
	free(text);
	free(longline);
	write_file("syntax.ini", "[form]\nkey = syntax\ntitle = 语\nthis line is wrong\nteam = t1\n");
	write_file("named.ini", "[form]\nkey = other\ntitle = 名\nteam = t1\nextends = nobase\n");
	write_file("noteam.ini", "[form]\nkey = noteam\ntitle = 队\nteam = t9\nextends = person\n"
				 "[field.x]\nlabel = 某\ntype = int\nmin = abc\n");

	struct formset fs;
	struct diags d = {0};
	assert_int_equal(formset_load(dir, NULL, NULL, &fs, &d), -1);
	expect(&d, "badtype.ini", 8, "texty");
	expect(&d, "badtype.ini", 9, "colour");
	expect(&d, "badtype.ini", 10, "b");
	expect(&d, "badtype.ini", 15, "nosuch");
	expect(&d, "badtype.ini", 19, "magic");
	expect(&d, "bom.ini", 1, "BOM");
	expect(&d, "longl.ini", 6, "1000");
	expect(&d, "syntax.ini", 4, msg(MSG_INI_SYNTAX));
	expect(&d, "named.ini", 2, "other");
	expect(&d, "named.ini", 1, "nobase");
	expect(&d, "noteam.ini", 9, "abc");
	formset_free(&fs);
	diags_free(&d);

	/* with a team checker, the unknown team is reported too */
	struct diags d2 = {0};
	assert_int_equal(formset_load(dir, only_t1, NULL, &fs, &d2), -1);
	expect(&d2, "noteam.ini", 1, "t9");
	formset_free(&fs);
	diags_free(&d2);
}

static void test_duplicate_key_and_field_of_base(void **state)
{
	(void)state;
	write_file("person.ini", person);
	write_file("dup.ini",
		   "[form]\nkey = dup\ntitle = 重\nteam = t1\nextends = person\n"	/* 1-5 */
		   "[field.name]\nlabel = 又名\ntype = text\n"			/* 6: base's field again */
		   "label = 再\n");						/* 9: repeated key */
	struct formset fs;
	struct diags d = {0};
	assert_int_equal(formset_load(dir, NULL, NULL, &fs, &d), -1);
	expect(&d, "dup.ini", 9, "label");
	expect(&d, "dup.ini", 6, "name");
	formset_free(&fs);
	diags_free(&d);
}

static void test_broken_config_reported(void **state)
{
	(void)state;
	char *forms = xasprintf("%s/forms", dir);
	mkdir(forms, 0700);
	char *p = xasprintf("%s/person.ini", forms);
	FILE *f = fopen(p, "w");
	fputs(person, f);
	fclose(f);
	free(p);
	write_file("talentreg.ini", "[paths]\ndatabase = t.db\nforms = forms\ncolour = red\n");
	write_file("users.ini", "[user.a]\nrole = king\n[user.b]\nrole = officer\ntownships = 无此镇\n");
	write_file("areas.ini", "[township.x]\nname = 甲镇\nvillages = 一村|二村\n");
	write_file("targets.ini", "[total]\ntarget = many\n[team.t1]\nlabel = 队\ntarget = 5\n"
				  "[target.x]\nlabel = 某\ncategory = nosuch\ntarget = 1\n");
	struct config *c = NULL;
	struct diags d = {0};
	assert_int_equal(config_load(dir, &c, &d), -1);
	expect(&d, "talentreg.ini", 4, "colour");
	expect(&d, "users.ini", 2, "king");
	expect(&d, "users.ini", 5, "无此镇");
	expect(&d, "targets.ini", 2, "many");
	expect(&d, "targets.ini", 8, "nosuch");
	config_free(c);
	diags_free(&d);
	free(forms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_config_loads),
		cmocka_unit_test_setup_teardown(test_broken_forms_each_reported, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_duplicate_key_and_field_of_base, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_broken_config_reported, make_dir, remove_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
