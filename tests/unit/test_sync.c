/*
 * test_sync.c - offline site sync through the store API, with real SQLite
 * files, real keys and the shipped forms: two training sites and a
 * district (and a backup of the district that takes the bundles in another
 * order), each with its own configuration whose sites.ini declares its
 * peers. Bundles signed and sealed, opened only by their receiver, refused
 * whole when cut, damaged, forged, misaddressed or old; records made at the
 * sites, changed on one side or both (one conflict, nothing lost); the
 * district's decisions travelling back without conflicts; acknowledgements
 * (a lost bundle loses nothing); resolving conflicts and duplicates; who
 * may do what. Each test gets a fresh folder under /tmp and removes it.
 */
#define _GNU_SOURCE	/* memmem */
#include "testutil.h"

#include <fcntl.h>
#include <sodium.h>	/* to alter a bundle after signing, as an insider could */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry.h"
#include "store.h"
#include "sync.h"

enum { SITE_A, SITE_B, DIST_X, DIST_Y, DIST_Z, NDB };
/* DIST_Y is a copy of DIST_X's database (its keys too); DIST_Z another
 * district with keys of its own; both are "district". */
static const char *const db_names[NDB] = {"site_a", "site_b", "district", "district_y",
					  "district_z"};
static const char *const db_ids[NDB] = {"site_a", "site_b", "district", "district", "district"};

struct fx {
	char *dir;
	char path[NDB][256];
	struct store *st[NDB];
	struct config *cfg[NDB];
	struct registry rg[NDB];
	struct seal_public key[NDB];
	struct user admin, sup, sup_ny, off;
	struct actor admin_a[NDB];
};

/* ---- the world ---- */

static struct config *load_config(const char *dir, int db)
{
	char *sub = xasprintf("%s/%s", dir, db_names[db]);
	assert_int_equal(mkdir(sub, 0700), 0);
	char *cdir = config_copy_to(sub);
	struct config *c = NULL;
	struct diags d = {0};
	if (config_load(cdir, &c, &d) != 0)
		fail_msg("config: %s", d.lines.n ? d.lines.v[0] : "?");
	diags_free(&d);
	free(c->site_id);
	free(c->site_name);
	c->site_id = xstrdup(db_ids[db]);
	c->site_name = xasprintf("名称%s", db_names[db]);
	c->site_kind = db >= DIST_X ? SITE_DISTRICT : SITE_SITE;
	free(cdir);
	free(sub);
	return c;
}

/* Declares peer (a site in townships t, or a district) in db's sites.ini. */
static void declare(struct fx *f, int db, int peer, const char *t)
{
	struct config *c = f->cfg[db];
	c->sites = xrealloc(c->sites, (c->nsites + 1) * sizeof *c->sites);
	struct site_decl *s = &c->sites[c->nsites++];
	memset(s, 0, sizeof *s);
	s->id = xstrdup(db_ids[peer]);
	s->name = xstrdup(db_names[peer]);
	s->kind = peer >= DIST_X ? SITE_DISTRICT : SITE_SITE;
	if (t)
		strv_split(&s->townships, t, '|');
	s->key = f->key[peer];
}

static void open_db(struct fx *f, int db)
{
	char *cause = NULL;
	if (store_open(f->path[db], true, &f->st[db], &cause) != SR_OK)
		fail_msg("store_open: %s", cause);
	f->admin_a[db] = (struct actor){&f->admin, "root"};
	f->rg[db] = (struct registry){f->cfg[db], f->st[db], &f->admin_a[db], {2026, 11, 29},
				      db_ids[db]};
}

static void keygen(struct fx *f, int db)
{
	char *cause = NULL;
	if (store_sync_keygen(f->st[db], &f->admin_a[db], false, &f->key[db], &cause) != SR_OK)
		fail_msg("keygen: %s", cause);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	msg_set_lang(LANG_ZH);
	f->dir = tmpdir_new("sync");
	f->admin = (struct user){.login = "root", .role = ROLE_ADMIN};
	f->sup = (struct user){.login = "sup", .role = ROLE_SUPERVISOR};
	f->sup_ny = (struct user){.login = "sup_ny", .role = ROLE_SUPERVISOR};
	strv_add(&f->sup_ny.townships, "宁远堡镇");
	f->off = (struct user){.login = "off", .role = ROLE_OFFICER};
	strv_add(&f->off.townships, "宁远堡镇");
	for (int i = 0; i < NDB; i++) {
		snprintf(f->path[i], sizeof f->path[i], "%s/%s.db", f->dir, db_names[i]);
		f->cfg[i] = load_config(f->dir, i);
	}
	for (int i = 0; i < NDB; i++)
		if (i != DIST_Y) {
			open_db(f, i);
			keygen(f, i);
		}
	/* DIST_Y: a copy of DIST_X's database, keys and all */
	store_close(f->st[DIST_X]);
	char *cmd = xasprintf("cp '%s' '%s'", f->path[DIST_X], f->path[DIST_Y]);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	open_db(f, DIST_X);
	open_db(f, DIST_Y);
	f->key[DIST_Y] = f->key[DIST_X];
	for (int d = DIST_X; d <= DIST_Z; d++) {
		declare(f, d, SITE_A, "宁远堡镇");
		declare(f, d, SITE_B, "双湾镇");
	}
	declare(f, SITE_A, DIST_X, NULL);
	declare(f, SITE_B, DIST_X, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < NDB; i++) {
		store_close(f->st[i]);
		config_free(f->cfg[i]);
	}
	tmpdir_remove(f->dir);
	strv_free(&f->sup_ny.townships);
	strv_free(&f->off.townships);
	free(f);
	return 0;
}

static struct actor as(const struct user *u)
{
	return (struct actor){u, u->login};
}

/* ---- records ---- */

