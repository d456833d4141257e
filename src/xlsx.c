/*
 * xlsx.c - the Excel export's writer over libxlsxwriter: one worksheet, a
 * bold frozen heading row, text cells for everything that is not a number
 * (so an 18-digit ID number or a phone is never rounded or turned into a
 * formula). Runs in libxlsxwriter's constant-memory mode: rows are flushed
 * as they are written, so a large export does not grow the process.
 */
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "msg.h"
#include "util.h"

struct xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *date;
	lxw_row_t row;
	lxw_error err;		/* the first failure of a write, 0 none */
	char *path;
};

/* Returns a new copy of name usable as a sheet name: no []:*?/\ and at most
 * 31 characters. */
static char *sheet_name(const char *name)
{
	struct buf b = {0};
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p && chars < 31; chars++) {
		size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
		if (strchr("[]:*?/\\", *p))
			buf_putc(&b, '_');
		else
			buf_add(&b, (const char *)p, strnlen((const char *)p, len));
		p += strnlen((const char *)p, len);
	}
	if (b.len == 0)
		buf_puts(&b, "Sheet1");
	return buf_take(&b);
}

int xlsx_open(const char *path, const char *sheet, struct xlsx **out, char **cause)
{
	*out = NULL;
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	char *name = sheet_name(sheet ? sheet : "");
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, name) : NULL;
	free(name);
	if (ws == NULL) {
		*cause = msgf(MSG_XLSX_FAILED, path, wb ? "worksheet" : "workbook_new");
		if (wb)
			workbook_close(wb);
		return -1;
	}
	struct xlsx *x = xcalloc(1, sizeof *x);
	x->wb = wb;
	x->ws = ws;
	x->bold = workbook_add_format(wb);
	format_set_bold(x->bold);
	x->date = workbook_add_format(wb);
	format_set_num_format(x->date, "yyyy-mm-dd");
	x->path = xstrdup(path);
	*out = x;
	return 0;
}

static void keep_err(struct xlsx *x, lxw_error e)
{
	if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
		x->err = e;
}

void xlsx_header(struct xlsx *x, const char *const *cells, const bool *wide, size_t n)
{
	for (size_t i = 0; i < n && i < LXW_COL_MAX; i++) {
		double width = wide && wide[i] ? 22 : 2.2 * (double)strlen(cells[i]) / 3 + 4;
		keep_err(x, worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i,
						 width < 10 ? 10 : width, NULL));
	}
	for (size_t i = 0; i < n && i < LXW_COL_MAX; i++)
		keep_err(x, worksheet_write_string(x->ws, x->row, (lxw_col_t)i, cells[i], x->bold));
	worksheet_freeze_panes(x->ws, x->row + 1, 0);	/* under the heading */
	x->row++;
}

void xlsx_row(struct xlsx *x, const char *const *cells, const bool *numeric, size_t n)
{
	enum xlsx_cell *kinds = xcalloc(n + 1, sizeof *kinds);	/* XC_TEXT */
	for (size_t i = 0; numeric && i < n; i++)
		if (numeric[i])
			kinds[i] = XC_NUMBER;
	xlsx_row_kinds(x, cells, kinds, n);
	free(kinds);
}

void xlsx_row_kinds(struct xlsx *x, const char *const *cells, const enum xlsx_cell *kinds,
		    size_t n)
{
	if (x->row >= LXW_ROW_MAX) {
		keep_err(x, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
		return;
	}
	for (size_t i = 0; i < n && i < LXW_COL_MAX; i++) {
		const char *v = cells[i];
		double d;
		int y, m, day;
		char end;
		if (str_empty(v))
			continue;
		lxw_col_t col = (lxw_col_t)i;
		if (kinds[i] == XC_NUMBER && str_to_double(v, &d) == 0) {
			keep_err(x, worksheet_write_number(x->ws, x->row, col, d, NULL));
		} else if (kinds[i] == XC_DATE &&
			   sscanf(v, "%4d-%2d-%2d%c", &y, &m, &day, &end) == 3) {
			lxw_datetime dt = {y, m, day, 0, 0, 0};
			keep_err(x, worksheet_write_datetime(x->ws, x->row, col, &dt, x->date));
		} else {
			keep_err(x, worksheet_write_string(x->ws, x->row, col, v, NULL));
		}
	}
	x->row++;
}

void xlsx_sheet(struct xlsx *x, const char *sheet)
{
	char *name = sheet_name(sheet ? sheet : "");
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	free(name);
	if (ws == NULL) {
		keep_err(x, LXW_ERROR_SHEETNAME_ALREADY_USED);
		return;
	}
	x->ws = ws;
	x->row = 0;
}

int xlsx_close(struct xlsx *x, char **cause)
{
	lxw_error e = workbook_close(x->wb);
	if (x->err != LXW_NO_ERROR)
		e = x->err;
	int rc = 0;
	if (e != LXW_NO_ERROR) {
		*cause = msgf(MSG_XLSX_FAILED, x->path, lxw_strerror(e));
		rc = -1;
	}
	free(x->path);
	free(x);
	return rc;
}
