/*
 * store.h - the storage seam: one SQLite file holding records, the
 * append-only audit, drafts and meta data. Only the src/store*.c files
 * speak SQL (src/store_int.h says which owns what). Every call that touches
 * a record asks auth_check() first, inside the same transaction as the
 * change.
 *
 * Every function returns SR_OK (0) or a negative store_rc; on failure *cause
 * (when cause is not NULL) receives a new user-facing message in the current
 * language, which the caller frees.
 */
#ifndef TALENTREG_STORE_H
#define TALENTREG_STORE_H

#include <stdbool.h>

#include "auth.h"
#include "config.h"
#include "record.h"
#include "util.h"

#define STORE_SCHEMA_VERSION 13

enum store_rc {
	SR_OK = 0,
	SR_FAIL = -1,		/* storage failure (exit 4) */
	SR_DENIED = -2,		/* auth_check refused, or a locked record (exit 3) */
	SR_NOTFOUND = -3,	/* no such record, or not in the actor's scope (exit 3 or 1) */
	SR_DUP = -4,		/* the person is already registered in the category (exit 1) */
	SR_STALE = -5,		/* the record changed since it was read (exit 1) */
	SR_AMBIGUOUS = -6,	/* a uuid prefix matched several records (exit 2) */
	SR_NOCHANGE = -7,	/* it is so already: a tag set twice, or removed when not there (exit 1) */
	SR_INVALID = -8		/* data the rules refuse, e.g. a site's row (exit 1) */
};

struct store;

/* Who acts: the user whose rights apply, and the real login behind it (which
 * differs when an admin uses --as). */
struct actor {
	const struct user *user;
	const char *real_login;
};

/* Opens the database at path. With create, a missing file is made (mode
 * 0660, whatever the umask); without it, a missing file is SR_FAIL with a
 * message that says to run init. Sets WAL, synchronous=FULL, busy_timeout,
 * foreign_keys, and migrates the schema (PRAGMA user_version) in one
 * transaction. A missing folder is SR_FAIL with its own message. */
int store_open(const char *path, bool create, struct store **out, char **cause);
void store_close(struct store *st);
/* Returns the schema version of the open database. */
int store_schema_version(struct store *st);

/* Meta data (e.g. "first_admin", "site_id"): *val is a new string or NULL
 * when unset. store_meta_set_once sets key only when it is unset and stores
 * the value it ends with in *val (new string). */
int store_meta_get(struct store *st, const char *key, char **val, char **cause);
int store_meta_set_once(struct store *st, const char *key, const char *value,
			char **val, char **cause);

/* What else a save does in its transaction (every member may be NULL). */
struct store_save {
	const char *note;		/* into the audit row: the warnings confirmed */
	const char *const *notes;	/* store_add_many: one per record, over note */
	const char *draft_form;		/* store_add: the actor's draft of this form goes */
	/* called after each record is added, inside the same transaction: what
	 * must be saved with it or not at all (a person registered on the spot
	 * attends the event: store_events.h); a failure rolls everything back */
	int (*then)(struct store *st, const struct actor *a, const struct record *r, void *arg,
		    char **cause);
	void *then_arg;
};

/* Adds r (uuid, category, status, person_key, the searchable copies and vals
 * filled by the caller; created/updated/version/site set here from a and
 * site). A uuid already stored is a retried save: nothing changes and SR_OK.
 * Another live (not withdrawn) record of the same person in the category is
 * SR_DUP, with that record's uuid in *cause. The records are made through
 * registry.h, which checks everything first: call it, not this. */
int store_add(struct store *st, const struct actor *a, struct record *r,
	      const char *site, const struct store_save *how, char **cause);
/* Adds many records in one transaction (same rules as store_add; the first
 * failure rolls all back and *failed tells its index). */
int store_add_many(struct store *st, const struct actor *a, struct record **rs,
		   size_t n, const char *site, const struct store_save *how, size_t *failed,
		   char **cause);

/* Reads the record whose uuid is id, or starts with id (8 or more
 * characters). Not found and out of scope are both SR_NOTFOUND. *out is new;
 * free it with record_free() and free(). */
int store_get(struct store *st, const struct actor *a, const char *id,
	      struct record **out, char **cause);

/* Replaces the values (and searchable copies) of the stored record r->uuid
 * with those of r, when its version is still r->version; bumps the version,
 * writes an audit row with old and new values. A returned record becomes
 * submitted again. */
int store_update(struct store *st, const struct actor *a, struct record *r,
		 const struct store_save *how, char **cause);

/* Changes a record's status by a review or workflow action (ACT_SUBMIT,
 * ACT_WITHDRAW, ACT_APPROVE, ACT_RETURN, ACT_UNLOCK) with an optional
 * comment (required for return and unlock: SR_FAIL without one is the
 * caller's to prevent). */
int store_transition(struct store *st, const struct actor *a, const char *id,
		     enum action act, const char *comment, char **cause);

/* What list and browse ask for; NULL or -1 members do not filter. Results
 * come newest first (updated_at, then uuid); after_updated/after_uuid, when
 * set, continue after that row (keyset paging, never OFFSET). */
