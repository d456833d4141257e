/*
 * test_store.c - the store against real SQLite files: schema and migrations,
 * file mode, round trips, duplicates, the append-only audit, scope and
 * locking, search, keyset paging, and several processes writing at once.
 * Each test gets a fresh folder from mkdtemp under /tmp and removes it.
 */
#include "testutil.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

struct fx {
	char dir[64];
	char path[128];
	struct store *st;
	struct user off_a, off_b, sup, admin;
};

/* ---- helpers ---- */

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char *dir = tmpdir_new("store");
	snprintf(f->dir, sizeof f->dir, "%s", dir);
	free(dir);
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	f->off_a = (struct user){.login = "off_a", .role = ROLE_OFFICER};
	strv_add(&f->off_a.townships, "宁远堡镇");
	f->off_b = (struct user){.login = "off_b", .role = ROLE_OFFICER};
	strv_add(&f->off_b.townships, "双湾镇");
	f->sup = (struct user){.login = "sup", .role = ROLE_SUPERVISOR};
	f->admin = (struct user){.login = "root", .role = ROLE_ADMIN};
	char *cause = NULL;
	if (store_open(f->path, true, &f->st, &cause) != SR_OK) {
		fprintf(stderr, "store_open: %s\n", cause);
		free(cause);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	tmpdir_remove(xstrdup(f->dir));
	strv_free(&f->off_a.townships);
	strv_free(&f->off_b.townships);
	free(f);
	return 0;
}

static struct actor as(const struct user *u)
{
	return (struct actor){u, u->login};
}

/* A new submitted record with the person fields in form order. */
static struct record *mk(const char *category, const char *name, const char *id,
			 const char *township, const char *village, const char *phone)
{
	struct record *r = xcalloc(1, sizeof *r);
	uuid_v4(r->uuid);
	r->category = xstrdup(category);
	r->status = ST_SUBMITTED;
	r->person_key = xstrdup(id);
	r->name = xstrdup(name);
	r->township = xstrdup(township);
	r->village = xstrdup(village);
	r->phone = xstrdup(phone);
	kv_set(&r->vals, "name", name);
	kv_set(&r->vals, "id_number", id);
	if (phone)
		kv_set(&r->vals, "phone", phone);
	kv_set(&r->vals, "township", township);
	if (village)
		kv_set(&r->vals, "village", village);
	return r;
}

static void rec_free(struct record *r)
{
	record_free(r);
	free(r);
}

/* Adds r as u; asserts success. */
static void add_ok(struct fx *f, const struct user *u, struct record *r)
{
	struct actor a = as(u);
	char *cause = NULL;
	int rc = store_add(f->st, &a, r, "site-1", NULL, &cause);
	if (rc != SR_OK)
		fail_msg("store_add: %d %s", rc, cause);
}

static long count_records(struct fx *f, const struct user *u, long *people)
{
	struct actor a = as(u);
	struct count_query q = {.status = -1};
	long n = -1, p = -1;
	assert_int_equal(store_count(f->st, &a, &q, &n, &p, NULL), SR_OK);
	if (people)
		*people = p;
	return n;
}

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* Returns the first column of the first row of sql as an integer. */
static long long raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	long long v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Returns a new copy of the first column of the first row of sql. */
static char *raw_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	char *v = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return v;
}

/* Collects what list returns: uuids, names and the (updated_at, uuid) keys. */
struct seen {
	struct strv uuids, names, updated;
};

static int collect(const struct record *r, void *arg)
{
	struct seen *s = arg;
	strv_add(&s->uuids, r->uuid);
	strv_add(&s->names, r->name);
	strv_add(&s->updated, r->updated_at);
	return 0;
}

static void seen_free(struct seen *s)
{
	strv_free(&s->uuids);
	strv_free(&s->names);
	strv_free(&s->updated);
}

static size_t list_search(struct fx *f, const struct user *u, const char *search,
			  struct seen *out)
{
	struct actor a = as(u);
	struct list_query q = {.status = -1, .search = search};
	char *cause = NULL;
	int rc = store_list(f->st, &a, &q, collect, out, &cause);
	if (rc != SR_OK)
		fail_msg("store_list(%s): %s", search, cause);
	return out->uuids.n;
}

/* Collects the actions of a record's history. */
static int collect_audit(const struct audit_row *row, void *arg)
{
	struct strv *sv = arg;
	char *s = xasprintf("%s|%s|%s|%s|%s", row->action, row->login,
			    row->as_user ? row->as_user : "-", row->old_vals ? row->old_vals : "-",
			    row->comment ? row->comment : "-");
	strv_take(sv, s);
	return 0;
}

static size_t history(struct fx *f, const struct user *u, const char *id, struct strv *rows)
{
	struct actor a = as(u);
	assert_int_equal(store_history(f->st, &a, id, collect_audit, rows, NULL), SR_OK);
	return rows->n;
}

/* ---- schema, migrations and the file ---- */

static void test_migrate_fresh(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
	sqlite3 *db = raw_open(f->path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	static const char *const tables[] = {"meta", "records", "records_fts", "audit", "drafts"};
	for (size_t i = 0; i < ARRAY_LEN(tables); i++) {
		char *sql = sqlite3_mprintf("SELECT count(*) FROM sqlite_schema"
					    " WHERE type = 'table' AND name = %Q", tables[i]);
		assert_int_equal(raw_int(db, sql), 1);
		sqlite3_free(sql);
	}
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
				     " AND name IN ('audit_no_update', 'audit_no_delete',"
				     " 'records_fts_ai', 'records_fts_ad', 'records_fts_au')"), 5);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
				     " AND name = 'records_person_live'"), 1);
	char *mode = raw_text(db, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	sqlite3_close(db);
}

static void test_reopen_does_not_migrate(void **state)
{
	struct fx *f = *state;
	char *val = NULL;
	assert_int_equal(store_meta_set_once(f->st, "site_id", "s1", &val, NULL), SR_OK);
	free(val);
	sqlite3 *db = raw_open(f->path);
	long long cookie = raw_int(db, "PRAGMA schema_version");
	long long objects = raw_int(db, "SELECT count(*) FROM sqlite_schema");
	sqlite3_close(db);

	store_close(f->st);
	f->st = NULL;
	char *cause = NULL;
	assert_int_equal(store_open(f->path, false, &f->st, &cause), SR_OK);
	assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
	assert_int_equal(store_meta_get(f->st, "site_id", &val, NULL), SR_OK);
	assert_string_equal(val, "s1");
	free(val);

	db = raw_open(f->path);
	assert_int_equal(raw_int(db, "PRAGMA schema_version"), cookie);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_schema"), objects);
	sqlite3_close(db);
}

