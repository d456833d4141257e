/*
 * auth.c - the one authorization function. The rules, from DESIGN.md
 * ("Statuses and roles"):
 *   officer     its own townships; creates; edits, submits and withdraws only
 *               the records it made, and edits only drafts and returned ones;
 *               sees IDs and phones masked.
 *   supervisor  its townships (or all); everything an officer may on any
 *               record in scope, plus approve, return and unlock, and
 *               exports of its townships (issue 5: "export is for admins
 *               and supervisors"; DESIGN.md's table says admin-only, and
 *               the later issue decides).
 *   admin       all townships; everything a supervisor may, plus admin
 *               tasks (init, backups, site bundles, --as).
 *   site        a declared training site, through the rows of its bundles
 *               (issue 12; the user's login is the site id, its townships
 *               those sites.ini gives it): creates in its townships; edits,
 *               submits and withdraws the records made at that site, in any
 *               status but approved; never approves, returns or unlocks:
 *               those come only from the district.
 * The plan's ledger (issue 14): anyone may note progress on an item; only
 * supervisors over every township, and admins, close it (销号: the
 * district's act, never a township's) or reopen it. Tags on people and
 * supervision (spot checks, officers' activity) are supervisors' and
 * admins', within their townships.
 * An approved record is locked: nobody edits it until it is unlocked.
 * Separation of duties: nobody approves or returns a record they registered
 * or last edited (talentreg.ini [review] self_review = yes allows it, for a
 * township with one person).
 * Nobody sees IDs and phones unmasked in lists or a plain show: a full view
 * is its own action (ACT_VIEW_FULL, supervisors and admins), recorded in the
 * audit like every other (issue 4). tests/unit/test_auth.c holds the whole
 * table of who may do what.
 */
#include "auth.h"

#include <string.h>

static const char *const action_names[ACT__COUNT] = {
	[ACT_VIEW] = "view", [ACT_CREATE] = "create", [ACT_EDIT] = "edit",
	[ACT_SUBMIT] = "submit", [ACT_WITHDRAW] = "withdraw", [ACT_APPROVE] = "approve",
	[ACT_RETURN] = "return", [ACT_UNLOCK] = "unlock", [ACT_VIEW_FULL] = "view_full",
	[ACT_EXPORT] = "export", [ACT_ADMIN] = "admin", [ACT_TASK_PROGRESS] = "task_progress",
	[ACT_TASK_CLOSE] = "task_close", [ACT_TAG] = "tag", [ACT_SUPERVISE] = "supervise",
};

const char *action_name(enum action a)
{
	return (unsigned)a < ACT__COUNT ? action_names[a] : "?";
}

bool auth_in_scope(const struct user *u, const char *t)
{
	if (u->role == ROLE_ADMIN || u->townships.n == 0)
		return true;
	return t != NULL && strv_has(&u->townships, t);
}

static int deny(enum msg_id *why, enum msg_id m)
{
	if (why)
		*why = m;
	return -1;
}

/* The statuses each record action starts from. */
static bool status_allows(enum action a, enum status st)
{
	switch (a) {
	case ACT_VIEW:
	case ACT_VIEW_FULL:
		return true;
	case ACT_CREATE:
		return st == ST_DRAFT || st == ST_SUBMITTED;
	case ACT_EDIT:
		return st == ST_DRAFT || st == ST_RETURNED || st == ST_SUBMITTED;
	case ACT_SUBMIT:
		return st == ST_DRAFT || st == ST_RETURNED;
	case ACT_WITHDRAW:
		return st == ST_DRAFT || st == ST_SUBMITTED || st == ST_RETURNED;
	case ACT_APPROVE:
	case ACT_RETURN:
		return st == ST_SUBMITTED;
	case ACT_UNLOCK:
		return st == ST_APPROVED;
	case ACT_TAG:	/* a person is tagged through a live record */
		return st != ST_WITHDRAWN;
	default:
		return false;
	}
}

