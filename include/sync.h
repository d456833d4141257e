/*
 * sync.h - offline sites: the bundle file that carries changes between a
 * training site and its district, and the store calls that write, open,
 * merge and reconcile them. DESIGN.md "Offline sites and merging" is the
 * model; the trust it places in each side is in the README ("Offline
 * training sites").
 *
 * The bundle file, format 2. A cleartext head, then a sealed box:
 *
 *     TALENTREG-SYNC 2\n
 *     from site_a\n                  the sender's site id
 *     to district\n                  the receiver's
 *     length 3712\n                  bytes of the box
 *     \n
 *     <crypto_box_seal(signature || message, the receiver's X25519 key)>
 *
 * The head tells the receiver which declared key checks the bundle, and a
 * person what the file is; nothing else is readable without the
 * receiver's secret key (seal.h). The message, signed by the sender's
 * Ed25519 key (so its head is bound to it):
 *
 *     TALENTREG-SYNC-SIGNED 2\n
 *     from site_a\n
 *     to district\n
 *     name 宁远堡镇培训点\n           the sender's name, for messages
 *     exported 2026-11-29T08:15:03.123Z\n
 *     seq 3\n                        the sender's bundles to this receiver,
 *                                    counted from 1: a bundle whose seq is
 *                                    not above the last one imported is old
 *                                    (a replay) and refused
 *     ack 2\n                        the receiver's last bundle that the
 *                                    sender had imported (0: none)
 *     rows 12\n
 *     length 3456\n
 *     \n
 *     <length bytes: an SQLite session changeset of INSERTs into sync_rows,
 *      one full row of the 16 record columns per record, keyed by uuid>
 *
 * A bundle's id is the SHA-256 of its message. Rows are full records, so
 * any bundle stands on its own; a record goes again in every bundle until
 * the receiver acknowledges a bundle that held it, so a lost stick loses
 * nothing. Everything a row claims is checked as a typed record is (the
 * receiver's registry, through struct sync_rules); its version is the
 * sender's and only informs: each database counts its own.
 *
 * Functions returning int return SR_OK (0) on success; on failure *cause
 * (when cause is not NULL) receives a new message that the caller frees.
 */
#ifndef TALENTREG_SYNC_H
#define TALENTREG_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "record.h"
#include "seal.h"
#include "store.h"

#define SYNC_MAGIC "TALENTREG-SYNC 2"
#define SYNC_SIGNED_MAGIC "TALENTREG-SYNC-SIGNED 2"
#define SYNC_SITE_MAX 64
/* A bundle from a site whose rows would hold more than this many for a
 * supervisor is refused whole: a flood is not a list to go through. */
#define SYNC_HELD_MAX 100

/* What reading or importing a bundle can fail with (besides SR_OK and the
 * store's SR_*); both are invalid data (exit 1) and change no record. */
enum sync_read_rc {
	SYNC_DAMAGED = -20,	/* not a bundle, truncated, or damaged */
	SYNC_REFUSED = -21	/* a whole bundle not taken: an undeclared sender,
				 * not sealed to us, not signed by its sender's
				 * key, old (a replay), or a flood of bad rows */
};

/* One record as a bundle carries it: every synced column of records. */
struct sync_row {
	struct record r;	/* uuid .. site, vals parsed; comment may be NULL */
	char *vals_json;	/* vals as sent */
};

/* A bundle's message, read and verified; everything is owned. */
struct sync_bundle {
	char from[SYNC_SITE_MAX + 1];	/* the sender's site id */
	char to[SYNC_SITE_MAX + 1];	/* the receiver's */
	char *name;			/* the sender's name, for messages */
	char *exported;			/* when it was exported (UTC, ISO 8601) */
	long seq, ack;
	char id[65];			/* SHA-256 of the message, lower-case hex */
	size_t len;			/* changeset length in bytes */
	struct sync_row *rows;
	size_t nrows;
};
void sync_bundle_free(struct sync_bundle *b);

/* The cleartext head of a bundle file. */
struct sync_head {
	char from[SYNC_SITE_MAX + 1], to[SYNC_SITE_MAX + 1];
	const char *box;	/* the sealed box, inside the data read */
	size_t box_len;
};
/* Reads the head of the n bytes at data (name stands for the file in
 * messages). Returns SR_OK or SYNC_DAMAGED. No key is needed: a person can
 * read the head of any bundle. */
int sync_head_parse(const char *data, size_t n, const char *name, struct sync_head *h,
		    char **cause);
/* Reads a signed message (after its signature was checked) into *b
 * (zeroed first), parsing its changeset into rows; needs no database or
 * key, so the fuzzer calls it. Returns SR_OK or SYNC_DAMAGED; on failure
 * *b holds nothing to free. */
int sync_message_parse(const char *data, size_t n, const char *name, struct sync_bundle *b,
		       char **cause);
/* Opens a whole bundle file: its head, then the box with our key pairs
 * own (nown, newest first), the signature with the key cfg's sites.ini
 * declares for the sender, and the message, which must name the same
 * sender and us (cfg's [site] id) as receiver. Returns SR_OK, SYNC_DAMAGED
 * or SYNC_REFUSED (*cause says which check failed). */
int sync_bundle_open(const char *data, size_t n, const char *name, const struct config *cfg,
		     const struct seal_secret *own, size_t nown, struct sync_bundle *b,
		     char **cause);
/* Writes a bundle of the changeset cs (n bytes, rows records) from us (cfg)
 * to peer, signed with key, into a new buffer *out of *outn bytes (the
 * caller frees it); id receives its id. seq and ack as the format says. */
void sync_bundle_make(const struct config *cfg, const struct site_decl *peer,
		      const struct seal_secret *key, const char *exported, long seq, long ack,
		      long rows, const void *cs, size_t n, char **out, size_t *outn, char id[65]);

