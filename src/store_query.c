/*
 * store_query.c - the calls of store.h that read records: one record by
 * uuid, the list with its filters, search and keyset paging (the only SQL
 * built at run time, from "?" placeholders), a record's history, counts,
 * and the look-ups of a person's categories and of a value already taken.
 * Its one write: a search for a whole ID or phone number is recorded in
 * the audit, and an officer's are limited per day (store_note_lookup).
 */
#include "store_int.h"
#include "check.h"
#include "text.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_get(struct store *st, const struct actor *a, const char *id,
	      struct record **out, char **cause)
{
	assert(st && a && a->user && out);
	*out = NULL;
	struct record *r = xcalloc(1, sizeof *r);
	int ret = st_find_record(st, a, id, r, cause);
	if (ret != SR_OK) {
		free(r);
		return ret;
	}
	*out = r;
	return SR_OK;
}

/* A statement built at run time: its SQL and the values its "?" stand for,
 * bound in order. Values are borrowed, or owned through owned. */
struct query {
	struct buf sql;
	struct qarg {
		const char *s;
		long long i;
		bool is_int;
	} *args;
	size_t n;
	struct strv owned;
};

static void q_sql(struct query *q, const char *sql)
{
	buf_puts(&q->sql, sql);
}

static void q_push(struct query *q, const char *s, long long i, bool is_int)
{
	q->args = xrealloc(q->args, (q->n + 1) * sizeof *q->args);
	q->args[q->n++] = (struct qarg){s, i, is_int};
}

/* Appends sql, whose one "?" stands for s. */
static void q_text(struct query *q, const char *sql, const char *s)
{
	q_sql(q, sql);
	q_push(q, s, 0, false);
}

/* Appends " AND col IN (?, ...)" with one parameter per value of sv. */
static void q_in(struct query *q, const char *col, const struct strv *sv)
{
	q_sql(q, " AND ");
	q_sql(q, col);
	q_sql(q, " IN (");
	for (size_t i = 0; i < sv->n; i++)
		q_text(q, i ? ", ?" : "?", sv->v[i]);
	q_sql(q, ")");
}

/* Appends sql, whose one "?" stands for the time t (now_iso's form) in
 * milliseconds, as records keep updated_ms (schema 13); NULL, which
 * matches nothing, when t is not such a time. */
static void q_ms(struct query *q, const char *sql, const char *t)
{
	int y, mo, d, h, mi, sec, ms, len = 0;
	q_sql(q, sql);
	if (t == NULL || sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &y, &mo, &d, &h, &mi, &sec,
				&ms, &len) != 7 || len != 24) {
		q_push(q, NULL, 0, false);
		return;
	}
	/* days since 1970-01-01 of a day of the proleptic Gregorian calendar */
	y -= mo <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long long days = era * 146097LL + doe - 719468;
	q_push(q, NULL, ((days * 24 + h) * 60 + mi) * 60000LL + sec * 1000LL + ms, true);
}

/* Keeps the records of u's townships: the SQL face of auth_in_scope(), so
 * that LIMIT counts only rows the user may see. */
static void q_scope(struct query *q, const struct user *u)
{
	if (u->role != ROLE_ADMIN && u->townships.n > 0)
		q_in(q, "township", &u->townships);
}


/* How many records hold gram in their name or village, counted up to
 * limit + 1 (on an index range, so at most that many steps). */
static long gram_count(struct store *st, const char *gram, long limit)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT (SELECT count(*) FROM (SELECT 1 FROM records_grams"
				       " WHERE gram = ?1 LIMIT ?2)) + (SELECT count(*) FROM (SELECT 1"
				       " FROM records WHERE village IN (SELECT village FROM village_grams"
				       " WHERE gram = ?1) LIMIT ?2))", -1, &s, NULL) != SQLITE_OK)
		return limit + 1;
	st_bind_text(s, 1, gram);
	sqlite3_bind_int64(s, 2, limit + 1);
	long n = sqlite3_step(s) == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : limit + 1;
	sqlite3_finalize(s);
	return n;
}

