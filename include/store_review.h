/*
 * store_review.h - the store's calls for review and privacy that are more
 * than a status change (store_transition in store.h does those): reading a
 * record unmasked, which is itself a recorded action.
 */
#ifndef TALENTREG_STORE_REVIEW_H
#define TALENTREG_STORE_REVIEW_H

#include "store.h"

/* Reads the record id names, as store_get does, for a full view of its ID
 * number and phone: asks auth_check(ACT_VIEW_FULL) and appends the
 * "view_full" audit row in one transaction, so that nobody sees them
 * unmasked without a trace. A refusal is SR_DENIED and leaves no row.
 * *out is new; free it with record_free() and free(). */
int store_get_full(struct store *st, const struct actor *a, const char *id,
		   struct record **out, char **cause);

#endif