/* Adds a new rural teacher at db, as its admin; returns its uuid (new). */
static char *add(struct fx *f, int db, const char *name, const char *id, const char *township,
		 const char *school)
{
	struct kv vals = {0};
	kv_set(&vals, "name", name);
	kv_set(&vals, "id_number", id);
	kv_set(&vals, "phone", "13800138000");
	kv_set(&vals, "township", township);
	kv_set(&vals, "village", str_eq(township, "宁远堡镇") ? "东湾村" : "南湾村");
	kv_set(&vals, "school", school);
	kv_set(&vals, "stage", "小学");
	kv_set(&vals, "staffing", "在编");
	kv_set(&vals, "years_teaching", "5");
	const struct form *form = formset_find(&f->cfg[db]->forms, "rural_teacher");
	struct reg_result res;
	reg_add(&f->rg[db], form, &vals, NULL, &res);
	if (res.outcome != REG_SAVED)
		fail_msg("reg_add at %s: %d %s %s", db_names[db], res.outcome, res.cause,
			 res.is.n ? res.is.v[0].message : "");
	char *uuid = xstrdup(res.uuid);
	reg_result_free(&res);
	kv_free(&vals);
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
	if (!str_eq(v, want))
		fail_msg("%s: %s is '%s', expected '%s'", db_names[db], key, v, want);
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

/* Changes one field of a record in db, as u, through the registry. */
static void edit(struct fx *f, int db, const struct user *u, const char *uuid, const char *key,
		 const char *val)
{
	struct actor a = as(u);
	struct registry rg = f->rg[db];
	rg.actor = &a;
	struct record *r = NULL;
	assert_int_equal(store_get(f->st[db], &a, uuid, &r, NULL), SR_OK);
	struct kv changes = {0};
	kv_set(&changes, key, val);
	struct reg_result res;
	reg_edit(&rg, formset_find(&f->cfg[db]->forms, r->category), r, &changes, NULL, &res);
	if (res.outcome != REG_SAVED)
		fail_msg("reg_edit at %s: %d %s", db_names[db], res.outcome, res.cause);
	reg_result_free(&res);
	kv_free(&changes);
	record_free(r);
	free(r);
}

/* A workflow step at db, as u. */
static void step(struct fx *f, int db, const struct user *u, const char *uuid, enum action act,
		 const char *comment)
{
	struct actor a = as(u);
	char *cause = NULL;
	if (store_transition(f->st[db], &a, uuid, act, comment, &cause) != SR_OK)
		fail_msg("store_transition at %s: %s", db_names[db], cause);
}

/* ---- bundles ---- */

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

/* Exports db's pending records to the peer to, into dir/file; returns the
 * rows sent. */
static long export_to(struct fx *f, int db, const char *to, const char *file, bool all)
{
	char *path = xasprintf("%s/%s", f->dir, file);
	struct sync_result res;
	char *cause = NULL;
	struct sync_sink sink = {put_file, path, path};
	int rc = store_sync_export(f->st[db], &f->admin_a[db], f->cfg[db], to, all, &sink, &res,
				   &cause);
	if (rc != SR_OK)
		fail_msg("store_sync_export at %s: %d %s", db_names[db], rc, cause);
	free(path);
	long rows = res.rows;
	sync_result_free(&res);
	return rows;
}

/* A site's export goes to the district. */
static long export(struct fx *f, int db, const char *file, bool all)
{
	return export_to(f, db, "district", file, all);
}

static char *read_file(struct fx *f, const char *file, size_t *n)
{
	char *path = xasprintf("%s/%s", f->dir, file);
	char *data = file_read(path, n);
	assert_non_null(data);
	free(path);
	return data;
}

static void write_file(struct fx *f, const char *file, const void *data, size_t n)
{
	char *path = xasprintf("%s/%s", f->dir, file);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	fclose(fp);
	free(path);
}

/* Reads dir/file and merges it into db as u; returns the store's result
 * (SYNC_* when the bundle is refused), with what it did in *out. */
static int import_as(struct fx *f, int db, const struct user *u, const char *file,
		     struct sync_result *out, char **cause)
{
	size_t n = 0;
	char *data = read_file(f, file, &n);
	struct sync_result res = {0};
	struct actor a = as(u);
	struct sync_rules rules;
	reg_sync_rules(&f->rg[db], &rules);
	int rc = store_sync_import(f->st[db], &a, f->cfg[db], &rules, data, n, file, &res, cause);
	free(data);
	sync_result_free(&res);
	if (out)
		*out = res;
	return rc;
}

/* Imports as admin and checks what it did: new, updated, unchanged,
 * conflicts and held (conflicts -1: applied before). */
static void import_ok(struct fx *f, int db, const char *file, long ins, long upd, long same,
		      long conflicts, long held)
{
	struct sync_result r;
	char *cause = NULL;
	int rc = import_as(f, db, &f->admin, file, &r, &cause);
	if (rc != SR_OK)
		fail_msg("import %s into %s: %d %s", file, db_names[db], rc, cause);
	if (conflicts < 0) {
		assert_true(r.already);
		assert_int_equal(r.inserted + r.updated + r.unchanged + r.conflicts + r.held, 0);
		return;
	}
	assert_false(r.already);
	if (r.inserted != ins || r.updated != upd || r.unchanged != same ||
	    r.conflicts != conflicts || r.held != held)
		fail_msg("import %s into %s: %ld new %ld updated %ld unchanged %ld conflicts %ld held,"
			 " expected %ld %ld %ld %ld %ld", file, db_names[db], r.inserted, r.updated,
			 r.unchanged, r.conflicts, r.held, ins, upd, same, conflicts, held);
}

/* Imports and expects the bundle refused with rc, its message holding want. */
static void import_refused(struct fx *f, int db, const char *file, int rc, const char *want)
{
	char *cause = NULL;
	int got = import_as(f, db, &f->admin, file, NULL, &cause);
	if (got != rc || cause == NULL || (want && strstr(cause, want) == NULL))
		fail_msg("import %s into %s: %d '%s', expected %d '%s'", file, db_names[db], got,
			 cause ? cause : "", rc, want ? want : "");
	free(cause);
}

/* ---- raw SQL, to look without the store's rules ---- */

/* Returns a new string: the rows of sql, one line each, columns joined by |. */
static char *raw_rows(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
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

/* The records' data, in uuid order (when they arrived and who applied
 * them aside). */
static char *records_of(struct fx *f, int db)
{
	return raw_rows(f->path[db], "SELECT uuid, category, status, person_key, name, township,"
			" vals, comment, created_by, created_at, version, site FROM records"
			" ORDER BY uuid");
}

/* Everything sync touches but the audit, for "nothing changed" checks. */
static char *everything_of(struct fx *f, int db)
{
	char *r = raw_rows(f->path[db], "SELECT * FROM records ORDER BY uuid");
	char *c = raw_rows(f->path[db], "SELECT * FROM sync_conflicts ORDER BY id");
	char *s = raw_rows(f->path[db], "SELECT * FROM sync_state ORDER BY peer, uuid");
	char *p = raw_rows(f->path[db], "SELECT * FROM sync_peers ORDER BY peer");
	char *b = raw_rows(f->path[db], "SELECT * FROM sync_bundles ORDER BY sha256");
	char *all = xasprintf("%s--\n%s--\n%s--\n%s--\n%s", r, c, s, p, b);
	free(r), free(c), free(s), free(p), free(b);
	return all;
}

/* ---- the bundle ---- */

static void test_bundle_format(void **state)
{
	struct fx *f = *state;
	char *u = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	assert_int_equal(export(f, SITE_A, "a.bundle", false), 1);
	size_t n;
	char *data = read_file(f, "a.bundle", &n);
	static const char head[] = "TALENTREG-SYNC 2\nfrom site_a\nto district\nlength ";
	assert_memory_equal(data, head, strlen(head));
	/* nothing else on the stick is readable */
	assert_null(memmem(data, n, "王小梅", strlen("王小梅")));
	assert_null(memmem(data, n, "620302198506120028", 18));
	assert_null(memmem(data, n, "13800138000", 11));
	assert_null(memmem(data, n, "rural_teacher", 13));
	struct sync_head h;
	assert_int_equal(sync_head_parse(data, n, "a.bundle", &h, NULL), SR_OK);
	assert_string_equal(h.from, "site_a");
	assert_string_equal(h.to, "district");
	assert_int_equal(h.box_len + (size_t)(h.box - data), n);
	assert_int_equal(h.box_len, n - (size_t)(h.box - data));

	/* the district opens it: the signed message and its rows */
	struct sync_result r;
	assert_int_equal(import_as(f, DIST_X, &f->admin, "a.bundle", &r, NULL), SR_OK);
	assert_int_equal(r.seq, 1);
	assert_string_equal(r.peer, "site_a");
	assert_int_equal(strlen(r.id), 64);
	/* the record as the district keeps it: the site's values and times,
	 * its logins marked as the site's, the district's own version */
	char *row = raw_rows(f->path[DIST_X], "SELECT name, person_key, site, version, status,"
			     " created_by, updated_by, json_extract(vals, '$.school') FROM records");
	assert_string_equal(row, "王小梅|620302198506120028|site_a|1|submitted|root@site_a|"
				 "root@site_a|东湾村小学\n");
	free(row);
	free(data);
	free(u);
}

/* ---- two sites, one district ---- */

static void test_two_sites_one_district(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	char *a2 = add(f, SITE_A, "李芳", "620302199003071230", "宁远堡镇", "宁远堡中心小学");
	char *b1 = add(f, SITE_B, "张力", "620302200001010018", "双湾镇", "双湾中学");
	char *b2 = add(f, SITE_B, "赵敏", "110105197512310024", "双湾镇", "南湾小学");
	assert_int_equal(export(f, SITE_A, "a1.bundle", false), 2);
	assert_int_equal(export(f, SITE_B, "b1.bundle", false), 2);

	/* X takes A then B, each twice; Y (a copy of X) takes B then A */
	import_ok(f, DIST_X, "a1.bundle", 2, 0, 0, 0, 0);
	import_ok(f, DIST_X, "a1.bundle", 0, 0, 0, -1, 0);
	import_ok(f, DIST_X, "b1.bundle", 2, 0, 0, 0, 0);
	import_ok(f, DIST_X, "b1.bundle", 0, 0, 0, -1, 0);
	import_ok(f, DIST_Y, "b1.bundle", 2, 0, 0, 0, 0);
	import_ok(f, DIST_Y, "a1.bundle", 2, 0, 0, 0, 0);
	import_ok(f, DIST_Y, "b1.bundle", 0, 0, 0, -1, 0);
	char *x = records_of(f, DIST_X), *y = records_of(f, DIST_Y);
	assert_string_equal(x, y);
	free(x), free(y);
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM records"), 4);
	char *sites = raw_rows(f->path[DIST_X], "SELECT site, count(*) FROM records GROUP BY site");
	assert_string_equal(sites, "site_a|2\nsite_b|2\n");
	free(sites);
	/* another district's database cannot open them: sealed to X's key */
	import_refused(f, DIST_Z, "a1.bundle", SYNC_REFUSED, "打不开");

	/* a1 changes at the district and at its site; a2 only at the site;
	 * b2 is withdrawn at its site */
	edit(f, DIST_X, &f->sup, a1, "school", "区级更正的学校");
	edit(f, DIST_Y, &f->sup, a1, "school", "区级更正的学校");
	edit(f, SITE_A, &f->admin, a1, "school", "站点更正的学校");
	edit(f, SITE_A, &f->admin, a2, "school", "站点新学校");
	edit(f, SITE_A, &f->admin, a2, "years_teaching", "8");
	step(f, SITE_B, &f->admin, b2, ACT_WITHDRAW, "重复");
	/* nothing acknowledged yet: every record goes again, changed or not */
	assert_int_equal(export(f, SITE_A, "a2.bundle", false), 2);
	assert_int_equal(export(f, SITE_B, "b2.bundle", false), 2);

	import_ok(f, DIST_X, "a2.bundle", 0, 1, 0, 1, 0);
	import_ok(f, DIST_X, "b2.bundle", 0, 1, 1, 0, 0);
	import_ok(f, DIST_X, "a2.bundle", 0, 0, 0, -1, 0);
	import_ok(f, DIST_Y, "b2.bundle", 0, 1, 1, 0, 0);
	import_ok(f, DIST_Y, "a2.bundle", 0, 1, 0, 1, 0);
	import_ok(f, DIST_Y, "b1.bundle", 0, 0, 0, -1, 0);	/* applied before: fine */
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
	/* versions are the district's own: a2 was added (1) and changed once
	 * here by the site's bundle (2), however often the site edited it */
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT version FROM records WHERE name = '李芳'"),
			 2);

	/* exactly one conflict, holding the site's change: nothing lost */
	for (int db = DIST_X; db <= DIST_Y; db++) {
		char *c = raw_rows(f->path[db], "SELECT site, uuid, kind,"
				   " json_extract(incoming, '$.vals.school'), resolution"
				   " FROM sync_conflicts");
		char *want = xasprintf("site_a|%s|edited|站点更正的学校|NULL\n", a1);
		assert_string_equal(c, want);
		free(c), free(want);
	}
	/* every applied change has its audit row naming the site */
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM audit WHERE action = 'sync'"
				   " AND comment LIKE '%site_a%'"), 3);
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM audit WHERE action = 'sync'"
				   " AND comment LIKE '%site_b%'"), 3);
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM audit"
				   " WHERE action = 'sync_conflict'"), 1);

	/* the supervisor takes the site's copy: now the district has it, and a
	 * later change at the site applies without a conflict */
	struct actor sup = as(&f->sup);
	struct sync_rules rules;
	reg_sync_rules(&f->rg[DIST_X], &rules);
	char *cause = NULL;
	assert_int_equal(store_sync_resolve(f->st[DIST_X], &sup, f->cfg[DIST_X], &rules, a1, NULL,
					    SYNC_TAKE, "站点为准", &cause), SR_OK);
	expect_field(f, DIST_X, a1, "school", "站点更正的学校");
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM sync_conflicts"
				   " WHERE resolution IS NULL"), 0);
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM audit"
				   " WHERE action = 'sync_take' AND comment LIKE '%站点为准%'"), 1);
	edit(f, SITE_A, &f->admin, a1, "school", "站点再改");
	export(f, SITE_A, "a3.bundle", false);
	import_ok(f, DIST_X, "a3.bundle", 0, 1, 1, 0, 0);
	expect_field(f, DIST_X, a1, "school", "站点再改");
	/* the district's version: 1 added, 2 its edit, 3 taken, 4 the site's next */
	char *v = xasprintf("SELECT version FROM records WHERE uuid = '%s'", a1);
	assert_int_equal(raw_count(f->path[DIST_X], v), 4);
	free(v);
	free(a1), free(a2), free(b1), free(b2);
}

