/*
 * cmd_import.c - import: a CSV file into one category, every row validated
 * as `add` validates a typed record; the good rows go in, in one
 * transaction, and the rows refused go to FILE.rejects.csv (a userfile.h
 * file: atomic, mode 0600).
 *
 * Import decisions (see MSG_USE_IMPORT_FULL):
 *   - headings are field keys or labels; an unknown heading stops the import
 *     (exit 2) before anything is read; a missing column leaves the field
 *     empty, so the rows fail on it only when the form requires it;
 *   - the status, row, field and reason columns are accepted and ignored,
 *     so an export, and a corrected rejects file, import as they are; with a
 *     category column (an export of every category) the rows of other
 *     categories are skipped, and the other categories' columns must be
 *     empty in the rows imported;
 *   - a row is rejected for any validation error, an unconfirmed warning,
 *     a value of a unique field already used (in the database or on an
 *     earlier row), the person already registered in the category (same),
 *     or a township outside the user's: such rows are counted apart and
 *     make the exit status 3 instead of 1; the good rows still go in;
 *   - rows are numbered as a spreadsheet numbers them: the heading is row 1,
 *     a cell with line breaks does not start a new row;
 *   - an .xlsx workbook is read as its first sheet shows it (xlsx_read.h),
 *     row numbers as Excel's; the rejects file is CSV all the same.
 *
 * `event import` (issue 15) reads a sign-in sheet (签到表) the same way,
 * into an event's attendees (events.h): its heading is the first row that
 * names the ID number (a title row above it, merged or not, is skipped),
 * its columns map to the fields of the category the event registers (the
 * common person fields when it registers nobody), and the columns a sheet
 * has for people to sign (序号, 签名, 签到时间, 备注) are ignored. Each row's
 * person is linked when registered, registered on the spot otherwise (with
 * the row's own fields); a person who attends already is counted, not
 * rejected; every other row the event refuses goes to the rejects file.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "csv.h"
#include "events.h"
#include "registry.h"
#include "xlsx_read.h"
#include "userfile.h"
#include "store_xfer.h"
#include "text.h"


/* ---- import ---- */

/* What a heading column holds, when not a field (index >= 0): nothing,
 * the category, a column to ignore, or a field of another category (only
 * in a file with a category column: an export of every category). */
enum { COL_NONE = -1, COL_CATEGORY = -2, COL_IGNORED = -3, COL_OTHER = -4 };

struct reject {
	long row;
	size_t off;		/* where the row starts in the text */
	char *fields, *reasons;
};

struct import {
	struct app *app;
	const struct form *f;
	bool dry_run, confirm;
	const char *path;
	char *text;		/* a CSV file's text, decoded */
	size_t len;
	bool is_xlsx;		/* else CSV */
	struct xlsx_rows x;	/* an .xlsx sheet's rows */
	size_t xnext;		/* the next of them to read */
	bool sheet;		/* a sign-in sheet: find the heading, ignore signing columns */
	struct event *ev;	/* a sign-in sheet's event */
	long linked, registered, already;
	struct strv header;
	int *col;		/* per heading: field index or COL_* */
	struct reg_batch *batch;	/* the rows accepted, saved together */
	long saved;		/* rows saved */
	struct reject *rej;
	size_t nrej;
	long read, denied, confirmed;
	long skipped;		/* rows of other categories */
	long lines;		/* line breaks in the text: the progress line's guess */
	bool progress;
};

/* One row's problems, as the rejects file shows them. */
struct problems {
	struct buf fields, reasons;
};

static void problem(struct problems *p, const char *label, const char *reason)
{
	if (!str_empty(label) && !(p->fields.s && strstr(p->fields.s, label)))
		buf_printf(&p->fields, "%s%s", p->fields.len ? "、" : "", label);
	buf_printf(&p->reasons, "%s%s%s%s", p->reasons.len ? "；" : "", label ? label : "",
		   str_empty(label) ? "" : "：", reason);
}

/* Takes a problem's message (freeing it). */
static void problem_take(struct problems *p, const char *label, char *reason)
{
	problem(p, label, reason);
	free(reason);
}

