/*
 * app.h - the context of one run, which the commands and the screens
 * share: the loaded configuration, the store, who is acting (and as whom),
 * today, and the exit statuses of the command-line contract. The command
 * layer's own helpers are in cli.h; how values are shown, in present.h.
 */
#ifndef TALENTREG_APP_H
#define TALENTREG_APP_H

#include <stdbool.h>

#include "check.h"
#include "config.h"
#include "record.h"
#include "registry.h"
#include "store.h"
#include "validate.h"

/* Exit statuses: the contract of DESIGN.md. */
enum {
	EXIT_DONE = 0,
	EXIT_INVALID = 1,	/* invalid data: a record or rows rejected */
	EXIT_USAGE = 2,		/* unknown command, category or field, bad option */
	EXIT_DENIED = 3,	/* role, scope, locked record, unknown user */
	EXIT_BROKEN = 4	/* configuration or storage failure */
};

struct app {
	const char *config_dir;
	const char *db_path;
	const char *as_login;	/* --as, NULL when not given */
	struct config *cfg;
	struct store *st;
	char *login;		/* the operating-system login */
	struct user *first_admin;	/* synthesised when the login is the first admin */
	const struct user *me;	/* whose rights apply */
	struct actor actor;
	struct date today;
	struct registry reg;	/* the one way to save a record: app_open sets it */
	/* the database's folder, which no output may enter (userfile.c) */
	bool data_dir_known;
	unsigned long data_dev, data_ino;
};

/* Opens the database (create: for init) and settles who acts: the login
 * must be in users.ini or be the database's first admin; --as is for admins
 * only. An installed program opens the database with its group and then
 * gives the group up for good (priv.h), so every file opened after this is
 * opened with the caller's rights. Prints the reason and returns an exit
 * status on failure, else 0. */
int app_open(struct app *app, bool create);
/* Returns the operating-system login as a new string. */
char *app_os_login(void);
/* Settles who acts for a database that init has just made. */
int app_identify(struct app *app);

/* Opens the screens on the database (src/ui/home.c); returns when the user
 * quits. */
int ui_main(struct app *app);

#endif
