/*
 * cmd_export.c - export: the records the user may view, of one category or
 * of every one, as CSV (UTF-8 with a BOM, for Excel), xlsx or JSON Lines.
 * The file is a userfile.h output (atomic, mode 0600, never in the data
 * folder), and the export is recorded in the audit before the file is
 * put in place: an export that cannot be recorded is never seen.
 * Without --category the columns are the union of every form's fields,
 * headed so that the file imports back as it is (see cmd_import.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "store_xfer.h"
#include "userfile.h"
#include "xlsx.h"

enum xformat { XF_CSV, XF_XLSX, XF_JSONL };

/* Pseudo field keys of the export's own columns. */
#define KEY_CATEGORY "\001category"
#define KEY_STATUS "\001status"

struct export {
	struct app *app;
	const struct form *only;	/* --category, NULL for all */
	enum xformat fmt;
	struct strv keys, heads;	/* one per column */
	bool *as_text, *numeric;
	const char **cells;
	FILE *out;
	struct xlsx *x;
	long n;
};

static void add_column(struct export *ex, const char *key, const char *head)
{
	strv_add(&ex->keys, key);
	strv_add(&ex->heads, head);
}

/* Returns true when another category's field shares fd's key but not its
 * label, or its label but not its key: a heading "label" would then be
 * ambiguous in an export of every category. */
static bool ambiguous(const struct formset *fs, const struct field *fd)
{
	for (size_t k = 0; k < fs->n; k++)
		for (size_t i = 0; !fs->v[k]->abstract && i < fs->v[k]->nfields; i++) {
			const struct field *o = &fs->v[k]->fields[i];
			if (str_eq(o->key, fd->key) != str_eq(o->label, fd->label))
				return true;
		}
	return false;
}

/* The columns: (类别,) the fields in form order, the union of every form's
 * fields without --category, then 状态. In the union a field whose label
 * or key another category's field shares is headed "label(key)", so that
 * every heading maps back to one field when imported. */
static void export_columns(struct export *ex)
{
	const struct formset *fs = &ex->app->cfg->forms;
	if (ex->only == NULL)
		add_column(ex, KEY_CATEGORY, msg(MSG_COL_CATEGORY));
	for (size_t k = 0; k < fs->n; k++) {
		const struct form *f = fs->v[k];
		if (f->abstract || (ex->only && f != ex->only))
			continue;
		for (size_t i = 0; i < f->nfields; i++) {
			const struct field *fd = &f->fields[i];
			if (strv_has(&ex->keys, fd->key))
				continue;
			char *head = !ex->only && ambiguous(fs, fd)
					     ? xasprintf("%s(%s)", fd->label, fd->key)
					     : xstrdup(fd->label);
			add_column(ex, fd->key, head);
			free(head);
		}
	}
	add_column(ex, KEY_STATUS, msg(MSG_COL_STATUS));
	size_t n = ex->keys.n;
	ex->as_text = xcalloc(n, sizeof *ex->as_text);
	ex->numeric = xcalloc(n, sizeof *ex->numeric);
	ex->cells = xcalloc(n, sizeof *ex->cells);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < fs->n; k++) {
			const struct field *fd = form_field(fs->v[k], ex->keys.v[i]);
			if (fd == NULL)
				continue;
			ex->as_text[i] = fd->type == FT_ID_CARD || fd->type == FT_PHONE ||
					 fd->type == FT_USCC;
			ex->numeric[i] = fd->type == FT_INT || fd->type == FT_DECIMAL;
			break;
		}
}

static int export_row(const struct record *r, void *arg)
{
	struct export *ex = arg;
	ex->n++;
	if (ex->fmt == XF_JSONL) {
		struct buf b = {0};
		record_json_head(&b, r);
		buf_puts(&b, ",\"values\":");
		kv_to_json(&r->vals, &b);
		buf_puts(&b, "}\n");
		fputs(b.s, ex->out);
		buf_free(&b);
		return 0;
	}
	const struct form *f = formset_find(&ex->app->cfg->forms, r->category);
	for (size_t i = 0; i < ex->keys.n; i++) {
		const char *k = ex->keys.v[i];
		ex->cells[i] = str_eq(k, KEY_CATEGORY) ? (f ? f->title : r->category)
			     : str_eq(k, KEY_STATUS)   ? status_label(r->status)
						       : kv_get(&r->vals, k);
	}
	if (ex->fmt == XF_CSV)
		csv_write_row(ex->out, ex->cells, ex->as_text, ex->keys.n);
	else
		xlsx_row(ex->x, ex->cells, ex->numeric, ex->keys.n);
	return 0;
}

