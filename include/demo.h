/*
 * demo.h - realistic sample records for the demo database and benchmarks:
 * valid ID numbers and phones, plausible Chinese names, values that pass
 * every field attribute and rule of the form. Deterministic for a seed.
 */
#ifndef TALENTREG_DEMO_H
#define TALENTREG_DEMO_H

#include <stdint.h>

#include "check.h"
#include "config.h"
#include "record.h"

/* Fills vals (empty on entry) with a sample record for category form f that
 * validate_record() accepts without errors or warnings; *seed is the state of
 * the generator and advances. Returns 0, or -1 when no valid record came out
 * of 50 tries (the form has a rule the generator does not know). */
int demo_record(const struct config *cfg, const struct form *f, const struct date *today,
		uint64_t *seed, struct kv *vals);

#endif