static const char *const category_names[] = {"类别", "category"};
static const char *const ignored_names[] = {"状态", "status", "行号", "row", "字段", "field",
					    "原因", "reason"};
/* what a sign-in sheet has for people to fill at the door */
static const char *const sheet_names[] = {"序号", "签名", "签字", "本人签字", "签到", "签到时间",
					  "备注", "no", "sign", "signature"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(s, list[i]) == 0)
			return true;
	return false;
}

/* Returns a new copy of a heading without spaces and a required marker. */
static char *clean_heading(const char *h)
{
	char *t = text_trim(h);
	size_t n = strlen(t);
	if (n >= 3 && strcmp(t + n - 3, "＊") == 0)
		t[n - 3] = '\0';
	else if (n >= 1 && t[n - 1] == '*')
		t[n - 1] = '\0';
	char *u = text_trim(t);
	free(t);
	return u;
}

/* Returns true when heading h names field fd: by its key or "label(key)"
 * (how an export of every category tells apart fields that share a label
 * or a key), or, unless strong, by its label. */
static bool heading_is(const struct field *fd, const char *h, bool strong)
{
	if (strcasecmp(fd->key, h) == 0 || (!strong && strcmp(fd->label, h) == 0))
		return true;
	size_t n = strlen(h), k = strlen(fd->key);
	return n > k + 2 && h[n - 1] == ')' && h[n - k - 2] == '(' &&
	       strncmp(h + n - k - 1, fd->key, k) == 0;
}

/* Returns the index of the field of f that heading h names, or -1. */
static int heading_field(const struct form *f, const char *h, bool strong)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (heading_is(&f->fields[i], h, strong))
			return (int)i;
	return -1;
}

/* Returns true when h names a field of a category other than f. */
static bool heading_other_form(const struct formset *fs, const struct form *f, const char *h)
{
	for (size_t k = 0; k < fs->n; k++)
		if (fs->v[k] != f && !fs->v[k]->abstract && heading_field(fs->v[k], h, false) >= 0)
			return true;
	return false;
}

/* Maps heading name (column i) that no key names to a field by its label,
 * or to a COL_* kind; returns -1 (printed) when it is unknown. A label that
 * a keyed column has already claimed belongs to another category. */
static int map_heading(struct import *im, size_t i, const char *name)
{
	const struct formset *fs = &im->app->cfg->forms;
	int fi = heading_field(im->f, name, false);
	bool claimed = false;
	for (size_t j = 0; fi >= 0 && j < im->header.n; j++)
		claimed |= j != i && im->col[j] == fi;
	if (fi >= 0 && !(claimed && heading_other_form(fs, im->f, name)))
		im->col[i] = fi;
	else if (*name == '\0')
		im->col[i] = COL_NONE;
	else if (in_list(name, category_names, ARRAY_LEN(category_names)))
		im->col[i] = COL_CATEGORY;
	else if (in_list(name, ignored_names, ARRAY_LEN(ignored_names)) ||
		 (im->sheet && in_list(name, sheet_names, ARRAY_LEN(sheet_names))))
		im->col[i] = COL_IGNORED;
	else if (heading_other_form(fs, im->f, name))
		im->col[i] = COL_OTHER;
	else {
		char *safe = text_sanitize(name);	/* from the file: no escape reaches the terminal */
		cli_err(MSG_IMPORT_UNKNOWN_COLUMN, (int)i + 1, safe, im->f->key);
		free(safe);
		return -1;
	}
	return 0;
}

/* Maps every heading to a field or a COL_* kind: first the headings that
 * name a field by key, then the rest. An unknown heading, a field named
 * twice, or another category's field without a category column is a usage
 * error. */