/* A search of 1-2 characters found in more records than this scans in
 * browse order instead of reading them all through records_grams: the
 * page's 50 are then found early (bench/README.md). */
#define GRAM_SCAN_MIN 2000

/* How a search finds its records. A search matches only what its user is
 * shown (DESIGN.md, "Statuses and roles"): names and villages, a township
 * by its whole name, the digits a masked ID or phone leaves visible
 * (6203**********1234, 138****5678), or a whole ID or phone number exactly. Digits hidden by the mask are
 * never compared with a part of the query, so no sequence of searches
 * recovers one. */
enum search_by {
	BY_NONE,
	BY_FTS,		/* 3+ characters of text: the trigram index on name and village */
	BY_GRAMS,	/* 1-2 characters of text: records_grams */
	BY_SCAN,	/* 1-2 common characters of text: instr() in browse order */
	BY_VISIBLE,	/* 1-4 digits: the visible digits of ID and phone */
	BY_ID,		/* a whole ID number (15 or 18 characters) */
	BY_PHONE,	/* a whole mobile number */
	BY_TOWNSHIP,	/* a township's name: its records */
	BY_NOTHING	/* other digit strings: nothing shown holds them */
};

/* True when t is made of digits (and X) only. */
static bool all_id_chars(const char *t)
{
	return strspn(t, "0123456789X") == strlen(t);
}

/* True when some record's township is t (the township index, one step). */
static bool is_township(struct store *st, const char *t)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM records WHERE township = ?1 LIMIT 1", -1, &s,
			       NULL) != SQLITE_OK)
		return false;
	st_bind_text(s, 1, t);
	bool yes = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return yes;
}

/* Decides how search t (trimmed, full-width forms folded, x upper-cased)
 * is found: numbers by what the mask shows or as a whole; a township's
 * whole name by the township (no name or village holds one); other text by
 * the trigram index for 3 characters or more, below that by records_grams
 * or, when the piece is common, by a scan that stops at the page's end. */
static enum search_by search_by(struct store *st, const char *t)
{
	if (t == NULL || *t == '\0')
		return BY_NONE;
	if (all_id_chars(t)) {
		size_t n = strlen(t);
		return n <= 4 ? BY_VISIBLE : n == 11 ? BY_PHONE : n == 15 || n == 18 ? BY_ID
										   : BY_NOTHING;
	}
	if (is_township(st, t))
		return BY_TOWNSHIP;
	if (utf8_chars(t) >= 3)
		return BY_FTS;
	return gram_count(st, t, GRAM_SCAN_MIN) <= GRAM_SCAN_MIN ? BY_GRAMS : BY_SCAN;
}

/* Keeps the records that search t matches, found as by says. */
static void q_search(struct query *q, const char *t, enum search_by by)
{
	if (by == BY_FTS) {
		struct buf b = {0};	/* {name village} : "..." with " doubled */
		buf_puts(&b, "{name village} : \"");
		for (const char *p = t; *p; p++)
			buf_puts(&b, *p == '"' ? "\"\"" : (char[]){*p, '\0'});
		buf_putc(&b, '"');
		char *fts = buf_take(&b);
		strv_take(&q->owned, fts);
		q_text(q, " AND id IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)",
		       fts);
	} else if (by == BY_GRAMS) {
		q_text(q, " AND id IN (SELECT id FROM records_grams WHERE gram = ?", t);
		q_text(q, " UNION SELECT id FROM records WHERE village IN"
			  " (SELECT village FROM village_grams WHERE gram = ?))", t);
	} else if (by == BY_SCAN) {
		q_text(q, " AND (instr(name, ?) > 0", t);
		q_text(q, " OR instr(village, ?) > 0)", t);
	} else if (by == BY_VISIBLE) {
		/* shown: the four groups of visible digits, apart (schema 13) */
		q_text(q, " AND instr(shown, ?) > 0", t);
	} else if (by == BY_ID) {
		q_text(q, " AND person_key = ?", t);
	} else if (by == BY_TOWNSHIP) {
		q_text(q, " AND township = ?", t);
	} else if (by == BY_PHONE) {
		q_text(q, " AND id IN (SELECT id FROM records WHERE phone = ?)", t);
	} else if (by == BY_NOTHING) {
		q_sql(q, " AND 0");
	}
}

