/*
 * store_bundle.c - the bundle file of offline sites (sync.h has its
 * format): writing one (the header, its SHA-256, the changeset) and reading
 * one back into rows, each byte checked before anything reaches a
 * database. It holds no SQL and opens no database: SQLite's session
 * extension only decodes the changeset, and the rows are records through
 * the store's one mapping (store.c), which is why this is a store file.
 * The merge of a bundle into the district's records is store_sync.c's.
 *
 * The SHA-256 is written out here (FIPS 180-4) until the program links a
 * library for it.
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

/* ---- SHA-256 (FIPS 180-4) ---- */

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char block[64];
	size_t fill;
};

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha_block(struct sha256 *c, const unsigned char *p)
{
	uint32_t w[64], v[8];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, c->h, sizeof v);
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
			      ((v[4] & v[5]) ^ (~v[4] & v[6])) + sha_k[i] + w[i];
		uint32_t t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
			      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof v[0]);
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		c->h[i] += v[i];
}

static void sha_init(struct sha256 *c)
{
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memset(c, 0, sizeof *c);
	memcpy(c->h, h0, sizeof h0);
}

static void sha_add(struct sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	c->len += n;
	while (n > 0) {
		size_t take = 64 - c->fill < n ? 64 - c->fill : n;
		memcpy(c->block + c->fill, p, take);
		c->fill += take;
		p += take;
		n -= take;
		if (c->fill == 64) {
			sha_block(c, c->block);
			c->fill = 0;
		}
	}
}

static void sha_end(struct sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->len * 8;
	unsigned char pad[72] = {0x80};
	size_t npad = (c->fill < 56 ? 56 : 120) - c->fill;
	for (int i = 0; i < 8; i++)
		pad[npad + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
	sha_add(c, pad, npad + 8);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (unsigned char)(c->h[i] >> (24 - 8 * j));
}

void sync_sha256(const void *p, size_t n, unsigned char out[32])
{
	struct sha256 c;
	sha_init(&c);
	sha_add(&c, p, n);
	sha_end(&c, out);
}

/* Writes the SHA-256 of a followed by b, in lower-case hex, into hex. */
static void sha_hex2(const void *a, size_t na, const void *b, size_t nb, char hex[65])
{
	struct sha256 c;
	unsigned char d[32];
	sha_init(&c);
	sha_add(&c, a, na);
	sha_add(&c, b, nb);
	sha_end(&c, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* ---- rows: one record as a changeset carries it ---- */

bool sync_site_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > SYNC_SITE_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

void st_sync_row_free(struct sync_row *row)
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
			 sqlite3_value_int64(v[i]) < 1 || sqlite3_value_int64(v[i]) > INT_MAX)
			bad = true;
		if (!bad && i == RC_UUID)
			bad = !uuid_ok(t[i]);
		if (!bad && i == RC_CATEGORY)
			bad = !sync_site_ok(t[i]);	/* the same alphabet as form keys */
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
	st_record_from_cols(&row->r, t, (int)sqlite3_value_int64(v[RC_VERSION]));
	row->r.vals = vals;
	row->vals_json = xstrdup(t[RC_VALS]);
	return 0;
}

/* ---- the bundle file ---- */

void sync_bundle_free(struct sync_bundle *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->nrows; i++)
		st_sync_row_free(&b->rows[i]);
	free(b->rows);
	free(b->name);
	free(b->exported);
	memset(b, 0, sizeof *b);
}

/* Reads the header line "key value\n" at *p into a new
 * string *val; returns 0, or -1 when the line is missing, cut short or
 * holds a control byte. */
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
	if (n < 1 || n > max)
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

static bool hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

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

/* Returns true when v is a good value of header field i (keys order). */
static bool field_ok(size_t i, const char *v)
{
	switch (i) {
	case 0: return sync_site_ok(v);
	case 1: return strlen(v) <= NAME_MAX_BYTES && utf8_valid(v);
	case 2: return timestamp_ok(v);
	case 3: return digits(v, 9);
	case 4: return digits(v, 10);
	default: return hex64(v);
	}
}