/* What an export or an import did. */
struct sync_result {
	char peer[SYNC_SITE_MAX + 1];	/* to whom (export) or from whom (import) */
	long rows;		/* rows in the bundle */
	long seq;		/* the bundle's number from its sender */
	long inserted, updated, unchanged, conflicts, held;
	long waiting;		/* export: records not sent, a conflict waits on them */
	long open_conflicts;	/* import: conflicts and held rows waiting, in all */
	bool already;		/* import: this bundle was applied before; nothing done */
	char id[65];		/* the bundle's id */
	char *name;		/* import: the sender's name (new string) */
	char *exported;		/* import: when the sender exported it (new string) */
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

/* Hands sink a bundle for the peer to (declared in cfg's sites.ini) of
 * every record it has not acknowledged in its last state (all of them with
 * all): to a site, the records made at that site; to a district, every
 * record. Records on which a conflict with that peer waits are kept back
 * (res->waiting) until it is resolved. Signed with our newest key, sealed
 * to the peer's; the bundle's number and what was sent are recorded in the
 * same transaction. Needs ACT_ADMIN (the bundle holds records unmasked). */
int store_sync_export(struct store *st, const struct actor *a, const struct config *cfg,
		      const char *to, bool all, const struct sync_sink *sink,
		      struct sync_result *res, char **cause);

/* A verdict on one incoming row: what the merge may store, or why not. */
enum sync_verdict_kind {
	SV_OK,		/* rec is the record to store */
	SV_REFUSED,	/* reason says why; held for a supervisor, never applied */
	SV_DUPLICATE	/* the person is registered live in the category as other */
};
struct sync_verdict {
	enum sync_verdict_kind kind;
	struct record rec;	/* SV_OK: normalised values and the columns they
				 * give, status, comment, logins as this database
				 * names them, times and site; version unset */
	char *note;		/* SV_OK: what the audit row adds (warnings), or NULL */
	char *reason;		/* SV_REFUSED */
	char *other;		/* SV_DUPLICATE: the other record's uuid */
};
void sync_verdict_free(struct sync_verdict *v);

/* The receiver's rules for incoming rows: registry.c's reg_sync_rules,
 * the same validation and authorization as a typed record. check() is
 * called inside the merge's transaction, for one row of peer (declared in
 * sites.ini) with our copy local of that record (NULL when we have none),
 * and fills *v (zeroed by the caller). */
struct sync_rules {
	void (*check)(void *arg, const struct site_decl *peer, const struct sync_row *in,
		      const struct record *local, struct sync_verdict *v);
	void *arg;
};

/* Opens the bundle file of n bytes at data (name: the file) and merges it
 * in one transaction. A bundle that does not open, or is old, is refused
 * whole and changes no record; the refusal has its audit row naming the
 * file. Otherwise, per row: what the sender sent before is old news; a
 * new record is added, and a record we did not change since we last
 * agreed with the sender is updated, when rules accept the row; a row the
 * rules refuse is held, and a record changed on both sides is kept as a
 * conflict, both for a supervisor, never applied; a bundle applied before
 * changes nothing. Every change writes an audit row. Needs ACT_ADMIN. */
int store_sync_import(struct store *st, const struct actor *a, const struct config *cfg,
		      const struct sync_rules *rules, const char *data, size_t n,
		      const char *name, struct sync_result *res, char **cause);

/* One kept conflict or held row; strings valid during the callback only. */
struct sync_conflict {
	long id;
	const char *site, *uuid, *kind;	/* kind: "edited", "duplicate" or "refused" */
	const char *category;		/* the incoming row's */
	const char *name, *township;	/* from the incoming row */
	const char *other_uuid;		/* duplicate: the live record of that person */
	const char *reason;		/* refused: why */
	const char *bundle;		/* the id of the bundle that brought it */
	int incoming_version, local_version;	/* local_version 0: none */
	const char *at, *resolution, *resolved_by, *resolved_at;	/* NULL while open */
	const char *fields;		/* the keys whose values differ: "a, b"
					 * ("status" and "comment" among them) */
	const char *incoming_json;	/* the incoming row as a JSON object (unmasked) */
};
/* Calls cb for the conflicts in a's townships (open ones only unless all),
 * oldest first, until cb returns non-zero. Needs a supervisor or admin; an
 * officer is SR_DENIED. */
int store_sync_conflicts(struct store *st, const struct actor *a, bool all,
			 int (*cb)(const struct sync_conflict *c, void *arg), void *arg,
			 char **cause);
/* Loads the incoming row of the conflict id (any state) into *row, when a
 * may see it (as store_sync_conflicts); free it with sync_row_free. A held
 * row that does not read as a record is SR_INVALID. */
int store_sync_conflict_row(struct store *st, const struct actor *a, long id,
			    struct sync_row *row, char **cause);
/* Frees what a row holds. */
void sync_row_free(struct sync_row *row);

enum sync_choice { SYNC_KEEP, SYNC_TAKE };
/* Resolves the open conflict of the record id (a uuid or a prefix of 8 or
 * more), from site when several peers conflict on it: SYNC_KEEP leaves our
 * copy (which then goes to that peer in the next bundle), SYNC_TAKE puts
 * the peer's copy in its place, when rules (cfg's sites.ini for the peer)
 * still accept it; a held row is only ever kept. Needs a supervisor in the
 * record's townships, or an admin; writes an audit row with comment. */
int store_sync_resolve(struct store *st, const struct actor *a, const struct config *cfg,
		       const struct sync_rules *rules, const char *id, const char *site,
		       enum sync_choice how, const char *comment, char **cause);

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
