/*
 * cmd_backup.c - backup: a copy of the live database made with SQLite's
 * backup API (store_backup) into an outfile.h file (atomic, mode 0600),
 * never over the database itself, and recorded in the audit; a backup that
 * cannot be recorded is removed. Admins only.
 */
#include <stdlib.h>
#include <unistd.h>

#include "app.h"
#include "outfile.h"
#include "store_xfer.h"

int cmd_backup(struct app *app, int argc, char **argv)
{
	const char **pos;
	int npos;
	int rc = opts_parse(argc, argv, NULL, 0, &pos, &npos);
	const char *file = npos > 0 ? pos[0] : NULL;
	if (rc == EXIT_DONE && npos < 1)
		rc = app_usage(MSG_MISSING_ARGUMENT, "FILE");
	else if (rc == EXIT_DONE && npos > 1)
		rc = app_usage(MSG_EXTRA_ARGUMENT, pos[1]);
	free(pos);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	enum msg_id why = MSG_DENIED_ROLE;
	if (rc == EXIT_DONE && auth_check(app->me, ACT_ADMIN, NULL, &why) < 0) {
		app_err(MSG_DENIED, msg(why));
		rc = EXIT_DENIED;
	}
	if (rc == EXIT_DONE)
		rc = outfile_check(app, file);
	struct outfile o;
	if (rc == EXIT_DONE)
		rc = outfile_open(&o, file, false);
	if (rc != EXIT_DONE)
		return rc;
	int pages = 0;
	char *cause = NULL;
	int src = store_backup(app->st, &app->actor, o.tmp, &pages, &cause);
	if (src != SR_OK) {
		outfile_abort(&o);
		return app_store_error(src, cause);
	}
	if ((rc = outfile_commit(&o)) != EXIT_DONE)
		return rc;
	char *detail = xasprintf("pages=%d file=%s", pages, file);
	src = store_audit(app->st, &app->actor, "backup", detail, &cause);
	free(detail);
	if (src != SR_OK) {
		unlink(file);
		return app_store_error(src, cause);
	}
	app_out(MSG_BACKUP_DONE, file, pages);
	return EXIT_DONE;
}