static int map_columns(struct import *im)
{
	const struct strv *h = &im->header;
	struct strv names = {0};
	im->col = xcalloc(h->n, sizeof *im->col);
	for (size_t i = 0; i < h->n; i++) {
		strv_take(&names, clean_heading(h->v[i]));
		im->col[i] = heading_field(im->f, names.v[i], true);
		if (im->col[i] < 0)
			im->col[i] = COL_NONE;
	}
	int rc = EXIT_DONE;
	for (size_t i = 0; i < h->n && rc == EXIT_DONE; i++)
		if (im->col[i] == COL_NONE && map_heading(im, i, names.v[i]) < 0)
			rc = EXIT_USAGE;
	bool has_category = false;
	for (size_t i = 0; i < h->n; i++)
		has_category |= im->col[i] == COL_CATEGORY;
	for (size_t i = 0; i < h->n && rc == EXIT_DONE; i++) {
		for (size_t j = 0; j < i && rc == EXIT_DONE; j++)
			if (im->col[i] >= 0 && im->col[j] == im->col[i]) {
				char *safe = text_sanitize(names.v[i]);
				cli_err(MSG_IMPORT_DUP_COLUMN, (int)i + 1, safe, (int)j + 1);
				free(safe);
				rc = EXIT_USAGE;
			}
		if (rc == EXIT_DONE && im->col[i] == COL_OTHER && !has_category) {
			char *safe = text_sanitize(names.v[i]);
			cli_err(MSG_IMPORT_UNKNOWN_COLUMN, (int)i + 1, safe, im->f->key);
			free(safe);
			rc = EXIT_USAGE;
		}
	}
	strv_free(&names);
	return rc;
}

/* Loads the person keys and the values of unique fields that the
 * category's live records hold, so each row is checked without a query. */
/* Starts the batch: the category's people and unique values, read once. */
static int batch_begin(struct import *im)
{
	char *cause = NULL;
	int src = reg_batch_begin(&im->app->reg, im->f, im->dry_run, &im->batch, &cause);
	return src == SR_OK ? EXIT_DONE : cli_store_error(src, cause);
}

/* Returns true when s holds nothing but white space (as text_trim sees it:
 * ASCII and the ideographic space U+3000). */
static bool blank(const char *s)
{
	for (; *s; s++) {
		if (strncmp(s, "\xE3\x80\x80", 3) == 0)
			s += 2;
		else if (*s != ' ' && (*s < '\t' || *s > '\r'))
			return false;
	}
	return true;
}

/* Reads the next row into cells: 1, 0 at the end, -1 (with *cause) for a
 * CSV quote never closed. *row is its number in the sheet, *pos where it
 * is (a CSV's byte offset, an .xlsx row's index). */
static int next_row(struct import *im, struct csv_reader *rd, struct strv *cells, long *row,
		    size_t *pos, char **cause)
{
	if (im->is_xlsx) {
		strv_free(cells);
		if (im->xnext >= im->x.n)
			return 0;
		const struct strv *r = &im->x.rows[im->xnext];
		for (size_t i = 0; i < r->n; i++)
			strv_add(cells, r->v[i]);
		*row = im->x.numbers[im->xnext];
		*pos = im->xnext++;
		return 1;
	}
	*pos = csv_offset(rd, im->text);
	int rc = csv_read(rd, cells, cause);
	*row = rd->records;
	return rc;
}

static bool row_blank(const struct strv *cells)
{
	for (size_t i = 0; i < cells->n; i++)
		if (!blank(cells->v[i]))
			return false;
	return true;
}

/* Reads the row's cells into vals and notes cells that have no place. */
static void row_values(struct import *im, const struct strv *cells, struct kv *vals,
		       struct problems *pb)
{
	for (size_t i = 0; i < cells->n; i++) {
		const char *c = cells->v[i];
		int col = i < im->header.n ? im->col[i] : COL_NONE;
		if (col >= 0 && (*c == '=' || *c == '\'')) {
			char *v = csv_undo_cell(c);
			kv_set(vals, im->f->fields[col].key, v);
			free(v);
		} else if (col >= 0 && *c) {
			kv_set(vals, im->f->fields[col].key, c);
		} else if (col == COL_CATEGORY && !blank(c)) {
			char *t = text_trim(c);
			if (!str_eq(t, im->f->key) && !str_eq(t, im->f->title))
				problem_take(pb, NULL, msgf(MSG_IMPORT_OTHER_CATEGORY, t, im->f->key));
			free(t);
		} else if (col == COL_OTHER && !blank(c)) {
			char *h = clean_heading(im->header.v[i]);
			problem_take(pb, h, msgf(MSG_IMPORT_NOT_IN_FORM, im->f->key));
			free(h);
		} else if (col == COL_NONE && !blank(c)) {
			problem_take(pb, NULL, msgf(MSG_IMPORT_EXTRA_CELL, (int)i + 1));
		}
	}
}

