/*
 * main.c - talentreg's entry: global options, the command table, and the
 * choice between a command and the screens.
 */
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "priv.h"
#include "text.h"

/* Where an installed program reads its configuration: the Makefile passes
 * its SYSCONFDIR, so that a test install can live under a temporary folder. */
/* The release, from the Makefile's VERSION. */
#ifndef TALENTREG_VERSION
#define TALENTREG_VERSION "unknown"
#endif

#ifndef TALENTREG_SYSCONFDIR
#define TALENTREG_SYSCONFDIR "/etc/talentreg"
#endif

static const struct command commands[] = {
	{"init", cmd_init, MSG_SUM_INIT, MSG_USE_INIT},
	{"check-config", cmd_check_config, MSG_SUM_CHECK_CONFIG, MSG_USE_CHECK_CONFIG},
	{"forms", cmd_forms, MSG_SUM_FORMS, MSG_USE_FORMS},
	{"validate", cmd_validate, MSG_SUM_VALIDATE, MSG_USE_VALIDATE},
	{"add", cmd_add, MSG_SUM_ADD, MSG_USE_ADD},
	{"edit", cmd_edit, MSG_SUM_EDIT, MSG_USE_EDIT},
	{"list", cmd_list, MSG_SUM_LIST, MSG_USE_LIST},
	{"show", cmd_show, MSG_SUM_SHOW, MSG_USE_SHOW},
	{"history", cmd_history, MSG_SUM_HISTORY, MSG_USE_HISTORY},
	{"report", cmd_report, MSG_SUM_REPORT, MSG_USE_REPORT},
	{"task", cmd_task, MSG_SUM_TASK, MSG_USE_TASK},
	{"tag", cmd_tag, MSG_SUM_TAG, MSG_USE_TAG},
	{"sample", cmd_sample, MSG_SUM_SAMPLE, MSG_USE_SAMPLE},
	{"activity", cmd_activity, MSG_SUM_ACTIVITY, MSG_USE_ACTIVITY},
	{"event", cmd_event, MSG_SUM_EVENT, MSG_USE_EVENT},
	{"review", cmd_review, MSG_SUM_REVIEW, MSG_USE_REVIEW},
	{"withdraw", cmd_withdraw, MSG_SUM_WITHDRAW, MSG_USE_WITHDRAW},
	{"import", cmd_import, MSG_SUM_IMPORT, MSG_USE_IMPORT_FULL},
	{"export", cmd_export, MSG_SUM_EXPORT, MSG_USE_EXPORT_FULL},
	{"sync", cmd_sync, MSG_SUM_SYNC, MSG_SYNC_USAGE},
	{"backup", cmd_backup, MSG_SUM_BACKUP, MSG_USE_BACKUP_FULL},
};

static void help(FILE *out)
{
	fputs(msg(MSG_HELP_MAIN), out);
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		fprintf(out, "  %-13s %s\n", commands[i].name, msg(commands[i].summary));
	fputs(msg(MSG_HELP_TAIL), out);
}

