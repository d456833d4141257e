/*
 * fuzz_bundle.c - the sync bundle reader (store_bundle.c): a training site's
 * bundle is a file from a USB stick, so every byte of it is untrusted. The
 * reader is called from memory (sync_bundle_parse), with no database.
 *
 * The input is taken three ways, by its first bytes:
 *   - "TALENTREG-SYNC..."  a whole bundle, as read from a file;
 *   - "{..."               the vals column of a record: kv_from_json;
 *   - anything else        byte 0 is the header's row count and the rest is
 *                          the changeset: the harness writes a well-formed
 *                          header with the right length and SHA-256 around
 *                          it, so that the fuzzer gets past the checksum
 *                          into SQLite's changeset iterator and the row
 *                          checks (st_sync_row_fill).
 * Properties:
 *   - a refused bundle says why and leaves nothing to free;
 *   - an accepted one has as many rows as its header says, each row with
 *     a good uuid, a category of [a-z0-9_], a version of 1 or more, every
 *     non-NULL column valid UTF-8, and vals that parse;
 *   - an accepted bundle cut by one byte, or with any one byte changed, is
 *     refused whole (DESIGN.md: "any damaged or missing byte refuses the
 *     whole bundle");
 *   - kv_from_json: what it accepts, kv_to_json writes back into text that
 *     it reads again as the same keys and values.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "record.h"
#include "sync.h"
#include "text.h"

static bool text_ok(const char *s, bool nullable)
{
	return s ? utf8_valid(s) : nullable;
}

/* Checks what an accepted bundle holds. */
static void check_accepted(const struct sync_bundle *b, long rows)
{
	FUZZ_CHECK(sync_site_ok(b->site), "bad site id accepted");
	FUZZ_CHECK(b->name && utf8_valid(b->name) && b->exported, "header fields missing");
	FUZZ_CHECK(strlen(b->sha256) == 64, "checksum not kept");
	FUZZ_CHECK(rows < 0 || (long)b->nrows == rows, "%zu rows, header says %ld", b->nrows, rows);
	for (size_t i = 0; i < b->nrows; i++) {
		const struct sync_row *row = &b->rows[i];
		const struct record *r = &row->r;
		FUZZ_CHECK(strlen(r->uuid) == 36 && r->uuid[8] == '-' && r->uuid[23] == '-',
			   "row %zu: bad uuid %s", i, r->uuid);
		FUZZ_CHECK(sync_site_ok(r->category), "row %zu: bad category", i);
		FUZZ_CHECK(r->version >= 1, "row %zu: version %d", i, r->version);
		FUZZ_CHECK(status_name(r->status) != NULL, "row %zu: status", i);
		FUZZ_CHECK(text_ok(r->person_key, false) && text_ok(r->name, false) &&
			   text_ok(r->township, true) && text_ok(r->village, true) &&
			   text_ok(r->phone, true) && text_ok(r->comment, true) &&
			   text_ok(r->created_by, false) && text_ok(r->created_at, false) &&
			   text_ok(r->updated_by, false) && text_ok(r->updated_at, false) &&
			   text_ok(r->site, false) && text_ok(row->vals_json, false),
			   "row %zu: a column is missing or not UTF-8", i);
		FUZZ_CHECK(r->vals.keys.n == r->vals.vals.n, "row %zu: vals", i);
	}
}

/* Parses the n bytes at data (an exact copy); returns the result. */
static int parse(const char *data, size_t n, struct sync_bundle *b)
{
	char *copy = malloc(n ? n : 1);
	char *cause = NULL;
	if (n)
		memcpy(copy, data, n);
	int rc = sync_bundle_parse(copy, n, "fuzz.bundle", b, &cause);
	if (getenv("FUZZ_VERBOSE"))	/* to see what a seed does */
		fprintf(stderr, "  %zu bytes: %s, %zu rows\n", n, rc == SR_OK ? "accepted" : cause, b->nrows);
	FUZZ_CHECK(rc == SR_OK || rc == SYNC_DAMAGED, "sync_bundle_parse returned %d", rc);
	if (rc == SR_OK) {
		FUZZ_CHECK(cause == NULL, "a message for an accepted bundle");
	} else {
		FUZZ_CHECK(cause != NULL && *cause, "a refused bundle without a reason");
		FUZZ_CHECK(b->rows == NULL && b->nrows == 0 && b->name == NULL, "a refused bundle holds data");
	}
	free(cause);
	free(copy);
	return rc;
}