/* Returns a new copy of the search as it is compared: trimmed, full-width
 * forms folded; a number with x gets X, and a 15-digit ID its 18-digit
 * form. NULL stays NULL. */
static char *search_text(const char *search)
{
	if (search == NULL)
		return NULL;
	char *folded = text_fold_fullwidth(search);
	char *t = str_trim(folded);
	free(folded);
	if (strspn(t, "0123456789Xx") == strlen(t)) {
		for (char *p = t; *p; p++)
			if (*p == 'x')
				*p = 'X';
		static const struct date far = {9999, 12, 31};
		char *id = NULL;
		enum msg_id why;
		if (strlen(t) == 15 && check_id_card(t, &far, &id, &why) == 0) {
			free(t);
			t = id;
		}
	}
	return t;
}

/* A whole ID or phone number looked up: recorded in the audit (as every
 * full view is), once a day for each number and login; an officer may look
 * up at most limit numbers a day, so that guessing the hidden digits of a
 * masked ID one candidate at a time is slow, seen, and soon stopped (the
 * numbers the user then registered aside). Its own transaction, or the
 * caller's when one is open. */
int store_note_lookup(struct store *st, const struct actor *a, const char *number, int limit,
		      char **cause)
{
	bool own = sqlite3_get_autocommit(st->db) != 0;
	char *now = now_iso();
	char day[11];
	snprintf(day, sizeof day, "%.10s", now);
	const char *login = st_real_login(a);
	sqlite3_stmt *seen = NULL, *count = NULL;
	int ret = own ? st_tx_begin(st, cause) : SR_OK;
	if (ret == SR_OK &&
	    (sqlite3_prepare_v2(st->db, "SELECT 1 FROM audit WHERE action = 'lookup'"
					" AND login = ?1 AND at >= ?2 AND comment = ?3",
				-1, &seen, NULL) != SQLITE_OK ||
	     /* a lookup of an ID this user then registered (a newcomer
	      * at a class, whose form opens only after it is recorded) is
	      * no guess: it stays in the audit, not in the day's count */
	     sqlite3_prepare_v2(st->db, "SELECT count(*) FROM audit a WHERE a.action = 'lookup'"
					" AND a.login = ?1 AND a.at >= ?2 AND NOT EXISTS (SELECT 1"
					" FROM records r WHERE r.person_key = a.comment"
					" AND r.created_by = coalesce(a.as_user, a.login)"
					" AND r.created_at >= a.at)",
				-1, &count, NULL) != SQLITE_OK))
		ret = st_db_fail(st, sqlite3_errcode(st->db), cause);
	if (ret == SR_OK) {
		st_bind_text(seen, 1, login);
		st_bind_text(seen, 2, day);
		st_bind_text(seen, 3, number);
		st_bind_text(count, 1, login);
		st_bind_text(count, 2, day);
		bool again = sqlite3_step(seen) == SQLITE_ROW;
		long n = sqlite3_step(count) == SQLITE_ROW ? (long)sqlite3_column_int64(count, 0) : 0;
		if (!again && a->user->role == ROLE_OFFICER && limit > 0 && n >= limit)
			ret = st_fail_msg(cause, SR_DENIED, msgf(MSG_LOOKUP_LIMIT, limit));
		else if (!again)
			ret = st_audit_add(st, a, now, "lookup", NULL, NULL, NULL, number, cause);
	}
	sqlite3_finalize(seen);
	sqlite3_finalize(count);
	free(now);
	return own ? st_tx_end(st, ret, cause) : ret;
}