/* Verifies and parses the bundle bytes; see sync.h for the format. */
static int parse_bundle(const char *data, size_t n, const char *path, struct sync_bundle *b,
			char **cause)
{
	static const char *const keys[] = {"site", "name", "exported", "rows", "length", "sha256"};
	const size_t mlen = strlen(SYNC_MAGIC);
	if (n <= mlen || memcmp(data, SYNC_MAGIC, mlen) != 0 || data[mlen] != '\n') {
		bool cut = n <= mlen && memcmp(data, SYNC_MAGIC, n) == 0;
		return st_fail_msg(cause, SYNC_DAMAGED,
				   cut ? msgf(MSG_SYNC_HEADER_CUT, 1, path)
				       : msgf(MSG_SYNC_NOT_BUNDLE, SYNC_MAGIC, path));
	}
	const char *p = data + mlen + 1, *end = data + (n < HEADER_MAX ? n : HEADER_MAX);
	const char *sha_line = NULL;
	char *val[ARRAY_LEN(keys)] = {0};
	int ret = SR_OK;
	size_t i;
	for (i = 0; i < ARRAY_LEN(keys); i++) {
		if (i == ARRAY_LEN(keys) - 1)
			sha_line = p;
		if (header_line(&p, end, keys[i], &val[i]) < 0 || !field_ok(i, val[i]))
			break;
	}
	if (i < ARRAY_LEN(keys) || p >= end || *p != '\n') {
		/* the line that failed, the magic being line 1 */
		bool cut = memchr(p, '\n', (size_t)(data + n - p)) == NULL;
		ret = st_fail_msg(cause, SYNC_DAMAGED,
				  msgf(cut ? MSG_SYNC_HEADER_CUT : MSG_SYNC_BAD_HEADER, (int)i + 2, path));
	}
	long rows = -1, len = -1;
	if (ret == SR_OK) {
		str_to_long(val[3], &rows);
		str_to_long(val[4], &len);
		p++;
		size_t have = (size_t)(data + n - p);
		if (have < (size_t)len)
			ret = st_fail_msg(cause, SYNC_DAMAGED,
					  msgf(MSG_SYNC_TRUNCATED, len, (long)have, path));
		else if (have > (size_t)len)
			ret = st_fail_msg(cause, SYNC_DAMAGED,
					  msgf(MSG_SYNC_EXTRA, (long)(have - (size_t)len), path));
	}
	if (ret == SR_OK) {
		char hex[65];
		sha_hex2(data, (size_t)(sha_line - data), p, (size_t)len, hex);
		if (strcmp(hex, val[5]) != 0)
			ret = st_fail_msg(cause, SYNC_DAMAGED, msgf(MSG_SYNC_CHECKSUM, path));
	}
	if (ret == SR_OK) {
		snprintf(b->site, sizeof b->site, "%s", val[0]);
		b->name = xstrdup(val[1]);
		b->exported = xstrdup(val[2]);
		snprintf(b->sha256, sizeof b->sha256, "%s", val[5]);
		b->len = (size_t)len;
		if (parse_changeset(p, (size_t)len, path, b, cause) < 0)
			ret = SYNC_DAMAGED;
		else if ((long)b->nrows != rows)
			ret = st_fail_msg(cause, SYNC_DAMAGED, msgf(MSG_SYNC_BAD_CHANGESET, path));
	}
	for (i = 0; i < ARRAY_LEN(keys); i++)
		free(val[i]);
	return ret;
}

int sync_bundle_parse(const char *data, size_t n, const char *name, struct sync_bundle *b,
		      char **cause)
{
	assert(data && name && b);
	memset(b, 0, sizeof *b);
	int ret = parse_bundle(data, n, name, b, cause);
	if (ret != SR_OK)
		sync_bundle_free(b);
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

int st_bundle_put(const struct sync_sink *sink, const char *site, const char *site_name,
		  const char *exported, long rows, const void *cs, size_t n, char sha[65],
		  char **cause)
{
	char *name = text_sanitize(str_empty(site_name) ? site : site_name);
	clip_utf8(name, NAME_MAX_BYTES);
	struct buf h = {0};
	buf_printf(&h, "%s\nsite %s\nname %s\nexported %s\nrows %ld\nlength %zu\n", SYNC_MAGIC,
		   site, name, exported, rows, n);
	sha_hex2(h.s, h.len, cs, n, sha);
	buf_printf(&h, "sha256 %s\n\n", sha);
	buf_add(&h, cs, n);
	int ret = sink->put(sink->arg, h.s, h.len, cause) == 0 ? SR_OK : SR_FAIL;
	buf_free(&h);
	free(name);
	return ret;
}