static const char *label_of(const struct form *f, const char *key)
{
	const struct field *fd = form_field(f, key);
	return fd ? fd->label : key;
}

/* The problems the registry found in a row: errors, and warnings unless
 * confirmed; a township outside the user's. */
static void row_problems(struct import *im, const struct reg_result *res, struct problems *pb)
{
	bool block = res->outcome == REG_UNCONFIRMED || (res->is.warnings && !im->confirm);
	for (size_t i = 0; i < res->is.n; i++) {
		const struct issue *it = &res->is.v[i];
		if (it->severity == SEV_ERROR)
			problem(pb, it->label, it->message);
		else if (block)
			problem_take(pb, it->label,
				     xasprintf("%s%s", it->message, msg(MSG_IMPORT_NEEDS_CONFIRM)));
	}
	if (res->outcome == REG_DENIED) {
		problem(pb, label_of(im->f, "township"), res->cause);
		im->denied++;
	}
}

static void add_reject(struct import *im, long row, size_t off, char *fields, char *reasons)
{
	im->rej = xrealloc(im->rej, (im->nrej + 1) * sizeof *im->rej);
	im->rej[im->nrej++] = (struct reject){row, off, fields, reasons};
}

/* Returns true when the row's category column names another category
 * than the one imported (a row of an export of every category). */
static bool other_category(const struct import *im, const struct strv *cells)
{
	for (size_t i = 0; i < cells->n && i < im->header.n; i++) {
		if (im->col[i] != COL_CATEGORY || blank(cells->v[i]))
			continue;
		char *t = text_trim(cells->v[i]);
		const struct formset *fs = &im->app->cfg->forms;
		bool other = false;
		for (size_t k = 0; k < fs->n; k++)
			other |= fs->v[k] != im->f && !fs->v[k]->abstract &&
				 (str_eq(t, fs->v[k]->key) || str_eq(t, fs->v[k]->title));
		free(t);
		return other;
	}
	return false;
}

/* Checks one data row (spreadsheet row number row, starting at byte off of
 * the text) and keeps it as accepted or rejected. */
static void import_row(struct import *im, const struct strv *cells, long row, size_t off)
{
	if (other_category(im, cells)) {
		im->skipped++;
		return;
	}
	im->read++;
	struct problems pb = {0};
	struct kv vals = {0};
	row_values(im, cells, &vals, &pb);
	struct reg_result res = {0};
	if (pb.reasons.len == 0) {
		struct reg_opts o = {.confirm = im->confirm};
		reg_batch_row(im->batch, &vals, row, &o, &res);
	} else {	/* a cell out of place: the row's values are still checked */
		validate_record(im->f, &vals, im->app->cfg, &im->app->today, &res.is);
	}
	row_problems(im, &res, &pb);
	im->confirmed += res.outcome == REG_ACCEPTED && res.confirmed;
	reg_result_free(&res);
	if (pb.reasons.len) {
		buf_add(&pb.fields, "", 0);
		add_reject(im, row, off, buf_take(&pb.fields), buf_take(&pb.reasons));
	}
	kv_free(&vals);
}

static void progress(struct import *im, long row, size_t off)
{
	if (!im->progress || row % 500 != 0)
		return;
	char *m = msgf(MSG_IMPORT_PROGRESS, (int)row, (int)(100.0 * (double)off / (double)im->len));
	fprintf(stderr, "\r%s\033[K", m);
	fflush(stderr);
	free(m);
}

/* Reads every data row after the header. A quote never closed stops it
 * all (exit 2): the rest of the file would be one cell. */
static void attend_row(struct import *im, const struct strv *cells, long row, size_t off);

static int import_rows(struct import *im, struct csv_reader *rd)
{
	struct strv cells = {0};
	char *cause = NULL;
	int rc;
	for (;;) {
		long row;
		size_t off;
		if ((rc = next_row(im, rd, &cells, &row, &off, &cause)) <= 0)
			break;
		if (!im->is_xlsx)
			progress(im, row, off);
		if (row_blank(&cells))
			continue;
		if (im->ev)
			attend_row(im, &cells, row, off);
		else
			import_row(im, &cells, row, off);
	}
	strv_free(&cells);
	if (rc < 0) {
		fprintf(stderr, "talentreg: %s: %s\n", im->path, cause);
		free(cause);
		return EXIT_USAGE;
	}
	return EXIT_DONE;
}

