/*
 * registry.h - the one way a record is made and saved. The form's Ctrl-S,
 * add and edit, import, the demo and (when they are validated) site
 * bundles all come here, and none builds or saves a record its own way.
 * A save runs, in this order: the user's permission (before any value is
 * compared), the form's validation (normalising the values and filling
 * what a valid ID gives), the values that must be unique in the category
 * and the person, then the record's identity (person key, uuid, status),
 * and the store, in one transaction that also records the confirmed
 * warnings and, for a form, deletes its draft.
 *
 * No terminal, no printing: a result says what happened and carries every
 * problem as an issue on its field (validate.h), for the caller to show
 * beside the field or print as "key: 标签：message".
 */
#ifndef TALENTREG_REGISTRY_H
#define TALENTREG_REGISTRY_H

#include <stdbool.h>

#include "config.h"
#include "store.h"
#include "validate.h"

/* What a save needs to know: the configuration (forms, areas), the store,
 * who acts, the date today means, and the site that makes new records. */
struct registry {
	const struct config *cfg;
	struct store *st;
	const struct actor *actor;
	struct date today;
	const char *site;
};

enum reg_outcome {
	REG_SAVED,		/* saved: uuid and version are set */
	REG_ACCEPTED,		/* a batch row that will be saved with the batch */
	REG_UNCHANGED,		/* an edit that changes no value: nothing saved */
	REG_INVALID,		/* errors (in is): nothing saved */
	REG_UNCONFIRMED,	/* warnings (in is) not confirmed: nothing saved */
	REG_DENIED,		/* not the user's to do (cause): nothing saved */
	REG_FAILED		/* the store failed (store_rc, cause): nothing saved */
};

struct reg_result {
	enum reg_outcome outcome;
	struct issues is;	/* every problem found, errors and warnings */
	int store_rc;		/* the store's SR_* when it refused or failed */
	char *cause;		/* why, for REG_DENIED and REG_FAILED (owned) */
	char uuid[37];
	int version;
	bool confirmed;		/* warnings were confirmed and recorded */
};
void reg_result_free(struct reg_result *res);

struct reg_opts {
	bool confirm;		/* save despite warnings; the audit records them */
	const char *uuid;	/* a new record's uuid from the caller (a retried save) */
	bool drop_draft;	/* a new record from the form: its draft goes too */
	/* reg_add: what is saved with the record in its transaction, or the
	 * record is not saved (store_save.then: attending an event) */
	int (*then)(struct store *st, const struct actor *a, const struct record *r, void *arg,
		    char **cause);
	void *then_arg;
};

/* The outcome of the checks in res->is: REG_INVALID on errors,
 * REG_UNCONFIRMED on warnings o does not confirm, else REG_SAVED (for now),
 * with *note the confirmed warnings to record (new, or NULL). Sets
 * res->outcome and res->confirmed. Records and events (events.c) share it. */
enum reg_outcome reg_judge(struct reg_result *res, const struct reg_opts *o, char **note);

/* Returns a new message when value is already used, in field key of another
 * live record of form f's category (a field marked unique; the person, for
 * the ID), self excepted; NULL when it is free. The other record's uuid is
 * named only when the user may see it; a record the user may not see counts
 * only when saving (a check that saves nothing would be a free oracle of
 * who is registered anywhere). *cause is set on a store failure. */
char *reg_taken(const struct registry *rg, const struct form *f, const char *key,
		const char *value, const char *self, bool saving, char **cause);

/* Checks vals (normalised in place) as a save would, without saving:
 * validation, then the unique values and the person (among the records the
 * user may see: see reg_taken). Returns the number of errors; *is gets
 * every problem. */
int reg_check(const struct registry *rg, const struct form *f, struct kv *vals,
	      const char *self, struct issues *is, char **cause);

/* Adds a new record of form f with the values vals (normalised in place),
 * as submitted. */
void reg_add(const struct registry *rg, const struct form *f, struct kv *vals,
	     const struct reg_opts *o, struct reg_result *res);

/* Edits the stored record r (as store_get gave it) of form f: each key of
 * changes gets its value, an empty one clears the field; a new ID number
 * brings its own birth date and gender unless those are given too. r holds
 * the new values afterwards. */
void reg_edit(const struct registry *rg, const struct form *f, struct record *r,
	      const struct kv *changes, const struct reg_opts *o, struct reg_result *res);

/* A batch of new records of one form (an import, the demo): each row is
 * checked as reg_add would, against the category's people and unique
 * values read once at the start and the rows accepted before it; the
 * accepted rows are saved together, in one transaction. */
struct reg_batch;
/* checking: a dry run, which saves nothing (reg_taken's rule then holds
 * for the database's records the user may not see). */
int reg_batch_begin(const struct registry *rg, const struct form *f, bool checking,
		    struct reg_batch **out, char **cause);
/* Checks one row (vals normalised in place; row: its number, named when a
 * later row repeats a value) and, when it may be saved, keeps it:
 * REG_ACCEPTED. A row outside the user's townships is REG_DENIED. */
void reg_batch_row(struct reg_batch *b, struct kv *vals, long row, const struct reg_opts *o,
		   struct reg_result *res);
/* The rows accepted so far. */
size_t reg_batch_count(const struct reg_batch *b);
/* Saves the accepted rows, with their confirmed warnings, in one
 * transaction, and empties the batch (which may take more rows). A row
 * the store refuses (the person registered by another session meanwhile,
 * say) is left out and told to refused, and the rest is saved; any other
 * failure saves nothing (SR_* returned, *cause set). */
int reg_batch_save(struct reg_batch *b,
		   void (*refused)(long row, int store_rc, const char *cause, void *arg), void *arg,
		   char **cause);
void reg_batch_free(struct reg_batch *b);

/* The rules the store's merge of a bundle calls for each incoming row
 * (sync.h): the record the row stands for, in this database's names. */
struct sync_rules;
void reg_sync_rules(const struct registry *rg, struct sync_rules *out);

#endif