static void test_too_new_refused(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	f->st = NULL;
	sqlite3 *db = raw_open(f->path);
	char *sql = sqlite3_mprintf("PRAGMA user_version = %d", STORE_SCHEMA_VERSION + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	sqlite3_close(db);

	char *cause = NULL;
	assert_int_equal(store_open(f->path, false, &f->st, &cause), SR_FAIL);
	assert_null(f->st);
	char *want = msgf(MSG_STORE_TOO_NEW, STORE_SCHEMA_VERSION + 1, STORE_SCHEMA_VERSION);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

static void test_new_file_mode_0660(void **state)
{
	struct fx *f = *state;
	char *path = xasprintf("%s/m.db", f->dir);
	mode_t old = umask(022);
	struct store *st = NULL;
	char *cause = NULL;
	int rc = store_open(path, true, &st, &cause);
	umask(old);
	assert_int_equal(rc, SR_OK);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0660);
	char *wal = xasprintf("%s-wal", path);
	if (stat(wal, &sb) == 0)	/* present while open: SQLite copies the mode */
		assert_int_equal(sb.st_mode & 07777, 0660);
	free(wal);
	store_close(st);
	free(path);
}

static void test_missing_folder(void **state)
{
	struct fx *f = *state;
	char *dir = xasprintf("%s/nope", f->dir);
	char *path = xasprintf("%s/t.db", dir);
	char *want = msgf(MSG_STORE_NO_DIR, dir);
	for (int create = 0; create < 2; create++) {
		struct store *st = NULL;
		char *cause = NULL;
		assert_int_equal(store_open(path, create, &st, &cause), SR_FAIL);
		assert_null(st);
		assert_string_equal(cause, want);
		free(cause);
	}
	free(want);
	free(path);
	free(dir);
}

static void test_missing_file(void **state)
{
	struct fx *f = *state;
	char *path = xasprintf("%s/absent.db", f->dir);
	struct store *st = NULL;
	char *cause = NULL;
	assert_int_equal(store_open(path, false, &st, &cause), SR_FAIL);
	assert_null(st);
	char *want = msgf(MSG_STORE_NO_DB, path);
	assert_string_equal(cause, want);
	assert_int_equal(access(path, F_OK), -1);	/* nothing was created */
	free(want);
	free(cause);
	free(path);
}

/* ---- records ---- */

static void test_add_get_round_trip(void **state)
{
	struct fx *f = *state;
	struct record *r = mk("rural_teacher", "欧阳娜娜", "62030219850312002X", "宁远堡镇",
			      "龙景村", "13800138000");
	kv_set(&r->vals, "school", "宁远堡镇中心小学 \"一部\"\\\n二楼");
	kv_set(&r->vals, "years_teaching", "12");
	kv_set(&r->vals, "a_last", "最后");
	struct actor a = as(&f->off_a);
	char *cause = NULL;
	assert_int_equal(store_add(f->st, &a, r, "站点-甲", &(struct store_save){.note = "已确认警告"}, &cause), SR_OK);
	assert_string_equal(r->created_by, "off_a");
	assert_int_equal(r->version, 1);

	char prefix[9];
	memcpy(prefix, r->uuid, 8);
	prefix[8] = '\0';
	for (int i = 0; i < 8; i++)	/* users may type it in capitals */
		if (prefix[i] >= 'a' && prefix[i] <= 'f')
			prefix[i] = (char)(prefix[i] - 'a' + 'A');
	const char *ids[] = {r->uuid, prefix};
	for (size_t k = 0; k < ARRAY_LEN(ids); k++) {
		struct record *g = NULL;
		assert_int_equal(store_get(f->st, &a, ids[k], &g, &cause), SR_OK);
		assert_string_equal(g->uuid, r->uuid);
		assert_string_equal(g->category, "rural_teacher");
		assert_int_equal(g->status, ST_SUBMITTED);
		assert_string_equal(g->person_key, "62030219850312002X");
		assert_string_equal(g->name, "欧阳娜娜");
		assert_string_equal(g->township, "宁远堡镇");
		assert_string_equal(g->village, "龙景村");
		assert_string_equal(g->phone, "13800138000");
		assert_string_equal(g->created_by, "off_a");
		assert_string_equal(g->updated_by, "off_a");
		assert_non_null(g->created_at);
		assert_string_equal(g->created_at, r->created_at);
		assert_string_equal(g->updated_at, g->created_at);
		assert_int_equal(strlen(g->created_at), 24);	/* YYYY-MM-DDTHH:MM:SS.mmmZ */
		assert_int_equal(g->version, 1);
		assert_string_equal(g->site, "站点-甲");
		assert_null(g->comment);
		assert_int_equal(g->vals.keys.n, r->vals.keys.n);
		for (size_t i = 0; i < r->vals.keys.n; i++) {
			assert_string_equal(g->vals.keys.v[i], r->vals.keys.v[i]);
			assert_string_equal(g->vals.vals.v[i], r->vals.vals.v[i]);
		}
		rec_free(g);
	}

	struct strv rows = {0};
	assert_int_equal(history(f, &f->off_a, r->uuid, &rows), 1);
	assert_string_equal(rows.v[0], "create|off_a|-|-|已确认警告");
	strv_free(&rows);
	rec_free(r);
}

static void test_get_prefix_rules(void **state)
{
	struct fx *f = *state;
	struct record *r1 = mk("artisan", "甲", "620302199001010011", "宁远堡镇", NULL, NULL);
	struct record *r2 = mk("artisan", "乙", "620302199001010022", "宁远堡镇", NULL, NULL);
	snprintf(r1->uuid, sizeof r1->uuid, "abcdef12-0000-4000-8000-000000000001");
	snprintf(r2->uuid, sizeof r2->uuid, "abcdef12-0000-4000-8000-000000000002");
	add_ok(f, &f->sup, r1);
	add_ok(f, &f->sup, r2);
	struct actor a = as(&f->sup);
	struct record *g = NULL;
	char *cause = NULL;
	assert_int_equal(store_get(f->st, &a, "abcdef12", &g, &cause), SR_AMBIGUOUS);
	assert_null(g);
	char *want = msgf(MSG_AMBIGUOUS, "abcdef12");
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	assert_int_equal(store_get(f->st, &a, "abcdef1", &g, NULL), SR_NOTFOUND);
	assert_int_equal(store_get(f->st, &a, "abcdef12-0000-4000-8000-00000000000", &g, NULL),
			 SR_AMBIGUOUS);
	assert_int_equal(store_get(f->st, &a, "abcdef12-0000-4000-8000-000000000002", &g, NULL),
			 SR_OK);
	assert_string_equal(g->name, "乙");
	rec_free(g);
	assert_int_equal(store_get(f->st, &a, "abcdef12'; --", &g, NULL), SR_NOTFOUND);
	rec_free(r1);
	rec_free(r2);
}

static void test_retried_save_same_uuid(void **state)
{
	struct fx *f = *state;
	struct record *r = mk("grower", "张三", "620302197001010033", "宁远堡镇", NULL, NULL);
	add_ok(f, &f->off_a, r);
	add_ok(f, &f->off_a, r);
	assert_int_equal(count_records(f, &f->sup, NULL), 1);
	struct strv rows = {0};
	assert_int_equal(history(f, &f->sup, r->uuid, &rows), 1);
	strv_free(&rows);
	rec_free(r);
}

static void test_same_person_same_category_dup(void **state)
{
	struct fx *f = *state;
	const char *id = "620302198001010044";
	struct record *r1 = mk("coop_leader", "李四", id, "宁远堡镇", NULL, NULL);
	struct record *r2 = mk("coop_leader", "李四", id, "宁远堡镇", NULL, NULL);
	struct record *r3 = mk("ecommerce_trainee", "李四", id, "宁远堡镇", NULL, NULL);
	add_ok(f, &f->off_a, r1);
	struct actor a = as(&f->off_a);
	char *cause = NULL;
	assert_int_equal(store_add(f->st, &a, r2, "s", NULL, &cause), SR_DUP);
	char *want = msgf(MSG_DUP_PERSON, id, r1->uuid);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	cause = NULL;

	/* another category is allowed, and reported as the person's other one */
	add_ok(f, &f->off_a, r3);
	struct strv cats = {0};
	assert_int_equal(store_person_categories(f->st, id, "coop_leader", &cats, NULL), SR_OK);
	assert_int_equal(cats.n, 1);
	assert_string_equal(cats.v[0], "ecommerce_trainee");
	strv_free(&cats);
	assert_int_equal(store_person_categories(f->st, id, NULL, &cats, NULL), SR_OK);
	assert_int_equal(cats.n, 2);
	strv_free(&cats);
	long people;
	assert_int_equal(count_records(f, &f->sup, &people), 2);
	assert_int_equal(people, 1);

	/* withdrawing the first frees the category for the person */
	assert_int_equal(store_transition(f->st, &a, r1->uuid, ACT_WITHDRAW, NULL, &cause), SR_OK);
	assert_int_equal(store_add(f->st, &a, r2, "s", NULL, &cause), SR_OK);
	assert_int_equal(count_records(f, &f->sup, NULL), 2);
	rec_free(r1);
	rec_free(r2);
	rec_free(r3);
}

static void test_add_many_is_one_transaction(void **state)
{
	struct fx *f = *state;
	struct record *rs[3] = {
		mk("grower", "一", "620302197001010101", "宁远堡镇", NULL, NULL),
		mk("grower", "二", "620302197001010102", "宁远堡镇", NULL, NULL),
		mk("grower", "一", "620302197001010101", "宁远堡镇", NULL, NULL),
	};
	struct actor a = as(&f->off_a);
	size_t failed = 99;
	char *cause = NULL;
	assert_int_equal(store_add_many(f->st, &a, rs, 3, "s", NULL, &failed, &cause), SR_DUP);
	assert_int_equal(failed, 2);
	free(cause);
	assert_int_equal(count_records(f, &f->sup, NULL), 0);
	assert_int_equal(store_add_many(f->st, &a, rs, 2, "s", NULL, &failed, NULL), SR_OK);
	assert_int_equal(count_records(f, &f->sup, NULL), 2);
	for (int i = 0; i < 3; i++)
		rec_free(rs[i]);
}

static void test_audit_append_only(void **state)
{
	struct fx *f = *state;
	struct record *r = mk("grower", "王五", "620302197501010055", "宁远堡镇", NULL, NULL);
	add_ok(f, &f->off_a, r);
	struct actor a = {&f->off_a, "root"};	/* an admin acting as off_a */
	assert_int_equal(store_audit(f->st, &a, "export", "全部类别", NULL), SR_OK);

	sqlite3 *db = raw_open(f->path);
	char *before = raw_text(db, "SELECT group_concat(id || login || action || ifnull(as_user, '-'), ',')"
				    " FROM audit");
	assert_string_equal(before, "1off_acreate-,2rootexportoff_a");
	char *err = NULL;
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET login = 'x'", NULL, NULL, &err),
			     SQLITE_OK);
	assert_non_null(strstr(err, "append-only"));
	sqlite3_free(err);
	err = NULL;
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, &err), SQLITE_OK);
	assert_non_null(strstr(err, "append-only"));
	sqlite3_free(err);
	char *after = raw_text(db, "SELECT group_concat(id || login || action || ifnull(as_user, '-'), ',')"
				   " FROM audit");
	assert_string_equal(after, before);
	free(before);
	free(after);
	sqlite3_close(db);
	rec_free(r);
}

