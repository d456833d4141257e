/*
 * test_auth.c - the one authorization function against the whole table of
 * who may do what: 3 roles x 2 townships (the user's own and another) x
 * own/other maker x every action x every status; and the table of a
 * training site's rows (ROLE_SITE: its own site's records or another's).
 *
 * The expected table below is written out by hand from DESIGN.md
 * ("Statuses and roles", "Import and export") and issue 4; it is data, not
 * computed by calling the code. Where a reason is given for a refusal, the
 * first rule that applies wins, in this order: the role may never do it
 * (exports, admin tasks) > the record is outside the user's townships > the
 * role may not do it (review, full view) > a reviewer's own record (approve
 * and return: separation of duties, issue 10) > the record is approved and
 * locked > an officer's record made by someone else, or its own submitted
 * record (edit only) > the status does not allow it.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"

/* What auth_check is expected to answer: allow, or deny with this reason. */
enum want { OK, SCOPE, ROLE, LOCKED, OWN, STATUS, SELF, DISTRICT, SITE_OWN, SITEDIST };

static const enum msg_id reason_msg[] = {
	[SCOPE] = MSG_DENIED_SCOPE, [ROLE] = MSG_DENIED_ROLE, [LOCKED] = MSG_DENIED_LOCKED,
	[OWN] = MSG_DENIED_OWN, [STATUS] = MSG_DENIED_STATUS, [SELF] = MSG_DENIED_SELF_REVIEW,
	[DISTRICT] = MSG_DENIED_DISTRICT, [SITE_OWN] = MSG_DENIED_SITE_OWN,
	[SITEDIST] = MSG_DENIED_SITE_DISTRICT,
};
static const char *const want_names[] = {"OK", "SCOPE", "ROLE", "LOCKED", "OWN", "STATUS", "SELF",
					 "DISTRICT", "SITE_OWN", "SITEDIST"};

enum { OWN_T = 1, OTHER_T = 0 };	/* the record's township: the user's or another */
enum { BY_ME = 1, BY_OTHER = 0 };	/* the record's maker: the user or someone else */

/* One row: a role doing an action to a record in a township by a maker, and
 * the expected answer for each status in enum order:
 *        draft  submitted  approved  returned  withdrawn */
struct row {
	enum role role;
	enum action act;
	int town, maker;
	enum want st[ST__COUNT];
};

#define O ROLE_OFFICER
#define S ROLE_SUPERVISOR
#define A ROLE_ADMIN
#define ALL(w) {w, w, w, w, w}

