/*
 * store_keys.c - the database's own key pairs for site bundles (sync.h,
 * seal.h), kept in the table sync_keys of the database itself.
 *
 * Why in the database and not in a file: an installed program reads the
 * database with its group and then gives the group up for good
 * (src/priv.c), so a key file it could read later would have to be
 * readable by its caller, who must never hold the district's secret key.
 * In the database the secret halves are as safe as the records they guard:
 * only the program opens the file, and no call of the store hands them
 * out: st_keys_load is for the store's bundle code (store_sync.c), which
 * signs and opens bundles with them and wipes them after. The public half
 * is shown by `sync keygen` and `sync key`, for the peers' sites.ini.
 * A backup (`talentreg backup`, admins only, written 0600) holds them too,
 * as it holds every ID number.
 */
#include "store_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"

static const char SQL_KEYS[] =
	"SELECT public_key, sign_sk, box_sk FROM main.sync_keys ORDER BY id DESC";
static const char SQL_KEY_ADD[] =
	"INSERT INTO main.sync_keys(public_key, sign_sk, box_sk, made_at, made_by)"
	" VALUES (?1, ?2, ?3, ?4, ?5)";

/* Reads the key pair of the current row of s (SQL_KEYS) into k; false when
 * the row does not hold one whose halves belong together. */
static bool key_from_row(sqlite3_stmt *s, struct seal_secret *k)
{
	const char *pub = (const char *)sqlite3_column_text(s, 0);
	const void *sign = sqlite3_column_blob(s, 1), *box = sqlite3_column_blob(s, 2);
	if (seal_public_parse(pub, &k->pub) < 0 || sign == NULL || box == NULL ||
	    sqlite3_column_bytes(s, 1) != SEAL_SIGN_SK_BYTES ||
	    sqlite3_column_bytes(s, 2) != SEAL_BOX_SK_BYTES)
		return false;
	memcpy(k->sign_sk, sign, SEAL_SIGN_SK_BYTES);
	memcpy(k->box_sk, box, SEAL_BOX_SK_BYTES);
	return seal_secret_ok(k);
}

int st_keys_load(struct store *st, struct seal_secret **keys, size_t *n, char **cause)
{
	*keys = NULL;
	*n = 0;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, SQL_KEYS, -1, &s, NULL), ret = SR_OK;
	size_t cap = 0;
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 4;
			*keys = xrealloc(*keys, cap * sizeof **keys);
		}
		if (!key_from_row(s, &(*keys)[*n])) {
			ret = st_fail_msg(cause, SR_FAIL, xstrdup(msg(MSG_SYNC_KEYS_DAMAGED)));
			break;
		}
		(*n)++;
	}
	ret = st_rows_end(st, s, rc, ret, cause);
	if (ret == SR_OK && *n == 0)
		ret = st_fail_msg(cause, SR_FAIL, xstrdup(msg(MSG_SYNC_NO_KEYS)));
	if (ret != SR_OK) {
		st_keys_free(*keys, cap);
		*keys = NULL;
		*n = 0;
	}
	return ret;
}

void st_keys_free(struct seal_secret *keys, size_t n)
{
	seal_wipe(keys, n * sizeof *keys);
	free(keys);
}

int store_sync_public_key(struct store *st, struct seal_public *pub, bool *have, char **cause)
{
	assert(st && pub && have);
	*have = false;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, SQL_KEYS, -1, &s, NULL), ret = SR_OK;
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		*have = seal_public_parse((const char *)sqlite3_column_text(s, 0), pub) == 0;
		if (!*have)
			ret = st_fail_msg(cause, SR_FAIL, xstrdup(msg(MSG_SYNC_KEYS_DAMAGED)));
	}
	return st_rows_end(st, s, rc, ret, cause);
}

int store_sync_keygen(struct store *st, const struct actor *a, bool replace,
		      struct seal_public *pub, char **cause)
{
	assert(st && a && a->user && pub);
	int ret = st_tx_begin(st, cause);
	if (ret != SR_OK)
		return ret;
	ret = st_check(a, ACT_ADMIN, NULL, ST_SUBMITTED, NULL, cause);
	bool have = false;
	struct seal_public old;
	if (ret == SR_OK)
		ret = store_sync_public_key(st, &old, &have, cause);
	if (ret == SR_OK && have && !replace)
		ret = st_fail_msg(cause, SR_DUP, xstrdup(msg(MSG_SYNC_KEYS_EXIST)));
	struct seal_secret k;
	char text[SEAL_TEXT_LEN + 1], fp[SEAL_FINGERPRINT_LEN + 1];
	char *now = now_iso();
	seal_keygen(&k);
	seal_public_text(&k.pub, text);
	seal_fingerprint(&k.pub, fp);
	sqlite3_stmt *s = NULL;
	if (ret == SR_OK) {
		int rc = sqlite3_prepare_v2(st->db, SQL_KEY_ADD, -1, &s, NULL);
		if (rc != SQLITE_OK)
			ret = st_db_fail(st, rc, cause);
	}
	if (ret == SR_OK) {
		st_bind_text(s, 1, text);
		sqlite3_bind_blob(s, 2, k.sign_sk, SEAL_SIGN_SK_BYTES, SQLITE_TRANSIENT);
		sqlite3_bind_blob(s, 3, k.box_sk, SEAL_BOX_SK_BYTES, SQLITE_TRANSIENT);
		st_bind_text(s, 4, now);
		st_bind_text(s, 5, st_real_login(a));
		ret = st_run(st, s, cause);
	}
	sqlite3_finalize(s);
	if (ret == SR_OK) {
		char *note = msgf(have ? MSG_SYNC_AUDIT_KEYGEN_REPLACE : MSG_SYNC_AUDIT_KEYGEN, fp);
		ret = st_audit_add(st, a, now, "sync_keygen", NULL, NULL, NULL, note, cause);
		free(note);
	}
	*pub = k.pub;
	seal_wipe(&k, sizeof k);
	free(now);
	return st_tx_end(st, ret, cause);
}