/* A row the store refused when the batch was saved (the person registered
 * by another session a moment ago): rejected; found again when the
 * rejects are written. */
static void refused(long row, int store_rc, const char *cause, void *arg)
{
	struct import *im = arg;
	const char *field = label_of(im->f, store_rc == SR_DUP ? "id_number" : "township");
	add_reject(im, row, SIZE_MAX, xstrdup(field), xasprintf("%s：%s", field, cause));
	im->denied += store_rc == SR_DENIED;
}

/* Saves the accepted rows, with their confirmed warnings, in one
 * transaction. */
static int import_save(struct import *im)
{
	size_t n = reg_batch_count(im->batch);
	if (im->progress) {
		char *m = msgf(MSG_IMPORT_SAVING, (int)n);
		fprintf(stderr, "\r%s\033[K", m);
		free(m);
	}
	size_t before = im->nrej;
	char *cause = NULL;
	int src = reg_batch_save(im->batch, refused, im, &cause);
	if (im->progress)
		fputs("\r\033[K", stderr);
	if (src != SR_OK)
		return cli_store_error(src, cause);
	im->saved = (long)n - (long)(im->nrej - before);
	return EXIT_DONE;
}

static int cmp_reject(const void *a, const void *b)
{
	const struct reject *x = a, *y = b;
	return (x->row > y->row) - (x->row < y->row);
}

/* Finds the byte offset of spreadsheet row `row` (for rows refused late). */
static size_t row_offset(struct import *im, long row)
{
	struct csv_reader rd;
	struct strv cells = {0};
	char *cause = NULL;
	csv_reader_init(&rd, im->text, im->len);
	size_t off = 0;
	while (rd.records < row - 1 && csv_read(&rd, &cells, &cause) > 0)
		off = csv_offset(&rd, im->text);
	strv_free(&cells);
	free(cause);
	return off;
}

/* Returns true when column i of the file holds ID-like values (written as
 * text for Excel). */
static bool text_column(const struct import *im, size_t i)
{
	int col = i < im->header.n ? im->col[i] : COL_NONE;
	if (col < 0)
		return false;
	enum ftype t = im->f->fields[col].type;
	return t == FT_ID_CARD || t == FT_PHONE || t == FT_USCC;
}

/* Writes one rejected row: row number, fields, reasons, the original cells. */
static void write_reject(struct import *im, FILE *out, const struct reject *rj)
{
	struct csv_reader rd;
	struct strv cells = {0};
	char *cause = NULL;
	if (im->is_xlsx) {	/* the row as the sheet shows it */
		for (size_t i = 0; i < im->x.n; i++)
			if (im->x.numbers[i] == rj->row)
				for (size_t k = 0; k < im->x.rows[i].n; k++)
					strv_add(&cells, im->x.rows[i].v[k]);
	} else {
		size_t off = rj->off == SIZE_MAX ? row_offset(im, rj->row) : rj->off;
		csv_reader_init(&rd, im->text + off, im->len - off);
		csv_read(&rd, &cells, &cause);
		free(cause);
	}
	char num[24];
	snprintf(num, sizeof num, "%ld", rj->row);
	csv_write_cell(out, num, false);
	putc(',', out);
	csv_write_cell(out, rj->fields, false);
	putc(',', out);
	csv_write_cell(out, rj->reasons, false);
	size_t n = cells.n > im->header.n ? cells.n : im->header.n;
	for (size_t i = 0; i < n; i++) {
		char *v = csv_undo_cell(i < cells.n ? cells.v[i] : "");
		putc(',', out);
		csv_write_cell(out, v, text_column(im, i));
		free(v);
	}
	fputs("\r\n", out);
	strv_free(&cells);
}

/* Writes FILE.rejects.csv (UTF-8 with BOM, CRLF, 0600), or removes a stale
 * one when nothing was rejected. */
