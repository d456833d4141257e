/*
 * store_bundle.c - the bundle file of offline sites (sync.h has its
 * format): writing one (the cleartext head, then the message signed and
 * sealed by seal.c) and opening one back into rows, each byte checked
 * before anything reaches a database: the head, the seal (only our key
 * opens it), the signature (only the sender's declared key made it), then
 * the signed message's head and its changeset. It holds no SQL and opens
 * no database: SQLite's session extension only decodes the changeset, and
 * the rows are records through the store's one mapping (store.c), which is
 * why this is a store file. The keys come from the caller (store_sync.c
 * reads ours from the database, sites.ini declares the peers'); the merge
 * of a bundle into the records is store_sync.c's.
 */
#define SQLITE_ENABLE_SESSION	/* declares the session API in <sqlite3.h> */
#include "store_int.h"

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync.h"
#include "text.h"

#define HEADER_MAX 4096
#define NAME_MAX_BYTES 256

/* ---- rows: one record as a changeset carries it ---- */

void sync_row_free(struct sync_row *row)
{
	record_free(&row->r);
	free(row->vals_json);
	memset(row, 0, sizeof *row);
}

/* Returns text value v (valid while v is), or NULL (setting *bad) when v is
 * not valid UTF-8 text without NUL bytes; a NULL value is NULL when
 * nullable. */
static const char *value_text(sqlite3_value *v, bool nullable, bool *bad)
{
	if (v == NULL || sqlite3_value_type(v) == SQLITE_NULL) {
		*bad |= !nullable;
		return NULL;
	}
	if (sqlite3_value_type(v) != SQLITE_TEXT) {
		*bad = true;
		return NULL;
	}
	const char *t = (const char *)sqlite3_value_text(v);
	int n = sqlite3_value_bytes(v);
	if (t == NULL || (size_t)n != strlen(t) || !utf8_valid(t)) {
		*bad = true;
		return NULL;
	}
	return t;
}

/* Fills row from the 16 values of a record (RECORD_COLS order), checking
 * each as the records table would. Returns 0, or -1 with the first bad
 * column's name in *col. */
int st_sync_row_fill(struct sync_row *row, sqlite3_value *const v[RC__COUNT], const char **col)
{
	static const bool nullable[RC__COUNT] = {
		[RC_TOWNSHIP] = true, [RC_VILLAGE] = true, [RC_PHONE] = true, [RC_COMMENT] = true};
	const char *t[RC__COUNT] = {0};
	enum status status;
	struct kv vals = {0};
	memset(row, 0, sizeof *row);
	for (int i = 0; i < RC__COUNT; i++) {
		bool bad = false;
		if (i != RC_VERSION)
			t[i] = value_text(v[i], nullable[i], &bad);
		else if (v[i] == NULL || sqlite3_value_type(v[i]) != SQLITE_INTEGER ||
			 sqlite3_value_int64(v[i]) < 1)
			bad = true;	/* any size: only the sender counts by it */
		if (!bad && i == RC_UUID)
			bad = !uuid_ok(t[i]);
		if (!bad && i == RC_CATEGORY)
			bad = !site_id_ok(t[i]);	/* the same alphabet as form keys */
		if (!bad && i == RC_STATUS)
			bad = status_parse(t[i], &status) < 0;
		if (!bad && i == RC_VALS)
			bad = kv_from_json(t[i], &vals) < 0;
		if (bad) {
			*col = st_col_names[i];
			kv_free(&vals);
			return -1;
		}
	}
	sqlite3_int64 version = sqlite3_value_int64(v[RC_VERSION]);
	st_record_from_cols(&row->r, t, version > INT_MAX ? INT_MAX : (int)version);
	row->r.vals = vals;
	row->vals_json = xstrdup(t[RC_VALS]);
	return 0;
}

/* ---- the changeset ---- */

/* Reads a varint of the changeset format (at most 4 bytes here) at p[*i]
 * into *v and moves *i past it; false when it runs past n. */
