/*
 * fuzz_bundle.c - the sync bundle reader (store_bundle.c over seal.c): a
 * bundle is a file from a USB stick, so every byte of it is untrusted, and
 * so is every byte a declared site signs. The reader is called from memory
 * (sync_bundle_open, sync_message_parse), with no database; the keys are
 * fixed (seal_keygen_seeded) so that the seed bundles open: the site
 * "fuzz" sends to the district "district".
 *
 * The input is taken four ways, by its first bytes:
 *   - "TALENTREG-SYNC 2"       a whole bundle file, as read from a stick;
 *   - "TALENTREG-SYNC-SIGNED"  a signed message, as opened: its head and
 *                              changeset (sync_message_parse);
 *   - "{..."                   the vals column of a record: kv_from_json;
 *   - anything else            byte 0 is the message's row count and the
 *                              rest is the changeset: the harness writes a
 *                              good message around it, signs it with the
 *                              site's key and seals it to the district's,
 *                              so that the fuzzer gets past the seal and
 *                              the signature into SQLite's changeset
 *                              iterator and the row checks.
 * Properties:
 *   - a refused bundle or message says why and leaves nothing to free;
 *   - an accepted one names the declared sender and us, has as many rows
 *     as its head says, each with a good uuid, a category of [a-z0-9_], a
 *     version of 1 or more, every non-NULL column valid UTF-8, and vals
 *     that parse;
 *   - an accepted bundle cut by one byte, or with any one byte changed, is
 *     refused whole; so is one sealed by the right site but opened as if
 *     it came from another declared one (a forged sender);
 *   - kv_from_json: what it accepts, kv_to_json writes back into text that
 *     it reads again as the same keys and values.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "record.h"
#include "sync.h"
#include "text.h"

/* The fixed world: the site "fuzz", another site "other", the district. */
static struct seal_secret site_key, other_key, district_key;
static struct site_decl sites[2];
static struct config cfg;

static void world(void)
{
	static bool ready;
	if (ready)
		return;
	unsigned char seed[32] = {0};
	seed[0] = 1;
	seal_keygen_seeded(&site_key, seed);
	seed[0] = 2;
	seal_keygen_seeded(&other_key, seed);
	seed[0] = 3;
	seal_keygen_seeded(&district_key, seed);
	sites[0] = (struct site_decl){.id = "fuzz", .name = "模糊测试", .kind = SITE_SITE,
				      .key = site_key.pub};
	sites[1] = (struct site_decl){.id = "other", .name = "other", .kind = SITE_SITE,
				      .key = other_key.pub};
	cfg.site_id = "district";
	cfg.site_name = "district";
	cfg.sites = sites;
	cfg.nsites = 2;
	ready = true;
}

static bool text_ok(const char *s, bool nullable)
{
	return s ? utf8_valid(s) : nullable;
}

