/*
 * table.c - prints rows as an aligned text table, CSV or JSON. Nothing from
 * the data reaches a terminal raw: the text table and, on a terminal, CSV
 * pass through the display sanitiser; JSON escapes every control, bidi and
 * invisible character (json_str).
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "record.h"
#include "text.h"

void table_init(struct table *t, size_t ncols, const char *const *keys, const char *const *heads)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	for (size_t i = 0; i < ncols; i++) {
		strv_add(&t->keys, keys[i]);
		strv_add(&t->heads, heads[i]);
	}
}

void table_numeric(struct table *t, size_t col)
{
	if (col < 32)
		t->numeric |= 1u << col;
}

void table_row(struct table *t, const char *const *cells)
{
	for (size_t i = 0; i < t->ncols; i++)
		strv_add(&t->cells, cells[i] ? cells[i] : "");
}

void table_free(struct table *t)
{
	strv_free(&t->keys);
	strv_free(&t->heads);
	strv_free(&t->cells);
}


/* Writes one CSV field; on a terminal through the display sanitiser, so
 * that no escape sequence in the data reaches it (a file or pipe gets the
 * value as stored). */
static void csv_cell(FILE *out, const char *s, bool tty)
{
	char *safe = tty ? text_sanitize(s) : NULL;
	csv_field(out, safe ? safe : s);
	free(safe);
}

static void print_csv(const struct table *t, FILE *out)
{
	bool tty = isatty(fileno(out));
	for (size_t i = 0; i < t->ncols; i++) {
		if (i)
			putc(',', out);
		csv_cell(out, t->keys.v[i], tty);
	}
	putc('\n', out);
	for (size_t i = 0; i < t->cells.n; i++) {
		csv_cell(out, t->cells.v[i], tty);
		putc((i + 1) % t->ncols ? ',' : '\n', out);
	}
}

static void print_json(const struct table *t, FILE *out)
{
	struct buf b = {0};
	buf_putc(&b, '[');
	for (size_t i = 0; i < t->cells.n; i++) {
		size_t col = i % t->ncols;
		if (col == 0)
			buf_puts(&b, i ? ",\n{" : "\n{");
		else
			buf_putc(&b, ',');
		json_str(&b, t->keys.v[col]);
		buf_putc(&b, ':');
		long n;
		if ((t->numeric >> col & 1) && str_to_long(t->cells.v[i], &n) == 0)
			buf_printf(&b, "%ld", n);
		else
			json_str(&b, t->cells.v[i]);
		if (col == t->ncols - 1)
			buf_putc(&b, '}');
	}
	buf_puts(&b, "\n]\n");
	fputs(b.s, out);
	buf_free(&b);
}

/* A text table's column (but the last, which needs no padding) is at most
 * this wide; longer cells are cut, ending in a marker (JSON and CSV carry
 * them whole). */
#define CELL_MAX_COLS 40

static void print_cell(FILE *out, const char *s, size_t width, bool last)
{
	char *safe = text_sanitize(s);
	char *cut = last ? xstrdup(safe) : text_clip_mark(safe, CELL_MAX_COLS);
	fputs(cut, out);
	if (!last)
		for (size_t w = text_width(cut); w < width + 2; w++)
			putc(' ', out);
	free(cut);
	free(safe);
}

static void print_text(const struct table *t, FILE *out)
{
	size_t *width = xcalloc(t->ncols, sizeof *width);
	for (size_t i = 0; i < t->ncols; i++)
		width[i] = text_width(t->heads.v[i]);
	for (size_t i = 0; i < t->cells.n; i++) {
		size_t w = text_width(t->cells.v[i]);
		if (w > CELL_MAX_COLS)
			w = CELL_MAX_COLS;
		if (w > width[i % t->ncols])
			width[i % t->ncols] = w;
	}
	for (size_t i = 0; i < t->ncols; i++)
		print_cell(out, t->heads.v[i], width[i], i == t->ncols - 1);
	putc('\n', out);
	for (size_t i = 0; i < t->cells.n; i++) {
		size_t col = i % t->ncols;
		print_cell(out, t->cells.v[i], width[col], col == t->ncols - 1);
		if (col == t->ncols - 1)
			putc('\n', out);
	}
	free(width);
}

void table_print(const struct table *t, enum out_format fmt, FILE *out)
{
	if (fmt == FMT_CSV)
		print_csv(t, out);
	else if (fmt == FMT_JSON)
		print_json(t, out);
	else
		print_text(t, out);
}