static void test_officer_scope(void **state)
{
	struct fx *f = *state;
	struct record *ra = mk("grower", "甲乙", "620302197001010066", "宁远堡镇", NULL, NULL);
	struct record *rb = mk("grower", "丙丁", "620302197001010077", "双湾镇", NULL, NULL);
	add_ok(f, &f->off_a, ra);
	add_ok(f, &f->off_b, rb);

	/* an officer cannot create outside its townships */
	struct record *rx = mk("grower", "戊", "620302197001010088", "双湾镇", NULL, NULL);
	struct actor a = as(&f->off_a);
	char *cause = NULL;
	assert_int_equal(store_add(f->st, &a, rx, "s", NULL, &cause), SR_DENIED);
	char *want = msgf(MSG_DENIED, msg(MSG_DENIED_SCOPE));
	assert_string_equal(cause, want);
	free(want);
	free(cause);

	struct record *g = NULL;
	cause = NULL;
	assert_int_equal(store_get(f->st, &a, rb->uuid, &g, &cause), SR_NOTFOUND);
	assert_null(g);
	want = msgf(MSG_NOT_FOUND, rb->uuid);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	char prefix[9];
	memcpy(prefix, rb->uuid, 8);
	prefix[8] = '\0';
	assert_int_equal(store_get(f->st, &a, prefix, &g, NULL), SR_NOTFOUND);
	assert_int_equal(store_history(f->st, &a, rb->uuid, collect_audit, NULL, NULL),
			 SR_NOTFOUND);
	assert_int_equal(store_transition(f->st, &a, rb->uuid, ACT_WITHDRAW, NULL, NULL),
			 SR_NOTFOUND);

	struct seen s = {0};
	assert_int_equal(list_search(f, &f->off_a, NULL, &s), 1);
	assert_string_equal(s.uuids.v[0], ra->uuid);
	seen_free(&s);
	/* even when asking for township B by name */
	struct list_query q = {.status = -1, .township = "双湾镇"};
	assert_int_equal(store_list(f->st, &a, &q, collect, &s, NULL), SR_OK);
	assert_int_equal(s.uuids.n, 0);
	seen_free(&s);
	assert_int_equal(count_records(f, &f->off_a, NULL), 1);
	assert_int_equal(list_search(f, &f->sup, NULL, &s), 2);
	seen_free(&s);
	rec_free(ra);
	rec_free(rb);
	rec_free(rx);
}

