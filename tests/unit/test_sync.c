/*
 * test_sync.c - offline site sync through the store API, with real SQLite
 * files: two sites and districts that take their bundles in different
 * orders and twice, one record changed at a site and at the district (one
 * conflict, nothing lost), empty bundles, damaged and truncated bundles
 * (refused whole), resolving conflicts, duplicates, and who may do what.
 * Each test gets a fresh folder from mkdtemp under /tmp and removes it.
 */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "sync.h"

enum { SITE_A, SITE_B, DIST_X, DIST_Y, DIST_Z, NDB };
static const char *const db_names[NDB] = {"site_a", "site_b", "district", "district_y",
					  "district_z"};

struct fx {
	char dir[64];
	char path[NDB][128];
	struct store *st[NDB];
	struct user admin, sup, sup_ny, off;
};

/* ---- helpers ---- */

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char *dir = tmpdir_new("sync");
	snprintf(f->dir, sizeof f->dir, "%s", dir);
	free(dir);
	f->admin = (struct user){.login = "root", .role = ROLE_ADMIN};
	f->sup = (struct user){.login = "sup", .role = ROLE_SUPERVISOR};
	f->sup_ny = (struct user){.login = "sup_ny", .role = ROLE_SUPERVISOR};
	strv_add(&f->sup_ny.townships, "宁远堡镇");
	f->off = (struct user){.login = "off", .role = ROLE_OFFICER};
	strv_add(&f->off.townships, "宁远堡镇");
	for (int i = 0; i < NDB; i++) {
		char *p = xasprintf("%s/%s.db", f->dir, db_names[i]);
		snprintf(f->path[i], sizeof f->path[i], "%s", p);
		free(p);
		char *cause = NULL;
		if (store_open(f->path[i], true, &f->st[i], &cause) != SR_OK) {
			fprintf(stderr, "store_open: %s\n", cause);
			free(cause);
			return -1;
		}
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < NDB; i++)
		store_close(f->st[i]);
	tmpdir_remove(xstrdup(f->dir));
	strv_free(&f->sup_ny.townships);
	strv_free(&f->off.townships);
	free(f);
	return 0;
}

static struct actor as(const struct user *u)
{
	return (struct actor){u, u->login};
}

/* Adds a new submitted record made at site; returns its uuid (new string). */
static char *add(struct fx *f, int db, const char *site, const char *category, const char *name,
		 const char *id, const char *township, const char *school)
{
	struct record r = {0};
	uuid_v4(r.uuid);
	r.category = xstrdup(category);
	r.status = ST_SUBMITTED;
	kv_set(&r.vals, "name", name);
	kv_set(&r.vals, "id_number", id);
	kv_set(&r.vals, "township", township);
	kv_set(&r.vals, "school", school);
	record_sync(&r);
	struct actor a = as(&f->admin);
	char *cause = NULL;
	int rc = store_add(f->st[db], &a, &r, site, NULL, &cause);
	if (rc != SR_OK)
		fail_msg("store_add: %d %s", rc, cause);
	char *uuid = xstrdup(r.uuid);
	record_free(&r);
	return uuid;
}

/* Returns a new copy of the record's value of key in db (NULL: no record). */
static char *value_of(struct fx *f, int db, const char *uuid, const char *key)
{
	struct actor a = as(&f->admin);
	struct record *r = NULL;
	if (store_get(f->st[db], &a, uuid, &r, NULL) != SR_OK)
		return NULL;
	char *v = xstrdup(kv_get(&r->vals, key));
	record_free(r);
	free(r);
	return v;
}

static void expect_field(struct fx *f, int db, const char *uuid, const char *key,
			 const char *want)
{
	char *v = value_of(f, db, uuid, key);
	if (v == NULL)
		fail_msg("%s: no record %s", db_names[db], uuid);
	assert_string_equal(v, want);
	free(v);
}

static int status_of(struct fx *f, int db, const char *uuid)
{
	struct actor a = as(&f->admin);
	struct record *r = NULL;
	assert_int_equal(store_get(f->st[db], &a, uuid, &r, NULL), SR_OK);
	int s = (int)r->status;
	record_free(r);
	free(r);
	return s;
}

