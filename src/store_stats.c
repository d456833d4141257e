/*
 * store_stats.c - the running counts behind the home screen and the report
 * (schema versions 3, 5 and 7): the count groups of each category (its
 * team, and the targets of targets.ini it may count for, each with its
 * conditions as JSON, st_conds_json), the fast paths of
 * store_count() for people, and bulk adds, which set the insert triggers
 * aside and count a whole batch in a few set-based statements. The
 * triggers themselves are in store_schema.c, beside the migrations.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* One row of count_group (field and value, schema 5's one condition, are
 * no longer written: conds holds every condition). */
struct group {
	char *category, *grp, *conds, *keyed;
};

static bool same_text(const char *a, const unsigned char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, (const char *)b) == 0;
}

/* Sets *same to whether count_group holds exactly the n rows of g. */
static int groups_same(struct store *st, const struct group *g, size_t n, bool *same,
		       char **cause)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT category, grp, field, value, conds, keyed"
				    " FROM count_group", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	size_t rows = 0;
	*same = true;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		bool found = false;
		for (size_t i = 0; i < n && !found; i++)
			found = same_text(g[i].category, sqlite3_column_text(s, 0)) &&
				same_text(g[i].grp, sqlite3_column_text(s, 1)) &&
				sqlite3_column_type(s, 2) == SQLITE_NULL &&
				sqlite3_column_type(s, 3) == SQLITE_NULL &&
				same_text(g[i].conds, sqlite3_column_text(s, 4)) &&
				same_text(g[i].keyed, sqlite3_column_text(s, 5));
		*same &= found;
		rows++;
	}
	int ret = st_rows_end(st, s, rc, SR_OK, cause);
	if (rows != n)
		*same = false;
	return ret;
}

/* Counts the people of every live record after record id last into
 * people_count (and people, for keyed groups), set-based: what the
 * people_ai trigger (ST_PERSON_ADD, ST_KEYED_ADD in store_schema.c) and
 * people_count_ai do row by row. people_count_ai must be dropped while this
 * runs. A person counts in a slot of people_count when no record up to
 * last already did, and once however many new records it has there; only
 * a person with other live records has them looked at slot by slot. A
 * keyed group's new rows go to a temporary table first, so that the keys
 * they add to people_count are those not in people yet. */