static int write_rejects(struct import *im, const char *rpath)
{
	if (im->nrej == 0)
		return outfile_remove(im->app, rpath);
	qsort(im->rej, im->nrej, sizeof *im->rej, cmp_reject);
	struct outfile o;
	int rc = outfile_open(im->app, &o, rpath, true);
	if (rc != EXIT_DONE)
		return rc;
	fputs(CSV_BOM, o.f);
	const char *head[] = {msg(MSG_REJ_ROW), msg(MSG_REJ_FIELD), msg(MSG_REJ_REASON)};
	for (size_t i = 0; i < ARRAY_LEN(head); i++) {
		csv_write_cell(o.f, head[i], false);
		putc(',', o.f);
	}
	csv_write_row(o.f, (const char *const *)im->header.v, NULL, im->header.n);
	for (size_t i = 0; i < im->nrej; i++)
		write_reject(im, o.f, &im->rej[i]);
	return outfile_commit(&o);
}

static void import_free(struct import *im)
{
	free(im->text);
	xlsx_rows_free(&im->x);
	if (im->ev) {
		event_free(im->ev);
		free(im->ev);
	}
	strv_free(&im->header);
	free(im->col);
	reg_batch_free(im->batch);
	for (size_t i = 0; i < im->nrej; i++) {
		free(im->rej[i].fields);
		free(im->rej[i].reasons);
	}
	free(im->rej);
}

/* True when the cells name the ID number field of f (by key or label). */
static bool names_id(const struct form *f, const struct strv *cells)
{
	int id = form_field_index(f, "id_number");
	for (size_t i = 0; i < cells->n && id >= 0; i++) {
		char *h = clean_heading(cells->v[i]);
		bool is = heading_field(f, h, false) == id;
		free(h);
		if (is)
			return true;
	}
	return false;
}

/* Reads the heading row: the first row, or for a sign-in sheet the first
 * row that names the ID number within its first rows (a title above it). */
static int read_header(struct import *im, struct csv_reader *rd)
{
	char *cause = NULL;
	long row = 0;
	size_t pos;
	int rc;
	for (int tries = 0;; tries++) {
		rc = next_row(im, rd, &im->header, &row, &pos, &cause);
		if (rc <= 0 || !im->sheet || names_id(im->f, &im->header))
			break;
		if (tries >= 20) {
			rc = 0;
			break;
		}
	}
	if (rc == 0 || (rc > 0 && row_blank(&im->header))) {
		cli_err(im->sheet ? MSG_IMPORT_NO_ID_HEADER : MSG_IMPORT_NO_HEADER, im->path);
		return EXIT_USAGE;
	}
	if (rc < 0) {
		fprintf(stderr, "talentreg: %s: %s\n", im->path, cause);
		free(cause);
		return EXIT_USAGE;
	}
	return EXIT_DONE;
}

/* Reads the file: an .xlsx workbook's first sheet, or a CSV file decoded;
 * then its heading row. */
static int import_open(struct import *im, enum csv_encoding enc, struct csv_reader *rd)
{
	size_t n;
	char *bytes, *cause = NULL;
	int rc = infile_read(im->app, im->path, &bytes, &n);
	if (rc != EXIT_DONE)
		return rc;
	if (xlsx_is_zip(bytes, n)) {
		im->is_xlsx = true;
		rc = xlsx_read(bytes, n, (size_t)im->app->cfg->max_input_mb << 20, &im->x, &cause);
	} else {
		enum csv_encoding used;
		rc = csv_decode(bytes, n, enc, &im->text, &im->len, &used, &cause);
	}
	free(bytes);
	if (rc < 0) {
		fprintf(stderr, "talentreg: %s: %s\n", im->path, cause);
		free(cause);
		return EXIT_USAGE;
	}
	if (!im->is_xlsx) {
		csv_reader_init(rd, im->text, im->len);
		for (const char *p = im->text; (p = memchr(p, '\n', (size_t)(im->text + im->len - p)));
		     p++)
			im->lines++;
		im->progress = im->lines > 2000 && isatty(STDERR_FILENO);
	}
	return read_header(im, rd);
}