static const struct row table[] = {
	/* ---- officer: its own townships; creates; edits its own drafts and
	 * returned records, submits and withdraws its own; sees masked only;
	 * never reviews, exports or administers ---- */
	{O, ACT_VIEW, OWN_T, BY_ME, ALL(OK)},
	{O, ACT_VIEW, OWN_T, BY_OTHER, ALL(OK)},
	{O, ACT_VIEW, OTHER_T, BY_ME, ALL(SCOPE)},
	{O, ACT_VIEW, OTHER_T, BY_OTHER, ALL(SCOPE)},
	/* CREATE: the status is the one the new record gets; the maker is the user */
	{O, ACT_CREATE, OWN_T, BY_ME, {OK, OK, STATUS, STATUS, STATUS}},
	{O, ACT_CREATE, OWN_T, BY_OTHER, {OK, OK, STATUS, STATUS, STATUS}},
	{O, ACT_CREATE, OTHER_T, BY_ME, ALL(SCOPE)},
	{O, ACT_CREATE, OTHER_T, BY_OTHER, ALL(SCOPE)},
	/* a submitted record waits for review unchanged */
	{O, ACT_EDIT, OWN_T, BY_ME, {OK, OWN, LOCKED, OK, STATUS}},
	{O, ACT_EDIT, OWN_T, BY_OTHER, {OWN, OWN, LOCKED, OWN, OWN}},
	{O, ACT_EDIT, OTHER_T, BY_ME, ALL(SCOPE)},
	{O, ACT_EDIT, OTHER_T, BY_OTHER, ALL(SCOPE)},
	/* draft -> submitted, returned -> submitted again */
	{O, ACT_SUBMIT, OWN_T, BY_ME, {OK, STATUS, LOCKED, OK, STATUS}},
	{O, ACT_SUBMIT, OWN_T, BY_OTHER, {OWN, OWN, LOCKED, OWN, OWN}},
	{O, ACT_SUBMIT, OTHER_T, BY_ME, ALL(SCOPE)},
	{O, ACT_SUBMIT, OTHER_T, BY_OTHER, ALL(SCOPE)},
	/* withdraw own; an approved record must be unlocked first */
	{O, ACT_WITHDRAW, OWN_T, BY_ME, {OK, OK, LOCKED, OK, STATUS}},
	{O, ACT_WITHDRAW, OWN_T, BY_OTHER, {OWN, OWN, LOCKED, OWN, OWN}},
	{O, ACT_WITHDRAW, OTHER_T, BY_ME, ALL(SCOPE)},
	{O, ACT_WITHDRAW, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{O, ACT_APPROVE, OWN_T, BY_ME, ALL(ROLE)},
	{O, ACT_APPROVE, OWN_T, BY_OTHER, ALL(ROLE)},
	{O, ACT_APPROVE, OTHER_T, BY_ME, ALL(SCOPE)},
	{O, ACT_APPROVE, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{O, ACT_RETURN, OWN_T, BY_ME, ALL(ROLE)},
	{O, ACT_RETURN, OWN_T, BY_OTHER, ALL(ROLE)},
	{O, ACT_RETURN, OTHER_T, BY_ME, ALL(SCOPE)},
	{O, ACT_RETURN, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{O, ACT_UNLOCK, OWN_T, BY_ME, ALL(ROLE)},
	{O, ACT_UNLOCK, OWN_T, BY_OTHER, ALL(ROLE)},
	{O, ACT_UNLOCK, OTHER_T, BY_ME, ALL(SCOPE)},
	{O, ACT_UNLOCK, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{O, ACT_VIEW_FULL, OWN_T, BY_ME, ALL(ROLE)},
	{O, ACT_VIEW_FULL, OWN_T, BY_OTHER, ALL(ROLE)},
	{O, ACT_VIEW_FULL, OTHER_T, BY_ME, ALL(SCOPE)},
	{O, ACT_VIEW_FULL, OTHER_T, BY_OTHER, ALL(SCOPE)},
	/* exports and admin tasks do not concern one record */
	{O, ACT_EXPORT, OWN_T, BY_ME, ALL(ROLE)},
	{O, ACT_EXPORT, OWN_T, BY_OTHER, ALL(ROLE)},
	{O, ACT_EXPORT, OTHER_T, BY_ME, ALL(ROLE)},
	{O, ACT_EXPORT, OTHER_T, BY_OTHER, ALL(ROLE)},
	{O, ACT_ADMIN, OWN_T, BY_ME, ALL(ROLE)},
	{O, ACT_ADMIN, OWN_T, BY_OTHER, ALL(ROLE)},
	{O, ACT_ADMIN, OTHER_T, BY_ME, ALL(ROLE)},
	{O, ACT_ADMIN, OTHER_T, BY_OTHER, ALL(ROLE)},
	/* ---- the plan (issue 14): progress on a ledger item is anyone's; an
	 * officer never closes one, tags a person or supervises ---- */
	{O, ACT_TASK_PROGRESS, OWN_T, BY_ME, ALL(OK)},
	{O, ACT_TASK_PROGRESS, OWN_T, BY_OTHER, ALL(OK)},
	{O, ACT_TASK_PROGRESS, OTHER_T, BY_ME, ALL(OK)},
	{O, ACT_TASK_PROGRESS, OTHER_T, BY_OTHER, ALL(OK)},
	{O, ACT_TASK_CLOSE, OWN_T, BY_ME, ALL(ROLE)},
	{O, ACT_TASK_CLOSE, OWN_T, BY_OTHER, ALL(ROLE)},
	{O, ACT_TASK_CLOSE, OTHER_T, BY_ME, ALL(ROLE)},
	{O, ACT_TASK_CLOSE, OTHER_T, BY_OTHER, ALL(ROLE)},
	{O, ACT_TAG, OWN_T, BY_ME, ALL(ROLE)},
	{O, ACT_TAG, OWN_T, BY_OTHER, ALL(ROLE)},
	{O, ACT_TAG, OTHER_T, BY_ME, ALL(SCOPE)},
	{O, ACT_TAG, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{O, ACT_SUPERVISE, OWN_T, BY_ME, ALL(ROLE)},
	{O, ACT_SUPERVISE, OWN_T, BY_OTHER, ALL(ROLE)},
	{O, ACT_SUPERVISE, OTHER_T, BY_ME, ALL(SCOPE)},
	{O, ACT_SUPERVISE, OTHER_T, BY_OTHER, ALL(SCOPE)},

	/* ---- supervisor (here of one township): everything an officer may, on
	 * any record in its townships, plus approve, return, unlock and the
	 * recorded full view; exports are admin-only ---- */
	{S, ACT_VIEW, OWN_T, BY_ME, ALL(OK)},
	{S, ACT_VIEW, OWN_T, BY_OTHER, ALL(OK)},
	{S, ACT_VIEW, OTHER_T, BY_ME, ALL(SCOPE)},
	{S, ACT_VIEW, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{S, ACT_CREATE, OWN_T, BY_ME, {OK, OK, STATUS, STATUS, STATUS}},
	{S, ACT_CREATE, OWN_T, BY_OTHER, {OK, OK, STATUS, STATUS, STATUS}},
	{S, ACT_CREATE, OTHER_T, BY_ME, ALL(SCOPE)},
	{S, ACT_CREATE, OTHER_T, BY_OTHER, ALL(SCOPE)},
	/* a supervisor may correct a submitted record (after an unlock, say) */
	{S, ACT_EDIT, OWN_T, BY_ME, {OK, OK, LOCKED, OK, STATUS}},
	{S, ACT_EDIT, OWN_T, BY_OTHER, {OK, OK, LOCKED, OK, STATUS}},
	{S, ACT_EDIT, OTHER_T, BY_ME, ALL(SCOPE)},
	{S, ACT_EDIT, OTHER_T, BY_OTHER, ALL(SCOPE)},
	/* submitting a submitted record would only add a false history row */
	{S, ACT_SUBMIT, OWN_T, BY_ME, {OK, STATUS, LOCKED, OK, STATUS}},
	{S, ACT_SUBMIT, OWN_T, BY_OTHER, {OK, STATUS, LOCKED, OK, STATUS}},
	{S, ACT_SUBMIT, OTHER_T, BY_ME, ALL(SCOPE)},
	{S, ACT_SUBMIT, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{S, ACT_WITHDRAW, OWN_T, BY_ME, {OK, OK, LOCKED, OK, STATUS}},
	{S, ACT_WITHDRAW, OWN_T, BY_OTHER, {OK, OK, LOCKED, OK, STATUS}},
	{S, ACT_WITHDRAW, OTHER_T, BY_ME, ALL(SCOPE)},
	{S, ACT_WITHDRAW, OTHER_T, BY_OTHER, ALL(SCOPE)},
	/* submitted -> approved (locked) or returned */
	{S, ACT_APPROVE, OWN_T, BY_ME, ALL(SELF)},
	{S, ACT_APPROVE, OWN_T, BY_OTHER, {STATUS, OK, STATUS, STATUS, STATUS}},
	{S, ACT_APPROVE, OTHER_T, BY_ME, ALL(SCOPE)},
	{S, ACT_APPROVE, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{S, ACT_RETURN, OWN_T, BY_ME, ALL(SELF)},
	{S, ACT_RETURN, OWN_T, BY_OTHER, {STATUS, OK, STATUS, STATUS, STATUS}},
	{S, ACT_RETURN, OTHER_T, BY_ME, ALL(SCOPE)},
	{S, ACT_RETURN, OTHER_T, BY_OTHER, ALL(SCOPE)},
	/* approved -> submitted */
	{S, ACT_UNLOCK, OWN_T, BY_ME, {STATUS, STATUS, OK, STATUS, STATUS}},
	{S, ACT_UNLOCK, OWN_T, BY_OTHER, {STATUS, STATUS, OK, STATUS, STATUS}},
	{S, ACT_UNLOCK, OTHER_T, BY_ME, ALL(SCOPE)},
	{S, ACT_UNLOCK, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{S, ACT_VIEW_FULL, OWN_T, BY_ME, ALL(OK)},
	{S, ACT_VIEW_FULL, OWN_T, BY_OTHER, ALL(OK)},
	{S, ACT_VIEW_FULL, OTHER_T, BY_ME, ALL(SCOPE)},
	{S, ACT_VIEW_FULL, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{S, ACT_EXPORT, OWN_T, BY_ME, ALL(OK)},
	{S, ACT_EXPORT, OWN_T, BY_OTHER, ALL(OK)},
	{S, ACT_EXPORT, OTHER_T, BY_ME, ALL(OK)},
	{S, ACT_EXPORT, OTHER_T, BY_OTHER, ALL(OK)},
	{S, ACT_ADMIN, OWN_T, BY_ME, ALL(ROLE)},
	{S, ACT_ADMIN, OWN_T, BY_OTHER, ALL(ROLE)},
	{S, ACT_ADMIN, OTHER_T, BY_ME, ALL(ROLE)},
	{S, ACT_ADMIN, OTHER_T, BY_OTHER, ALL(ROLE)},
	/* a supervisor of one township tags and supervises there; closing an
	 * item is the district's act (a supervisor over every township) */
	{S, ACT_TASK_PROGRESS, OWN_T, BY_ME, ALL(OK)},
	{S, ACT_TASK_PROGRESS, OWN_T, BY_OTHER, ALL(OK)},
	{S, ACT_TASK_PROGRESS, OTHER_T, BY_ME, ALL(OK)},
	{S, ACT_TASK_PROGRESS, OTHER_T, BY_OTHER, ALL(OK)},
	{S, ACT_TASK_CLOSE, OWN_T, BY_ME, ALL(DISTRICT)},
	{S, ACT_TASK_CLOSE, OWN_T, BY_OTHER, ALL(DISTRICT)},
	{S, ACT_TASK_CLOSE, OTHER_T, BY_ME, ALL(DISTRICT)},
	{S, ACT_TASK_CLOSE, OTHER_T, BY_OTHER, ALL(DISTRICT)},
	{S, ACT_TAG, OWN_T, BY_ME, {OK, OK, OK, OK, STATUS}},
	{S, ACT_TAG, OWN_T, BY_OTHER, {OK, OK, OK, OK, STATUS}},
	{S, ACT_TAG, OTHER_T, BY_ME, ALL(SCOPE)},
	{S, ACT_TAG, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{S, ACT_SUPERVISE, OWN_T, BY_ME, ALL(OK)},
	{S, ACT_SUPERVISE, OWN_T, BY_OTHER, ALL(OK)},
	{S, ACT_SUPERVISE, OTHER_T, BY_ME, ALL(SCOPE)},
	{S, ACT_SUPERVISE, OTHER_T, BY_OTHER, ALL(SCOPE)},

	/* ---- admin: all townships (whatever users.ini lists for it);
	 * everything a supervisor may, plus exports and admin tasks ---- */
	{A, ACT_VIEW, OWN_T, BY_ME, ALL(OK)},
	{A, ACT_VIEW, OWN_T, BY_OTHER, ALL(OK)},
	{A, ACT_VIEW, OTHER_T, BY_ME, ALL(OK)},
	{A, ACT_VIEW, OTHER_T, BY_OTHER, ALL(OK)},
	{A, ACT_CREATE, OWN_T, BY_ME, {OK, OK, STATUS, STATUS, STATUS}},
	{A, ACT_CREATE, OWN_T, BY_OTHER, {OK, OK, STATUS, STATUS, STATUS}},
	{A, ACT_CREATE, OTHER_T, BY_ME, {OK, OK, STATUS, STATUS, STATUS}},
	{A, ACT_CREATE, OTHER_T, BY_OTHER, {OK, OK, STATUS, STATUS, STATUS}},
	{A, ACT_EDIT, OWN_T, BY_ME, {OK, OK, LOCKED, OK, STATUS}},
	{A, ACT_EDIT, OWN_T, BY_OTHER, {OK, OK, LOCKED, OK, STATUS}},
	{A, ACT_EDIT, OTHER_T, BY_ME, {OK, OK, LOCKED, OK, STATUS}},
	{A, ACT_EDIT, OTHER_T, BY_OTHER, {OK, OK, LOCKED, OK, STATUS}},
	{A, ACT_SUBMIT, OWN_T, BY_ME, {OK, STATUS, LOCKED, OK, STATUS}},
	{A, ACT_SUBMIT, OWN_T, BY_OTHER, {OK, STATUS, LOCKED, OK, STATUS}},
	{A, ACT_SUBMIT, OTHER_T, BY_ME, {OK, STATUS, LOCKED, OK, STATUS}},
	{A, ACT_SUBMIT, OTHER_T, BY_OTHER, {OK, STATUS, LOCKED, OK, STATUS}},
	{A, ACT_WITHDRAW, OWN_T, BY_ME, {OK, OK, LOCKED, OK, STATUS}},
	{A, ACT_WITHDRAW, OWN_T, BY_OTHER, {OK, OK, LOCKED, OK, STATUS}},
	{A, ACT_WITHDRAW, OTHER_T, BY_ME, {OK, OK, LOCKED, OK, STATUS}},
	{A, ACT_WITHDRAW, OTHER_T, BY_OTHER, {OK, OK, LOCKED, OK, STATUS}},
	{A, ACT_APPROVE, OWN_T, BY_ME, ALL(SELF)},
	{A, ACT_APPROVE, OWN_T, BY_OTHER, {STATUS, OK, STATUS, STATUS, STATUS}},
	{A, ACT_APPROVE, OTHER_T, BY_ME, ALL(SELF)},
	{A, ACT_APPROVE, OTHER_T, BY_OTHER, {STATUS, OK, STATUS, STATUS, STATUS}},
	{A, ACT_RETURN, OWN_T, BY_ME, ALL(SELF)},
	{A, ACT_RETURN, OWN_T, BY_OTHER, {STATUS, OK, STATUS, STATUS, STATUS}},
	{A, ACT_RETURN, OTHER_T, BY_ME, ALL(SELF)},
	{A, ACT_RETURN, OTHER_T, BY_OTHER, {STATUS, OK, STATUS, STATUS, STATUS}},
	{A, ACT_UNLOCK, OWN_T, BY_ME, {STATUS, STATUS, OK, STATUS, STATUS}},
	{A, ACT_UNLOCK, OWN_T, BY_OTHER, {STATUS, STATUS, OK, STATUS, STATUS}},
	{A, ACT_UNLOCK, OTHER_T, BY_ME, {STATUS, STATUS, OK, STATUS, STATUS}},
	{A, ACT_UNLOCK, OTHER_T, BY_OTHER, {STATUS, STATUS, OK, STATUS, STATUS}},
	{A, ACT_VIEW_FULL, OWN_T, BY_ME, ALL(OK)},
	{A, ACT_VIEW_FULL, OWN_T, BY_OTHER, ALL(OK)},
	{A, ACT_VIEW_FULL, OTHER_T, BY_ME, ALL(OK)},
	{A, ACT_VIEW_FULL, OTHER_T, BY_OTHER, ALL(OK)},
	{A, ACT_EXPORT, OWN_T, BY_ME, ALL(OK)},
	{A, ACT_EXPORT, OWN_T, BY_OTHER, ALL(OK)},
	{A, ACT_EXPORT, OTHER_T, BY_ME, ALL(OK)},
	{A, ACT_EXPORT, OTHER_T, BY_OTHER, ALL(OK)},
	{A, ACT_ADMIN, OWN_T, BY_ME, ALL(OK)},
	{A, ACT_ADMIN, OWN_T, BY_OTHER, ALL(OK)},
	{A, ACT_ADMIN, OTHER_T, BY_ME, ALL(OK)},
	{A, ACT_ADMIN, OTHER_T, BY_OTHER, ALL(OK)},
	{A, ACT_TASK_PROGRESS, OWN_T, BY_ME, ALL(OK)},
	{A, ACT_TASK_PROGRESS, OWN_T, BY_OTHER, ALL(OK)},
	{A, ACT_TASK_PROGRESS, OTHER_T, BY_ME, ALL(OK)},
	{A, ACT_TASK_PROGRESS, OTHER_T, BY_OTHER, ALL(OK)},
	{A, ACT_TASK_CLOSE, OWN_T, BY_ME, ALL(OK)},
	{A, ACT_TASK_CLOSE, OWN_T, BY_OTHER, ALL(OK)},
	{A, ACT_TASK_CLOSE, OTHER_T, BY_ME, ALL(OK)},
	{A, ACT_TASK_CLOSE, OTHER_T, BY_OTHER, ALL(OK)},
	{A, ACT_TAG, OWN_T, BY_ME, {OK, OK, OK, OK, STATUS}},
	{A, ACT_TAG, OWN_T, BY_OTHER, {OK, OK, OK, OK, STATUS}},
	{A, ACT_TAG, OTHER_T, BY_ME, {OK, OK, OK, OK, STATUS}},
	{A, ACT_TAG, OTHER_T, BY_OTHER, {OK, OK, OK, OK, STATUS}},
	{A, ACT_SUPERVISE, OWN_T, BY_ME, ALL(OK)},
	{A, ACT_SUPERVISE, OWN_T, BY_OTHER, ALL(OK)},
	{A, ACT_SUPERVISE, OTHER_T, BY_ME, ALL(OK)},
	{A, ACT_SUPERVISE, OTHER_T, BY_OTHER, ALL(OK)},
};

#undef O
#undef S
#undef A
#undef ALL

#define ROLES 3
#define TOWN_A "宁远堡镇"
#define TOWN_B "双湾镇"

/* The three users, each with township A in users.ini. */
struct fx {
	struct user u[ROLES];
};

static int setup(void **state)
{
	static const char *const logins[ROLES] = {"off_a", "sup_a", "adm"};
	struct fx *f = xcalloc(1, sizeof *f);
	for (int r = 0; r < ROLES; r++) {
		f->u[r] = (struct user){.login = (char *)logins[r], .role = (enum role)r};
		strv_add(&f->u[r].townships, TOWN_A);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	for (int r = 0; r < ROLES; r++)
		strv_free(&f->u[r].townships);
	free(f);
	return 0;
}

/* Asks auth_check and turns its answer into a want. */
static enum want ask(const struct user *u, enum action a, const struct auth_subject *s)
{
	enum msg_id why = MSG__COUNT;
	if (auth_check(u, a, s, &why) == 0)
		return why == MSG__COUNT ? OK : SITEDIST + 1;	/* allowed must not set why */
	for (size_t w = SCOPE; w < ARRAY_LEN(reason_msg); w++)
		if (reason_msg[w] == why)
			return (enum want)w;
	return SITEDIST + 1;	/* denied without one of the reasons */
}

static const char *want_name(enum want w)
{
	return (unsigned)w < ARRAY_LEN(want_names) ? want_names[w] : "(bad reason)";
}

/* The table names every role, action, township and maker exactly once. */
static void test_table_is_complete(void **state)
{
	(void)state;
	int seen[ROLES][ACT__COUNT][2][2] = {{{{0}}}};
	for (size_t i = 0; i < ARRAY_LEN(table); i++) {
		const struct row *t = &table[i];
		seen[t->role][t->act][t->town][t->maker]++;
	}
	for (int r = 0; r < ROLES; r++)
		for (int a = 0; a < ACT__COUNT; a++)
			for (int t = 0; t < 2; t++)
				for (int m = 0; m < 2; m++)
					if (seen[r][a][t][m] != 1)
						fail_msg("%s %s town=%d maker=%d: %d rows",
							 role_name((enum role)r),
							 action_name((enum action)a), t, m,
							 seen[r][a][t][m]);
	assert_int_equal(ARRAY_LEN(table), ROLES * ACT__COUNT * 2 * 2);
	assert_int_equal(ACT__COUNT, ACT_SUPERVISE + 1);
	assert_int_equal(ST__COUNT, ST_WITHDRAWN + 1);
}

/* Every cell of the table; all disagreements are listed before failing. */
static void test_table(void **state)
{
	struct fx *f = *state;
	int bad = 0, cases = 0;
	for (size_t i = 0; i < ARRAY_LEN(table); i++) {
		const struct row *t = &table[i];
		const struct user *u = &f->u[t->role];
		for (int st = 0; st < ST__COUNT; st++) {
			struct auth_subject s = {t->town ? TOWN_A : TOWN_B, (enum status)st,
						 t->maker ? u->login : "someone_else", NULL, NULL};
			enum want got = ask(u, t->act, &s);
			cases++;
			if (got != t->st[st]) {
				bad++;
				print_message("%s %s %s-township %s-maker %s: expected %s, got %s\n",
					      role_name(t->role), action_name(t->act),
					      t->town ? "own" : "other", t->maker ? "own" : "other",
					      status_name((enum status)st), want_name(t->st[st]),
					      want_name(got));
			}
		}
	}
	assert_int_equal(cases, 3 * 2 * 2 * ACT__COUNT * ST__COUNT);
	if (bad)
		fail_msg("%d of %d cases disagree with the table", bad, cases);
}

/* Exports, admin tasks, the ledger and supervision over all of the user's
 * townships concern no record: the subject is NULL. */
static void test_no_subject(void **state)
{
	struct fx *f = *state;
	static const enum action acts[] = {ACT_EXPORT, ACT_ADMIN, ACT_TASK_PROGRESS,
					   ACT_TASK_CLOSE, ACT_SUPERVISE};
	static const enum want expect[ROLES][ARRAY_LEN(acts)] = {
		/* export  admin  progress  close  supervise */
		{ROLE, ROLE, OK, ROLE, ROLE},	/* officer */
		{OK, ROLE, OK, DISTRICT, OK},	/* supervisor of one township */
		{OK, OK, OK, OK, OK},	/* admin */
	};
	for (int r = 0; r < ROLES; r++) {
		for (size_t i = 0; i < ARRAY_LEN(acts); i++)
			assert_int_equal(ask(&f->u[r], acts[i], NULL), expect[r][i]);
		/* a record action without its record is refused, never allowed */
		for (int a = 0; a < ACT__COUNT; a++) {
			bool recordless = false;
			for (size_t i = 0; i < ARRAY_LEN(acts); i++)
				recordless |= acts[i] == (enum action)a;
			if (!recordless)
				assert_int_not_equal(ask(&f->u[r], (enum action)a, NULL), OK);
		}
	}
	/* a supervisor over every township closes items */
	struct user district = {.login = "sup", .role = ROLE_SUPERVISOR};
	assert_int_equal(ask(&district, ACT_TASK_CLOSE, NULL), OK);
}

/* Nobody (no user at all) may do anything. */
static void test_no_user(void **state)
{
	(void)state;
	struct auth_subject s = {TOWN_A, ST_SUBMITTED, "someone_else", NULL, NULL};
	for (int a = 0; a < ACT__COUNT; a++)
		assert_int_equal(ask(NULL, (enum action)a, &s), ROLE);
}

/* A supervisor with no townships listed has them all. */
static void test_supervisor_of_all(void **state)
{
	(void)state;
	struct user sup = {.login = "supervisor", .role = ROLE_SUPERVISOR};
	struct auth_subject s = {TOWN_B, ST_SUBMITTED, "off_b", NULL, NULL};
	assert_true(auth_in_scope(&sup, TOWN_B));
	assert_int_equal(ask(&sup, ACT_APPROVE, &s), OK);
	assert_int_equal(ask(&sup, ACT_VIEW_FULL, &s), OK);
	assert_int_equal(ask(&sup, ACT_EXPORT, NULL), OK);
	/* while an officer with none listed is not thereby given another's records */
	struct user off = {.login = "off", .role = ROLE_OFFICER};
	assert_int_equal(ask(&off, ACT_EDIT, &(struct auth_subject){TOWN_B, ST_DRAFT, "x", NULL, NULL}), OWN);
}

/* A record with no township is in scope only for users of every township. */
static void test_no_township(void **state)
{
	struct fx *f = *state;
	assert_false(auth_in_scope(&f->u[ROLE_OFFICER], NULL));
	assert_false(auth_in_scope(&f->u[ROLE_SUPERVISOR], NULL));
	assert_true(auth_in_scope(&f->u[ROLE_ADMIN], NULL));
}

/* Separation of duties: a reviewer may not approve or return a record they
 * last edited either, though someone else made it; unlock is not a review;
 * [review] self_review = yes (a township of one person) allows it. */
static void test_self_review(void **state)
{
	struct fx *f = *state;
	for (int r = ROLE_SUPERVISOR; r <= ROLE_ADMIN; r++) {
		struct user u = f->u[r];
		struct auth_subject edited = {TOWN_A, ST_SUBMITTED, "off_a", u.login, NULL};
		struct auth_subject made = {TOWN_A, ST_SUBMITTED, u.login, "off_a", NULL};
		struct auth_subject other = {TOWN_A, ST_SUBMITTED, "off_a", "off_a", NULL};
		struct auth_subject approved = {TOWN_A, ST_APPROVED, u.login, u.login, NULL};
		assert_int_equal(ask(&u, ACT_APPROVE, &edited), SELF);
		assert_int_equal(ask(&u, ACT_RETURN, &edited), SELF);
		assert_int_equal(ask(&u, ACT_APPROVE, &made), SELF);
		assert_int_equal(ask(&u, ACT_APPROVE, &other), OK);
		assert_int_equal(ask(&u, ACT_UNLOCK, &approved), OK);
		u.self_review = true;
		assert_int_equal(ask(&u, ACT_APPROVE, &edited), OK);
		assert_int_equal(ask(&u, ACT_RETURN, &made), OK);
	}
}

/* A training site through its bundles (ROLE_SITE, issue 12), of township
 * A: creates there; edits, submits and withdraws the records made at that
 * site (the "maker" here is the record's site), never an approved one;
 * approval, return, unlock, full views, exports and admin tasks come only
 * from the district, whatever the record. */
#define SITE_ROWS (ACT__COUNT * 2 * 2)
static const struct row site_table[SITE_ROWS] = {
#define ALL(w) {w, w, w, w, w}
#define R ROLE_SITE
	{R, ACT_VIEW, OWN_T, BY_ME, ALL(OK)},
	{R, ACT_VIEW, OWN_T, BY_OTHER, ALL(OK)},
	{R, ACT_VIEW, OTHER_T, BY_ME, ALL(SCOPE)},
	{R, ACT_VIEW, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{R, ACT_CREATE, OWN_T, BY_ME, {OK, OK, STATUS, STATUS, STATUS}},
	{R, ACT_CREATE, OWN_T, BY_OTHER, {OK, OK, STATUS, STATUS, STATUS}},
	{R, ACT_CREATE, OTHER_T, BY_ME, ALL(SCOPE)},
	{R, ACT_CREATE, OTHER_T, BY_OTHER, ALL(SCOPE)},
	/* a site may correct a submitted record of its own, as its supervisor
	 * may have done at the site */
	{R, ACT_EDIT, OWN_T, BY_ME, {OK, OK, LOCKED, OK, STATUS}},
	{R, ACT_EDIT, OWN_T, BY_OTHER, ALL(SITE_OWN)},
	{R, ACT_EDIT, OTHER_T, BY_ME, ALL(SCOPE)},
	{R, ACT_EDIT, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{R, ACT_SUBMIT, OWN_T, BY_ME, {OK, STATUS, LOCKED, OK, STATUS}},
	{R, ACT_SUBMIT, OWN_T, BY_OTHER, ALL(SITE_OWN)},
	{R, ACT_SUBMIT, OTHER_T, BY_ME, ALL(SCOPE)},
	{R, ACT_SUBMIT, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{R, ACT_WITHDRAW, OWN_T, BY_ME, {OK, OK, LOCKED, OK, STATUS}},
	{R, ACT_WITHDRAW, OWN_T, BY_OTHER, ALL(SITE_OWN)},
	{R, ACT_WITHDRAW, OTHER_T, BY_ME, ALL(SCOPE)},
	{R, ACT_WITHDRAW, OTHER_T, BY_OTHER, ALL(SCOPE)},
	{R, ACT_APPROVE, OWN_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_APPROVE, OWN_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_APPROVE, OTHER_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_APPROVE, OTHER_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_RETURN, OWN_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_RETURN, OWN_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_RETURN, OTHER_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_RETURN, OTHER_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_UNLOCK, OWN_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_UNLOCK, OWN_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_UNLOCK, OTHER_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_UNLOCK, OTHER_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_VIEW_FULL, OWN_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_VIEW_FULL, OWN_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_VIEW_FULL, OTHER_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_VIEW_FULL, OTHER_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_EXPORT, OWN_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_EXPORT, OWN_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_EXPORT, OTHER_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_EXPORT, OTHER_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_ADMIN, OWN_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_ADMIN, OWN_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_ADMIN, OTHER_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_ADMIN, OTHER_T, BY_OTHER, ALL(SITEDIST)},
	/* the plan's ledger, tags and supervision (issue 14) are the district's */
	{R, ACT_TASK_PROGRESS, OWN_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_TASK_PROGRESS, OWN_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_TASK_PROGRESS, OTHER_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_TASK_PROGRESS, OTHER_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_TASK_CLOSE, OWN_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_TASK_CLOSE, OWN_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_TASK_CLOSE, OTHER_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_TASK_CLOSE, OTHER_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_TAG, OWN_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_TAG, OWN_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_TAG, OTHER_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_TAG, OTHER_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_SUPERVISE, OWN_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_SUPERVISE, OWN_T, BY_OTHER, ALL(SITEDIST)},
	{R, ACT_SUPERVISE, OTHER_T, BY_ME, ALL(SITEDIST)},
	{R, ACT_SUPERVISE, OTHER_T, BY_OTHER, ALL(SITEDIST)},
#undef R
#undef ALL
};

static void test_site_table(void **state)
{
	(void)state;
	struct user site = {.login = "site_a", .role = ROLE_SITE};
	strv_add(&site.townships, TOWN_A);
	int bad = 0, cases = 0;
	for (size_t i = 0; i < ARRAY_LEN(site_table); i++) {
		const struct row *t = &site_table[i];
		for (int st = 0; st < ST__COUNT; st++) {
			/* made by one of the site's officers, or elsewhere */
			struct auth_subject s = {t->town ? TOWN_A : TOWN_B, (enum status)st,
						 "officer_ny@site_a", NULL,
						 t->maker ? "site_a" : "site_b"};
			enum want got = ask(&site, t->act, &s);
			cases++;
			if (got != t->st[st]) {
				bad++;
				print_message("site %s %s-township %s-site %s: expected %s, got %s\n",
					      action_name(t->act), t->town ? "own" : "other",
					      t->maker ? "own" : "other", status_name((enum status)st),
					      want_name(t->st[st]), want_name(got));
			}
		}
	}
	assert_int_equal(cases, SITE_ROWS * ST__COUNT);
	if (bad)
		fail_msg("%d of %d cases disagree with the table", bad, cases);
	/* a site declared with no township has none; "site" is no user's role */
	struct user none = {.login = "site_z", .role = ROLE_SITE};
	struct auth_subject s = {TOWN_A, ST_DRAFT, "x", NULL, "site_z"};
	assert_int_equal(ask(&none, ACT_CREATE, &s), SCOPE);
	enum role r = ROLE_OFFICER;
	assert_int_equal(role_parse("site", &r), -1);
	assert_string_equal(role_name(ROLE_SITE), "site");
	strv_free(&site.townships);
}

/* Every action has its own audit name. */
static void test_action_names(void **state)
{
	(void)state;
	static const char *const names[ACT__COUNT] = {
		"view", "create", "edit", "submit", "withdraw", "approve", "return", "unlock",
		"view_full", "export", "admin", "task_progress", "task_close", "tag", "supervise",
	};
	for (int a = 0; a < ACT__COUNT; a++)
		assert_string_equal(action_name((enum action)a), names[a]);
	assert_string_equal(action_name((enum action)ACT__COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_table_is_complete),
		T(test_site_table),
		T(test_table),
		T(test_no_subject),
		T(test_no_user),
		T(test_supervisor_of_all),
		T(test_no_township),
		T(test_self_review),
		T(test_action_names),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