static int count_people_since(struct store *st, long long last, char **cause)
{
	static const char *const steps[] = {
		/* a person with one record, new, counts once in each of its
		 * slots: plain counts, made once a (category, status,
		 * township) and summed up into the groups without conditions,
		 * '*' and the other statuses and townships ('*'); only a group
		 * with conditions looks at each record. A person with others
		 * (older, or more than one new) is counted slot by slot,
		 * distinct. */
		"INSERT INTO people_count(team, status, township, c)"
		" WITH nr AS MATERIALIZED (SELECT r.category, r.status, r.person_key,"
		"   coalesce(r.township, '') AS township, r.vals, EXISTS (SELECT 1 FROM records o"
		"    WHERE o.person_key = r.person_key AND o.id <> r.id AND o.status <> 'withdrawn')"
		"   AS others FROM records r"
		"   WHERE r.id > ?1 AND r.status <> 'withdrawn' AND r.person_key <> ''),"
		"  bycat AS MATERIALIZED (SELECT category, status, township, count(*) AS c"
		"   FROM nr WHERE NOT others GROUP BY 1, 2, 3),"
		"  one AS MATERIALIZED ("
		"   SELECT g.grp AS grp, b.status AS status, b.township AS township, sum(b.c) AS c"
		"    FROM bycat b JOIN count_group g ON g.category = b.category"
		"    AND g.keyed IS NULL AND g.conds IS NULL GROUP BY 1, 2, 3"
		"   UNION ALL SELECT '*', status, township, sum(c) FROM bycat GROUP BY 2, 3"
		"   UNION ALL SELECT g.grp, nr.status, nr.township, count(*) FROM nr"
		"    JOIN count_group g ON g.category = nr.category AND g.keyed IS NULL"
		"    AND g.conds IS NOT NULL AND " ST_CONDS_HOLD("g.conds", "nr.vals")
		"    WHERE NOT nr.others GROUP BY 1, 2, 3),"
		"  many AS (SELECT g.grp AS grp, nr.status AS status, nr.township AS township,"
		"   nr.person_key AS person_key FROM nr JOIN count_group g"
		"   ON g.category = nr.category AND g.keyed IS NULL"
		"   AND " ST_CONDS_HOLD("g.conds", "nr.vals") " WHERE nr.others"
		"   UNION ALL SELECT '*', status, township, person_key FROM nr WHERE others),"
		"  slots AS (SELECT grp, status, township, person_key FROM many"
		"   UNION ALL SELECT grp, '*', township, person_key FROM many"
		"   UNION ALL SELECT grp, status, '*', person_key FROM many"
		"   UNION ALL SELECT grp, '*', '*', person_key FROM many)"
		" SELECT grp, status, township, sum(c) FROM ("
		"  SELECT grp, status, township, c FROM one"
		"  UNION ALL SELECT grp, '*', township, sum(c) FROM one GROUP BY 1, 3"
		"  UNION ALL SELECT grp, status, '*', sum(c) FROM one GROUP BY 1, 2"
		"  UNION ALL SELECT grp, '*', '*', sum(c) FROM one GROUP BY 1"
		"  UNION ALL SELECT grp, status, township, count(DISTINCT person_key) FROM slots b"
		"   WHERE NOT EXISTS (SELECT 1 FROM records o"
		"    WHERE o.person_key = b.person_key AND o.id <= ?1 AND "
		ST_RECORD_IN_SLOT("o", "b.grp", "b.status", "b.township") ")"
		"   GROUP BY 1, 2, 3)"
		" GROUP BY 1, 2, 3 ON CONFLICT DO UPDATE SET c = c + excluded.c",
		"CREATE TEMP TABLE bulk_people(team, status, person_key, township, n)",
		/* each new live record in each of its keyed groups, by its
		 * status and '*' (the rows ST_KEYED_ADD adds one to) */
		"INSERT INTO temp.bulk_people"
		" WITH nr AS (SELECT category, status, coalesce(township, '') AS township, vals"
		"   FROM records WHERE id > ?1 AND status <> 'withdrawn' AND category IN"
		"   (SELECT category FROM count_group WHERE keyed IS NOT NULL)),"
		"  ng AS (SELECT grp, status, person_key, township FROM"
		"   (SELECT g.grp AS grp, nr.status AS status,"
		"    json_extract(nr.vals, '$.\"' || g.keyed || '\"') AS person_key,"
		"    nr.township AS township FROM nr JOIN count_group g"
		"    ON g.category = nr.category AND g.keyed IS NOT NULL"
		"    AND " ST_CONDS_HOLD("g.conds", "nr.vals") ")"
		"   WHERE person_key IS NOT NULL AND person_key <> '')"
		" SELECT grp, status, person_key, township, count(*) FROM"
		"  (SELECT grp, status, person_key, township FROM ng"
		"   UNION ALL SELECT grp, '*', person_key, township FROM ng)"
		" GROUP BY 1, 2, 3, 4",
		/* keys new to a (group, status, township) */
		"INSERT INTO people_count SELECT team, status, township, count(*)"
		" FROM temp.bulk_people b WHERE NOT EXISTS (SELECT 1 FROM people p"
		"  WHERE p.team = b.team AND p.status = b.status AND p.person_key = b.person_key"
		"  AND p.township = b.township)"
		" GROUP BY 1, 2, 3 ON CONFLICT DO UPDATE SET c = c + excluded.c",
		/* keys new to a (group, status) in any township */
		"INSERT INTO people_count SELECT team, status, '*', count(DISTINCT person_key)"
		" FROM temp.bulk_people b WHERE NOT EXISTS (SELECT 1 FROM people p"
		"  WHERE p.team = b.team AND p.status = b.status AND p.person_key = b.person_key)"
		" GROUP BY 1, 2 ON CONFLICT DO UPDATE SET c = c + excluded.c",
		"INSERT INTO people(team, status, person_key, township, n)"
		" SELECT * FROM temp.bulk_people WHERE true"
		" ON CONFLICT DO UPDATE SET n = n + excluded.n",
		"DROP TABLE temp.bulk_people",
	};
	int ret = SR_OK;
	for (size_t i = 0; ret == SR_OK && i < ARRAY_LEN(steps); i++)
		ret = st_exec_since(st, steps[i], last, cause);
	return ret;
}

int st_bulk_begin(struct store *st, long long *last_id, char **cause)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) FROM records", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	rc = sqlite3_step(s);
	*last_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	int ret = rc == SQLITE_ROW ? SR_OK : st_db_fail(st, rc, cause);
	sqlite3_finalize(s);
	if (ret == SR_OK)
		ret = st_insert_triggers_drop(st, cause);
	return ret;
}