static void q_free(struct query *q)
{
	buf_free(&q->sql);
	free(q->args);
	strv_free(&q->owned);
}

/* Prepares q and binds its values (copies of them), then frees q; on
 * failure *out is NULL. */
static int q_prepare(struct store *st, struct query *q, sqlite3_stmt **out, char **cause)
{
	int rc = sqlite3_prepare_v2(st->db, q->sql.s, -1, out, NULL);
	if (rc != SQLITE_OK) {
		int ret = st_db_fail(st, rc, cause);
		sqlite3_finalize(*out);
		*out = NULL;
		q_free(q);
		return ret;
	}
	for (size_t i = 0; i < q->n; i++) {
		if (q->args[i].is_int)
			sqlite3_bind_int64(*out, (int)i + 1, q->args[i].i);
		else
			st_bind_text(*out, (int)i + 1, q->args[i].s);
	}
	q_free(q);
	return SR_OK;
}

/* The WHERE of store_list, from q; the status filter comes first. */
static void list_where(struct query *qy, const struct user *u, const struct list_query *q,
		       const char *search, enum search_by by)
{
	if (q->status == ST_WITHDRAWN)
		q_sql(qy, " WHERE status = 'withdrawn'");
	else {
		q_sql(qy, " WHERE status <> 'withdrawn'");
		if (q->status >= 0)
			q_text(qy, " AND status = ?", status_name((enum status)q->status));
	}
	if (q->category)
		q_text(qy, " AND category = ?", q->category);
	if (q->categories && q->categories->n > 0)
		q_in(qy, "category", q->categories);
	if (q->township)
		q_text(qy, " AND township = ?", q->township);
	if (q->village)
		q_text(qy, " AND village = ?", q->village);
	if (q->created_by)
		q_text(qy, " AND created_by = ?", q->created_by);
	q_scope(qy, u);
	q_search(qy, search, by);
	const char *cmp = q->oldest_first ? ">" : "<";
	if (q->after_updated && q->after_uuid) {
		/* ties in time (a batch saved at once) are broken by the rowid,
		 * which every index holds */
		q_sql(qy, " AND (updated_ms, id) ");
		q_sql(qy, cmp);
		q_ms(qy, " (?", q->after_updated);
		q_text(qy, ", (SELECT id FROM records WHERE uuid = ?))", q->after_uuid);
	} else if (q->after_updated) {
		q_sql(qy, " AND updated_ms ");
		q_sql(qy, cmp);
		q_ms(qy, " ?", q->after_updated);
	}
}

int store_list(struct store *st, const struct actor *a, const struct list_query *q,
	       int (*cb)(const struct record *r, void *arg), void *arg, char **cause)
{
	assert(st && a && a->user && cb);
	static const struct list_query all = {.status = -1};
	if (q == NULL)
		q = &all;
	struct query qy = {0};
	char *search = search_text(q->search);
	enum search_by by = search_by(st, search);
	/* a whole number is looked up once, on the first page */
	if ((by == BY_ID || by == BY_PHONE) && q->after_updated == NULL) {
		int ret = store_note_lookup(st, a, search, q->lookups_per_day, cause);
		if (ret != SR_OK) {
			free(search);
			return ret;
		}
	}
	/* a search through an index reads its records by id and sorts them:
	 * with a township or status filter SQLite would otherwise walk that
	 * filter's index and test every record of it against the search */
	q_sql(&qy, by == BY_FTS || by == BY_GRAMS || by == BY_PHONE
			   ? "SELECT " RECORD_COLS " FROM records NOT INDEXED"
			   : "SELECT " RECORD_COLS " FROM records");
	list_where(&qy, a->user, q, search, by);
	q_sql(&qy, q->oldest_first ? " ORDER BY updated_ms, id" : " ORDER BY updated_ms DESC, id DESC");
	if (q->limit > 0) {
		q_sql(&qy, " LIMIT ?");
		q_push(&qy, NULL, q->limit, true);
	}
	sqlite3_stmt *s;
	int ret = q_prepare(st, &qy, &s, cause);
	free(search);
	if (ret != SR_OK)
		return ret;
	return st_each_record(st, s, NULL, cb, arg, cause);
}