/* One site's bundles taken newest first: the older one is refused as a
 * replay, and nothing is lost, as the newer one held it all. */
static void test_newer_bundle_first(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	assert_int_equal(export(f, SITE_A, "a1.bundle", false), 1);
	edit(f, SITE_A, &f->admin, a1, "school", "新学校");
	char *a2 = add(f, SITE_A, "李芳", "620302199003071230", "宁远堡镇", "宁远堡中心小学");
	assert_int_equal(export(f, SITE_A, "a2.bundle", false), 2);
	import_ok(f, DIST_X, "a2.bundle", 2, 0, 0, 0, 0);
	char *before = everything_of(f, DIST_X);
	import_refused(f, DIST_X, "a1.bundle", SYNC_REFUSED, "重放");
	char *after = everything_of(f, DIST_X);
	assert_string_equal(before, after);
	free(before), free(after);
	expect_field(f, DIST_X, a1, "school", "新学校");
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM audit"
				   " WHERE action = 'sync_refused' AND comment LIKE '%a1.bundle%'"), 1);

	/* --all sends everything again; the district finds only the new one */
	char *a3 = add(f, SITE_A, "马兰", "62030219700101003X", "宁远堡镇", "马家小学");
	assert_int_equal(export(f, SITE_A, "all.bundle", true), 3);
	import_ok(f, DIST_X, "all.bundle", 1, 0, 2, 0, 0);
	free(a1), free(a2), free(a3);
}