static void test_approved_is_locked(void **state)
{
	struct fx *f = *state;
	struct record *r = mk("grower", "赵六", "620302197001010099", "宁远堡镇", NULL, NULL);
	add_ok(f, &f->off_a, r);
	struct actor sup = as(&f->sup);
	assert_int_equal(store_transition(f->st, &sup, r->uuid, ACT_APPROVE, "合格", NULL), SR_OK);

	const struct user *who[] = {&f->off_a, &f->sup, &f->admin};
	for (size_t i = 0; i < ARRAY_LEN(who); i++) {
		struct actor a = as(who[i]);
		struct record *g = NULL;
		assert_int_equal(store_get(f->st, &a, r->uuid, &g, NULL), SR_OK);
		assert_int_equal(g->status, ST_APPROVED);
		kv_set(&g->vals, "name", "赵七");
		char *cause = NULL;
		assert_int_equal(store_update(f->st, &a, g, NULL, &cause), SR_DENIED);
		char *want = msgf(MSG_DENIED, msg(MSG_DENIED_LOCKED));
		assert_string_equal(cause, want);
		free(want);
		free(cause);
		rec_free(g);
	}
	/* unlocking opens it again (for a supervisor) */
	assert_int_equal(store_transition(f->st, &sup, r->uuid, ACT_UNLOCK, "更正姓名", NULL), SR_OK);
	struct record *g = NULL;
	assert_int_equal(store_get(f->st, &sup, r->uuid, &g, NULL), SR_OK);
	assert_int_equal(g->status, ST_SUBMITTED);
	assert_string_equal(g->comment, "更正姓名");
	assert_int_equal(g->version, 3);
	assert_int_equal(store_update(f->st, &sup, g, NULL, NULL), SR_OK);
	rec_free(g);
	rec_free(r);
}

static void test_stale_version(void **state)
{
	struct fx *f = *state;
	struct record *r = mk("grower", "钱八", "620302197001010110", "宁远堡镇", NULL, NULL);
	add_ok(f, &f->sup, r);
	struct actor a = as(&f->sup);
	struct record *c1 = NULL, *c2 = NULL;
	assert_int_equal(store_get(f->st, &a, r->uuid, &c1, NULL), SR_OK);
	assert_int_equal(store_get(f->st, &a, r->uuid, &c2, NULL), SR_OK);
	kv_set(&c1->vals, "village", "龙景村");
	assert_int_equal(store_update(f->st, &a, c1, NULL, NULL), SR_OK);
	assert_int_equal(c1->version, 2);
	char *cause = NULL;
	kv_set(&c2->vals, "village", "金川村");
	assert_int_equal(store_update(f->st, &a, c2, NULL, &cause), SR_STALE);
	assert_non_null(cause);
	free(cause);
	struct record *g = NULL;
	assert_int_equal(store_get(f->st, &a, r->uuid, &g, NULL), SR_OK);
	assert_string_equal(kv_get(&g->vals, "village"), "龙景村");
	assert_int_equal(g->version, 2);
	rec_free(g);
	rec_free(c1);
	rec_free(c2);
	rec_free(r);
}

static void test_return_edit_resubmit(void **state)
{
	struct fx *f = *state;
	struct record *r = mk("rural_doctor", "孙九", "620302196001010121", "宁远堡镇",
			      NULL, "13900000000");
	add_ok(f, &f->off_a, r);
	struct actor off = as(&f->off_a), sup = as(&f->sup);
	/* submitted: the officer waits for review */
	struct record *g = NULL;
	assert_int_equal(store_get(f->st, &off, r->uuid, &g, NULL), SR_OK);
	assert_int_equal(store_update(f->st, &off, g, NULL, NULL), SR_DENIED);
	rec_free(g);
	assert_int_equal(store_transition(f->st, &sup, r->uuid, ACT_RETURN, "请补充手机号", NULL),
			 SR_OK);
	assert_int_equal(store_get(f->st, &off, r->uuid, &g, NULL), SR_OK);
	assert_int_equal(g->status, ST_RETURNED);
	assert_string_equal(g->comment, "请补充手机号");
	kv_set(&g->vals, "phone", "13900000001");
	free(g->phone);
	g->phone = xstrdup("13900000001");
	/* it may not move to a township outside the officer's */
	char *t = g->township;
	g->township = "双湾镇";
	assert_int_equal(store_update(f->st, &off, g, NULL, NULL), SR_DENIED);
	g->township = t;
	assert_int_equal(store_update(f->st, &off, g, &(struct store_save){.note = "改手机号"}, NULL), SR_OK);
	assert_int_equal(g->status, ST_SUBMITTED);
	rec_free(g);
	assert_int_equal(store_get(f->st, &off, r->uuid, &g, NULL), SR_OK);
	assert_int_equal(g->status, ST_SUBMITTED);
	assert_string_equal(g->phone, "13900000001");
	assert_int_equal(g->version, 3);
	rec_free(g);

	struct strv rows = {0};
	assert_int_equal(history(f, &f->sup, r->uuid, &rows), 3);
	assert_string_equal(rows.v[0], "create|off_a|-|-|-");
	assert_string_equal(rows.v[1], "return|sup|-|-|请补充手机号");
	assert_non_null(strstr(rows.v[2], "edit|off_a|-|{\"name\""));
	assert_non_null(strstr(rows.v[2], "13900000000"));
	assert_non_null(strstr(rows.v[2], "|改手机号"));
	strv_free(&rows);
	rec_free(r);
}