int store_list_count(struct store *st, const struct actor *a, const struct list_query *q,
		     long max, long *n, char **cause)
{
	assert(st && a && a->user && q && n);
	*n = 0;
	char *search = search_text(q->search);
	enum search_by by = search_by(st, search);
	if (by == BY_NONE && !q->after_updated && q->status != ST_WITHDRAWN) {
		/* the running counts know every filter but the login */
		struct strv one = {0};
		if (q->category)
			strv_add(&one, q->category);
		struct count_query cq = {.categories = q->category ? &one : q->categories,
					 .status = q->status, .township = q->township,
					 .created_by = q->created_by};
		int ret = store_count(st, a, &cq, n, NULL, cause);
		strv_free(&one);
		free(search);
		return ret;
	}
	if ((by == BY_ID || by == BY_PHONE) && q->after_updated == NULL) {
		int ret = store_note_lookup(st, a, search, q->lookups_per_day, cause);
		if (ret != SR_OK) {
			free(search);
			return ret;
		}
	}
	struct query qy = {0};
	q_sql(&qy, by == BY_FTS || by == BY_GRAMS || by == BY_PHONE
			   ? "SELECT count(*) FROM (SELECT 1 FROM records NOT INDEXED"
			   : "SELECT count(*) FROM (SELECT 1 FROM records");
	list_where(&qy, a->user, q, search, by);
	if (max > 0) {
		q_sql(&qy, " LIMIT ?");
		q_push(&qy, NULL, max + 1, true);
	}
	q_sql(&qy, ")");
	sqlite3_stmt *s;
	int ret = q_prepare(st, &qy, &s, cause);
	free(search);
	if (ret != SR_OK)
		return ret;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(s, 0);
	return st_rows_end(st, s, rc, SR_OK, cause);
}

#define HISTORY_SQL \
	"SELECT id, at, login, as_user, action, uuid, old_vals, new_vals, comment" \
	" FROM audit WHERE uuid = ?1 ORDER BY id"

int store_history(struct store *st, const struct actor *a, const char *id,
		  int (*cb)(const struct audit_row *row, void *arg), void *arg, char **cause)
{
	assert(st && a && a->user && cb);
	struct record r;
	int ret = st_find_record(st, a, id, &r, cause);
	if (ret != SR_OK)
		return ret;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, HISTORY_SQL, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		st_bind_text(s, 1, r.uuid);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			const char *c[9];
			for (int i = 1; i < 9; i++)
				c[i] = (const char *)sqlite3_column_text(s, i);
			struct audit_row row = {
				(long)sqlite3_column_int64(s, 0), c[1], c[2], c[3], c[4], c[5],
				c[6], c[7], c[8]
			};
			if (cb(&row, arg))
				break;
		}
	}
	ret = st_rows_end(st, s, rc, ret, cause);
	record_free(&r);
	return ret;
}

int store_person_categories(struct store *st, const char *person_key,
			    const char *exclude_category, struct strv *cats, char **cause)
{
	assert(st && person_key && cats);
	sqlite3_stmt *s = st_prep(st, Q_PERSON_CATEGORIES, cause);
	if (s == NULL)
		return SR_FAIL;
	st_bind_text(s, 1, person_key);
	st_bind_text(s, 2, exclude_category);
	int rc, ret = SR_OK;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 0);
		if (c && !strv_has(cats, c))
			strv_add(cats, c);
	}
	if (rc != SQLITE_DONE)
		ret = st_db_fail(st, rc, cause);
	st_done(s);
	return ret;
}