/* A record made and withdrawn at the site before any bundle went: it
 * arrives withdrawn (made, then withdrawn, both the site's to do); the
 * person may be registered again. */
static void test_withdrawn_before_sent(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	step(f, SITE_A, &f->admin, a1, ACT_WITHDRAW, "登记错了");
	char *a2 = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	export(f, SITE_A, "a1.bundle", false);
	import_ok(f, DIST_X, "a1.bundle", 2, 0, 0, 0, 0);
	assert_int_equal(status_of(f, DIST_X, a1), ST_WITHDRAWN);
	assert_int_equal(status_of(f, DIST_X, a2), ST_SUBMITTED);
	free(a1), free(a2);
}

/* A bundle lost on the way: the next one carries what it held. */
static void test_lost_bundle_loses_nothing(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	export(f, SITE_A, "lost.bundle", false);
	char *a2 = add(f, SITE_A, "李芳", "620302199003071230", "宁远堡镇", "宁远堡中心小学");
	assert_int_equal(export(f, SITE_A, "a2.bundle", false), 2);
	import_ok(f, DIST_X, "a2.bundle", 2, 0, 0, 0, 0);
	/* the district acknowledges; then only what changed since goes */
	assert_int_equal(export_to(f, DIST_X, "site_a", "d1.bundle", false), 0);
	import_ok(f, SITE_A, "d1.bundle", 0, 0, 0, 0, 0);
	assert_int_equal(export(f, SITE_A, "a3.bundle", false), 0);
	edit(f, SITE_A, &f->admin, a2, "school", "新学校");
	assert_int_equal(export(f, SITE_A, "a4.bundle", false), 1);
	free(a1), free(a2);
}

