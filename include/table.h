/*
 * table.h - the command line's output formats: an aligned text table
 * (measured in columns, so Chinese lines up), CSV (RFC 4180) and JSON
 * arrays of objects. Cells are copied; everything shown passes through
 * text_sanitize.
 */
#ifndef TALENTREG_TABLE_H
#define TALENTREG_TABLE_H

#include <stdio.h>

#include "util.h"

enum out_format { FMT_TABLE, FMT_CSV, FMT_JSON };


struct table {
	size_t ncols;
	struct strv keys;	/* JSON keys and CSV header */
	struct strv heads;	/* table headings */
	struct strv cells;	/* row-major */
	unsigned numeric;	/* bit i: column i holds numbers */
};

/* Starts a table with ncols columns: keys[i] names column i in JSON and
 * CSV, heads[i] heads it in the text table. */
void table_init(struct table *t, size_t ncols, const char *const *keys, const char *const *heads);
/* Marks column col as numbers: JSON writes its cells unquoted. */
void table_numeric(struct table *t, size_t col);
/* Adds one row of t->ncols cells (NULL cells print empty). */
void table_row(struct table *t, const char *const *cells);
/* Writes the table to out in the format; JSON and CSV carry raw values
 * (escaped), the text table sanitised values. */
void table_print(const struct table *t, enum out_format fmt, FILE *out);
void table_free(struct table *t);


#endif
