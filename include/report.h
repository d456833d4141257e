/*
 * report.h - the plan's targets against what is registered: the numbers
 * behind `talentreg report`, the home screen's progress bars and the
 * ledger's counted items, computed in one place for all of them. Now from
 * the running counts (fast), or as of a past day from every record's state
 * then (report_then.c, for the year-end report), with the same lines.
 */
#ifndef TALENTREG_REPORT_H
#define TALENTREG_REPORT_H

#include "check.h"
#include "config.h"
#include "store.h"

/* Which parts to compute (a bit mask). */
enum {
	REP_TOTAL = 1, REP_TEAMS = 2, REP_CATEGORIES = 4, REP_TARGETS = 8, REP_TOWNSHIPS = 16,
	REP_COVERAGE = 32,	/* each coverage target's villages, per township */
	REP_VILLAGES = 64,	/* people per village (as of a day only) */
	REP_ALL = 63
};

/* One line: people (distinct ID numbers) for the total, teams, targets,
 * townships and villages; records for categories; villages for coverage
 * targets. */
struct report_line {
	const char *section;	/* "total", "team", "category", "target", "township", "village" */
	const char *key, *label;	/* point into the configuration */
	const char *town;	/* a village line's township, else NULL */
	const char *kind;	/* "people", "records", "coverage", "tag" */
	int target;		/* 0: none */
	bool split;		/* the target is the user's townships' share (targets.ini) */
	long approved, submitted, total;	/* total: every live status */
};

/* A coverage target in one township: which of its villages have a person
 * of the target (approved), and which have only one waiting for review. */
struct report_cover {
	const char *key;	/* the target's */
	const char *town;
	int villages;		/* of areas.ini */
	int approved, any;	/* villages covered by an approved record; by any live one */
	struct strv missing;	/* villages without an approved record, in areas.ini's order */
	struct strv pending;	/* those of them with a record waiting for review */
};

/* The line people read of cv: its township, the villages covered, and
 * those still missing (and waiting for review), new. */
char *report_cover_line(const struct report_cover *cv);

struct report {
	struct report_line *v;
	size_t n;
	struct report_cover *cover;
	size_t ncover;
	char *as_of;		/* the day counted (ISO), NULL: now */
};

/* The running counts the report reads: tells the store the forms' teams and
 * the targets of targets.ini it counts as records change (people, not by a
 * tag), which counts everyone again when they differ from the database's
 * (store_set_counts); with check, only says whether it would, and over how
 * many records (store_counts_stale). */
int report_counts(struct store *st, const struct config *c, bool check, bool *stale,
		  long *records, char **cause);
/* Computes the parts in `parts` within a's scope, now. Returns SR_OK or a
 * store error with *cause set; r is the caller's to report_free either way. */
int report_build(struct store *st, const struct actor *a, const struct config *c,
		 unsigned parts, struct report *r, char **cause);
/* The same as of the end of day as_of (ISO): records created by then,
 * with their status and values then (store_each_then), tags set by then;
 * REP_VILLAGES adds a line per village. Reads every record: slower. */
int report_build_then(struct store *st, const struct actor *a, const struct config *c,
		      unsigned parts, const struct date *as_of, struct report *r, char **cause);
void report_free(struct report *r);
/* Returns the line's approved people as a whole percentage of its target,
 * or -1 when it has none. */
int report_percent(const struct report_line *l);
/* Returns the line of section and key, or NULL. */
const struct report_line *report_find(const struct report *r, const char *section,
				      const char *key);
/* The line a ledger item's `counts` names: "total", "team.KEY" or a
 * target's key; NULL when the report has none. */
const struct report_line *report_counted(const struct report *r, const char *counts);

/* ---- what report.c and report_then.c share ---- */

/* A target's kind as the report names it: people, tag (people with a
 * tag), coverage, events, trainees, hours. */
const char *report_kind_name(enum target_kind k, bool tag);
/* Fills the counts of l, the line of a target of events t, counted on the
 * spot: its events (held in its period, and by last_day when not NULL)
 * and attendance added before before (NULL: now), by status. */
int report_event_counts(struct store *st, const struct actor *a, const struct target *t,
			const char *before, const char *last_day, struct report_line *l,
			char **cause);

/* Appends a line; its target is the district's, or the user's townships'
 * share of it when targets.ini splits it for every one of them (what:
 * "total", "team.KEY", "target.KEY"). */
struct report_line *report_add_line(struct report *r, const struct config *c,
				    const struct user *u, const char *section, const char *key,
				    const char *label, const char *kind, const char *what,
				    int district);
/* Appends township name's line (people, against its share of the total
 * when targets.ini splits it, else against none). */
struct report_line *report_add_township(struct report *r, const struct config *c,
					const char *name);
/* The coverage of target t from what the records say: town and village
 * text (a by_list text is split) with COVER_* bits; report_cover_end
 * turns them into its line (r->v[line], added before) and, with
 * REP_COVERAGE, its townships' details; it frees acc. */
struct cover_acc;
struct cover_acc *report_cover_begin(const struct config *c, const struct target *t);
void report_cover_note(const char *town, const char *village, unsigned bits, void *acc);
void report_cover_end(struct cover_acc *acc, const struct user *u, struct report *r,
		      size_t line, unsigned parts);

#endif
