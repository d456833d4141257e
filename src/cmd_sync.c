/*
 * cmd_sync.c - sync: offline site bundles (sync.h; README "Offline training
 * sites").
 *
 *   sync keygen [--replace]          the database's key pairs; prints the
 *                                    lines of the peer's sites.ini
 *   sync key                         prints them again
 *   sync export FILE [--to SITE] [--all]
 *                                    what the peer has not confirmed (all:
 *                                    everything it gets), signed and sealed
 *                                    to it; --to may be left out at a site
 *                                    (its one district)
 *   sync import FILE                 open and merge a peer's bundle
 *   sync conflicts [--all] [--format table|csv|json]
 *   sync resolve UUID keep|take [--site SITE] [--comment TEXT]
 *
 * Who may: keygen, export and import, an admin (ACT_ADMIN: keys; a bundle
 * holds records unmasked; an import changes records in every township at
 * once); key, anyone (a public key); conflicts and resolve, a supervisor
 * in the record's townships or an admin. The conflict list names the
 * fields that differ (or why a row is held), never their values: the
 * screens (c) and `history UUID` show them, masked as everywhere. Exit
 * statuses: a bundle that is damaged, truncated, not ours, not signed by
 * its declared sender or old is invalid data (1) and changes no record; a
 * file that cannot be read, or is too large, is a usage error (2), and so
 * is an export to a site sites.ini does not declare; one that cannot be
 * written a storage failure (4); a conflict or a held row is not an error.
 * Files are opened as userfile.h says, after the admin check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sync.h"
#include "table.h"
#include "text.h"
#include "userfile.h"

/* Reads exactly want positional arguments (names for the messages). */
static int positional(int argc, char **argv, const struct opt *opts, size_t nopts,
		      const char *const *names, int want, const char ***pos)
{
	int npos;
	int rc = opts_parse(argc, argv, opts, nopts, pos, &npos);
	if (rc == EXIT_DONE && npos < want)
		rc = cli_usage(MSG_MISSING_ARGUMENT, names[npos]);
	else if (rc == EXIT_DONE && npos > want)
		rc = cli_usage(MSG_EXTRA_ARGUMENT, (*pos)[want]);
	return rc;
}

/* The sink of an export: the bundle goes into a userfile.h output. */
static int put_bundle(void *arg, const void *data, size_t n, char **cause)
{
	struct outfile *o = arg;
	if (fwrite(data, 1, n, o->f) != n) {
		*cause = msgf(MSG_XFER_CANNOT_WRITE, o->path, strerror(errno));
		outfile_abort(o);
		return -1;
	}
	return outfile_commit(o) == EXIT_DONE ? 0 : -1;	/* it printed why */
}

/* Returns EXIT_DONE when app's user is an admin, else prints and EXIT_DENIED:
 * asked before any file is touched. */
static int admin_only(struct app *app)
{
	enum msg_id why = MSG_DENIED_ROLE;
	if (auth_check(app->me, ACT_ADMIN, NULL, &why) == 0)
		return EXIT_DONE;
	cli_err(MSG_DENIED, msg(why));
	return EXIT_DENIED;
}

/* The peer an export goes to: --to, or the one district a site declares
 * (or the one peer there is). Prints why not and returns NULL. */
static const struct site_decl *export_peer(const struct config *c, const char *to)
{
	if (to) {
		const struct site_decl *p = config_site(c, to);
		if (p == NULL)
			cli_err(MSG_SYNC_UNKNOWN_PEER, to);
		return p;
	}
	const struct site_decl *only = NULL;
	size_t districts = 0;
	for (size_t i = 0; i < c->nsites; i++)
		if (c->sites[i].kind == SITE_DISTRICT) {
			only = &c->sites[i];
			districts++;
		}
	if (districts == 1)
		return only;
	if (c->nsites == 1)
		return &c->sites[0];
	struct buf names = {0};
	for (size_t i = 0; i < c->nsites; i++)
		buf_printf(&names, "%s%s", i ? "、" : "", c->sites[i].id);
	if (c->nsites == 0)
		cli_err(MSG_SYNC_NO_PEERS);
	else
		cli_err(MSG_SYNC_WHICH_PEER, names.s);
	buf_free(&names);
	return NULL;
}

