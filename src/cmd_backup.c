/*
 * cmd_backup.c - backup: a copy of the live database made with SQLite's
 * backup API (store_backup) into a userfile.h output (atomic, mode 0600,
 * never in the data folder), recorded in the audit before the file is put
 * in place. Admins only.
 */
#include <stdlib.h>

#include "cli.h"
#include "store_xfer.h"
#include "userfile.h"

int cmd_backup(struct app *app, int argc, char **argv)
{
	const char **pos;
	int npos;
	int rc = opts_parse(argc, argv, NULL, 0, &pos, &npos);
	const char *file = npos > 0 ? pos[0] : NULL;
	if (rc == EXIT_DONE && npos < 1)
		rc = cli_usage(MSG_MISSING_ARGUMENT, "FILE");
	else if (rc == EXIT_DONE && npos > 1)
		rc = cli_usage(MSG_EXTRA_ARGUMENT, pos[1]);
	free(pos);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	enum msg_id why = MSG_DENIED_ROLE;
	if (rc == EXIT_DONE && auth_check(app->me, ACT_ADMIN, NULL, &why) < 0) {
		cli_err(MSG_DENIED, msg(why));
		rc = EXIT_DENIED;
	}
	struct outfile o;
	if (rc == EXIT_DONE)
		rc = outfile_open(app, &o, file, false);
	if (rc != EXIT_DONE)
		return rc;
	int pages = 0;
	char *cause = NULL;
	int src = store_backup(app->st, &app->actor, o.name, &pages, &cause);
	if (src == SR_OK) {
		char *detail = xasprintf("pages=%d file=%s", pages, file);
		src = store_audit(app->st, &app->actor, "backup", detail, &cause);
		free(detail);
	}
	if (src != SR_OK) {
		outfile_abort(&o);
		return cli_store_error(src, cause);
	}
	if ((rc = outfile_commit(&o)) != EXIT_DONE)
		return rc;
	cli_out(MSG_BACKUP_DONE, file, pages);
	return EXIT_DONE;
}