int st_bulk_end(struct store *st, long long last_id, char **cause)
{
	/* one statement fills the search index for the batch: FTS5 writes
	 * what it holds at every statement's end, so row by row it would
	 * make (and merge) a segment per record */
	int ret = st_exec_since(st, "INSERT INTO records_fts(rowid, name, village)"
				" SELECT id, name, village FROM records WHERE id > ?1", last_id, cause);
	if (ret == SR_OK)
		ret = st_exec_since(st, "INSERT INTO record_count"
					" SELECT category, status, coalesce(township, ''), count(*)"
					" FROM records WHERE id > ?1 GROUP BY 1, 2, 3"
					" ON CONFLICT DO UPDATE SET n = n + excluded.n", last_id, cause);
	if (ret == SR_OK)
		ret = st_grams_add_since(st, last_id, cause);
	if (ret == SR_OK)
		ret = count_people_since(st, last_id, cause);
	if (ret == SR_OK)
		ret = st_insert_triggers_create(st, cause);
	return ret;
}

static void groups_free(struct group *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(g[i].category);
		free(g[i].grp);
		free(g[i].conds);
		free(g[i].keyed);
	}
	free(g);
}

int st_conds_json(const struct store_cond *conds, size_t n, const char *field,
		  const char *value, char **json, char **cause)
{
	*json = NULL;
	struct strv one = {0};
	struct store_cond short_form = {field, &one, false};
	if (conds == NULL && field) {
		strv_add(&one, value ? value : "");
		conds = &short_form;
		n = 1;
	}
	int ret = SR_OK;
	struct buf b = {0};
	for (size_t i = 0; ret == SR_OK && i < n; i++) {
		const struct store_cond *c = &conds[i];
		if (!st_plain_key(c->field)) {
			ret = st_fail_msg(cause, SR_FAIL, msgf(MSG_INI_BAD_VALUE, "where", c->field));
			break;
		}
		buf_puts(&b, i ? ",{\"f\":" : "[{\"f\":");
		json_str(&b, c->field);
		buf_puts(&b, ",\"v\":[");
		for (size_t v = 0; v < c->values->n; v++) {
			if (v)
				buf_putc(&b, ',');
			json_str(&b, c->values->v[v]);
		}
		buf_printf(&b, "],\"m\":%d}", c->multi ? 1 : 0);
	}
	strv_free(&one);
	if (ret == SR_OK && b.len) {
		buf_putc(&b, ']');
		*json = buf_take(&b);
	}
	buf_free(&b);
	return ret;
}

