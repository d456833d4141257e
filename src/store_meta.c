/*
 * store_meta.c - the store's small tables beside the records: meta (values
 * set once per database, such as its site id), each login's drafts of a
 * form, and store_audit, the audit row of an action that changes no record.
 */
#include "store_int.h"

#include <assert.h>
#include <stdlib.h>

/* Sets *val to a new copy of meta key's value, or NULL when unset. */
static int meta_read(struct store *st, const char *key, char **val, char **cause)
{
	return st_get_text(st, Q_META_GET, (const char *const[]){key}, 1, val, cause);
}

int store_meta_get(struct store *st, const char *key, char **val, char **cause)
{
	assert(st && key && val);
	return meta_read(st, key, val, cause);
}

int store_meta_set_once(struct store *st, const char *key, const char *value,
			char **val, char **cause)
{
	assert(st && key && value && val);
	*val = NULL;
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	ret = st_run_texts(st, Q_META_INSERT, (const char *const[]){key, value}, 2, cause);
	if (ret == SR_OK)
		ret = meta_read(st, key, val, cause);
	ret = st_tx_end(st, ret, cause);
	if (ret != SR_OK) {
		free(*val);
		*val = NULL;
	}
	return ret;
}

int store_draft_save(struct store *st, const char *login, const char *form,
		     const char *vals_json, char **cause)
{
	assert(st && login && form && vals_json);
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	char *now = now_iso();
	ret = st_run_texts(st, Q_DRAFT_SAVE, (const char *const[]){login, form, vals_json, now}, 4,
			   cause);
	free(now);
	return st_tx_end(st, ret, cause);
}

int store_draft_list(struct store *st, const char *login, struct strv *forms,
		     struct strv *times, char **cause)
{
	assert(st && login && forms && times);
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT form, updated_at FROM drafts WHERE login = ?1"
				    " ORDER BY updated_at DESC, form", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, login);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		strv_take(forms, st_col_dup(s, 0));
		strv_take(times, st_col_dup(s, 1));
	}
	return st_rows_end(st, s, rc, SR_OK, cause);
}

int store_draft_load(struct store *st, const char *login, const char *form,
		     char **vals_json, char **cause)
{
	assert(st && login && form && vals_json);
	return st_get_text(st, Q_DRAFT_LOAD, (const char *const[]){login, form}, 2, vals_json,
			   cause);
}

int store_draft_delete(struct store *st, const char *login, const char *form, char **cause)
{
	assert(st && login && form);
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	ret = st_run_texts(st, Q_DRAFT_DELETE, (const char *const[]){login, form}, 2, cause);
	return st_tx_end(st, ret, cause);
}

int store_audit(struct store *st, const struct actor *a, const char *action,
		const char *detail, char **cause)
{
	assert(st && a && a->user && action);
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	char *now = now_iso();
	ret = st_audit_add(st, a, now, action, NULL, NULL, NULL, detail, cause);
	free(now);
	return st_tx_end(st, ret, cause);
}