static void test_update_to_registered_person_dup(void **state)
{
	struct fx *f = *state;
	struct record *r1 = mk("grower", "周一", "620302197001010132", "宁远堡镇", NULL, NULL);
	struct record *r2 = mk("grower", "吴二", "620302197001010143", "宁远堡镇", NULL, NULL);
	add_ok(f, &f->sup, r1);
	add_ok(f, &f->sup, r2);
	struct actor a = as(&f->sup);
	free(r2->person_key);
	r2->person_key = xstrdup(r1->person_key);
	char *cause = NULL;
	assert_int_equal(store_update(f->st, &a, r2, NULL, &cause), SR_DUP);
	assert_non_null(strstr(cause, r1->uuid));
	free(cause);
	rec_free(r1);
	rec_free(r2);
}

/* ---- list, search, paging, counts ---- */

static void add_search_set(struct fx *f)
{
	struct record *rs[] = {
		mk("grower", "王芳", "620302199203040011", "宁远堡镇", "龙景村", "13812345678"),
		mk("grower", "王芳华", "620302198503120022", "宁远堡镇", "天生炕村", "13987654321"),
		mk("grower", "李四光", "620302197711050033", "宁远堡镇", "龙景村", "15011112222"),
		mk("grower", "张三丰", "620302196609090044", "宁远堡镇", "中牌村", "18600001111"),
	};
	for (size_t i = 0; i < ARRAY_LEN(rs); i++) {
		add_ok(f, &f->off_a, rs[i]);
		rec_free(rs[i]);
	}
}

static void test_search(void **state)
{
	struct fx *f = *state;
	add_search_set(f);
	struct seen s = {0};
	/* 2 characters: instr() */
	assert_int_equal(list_search(f, &f->off_a, "王芳", &s), 2);
	assert_true(strv_has(&s.names, "王芳") && strv_has(&s.names, "王芳华"));
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "三丰", &s), 1);
	assert_string_equal(s.names.v[0], "张三丰");
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "芳", &s), 2);
	seen_free(&s);
	/* 3 characters and more: the trigram index; trimmed first */
	assert_int_equal(list_search(f, &f->off_a, "  李四光 ", &s), 1);
	assert_string_equal(s.names.v[0], "李四光");
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "天生炕", &s), 1);
	assert_string_equal(s.names.v[0], "王芳华");
	seen_free(&s);
	/* the digits a masked ID or phone shows (6203**********0022,
	 * 139****4321), and whole numbers; never the hidden ones */
	assert_int_equal(list_search(f, &f->off_a, "0022", &s), 1);
	assert_string_equal(s.names.v[0], "王芳华");
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "4321", &s), 1);
	assert_string_equal(s.names.v[0], "王芳华");
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "6203", &s), 4);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "620302198503120022", &s), 1);
	assert_string_equal(s.names.v[0], "王芳华");
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "18600001111", &s), 1);
	assert_string_equal(s.names.v[0], "张三丰");
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "19850312", &s), 0);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "0001111", &s), 0);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "8503", &s), 0);
	seen_free(&s);
	/* FTS5 syntax in the query is just text */
	assert_int_equal(list_search(f, &f->off_a, "王\"芳 OR *", &s), 0);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "\"", &s), 0);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "   ", &s), 4);
	seen_free(&s);
	/* the search survives an edit (the FTS triggers) */
	struct actor a = as(&f->sup);
	struct list_query q = {.status = -1, .search = "李四光"};
	assert_int_equal(store_list(f->st, &a, &q, collect, &s, NULL), SR_OK);
	struct record *g = NULL;
	assert_int_equal(store_get(f->st, &a, s.uuids.v[0], &g, NULL), SR_OK);
	seen_free(&s);
	kv_set(&g->vals, "name", "李四海");	/* the name column is vals' own */
	record_sync(g);
	assert_int_equal(store_update(f->st, &a, g, NULL, NULL), SR_OK);
	rec_free(g);
	assert_int_equal(list_search(f, &f->sup, "李四光", &s), 0);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->sup, "李四海", &s), 1);
	seen_free(&s);
}

/* Searches of 1-2 characters go through records_grams (schema 6) or, for a
 * piece held by many records or all digits, a scan: both find exactly the
 * records whose name, village (or ID and phone, for digits) hold it, also
 * after edits, in bulk adds, and within an officer's scope. */