/* Changes one field of a record in db, as u. */
static void edit(struct fx *f, int db, const struct user *u, const char *uuid, const char *key,
		 const char *val)
{
	struct actor a = as(u);
	struct record *r = NULL;
	assert_int_equal(store_get(f->st[db], &a, uuid, &r, NULL), SR_OK);
	kv_set(&r->vals, key, val);
	record_sync(r);
	char *cause = NULL;
	int rc = store_update(f->st[db], &a, r, NULL, &cause);
	if (rc != SR_OK)
		fail_msg("store_update: %d %s", rc, cause);
	record_free(r);
	free(r);
}

/* A sink that writes the bundle to the file named by arg (what cmd_sync.c
 * does atomically through userfile.c). */
static int put_file(void *arg, const void *data, size_t n, char **cause)
{
	(void)cause;
	int fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	return 0;
}

static struct sync_sink to_file(const char *path)
{
	return (struct sync_sink){put_file, (void *)path, path};
}

/* Reads and parses the bundle at path (cmd_sync.c reads it with infile_read). */
static int bundle_read(const char *path, struct sync_bundle *b, char **cause)
{
	size_t n = 0;
	char *data = file_read(path, &n);
	assert_non_null(data);
	int rc = sync_bundle_parse(data, n, path, b, cause);
	free(data);
	return rc;
}

/* Exports db's changes as site to dir/file; returns the rows sent. */
static long export(struct fx *f, int db, const char *site, const char *file, bool all)
{
	char *path = xasprintf("%s/%s", f->dir, file);
	struct actor a = as(&f->admin);
	struct sync_result res;
	char *cause = NULL;
	struct sync_sink sink = to_file(path);
	int rc = store_sync_export(f->st[db], &a, site, site, all, &sink, &res, &cause);
	if (rc != SR_OK)
		fail_msg("store_sync_export: %d %s", rc, cause);
	free(path);
	long rows = res.rows;
	sync_result_free(&res);
	return rows;
}

/* Reads dir/file and merges it into db as u; returns the store's result
 * (SYNC_* when the bundle is refused), with what it did in *out. */
static int import_as(struct fx *f, int db, const struct user *u, const char *file,
		     struct sync_result *out, char **cause)
{
	char *path = xasprintf("%s/%s", f->dir, file);
	struct sync_bundle b;
	struct sync_result res = {0};
	int rc = bundle_read(path, &b, cause);
	free(path);
	if (rc == SR_OK) {
		struct actor a = as(u);
		rc = store_sync_import(f->st[db], &a, &b, &res, cause);
		sync_bundle_free(&b);
	}
	sync_result_free(&res);
	if (out)
		*out = res;
	return rc;
}

/* Imports as admin and checks what it did: new, updated, unchanged,
 * conflicts (-1: already applied before). */
static void import_ok(struct fx *f, int db, const char *file, long ins, long upd, long same,
		      long conflicts)
{
	struct sync_result r;
	char *cause = NULL;
	int rc = import_as(f, db, &f->admin, file, &r, &cause);
	if (rc != SR_OK)
		fail_msg("import %s into %s: %d %s", file, db_names[db], rc, cause);
	if (conflicts < 0) {
		assert_true(r.already);
		assert_int_equal(r.inserted + r.updated + r.unchanged + r.conflicts, 0);
		return;
	}
	assert_false(r.already);
	if (r.inserted != ins || r.updated != upd || r.unchanged != same || r.conflicts != conflicts)
		fail_msg("import %s into %s: %ld new %ld updated %ld unchanged %ld conflicts,"
			 " expected %ld %ld %ld %ld", file, db_names[db], r.inserted, r.updated,
			 r.unchanged, r.conflicts, ins, upd, same, conflicts);
}

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* Returns a new string: the rows of sql, one line each, columns joined by |. */
static char *raw_rows(const char *path, const char *sql)
{
	sqlite3 *db = raw_open(path);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	struct buf b = {0};
	buf_add(&b, "", 0);
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(s); i++) {
			const char *t = (const char *)sqlite3_column_text(s, i);
			buf_printf(&b, "%s%s", i ? "|" : "", t ? t : "NULL");
		}
		buf_putc(&b, '\n');
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return buf_take(&b);
}

static long raw_count(const char *path, const char *sql)
{
	char *t = raw_rows(path, sql);
	long n = atol(t);
	free(t);
	return n;
}

/* The records' data as the district holds it, in uuid order (who changed
 * them when aside: a district's own edit has its own timestamp). */