static bool cs_varint(const unsigned char *p, size_t n, size_t *i, size_t *v)
{
	*v = 0;
	for (int k = 0; k < 4 && *i < n; k++) {
		unsigned char c = p[(*i)++];
		*v = (*v << 7) | (c & 0x7F);
		if (!(c & 0x80))
			return true;
	}
	return false;
}

/* Returns true when the n bytes at p are table headers and INSERT records
 * whose every part lies inside them. SQLite 3.40's iterator never returns
 * from a table header whose name has no terminating NUL (its
 * sessionChangesetBufferTblhdr loops), so a bundle is walked here first. */
static bool changeset_shape_ok(const unsigned char *p, size_t n)
{
	size_t i = 0, ncol = 0, len;
	while (i < n) {
		unsigned char op = p[i++];
		if (op == 'T') {
			if (!cs_varint(p, n, &i, &ncol) || ncol == 0 || ncol > n - i)
				return false;
			const unsigned char *nul = memchr(p + i + ncol, 0, n - i - ncol);
			if (nul == NULL)
				return false;
			i = (size_t)(nul - p) + 1;
			continue;
		}
		if (op != SQLITE_INSERT || ncol == 0 || i++ >= n)	/* the indirect flag */
			return false;
		for (size_t c = 0; c < ncol; c++) {
			if (i >= n)
				return false;
			unsigned char type = p[i++];
			len = 0;
			if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
				len = 8;
			else if ((type == SQLITE_TEXT || type == SQLITE_BLOB) && !cs_varint(p, n, &i, &len))
				return false;
			else if (type > SQLITE_NULL)
				return false;
			if (len > n - i)
				return false;
			i += len;
		}
	}
	return true;
}

/* Parses the changeset of n bytes at data into b->rows. Returns 0, or -1
 * with *cause set (the path names the bundle in the message). */
static int parse_changeset(const char *data, size_t n, const char *path,
			   struct sync_bundle *b, char **cause)
{
	static const char empty[1] = "";
	sqlite3_changeset_iter *it = NULL;
	if (n > INT_MAX || !changeset_shape_ok((const unsigned char *)data, n))
		return st_fail_msg(cause, -1, msgf(MSG_SYNC_BAD_CHANGESET, path));
	int rc = sqlite3changeset_start(&it, (int)n, (void *)(n ? data : empty));
	size_t cap = 0;
	while (rc == SQLITE_OK && (rc = sqlite3changeset_next(it)) == SQLITE_ROW) {
		const char *tab;
		int ncol, op, indirect, npk;
		unsigned char *pk;
		rc = sqlite3changeset_op(it, &tab, &ncol, &op, &indirect);
		if (rc == SQLITE_OK)
			rc = sqlite3changeset_pk(it, &pk, &npk);
		if (rc != SQLITE_OK || strcmp(tab, ST_SYNC_ROWS_TABLE) != 0 || ncol != RC__COUNT ||
		    op != SQLITE_INSERT || npk != RC__COUNT || pk[0] != 1) {
			rc = SQLITE_CORRUPT;
			break;
		}
		sqlite3_value *v[RC__COUNT];
		for (int i = 0; i < RC__COUNT && rc == SQLITE_OK; i++)
			rc = sqlite3changeset_new(it, i, &v[i]);
		if (rc != SQLITE_OK)
			break;
		if (b->nrows == cap) {
			cap = cap ? 2 * cap : 64;
			b->rows = xrealloc(b->rows, cap * sizeof *b->rows);
		}
		const char *col = NULL;
		if (st_sync_row_fill(&b->rows[b->nrows], v, &col) < 0) {
			sqlite3changeset_finalize(it);
			return st_fail_msg(cause, -1,
					   msgf(MSG_SYNC_BAD_ROW, (int)b->nrows + 1, col, path));
		}
		b->nrows++;
	}
	int frc = it ? sqlite3changeset_finalize(it) : SQLITE_OK;
	if ((rc != SQLITE_DONE && rc != SQLITE_OK) || frc != SQLITE_OK)
		return st_fail_msg(cause, -1, msgf(MSG_SYNC_BAD_CHANGESET, path));
	return 0;
}