/* The number the one-value query sql gives, read straight from the file. */
static long raw_count(struct fx *f, const char *sql)
{
	sqlite3 *db = raw_open(f->path);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	long n = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* A search never compares a hidden digit: the ID 620302198503120022 is
 * shown as 6203**********0022, and no query made of its digits finds the
 * record unless it is the whole number or lies within the visible ones.
 * Every pair of (digit position, digit) is asked, as an attacker would. */
static void test_search_reveals_nothing_hidden(void **state)
{
	struct fx *f = *state;
	add_search_set(f);
	const char *id = "620302198503120022";
	for (size_t len = 1; len < 18; len++)
		for (size_t at = 0; at + len <= 18; at++) {
			char q[19] = {0};
			memcpy(q, id + at, len);
			/* what the list shows of it: 6203**********0022 and 139****4321 */
			bool visible = strstr("6203", q) || strstr("0022", q) || strstr("139", q) ||
				       strstr("4321", q) || len == 18;
			struct seen s = {0};
			list_search(f, &f->off_a, q, &s);
			bool found = strv_has(&s.names, "王芳华");
			seen_free(&s);
			if (found != visible)
				fail_msg("search %s: found %d, expected %d", q, found, visible);
		}
}

/* A lookup of a person the officer then registers (a newcomer at a class,
 * whose form opens only once the lookup is recorded) stays in the audit
 * but leaves the day's count; one registered before the lookup does not. */
static void test_lookup_then_registered(void **state)
{
	struct fx *f = *state;
	struct actor a = as(&f->off_a);
	char *cause = NULL;
	assert_int_equal(store_note_lookup(f->st, &a, "620302198503120022", 1, NULL), SR_OK);
	assert_int_equal(store_note_lookup(f->st, &a, "620302197711050033", 1, &cause), SR_DENIED);
	free(cause);
	cause = NULL;
	struct record *r = mk("grower", "王芳华", "620302198503120022", "宁远堡镇", "天生炕村",
			      "13987654321");
	add_ok(f, &f->off_a, r);
	rec_free(r);
	assert_int_equal(store_note_lookup(f->st, &a, "620302197711050033", 1, NULL), SR_OK);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit WHERE action = 'lookup'"), 2);
	/* registered first, then looked up (a later millisecond): that lookup counts */
	r = mk("grower", "张三丰", "620302196609090044", "宁远堡镇", "中牌村", "18600001111");
	add_ok(f, &f->off_a, r);
	rec_free(r);
	char *t0 = now_iso(), *t;
	while (strcmp(t = now_iso(), t0) == 0)
		free(t);
	free(t);
	free(t0);
	assert_int_equal(store_note_lookup(f->st, &a, "620302196609090044", 2, NULL), SR_OK);
	assert_int_equal(store_note_lookup(f->st, &a, "13800000000", 2, &cause), SR_DENIED);
	free(cause);
}

/* Whole numbers looked up are recorded in the audit, once a day per number
 * and login; an officer may look up lookups_per_day numbers a day, then
 * is refused (an attacker guessing a masked ID's hidden digits whole). */
static void test_lookup_limit(void **state)
{
	struct fx *f = *state;
	add_search_set(f);
	struct actor a = as(&f->off_a);
	struct seen s = {0};
	char *cause = NULL;
	static const char *const numbers[] = {"620302198503120022", "18600001111",
					      "620302198503120030", "13800000000"};
	for (int round = 0; round < 2; round++)	/* a number again costs nothing */
		for (size_t i = 0; i < ARRAY_LEN(numbers); i++) {
			struct list_query q = {.status = -1, .search = numbers[i], .lookups_per_day = 4};
			assert_int_equal(store_list(f->st, &a, &q, collect, &s, NULL), SR_OK);
			seen_free(&s);
		}
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit WHERE action = 'lookup'"), 4);
	struct list_query q = {.status = -1, .search = "620302197711050033", .lookups_per_day = 4};
	assert_int_equal(store_list(f->st, &a, &q, collect, &s, &cause), SR_DENIED);
	assert_non_null(strstr(cause, "4"));
	free(cause);
	assert_int_equal(s.uuids.n, 0);
	/* a supervisor's lookups are recorded, not limited */
	struct actor sup = as(&f->sup);
	assert_int_equal(store_list(f->st, &sup, &q, collect, &s, NULL), SR_OK);
	assert_int_equal(s.uuids.n, 1);
	seen_free(&s);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit WHERE action = 'lookup'"), 5);
	/* the visible digits are no lookup */
	q.search = "0033";
	assert_int_equal(store_list(f->st, &a, &q, collect, &s, NULL), SR_OK);
	seen_free(&s);
	assert_int_equal(raw_count(f, "SELECT count(*) FROM audit WHERE action = 'lookup'"), 5);
}

static void test_short_search(void **state)
{
	struct fx *f = *state;
	add_search_set(f);
	struct seen s = {0};
	assert_int_equal(list_search(f, &f->off_a, "龙景", &s), 2);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "中", &s), 1);
	assert_string_equal(s.names.v[0], "张三丰");
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "44", &s), 1);	/* in an ID only */
	assert_string_equal(s.names.v[0], "张三丰");
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_b, "王芳", &s), 0);	/* out of scope */
	seen_free(&s);
	/* an edit of the name and the village moves its pieces */
	struct actor a = as(&f->sup);
	struct list_query q = {.status = -1, .search = "四光"};
	assert_int_equal(store_list(f->st, &a, &q, collect, &s, NULL), SR_OK);
	assert_int_equal(s.uuids.n, 1);
	struct record *g = NULL;
	assert_int_equal(store_get(f->st, &a, s.uuids.v[0], &g, NULL), SR_OK);
	seen_free(&s);
	kv_set(&g->vals, "name", "李四海");
	kv_set(&g->vals, "village", "中牌村");
	record_sync(g);
	assert_int_equal(store_update(f->st, &a, g, NULL, NULL), SR_OK);
	assert_int_equal(list_search(f, &f->sup, "四光", &s), 0);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->sup, "四海", &s), 1);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->sup, "龙景", &s), 1);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->sup, "牌", &s), 2);
	seen_free(&s);
	/* withdrawn records are not listed */
	assert_int_equal(store_transition(f->st, &a, g->uuid, ACT_WITHDRAW, NULL, NULL), SR_OK);
	rec_free(g);
	assert_int_equal(list_search(f, &f->sup, "四海", &s), 0);
	seen_free(&s);

	/* a bulk add of 2,400 records in the other township: 赵 is in every
	 * name (more than the scan threshold), 赵X in a few */
	static const char *mid[] = {"一", "二", "三", "四", "五", "六", "七", "八"};
	enum { N = 2400 };
	struct record **rs = xcalloc(N, sizeof *rs);
	for (int i = 0; i < N; i++) {
		char name[32], id[32];
		snprintf(name, sizeof name, "赵%s%s", mid[i % 8], mid[(i / 8) % 8]);
		snprintf(id, sizeof id, "B%05d", i);
		rs[i] = mk("grower", name, id, "双湾镇", i % 2 ? "西村" : "东村", NULL);
	}
	struct actor b = as(&f->off_b);
	char *cause = NULL;
	assert_int_equal(store_add_many(f->st, &b, rs, N, "site-1", NULL, NULL, &cause), SR_OK);
	for (int i = 0; i < N; i++)
		rec_free(rs[i]);
	free(rs);
	assert_int_equal(list_search(f, &f->off_b, "赵", &s), N);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_b, "赵三", &s), N / 8);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_b, "三四", &s), 38);	/* i = 8k + 2, k = 3 mod 8 */
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_b, "西", &s), N / 2);
	seen_free(&s);
	assert_int_equal(list_search(f, &f->off_a, "赵三", &s), 0);	/* out of scope */
	seen_free(&s);
	/* 300 with 三 second, 304 with it third, 38 of them both, and 张三丰 */
	assert_int_equal(list_search(f, &f->sup, "三", &s), 300 + 304 - 38 + 1);
	seen_free(&s);
}