static char *records_of(struct fx *f, int db)
{
	return raw_rows(f->path[db], "SELECT uuid, category, status, person_key, name, township,"
			" vals, comment, created_by, created_at, version, site FROM records"
			" ORDER BY uuid");
}

/* Everything sync touches, for "nothing changed" checks. */
static char *everything_of(struct fx *f, int db)
{
	char *r = raw_rows(f->path[db], "SELECT * FROM records ORDER BY uuid");
	char *c = raw_rows(f->path[db], "SELECT * FROM sync_conflicts ORDER BY id");
	char *s = raw_rows(f->path[db], "SELECT * FROM sync_seen ORDER BY site, uuid");
	char *b = raw_rows(f->path[db], "SELECT * FROM sync_bundles ORDER BY sha256");
	char *a = raw_rows(f->path[db], "SELECT count(*) FROM audit");
	char *all = xasprintf("%s--\n%s--\n%s--\n%s--\n%s", r, c, s, b, a);
	free(r), free(c), free(s), free(b), free(a);
	return all;
}

static char *read_file(struct fx *f, const char *file, size_t *n)
{
	char *path = xasprintf("%s/%s", f->dir, file);
	char *data = file_read(path, n);
	assert_non_null(data);
	free(path);
	return data;
}

static void write_file(struct fx *f, const char *file, const char *data, size_t n)
{
	char *path = xasprintf("%s/%s", f->dir, file);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	fclose(fp);
	free(path);
}

/* ---- the checksum ---- */

