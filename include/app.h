/*
 * app.h - what every command shares: the loaded configuration, the store,
 * who is acting, and the exit statuses of the command-line contract.
 */
#ifndef TALENTREG_APP_H
#define TALENTREG_APP_H

#include <stdbool.h>

#include "check.h"
#include "config.h"
#include "record.h"
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
	/* the database's folder, which no output may enter (userfile.c) */
	bool data_dir_known;
	unsigned long data_dev, data_ino;
};

/* A command: parses its own arguments (argv[0] is its name). */
struct command {
	const char *name;
	int (*run)(struct app *app, int argc, char **argv);
	enum msg_id summary, usage;
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

/* Prints a store failure and returns its exit status. */
int app_store_error(int rc, char *cause);
/* Prints a usage error (message id with one string) and returns EXIT_USAGE. */
int app_usage(enum msg_id id, const char *arg);
/* Prints id's text with its arguments and a newline on stderr. */
void app_err(enum msg_id id, ...);
/* Prints each diagnostic line on stderr through the display sanitiser (a
 * line may quote what a configuration file held). */
void app_print_diags(const struct diags *d);
/* Prints id's text with its arguments and a newline on stdout. */
void app_out(enum msg_id id, ...);

/* Returns the category's form, or prints the error and returns NULL. */
const struct form *app_form(struct app *app, const char *category);
/* Reads key=value arguments for form f into vals, refusing unknown fields
 * and repeats; returns 0 or EXIT_USAGE (message printed). */
int app_assignments(const struct form *f, int argc, char **argv, struct kv *vals);
/* Prints every issue on stderr, one per line as "field: message". */
void app_print_issues(const struct issues *is);

/* Returns a new copy of value masked as officers see it (ID 6203****1234,
 * phone 138****5678, other pii text kept at its first character). */
char *mask_value(const struct field *f, const char *value);
/* A new copy of value v of field key of form f as it is shown: masked by
 * mask_value() when masked and the field is personal; "" for NULL. */
char *shown_value(const struct form *f, const char *key, const char *v, bool masked);
/* The same for people to read: a multi-choice value's items joined by 、
 * instead of the stored |. */
char *display_value(const struct form *f, const char *key, const char *v, bool masked);
/* One option of a command: a flag (value NULL) or one that takes a value. */
struct opt {
	const char *name;	/* "--format" */
	const char **value;	/* where the value goes, NULL for a flag */
	bool *flag;		/* set when a flag is given */
};
/* Parses argv[1..] (argv[0] is the command) into options and positional
 * arguments (pointers into argv, appended to pos); "--name value" and
 * "--name=value" both work, "--" ends the options. Returns 0, or prints the
 * problem and returns EXIT_USAGE. */
int opts_parse(int argc, char **argv, const struct opt *opts, size_t nopts,
	       const char ***pos, int *npos);

/* Opens the screens on the database (src/ui/home.c); returns when the user
 * quits. */
int ui_main(struct app *app);

/* The commands, one file each family. */
int cmd_init(struct app *app, int argc, char **argv);
int cmd_check_config(struct app *app, int argc, char **argv);
int cmd_forms(struct app *app, int argc, char **argv);
int cmd_validate(struct app *app, int argc, char **argv);
int cmd_add(struct app *app, int argc, char **argv);
int cmd_edit(struct app *app, int argc, char **argv);
int cmd_list(struct app *app, int argc, char **argv);
int cmd_show(struct app *app, int argc, char **argv);
int cmd_history(struct app *app, int argc, char **argv);
int cmd_report(struct app *app, int argc, char **argv);
int cmd_review(struct app *app, int argc, char **argv);	/* cmd_review.c */
int cmd_withdraw(struct app *app, int argc, char **argv);
int cmd_import(struct app *app, int argc, char **argv);	/* cmd_import.c */
int cmd_export(struct app *app, int argc, char **argv);	/* cmd_export.c */
int cmd_backup(struct app *app, int argc, char **argv);	/* cmd_backup.c */
int cmd_sync(struct app *app, int argc, char **argv);	/* cmd_sync.c */

#endif
