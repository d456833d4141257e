/*
 * store_plan.h - the store calls of the plan beyond registering people
 * (issue 14): the ledger's log (progress notes on tasks.ini's items, and
 * supervisors' closes and reopens), tags supervisors set on people, spot
 * checks of a township's records, the villages a coverage target covers
 * (from its running count), each record's status on a past day, and
 * officers' activity over a period. People with a tag are counted by
 * store_count's .tag. Same conventions as store.h: SR_OK or a negative store_rc, and a
 * new message in *cause on failure. Every change writes its audit row in
 * the same transaction.
 */
#ifndef TALENTREG_STORE_PLAN_H
#define TALENTREG_STORE_PLAN_H

#include <stdbool.h>

#include "store.h"

/* ---- the ledger --------------------------------------------------------- */

/* One entry of the ledger's log. */
struct task_entry {
	long id;
	const char *item;	/* "4.1" */
	const char *kind;	/* "progress" (NULL when adding), "close", "reopen" */
	const char *on_date;	/* the day the work was done, or decided (ISO) */
	bool has_amount;
	double amount;		/* things done toward the item's target (may be < 0: a correction) */
	bool done;		/* a progress note that says the item is done */
	const char *township;	/* where the work was done, or NULL */
	const char *note;	/* what was done; a close's or reopen's comment */
	const char *evidence;	/* what shows it (a document, a photo's number), or NULL */
	const char *at, *login, *as_user;	/* set by the store */
};

/* Appends e to the log of e->item as a; a progress note needs
 * ACT_TASK_PROGRESS, a close or reopen ACT_TASK_CLOSE. A close of an item
 * already closed, or a reopen of one that is not, is SR_DENIED with its
 * message (decided inside the transaction). Audit action: task_progress,
 * task_close or task_reopen, its comment naming the item. */
int store_task_add(struct store *st, const struct actor *a, const struct task_entry *e,
		   char **cause);
/* Calls cb for each entry (of item; of every item when NULL), oldest
 * first, until cb returns non-zero. The entry is valid during the call. */
int store_task_log(struct store *st, const char *item,
		   int (*cb)(const struct task_entry *e, void *arg), void *arg, char **cause);

/* ---- tags on people -------------------------------------------------------- */

struct tag_row {
	long id;
	const char *person_key, *tag, *uuid, *township, *note, *set_by, *set_at;
	const char *removed_by, *removed_at, *removed_note;	/* NULL while it is on */
	const char *name, *category;	/* of the record it was set through */
};

/* Sets tag (a key of targets.ini's [tag.KEY]) on the person of the record
 * id names (uuid or prefix), which a may tag (ACT_TAG: its townships, a
 * live record). A person who has it already is SR_NOCHANGE. */
int store_tag_set(struct store *st, const struct actor *a, const char *id, const char *tag,
		  const char *note, char **cause);
/* Takes tag off the person of record id, with a reason; the row is kept
 * (removed_*), so a report as of an earlier day still sees it. A person
 * without it is SR_NOCHANGE. */
int store_tag_remove(struct store *st, const struct actor *a, const char *id, const char *tag,
		     const char *note, char **cause);
/* Calls cb for each tag (of tag; every tag when NULL) set through a record
 * that a may view, newest first; with removed, removed ones too. */
int store_tag_list(struct store *st, const struct actor *a, const char *tag, bool removed,
		   int (*cb)(const struct tag_row *t, void *arg), void *arg, char **cause);
/* Calls cb for every tag row of every person (removed ones too), for a
 * report as of a past day; not scoped: the caller keeps to the records it
 * counts. */
int store_tag_all(struct store *st, int (*cb)(const struct tag_row *t, void *arg), void *arg,
		  char **cause);

/* ---- villages covered -------------------------------------------------- */

/* Bits of what a village's records are: any live one, an approved one, one
 * waiting for review. */
#define COVER_APPROVED 1
#define COVER_SUBMITTED 2
#define COVER_LIVE 4
/* Calls cb once for each (township, village text) that the live records of
 * coverage target `target` name in a's townships, from its running count
 * (a keyed count group: store_set_counts), with COVER_* bits of their
 * statuses; a text that lists villages comes whole, for the caller to
 * split. */
int store_coverage(struct store *st, const struct actor *a, const char *target,
		   void (*cb)(const char *town, const char *village, unsigned bits, void *arg),
		   void *arg, char **cause);

/* ---- records on a past day ------------------------------------------------- */

/* Calls cb for each record a may view (by its township now) created before
 * `before` (a UTC timestamp), with the status and values it had then: for
 * a record changed since, they are read back from its audit rows (the old
 * values of the first edit after then; the status after the last decision
 * before then; a record a site's bundle changed since keeps its status of
 * now). A record withdrawn then comes with ST_WITHDRAWN. The record is
 * valid during the call. */
int store_each_then(struct store *st, const struct actor *a, const char *before,
		    int (*cb)(const struct record *r, void *arg), void *arg, char **cause);

/* ---- spot checks ------------------------------------------------------------ */

struct sample_row {
	long id;
	const char *township, *category, *drawn_by, *drawn_at;
	int size, checked, problems;
};
struct sample_item {
	const char *uuid, *name, *category, *village, *status;
	const char *result, *note, *checked_by, *checked_at;	/* NULL until checked */
};
/* Draws a random sample of up to size live records of township (of
 * category, when not NULL), which a supervises (ACT_SUPERVISE), and
 * records it; *id is the sample's number and *drawn how many it holds. */
int store_sample_draw(struct store *st, const struct actor *a, const char *township,
		      const char *category, int size, long *id, int *drawn, char **cause);
/* Calls cb for each sample of a's townships, newest first. */
int store_sample_list(struct store *st, const struct actor *a,
		      int (*cb)(const struct sample_row *s, void *arg), void *arg, char **cause);
/* Calls cb with sample id's row, then for each of its records. */
int store_sample_show(struct store *st, const struct actor *a, long id,
		      int (*head)(const struct sample_row *s, void *arg),
		      int (*cb)(const struct sample_item *it, void *arg), void *arg, char **cause);
/* Marks the record uuid (or a prefix) of sample id checked, with a result
 * (problem or not) and a note; a record checked again gets the new result
 * (the audit keeps both). */
int store_sample_check(struct store *st, const struct actor *a, long id, const char *uuid,
		       bool problem, const char *note, char **cause);

/* ---- activity ----------------------------------------------------------------- */

struct activity_row {
	const char *login;
	long entered, edited;		/* records made; edits made */
	long returned, approved;	/* decisions on the records the login made */
	long reviewed, checked;		/* decisions the login made; spot checks done */
};
/* Calls cb for each login that did something between from and to (UTC
 * timestamps, to excluded) to records a may view, by login. */
int store_activity(struct store *st, const struct actor *a, const char *from, const char *to,
		   int (*cb)(const struct activity_row *r, void *arg), void *arg, char **cause);

#endif
