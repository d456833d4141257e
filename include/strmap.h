/*
 * strmap.h - a hash map from strings to where they were seen: a row number
 * and a uuid (either may be empty). Open addressing with FNV-1a, for the
 * large sets of values that a bulk import or the demo checks each row
 * against (every person and every unique value of a category).
 */
#ifndef TALENTREG_STRMAP_H
#define TALENTREG_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap_entry {
	char *key;
	long row;		/* 0: not from a row (the database) */
	char *uuid;		/* may be NULL */
};

/* Zero-initialise before use. */
struct strmap {
	struct strmap_entry *v;
	size_t cap, n;
};

/* Returns the entry for key, or NULL; valid until the next put. */
const struct strmap_entry *strmap_get(const struct strmap *m, const char *key);
/* Adds key (copied) with row and uuid (copied; may be NULL) unless it is
 * there; returns true when it was added. */
bool strmap_put(struct strmap *m, const char *key, long row, const char *uuid);
void strmap_free(struct strmap *m);

#endif
