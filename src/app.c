/*
 * app.c - the context of a run (app.h): opening the store (with the
 * installed program's privilege rules, priv.h), the running counts it
 * keeps, and settling who acts.
 */
#include "app.h"

#include <errno.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "priv.h"
#include "report.h"

char *app_os_login(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw ? xstrdup(pw->pw_name) : xasprintf("uid%u", (unsigned)getuid());
}

/* The first admin of a database may be missing from users.ini: it gets an
 * admin's rights over all townships. */
static const struct user *lookup(struct app *app, const char *login, const char *first)
{
	const struct user *u = config_user(app->cfg, login);
	if (u || !str_eq(login, first))
		return u;
	if (app->first_admin == NULL) {
		app->first_admin = xcalloc(1, sizeof *app->first_admin);
		app->first_admin->login = xstrdup(login);
		app->first_admin->role = ROLE_ADMIN;
	}
	return app->first_admin;
}

int app_identify(struct app *app)
{
	char *first = NULL, *cause = NULL;
	int rc = store_meta_get(app->st, "first_admin", &first, &cause);
	if (rc != SR_OK)
		return cli_store_error(rc, cause);
	if (app->login == NULL)
		app->login = app_os_login();
	const struct user *real = lookup(app, app->login, first);
	const struct user *me = real;
	int status = EXIT_DONE;
	if (real == NULL) {
		cli_err(MSG_UNKNOWN_USER, app->login);
		status = EXIT_DENIED;
	} else if (app->as_login && !str_eq(app->as_login, app->login)) {
		if (real->role != ROLE_ADMIN) {
			cli_err(MSG_AS_ADMIN_ONLY);
			status = EXIT_DENIED;
		} else if ((me = lookup(app, app->as_login, first)) == NULL) {
			cli_err(MSG_UNKNOWN_USER, app->as_login);
			status = EXIT_DENIED;
		}
	}
	free(first);
	app->me = me;
	app->actor = (struct actor){me, app->login};
	return status;
}

/* Below this many records a recount is too quick to announce. */
#define RECOUNT_NOTICE_MIN 20000

/* The store keeps running counts of people by team and by the plan's
 * targets: tell it the forms' teams and targets.ini's targets. */
static int set_counts(struct app *app, char **cause)
{
	/* counting everyone again takes a while in a large registry (about a
	 * minute for 1,000,000 records): say why a person at a terminal waits */
	bool stale = false;
	long records = 0;
	if (isatty(STDERR_FILENO) &&
	    report_counts(app->st, app->cfg, true, &stale, &records, NULL) == SR_OK && stale &&
	    records >= RECOUNT_NOTICE_MIN)
		cli_err(MSG_RECOUNTING, (int)records);
	return report_counts(app->st, app->cfg, false, NULL, NULL, cause);
}

/* Opens the database; an installed program holds its group for this alone
 * (priv.c, rules 2, 4 and 5). */
static int open_db(struct app *app, const char *path, bool create)
{
	char *cause = NULL;
	if (priv_open_begin(path, &cause) < 0) {
		cli_err_text(cause);
		free(cause);
		return EXIT_BROKEN;
	}
	struct stat sb;
	if (priv_installed() && !priv_may_create(path) && lstat(path, &sb) != 0 &&
	    errno == ENOENT) {
		cli_err(create ? MSG_PRIV_NO_CREATE : MSG_STORE_NO_DB_INSTALLED, path);
		return create ? EXIT_DENIED : EXIT_BROKEN;
	}
	int rc = store_open(path, create, &app->st, &cause);
	/* the group goes now, whatever happened: nothing after this may use it */
	char *why = NULL;
	if (priv_drop(&why) < 0) {
		cli_err_text(why);
		free(why);
		free(cause);
		exit(EXIT_BROKEN);
	}
	if (rc != SR_OK)
		return cli_store_error(rc, cause);
	char *copy = xstrdup(path);
	if (stat(dirname(copy), &sb) == 0) {
		app->data_dir_known = true;
		app->data_dev = (unsigned long)sb.st_dev;
		app->data_ino = (unsigned long)sb.st_ino;
	}
	free(copy);
	return EXIT_DONE;
}

int app_open(struct app *app, bool create)
{
	const char *env = getenv("TALENTREG_DB");
	const char *path = app->db_path ? app->db_path : !str_empty(env) ? env : app->cfg->db_path;
	char *cause = NULL;
	int y, m, d;
	today(&y, &m, &d);
	app->today = (struct date){y, m, d};
	int rc = open_db(app, path, create);
	if (rc != EXIT_DONE)
		return rc;
	int src = set_counts(app, &cause);
	if (src != SR_OK) {
		store_close(app->st);
		app->st = NULL;
		return cli_store_error(src, cause);
	}
	app->db_path = path;
	app->reg = (struct registry){app->cfg, app->st, &app->actor, app->today, app->cfg->site_id};
	return create ? EXIT_DONE : app_identify(app);
}