static void hex(const unsigned char d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void test_sha256_vectors(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} v[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		 "klmnopqrlmnopqrsmnopqrstnopqrstu",
		 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
	};
	unsigned char d[32];
	char h[65];
	for (size_t i = 0; i < ARRAY_LEN(v); i++) {
		sync_sha256(v[i].in, strlen(v[i].in), d);
		hex(d, h);
		assert_string_equal(h, v[i].want);
	}
	char *million = xmalloc(1000000);
	memset(million, 'a', 1000000);
	sync_sha256(million, 1000000, d);
	hex(d, h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
	/* every length around the 55/56/64-byte padding edges agrees with itself
	 * split and whole: hashing is deterministic and length-sensitive */
	char buf[130];
	memset(buf, 'x', sizeof buf);
	char prev[65] = "";
	for (size_t n = 50; n < 130; n++) {
		sync_sha256(buf, n, d);
		hex(d, h);
		assert_string_not_equal(h, prev);
		memcpy(prev, h, sizeof prev);
	}
}

static void test_site_ids(void **state)
{
	(void)state;
	assert_true(sync_site_ok("district"));
	assert_true(sync_site_ok("site_a1"));
	assert_false(sync_site_ok(""));
	assert_false(sync_site_ok(NULL));
	assert_false(sync_site_ok("Site"));
	assert_false(sync_site_ok("a b"));
	assert_false(sync_site_ok("a\nrows 0"));
	char long_id[SYNC_SITE_MAX + 2];
	memset(long_id, 'a', sizeof long_id - 1);
	long_id[SYNC_SITE_MAX + 1] = '\0';
	assert_false(sync_site_ok(long_id));
	long_id[SYNC_SITE_MAX] = '\0';
	assert_true(sync_site_ok(long_id));
}

/* ---- the bundle ---- */

static void test_bundle_format(void **state)
{
	struct fx *f = *state;
	char *u = add(f, SITE_A, "site_a", "rural_teacher", "王小梅", "620302198506120028",
		      "宁远堡镇", "东湾村小学");
	assert_int_equal(export(f, SITE_A, "site_a", "a.bundle", false), 1);
	size_t n;
	char *data = read_file(f, "a.bundle", &n);
	assert_true(n > 100);
	static const char head[] = "TALENTREG-SYNC 1\nsite site_a\nname site_a\nexported ";
	assert_memory_equal(data, head, strlen(head));
	free(data);

	/* (the file's mode and atomic placing are cmd_sync.c's: test_sync.sh) */
	char *path = xasprintf("%s/a.bundle", f->dir);
	struct sync_bundle b;
	assert_int_equal(bundle_read(path, &b, NULL), SR_OK);
	assert_string_equal(b.site, "site_a");
	assert_int_equal(b.nrows, 1);
	const struct record *r = &b.rows[0].r;
	assert_string_equal(r->uuid, u);
	assert_string_equal(r->name, "王小梅");
	assert_string_equal(r->person_key, "620302198506120028");
	assert_string_equal(r->site, "site_a");
	assert_int_equal(r->version, 1);
	assert_int_equal(r->status, ST_SUBMITTED);
	assert_string_equal(kv_get(&r->vals, "school"), "东湾村小学");
	sync_bundle_free(&b);
	free(path);
	free(u);
}

/* ---- the three databases ---- */

/* The scenario of the issue: records made at both sites; one edited at a
 * site and at the district; bundles applied in both orders and twice. */
static void test_two_sites_one_district(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "site_a", "rural_teacher", "王小梅", "620302198506120028",
		       "宁远堡镇", "东湾村小学");
	char *a2 = add(f, SITE_A, "site_a", "rural_teacher", "李芳", "620302199003071230",
		       "宁远堡镇", "宁远堡中心小学");
	char *b1 = add(f, SITE_B, "site_b", "rural_teacher", "张力", "620302200001010018",
		       "双湾镇", "双湾中学");
	char *b2 = add(f, SITE_B, "site_b", "rural_teacher", "赵敏", "11010519491231002X",
		       "双湾镇", "南湾小学");
	assert_int_equal(export(f, SITE_A, "site_a", "a1.bundle", false), 2);
	assert_int_equal(export(f, SITE_B, "site_b", "b1.bundle", false), 2);

	/* X takes A then B, each twice; Y takes B then A, twice each */
	import_ok(f, DIST_X, "a1.bundle", 2, 0, 0, 0);
	import_ok(f, DIST_X, "a1.bundle", 0, 0, 0, -1);
	import_ok(f, DIST_X, "b1.bundle", 2, 0, 0, 0);
	import_ok(f, DIST_X, "b1.bundle", 0, 0, 0, -1);
	import_ok(f, DIST_Y, "b1.bundle", 2, 0, 0, 0);
	import_ok(f, DIST_Y, "a1.bundle", 2, 0, 0, 0);
	import_ok(f, DIST_Y, "b1.bundle", 0, 0, 0, -1);
	import_ok(f, DIST_Y, "a1.bundle", 0, 0, 0, -1);
	char *x = records_of(f, DIST_X), *y = records_of(f, DIST_Y);
	assert_string_equal(x, y);
	free(x), free(y);
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM records"), 4);
	/* records.id is local: the district numbers them itself; site kept */
	expect_field(f, DIST_X, b1, "school", "双湾中学");
	char *sites = raw_rows(f->path[DIST_X], "SELECT site, count(*) FROM records GROUP BY site");
	assert_string_equal(sites, "site_a|2\nsite_b|2\n");
	free(sites);

	/* a1 changes at the district and at its site; a2 only at the site;
	 * b2 is withdrawn at its site */
	edit(f, DIST_X, &f->sup, a1, "school", "区级更正的学校");
	edit(f, DIST_Y, &f->sup, a1, "school", "区级更正的学校");
	edit(f, SITE_A, &f->admin, a1, "school", "站点更正的学校");
	edit(f, SITE_A, &f->admin, a2, "school", "站点新学校");
	edit(f, SITE_A, &f->admin, a2, "years_teaching", "8");	/* version 3 */
	struct actor adm = as(&f->admin);
	assert_int_equal(store_transition(f->st[SITE_B], &adm, b2, ACT_WITHDRAW, "重复", NULL),
			 SR_OK);
	assert_int_equal(export(f, SITE_A, "site_a", "a2.bundle", false), 2);
	assert_int_equal(export(f, SITE_B, "site_b", "b2.bundle", false), 1);

	import_ok(f, DIST_X, "a2.bundle", 0, 1, 0, 1);
	import_ok(f, DIST_X, "b2.bundle", 0, 1, 0, 0);
	import_ok(f, DIST_X, "a2.bundle", 0, 0, 0, -1);
	import_ok(f, DIST_Y, "b2.bundle", 0, 1, 0, 0);
	import_ok(f, DIST_Y, "a2.bundle", 0, 1, 0, 1);
	import_ok(f, DIST_Y, "a1.bundle", 0, 0, 0, -1);
	import_ok(f, DIST_Y, "b2.bundle", 0, 0, 0, -1);
	x = records_of(f, DIST_X);
	y = records_of(f, DIST_Y);
	assert_string_equal(x, y);
	free(x), free(y);

	/* the district's own change is not overwritten; the rest arrived */
	expect_field(f, DIST_X, a1, "school", "区级更正的学校");
	expect_field(f, DIST_X, a2, "school", "站点新学校");
	expect_field(f, DIST_X, a2, "years_teaching", "8");
	assert_int_equal(status_of(f, DIST_X, b2), ST_WITHDRAWN);
	expect_field(f, DIST_X, b1, "school", "双湾中学");

	/* exactly one conflict, holding the site's change: nothing lost */
	for (int db = DIST_X; db <= DIST_Y; db++) {
		char *c = raw_rows(f->path[db], "SELECT site, uuid, kind, incoming_version,"
				   " json_extract(incoming, '$.vals.school'), resolution"
				   " FROM sync_conflicts");
		char *want = xasprintf("site_a|%s|edited|2|站点更正的学校|NULL\n", a1);
		assert_string_equal(c, want);
		free(c), free(want);
	}
	/* every applied change has its audit row naming the site */
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM audit WHERE action = 'sync'"
				   " AND comment LIKE '%site_a%'"), 3);
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM audit WHERE action = 'sync'"
				   " AND comment LIKE '%site_b%'"), 3);
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM audit"
				   " WHERE action = 'sync_conflict'"
				   " AND uuid = (SELECT uuid FROM sync_conflicts)"), 1);

	/* the supervisor takes the site's copy: now the district has it, and a
	 * later change at the site applies without a conflict */
	struct actor sup = as(&f->sup);
	char *cause = NULL;
	assert_int_equal(store_sync_resolve(f->st[DIST_X], &sup, a1, NULL, SYNC_TAKE, "站点为准",
					    &cause), SR_OK);
	expect_field(f, DIST_X, a1, "school", "站点更正的学校");
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM sync_conflicts"
				   " WHERE resolution IS NULL"), 0);
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM audit"
				   " WHERE action = 'sync_take' AND comment LIKE '%站点为准%'"), 1);
	edit(f, SITE_A, &f->admin, a1, "school", "站点再改");
	assert_int_equal(export(f, SITE_A, "site_a", "a3.bundle", false), 1);
	import_ok(f, DIST_X, "a3.bundle", 0, 1, 0, 0);
	expect_field(f, DIST_X, a1, "school", "站点再改");

	/* the district's version only grows: 2 (its edit), 3 (take), 4 (the
	 * site's third version over it) */
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT version FROM records"
				   " WHERE uuid = (SELECT uuid FROM sync_conflicts)"), 4);
	free(a1), free(a2), free(b1), free(b2);
}

