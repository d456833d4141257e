/*
 * cli.h - the command layer: the command table's entries, option parsing,
 * and the printing every command shares (messages on stderr and stdout,
 * through the display sanitiser; issues one per line; a store failure as
 * its exit status). Only main.c, the cmd_*.c files and what serves them
 * alone (userfile.c) include it: the screens and the core do not.
 */
#ifndef TALENTREG_CLI_H
#define TALENTREG_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "app.h"
#include "table.h"

/* A command: parses its own arguments (argv[0] is its name). */
struct command {
	const char *name;
	int (*run)(struct app *app, int argc, char **argv);
	enum msg_id summary, usage;
};

/* Prints a store failure and returns its exit status. */
int cli_store_error(int rc, char *cause);
/* Prints a usage error (message id with one string) and returns EXIT_USAGE. */
int cli_usage(enum msg_id id, const char *arg);
/* Prints "talentreg: " and s on stderr, line by line through the display
 * sanitiser (s may quote a file or what the user typed). */
void cli_err_text(const char *s);
/* Prints id's text with its arguments and a newline on stderr. */
void cli_err(enum msg_id id, ...);
/* Prints each diagnostic line on stderr through the display sanitiser (a
 * line may quote what a configuration file held). */
void cli_print_diags(const struct diags *d);
/* Prints id's text with its arguments and a newline on stdout. */
void cli_out(enum msg_id id, ...);

/* Returns the category's form, or prints the error and returns NULL. */
const struct form *cli_form(struct app *app, const char *category);
/* Reads key=value arguments for form f into vals, refusing unknown fields
 * and repeats; returns 0 or EXIT_USAGE (message printed). */
int cli_assignments(const struct form *f, int argc, char **argv, struct kv *vals);
/* Prints every issue on stderr, one per line as "field: message". */
void cli_print_issues(const struct issues *is);

/* Prints what a save through the registry found (every issue, then why
 * nothing was saved) and returns its exit status: 0 saved or unchanged, 1
 * invalid or unconfirmed, 3 denied, the store's status when it failed. */
int cli_reg_result(const struct reg_result *res);
/* cli_reg_result for an edit, then 「未修改」 or the new version on stdout. */
int cli_edit_result(const struct reg_result *res);
/* A comment is read by people in lists and the history: one line, short. */
#define COMMENT_MAX_CHARS 500
/* Checks a comment or note given on the command line: trimmed, one line
 * with no control or format characters, at most COMMENT_MAX_CHARS. *out
 * is the new trimmed text, or NULL when none was given (or only white
 * space). Returns 0, or prints the problem (missing, when required and
 * none given) and returns EXIT_USAGE. */
int cli_comment(const char *given, bool required, enum msg_id missing, char **out);

/* Returns the index of given among the n names (case ignored), or -1. */
int cli_format_find(const char *given, const char *const *names, size_t n);
/* Reads a --format value: one of the n names (case ignored), its index in
 * *out; def when given is NULL. Prints and returns EXIT_USAGE when unknown. */
int cli_format(const char *given, const char *const *names, size_t n, int def, int *out);
/* The same for the formats of a table (table.h): table, csv or json. */
int cli_table_format(const char *given, enum out_format *out);
/* What a listing command's row callbacks share: the run, the table they
 * fill and the format it is printed in. */
struct cli_list {
	struct app *app;
	struct table t;
	enum out_format fmt;
};
/* Ends a listing: prints c's table when the store's src is SR_OK, else the
 * store's error (cause, freed); frees the table. Returns the exit status. */
int cli_list_end(struct cli_list *c, int src, char *cause);

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
/* The same for a command that takes options only: a positional argument is
 * a usage error (printed). Returns 0 or EXIT_USAGE. */
int opts_only(int argc, char **argv, const struct opt *opts, size_t nopts);

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
int cmd_task(struct app *app, int argc, char **argv);	/* cmd_plan.c */
int cmd_tag(struct app *app, int argc, char **argv);	/* cmd_plan.c */
int cmd_sample(struct app *app, int argc, char **argv);	/* cmd_supervise.c */
int cmd_activity(struct app *app, int argc, char **argv);	/* cmd_supervise.c */
int cmd_event(struct app *app, int argc, char **argv);	/* cmd_events.c */
/* event import: a sign-in sheet's people added to an event (cmd_import.c
 * reads it, maps its columns and writes its rejects, as import's). */
int import_attendance(struct app *app, int argc, char **argv);
struct event;
struct attend_result;
/* Prints what an attendance did (cmd_events.c) and returns its exit status. */
int cli_attend_result(struct app *app, const struct event *e, const struct attend_result *r);

#endif