static int sync_export(struct app *app, int argc, char **argv)
{
	bool all = false;
	const char *to = NULL;
	struct opt opts[] = {{"--all", NULL, &all}, {"--to", &to, NULL}};
	static const char *const names[] = {"FILE"};
	const char **pos = NULL;
	int rc = positional(argc, argv, opts, ARRAY_LEN(opts), names, 1, &pos);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE)
		rc = admin_only(app);
	struct outfile o;
	if (rc == EXIT_DONE)
		rc = outfile_open(app, &o, pos[0], true);
	const struct site_decl *peer = NULL;
	if (rc == EXIT_DONE && (peer = export_peer(app->cfg, to)) == NULL) {
		outfile_abort(&o);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_DONE) {
		struct sync_result res;
		struct sync_sink sink = {put_bundle, &o, pos[0]};
		char *cause = NULL;
		int src = store_sync_export(app->st, &app->actor, app->cfg, peer->id, all, &sink, &res,
					    &cause);
		if (o.f || o.dirfd >= 0)	/* the sink was never called */
			outfile_abort(&o);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
		else if (res.rows > 0)
			cli_out(MSG_SYNC_EXPORTED, res.rows, pos[0], peer->id, res.seq);
		else
			cli_out(MSG_SYNC_EXPORTED_NONE, pos[0], peer->id, res.seq);
		if (src == SR_OK && res.waiting > 0)
			cli_out(MSG_SYNC_EXPORT_WAITING, res.waiting);
		sync_result_free(&res);
	}
	free(pos);
	return rc;
}

static int sync_import(struct app *app, int argc, char **argv)
{
	static const char *const names[] = {"FILE"};
	const char **pos = NULL;
	int rc = positional(argc, argv, NULL, 0, names, 1, &pos);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE)	/* before the file is even opened */
		rc = admin_only(app);
	char *cause = NULL, *data = NULL;
	size_t n = 0;
	if (rc == EXIT_DONE && (rc = infile_read(app, pos[0], &data, &n)) != EXIT_DONE)
		cli_err(MSG_SYNC_NOTHING_DONE);
	if (rc == EXIT_DONE) {
		struct sync_result res;
		struct sync_rules rules;
		reg_sync_rules(&app->reg, &rules);
		int src = store_sync_import(app->st, &app->actor, app->cfg, &rules, data, n, pos[0],
					    &res, &cause);
		if (src == SYNC_DAMAGED || src == SYNC_REFUSED) {
			cli_err_text(cause ? cause : msg(MSG_ERROR));
			free(cause);
			cli_err(MSG_SYNC_NOTHING_DONE);
			rc = EXIT_INVALID;
		} else if (src != SR_OK) {
			rc = cli_store_error(src, cause);
		} else if (res.already) {
			char *when = time_local(res.applied_at);
			cli_out(MSG_SYNC_ALREADY, when, pos[0]);
			free(when);
		} else {
			char *when = time_local(res.exported);
			cli_out(MSG_SYNC_IMPORTED, res.peer, res.name, res.seq, when, res.rows,
				res.inserted, res.updated, res.unchanged, res.conflicts, res.held);
			free(when);
		}
		if (src == SR_OK && res.open_conflicts > 0)
			cli_out(MSG_SYNC_CONFLICTS_WAITING, res.open_conflicts);
		sync_result_free(&res);
	}
	free(data);
	free(pos);
	return rc;
}

/* The label of a conflict's kind and of its state. */
static const char *kind_label(const char *kind)
{
	return msg(str_eq(kind, "duplicate") ? MSG_SYNC_KIND_DUPLICATE
		   : str_eq(kind, "refused") ? MSG_SYNC_KIND_REFUSED
					     : MSG_SYNC_KIND_EDITED);
}

static const char *resolution_label(const char *r)
{
	return msg(r == NULL			? MSG_SYNC_RES_OPEN
		   : str_eq(r, "keep")		? MSG_SYNC_RES_KEEP
		   : str_eq(r, "take")		? MSG_SYNC_RES_TAKE
						: MSG_SYNC_RES_SUPERSEDED);
}

struct conflicts_ctx {
	struct app *app;
	struct table t;
	enum out_format fmt;
	int n;
};