/* One site's bundles taken newest first: the older one changes nothing. */
static void test_newer_bundle_first(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "site_a", "rural_teacher", "王小梅", "620302198506120028",
		       "宁远堡镇", "东湾村小学");
	assert_int_equal(export(f, SITE_A, "site_a", "a1.bundle", false), 1);
	edit(f, SITE_A, &f->admin, a1, "school", "新学校");
	char *a2 = add(f, SITE_A, "site_a", "rural_teacher", "李芳", "620302199003071230",
		       "宁远堡镇", "宁远堡中心小学");
	assert_int_equal(export(f, SITE_A, "site_a", "a2.bundle", false), 2);
	import_ok(f, DIST_Z, "a2.bundle", 2, 0, 0, 0);
	import_ok(f, DIST_Z, "a1.bundle", 0, 0, 1, 0);
	expect_field(f, DIST_Z, a1, "school", "新学校");
	assert_int_equal(raw_count(f->path[DIST_Z], "SELECT version FROM records"
				   " WHERE name = '王小梅'"), 2);
	assert_int_equal(raw_count(f->path[DIST_Z], "SELECT count(*) FROM sync_conflicts"), 0);

	/* --all sends everything again; the district finds only the new one */
	char *a3 = add(f, SITE_A, "site_a", "artisan", "马兰", "620302197001010033", "宁远堡镇",
		       "无");
	assert_int_equal(export(f, SITE_A, "site_a", "all.bundle", true), 3);
	import_ok(f, DIST_Z, "all.bundle", 1, 0, 2, 0);
	free(a1), free(a2), free(a3);
}

