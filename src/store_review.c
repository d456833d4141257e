/*
 * store_review.c - the review and privacy calls of store_review.h, over the
 * store's shared internals (store_int.h): like every write, each runs in one
 * BEGIN IMMEDIATE transaction with its auth_check() on the stored row.
 */
#include "store_review.h"
#include "store_int.h"

#include <assert.h>
#include <stdlib.h>

int store_get_full(struct store *st, const struct actor *a, const char *id,
		   struct record **out, char **cause)
{
	assert(st && a && a->user && out);
	*out = NULL;
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	struct record *r = xcalloc(1, sizeof *r);
	ret = st_find_record(st, a, id, r, cause);
	if (ret == SR_OK)
		ret = st_check_record(a, ACT_VIEW_FULL, r, cause);
	if (ret == SR_OK) {
		char *now = now_iso();
		ret = st_audit_add(st, a, now, action_name(ACT_VIEW_FULL), r->uuid, NULL, NULL,
				   NULL, cause);
		free(now);
	}
	ret = st_tx_end(st, ret, cause);
	if (ret != SR_OK) {
		record_free(r);
		free(r);
		return ret;
	}
	*out = r;
	return SR_OK;
}
