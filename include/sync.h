/*
 * sync.h - offline sites: the bundle file that carries a site's changes to
 * the district, and the store calls that write, apply and reconcile them.
 * DESIGN.md "Offline sites and merging" is the model.
 *
 * A bundle is a short text header, checksummed with SHA-256, followed by an
 * SQLite session changeset of full rows (one INSERT per record that changed
 * since the site's last export, keyed by uuid), so that every bundle stands
 * on its own: bundles may arrive in any order, twice, or after a lost one.
 *
 *     TALENTREG-SYNC 1
 *     site site_a
 *     name 宁远堡镇培训点
 *     exported 2026-11-29T08:15:03Z
 *     rows 12
 *     length 3456
 *     sha256 <64 lower-case hex digits>
 *     <empty line>
 *     <length bytes of changeset>
 *
 * The SHA-256 covers every header byte before the "sha256" line and then
 * the changeset; the rest of the header is checked byte for byte, so any
 * damaged or missing byte refuses the whole bundle before the database is
 * touched.
 *
 * Functions returning int return 0 (SR_OK) on success; on failure *cause
 * (when cause is not NULL) receives a new message that the caller frees.
 */
#ifndef TALENTREG_SYNC_H
#define TALENTREG_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"
#include "seal.h"
#include "store.h"

#define SYNC_MAGIC "TALENTREG-SYNC 1"
#define SYNC_SITE_MAX 64

/* What reading a bundle can fail with (besides SR_OK). */
enum sync_read_rc {
	SYNC_DAMAGED = -2	/* not a bundle, truncated, or damaged (exit 1) */
};

/* One record as a bundle carries it: every synced column of records. */
struct sync_row {
	struct record r;	/* uuid .. site, vals parsed; comment may be NULL */
	char *vals_json;	/* vals as sent */
};

/* A bundle read and verified by sync_bundle_parse; everything is owned. */
struct sync_bundle {
	char site[SYNC_SITE_MAX + 1];	/* the exporting site's id */
	char *name;			/* its name, for messages */
	char *exported;			/* when it was exported (UTC, ISO 8601) */
	char sha256[65];		/* the bundle's checksum, lower-case hex */
	size_t len;			/* changeset length in bytes */
	struct sync_row *rows;
	size_t nrows;
};

/* Writes the SHA-256 of the n bytes at p into out. */
void sync_sha256(const void *p, size_t n, unsigned char out[32]);

/* Returns true when s can be a site id: 1 to 64 of [a-z0-9_]. */
bool sync_site_ok(const char *s);

/* Reads and verifies the bundle held in the n bytes at data (which need no
 * terminating NUL) into *b (zeroed first), parsing its changeset into rows;
 * name stands for the file in messages. Needs no database: the fuzzer calls
 * it. Returns SR_OK or SYNC_DAMAGED; on failure *b holds nothing to free. */
int sync_bundle_parse(const char *data, size_t n, const char *name, struct sync_bundle *b,
		      char **cause);
void sync_bundle_free(struct sync_bundle *b);

/* What an export or an import did. */
struct sync_result {
	long rows;		/* rows in the bundle */
	long inserted, updated, unchanged, conflicts;
	long open_conflicts;	/* import: conflicts waiting for a supervisor, in all */
	bool already;		/* import: this bundle was applied before; nothing done */
	char sha256[65];	/* the bundle's checksum */
	char *applied_at;	/* already: when it was applied (new string) */
};
void sync_result_free(struct sync_result *res);

/* Where an export puts its bundle: put() gets the whole bundle once, inside
 * the export's transaction, and returns 0 when it is stored for good
 * (written, synced and in place), else -1 with *cause set; the export then
 * records nothing. name is the file, for the audit. */
struct sync_sink {
	int (*put)(void *arg, const void *data, size_t n, char **cause);
	void *arg;
	const char *name;
};

/* Hands sink a bundle of every record that differs from the state of the
 * last export (all of them with all), with site and site_name in its
 * header, and records that state in the same transaction. Needs ACT_ADMIN
 * (the bundle holds every record unmasked). res->rows tells how many went. */
int store_sync_export(struct store *st, const struct actor *a, const char *site,
		      const char *site_name, bool all, const struct sync_sink *sink,
		      struct sync_result *res, char **cause);

/* Merges a verified bundle into the database in one transaction. Per row:
 * a new uuid is inserted; a record the district left alone since that site
 * last sent it is updated when the site's version is newer; a record changed
 * on both sides is not touched but kept in the conflicts for a supervisor;
 * older or repeated rows change nothing, and so does a bundle applied
 * before. Every change writes an audit row. Needs ACT_ADMIN (it changes
 * records in every township at once). */
int store_sync_import(struct store *st, const struct actor *a, const struct sync_bundle *b,
		      struct sync_result *res, char **cause);

/* One kept conflict; strings valid during the callback only. */
struct sync_conflict {
	long id;
	const char *site, *uuid, *kind;	/* kind: "edited" or "duplicate" */
	const char *category;		/* the incoming row's */
	const char *name, *township;	/* from the incoming row */
	const char *other_uuid;		/* duplicate: the district's live record */
	int incoming_version, local_version;	/* local_version 0: none */
	const char *at, *resolution, *resolved_by, *resolved_at;	/* NULL while open */
	const char *fields;		/* the field keys whose values differ: "a, b" */
	const char *incoming_json;	/* the incoming row as a JSON object (unmasked) */
};
/* Calls cb for the conflicts in a's townships (open ones only unless all),
 * oldest first, until cb returns non-zero. Needs a supervisor or admin; an
 * officer is SR_DENIED. */
int store_sync_conflicts(struct store *st, const struct actor *a, bool all,
			 int (*cb)(const struct sync_conflict *c, void *arg), void *arg,
			 char **cause);

enum sync_choice { SYNC_KEEP, SYNC_TAKE };
/* Resolves the open conflict of the record id (a uuid or a prefix of 8 or
 * more), from site when several sites conflict on it: SYNC_KEEP leaves the
 * district's copy (later changes from that site stay conflicts until one is
 * taken), SYNC_TAKE puts the site's copy in its place. Needs a supervisor in
 * the record's townships, or an admin; writes an audit row with comment. */
int store_sync_resolve(struct store *st, const struct actor *a, const char *id,
		       const char *site, enum sync_choice how, const char *comment,
		       char **cause);

/* Makes the database's key pairs (an admin only) and gives back their
 * public half in *pub. A database that has keys keeps them (SR_DUP) unless
 * replace: then the new pair signs and is sealed to from now on, and the
 * old ones still open bundles sealed to them. Writes an audit row with the
 * new key's fingerprint. */
int store_sync_keygen(struct store *st, const struct actor *a, bool replace,
		      struct seal_public *pub, char **cause);
/* The public half of the database's newest key pair into *pub, *have
 * false when it has none yet. */
int store_sync_public_key(struct store *st, struct seal_public *pub, bool *have, char **cause);

#endif