/* Writes the n rows of g into count_group and counts everyone again. */
static int regroup(struct store *st, const struct group *g, size_t n, char **cause)
{
	/* the counts are made again set-based, without their triggers */
	int ret = st_people_count_triggers_drop(st, cause);
	if (ret == SR_OK)
		ret = st_exec(st, "DELETE FROM count_group; DELETE FROM people;"
				  " DELETE FROM people_count;", cause);
	sqlite3_stmt *s = NULL;
	if (ret == SR_OK) {
		int rc = sqlite3_prepare_v2(st->db, "INSERT INTO count_group(category, grp, conds,"
					    " keyed) VALUES (?1, ?2, ?3, ?4)", -1, &s, NULL);
		if (rc != SQLITE_OK)
			ret = st_db_fail(st, rc, cause);
	}
	for (size_t i = 0; ret == SR_OK && i < n; i++) {
		st_bind_text(s, 1, g[i].category);
		st_bind_text(s, 2, g[i].grp);
		st_bind_text(s, 3, g[i].conds);
		st_bind_text(s, 4, g[i].keyed);
		int rc = sqlite3_step(s);
		if (rc != SQLITE_DONE)
			ret = st_db_fail(st, rc, cause);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	if (ret == SR_OK)
		ret = count_people_since(st, 0, cause);
	if (ret == SR_OK)
		ret = st_people_count_triggers_create(st, cause);
	return ret;
}

/* The rows count_group should hold, in *g (n of them): a row for each
 * category's team, and for each category of each target. */
static int groups_build(const struct strv *categories, const struct strv *teams,
			const struct store_target *targets, size_t ntargets, struct group **g,
			size_t *n, char **cause)
{
	assert(categories && teams && categories->n == teams->n);
	assert(targets || ntargets == 0);
	size_t rows = categories->n;
	for (size_t i = 0; i < ntargets; i++)
		rows += targets[i].categories ? targets[i].categories->n : 1;
	*n = 0;
	*g = xcalloc(rows + 1, sizeof **g);
	for (size_t i = 0; i < categories->n; i++, (*n)++) {
		(*g)[*n].category = xstrdup(categories->v[i]);
		(*g)[*n].grp = xasprintf("team.%s", teams->v[i]);
	}
	for (size_t i = 0; i < ntargets; i++) {
		const struct store_target *t = &targets[i];
		char *conds;
		int ret = st_conds_json(t->conds, t->nconds, t->field, t->value, &conds, cause);
		if (ret != SR_OK)
			return ret;
		if (t->keyed && !st_plain_key(t->keyed)) {
			free(conds);
			return st_fail_msg(cause, SR_FAIL, msgf(MSG_INI_BAD_VALUE, "by", t->keyed));
		}
		size_t ncat = t->categories ? t->categories->n : 1;
		for (size_t k = 0; k < ncat; k++, (*n)++) {
			(*g)[*n].category = xstrdup(t->categories ? t->categories->v[k] : t->category);
			(*g)[*n].grp = xasprintf("target.%s", t->key);
			(*g)[*n].conds = xstrdup(conds);
			(*g)[*n].keyed = xstrdup(t->keyed);
		}
		free(conds);
	}
	return SR_OK;
}

/* Builds the rows count_group should hold into *g (n of them; free them
 * with groups_free) and sets *same to whether it holds exactly them. */
static int groups_compare(struct store *st, const struct strv *categories,
			  const struct strv *teams, const struct store_target *targets,
			  size_t ntargets, struct group **g, size_t *n, bool *same, char **cause)
{
	int ret = groups_build(categories, teams, targets, ntargets, g, n, cause);
	return ret == SR_OK ? groups_same(st, *g, *n, same, cause) : ret;
}

int store_counts_stale(struct store *st, const struct strv *categories, const struct strv *teams,
		       const struct store_target *targets, size_t ntargets, bool *stale,
		       long *records, char **cause)
{
	assert(st && stale && records);
	struct group *g;
	size_t n;
	bool same = true;
	int ret = groups_compare(st, categories, teams, targets, ntargets, &g, &n, &same, cause);
	groups_free(g, n);
	*stale = !same;
	*records = 0;
	sqlite3_stmt *s;
	if (ret == SR_OK && !same &&
	    sqlite3_prepare_v2(st->db, "SELECT coalesce(sum(n), 0) FROM record_count", -1, &s,
			       NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			*records = (long)sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	return ret;
}

int store_set_counts(struct store *st, const struct strv *categories, const struct strv *teams,
		     const struct store_target *targets, size_t ntargets, char **cause)
{
	assert(st);
	struct group *g;
	size_t n;
	bool same = false;
	int ret = groups_compare(st, categories, teams, targets, ntargets, &g, &n, &same, cause);
	if (ret == SR_OK && !same && (ret = st_tx_begin(st, cause)) == SR_OK) {
		ret = groups_same(st, g, n, &same, cause);	/* another process may have */
		if (ret == SR_OK && !same)
			ret = regroup(st, g, n, cause);
		ret = st_tx_end(st, ret, cause);
	}
	groups_free(g, n);
	return ret;
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
		/* several townships of a wider district: their people from
		 * their records (a keyed group's keys from people) */
		struct buf in = {0}, sql = {0};
		for (size_t i = 0; i < a->user->townships.n; i++)
			buf_printf(&in, "%s?%zu", i ? ", " : "", i + 3);
		buf_printf(&sql, "SELECT (SELECT count(DISTINCT person_key) FROM records r"
				 " WHERE r.person_key <> '' AND r.township IN (%s) AND "
				 ST_RECORD_IN_SLOT("r", "?1", "?2", "'*'") ")"
				 " + (SELECT count(*) FROM (SELECT DISTINCT person_key FROM people"
				 " WHERE team = ?1 AND status = ?2 AND township IN (%s)))", in.s, in.s);
		buf_free(&in);
		rc = sqlite3_prepare_v2(st->db, sql.s, -1, &s, NULL);
		buf_free(&sql);
	}
	if (rc != SQLITE_OK)
		return st_db_fail(st, rc, cause);
	char *grp = q->target ? xasprintf("target.%s", q->target)
		    : strcmp(q->team, "*") == 0 ? xstrdup("*") : xasprintf("team.%s", q->team);
	st_bind_text(s, 1, grp);
	free(grp);
	st_bind_text(s, 2, status);
	if (all || town)
		st_bind_text(s, 3, all ? "*" : town);
	else
		for (size_t i = 0; i < a->user->townships.n; i++)
			st_bind_text(s, (int)i + 3, a->user->townships.v[i]);
	rc = sqlite3_step(s);
	*people = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
	return st_rows_end(st, s, rc, SR_OK, cause);
}