int store_value_taken(struct store *st, const char *category, const char *key,
		      const char *value, const char *exclude_uuid, char **uuid, char **cause)
{
	assert(st && category && value && uuid);
	*uuid = NULL;
	if (key == NULL) {	/* the person, by the person key's own index */
		const char *const v[] = {category, value, exclude_uuid};
		return st_get_text(st, Q_LIVE_PERSON, v, (int)ARRAY_LEN(v), uuid, cause);
	}
	if (!st_plain_key(key))
		return st_fail_msg(cause, SR_FAIL, msgf(MSG_INI_BAD_VALUE, "key", key));
	const char *const v[] = {category, key, value, exclude_uuid};
	return st_get_text(st, Q_VALUE_TAKEN, v, (int)ARRAY_LEN(v), uuid, cause);
}

int store_count(struct store *st, const struct actor *a, const struct count_query *q,
		long *records, long *people, char **cause)
{
	assert(st && a && a->user && q);
	if (records)
		*records = 0;
	if (people)
		*people = 0;
	if ((q->team || q->target) && !q->where_field && !q->created_by && !q->conds && !q->tag)
		return people ? st_count_people(st, a, q, people, cause) : SR_OK;
	if (q->where_field && !st_plain_key(q->where_field))
		return st_fail_msg(cause, SR_FAIL,
				msgf(MSG_INI_BAD_VALUE, "where_field", q->where_field));
	char *conds = NULL;
	int ret = st_conds_json(q->conds, q->nconds, NULL, NULL, &conds, cause);
	if (ret != SR_OK)
		return ret;
	struct query qy = {0};
	/* counting distinct people is the costly part: only when asked */
	/* records alone come from their running count (record_count has the
	 * category, status and township the conditions below test) */
	q_sql(&qy, people ? "SELECT count(*), count(DISTINCT person_key) FROM records"
		   : q->where_field || q->created_by || conds || q->tag
			   ? "SELECT count(*), 0 FROM records"
		   : "SELECT coalesce(sum(n), 0), 0 FROM record_count");
	/* people with a tag are few: with "+" the planner cannot take the
	 * status, category or township index and goes from the tagged people
	 * to their records (records_person_key) */
	bool few = q->tag != NULL;
	if (q->status < 0)
		q_sql(&qy, few ? " WHERE +status <> 'withdrawn'" : " WHERE status <> 'withdrawn'");
	else
		q_text(&qy, few ? " WHERE +status = ?" : " WHERE status = ?",
		       status_name((enum status)q->status));
	if (q->categories && q->categories->n > 0)
		q_in(&qy, few ? "+category" : "category", q->categories);
	if (q->township)
		q_text(&qy, few ? " AND +township = ?" : " AND township = ?", q->township);
	if (q->created_by)
		q_text(&qy, " AND created_by = ?", q->created_by);
	q_scope(&qy, a->user);
	if (q->where_field) {
		q_text(&qy, " AND json_extract(vals, '$.\"' || ? || '\"')", q->where_field);
		q_text(&qy, " IS ?", q->where_value);
	}
	if (q->tag)	/* few people carry a tag: from them to their records */
		q_text(&qy, " AND person_key IN (SELECT person_key FROM person_tags"
			    " WHERE tag = ? AND removed_at IS NULL)", q->tag);
	if (conds) {	/* the text names its ? twice */
		strv_take(&qy.owned, conds);
		q_text(&qy, " AND " ST_CONDS_HOLD("?", "vals"), conds);
		q_push(&qy, conds, 0, false);
	}
	sqlite3_stmt *s;
	ret = q_prepare(st, &qy, &s, cause);
	if (ret != SR_OK)
		return ret;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (records)
			*records = (long)sqlite3_column_int64(s, 0);
		if (people)
			*people = (long)sqlite3_column_int64(s, 1);
	} else
		ret = st_db_fail(st, rc, cause);
	sqlite3_finalize(s);
	return ret;
}