/* Returns a new string: the field keys "a, b" as the form's labels "甲、乙". */
static char *field_labels(struct app *app, const char *category, const char *keys)
{
	const struct form *f = category ? formset_find(&app->cfg->forms, category) : NULL;
	struct strv sv = {0};
	struct buf b = {0};
	buf_add(&b, "", 0);
	strv_split(&sv, keys ? keys : "", ',');
	for (size_t i = 0; i < sv.n; i++) {
		const struct field *fd = f ? form_field(f, sv.v[i]) : NULL;
		const char *label = fd ? fd->label
				    : str_eq(sv.v[i], "status") ? msg(MSG_COL_STATUS)
				    : str_eq(sv.v[i], "comment") ? msg(MSG_SYNC_FIELD_COMMENT)
								 : sv.v[i];
		buf_printf(&b, "%s%s", i ? "、" : "", label);
	}
	strv_free(&sv);
	return buf_take(&b);
}

static int conflict_row(const struct sync_conflict *c, void *arg)
{
	struct conflicts_ctx *x = arg;
	char id[24], sv[16], lv[16], shortid[9] = {0};
	snprintf(id, sizeof id, "%ld", c->id);
	snprintf(sv, sizeof sv, "%d", c->incoming_version);
	snprintf(lv, sizeof lv, "%d", c->local_version);
	if (x->fmt == FMT_TABLE) {
		memcpy(shortid, c->uuid, strlen(c->uuid) < 8 ? strlen(c->uuid) : 8);
		char *when = time_local(c->at);	/* local time, to the minute */
		/* what the supervisor needs to know: the fields that differ, why a
		 * row is held, or whose record the person already has */
		char *fields = str_eq(c->kind, "refused") ? xstrdup(c->reason ? c->reason : "")
			       : str_eq(c->kind, "duplicate") ? msgf(MSG_SYNC_DUP_OF, c->other_uuid
									     ? c->other_uuid : "")
							      : field_labels(x->app, c->category, c->fields);
		const char *row[] = {id, shortid, c->name, c->site, kind_label(c->kind), fields,
				     c->local_version ? lv : "-", when, resolution_label(c->resolution)};
		table_row(&x->t, row);
		free(fields);
		free(when);
	} else {
		const char *row[] = {id, c->uuid, c->name, c->category, c->site, c->kind, c->fields,
				     c->reason, sv, c->local_version ? lv : NULL, c->at,
				     c->resolution ? c->resolution : "open", c->other_uuid, c->bundle};
		table_row(&x->t, row);
	}
	x->n++;
	return 0;
}

static int sync_conflicts(struct app *app, int argc, char **argv)
{
	bool all = false;
	const char *format = NULL;
	struct opt opts[] = {{"--all", NULL, &all}, {"--format", &format, NULL}};
	static const char *const names[] = {""};
	const char **pos = NULL;
	struct conflicts_ctx x = {.app = app};
	int rc = positional(argc, argv, opts, ARRAY_LEN(opts), names, 0, &pos);
	free(pos);
	if (rc == EXIT_DONE)
		rc = cli_table_format(format, &x.fmt);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc != EXIT_DONE)
		return rc;
	if (x.fmt == FMT_TABLE) {
		static const char *const keys[] = {"id", "uuid", "name", "site", "kind", "fields",
						   "local_version", "at", "state"};
		const char *heads[] = {msg(MSG_SYNC_COL_NO), msg(MSG_COL_UUID), msg(MSG_COL_NAME),
				       msg(MSG_SYNC_COL_SITE), msg(MSG_SYNC_COL_KIND),
				       msg(MSG_SYNC_COL_FIELDS), msg(MSG_SYNC_COL_LOCAL_VERSION),
				       msg(MSG_COL_WHEN), msg(MSG_SYNC_COL_STATE)};
		table_init(&x.t, ARRAY_LEN(keys), keys, heads);
	} else {
		static const char *const keys[] = {"id", "uuid", "name", "category", "site", "kind",
						   "fields", "reason", "site_version", "local_version",
						   "at", "state", "other_uuid", "bundle"};
		table_init(&x.t, ARRAY_LEN(keys), keys, keys);
	}
	char *cause = NULL;
	int src = store_sync_conflicts(app->st, &app->actor, all, conflict_row, &x, &cause);
	if (src != SR_OK)
		rc = cli_store_error(src, cause);
	else if (x.n == 0 && x.fmt == FMT_TABLE)
		cli_out(MSG_SYNC_NO_CONFLICTS);
	else
		table_print(&x.t, x.fmt, stdout);
	table_free(&x.t);
	return rc;
}

