/*
 * record.h - one registration: its identity and status, and its field values
 * as an ordered list of key=value pairs (kept in the form's field order).
 */
#ifndef TALENTREG_RECORD_H
#define TALENTREG_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "msg.h"
#include "util.h"

/* Field values: parallel vectors of keys and values (both owned). */
struct kv {
	struct strv keys, vals;
};
/* Returns the value of key, or NULL. */
const char *kv_get(const struct kv *kv, const char *key);
/* Sets key to a copy of val (adding it at the end when new). */
void kv_set(struct kv *kv, const char *key, const char *val);
/* Appends key and a copy of val; key must not be in kv yet. */
void kv_add(struct kv *kv, const char *key, const char *val);
/* True when a and b hold the same keys with the same values, in any order. */
bool kv_equal(const struct kv *a, const struct kv *b);
/* Removes key when present. */
void kv_del(struct kv *kv, const char *key);
void kv_free(struct kv *kv);
/* Appends the values as one JSON object to b. */
void kv_to_json(const struct kv *kv, struct buf *b);
/* Parses a flat JSON object of string values (as kv_to_json writes) into
 * kv, appending; returns 0, or -1 when s is not such an object, names a
 * key twice (or one kv already holds), or holds a string that is not
 * UTF-8. */
int kv_from_json(const char *s, struct kv *kv);

enum status { ST_DRAFT, ST_SUBMITTED, ST_APPROVED, ST_RETURNED, ST_WITHDRAWN };
#define ST__COUNT 5

/* Returns the status's stored name ("submitted"), and parses one (-1 when unknown). */
const char *status_name(enum status s);
int status_parse(const char *s, enum status *out);
/* Returns the status's label in the current language. */
const char *status_label(enum status s);

struct record {
	char uuid[37];
	char *category;
	enum status status;
	char *person_key;	/* the normalised ID number */
	char *name, *township, *village, *phone;	/* copies of the searchable values */
	struct kv vals;
	char *created_by, *created_at, *updated_by, *updated_at;
	int version;
	char *site;
	char *comment;		/* the latest review comment, NULL none */
};
void record_free(struct record *r);
/* Sets the record's person key (the id_number value) and its searchable
 * copies (name, township, village, phone) from its values. */
void record_sync(struct record *r);

/* Appends a JSON string literal for s to b (escaping quotes, backslashes
 * and every control character). */
void json_str(struct buf *b, const char *s);

/* Appends the start of a record as a JSON object: {"uuid":…,"category":…,
 * "status":… (the caller adds the rest and the closing brace). */
void record_json_head(struct buf *b, const struct record *r);

#endif
