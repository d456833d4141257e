/*
 * history.h - one row of a record's audit history as people read it: the
 * action's name in the user's language and what the row changed. Shared by
 * `talentreg history` and the record view's history in the screens.
 */
#ifndef TALENTREG_HISTORY_H
#define TALENTREG_HISTORY_H

#include <stdbool.h>

#include "form.h"
#include "store.h"

/* The name of an audit action ("approve": 审核通过); an action this
 * version does not know is returned as it is stored. */
const char *history_action_label(const char *action);

/* What row did: "label: old -> new" for each field it changed (labels from
 * form f when it has the field), then its comment, joined by "; ". With
 * masked, personal fields are masked as in lists. Returns a new string,
 * empty when there is nothing to say. */
char *history_detail(const struct form *f, const struct audit_row *row, bool masked);

#endif