static void test_empty_bundle_is_a_no_op(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "site_a", "rural_teacher", "王小梅", "620302198506120028",
		       "宁远堡镇", "东湾村小学");
	assert_int_equal(export(f, SITE_A, "site_a", "a1.bundle", false), 1);
	import_ok(f, DIST_X, "a1.bundle", 1, 0, 0, 0);
	assert_int_equal(export(f, SITE_A, "site_a", "a2.bundle", false), 0);
	char *before = records_of(f, DIST_X);
	char *conf_before = raw_rows(f->path[DIST_X], "SELECT * FROM sync_conflicts");
	import_ok(f, DIST_X, "a2.bundle", 0, 0, 0, 0);
	import_ok(f, DIST_X, "a2.bundle", 0, 0, 0, -1);
	char *after = records_of(f, DIST_X);
	char *conf_after = raw_rows(f->path[DIST_X], "SELECT * FROM sync_conflicts");
	assert_string_equal(before, after);
	assert_string_equal(conf_before, conf_after);
	size_t n;
	char *data = read_file(f, "a2.bundle", &n);
	assert_non_null(strstr(data, "\nrows 0\nlength 0\n"));
	free(data);
	free(before), free(after), free(conf_before), free(conf_after), free(a1);
}

/* Every truncation and every flipped byte of a bundle is refused whole. */
static void test_damaged_bundles_refused(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "site_a", "rural_teacher", "王小梅", "620302198506120028",
		       "宁远堡镇", "东湾村小学");
	char *a2 = add(f, SITE_A, "site_a", "rural_teacher", "李芳", "620302199003071230",
		       "宁远堡镇", "宁远堡中心小学");
	assert_int_equal(export(f, SITE_A, "site_a", "good.bundle", false), 2);
	size_t n;
	char *good = read_file(f, "good.bundle", &n);
	char *before = everything_of(f, DIST_X);

	for (size_t cut = 0; cut < n; cut++) {
		write_file(f, "bad.bundle", good, cut);
		char *cause = NULL;
		int rc = import_as(f, DIST_X, &f->admin, "bad.bundle", NULL, &cause);
		if (rc != SYNC_DAMAGED)
			fail_msg("cut at %zu of %zu: %d", cut, n, rc);
		assert_non_null(cause);
		free(cause);
	}
	char *copy = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		static const unsigned char flips[] = {0x01, 0x20, 0x80};
		for (size_t k = 0; k < ARRAY_LEN(flips); k++) {
			memcpy(copy, good, n);
			copy[i] = (char)(copy[i] ^ flips[k]);
			write_file(f, "bad.bundle", copy, n);
			char *cause = NULL;
			int rc = import_as(f, DIST_X, &f->admin, "bad.bundle", NULL, &cause);
			if (rc != SYNC_DAMAGED)
				fail_msg("byte %zu of %zu flipped by %#x: %d", i, n, flips[k], rc);
			free(cause);
		}
	}
	/* one byte too many is refused as well */
	memcpy(copy, good, n);
	copy[n] = '\n';
	write_file(f, "bad.bundle", copy, n + 1);
	assert_int_equal(import_as(f, DIST_X, &f->admin, "bad.bundle", NULL, NULL), SYNC_DAMAGED);
	char *after = everything_of(f, DIST_X);
	assert_string_equal(before, after);

	/* the messages say what is wrong */
	write_file(f, "bad.bundle", good, n - 10);
	char *cause = NULL;
	assert_int_equal(import_as(f, DIST_X, &f->admin, "bad.bundle", NULL, &cause), SYNC_DAMAGED);
	assert_non_null(strstr(cause, "不完整"));
	free(cause);
	memcpy(copy, good, n);
	copy[n - 5] ^= 0x01;
	write_file(f, "bad.bundle", copy, n);
	assert_int_equal(import_as(f, DIST_X, &f->admin, "bad.bundle", NULL, &cause), SYNC_DAMAGED);
	assert_non_null(strstr(cause, "校验失败"));
	free(cause);
	write_file(f, "bad.bundle", "id,name\n1,王\n", strlen("id,name\n1,王\n"));
	assert_int_equal(import_as(f, DIST_X, &f->admin, "bad.bundle", NULL, &cause), SYNC_DAMAGED);
	assert_non_null(strstr(cause, "不是"));
	free(cause);

	/* and the good one still goes in */
	import_ok(f, DIST_X, "good.bundle", 2, 0, 0, 0);
	free(copy), free(good), free(before), free(after), free(a1), free(a2);
}

/* ---- conflicts ---- */

static int count_cb(const struct sync_conflict *c, void *arg)
{
	(void)c;
	(*(int *)arg)++;
	return 0;
}

