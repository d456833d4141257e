/*
 * report.h - the plan's targets against what is registered: the numbers
 * behind `talentreg report` and the home screen's progress bars, computed in
 * one place for both.
 */
#ifndef TALENTREG_REPORT_H
#define TALENTREG_REPORT_H

#include "config.h"
#include "store.h"

/* Which parts to compute (a bit mask). */
enum {
	REP_TOTAL = 1, REP_TEAMS = 2, REP_CATEGORIES = 4, REP_TARGETS = 8, REP_TOWNSHIPS = 16,
	REP_ALL = 31
};

/* One line: people (distinct ID numbers) for the total, teams, targets and
 * townships; records for categories. */
struct report_line {
	const char *section;	/* "total", "team", "category", "target", "township" */
	const char *key, *label;	/* point into the configuration */
	int target;		/* 0: none */
	long approved, submitted, total;	/* total: every live status */
};

struct report {
	struct report_line *v;
	size_t n;
};

/* Computes the parts in `parts` within a's scope. Returns SR_OK or a store
 * error with *cause set; r is the caller's to report_free either way. */
int report_build(struct store *st, const struct actor *a, const struct config *c,
		 unsigned parts, struct report *r, char **cause);
void report_free(struct report *r);
/* Returns the line's approved people as a whole percentage of its target,
 * or -1 when it has none. */
int report_percent(const struct report_line *l);

#endif
