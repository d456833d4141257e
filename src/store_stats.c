/*
 * store_stats.c - the running counts of people behind the home screen and
 * the report (schema version 3): which team each category belongs to, and
 * the fast path of store_count() for a team's people. The triggers that keep
 * the counts are in the migration; this file keeps category_team in step
 * with the forms and rebuilds the counts when a category changes team.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* Returns true when category_team holds exactly these pairs. */
static int teams_same(struct store *st, const struct strv *cats, const struct strv *teams,
		      bool *same, char **cause)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT category, team FROM category_team", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	size_t rows = 0;
	*same = true;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 0);
		const char *t = (const char *)sqlite3_column_text(s, 1);
		bool found = false;
		for (size_t i = 0; i < cats->n && !found; i++)
			found = str_eq(cats->v[i], c) && str_eq(teams->v[i], t);
		*same &= found;
		rows++;
	}
	int ret = rc == SQLITE_DONE ? SR_OK : st_db_fail(st, rc, cause);
	sqlite3_finalize(s);
	if (rows != cats->n)
		*same = false;
	return ret;
}

static int exec(struct store *st, const char *sql, char **cause)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? SR_OK : st_db_fail(st, rc, cause);
}

int store_set_teams(struct store *st, const struct strv *categories, const struct strv *teams,
		    char **cause)
{
	assert(st && categories && teams && categories->n == teams->n);
	bool same;
	int ret = teams_same(st, categories, teams, &same, cause);
	if (ret != SR_OK || same)
		return ret;
	if ((ret = st_tx_begin(st, cause)) != SR_OK)
		return ret;
	ret = teams_same(st, categories, teams, &same, cause);	/* another process may have */
	if (ret == SR_OK && !same) {
		ret = exec(st, "DELETE FROM category_team", cause);
		sqlite3_stmt *s = NULL;
		if (ret == SR_OK) {
			int rc = sqlite3_prepare_v2(st->db, "INSERT INTO category_team VALUES (?1, ?2)",
						    -1, &s, NULL);
			if (rc != SQLITE_OK)
				ret = st_db_fail(st, rc, cause);
		}
		for (size_t i = 0; ret == SR_OK && i < categories->n; i++) {
			st_bind_text(s, 1, categories->v[i]);
			st_bind_text(s, 2, teams->v[i]);
			int rc = sqlite3_step(s);
			if (rc != SQLITE_DONE)
				ret = st_db_fail(st, rc, cause);
			sqlite3_reset(s);
		}
		sqlite3_finalize(s);
		/* count everyone again: the triggers on people keep people_count */
		if (ret == SR_OK)
			ret = exec(st,
				   "DELETE FROM people; DELETE FROM people_count;"
				   "INSERT INTO people(team, status, person_key, township, n)"
				   " SELECT team, status, person_key, township, count(*) FROM ("
				   "  SELECT coalesce(ct.team, '*') AS team, r.status AS status,"
				   "   r.person_key, coalesce(r.township, '') AS township"
				   "   FROM records r JOIN category_team ct USING (category)"
				   "   WHERE r.status <> 'withdrawn'"
				   "  UNION ALL SELECT '*', r.status, r.person_key, coalesce(r.township, '')"
				   "   FROM records r WHERE r.status <> 'withdrawn'"
				   "  UNION ALL SELECT ct.team, '*', r.person_key, coalesce(r.township, '')"
				   "   FROM records r JOIN category_team ct USING (category)"
				   "   WHERE r.status <> 'withdrawn'"
				   "  UNION ALL SELECT '*', '*', r.person_key, coalesce(r.township, '')"
				   "   FROM records r WHERE r.status <> 'withdrawn')"
				   " GROUP BY team, status, person_key, township",
				   cause);
	}
	return st_tx_end(st, ret, cause);
}

/* The one township a count is about, or NULL when it spans several (or all). */
static const char *single_township(const struct user *u, const char *filter, bool *all)
{
	*all = false;
	if (filter)
		return filter;
	if (u->role == ROLE_ADMIN || u->townships.n == 0) {
		*all = true;
		return NULL;
	}
	return u->townships.n == 1 ? u->townships.v[0] : NULL;
}

int st_count_people(struct store *st, const struct actor *a, const struct count_query *q,
		    long *people, char **cause)
{
	const char *status = q->status < 0 ? "*" : status_name((enum status)q->status);
	bool all;
	const char *town = single_township(a->user, q->township, &all);
	if (q->township && !auth_in_scope(a->user, q->township)) {
		*people = 0;
		return SR_OK;
	}
	sqlite3_stmt *s;
	int rc;
	if (all || town) {
		rc = sqlite3_prepare_v2(st->db, "SELECT c FROM people_count"
					" WHERE team = ?1 AND status = ?2 AND township = ?3",
					-1, &s, NULL);
	} else {
		/* several townships of a wider district: count them one by one */
		struct buf sql = {0};
		buf_puts(&sql, "SELECT count(*) FROM (SELECT DISTINCT person_key FROM people"
			       " WHERE team = ?1 AND status = ?2 AND township IN (");
		for (size_t i = 0; i < a->user->townships.n; i++)
			buf_printf(&sql, "%s?%zu", i ? ", " : "", i + 3);
		buf_puts(&sql, "))");
		rc = sqlite3_prepare_v2(st->db, sql.s, -1, &s, NULL);
		buf_free(&sql);
	}
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	st_bind_text(s, 1, q->team);
	st_bind_text(s, 2, status);
	if (all || town)
		st_bind_text(s, 3, all ? "*" : town);
	else
		for (size_t i = 0; i < a->user->townships.n; i++)
			st_bind_text(s, (int)i + 3, a->user->townships.v[i]);
	rc = sqlite3_step(s);
	*people = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
	int ret = rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : st_db_fail(st, rc, cause);
	sqlite3_finalize(s);
	return ret;
}
