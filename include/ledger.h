/*
 * ledger.h - the plan's ledger (工作台账) as people read it: each item of
 * tasks.ini with its state (未开始, 推进中, 已完成, 已销号), whether it is
 * overdue, and its progress: things done (the sum of its progress notes'
 * amounts) against its target, or the approved count of the report line
 * it follows. Computed from the store's log and a report (report.h), now
 * or as of a day. No terminal, no printing: the commands, the report and
 * the ledger screen all read it.
 */
#ifndef TALENTREG_LEDGER_H
#define TALENTREG_LEDGER_H

#include <stdbool.h>

#include "check.h"
#include "config.h"
#include "report.h"
#include "store.h"

enum item_state { IT_NOT_STARTED, IT_IN_PROGRESS, IT_DONE, IT_CLOSED };

struct ledger_item {
	const struct item *item;
	enum item_state state;
	bool overdue;		/* past its deadline, neither done nor closed */
	double amount;		/* things done: the sum of the notes' amounts */
	long progress;		/* what is shown: amount, or the line's approved count */
	int target;		/* the item's, or its line's; 0 none */
	const char *measure;	/* 个, 家; 人 or 个村 for a counted line; NULL none */
	int notes;		/* progress notes */
	bool marked_done;	/* a note said it is done */
	char *last_date, *last_note;	/* the latest note, NULL none */
	char *closed_on, *closed_by, *close_note;	/* the close, while closed */
};

struct ledger {
	struct ledger_item *v;
	size_t n;
};

/* Builds the ledger of c's items from the store's log, with the counts of
 * r (a report with its total, team and target lines), as of the day as_of
 * (notes of later days and later decisions left out; deadlines judged on
 * that day). Returns SR_OK or a store error with *cause; the caller frees
 * out with ledger_free either way. */
int ledger_build(struct store *st, const struct config *c, const struct report *r,
		 const struct date *as_of, struct ledger *out, char **cause);
void ledger_free(struct ledger *l);
/* Returns the item's line, or NULL. */
const struct ledger_item *ledger_find(const struct ledger *l, const char *id);
/* The state's name as stored in JSON ("closed") and as people read it. */
const char *item_state_name(enum item_state s);
const char *item_state_label(enum item_state s);
/* Returns a new text of the item's progress, "2 / 3 个" or "—". */
char *ledger_progress_text(const struct ledger_item *it);

#endif