/* Prints the summary and returns the exit status. */
static int import_report(struct import *im, const char *rpath, int rc)
{
	if (im->dry_run)
		cli_out(MSG_IMPORT_DRY_SUMMARY, (int)im->read, (int)reg_batch_count(im->batch),
			(int)im->nrej);
	else
		cli_out(MSG_IMPORT_SUMMARY, (int)im->read, rc == EXIT_DONE ? (int)im->saved : 0,
			(int)im->nrej);
	if (im->nrej)
		cli_out(MSG_IMPORT_REJECTS, rpath);
	if (im->denied)
		cli_out(MSG_IMPORT_DENIED_ROWS, (int)im->denied);
	if (im->skipped)
		cli_out(MSG_IMPORT_SKIPPED, (int)im->skipped);
	if (im->confirmed && !im->dry_run && rc == EXIT_DONE)
		cli_err(MSG_IMPORT_CONFIRMED, (int)im->confirmed);
	if (rc != EXIT_DONE)
		return rc;
	return im->denied ? EXIT_DENIED : im->nrej ? EXIT_INVALID : EXIT_DONE;
}

/* ---- a sign-in sheet's attendees ---- */

/* One row of a sign-in sheet: its person linked, or registered on the
 * spot and linked (a dry run only checks), or rejected with why. */
static void attend_row(struct import *im, const struct strv *cells, long row, size_t off)
{
	im->read++;
	struct problems pb = {0};
	struct kv vals = {0};
	row_values(im, cells, &vals, &pb);
	const char *idl = label_of(im->f, "id_number");
	if (pb.reasons.len == 0) {
		const char *id = kv_get(&vals, "id_number");
		struct attend_result r;
		ev_attend(&im->app->reg, im->ev, id ? id : "", &vals, "sheet", im->confirm,
			  im->dry_run, &r);
		switch (r.outcome) {
		case AT_LINKED:
			im->linked++;
			break;
		case AT_REGISTERED:
			im->registered++;
			break;
		case AT_ALREADY:
			im->already++;
			break;
		case AT_NEW:
			if (im->dry_run && r.res.is.errors == 0 && (im->confirm || r.res.is.warnings == 0)) {
				im->registered++;	/* would be registered */
			} else {
				if (im->dry_run && r.res.is.errors == 0)
					r.res.outcome = REG_UNCONFIRMED;
				row_problems(im, &r.res, &pb);
			}
			break;
		case AT_BAD_ID:
			row_problems(im, &r.res, &pb);
			break;
		case AT_NOBODY:
			problem_take(&pb, idl, xstrdup(msg(MSG_EVENT_NOT_REGISTERED)));
			break;
		case AT_DENIED:
			problem(&pb, NULL, r.res.cause ? r.res.cause : msg(MSG_ERROR));
			im->denied++;
			break;
		default:
			problem(&pb, NULL, r.res.cause ? r.res.cause : msg(MSG_ERROR));
		}
		attend_result_free(&r);
	}
	if (pb.reasons.len) {
		buf_add(&pb.fields, "", 0);
		add_reject(im, row, off, buf_take(&pb.fields), buf_take(&pb.reasons));
	}
	kv_free(&vals);
}

/* The form a sheet's columns map to: the category the event registers,
 * else the common person fields. */
static const struct form *sheet_form(const struct config *c, const struct form *type)
{
	const struct form *f = ev_category(c, type);
	for (size_t i = 0; f == NULL && i < c->forms.n; i++)
		if (c->forms.v[i]->abstract && form_field(c->forms.v[i], "id_number"))
			f = c->forms.v[i];
	return f;
}