struct list_query {
	const char *category;
	const struct strv *categories;	/* several (a team's), NULL or empty: any */
	int status;		/* enum status, or -1 */
	const char *township;
	const char *village;
	const char *search;	/* name or village (1-2 characters too), the visible
				 * digits of an ID or phone, or a whole one */
	int lookups_per_day;	/* an officer's searches by a whole number a day, 0: any */
	int limit;		/* 0: no limit */
	const char *after_updated, *after_uuid;
	bool oldest_first;	/* the review queue: oldest first */
	const char *created_by;	/* only records this login made */
};
/* A whole ID or phone number that a looked up (a search, or an ID at an
 * event that finds someone outside a's townships or nobody): audited once a
 * day per number and login; SR_DENIED past an officer's limit a day (0:
 * any), in which an ID the user then registered does not count. */
int store_note_lookup(struct store *st, const struct actor *a, const char *number, int limit,
		      char **cause);

/* Calls cb for each record in a's scope that matches q, until cb returns
 * non-zero. The record passed is valid only during the call. */
int store_list(struct store *st, const struct actor *a, const struct list_query *q,
	       int (*cb)(const struct record *r, void *arg), void *arg, char **cause);

/* Counts the records store_list would give for q, its paging included
 * (after_updated/after_uuid: those after that row in q's order) but not its
 * limit, and at most max + 1 of them (max 0: all): *n > max says "more
 * than max", so that a count never costs more than a bounded walk. A search
 * for a whole ID or phone number is a look-up, recorded and limited as
 * store_list's. Without a search or paging the count comes from the
 * running counts, exactly. */
int store_list_count(struct store *st, const struct actor *a, const struct list_query *q,
		     long max, long *n, char **cause);

struct audit_row {
	long id;
	const char *at, *login, *as_user, *action, *uuid, *old_vals, *new_vals, *comment;
};
/* Calls cb for each audit row of the record (oldest first), when a may view it. */
int store_history(struct store *st, const struct actor *a, const char *id,
		  int (*cb)(const struct audit_row *row, void *arg), void *arg, char **cause);

/* Appends to cats the categories (other than exclude_category) in which the
 * person has a live record. */
int store_person_categories(struct store *st, const char *person_key,
			    const char *exclude_category, struct strv *cats, char **cause);

/* Finds another live record of the category whose field key has value
 * (key NULL: whose person key is value); *uuid is its uuid (new string) or
 * NULL when there is none. exclude_uuid, when set, is the record being
 * edited. Not scoped: uniqueness is district-wide, and only the uuid is
 * told (registry.c names it only to who may see that record). */
int store_value_taken(struct store *st, const char *category, const char *key,
		      const char *value, const char *exclude_uuid, char **uuid, char **cause);

/* A condition of a counted target: the field (a plain key) holds one of
 * the values; of a multi-choice field (multi), one of its items does. */
struct store_cond {
	const char *field;
	const struct strv *values;
	bool multi;
};
/* A target of targets.ini as the store counts it: the people of its
 * categories whose values meet every condition. The short form names one
 * category and at most one condition (field NULL: none); categories and
 * conds, when set, take their place. With keyed, what is counted is the
 * values of that field (plain key) instead of people: a coverage target's
 * villages (or its texts listing villages), per township. */
struct store_target {
	const char *key, *category, *field, *value;
	const struct strv *categories;	/* NULL: just category */
	const struct store_cond *conds;	/* NULL: just field=value */
	size_t nconds;
	const char *keyed;		/* NULL: people */
};
/* Tells the store what it keeps running counts of people by: the team of
 * each category (the forms say so; teams[i] is the team of categories[i])
 * and the targets. When that differs from what the database has, its
 * counts of people are rebuilt, in one transaction. */
int store_set_counts(struct store *st, const struct strv *categories, const struct strv *teams,
		     const struct store_target *targets, size_t ntargets, char **cause);
/* Sets *stale when store_set_counts() with the same arguments would count
 * everyone again, and then *records to how many records that means. */
int store_counts_stale(struct store *st, const struct strv *categories, const struct strv *teams,
		       const struct store_target *targets, size_t ntargets, bool *stale,
		       long *records, char **cause);

/* Counts for the report, within a's scope. categories NULL/empty: all;
 * status -1: any live (not withdrawn); township NULL: all; where_field and
 * where_value, when set, keep records whose value of that field equals it,
 * and conds those that meet every one of its conditions.
 * *records counts records, *people distinct person keys. */
struct count_query {
	const struct strv *categories;
	int status;
	const char *township;
	const char *where_field, *where_value;
	const struct store_cond *conds;	/* and these, all of them (nconds) */
	size_t nconds;
	const char *tag;	/* when set: only people who carry this tag (store_plan.h) */
	const char *created_by;	/* when set: only records this login made */
	const char *team;	/* when set: people of this team ("*": all teams),
				 * from the running counts (categories and where
				 * are not used, and *records is not counted) */
	const char *target;	/* the same for a target given to store_set_counts */
};
int store_count(struct store *st, const struct actor *a, const struct count_query *q,
		long *records, long *people, char **cause);

/* Drafts: one per login and form key; vals_json is a JSON object. */
int store_draft_save(struct store *st, const char *login, const char *form,
		     const char *vals_json, char **cause);
/* Appends the form keys of login's drafts to forms and their times to
 * times, newest first. */
int store_draft_list(struct store *st, const char *login, struct strv *forms,
		     struct strv *times, char **cause);
/* *vals_json is a new string, or NULL when there is no draft. */
int store_draft_load(struct store *st, const char *login, const char *form,
		     char **vals_json, char **cause);
int store_draft_delete(struct store *st, const char *login, const char *form, char **cause);

/* Appends an audit row that is not about one record (init, export). */
int store_audit(struct store *st, const struct actor *a, const char *action,
		const char *detail, char **cause);

#endif