/* Parses a whole bundle; when accepted, checks it and that one byte less
 * or one byte changed (at a place chosen by the input) refuses it. */
static void whole(const char *data, size_t n, long rows)
{
	struct sync_bundle b;
	if (parse(data, n, &b) != SR_OK)
		return;
	check_accepted(&b, rows);
	sync_bundle_free(&b);

	struct sync_bundle cut;
	FUZZ_CHECK(parse(data, n - 1, &cut) == SYNC_DAMAGED, "a bundle cut by one byte was accepted");
	char *bad = malloc(n);
	memcpy(bad, data, n);
	size_t at = 0;
	for (size_t i = 0; i < n; i++)
		at = at * 31 + (unsigned char)data[i];
	at %= n;
	bad[at] = (char)(bad[at] ^ (1 + (at & 0x7F)));
	struct sync_bundle dam;
	FUZZ_CHECK(parse(bad, n, &dam) == SYNC_DAMAGED, "a bundle with byte %zu changed was accepted", at);
	free(bad);
}

/* Wraps a changeset in a good header for the site "fuzz". */
static void wrapped(const uint8_t *data, size_t size)
{
	long rows = data[0];
	const char *cs = (const char *)data + 1;
	size_t cslen = size - 1;
	struct buf h = {0};
	buf_printf(&h, "%s\nsite fuzz\nname 模糊测试\nexported 2026-11-29T08:15:03.000Z\n"
		       "rows %ld\nlength %zu\n", SYNC_MAGIC, rows, cslen);
	size_t before_sha = h.len;
	buf_add(&h, cs, cslen);
	unsigned char sum[32];
	sync_sha256(h.s, h.len, sum);
	h.len = before_sha;
	h.s[h.len] = '\0';
	buf_puts(&h, "sha256 ");
	for (int i = 0; i < 32; i++)
		buf_printf(&h, "%02x", sum[i]);
	buf_puts(&h, "\n\n");
	buf_add(&h, cs, cslen);
	whole(h.s, h.len, rows);
	buf_free(&h);
}

/* kv_from_json and back. */
static void json(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct kv kv = {0}, again = {0};
	if (kv_from_json(s, &kv) == 0) {
		FUZZ_CHECK(kv.keys.n == kv.vals.n, "keys and values differ in number");
		struct buf b = {0};
		kv_to_json(&kv, &b);
		FUZZ_CHECK(kv_from_json(b.s, &again) == 0, "kv_to_json wrote what kv_from_json refuses: %s", b.s);
		FUZZ_CHECK(again.keys.n == kv.keys.n, "a different number of keys after a round trip");
		for (size_t i = 0; i < kv.keys.n; i++)
			FUZZ_CHECK(strcmp(kv.keys.v[i], again.keys.v[i]) == 0 &&
				   strcmp(kv.vals.v[i], again.vals.v[i]) == 0, "pair %zu changed", i);
		if (utf8_valid(s))
			for (size_t i = 0; i < kv.keys.n; i++)
				FUZZ_CHECK(utf8_valid(kv.keys.v[i]) && utf8_valid(kv.vals.v[i]),
					   "valid JSON text gave a value that is not UTF-8 (pair %zu)", i);
		buf_free(&b);
	}
	kv_free(&kv);
	kv_free(&again);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char magic[] = "TALENTREG-SYNC";
	if (size == 0)
		return 0;
	if (size >= sizeof magic - 1 && memcmp(data, magic, sizeof magic - 1) == 0)
		whole((const char *)data, size, -1);
	else if (data[0] == '{')
		json(data, size);
	else
		wrapped(data, size);
	return 0;
}