static void test_empty_bundle_is_a_no_op(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	assert_int_equal(export(f, SITE_A, "a1.bundle", false), 1);
	import_ok(f, DIST_X, "a1.bundle", 1, 0, 0, 0, 0);
	assert_int_equal(export_to(f, DIST_X, "site_a", "d1.bundle", false), 0);
	import_ok(f, SITE_A, "d1.bundle", 0, 0, 0, 0, 0);
	assert_int_equal(export(f, SITE_A, "a2.bundle", false), 0);
	char *before = records_of(f, DIST_X);
	char *conf_before = raw_rows(f->path[DIST_X], "SELECT * FROM sync_conflicts");
	import_ok(f, DIST_X, "a2.bundle", 0, 0, 0, 0, 0);
	import_ok(f, DIST_X, "a2.bundle", 0, 0, 0, -1, 0);
	char *after = records_of(f, DIST_X);
	char *conf_after = raw_rows(f->path[DIST_X], "SELECT * FROM sync_conflicts");
	assert_string_equal(before, after);
	assert_string_equal(conf_before, conf_after);
	free(before), free(after), free(conf_before), free(conf_after), free(a1);
}

/* ---- refused whole ---- */

/* Every truncation and every flipped byte of a bundle is refused whole. */
static void test_damaged_bundles_refused(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	char *a2 = add(f, SITE_A, "李芳", "620302199003071230", "宁远堡镇", "宁远堡中心小学");
	assert_int_equal(export(f, SITE_A, "good.bundle", false), 2);
	size_t n;
	char *good = read_file(f, "good.bundle", &n);
	char *before = everything_of(f, DIST_X);

	for (size_t cut = 0; cut < n; cut += cut < 80 ? 1 : 7) {
		write_file(f, "bad.bundle", good, cut);
		char *cause = NULL;
		int rc = import_as(f, DIST_X, &f->admin, "bad.bundle", NULL, &cause);
		if (rc != SYNC_DAMAGED && rc != SYNC_REFUSED)
			fail_msg("cut at %zu of %zu: %d", cut, n, rc);
		assert_non_null(cause);
		free(cause);
	}
	char *copy = xmalloc(n + 1);
	for (size_t i = 0; i < n; i += i < 80 ? 1 : 5) {
		static const unsigned char flips[] = {0x01, 0x80};
		for (size_t k = 0; k < ARRAY_LEN(flips); k++) {
			memcpy(copy, good, n);
			copy[i] = (char)(copy[i] ^ flips[k]);
			write_file(f, "bad.bundle", copy, n);
			char *cause = NULL;
			int rc = import_as(f, DIST_X, &f->admin, "bad.bundle", NULL, &cause);
			if (rc != SYNC_DAMAGED && rc != SYNC_REFUSED)
				fail_msg("byte %zu of %zu flipped by %#x: %d", i, n, flips[k], rc);
			free(cause);
		}
	}
	/* one byte too many is refused as well */
	memcpy(copy, good, n);
	copy[n] = '\n';
	write_file(f, "bad.bundle", copy, n + 1);
	import_refused(f, DIST_X, "bad.bundle", SYNC_DAMAGED, "多出");
	char *after = everything_of(f, DIST_X);
	assert_string_equal(before, after);

	/* the messages say what is wrong */
	write_file(f, "bad.bundle", good, n - 10);
	import_refused(f, DIST_X, "bad.bundle", SYNC_DAMAGED, "不完整");
	memcpy(copy, good, n);
	copy[n - 5] ^= 0x01;
	write_file(f, "bad.bundle", copy, n);
	import_refused(f, DIST_X, "bad.bundle", SYNC_REFUSED, "打不开");
	write_file(f, "bad.bundle", "id,name\n1,王\n", strlen("id,name\n1,王\n"));
	import_refused(f, DIST_X, "bad.bundle", SYNC_DAMAGED, "不是");
	/* every refusal has its audit row, naming the file */
	assert_true(raw_count(f->path[DIST_X], "SELECT count(*) FROM audit"
			      " WHERE action = 'sync_refused' AND comment LIKE '%bad.bundle%'") > 100);

	/* and the good one still goes in */
	import_ok(f, DIST_X, "good.bundle", 2, 0, 0, 0, 0);
	free(copy), free(good), free(before), free(after), free(a1), free(a2);
}

/* Bundles an attacker could make: signed by another site's key under this
 * site's name, from a site nobody declared, addressed elsewhere, altered
 * after signing by someone who could open it. */
