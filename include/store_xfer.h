/*
 * store_xfer.h - the store calls behind import, export and backup: reading
 * every record for an export, looking up many values at once for a bulk
 * import, and copying the live database with SQLite's backup API. Same
 * conventions as store.h: SR_OK or a negative store_rc, and a new message
 * in *cause on failure.
 */
#ifndef TALENTREG_STORE_XFER_H
#define TALENTREG_STORE_XFER_H

#include <stddef.h>

#include "store.h"

/* Calls cb for each live (not withdrawn) record of category (every
 * category when NULL) that a may view, by category and then oldest first,
 * until cb returns non-zero. a must be allowed ACT_EXPORT (else SR_DENIED
 * before any call). The record passed is valid only during the call. */
int store_export_each(struct store *st, const struct actor *a, const char *category,
		      int (*cb)(const struct record *r, void *arg), void *arg, char **cause);

/* Calls cb(value, uuid, arg) for each live record of category with a
 * non-empty value of field key, or with its person key when key is NULL:
 * one scan instead of one query per row of a bulk import. Not scoped, like
 * store_value_taken: uniqueness is district-wide. */
int store_field_values(struct store *st, const char *category, const char *key,
		       void (*cb)(const char *value, const char *uuid, void *arg), void *arg,
		       char **cause);

/* Readies the connection for one large transaction (a bulk import): a
 * page cache of up to cache_mb megabytes, so that the indexes the
 * transaction touches stay in memory instead of spilling to the WAL and
 * being read back, and temporary data (the statement journals that the
 * search index's triggers need) in memory instead of a file. Lasts until
 * store_close. */
int store_bulk_mode(struct store *st, int cache_mb, char **cause);

/* Copies the live database into a new file at path (in a private folder
 * the caller made, and later renames into place), through the backup API: a few pages
 * a step, all from one read snapshot, so the copy is consistent while
 * writers carry on. Then runs PRAGMA integrity_check on the copy; anything
 * but "ok" is SR_FAIL. a must be an admin. *pages gets the copy's size in
 * pages. */
int store_backup(struct store *st, const struct actor *a, const char *path, int *pages,
		 char **cause);

#endif