static void test_list_filters_and_withdrawn(void **state)
{
	struct fx *f = *state;
	add_search_set(f);
	struct record *r = mk("artisan", "陈七", "620302197001010154", "宁远堡镇", NULL, NULL);
	add_ok(f, &f->off_a, r);
	struct actor a = as(&f->off_a);
	assert_int_equal(store_transition(f->st, &a, r->uuid, ACT_WITHDRAW, NULL, NULL), SR_OK);
	struct seen s = {0};
	assert_int_equal(list_search(f, &f->sup, NULL, &s), 4);
	seen_free(&s);
	struct list_query q = {.status = ST_WITHDRAWN};
	assert_int_equal(store_list(f->st, &a, &q, collect, &s, NULL), SR_OK);
	assert_int_equal(s.uuids.n, 1);
	assert_string_equal(s.uuids.v[0], r->uuid);
	seen_free(&s);
	q = (struct list_query){.status = ST_SUBMITTED, .category = "grower", .limit = 3};
	assert_int_equal(store_list(f->st, &a, &q, collect, &s, NULL), SR_OK);
	assert_int_equal(s.uuids.n, 3);
	seen_free(&s);
	q = (struct list_query){.status = -1, .category = "artisan"};
	assert_int_equal(store_list(f->st, &a, &q, collect, &s, NULL), SR_OK);
	assert_int_equal(s.uuids.n, 0);
	seen_free(&s);
	rec_free(r);
}

/* The place of uuid in sv (the order records were added), or -1. */
static long order_of(const struct strv *sv, const char *uuid)
{
	for (size_t i = 0; i < sv->n; i++)
		if (str_eq(sv->v[i], uuid))
			return (long)i;
	return -1;
}

static void test_keyset_paging(void **state)
{
	struct fx *f = *state;
	struct record *rs[25];
	struct strv all = {0};
	for (int i = 0; i < 25; i++) {
		char id[32], name[32];
		snprintf(id, sizeof id, "6203021990%08d", i);
		snprintf(name, sizeof name, "人%02d", i);
		rs[i] = mk("grower", name, id, "宁远堡镇", NULL, NULL);
		strv_add(&all, rs[i]->uuid);
	}
	/* the first ten one by one, the rest in one batch (one timestamp) */
	for (int i = 0; i < 10; i++)
		add_ok(f, &f->off_a, rs[i]);
	struct actor a = as(&f->off_a);
	assert_int_equal(store_add_many(f->st, &a, rs + 10, 15, "s", NULL, NULL, NULL), SR_OK);

	struct seen s = {0};
	size_t pages = 0;
	for (;;) {
		size_t before = s.uuids.n;
		struct list_query q = {.status = -1, .limit = 10};
		if (before) {
			q.after_updated = s.updated.v[before - 1];
			q.after_uuid = s.uuids.v[before - 1];
		}
		assert_int_equal(store_list(f->st, &a, &q, collect, &s, NULL), SR_OK);
		if (s.uuids.n == before)
			break;
		assert_true(s.uuids.n - before <= 10);
		pages++;
	}
	assert_int_equal(pages, 3);
	assert_int_equal(s.uuids.n, 25);
	for (size_t i = 0; i < s.uuids.n; i++) {
		assert_true(strv_has(&all, s.uuids.v[i]));
		if (i == 0)
			continue;
		/* newest first; records saved at one moment, the last saved first */
		int c = strcmp(s.updated.v[i - 1], s.updated.v[i]);
		assert_true(c > 0 || (c == 0 && order_of(&all, s.uuids.v[i - 1]) >
						       order_of(&all, s.uuids.v[i])));
	}
	seen_free(&s);
	strv_free(&all);
	for (int i = 0; i < 25; i++)
		rec_free(rs[i]);
}

