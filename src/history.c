/*
 * history.c - a record's audit rows as people read them (history.h).
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "present.h"
#include "record.h"
#include "util.h"

static const struct {
	const char *action;
	enum msg_id label;
} labels[] = {
	{"create", MSG_ACTION_CREATE},
	{"edit", MSG_ACTION_EDIT},
	{"submit", MSG_ACTION_SUBMIT},
	{"withdraw", MSG_ACTION_WITHDRAW},
	{"approve", MSG_ACTION_APPROVE},
	{"return", MSG_ACTION_RETURN},
	{"unlock", MSG_ACTION_UNLOCK},
	{"view_full", MSG_ACTION_VIEW_FULL},
	{"override", MSG_ACTION_OVERRIDE},
	{"sync", MSG_ACTION_SYNC},
	{"sync_conflict", MSG_ACTION_SYNC_CONFLICT},
	{"sync_take", MSG_ACTION_SYNC_TAKE},
	{"sync_keep", MSG_ACTION_SYNC_KEEP},
	{"lookup", MSG_ACTION_LOOKUP},
	{"tag", MSG_ACTION_TAG},
	{"untag", MSG_ACTION_UNTAG},
	{"sample_check", MSG_ACTION_SAMPLE_CHECK},
	/* an event's rows (store_events.c) */
	{"event_create", MSG_ACTION_CREATE},
	{"event_edit", MSG_ACTION_EDIT},
	{"event_submit", MSG_ACTION_SUBMIT},
	{"event_withdraw", MSG_ACTION_WITHDRAW},
	{"event_approve", MSG_ACTION_APPROVE},
	{"event_return", MSG_ACTION_RETURN},
	{"event_unlock", MSG_ACTION_UNLOCK},
	{"event_attend", MSG_ACTION_ATTEND},
	{"event_unattend", MSG_ACTION_UNATTEND},
};

const char *history_action_label(const char *action)
{
	for (size_t i = 0; action && i < ARRAY_LEN(labels); i++)
		if (strcmp(labels[i].action, action) == 0)
			return msg(labels[i].label);
	return action ? action : "";
}

char *history_detail(const struct form *f, const struct audit_row *row, bool masked)
{
	struct kv old = {0}, new = {0};
	struct buf b = {0};
	buf_add(&b, "", 0);
	if (row->old_vals)
		kv_from_json(row->old_vals, &old);
	if (row->new_vals)
		kv_from_json(row->new_vals, &new);
	if (row->old_vals && row->new_vals) {
		/* the new row's keys in order, then keys only the old one had */
		struct kv *sides[] = {&new, &old};
		for (int s = 0; s < 2; s++)
			for (size_t i = 0; i < sides[s]->keys.n; i++) {
				const char *k = sides[s]->keys.v[i];
				const char *o = kv_get(&old, k), *n = kv_get(&new, k);
				if (str_eq(o, n) || (s == 1 && n))
					continue;
				const struct field *fd = f ? form_field(f, k) : NULL;
				char *ov = display_value(f, k, o, masked), *nv = display_value(f, k, n, masked);
				buf_printf(&b, "%s%s: %s → %s", b.len ? "; " : "", fd ? fd->label : k,
					   ov, nv);
				free(ov);
				free(nv);
			}
	}
	if (row->comment)
		buf_printf(&b, "%s%s", b.len ? "; " : "", row->comment);
	kv_free(&old);
	kv_free(&new);
	return buf_take(&b);
}