static int fields_cb(const struct sync_conflict *c, void *arg)
{
	char **out = arg;
	free(*out);
	*out = xasprintf("%s %s %s %s %d %d", c->kind, c->category, c->name, c->fields,
			 c->incoming_version, c->local_version);
	return 0;
}

static int conflicts_seen(struct fx *f, int db, const struct user *u, bool all)
{
	struct actor a = as(u);
	int n = 0;
	assert_int_equal(store_sync_conflicts(f->st[db], &a, all, count_cb, &n, NULL), SR_OK);
	return n;
}

/* keep: the district's copy stays, and the site's later changes to that
 * record keep coming as conflicts (its copy never converged). */
static void test_keep_then_site_changes_again(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "site_a", "rural_teacher", "王小梅", "620302198506120028",
		       "宁远堡镇", "东湾村小学");
	export(f, SITE_A, "site_a", "a1.bundle", false);
	import_ok(f, DIST_X, "a1.bundle", 1, 0, 0, 0);
	edit(f, DIST_X, &f->admin, a1, "school", "区级");
	edit(f, SITE_A, &f->admin, a1, "school", "站点一");
	export(f, SITE_A, "site_a", "a2.bundle", false);
	import_ok(f, DIST_X, "a2.bundle", 0, 0, 0, 1);
	assert_int_equal(conflicts_seen(f, DIST_X, &f->sup, false), 1);
	struct actor sup = as(&f->sup);
	char *got = NULL;
	assert_int_equal(store_sync_conflicts(f->st[DIST_X], &sup, false, fields_cb, &got, NULL),
			 SR_OK);
	assert_string_equal(got, "edited rural_teacher 王小梅 school 2 2");
	free(got);

	assert_int_equal(store_sync_resolve(f->st[DIST_X], &sup, a1, NULL, SYNC_KEEP, NULL, NULL),
			 SR_OK);
	expect_field(f, DIST_X, a1, "school", "区级");
	assert_int_equal(conflicts_seen(f, DIST_X, &f->sup, false), 0);
	assert_int_equal(conflicts_seen(f, DIST_X, &f->sup, true), 1);
	char *cause = NULL;
	assert_int_equal(store_sync_resolve(f->st[DIST_X], &sup, a1, NULL, SYNC_KEEP, NULL, &cause),
			 SR_NOTFOUND);
	free(cause);

	edit(f, SITE_A, &f->admin, a1, "school", "站点二");
	export(f, SITE_A, "site_a", "a3.bundle", false);
	edit(f, SITE_A, &f->admin, a1, "school", "站点三");
	export(f, SITE_A, "site_a", "a4.bundle", false);
	import_ok(f, DIST_X, "a3.bundle", 0, 0, 0, 1);
	import_ok(f, DIST_X, "a4.bundle", 0, 0, 0, 1);
	expect_field(f, DIST_X, a1, "school", "区级");
	/* the older open one is superseded by the newer; both are kept */
	char *c = raw_rows(f->path[DIST_X], "SELECT incoming_version, resolution,"
			   " json_extract(incoming, '$.vals.school') FROM sync_conflicts ORDER BY id");
	assert_string_equal(c, "2|keep|站点一\n3|superseded|站点二\n4|NULL|站点三\n");
	free(c);
	/* conflicts are never deleted */
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path[DIST_X], &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM sync_conflicts", NULL, NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_sync_resolve(f->st[DIST_X], &sup, a1, "site_a", SYNC_TAKE, NULL,
					    NULL), SR_OK);
	expect_field(f, DIST_X, a1, "school", "站点三");
	free(a1);
}

/* The same person registered at two sites: the second is a conflict, not a
 * second live record and not an aborted import. */