static void test_count(void **state)
{
	struct fx *f = *state;
	struct record *r1 = mk("ecommerce_trainee", "甲", "620302199001010165", "宁远堡镇", NULL, NULL);
	struct record *r2 = mk("ecommerce_trainee", "乙", "620302199001010176", "双湾镇", NULL, NULL);
	struct record *r3 = mk("coop_leader", "甲", "620302199001010165", "宁远堡镇", NULL, NULL);
	kv_set(&r1->vals, "live_streaming", "是");
	kv_set(&r2->vals, "live_streaming", "否");
	add_ok(f, &f->sup, r1);
	add_ok(f, &f->sup, r2);
	add_ok(f, &f->sup, r3);
	struct actor sup = as(&f->sup), off = as(&f->off_a);
	long n, p;
	struct count_query q = {.status = -1};
	assert_int_equal(store_count(f->st, &sup, &q, &n, &p, NULL), SR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(p, 2);
	assert_int_equal(store_count(f->st, &off, &q, &n, &p, NULL), SR_OK);
	assert_int_equal(n, 2);
	assert_int_equal(p, 1);
	struct strv cats = {0};
	strv_add(&cats, "ecommerce_trainee");
	q = (struct count_query){.categories = &cats, .status = -1,
				 .where_field = "live_streaming", .where_value = "是"};
	assert_int_equal(store_count(f->st, &sup, &q, &n, &p, NULL), SR_OK);
	assert_int_equal(n, 1);
	q.where_value = "否";
	q.township = "双湾镇";
	assert_int_equal(store_count(f->st, &sup, &q, &n, &p, NULL), SR_OK);
	assert_int_equal(n, 1);
	q = (struct count_query){.categories = &cats, .status = ST_APPROVED};
	assert_int_equal(store_count(f->st, &sup, &q, &n, &p, NULL), SR_OK);
	assert_int_equal(n, 0);
	char *cause = NULL;
	q = (struct count_query){.status = -1, .where_field = "x') OR 1 --", .where_value = "是"};
	assert_int_equal(store_count(f->st, &sup, &q, &n, &p, &cause), SR_FAIL);
	assert_non_null(cause);
	free(cause);
	strv_free(&cats);
	rec_free(r1);
	rec_free(r2);
	rec_free(r3);
}

static void test_value_taken(void **state)
{
	struct fx *f = *state;
	struct record *r = mk("coop_leader", "郑一", "620302197001010187", "双湾镇", NULL, NULL);
	kv_set(&r->vals, "uscc", "93620302MA00000001");
	add_ok(f, &f->off_b, r);
	char *u = NULL;
	assert_int_equal(store_value_taken(f->st, "coop_leader", "uscc", "93620302MA00000001",
					   NULL, &u, NULL), SR_OK);
	assert_non_null(u);
	assert_string_equal(u, r->uuid);
	free(u);
	assert_int_equal(store_value_taken(f->st, "coop_leader", "uscc", "93620302MA00000001",
					   r->uuid, &u, NULL), SR_OK);
	assert_null(u);
	assert_int_equal(store_value_taken(f->st, "grower", "uscc", "93620302MA00000001",
					   NULL, &u, NULL), SR_OK);
	assert_null(u);
	char *cause = NULL;
	assert_int_equal(store_value_taken(f->st, "coop_leader", "a\"b", "x", NULL, &u, &cause),
			 SR_FAIL);
	assert_non_null(cause);
	free(cause);
	struct actor a = as(&f->off_b);
	assert_int_equal(store_transition(f->st, &a, r->uuid, ACT_WITHDRAW, NULL, NULL), SR_OK);
	assert_int_equal(store_value_taken(f->st, "coop_leader", "uscc", "93620302MA00000001",
					   NULL, &u, NULL), SR_OK);
	assert_null(u);
	rec_free(r);
}

/* ---- drafts and meta ---- */

static void test_drafts(void **state)
{
	struct fx *f = *state;
	char *v = NULL;
	assert_int_equal(store_draft_load(f->st, "off_a", "grower", &v, NULL), SR_OK);
	assert_null(v);
	assert_int_equal(store_draft_save(f->st, "off_a", "grower", "{\"name\":\"王\"}", NULL), SR_OK);
	assert_int_equal(store_draft_save(f->st, "off_a", "grower", "{\"name\":\"王芳\"}", NULL), SR_OK);
	assert_int_equal(store_draft_load(f->st, "off_a", "grower", &v, NULL), SR_OK);
	assert_string_equal(v, "{\"name\":\"王芳\"}");
	free(v);
	assert_int_equal(store_draft_load(f->st, "off_b", "grower", &v, NULL), SR_OK);
	assert_null(v);
	assert_int_equal(store_draft_delete(f->st, "off_a", "grower", NULL), SR_OK);
	assert_int_equal(store_draft_load(f->st, "off_a", "grower", &v, NULL), SR_OK);
	assert_null(v);
}

static void test_meta(void **state)
{
	struct fx *f = *state;
	char *v = NULL;
	assert_int_equal(store_meta_get(f->st, "first_admin", &v, NULL), SR_OK);
	assert_null(v);
	assert_int_equal(store_meta_set_once(f->st, "first_admin", "root", &v, NULL), SR_OK);
	assert_string_equal(v, "root");
	free(v);
	assert_int_equal(store_meta_set_once(f->st, "first_admin", "mallory", &v, NULL), SR_OK);
	assert_string_equal(v, "root");
	free(v);
	assert_int_equal(store_meta_get(f->st, "first_admin", &v, NULL), SR_OK);
	assert_string_equal(v, "root");
	free(v);
}

/* ---- several processes at once ---- */

/* A child's work: open the store and add n records of its own persons.
 * Returns the exit status (0 when every add succeeded). */
static int child_adds(const char *path, bool create, const struct user *u, int child, int n)
{
	struct store *st = NULL;
	char *cause = NULL;
	if (store_open(path, create, &st, &cause) != SR_OK) {
		fprintf(stderr, "child %d: open: %s\n", child, cause);
		return 1;
	}
	struct actor a = as(u);
	for (int i = 0; i < n; i++) {
		char id[32], name[32];
		snprintf(id, sizeof id, "62%04d%012d", child, i);
		snprintf(name, sizeof name, "进程%d-%d", child, i);
		struct record *r = mk("grower", name, id, "宁远堡镇", NULL, NULL);
		int rc = store_add(st, &a, r, "s", NULL, &cause);
		rec_free(r);
		if (rc != SR_OK) {
			fprintf(stderr, "child %d: add %d: %d %s\n", child, i, rc, cause);
			store_close(st);
			return 2;
		}
	}
	store_close(st);
	return 0;
}

/* Forks nproc children running child_adds at once; returns seconds taken. */
static double run_children(struct fx *f, const char *path, bool create, int nproc, int n)
{
	struct timespec t0, t1;
	pid_t pids[16];
	assert_true(nproc <= 16);
	fflush(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int c = 0; c < nproc; c++) {
		pids[c] = fork();
		assert_true(pids[c] >= 0);
		if (pids[c] == 0)
			_exit(child_adds(path, create, &f->sup, c, n));
	}
	for (int c = 0; c < nproc; c++) {
		int status = 0;
		assert_int_equal(waitpid(pids[c], &status, 0), pids[c]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static void test_concurrent_adds(void **state)
{
	struct fx *f = *state;
	store_close(f->st);	/* no connection crosses fork() */
	f->st = NULL;
	double secs = run_children(f, f->path, false, 4, 500);
	print_message("4 processes x 500 adds: %.2f s\n", secs);
	char *cause = NULL;
	assert_int_equal(store_open(f->path, false, &f->st, &cause), SR_OK);
	long people;
	assert_int_equal(count_records(f, &f->sup, &people), 2000);
	assert_int_equal(people, 2000);
	sqlite3 *db = raw_open(f->path);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit"), 2000);
	char *ok = raw_text(db, "PRAGMA integrity_check");
	assert_string_equal(ok, "ok");
	free(ok);
	sqlite3_close(db);
}

static void test_concurrent_create(void **state)
{
	struct fx *f = *state;
	char *path = xasprintf("%s/new.db", f->dir);
	run_children(f, path, true, 4, 25);
	struct store *st = NULL;
	assert_int_equal(store_open(path, false, &st, NULL), SR_OK);
	assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
	struct actor a = as(&f->sup);
	struct count_query q = {.status = -1};
	long n = 0;
	assert_int_equal(store_count(st, &a, &q, &n, NULL, NULL), SR_OK);
	assert_int_equal(n, 100);
	store_close(st);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0660);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_migrate_fresh),
		T(test_reopen_does_not_migrate),
		T(test_too_new_refused),
		T(test_new_file_mode_0660),
		T(test_missing_folder),
		T(test_missing_file),
		T(test_add_get_round_trip),
		T(test_get_prefix_rules),
		T(test_retried_save_same_uuid),
		T(test_same_person_same_category_dup),
		T(test_add_many_is_one_transaction),
		T(test_audit_append_only),
		T(test_officer_scope),
		T(test_approved_is_locked),
		T(test_stale_version),
		T(test_return_edit_resubmit),
		T(test_update_to_registered_person_dup),
		T(test_search),
		T(test_search_reveals_nothing_hidden),
		T(test_lookup_limit),
		T(test_lookup_then_registered),
		T(test_short_search),
		T(test_list_filters_and_withdrawn),
		T(test_keyset_paging),
		T(test_count),
		T(test_value_taken),
		T(test_drafts),
		T(test_meta),
		T(test_concurrent_adds),
		T(test_concurrent_create),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
