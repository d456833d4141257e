/*
 * page.c - the browse benchmark: how long one page of the browse list takes
 * at the first, the middle and the last page of a large database. The last
 * page cannot be reached through the screens in a benchmark (keyset paging
 * walks there one page at a time, 55,000 key presses at 1,000,000 records),
 * so this calls store_list() exactly as src/ui/browse.c does (limit: one
 * screen of 18 rows and one more, continuing after the last row of the page
 * before) and, as the reference, runs the same SQL with the sqlite3 API on a
 * connection of its own. Both are timed in this process, interleaved, RUNS
 * times each; it prints the medians in milliseconds, one page a line:
 *
 *   first <talentreg ms> <sqlite3 ms> <rows>
 *
 * usage: page DB RUNS
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"

#define PAGE_ROWS 18	/* an 80x24 screen: ui_rows() - 6 */

/* The SQL store_list() builds for browse's query (RECORD_COLS spelled out). */
#define REF_SQL \
	"SELECT uuid, category, status, person_key, name, township, village, phone, vals," \
	" comment, created_by, created_at, updated_by, updated_at, version, site" \
	" FROM records WHERE status <> 'withdrawn'%s" \
	" ORDER BY updated_ms DESC, id DESC LIMIT 19"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int count_row(const struct record *r, void *arg)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

/* One run of the reference: the same SQL, every column read. */
static int ref_page(sqlite3 *db, const char *at, const char *uuid)
{
	char sql[1024];
	snprintf(sql, sizeof sql, REF_SQL,
		 at ? " AND (updated_ms, id) < (?1, (SELECT id FROM records WHERE uuid = ?2))" : "");
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "page: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	if (at) {
		/* store_query.c binds the time as milliseconds (q_ms) */
		sqlite3_bind_int64(s, 1, strtoll(at + strlen(at) + 1, NULL, 10));
		sqlite3_bind_text(s, 2, uuid, -1, SQLITE_TRANSIENT);
	}
	int rows = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < 16; i++)
			sqlite3_column_text(s, i);
		rows++;
	}
	sqlite3_finalize(s);
	return rows;
}

/* The key (updated_at, uuid) of the live record `skip` rows from the
 * newest (or from the oldest), copied into at and uuid. */
static void key_at(sqlite3 *db, const char *order, long skip, char *at, char *uuid)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT updated_at, uuid, updated_ms FROM records"
		 " WHERE status <> 'withdrawn' ORDER BY updated_ms %s, id %s LIMIT 1 OFFSET %ld",
		 order, order, skip);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		fprintf(stderr, "page: no key: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	/* at: the time as text, then (after its NUL) as milliseconds */
	int n = snprintf(at, 32, "%s", (const char *)sqlite3_column_text(s, 0));
	snprintf(at + n + 1, 31, "%lld", (long long)sqlite3_column_int64(s, 2));
	snprintf(uuid, 64, "%s", (const char *)sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: page DB RUNS\n");
		return 2;
	}
	int runs = atoi(argv[2]);
	if (runs < 1)
		runs = 1;
	struct store *st;
	char *cause = NULL;
	if (store_open(argv[1], false, &st, &cause) != SR_OK) {
		fprintf(stderr, "page: %s\n", cause);
		return 1;
	}
	sqlite3 *db;
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "page: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_stmt *s;
	long live = 0;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM records WHERE status <> 'withdrawn'", -1,
			       &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		live = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);

	struct user u = {.login = "bench", .role = ROLE_ADMIN};
	struct actor a = {&u, "bench"};
	char at[3][64], uuid[3][64];
	const char *names[] = {"first", "middle", "last"};
	key_at(db, "DESC", live / 2, at[1], uuid[1]);	/* a page in the middle */
	key_at(db, "ASC", PAGE_ROWS, at[2], uuid[2]);	/* the page before the last ends here */
	double *t = calloc((size_t)runs, sizeof *t), *r = calloc((size_t)runs, sizeof *r);
	for (int p = 0; p < 3; p++) {
		const char *pa = p ? at[p] : NULL, *pu = p ? uuid[p] : NULL;
		struct list_query q = {.status = -1, .limit = PAGE_ROWS + 1,
				       .after_updated = pa, .after_uuid = pu};
		int rows = 0, ref_rows = 0;
		for (int i = 0; i < runs; i++) {
			double t0 = now_ms();
			rows = 0;
			if (store_list(st, &a, &q, count_row, &rows, &cause) != SR_OK) {
				fprintf(stderr, "page: %s\n", cause);
				return 1;
			}
			double t1 = now_ms();
			ref_rows = ref_page(db, pa, pu);
			double t2 = now_ms();
			t[i] = t1 - t0;
			r[i] = t2 - t1;
		}
		if (rows != ref_rows)
			fprintf(stderr, "page: %s: store_list gave %d rows, the SQL %d\n", names[p], rows,
				ref_rows);
		printf("%s %.3f %.3f %d\n", names[p], median(t, runs), median(r, runs), rows);
	}
	free(t);
	free(r);
	sqlite3_close(db);
	store_close(st);
	return 0;
}