static bool is_dir(const char *p)
{
	struct stat sb;
	return p && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* --config, then $TALENTREG_CONFIG, then ./config, then /etc/talentreg. */
static const char *find_config(const char *given)
{
	if (given)
		return given;
	const char *env = getenv("TALENTREG_CONFIG");
	if (!str_empty(env))
		return env;
	if (is_dir("config"))
		return "config";
	return TALENTREG_SYSCONFDIR;
}

/* Installed setgid to the group that owns the data (make install), the
 * program holds rights its caller lacks (priv.c has the rules): it must
 * not let the caller pick a configuration (a users.ini of the caller's
 * making), a database or the date. So it forgets the overrides and says so
 * for the options given. */
static bool drop_overrides(const char **config, const char **db)
{
	if (!priv_installed())
		return false;
	static const char *const env[] = {"TALENTREG_CONFIG", "TALENTREG_DB", "TALENTREG_TODAY",
					  "SQLITE_TMPDIR"};
	for (size_t i = 0; i < ARRAY_LEN(env); i++)
		unsetenv(env[i]);
	if (*config)
		cli_err(MSG_SETGID_IGNORED, "--config", TALENTREG_SYSCONFDIR);
	if (*db)
		cli_err(MSG_SETGID_IGNORED, "--db", TALENTREG_SYSCONFDIR);
	*config = NULL;
	*db = NULL;
	return true;
}

/* The terminal encodings the screens serve. Curses runs under the
 * terminal's own locale and converts what is shown and typed; the data
 * stays UTF-8 inside (the key reader and ui_text convert at the edge).
 * GBK and GB2312 are subsets of GB18030, byte for byte. */
static bool served_codeset(const char *cs)
{
	static const char *const ok[] = {"UTF-8", "GB18030", "GBK", "GB2312"};
	for (size_t i = 0; cs && i < ARRAY_LEN(ok); i++)
		if (strcmp(cs, ok[i]) == 0)
			return true;
	return false;
}

/* The locale the user asked for, as the C library reads the environment. */
static const char *asked_locale(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
	for (size_t i = 0; i < ARRAY_LEN(vars); i++) {
		const char *v = getenv(vars[i]);
		if (!str_empty(v))
			return v;
	}
	return "C";
}

/* True when the locale name asks for UTF-8 or names no codeset at all
 * (zh_CN.UTF-8, zh_CN.utf8, en_US). */
static bool asks_utf8(const char *name)
{
	const char *dot = strchr(name, '.');
	if (dot == NULL)
		return true;
	char cs[16] = {0};
	for (size_t i = 0; i + 1 < sizeof cs && dot[1 + i] && dot[1 + i] != '@'; i++)
		cs[i] = (char)tolower((unsigned char)dot[1 + i]);
	return strcmp(cs, "utf-8") == 0 || strcmp(cs, "utf8") == 0;
}

/* Why the screens cannot serve the terminal's locale. */
struct locale_problem {
	enum msg_id id;		/* MSG__COUNT: none */
	char asked[64], codeset[32];
};

/* Chinese needs a UTF-8 or GB18030 locale. SSH clients often send a
 * zh_CN.UTF-8 the server lacks: then C.UTF-8 serves, as it does for the
 * commands (whose output is UTF-8) whatever the codeset. Returns true when
 * the screens can serve the terminal; otherwise *lp says why. */
static bool set_locale(bool screens, struct locale_problem *lp)
{
	const char *got = setlocale(LC_ALL, "");
	const char *cs = got ? nl_langinfo(CODESET) : "";
	lp->id = MSG__COUNT;
	snprintf(lp->asked, sizeof lp->asked, "%s", asked_locale());
	snprintf(lp->codeset, sizeof lp->codeset, "%s", cs);
	if (got && strcmp(cs, "UTF-8") == 0)
		return true;
	if (screens && got && served_codeset(cs))
		return true;
	if (screens && got)
		lp->id = MSG_UI_LOCALE_UNSUPPORTED;
	else if (screens && !asks_utf8(lp->asked))
		lp->id = MSG_UI_LOCALE_MISSING;
	setlocale(LC_CTYPE, "C.UTF-8");
	return lp->id == MSG__COUNT;
}

/* Says why the screens cannot serve this terminal, in one sentence: in the
 * chosen language and, after Chinese, in plain ASCII too, which shows on
 * any terminal whatever its encoding. */
static int locale_refused(const struct locale_problem *lp)
{
	char *asked = text_sanitize(lp->asked), *cs = text_sanitize(lp->codeset);
	bool zh = msg_lang() == LANG_ZH;
	for (int pass = 0; pass < (zh ? 2 : 1); pass++) {
		if (pass)
			msg_set_lang(LANG_EN);
		char *m = msgf(lp->id, asked, cs);
		fprintf(stderr, "talentreg: %s\n", m);
		free(m);
	}
	free(asked);
	free(cs);
	return EXIT_USAGE;
}

static void app_free(struct app *app)
{
	if (app->st)
		store_close(app->st);
	config_free(app->cfg);
	free(app->login);
	if (app->first_admin) {
		free(app->first_admin->login);
		free(app->first_admin);
	}
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

/* Loads the configuration; a broken one stops every command but
 * check-config, which reports the same problems as its result. */
static int load_config(struct app *app, bool report)
{
	struct diags d = {0};
	int rc = config_load(app->config_dir, &app->cfg, &d);
	if (app->cfg)
		msg_set_lang(app->cfg->lang);
	if (rc < 0 && report) {
		if (!is_dir(app->config_dir))
			fprintf(stderr, "talentreg: %s: %s\n", app->config_dir, msg(MSG_CONFIG_NOT_FOUND));
		else
			fprintf(stderr, "talentreg: %s\n", msg(MSG_CONFIG_BROKEN));
		cli_print_diags(&d);
	}
	diags_free(&d);
	return rc;
}

int main(int argc, char **argv)
{
	struct app app = {0};
	const char *config = NULL;
	int i;

	priv_init();	/* first: the group is set aside at once */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char **slot = strcmp(argv[i], "--config") == 0 ? &config
				  : strcmp(argv[i], "--db") == 0     ? &app.db_path
				  : strcmp(argv[i], "--as") == 0     ? &app.as_login
								     : NULL;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help(stdout);
			return EXIT_DONE;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("talentreg %s\n", TALENTREG_VERSION);
			return EXIT_DONE;
		}
		if (slot == NULL)
			return cli_usage(MSG_UNKNOWN_OPTION, argv[i]);
		if (i + 1 >= argc || str_empty(argv[i + 1]))
			return cli_usage(MSG_OPTION_NEEDS_VALUE, argv[i]);
		*slot = argv[++i];
	}
	app.config_dir = drop_overrides(&config, &app.db_path) ? TALENTREG_SYSCONFDIR
							      : find_config(config);
	struct locale_problem lp;
	bool served = set_locale(i == argc, &lp);
	if (i == argc) {	/* no command: the screens */
		int rc = load_config(&app, true) < 0 ? EXIT_BROKEN
			 : !served		    ? locale_refused(&lp)
						    : ui_main(&app);
		app_free(&app);
		return rc;
	}
	const char *name = argv[i];
	const struct command *cmd = find_command(name);
	if (cmd == NULL)
		return cli_usage(MSG_UNKNOWN_COMMAND, name);
	if (i < argc && wants_help(argc - i, argv + i)) {
		fputs(msg(cmd->usage), stdout);
		return EXIT_DONE;
	}
	bool checking = cmd->run == cmd_check_config;
	int rc = EXIT_BROKEN;
	if (load_config(&app, !checking) == 0 || checking)
		rc = cmd->run(&app, argc - i, argv + i);
	app_free(&app);
	return rc;
}