static void test_forged_bundles_refused(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	char *before = everything_of(f, DIST_X);

	/* site_b, calling itself site_a: signed with site_b's key */
	free(add(f, SITE_B, "张力", "620302200001010018", "双湾镇", "双湾中学"));
	free(f->cfg[SITE_B]->site_id);
	f->cfg[SITE_B]->site_id = xstrdup("site_a");
	export(f, SITE_B, "forged.bundle", false);
	import_refused(f, DIST_X, "forged.bundle", SYNC_REFUSED, "不是用 sites.ini 为站点 site_a");
	/* site_c, which the district does not know */
	free(f->cfg[SITE_B]->site_id);
	f->cfg[SITE_B]->site_id = xstrdup("site_c");
	export(f, SITE_B, "unknown.bundle", false);
	import_refused(f, DIST_X, "unknown.bundle", SYNC_REFUSED, "没有在 sites.ini 中声明");
	/* addressed to another database */
	free(f->cfg[SITE_B]->site_id);
	f->cfg[SITE_B]->site_id = xstrdup("site_b");
	free(f->cfg[SITE_B]->sites[0].id);
	f->cfg[SITE_B]->sites[0].id = xstrdup("city");
	export_to(f, SITE_B, "city", "city.bundle", false);
	import_refused(f, DIST_X, "city.bundle", SYNC_REFUSED, "不是本数据库");

	/* altered after signing: opened with the district's secret key (read
	 * here straight from its database), one byte of the signed message
	 * changed, sealed again to the district */
	export(f, SITE_A, "a1.bundle", false);
	size_t n;
	char *data = read_file(f, "a1.bundle", &n);
	struct sync_head h;
	assert_int_equal(sync_head_parse(data, n, "a1.bundle", &h, NULL), SR_OK);
	char *hex = raw_rows(f->path[DIST_X], "SELECT hex(box_sk) FROM sync_keys");
	unsigned char box_sk[32];
	assert_int_equal(sodium_hex2bin(box_sk, sizeof box_sk, hex, 64, NULL, NULL, NULL), 0);
	free(hex);
	size_t inner_n = h.box_len - crypto_box_SEALBYTES;
	unsigned char *inner = xmalloc(inner_n);
	assert_int_equal(crypto_box_seal_open(inner, (const unsigned char *)h.box, h.box_len,
					      f->key[DIST_X].box, box_sk), 0);
	unsigned char *seq = memmem(inner, inner_n, "\nseq 1\n", 7);
	assert_non_null(seq);
	seq[5] = '7';	/* "seq 7": skip ahead, or anything else */
	unsigned char *box = xmalloc(h.box_len);
	assert_int_equal(crypto_box_seal(box, inner, inner_n, f->key[DIST_X].box), 0);
	memcpy((char *)h.box, box, h.box_len);
	write_file(f, "altered.bundle", data, n);
	import_refused(f, DIST_X, "altered.bundle", SYNC_REFUSED, "签名后被改动");
	char *after = everything_of(f, DIST_X);
	assert_string_equal(before, after);
	/* the untouched one goes in */
	import_ok(f, DIST_X, "a1.bundle", 1, 0, 0, 0, 0);
	seal_wipe(box_sk, sizeof box_sk);
	free(box), free(inner), free(data), free(before), free(after), free(a1);
}

/* ---- the district's decisions travel back ---- */

static void test_decisions_travel_back(void **state)
{
	struct fx *f = *state;
	char *u[3];
	u[0] = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	u[1] = add(f, SITE_A, "李芳", "620302199003071230", "宁远堡镇", "宁远堡中心小学");
	u[2] = add(f, SITE_A, "马兰", "62030219700101003X", "宁远堡镇", "马家小学");
	export(f, SITE_A, "a1.bundle", false);
	import_ok(f, DIST_X, "a1.bundle", 3, 0, 0, 0, 0);
	step(f, DIST_X, &f->sup, u[0], ACT_APPROVE, NULL);
	step(f, DIST_X, &f->sup, u[1], ACT_RETURN, "学段与任教学校不符");
	assert_int_equal(export_to(f, DIST_X, "site_a", "d1.bundle", false), 2);
	import_ok(f, SITE_A, "d1.bundle", 0, 2, 0, 0, 0);
	assert_int_equal(status_of(f, SITE_A, u[0]), ST_APPROVED);
	assert_int_equal(status_of(f, SITE_A, u[1]), ST_RETURNED);
	assert_int_equal(status_of(f, SITE_A, u[2]), ST_SUBMITTED);
	char *c = raw_rows(f->path[SITE_A], "SELECT comment, updated_by FROM records"
			   " WHERE status = 'returned'");
	assert_string_equal(c, "学段与任教学校不符|sup@district\n");
	free(c);
	/* the site sends nothing back: it holds what the district sent */
	assert_int_equal(export(f, SITE_A, "a2.bundle", false), 0);

	/* the site fixes the returned one; it goes back submitted */
	edit(f, SITE_A, &f->admin, u[1], "stage", "初中");
	assert_int_equal(status_of(f, SITE_A, u[1]), ST_SUBMITTED);
	assert_int_equal(export(f, SITE_A, "a3.bundle", false), 1);
	import_ok(f, DIST_X, "a3.bundle", 0, 1, 0, 0, 0);
	assert_int_equal(status_of(f, DIST_X, u[1]), ST_SUBMITTED);
	expect_field(f, DIST_X, u[1], "stage", "初中");
	/* approved; the first one unlocked with a reason */
	step(f, DIST_X, &f->sup, u[1], ACT_APPROVE, NULL);
	step(f, DIST_X, &f->sup, u[0], ACT_UNLOCK, "补充材料");
	assert_int_equal(export_to(f, DIST_X, "site_a", "d2.bundle", false), 2);
	import_ok(f, SITE_A, "d2.bundle", 0, 2, 0, 0, 0);
	assert_int_equal(status_of(f, SITE_A, u[1]), ST_APPROVED);
	assert_int_equal(status_of(f, SITE_A, u[0]), ST_SUBMITTED);
	c = raw_rows(f->path[SITE_A], "SELECT comment FROM records WHERE status = 'submitted'"
		     " AND comment IS NOT NULL");
	assert_string_equal(c, "补充材料\n");
	free(c);
	/* no conflict anywhere, and both sides hold the same */
	assert_int_equal(raw_count(f->path[SITE_A], "SELECT count(*) FROM sync_conflicts"), 0);
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM sync_conflicts"), 0);
	char *q = "SELECT uuid, category, status, vals, comment, created_at, site FROM records"
		  " ORDER BY uuid";
	char *x = raw_rows(f->path[DIST_X], q), *s = raw_rows(f->path[SITE_A], q);
	assert_string_equal(x, s);
	free(x), free(s);
	for (int i = 0; i < 3; i++)
		free(u[i]);
}