static void test_same_person_at_two_sites(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "site_a", "rural_teacher", "王小梅", "620302198506120028",
		       "宁远堡镇", "东湾村小学");
	char *b1 = add(f, SITE_B, "site_b", "rural_teacher", "王小梅", "620302198506120028",
		       "宁远堡镇", "东湾村小学（二）");
	char *b2 = add(f, SITE_B, "site_b", "rural_teacher", "张力", "620302200001010018",
		       "双湾镇", "双湾中学");
	export(f, SITE_A, "site_a", "a1.bundle", false);
	export(f, SITE_B, "site_b", "b1.bundle", false);
	import_ok(f, DIST_X, "a1.bundle", 1, 0, 0, 0);
	import_ok(f, DIST_X, "b1.bundle", 1, 0, 0, 1);
	assert_null(value_of(f, DIST_X, b1, "school"));
	expect_field(f, DIST_X, b2, "school", "双湾中学");
	char *c = raw_rows(f->path[DIST_X], "SELECT uuid, kind, other_uuid FROM sync_conflicts");
	char *want = xasprintf("%s|duplicate|%s\n", b1, a1);
	assert_string_equal(c, want);
	free(c), free(want);

	/* taking it while the other is live is refused; after a withdrawal it works */
	struct actor adm = as(&f->admin);
	char *cause = NULL;
	assert_int_equal(store_sync_resolve(f->st[DIST_X], &adm, b1, NULL, SYNC_TAKE, NULL, &cause),
			 SR_DUP);
	assert_non_null(strstr(cause, a1));
	free(cause);
	assert_int_equal(store_transition(f->st[DIST_X], &adm, a1, ACT_WITHDRAW, "重复", NULL),
			 SR_OK);
	assert_int_equal(store_sync_resolve(f->st[DIST_X], &adm, b1, NULL, SYNC_TAKE, NULL, NULL),
			 SR_OK);
	expect_field(f, DIST_X, b1, "school", "东湾村小学（二）");
	free(a1), free(b1), free(b2);
}

/* ---- who may ---- */

static void test_who_may(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "site_a", "rural_teacher", "张力", "620302200001010018", "双湾镇",
		       "双湾中学");
	struct actor off = as(&f->off), sup = as(&f->sup), sup_ny = as(&f->sup_ny);
	struct actor adm = as(&f->admin);
	struct sync_result res;
	char *path = xasprintf("%s/x.bundle", f->dir);
	struct sync_sink sink = to_file(path);
	char *cause = NULL;
	/* export is an export: admins only (auth.c) */
	assert_int_equal(store_sync_export(f->st[SITE_A], &off, "site_a", NULL, false, &sink, &res,
					   &cause), SR_DENIED);
	free(cause);
	assert_int_equal(store_sync_export(f->st[SITE_A], &sup, "site_a", NULL, false, &sink, &res,
					   NULL), SR_DENIED);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(store_sync_export(f->st[SITE_A], &adm, "Bad Site", NULL, false, &sink, &res,
					   &cause), SR_FAIL);
	free(cause);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(store_sync_export(f->st[SITE_A], &adm, "site_a", NULL, false, &sink, &res,
					   NULL), SR_OK);
	free(path);

	/* import is for admins */
	assert_int_equal(import_as(f, DIST_X, &f->sup, "x.bundle", NULL, NULL), SR_DENIED);
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM records"), 0);
	import_ok(f, DIST_X, "x.bundle", 1, 0, 0, 0);
	edit(f, DIST_X, &f->admin, a1, "school", "区级");
	edit(f, SITE_A, &f->admin, a1, "school", "站点");
	export(f, SITE_A, "site_a", "y.bundle", false);
	import_ok(f, DIST_X, "y.bundle", 0, 0, 0, 1);

	/* conflicts: not for officers, and only in a supervisor's townships */
	int n = 0;
	assert_int_equal(store_sync_conflicts(f->st[DIST_X], &off, false, count_cb, &n, NULL),
			 SR_DENIED);
	assert_int_equal(conflicts_seen(f, DIST_X, &f->sup_ny, false), 0);
	assert_int_equal(conflicts_seen(f, DIST_X, &f->sup, false), 1);
	assert_int_equal(store_sync_resolve(f->st[DIST_X], &off, a1, NULL, SYNC_TAKE, NULL, NULL),
			 SR_DENIED);
	assert_int_equal(store_sync_resolve(f->st[DIST_X], &sup_ny, a1, NULL, SYNC_TAKE, NULL,
					    NULL), SR_DENIED);
	expect_field(f, DIST_X, a1, "school", "区级");
	assert_int_equal(store_sync_resolve(f->st[DIST_X], &sup, a1, NULL, SYNC_TAKE, NULL, NULL),
			 SR_OK);
	expect_field(f, DIST_X, a1, "school", "站点");
	free(a1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_site_ids),
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_bundle_format),
		T(test_two_sites_one_district),
		T(test_newer_bundle_first),
		T(test_empty_bundle_is_a_no_op),
		T(test_damaged_bundles_refused),
		T(test_keep_then_site_changes_again),
		T(test_same_person_at_two_sites),
		T(test_who_may),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