/* Checks what an accepted message holds. */
static void check_accepted(const struct sync_bundle *b, long rows)
{
	FUZZ_CHECK(site_id_ok(b->from) && site_id_ok(b->to), "bad site id accepted");
	FUZZ_CHECK(b->name && utf8_valid(b->name) && b->exported, "header fields missing");
	FUZZ_CHECK(strlen(b->id) == 64, "id not kept");
	FUZZ_CHECK(b->seq >= 1 && b->ack >= 0, "seq %ld, ack %ld", b->seq, b->ack);
	FUZZ_CHECK(rows < 0 || (long)b->nrows == rows, "%zu rows, header says %ld", b->nrows, rows);
	for (size_t i = 0; i < b->nrows; i++) {
		const struct sync_row *row = &b->rows[i];
		const struct record *r = &row->r;
		FUZZ_CHECK(strlen(r->uuid) == 36 && r->uuid[8] == '-' && r->uuid[23] == '-',
			   "row %zu: bad uuid %s", i, r->uuid);
		FUZZ_CHECK(site_id_ok(r->category), "row %zu: bad category", i);
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

/* What one parse said; checks that a refusal says why and holds nothing. */
static int verdict(int rc, char *cause, const struct sync_bundle *b, size_t n)
{
	if (getenv("FUZZ_VERBOSE"))	/* to see what a seed does */
		fprintf(stderr, "  %zu bytes: %s, %zu rows\n", n, rc == SR_OK ? "accepted" : cause,
			b->nrows);
	if (rc == SR_OK) {
		FUZZ_CHECK(cause == NULL, "a message for an accepted bundle");
	} else {
		FUZZ_CHECK(rc == SYNC_DAMAGED || rc == SYNC_REFUSED, "returned %d", rc);
		FUZZ_CHECK(cause != NULL && *cause, "a refused bundle without a reason");
		FUZZ_CHECK(b->rows == NULL && b->nrows == 0 && b->name == NULL,
			   "a refused bundle holds data");
	}
	free(cause);
	return rc;
}

/* Opens the n bytes at data (an exact copy) as a bundle file with cfg. */
static int open_file(const char *data, size_t n, const struct config *c, struct sync_bundle *b)
{
	char *copy = malloc(n ? n : 1);
	char *cause = NULL;
	if (n)
		memcpy(copy, data, n);
	int rc = sync_bundle_open(copy, n, "fuzz.bundle", c, &district_key, 1, b, &cause);
	free(copy);
	return verdict(rc, cause, b, n);
}

/* Opens a whole bundle; when accepted, checks it, and that one byte less,
 * one byte changed (at a place chosen by the input) or another declared
 * sender refuses it. */
static void whole(const char *data, size_t n, long rows)
{
	struct sync_bundle b;
	if (open_file(data, n, &cfg, &b) != SR_OK)
		return;
	check_accepted(&b, rows);
	FUZZ_CHECK(str_eq(b.to, "district") && config_site(&cfg, b.from), "not ours, or undeclared");
	bool from_fuzz = str_eq(b.from, "fuzz");
	sync_bundle_free(&b);

	struct sync_bundle cut;
	FUZZ_CHECK(open_file(data, n - 1, &cfg, &cut) != SR_OK, "a bundle cut by one byte was accepted");
	char *bad = malloc(n);
	memcpy(bad, data, n);
	size_t at = 0;
	for (size_t i = 0; i < n; i++)
		at = at * 31 + (unsigned char)data[i];
	at %= n;
	bad[at] = (char)(bad[at] ^ (1 + (at & 0x7F)));
	struct sync_bundle dam;
	FUZZ_CHECK(open_file(bad, n, &cfg, &dam) != SR_OK, "a bundle with byte %zu changed was accepted", at);
	free(bad);
	/* the same bundle, with the other site's key declared under "fuzz": a
	 * signature is only good with its signer's key */
	if (from_fuzz) {
		struct site_decl swapped[2] = {sites[0], sites[1]};
		swapped[0].key = other_key.pub;
		struct config c2 = cfg;
		c2.sites = swapped;
		struct sync_bundle forged;
		FUZZ_CHECK(open_file(data, n, &c2, &forged) == SYNC_REFUSED,
			   "a bundle checked with another site's key was not refused");
	}
}

/* Wraps a changeset in a good message from the site "fuzz", signed and
 * sealed to the district. */
static void wrapped(const uint8_t *data, size_t size)
{
	long rows = data[0];
	char *out = NULL;
	size_t outn = 0;
	char id[65];
	sync_bundle_make(&(struct config){.site_id = "fuzz", .site_name = "模糊测试"},
			 &(struct site_decl){.id = "district", .kind = SITE_DISTRICT,
					     .key = district_key.pub},
			 &site_key, "2026-11-29T08:15:03.000Z", 1, 0, rows, data + 1, size - 1,
			 &out, &outn, id);
	whole(out, outn, rows);
	free(out);
}

/* A signed message on its own. */
static void message(const uint8_t *data, size_t size)
{
	struct sync_bundle b;
	char *copy = malloc(size);
	char *cause = NULL;
	memcpy(copy, data, size);
	int rc = sync_message_parse(copy, size, "fuzz.message", &b, &cause);
	free(copy);
	if (verdict(rc, cause, &b, size) == SR_OK)
		check_accepted(&b, -1);
	sync_bundle_free(&b);
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
	static const char file_magic[] = "TALENTREG-SYNC 2", signed_magic[] = "TALENTREG-SYNC-SIGNED";
	if (size == 0)
		return 0;
	world();
	if (size >= sizeof signed_magic - 1 && memcmp(data, signed_magic, sizeof signed_magic - 1) == 0)
		message(data, size);
	else if (size >= sizeof file_magic - 1 && memcmp(data, file_magic, sizeof file_magic - 1) == 0)
		whole((const char *)data, size, -1);
	else if (data[0] == '{')
		json(data, size);
	else
		wrapped(data, size);
	return 0;
}