static int fields_cb(const struct sync_conflict *c, void *arg)
{
	char **out = arg;
	free(*out);
	*out = xasprintf("%s %s %s %s", c->kind, c->category, c->name, c->fields);
	return 0;
}

/* A decision of the district over a change at the site: one conflict, at
 * the site, naming the fields that differ. */
static void test_both_sides_at_the_site(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	export(f, SITE_A, "a1.bundle", false);
	import_ok(f, DIST_X, "a1.bundle", 1, 0, 0, 0, 0);
	step(f, DIST_X, &f->sup, a1, ACT_RETURN, "请补全");
	edit(f, SITE_A, &f->admin, a1, "school", "站点改的学校");
	export_to(f, DIST_X, "site_a", "d1.bundle", false);
	import_ok(f, SITE_A, "d1.bundle", 0, 0, 0, 1, 0);
	struct actor sup = as(&f->sup);
	char *got = NULL;
	assert_int_equal(store_sync_conflicts(f->st[SITE_A], &sup, false, fields_cb, &got, NULL),
			 SR_OK);
	assert_string_equal(got, "edited rural_teacher 王小梅 status, school, comment");
	free(got);
	/* the record with the conflict waits: not sent until it is resolved */
	struct sync_result res;
	char *path = xasprintf("%s/a2.bundle", f->dir);
	struct sync_sink sink = {put_file, path, path};
	assert_int_equal(store_sync_export(f->st[SITE_A], &f->admin_a[SITE_A], f->cfg[SITE_A],
					   "district", false, &sink, &res, NULL), SR_OK);
	assert_int_equal(res.rows, 0);
	assert_int_equal(res.waiting, 1);
	free(path);
	/* the site's supervisor takes the district's: returned, with the comment */
	struct sync_rules rules;
	reg_sync_rules(&f->rg[SITE_A], &rules);
	assert_int_equal(store_sync_resolve(f->st[SITE_A], &sup, f->cfg[SITE_A], &rules, a1,
					    NULL, SYNC_TAKE, NULL, NULL), SR_OK);
	assert_int_equal(status_of(f, SITE_A, a1), ST_RETURNED);
	expect_field(f, SITE_A, a1, "school", "东湾村小学");
	assert_int_equal(export(f, SITE_A, "a3.bundle", false), 0);
	free(a1);
}

/* ---- conflicts ---- */

static int count_cb(const struct sync_conflict *c, void *arg)
{
	(void)c;
	(*(int *)arg)++;
	return 0;
}

static int conflicts_seen(struct fx *f, int db, const struct user *u, bool all)
{
	struct actor a = as(u);
	int n = 0;
	assert_int_equal(store_sync_conflicts(f->st[db], &a, all, count_cb, &n, NULL), SR_OK);
	return n;
}

static int resolve(struct fx *f, int db, const struct user *u, const char *id, const char *site,
		   enum sync_choice how, char **cause)
{
	struct actor a = as(u);
	struct sync_rules rules;
	reg_sync_rules(&f->rg[db], &rules);
	return store_sync_resolve(f->st[db], &a, f->cfg[db], &rules, id, site, how, NULL, cause);
}

/* keep: the district's copy stays and goes to the site; the site's later
 * changes made before it arrives are conflicts again. */
static void test_keep_then_site_changes_again(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	export(f, SITE_A, "a1.bundle", false);
	import_ok(f, DIST_X, "a1.bundle", 1, 0, 0, 0, 0);
	edit(f, DIST_X, &f->admin, a1, "school", "区级");
	edit(f, SITE_A, &f->admin, a1, "school", "站点一");
	export(f, SITE_A, "a2.bundle", false);
	import_ok(f, DIST_X, "a2.bundle", 0, 0, 0, 1, 0);
	assert_int_equal(conflicts_seen(f, DIST_X, &f->sup, false), 1);
	struct actor sup = as(&f->sup);
	char *got = NULL;
	assert_int_equal(store_sync_conflicts(f->st[DIST_X], &sup, false, fields_cb, &got, NULL),
			 SR_OK);
	assert_string_equal(got, "edited rural_teacher 王小梅 school");
	free(got);

	assert_int_equal(resolve(f, DIST_X, &f->sup, a1, NULL, SYNC_KEEP, NULL), SR_OK);
	expect_field(f, DIST_X, a1, "school", "区级");
	assert_int_equal(conflicts_seen(f, DIST_X, &f->sup, false), 0);
	assert_int_equal(conflicts_seen(f, DIST_X, &f->sup, true), 1);
	char *cause = NULL;
	assert_int_equal(resolve(f, DIST_X, &f->sup, a1, NULL, SYNC_KEEP, &cause), SR_NOTFOUND);
	free(cause);

	edit(f, SITE_A, &f->admin, a1, "school", "站点二");
	export(f, SITE_A, "a3.bundle", false);
	edit(f, SITE_A, &f->admin, a1, "school", "站点三");
	export(f, SITE_A, "a4.bundle", false);
	import_ok(f, DIST_X, "a3.bundle", 0, 0, 0, 1, 0);
	import_ok(f, DIST_X, "a4.bundle", 0, 0, 0, 1, 0);
	expect_field(f, DIST_X, a1, "school", "区级");
	/* the older open one is superseded by the newer; all are kept */
	char *c = raw_rows(f->path[DIST_X], "SELECT resolution,"
			   " json_extract(incoming, '$.vals.school') FROM sync_conflicts ORDER BY id");
	assert_string_equal(c, "keep|站点一\nsuperseded|站点二\nNULL|站点三\n");
	free(c);
	/* conflicts are never deleted */
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path[DIST_X], &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM sync_conflicts", NULL, NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(resolve(f, DIST_X, &f->sup, a1, "site_a", SYNC_TAKE, NULL), SR_OK);
	expect_field(f, DIST_X, a1, "school", "站点三");

	/* the kept copy reaches a site that changed nothing since */
	char *a2 = add(f, SITE_A, "李芳", "620302199003071230", "宁远堡镇", "宁远堡中心小学");
	export(f, SITE_A, "a5.bundle", false);
	import_ok(f, DIST_X, "a5.bundle", 1, 0, 1, 0, 0);
	edit(f, DIST_X, &f->admin, a2, "school", "区级二");
	edit(f, SITE_A, &f->admin, a2, "school", "站点二");
	export(f, SITE_A, "a6.bundle", false);
	import_ok(f, DIST_X, "a6.bundle", 0, 0, 1, 1, 0);
	assert_int_equal(resolve(f, DIST_X, &f->sup, a2, NULL, SYNC_KEEP, NULL), SR_OK);
	assert_int_equal(export_to(f, DIST_X, "site_a", "d1.bundle", false), 1);
	import_ok(f, SITE_A, "d1.bundle", 0, 1, 0, 0, 0);
	expect_field(f, SITE_A, a2, "school", "区级二");
	free(a1), free(a2);
}