/* ---- the bundle file ---- */

void sync_bundle_free(struct sync_bundle *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->nrows; i++)
		sync_row_free(&b->rows[i]);
	free(b->rows);
	free(b->name);
	free(b->exported);
	memset(b, 0, sizeof *b);
}

/* Reads the header line "key value\n" at *p into a new string *val;
 * returns 0, or -1 when the line is missing, cut short or holds a control
 * byte. */
static int header_line(const char **p, const char *end, const char *key, char **val)
{
	size_t klen = strlen(key);
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	if (nl == NULL || (size_t)(nl - *p) <= klen || strncmp(*p, key, klen) != 0 ||
	    (*p)[klen] != ' ')
		return -1;
	for (const char *q = *p; q < nl; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			return -1;
	*val = xstrndup(*p + klen + 1, (size_t)(nl - *p) - klen - 1);
	*p = nl + 1;
	return 0;
}

static bool digits(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n < 1 || n > max || (n > 1 && s[0] == '0'))
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool timestamp_ok(const char *s)
{
	/* now_iso(): YYYY-MM-DDTHH:MM:SS.mmmZ; bundles of whole seconds are
	 * taken too */
	static const char ms[] = "dddd-dd-ddTdd:dd:dd.dddZ", secs[] = "dddd-dd-ddTdd:dd:ddZ";
	const char *shape = strlen(s) == sizeof secs - 1 ? secs : ms;
	if (strlen(s) != strlen(shape))
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			return false;
	return true;
}

/* A head: the magic, then the keys in order, each "key value\n", then an
 * empty line and exactly as many bytes as its length says. */
struct head_kind {
	const char *magic;
	const char *const *keys;
	size_t nkeys;
	bool (*ok)(size_t i, const char *v);	/* a good value of key i */
	size_t length_key;			/* the key whose value is the body's length */
};

/* Reads a head of kind k from the n bytes at data into vals (new strings,
 * nkeys of them) and *body; returns SR_OK or SYNC_DAMAGED with the message
 * naming the file. */
static int head_read(const struct head_kind *k, const char *data, size_t n, const char *path,
		     char **vals, const char **body, char **cause)
{
	const size_t mlen = strlen(k->magic);
	memset(vals, 0, k->nkeys * sizeof *vals);
	if (n <= mlen || memcmp(data, k->magic, mlen) != 0 || data[mlen] != '\n') {
		bool cut = n <= mlen && memcmp(data, k->magic, n) == 0;
		bool old = n > 16 && memcmp(data, "TALENTREG-SYNC 1\n", 17) == 0;
		return st_fail_msg(cause, SYNC_DAMAGED,
				   cut   ? msgf(MSG_SYNC_HEADER_CUT, 1, path)
				   : old ? msgf(MSG_SYNC_OLD_FORMAT, path)
					 : msgf(MSG_SYNC_NOT_BUNDLE, k->magic, path));
	}
	const char *p = data + mlen + 1, *end = data + (n < HEADER_MAX ? n : HEADER_MAX);
	size_t i;
	for (i = 0; i < k->nkeys; i++)
		if (header_line(&p, end, k->keys[i], &vals[i]) < 0 || !k->ok(i, vals[i]))
			break;
	if (i < k->nkeys || p >= end || *p != '\n') {
		/* the line that failed, the magic being line 1 */
		bool cut = memchr(p, '\n', (size_t)(data + n - p)) == NULL;
		return st_fail_msg(cause, SYNC_DAMAGED,
				   msgf(cut ? MSG_SYNC_HEADER_CUT : MSG_SYNC_BAD_HEADER, (int)i + 2, path));
	}
	long len = 0;
	str_to_long(vals[k->length_key], &len);
	p++;
	size_t have = (size_t)(data + n - p);
	if (have < (size_t)len)
		return st_fail_msg(cause, SYNC_DAMAGED, msgf(MSG_SYNC_TRUNCATED, len, (long)have, path));
	if (have > (size_t)len)
		return st_fail_msg(cause, SYNC_DAMAGED,
				   msgf(MSG_SYNC_EXTRA, (long)(have - (size_t)len), path));
	*body = p;
	return SR_OK;
}

static void vals_free(char **vals, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(vals[i]);
}

/* The file's head: from, to, length. */
static const char *const file_keys[] = {"from", "to", "length"};
static bool file_value_ok(size_t i, const char *v)
{
	return i < 2 ? site_id_ok(v) : digits(v, 10);
}
static const struct head_kind file_head = {SYNC_MAGIC, file_keys, ARRAY_LEN(file_keys),
					   file_value_ok, 2};

/* The signed message's head. */
enum { MK_FROM, MK_TO, MK_NAME, MK_EXPORTED, MK_SEQ, MK_ACK, MK_ROWS, MK_LENGTH, MK__COUNT };
static const char *const message_keys[MK__COUNT] = {"from", "to", "name", "exported",
						    "seq", "ack", "rows", "length"};
static bool message_value_ok(size_t i, const char *v)
{
	long n = 0;
	switch (i) {
	case MK_FROM:
	case MK_TO:
		return site_id_ok(v);
	case MK_NAME:
		return strlen(v) <= NAME_MAX_BYTES && utf8_valid(v);
	case MK_EXPORTED:
		return timestamp_ok(v);
	case MK_SEQ:	/* from 1, and within an int of SQLite's and ours */
		return digits(v, 10) && str_to_long(v, &n) == 0 && n >= 1 && n <= INT_MAX;
	case MK_ACK:
		return digits(v, 10) && str_to_long(v, &n) == 0 && n <= INT_MAX;
	case MK_ROWS:
		return digits(v, 9);
	default:
		return digits(v, 10);
	}
}
static const struct head_kind message_head = {SYNC_SIGNED_MAGIC, message_keys, MK__COUNT,
					      message_value_ok, MK_LENGTH};

int sync_head_parse(const char *data, size_t n, const char *name, struct sync_head *h,
		    char **cause)
{
	assert(data && name && h);
	memset(h, 0, sizeof *h);
	char *v[ARRAY_LEN(file_keys)];
	const char *body = NULL;
	int ret = head_read(&file_head, data, n, name, v, &body, cause);
	if (ret == SR_OK) {
		snprintf(h->from, sizeof h->from, "%s", v[0]);
		snprintf(h->to, sizeof h->to, "%s", v[1]);
		h->box = body;
		h->box_len = (size_t)(data + n - body);
	}
	vals_free(v, ARRAY_LEN(file_keys));
	return ret;
}

int sync_message_parse(const char *data, size_t n, const char *name, struct sync_bundle *b,
		       char **cause)
{
	assert(data && name && b);
	memset(b, 0, sizeof *b);
	char *v[MK__COUNT];
	const char *body = NULL;
	int ret = head_read(&message_head, data, n, name, v, &body, cause);
	if (ret == SR_OK) {
		long rows = 0;
		snprintf(b->from, sizeof b->from, "%s", v[MK_FROM]);
		snprintf(b->to, sizeof b->to, "%s", v[MK_TO]);
		b->name = xstrdup(v[MK_NAME]);
		b->exported = xstrdup(v[MK_EXPORTED]);
		str_to_long(v[MK_SEQ], &b->seq);
		str_to_long(v[MK_ACK], &b->ack);
		str_to_long(v[MK_ROWS], &rows);
		b->len = (size_t)(data + n - body);
		seal_sha256_hex(data, n, b->id);
		if (parse_changeset(body, b->len, name, b, cause) < 0)
			ret = SYNC_DAMAGED;
		else if ((long)b->nrows != rows)
			ret = st_fail_msg(cause, SYNC_DAMAGED, msgf(MSG_SYNC_BAD_CHANGESET, name));
	}
	vals_free(v, MK__COUNT);
	if (ret != SR_OK)
		sync_bundle_free(b);
	return ret;
}

int sync_bundle_open(const char *data, size_t n, const char *name, const struct config *cfg,
		     const struct seal_secret *own, size_t nown, struct sync_bundle *b,
		     char **cause)
{
	assert(data && name && cfg && (own || nown == 0) && b);
	memset(b, 0, sizeof *b);
	struct sync_head h;
	int ret = sync_head_parse(data, n, name, &h, cause);
	if (ret != SR_OK)
		return ret;
	const struct site_decl *peer = config_site(cfg, h.from);
	if (!str_eq(h.to, cfg->site_id))
		return st_fail_msg(cause, SYNC_REFUSED, msgf(MSG_SYNC_NOT_FOR_US, h.to, cfg->site_id,
							     name));
	if (peer == NULL)
		return st_fail_msg(cause, SYNC_REFUSED, msgf(MSG_SYNC_UNDECLARED, h.from, name));
	unsigned char *m = NULL;
	size_t mn = 0;
	enum seal_fail why;
	if (seal_unwrap(own, nown, &peer->key, h.box, h.box_len, &m, &mn, &why) < 0)
		return st_fail_msg(cause, why == SEAL_SHORT ? SYNC_DAMAGED : SYNC_REFUSED,
				   why == SEAL_SHORT	   ? msgf(MSG_SYNC_BAD_CHANGESET, name)
				   : why == SEAL_NOT_OURS ? msgf(MSG_SYNC_NOT_OURS, name)
							  : msgf(MSG_SYNC_BAD_SIGNATURE, h.from, name));
	/* signed by the sender: a message that does not parse is its fault, not
	 * the stick's, and still refused whole */
	ret = sync_message_parse((const char *)m, mn, name, b, cause);
	if (ret == SR_OK && (!str_eq(b->from, h.from) || !str_eq(b->to, h.to))) {
		ret = st_fail_msg(cause, SYNC_REFUSED,
				  msgf(MSG_SYNC_HEAD_MISMATCH, b->from, b->to, h.from, h.to, name));
		sync_bundle_free(b);
	}
	seal_wipe(m, mn);
	free(m);
	return ret;
}

/* Cuts s to at most max bytes, never inside a character. */
static void clip_utf8(char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	s[max] = '\0';
}

void sync_bundle_make(const struct config *cfg, const struct site_decl *peer,
		      const struct seal_secret *key, const char *exported, long seq, long ack,
		      long rows, const void *cs, size_t n, char **out, size_t *outn, char id[65])
{
	assert(cfg && peer && key && exported && (cs || n == 0) && out && outn && id);
	char *name = text_sanitize(str_empty(cfg->site_name) ? cfg->site_id : cfg->site_name);
	clip_utf8(name, NAME_MAX_BYTES);
	struct buf m = {0};
	buf_printf(&m, "%s\nfrom %s\nto %s\nname %s\nexported %s\nseq %ld\nack %ld\nrows %ld\n"
		       "length %zu\n\n", SYNC_SIGNED_MAGIC, cfg->site_id, peer->id, name, exported,
		   seq, ack, rows, n);
	buf_add(&m, cs, n);
	seal_sha256_hex(m.s, m.len, id);
	size_t boxn = 0;
	unsigned char *box = seal_wrap(key, &peer->key, m.s, m.len, &boxn);
	struct buf f = {0};
	buf_printf(&f, "%s\nfrom %s\nto %s\nlength %zu\n\n", SYNC_MAGIC, cfg->site_id, peer->id,
		   boxn);
	buf_add(&f, (const char *)box, boxn);
	*outn = f.len;
	*out = buf_take(&f);
	seal_wipe(m.s, m.len);
	buf_free(&m);
	free(box);
	free(name);
}