/* The rules of a training site's rows (ROLE_SITE). */
static int site_check(const struct user *u, enum action a, const struct auth_subject *s,
		      enum msg_id *why)
{
	switch (a) {
	case ACT_VIEW:
	case ACT_CREATE:
	case ACT_EDIT:
	case ACT_SUBMIT:
	case ACT_WITHDRAW:
		break;
	default:	/* review, full view, exports, admin tasks */
		return deny(why, MSG_DENIED_SITE_DISTRICT);
	}
	if (s == NULL)
		return deny(why, MSG_DENIED_STATUS);
	/* a site of no township (sites.ini never declares one) has none */
	if (u->townships.n == 0 || !auth_in_scope(u, s->township))
		return deny(why, MSG_DENIED_SCOPE);
	if (a != ACT_VIEW && a != ACT_CREATE) {
		if (!str_eq(s->site, u->login))
			return deny(why, MSG_DENIED_SITE_OWN);
		if (s->status == ST_APPROVED)
			return deny(why, MSG_DENIED_LOCKED);
	}
	return status_allows(a, s->status) ? 0 : deny(why, MSG_DENIED_STATUS);
}

int auth_check(const struct user *u, enum action a, const struct auth_subject *s,
	       enum msg_id *why)
{
	if (u == NULL)
		return deny(why, MSG_DENIED_ROLE);
	if (u->role == ROLE_SITE)
		return site_check(u, a, s, why);
	bool officer = u->role == ROLE_OFFICER;

	if (a == ACT_ADMIN)
		return u->role == ROLE_ADMIN ? 0 : deny(why, MSG_DENIED_ROLE);
	if (a == ACT_EXPORT)	/* the district's own tables: issue 5 */
		return officer ? deny(why, MSG_DENIED_ROLE) : 0;
	if (a == ACT_TASK_PROGRESS)
		return 0;
	if (a == ACT_TASK_CLOSE) {
		if (officer)
			return deny(why, MSG_DENIED_ROLE);
		return auth_in_scope(u, NULL) ? 0 : deny(why, MSG_DENIED_DISTRICT);
	}
	if (a == ACT_SUPERVISE && s == NULL)
		return officer ? deny(why, MSG_DENIED_ROLE) : 0;
	if (s == NULL)
		return deny(why, MSG_DENIED_STATUS);
	if (!auth_in_scope(u, s->township))
		return deny(why, MSG_DENIED_SCOPE);

	switch (a) {
	case ACT_APPROVE:
	case ACT_RETURN:
		if (officer)
			return deny(why, MSG_DENIED_ROLE);
		if (!u->self_review &&
		    (str_eq(s->created_by, u->login) || str_eq(s->updated_by, u->login)))
			return deny(why, MSG_DENIED_SELF_REVIEW);
		break;
	case ACT_UNLOCK:
	case ACT_VIEW_FULL:
	case ACT_TAG:
		if (officer)
			return deny(why, MSG_DENIED_ROLE);
		break;
	case ACT_SUPERVISE:
		return officer ? deny(why, MSG_DENIED_ROLE) : 0;
	case ACT_EDIT:
	case ACT_SUBMIT:
	case ACT_WITHDRAW:
		if (s->status == ST_APPROVED)
			return deny(why, MSG_DENIED_LOCKED);
		if (officer) {
			if (!str_eq(s->created_by, u->login))
				return deny(why, MSG_DENIED_OWN);
			/* an officer's submitted record waits for review unchanged */
			if (a == ACT_EDIT && s->status == ST_SUBMITTED)
				return deny(why, MSG_DENIED_OWN);
		}
		break;
	default:
		break;
	}
	if (!status_allows(a, s->status))
		return deny(why, a == ACT_EDIT && s->status == ST_APPROVED ? MSG_DENIED_LOCKED
								    : MSG_DENIED_STATUS);
	return 0;
}

int auth_check_record(const struct user *u, enum action a, const struct record *r,
		      enum msg_id *why)
{
	struct auth_subject s = {r->township, r->status, r->created_by, r->updated_by, r->site};
	return auth_check(u, a, &s, why);
}