/* The same person registered at two sites: the second is held as a
 * duplicate, not a second live record and not an aborted import. */
static void test_same_person_at_two_sites(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "王小梅", "620302198506120028", "宁远堡镇", "东湾村小学");
	char *b1 = add(f, SITE_B, "王小梅", "620302198506120028", "双湾镇", "南湾小学");
	char *b2 = add(f, SITE_B, "张力", "620302200001010018", "双湾镇", "双湾中学");
	export(f, SITE_A, "a1.bundle", false);
	export(f, SITE_B, "b1.bundle", false);
	import_ok(f, DIST_X, "a1.bundle", 1, 0, 0, 0, 0);
	import_ok(f, DIST_X, "b1.bundle", 1, 0, 0, 0, 1);
	assert_null(value_of(f, DIST_X, b1, "school"));
	expect_field(f, DIST_X, b2, "school", "双湾中学");
	char *c = raw_rows(f->path[DIST_X], "SELECT uuid, kind, other_uuid FROM sync_conflicts");
	char *want = xasprintf("%s|duplicate|%s\n", b1, a1);
	assert_string_equal(c, want);
	free(c), free(want);

	/* taking it while the other is live is refused; after a withdrawal it works */
	char *cause = NULL;
	assert_int_equal(resolve(f, DIST_X, &f->admin, b1, NULL, SYNC_TAKE, &cause), SR_DUP);
	assert_non_null(strstr(cause, a1));
	free(cause);
	step(f, DIST_X, &f->admin, a1, ACT_WITHDRAW, "重复");
	assert_int_equal(resolve(f, DIST_X, &f->admin, b1, NULL, SYNC_TAKE, NULL), SR_OK);
	expect_field(f, DIST_X, b1, "school", "南湾小学");
	free(a1), free(b1), free(b2);
}

/* ---- who may ---- */

static void test_who_may(void **state)
{
	struct fx *f = *state;
	char *a1 = add(f, SITE_A, "张力", "620302200001010018", "宁远堡镇", "双湾中学");
	struct actor off = as(&f->off), sup = as(&f->sup);
	struct sync_result res;
	char *path = xasprintf("%s/x.bundle", f->dir);
	struct sync_sink sink = {put_file, path, path};
	char *cause = NULL;
	/* export is an export: admins only (auth.c) */
	assert_int_equal(store_sync_export(f->st[SITE_A], &off, f->cfg[SITE_A], "district", false,
					   &sink, &res, &cause), SR_DENIED);
	free(cause);
	assert_int_equal(store_sync_export(f->st[SITE_A], &sup, f->cfg[SITE_A], "district", false,
					   &sink, &res, NULL), SR_DENIED);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(store_sync_export(f->st[SITE_A], &f->admin_a[SITE_A], f->cfg[SITE_A],
					   "site_z", false, &sink, &res, &cause), SR_NOTFOUND);
	free(cause);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(store_sync_export(f->st[SITE_A], &f->admin_a[SITE_A], f->cfg[SITE_A],
					   "district", false, &sink, &res, NULL), SR_OK);
	free(path);

	/* import is for admins */
	assert_int_equal(import_as(f, DIST_X, &f->sup, "x.bundle", NULL, NULL), SR_DENIED);
	assert_int_equal(raw_count(f->path[DIST_X], "SELECT count(*) FROM records"), 0);
	import_ok(f, DIST_X, "x.bundle", 1, 0, 0, 0, 0);
	edit(f, DIST_X, &f->admin, a1, "school", "区级");
	edit(f, SITE_A, &f->admin, a1, "school", "站点");
	export(f, SITE_A, "y.bundle", false);
	import_ok(f, DIST_X, "y.bundle", 0, 0, 0, 1, 0);

	/* conflicts: not for officers, and only in a supervisor's townships */
	int n = 0;
	assert_int_equal(store_sync_conflicts(f->st[DIST_X], &off, false, count_cb, &n, NULL),
			 SR_DENIED);
	assert_int_equal(conflicts_seen(f, DIST_X, &f->sup, false), 1);
	assert_int_equal(resolve(f, DIST_X, &f->off, a1, NULL, SYNC_TAKE, NULL), SR_DENIED);
	expect_field(f, DIST_X, a1, "school", "区级");
	assert_int_equal(resolve(f, DIST_X, &f->sup, a1, NULL, SYNC_TAKE, NULL), SR_OK);
	expect_field(f, DIST_X, a1, "school", "站点");
	free(a1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_bundle_format),
		T(test_two_sites_one_district),
		T(test_newer_bundle_first),
		T(test_withdrawn_before_sent),
		T(test_lost_bundle_loses_nothing),
		T(test_empty_bundle_is_a_no_op),
		T(test_damaged_bundles_refused),
		T(test_forged_bundles_refused),
		T(test_decisions_travel_back),
		T(test_both_sides_at_the_site),
		T(test_keep_then_site_changes_again),
		T(test_same_person_at_two_sites),
		T(test_who_may),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
