/*
 * demo.h - realistic sample records for the demo database and benchmarks:
 * valid ID numbers and phones, plausible Chinese names, values that pass
 * every field attribute and rule of the form. Deterministic for a seed.
 * And the plan's side of the demo: ledger progress and tags.
 */
#ifndef TALENTREG_DEMO_H
#define TALENTREG_DEMO_H

#include <stdint.h>

#include "check.h"
#include "config.h"
#include "record.h"
#include "store.h"

/* Fills vals (empty on entry) with a sample record for category form f that
 * validate_record() accepts without errors or warnings; *seed is the state of
 * the generator and advances. Returns 0, or -1 when no valid record came out
 * of 50 tries (the form has a rule the generator does not know). */
int demo_record(const struct config *cfg, const struct form *f, const struct date *today,
		uint64_t *seed, struct kv *vals);

/* The demo's share of the plan (demo_plan.c), once its records exist:
 * progress notes on the ledger's items as a (the admin), one item closed
 * and a few people tagged by supervisor (a supervisor over every township;
 * NULL: none of those). *noted and *tagged say how many. Returns SR_OK or
 * a store error with *cause. */
int demo_plan(struct store *st, const struct config *c, const struct actor *a,
	      const struct user *supervisor, const struct date *today, int *noted, int *tagged,
	      char **cause);

/* The demo's events (demo_events.c), once its records exist: classes,
 * trainings and the science week, with attendees of the categories each
 * serves (some in two classes, two registered on the spot), approved by
 * supervisor (NULL: left submitted). *events and *attendees say how many.
 * A database that has events already gets none. */
/* The local date (YYYY-MM-DD) days before today, in out: the demo's
 * events and ledger notes are dated back from today. */
void demo_day_before(const struct date *today, int days, char out[11]);
struct registry;
int demo_events(const struct registry *rg, const struct user *supervisor, int *events,
		int *attendees, char **cause);

#endif
