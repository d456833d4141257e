/*
 * auth.h - who may do what to which record. One function decides; the store
 * calls it for every action, so no menu or command can go around it.
 */
#ifndef TALENTREG_AUTH_H
#define TALENTREG_AUTH_H

#include <stdbool.h>

#include "config.h"
#include "msg.h"
#include "record.h"

enum action {
	ACT_VIEW,	/* see a record (masked for officers) */
	ACT_CREATE,	/* register a new record in a township */
	ACT_EDIT,	/* change field values */
	ACT_SUBMIT,	/* draft or returned -> submitted */
	ACT_WITHDRAW,	/* -> withdrawn */
	ACT_APPROVE,	/* submitted -> approved (locked) */
	ACT_RETURN,	/* submitted -> returned, with a comment */
	ACT_UNLOCK,	/* approved -> submitted, with a reason */
	ACT_VIEW_FULL,	/* see an unmasked ID number and phone */
	ACT_EXPORT,	/* export records */
	ACT_ADMIN,	/* init, demo data, --as */
	ACT_TASK_PROGRESS,	/* a progress note on an item of the plan's ledger */
	ACT_TASK_CLOSE,	/* close (销号) or reopen a ledger item */
	ACT_TAG,	/* set or remove a tag on the person of a record */
	ACT_SUPERVISE	/* spot checks of a township's records; officers' activity */
};
#define ACT__COUNT 15

/* Returns the action's name as written in the audit ("approve"). */
const char *action_name(enum action a);

/* The facts about a record that decide: its township, status, maker and
 * last editor. For ACT_CREATE the status is the one it is to get; for
 * ACT_EXPORT, ACT_ADMIN and the ledger's actions the record is NULL (and
 * not read); for ACT_SUPERVISE it is the record checked, or only the
 * township sampled, or NULL for the whole of the user's townships. */
struct auth_subject {
	const char *township;
	enum status status;
	const char *created_by;
	const char *updated_by;	/* may be NULL: nobody yet */
	const char *site;	/* the site that made it (ROLE_SITE's rules); may be NULL */
};

/* Returns 0 when user u may do a to s; otherwise -1 with the reason in *why. */
int auth_check(const struct user *u, enum action a, const struct auth_subject *s,
	       enum msg_id *why);
/* auth_check() with record r's own facts (township, status, maker, last
 * editor, site) as the subject. */
int auth_check_record(const struct user *u, enum action a, const struct record *r,
		      enum msg_id *why);
/* Returns true when township t is within u's townships. */
bool auth_in_scope(const struct user *u, const char *t);

#endif