/* Chooses the format: --format, else the output's extension, else csv. */
static int export_format(const char *format, const char *output, enum xformat *out)
{
	static const char *const names[] = {"csv", "xlsx", "jsonl"};
	const char *dot = strrchr(output, '.');
	int f = dot ? cli_format_find(dot + 1, names, ARRAY_LEN(names)) : -1;
	int rc = cli_format(format, names, ARRAY_LEN(names), f < 0 ? XF_CSV : f, &f);
	*out = (enum xformat)f;
	return rc;
}

/* Writes the records into the temp file o. */
static int export_write(struct export *ex, struct outfile *o)
{
	char *cause = NULL;
	if (ex->fmt == XF_XLSX) {
		const char *sheet = ex->only ? ex->only->title : msg(MSG_EXPORT_SHEET);
		if (xlsx_open(o->name, sheet, &ex->x, &cause) < 0) {
			fprintf(stderr, "talentreg: %s\n", cause);
			free(cause);
			return EXIT_BROKEN;
		}
		xlsx_header(ex->x, (const char *const *)ex->heads.v, ex->as_text, ex->heads.n);
	} else if (ex->fmt == XF_CSV) {
		fputs(CSV_BOM, ex->out);
		csv_write_row(ex->out, (const char *const *)ex->heads.v, NULL, ex->heads.n);
	}
	int src = store_export_each(ex->app->st, &ex->app->actor, ex->only ? ex->only->key : NULL,
				    export_row, ex, &cause);
	int rc = src == SR_OK ? EXIT_DONE : cli_store_error(src, cause);
	if (ex->x) {
		cause = NULL;
		if (xlsx_close(ex->x, &cause) < 0 && rc == EXIT_DONE) {
			fprintf(stderr, "talentreg: %s\n", cause);
			rc = EXIT_BROKEN;
		}
		free(cause);
		ex->x = NULL;
	}
	return rc;
}

/* Records the export in the audit. */
static int export_audit(struct export *ex, const char *output, const char *format)
{
	char *detail = xasprintf("format=%s records=%ld category=%s file=%s", format, ex->n,
				 ex->only ? ex->only->key : "*", output);
	char *cause = NULL;
	int src = store_audit(ex->app->st, &ex->app->actor, action_name(ACT_EXPORT), detail, &cause);
	free(detail);
	return src == SR_OK ? EXIT_DONE : cli_store_error(src, cause);
}

int cmd_export(struct app *app, int argc, char **argv)
{
	const char *cat = NULL, *format = NULL, *output = NULL;
	struct opt opts[] = {{"--category", &cat, NULL}, {"--format", &format, NULL},
			     {"--output", &output, NULL}};
	struct export ex = {.app = app};
	int rc = opts_only(argc, argv, opts, ARRAY_LEN(opts));
	if (rc == EXIT_DONE && str_empty(output))
		rc = cli_usage(MSG_MISSING_ARGUMENT, "--output");
	if (rc == EXIT_DONE)
		rc = export_format(format, output, &ex.fmt);
	if (rc == EXIT_DONE && cat && (ex.only = cli_form(app, cat)) == NULL)
		rc = EXIT_USAGE;
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	enum msg_id why = MSG_DENIED_ROLE;
	if (rc == EXIT_DONE && auth_check(app->me, ACT_EXPORT, NULL, &why) < 0) {
		cli_err(MSG_DENIED, msg(why));
		rc = EXIT_DENIED;
	}
	struct outfile o;
	if (rc == EXIT_DONE)
		rc = outfile_open(app, &o, output, ex.fmt != XF_XLSX);
	if (rc == EXIT_DONE) {
		static const char *const fnames[] = {"csv", "xlsx", "jsonl"};
		ex.out = o.f;
		export_columns(&ex);
		rc = export_write(&ex, &o);
		/* recorded first: a file that is never recorded is never placed */
		if (rc == EXIT_DONE)
			rc = export_audit(&ex, output, fnames[ex.fmt]);
		if (rc == EXIT_DONE)
			rc = outfile_commit(&o);
		else
			outfile_abort(&o);
	}
	if (rc == EXIT_DONE)
		cli_out(MSG_EXPORT_DONE, (int)ex.n, output);
	strv_free(&ex.keys);
	strv_free(&ex.heads);
	free(ex.as_text);
	free(ex.numeric);
	free(ex.cells);
	return rc;
}