int import_attendance(struct app *app, int argc, char **argv)
{
	const char **pos, *encoding = NULL;
	int npos;
	struct import im = {.app = app, .sheet = true};
	struct opt opts[] = {{"--encoding", &encoding, NULL}, {"--dry-run", NULL, &im.dry_run},
			     {"--confirm", NULL, &im.confirm}};
	enum csv_encoding enc = CSV_ENC_AUTO;
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	if (rc == EXIT_DONE && npos < 2)
		rc = cli_usage(MSG_MISSING_ARGUMENT, npos < 1 ? "EVENT" : "FILE");
	else if (rc == EXIT_DONE && npos > 2)
		rc = cli_usage(MSG_EXTRA_ARGUMENT, pos[2]);
	if (rc == EXIT_DONE && encoding && csv_encoding_parse(encoding, &enc) < 0) {
		cli_err(MSG_BAD_OPTION_VALUE, "--encoding", encoding);
		rc = EXIT_USAGE;
	}
	/* the file is read after the group is given up (priv.c) */
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	char *cause = NULL;
	if (rc == EXIT_DONE) {
		int src = store_event_get(app->st, &app->actor, pos[0], &im.ev, &cause);
		if (src != SR_OK)
			rc = cli_store_error(src, cause);
	}
	if (rc == EXIT_DONE &&
	    (im.f = sheet_form(app->cfg, config_event_type(app->cfg, im.ev->type))) == NULL)
		rc = cli_usage(MSG_EVENT_UNKNOWN_TYPE, im.ev->type);
	if (rc == EXIT_DONE)
		im.path = pos[1];
	free(pos);
	struct csv_reader rd;
	if (rc == EXIT_DONE)
		rc = import_open(&im, enc, &rd);
	if (rc == EXIT_DONE)
		rc = map_columns(&im);
	if (rc == EXIT_DONE)
		rc = import_rows(&im, &rd);
	if (rc != EXIT_DONE) {
		import_free(&im);
		return rc;
	}
	char *rpath = xasprintf("%s.rejects.csv", im.path);
	int wrc = write_rejects(&im, rpath);
	cli_out(im.dry_run ? MSG_ATTEND_DRY_SUMMARY : MSG_ATTEND_SUMMARY, (int)im.read,
		(int)(im.linked + im.registered), (int)im.registered, (int)im.already, (int)im.nrej);
	if (im.nrej)
		cli_out(MSG_IMPORT_REJECTS, rpath);
	rc = im.denied ? EXIT_DENIED : im.nrej ? EXIT_INVALID : EXIT_DONE;
	free(rpath);
	import_free(&im);
	return wrc != EXIT_DONE ? wrc : rc;
}

int cmd_import(struct app *app, int argc, char **argv)
{
	const char **pos, *encoding = NULL;
	int npos;
	struct import im = {.app = app};
	struct opt opts[] = {{"--encoding", &encoding, NULL}, {"--dry-run", NULL, &im.dry_run},
			     {"--confirm", NULL, &im.confirm}};
	enum csv_encoding enc = CSV_ENC_AUTO;
	int rc = opts_parse(argc, argv, opts, ARRAY_LEN(opts), &pos, &npos);
	if (rc == EXIT_DONE && npos < 2)
		rc = cli_usage(MSG_MISSING_ARGUMENT, npos < 1 ? "CATEGORY" : "FILE");
	else if (rc == EXIT_DONE && npos > 2)
		rc = cli_usage(MSG_EXTRA_ARGUMENT, pos[2]);
	if (rc == EXIT_DONE && encoding && csv_encoding_parse(encoding, &enc) < 0) {
		cli_err(MSG_BAD_OPTION_VALUE, "--encoding", encoding);
		rc = EXIT_USAGE;
	}
	if (rc == EXIT_DONE && (im.f = cli_form(app, pos[0])) == NULL)
		rc = EXIT_USAGE;
	if (rc == EXIT_DONE)
		im.path = pos[1];
	free(pos);
	struct csv_reader rd;
	/* who acts is settled, and the group given up, before the file is
	 * read: it is read with the caller's own rights (priv.c) */
	if (rc == EXIT_DONE)
		rc = app_open(app, false);
	if (rc == EXIT_DONE)
		rc = import_open(&im, enc, &rd);
	if (rc == EXIT_DONE)
		rc = map_columns(&im);
	if (rc == EXIT_DONE)
		rc = batch_begin(&im);
	if (rc == EXIT_DONE)
		rc = import_rows(&im, &rd);
	if (rc != EXIT_DONE) {
		import_free(&im);
		return rc;
	}
	if (!im.dry_run)
		rc = import_save(&im);
	char *rpath = xasprintf("%s.rejects.csv", im.path);
	int wrc = write_rejects(&im, rpath);
	rc = import_report(&im, rpath, rc);
	free(rpath);
	import_free(&im);
	return wrc != EXIT_DONE ? wrc : rc;
}