static int sync_resolve(struct app *app, int argc, char **argv)
{
	const char *site = NULL, *comment = NULL;
	struct opt opts[] = {{"--site", &site, NULL}, {"--comment", &comment, NULL}};
	static const char *const names[] = {"UUID", "keep|take"};
	const char **pos = NULL;
	int rc = positional(argc, argv, opts, ARRAY_LEN(opts), names, 2, &pos);
	enum sync_choice how = SYNC_KEEP;
	uint32_t bad;
	if (rc == EXIT_DONE && str_eq(pos[1], "take"))
		how = SYNC_TAKE;
	else if (rc == EXIT_DONE && !str_eq(pos[1], "keep"))
		rc = cli_usage(MSG_SYNC_BAD_CHOICE, pos[1]);
	if (rc == EXIT_DONE && comment && text_check(comment, false, &bad) < 0) {
		char *why = msgf(MSG_V_BAD_CHAR, (unsigned)bad);
		cli_err(MSG_BAD_OPTION_VALUE, "--comment", why);
		free(why);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE) {
		char *cause = NULL;
		struct sync_rules rules;
		reg_sync_rules(&app->reg, &rules);
		int src = store_sync_resolve(app->st, &app->actor, app->cfg, &rules, pos[0], site, how,
					     comment, &cause);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
		else
			cli_out(how == SYNC_TAKE ? MSG_SYNC_RESOLVED_TAKE : MSG_SYNC_RESOLVED_KEEP, pos[0]);
	}
	free(pos);
	return rc;
}

/* Prints the database's public key as the section of sites.ini that a peer
 * adds, with its fingerprint to read out over the telephone. */
static void print_key(const struct app *app, const struct seal_public *pub, bool made)
{
	char text[SEAL_TEXT_LEN + 1], fp[SEAL_FINGERPRINT_LEN + 1];
	seal_public_text(pub, text);
	seal_fingerprint(pub, fp);
	const struct config *c = app->cfg;
	bool site = c->site_kind == SITE_SITE;
	cli_out(made ? MSG_SYNC_KEY_MADE : MSG_SYNC_KEY_HEAD);
	char *name = text_sanitize(c->site_name);
	printf("[site.%s]\nname = %s\nkind = %s\n", c->site_id, name, site ? "site" : "district");
	free(name);
	if (site)
		printf("townships =\n");
	printf("public_key = %s\n", text);
	cli_out(MSG_SYNC_KEY_FINGERPRINT, fp);
}

static int sync_keygen(struct app *app, int argc, char **argv)
{
	bool replace = false;
	struct opt opts[] = {{"--replace", NULL, &replace}};
	static const char *const names[] = {""};
	const char **pos = NULL;
	int rc = positional(argc, argv, opts, ARRAY_LEN(opts), names, 0, &pos);
	free(pos);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE)
		rc = admin_only(app);
	if (rc != EXIT_DONE)
		return rc;
	struct seal_public pub;
	char *cause = NULL;
	int src = store_sync_keygen(app->st, &app->actor, replace, &pub, &cause);
	if (src != SR_OK)
		return cli_store_error(src, cause);
	print_key(app, &pub, true);
	return EXIT_DONE;
}

static int sync_key(struct app *app, int argc, char **argv)
{
	static const char *const names[] = {""};
	const char **pos = NULL;
	int rc = positional(argc, argv, NULL, 0, names, 0, &pos);
	free(pos);
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc != EXIT_DONE)
		return rc;
	struct seal_public pub;
	bool have = false;
	char *cause = NULL;
	int src = store_sync_public_key(app->st, &pub, &have, &cause);
	if (src != SR_OK)
		return cli_store_error(src, cause);
	if (!have) {
		cli_err(MSG_SYNC_NO_KEYS);
		return EXIT_INVALID;
	}
	print_key(app, &pub, false);
	return EXIT_DONE;
}

static const struct {
	const char *name;
	int (*run)(struct app *app, int argc, char **argv);
} subcommands[] = {
	{"keygen", sync_keygen},
	{"key", sync_key},
	{"export", sync_export},
	{"import", sync_import},
	{"conflicts", sync_conflicts},
	{"resolve", sync_resolve},
};

int cmd_sync(struct app *app, int argc, char **argv)
{
	if (argc < 2) {
		fputs(msg(MSG_SYNC_USAGE), stderr);
		return cli_usage(MSG_MISSING_ARGUMENT, "keygen|key|export|import|conflicts|resolve");
	}
	for (size_t i = 0; i < ARRAY_LEN(subcommands); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(app, argc - 1, argv + 1);
	fputs(msg(MSG_SYNC_USAGE), stderr);
	return cli_usage(MSG_SYNC_BAD_SUBCOMMAND, argv[1]);
}
