/*
 * xlsx_read.h - reads the first worksheet of an Excel workbook (.xlsx)
 * held in memory, as rows of text cells, each cell as the sheet shows it:
 * shared and inline strings as they are, a number as Excel's General
 * format shows it (an ID number stored as a number is 6.20302E+17, as a
 * CSV saved by Excel has it, and is refused as such), a number of a date
 * format as an ISO date. libzip opens the container from the buffer
 * (zip_source_buffer) and expat parses its XML: no file is written, and
 * src/xlsx_read.c is the only file that includes them.
 */
#ifndef TALENTREG_XLSX_READ_H
#define TALENTREG_XLSX_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* The rows of a sheet that hold something: rows[i] with its number in the
 * sheet (1 for the first row) in numbers[i], in the sheet's order; a row's
 * cells from column A, empty where the sheet has none. */
struct xlsx_rows {
	struct strv *rows;
	long *numbers;
	size_t n;
};

/* At most this many columns in a row: a sign-in sheet has a dozen. */
#define XLSX_MAX_COLS 256

/* True when the n bytes at data start as a zip file does (an .xlsx). */
bool xlsx_is_zip(const void *data, size_t n);
/* Reads the first worksheet of the workbook in the n bytes at data into
 * out (zeroed first). No part of it may unpack to more than max_bytes, nor
 * the sheet's cells in all (each counted with what keeping it costs) come
 * to more; no cell may hold more than Excel's 32,767 characters.
 * Returns 0, or -1 with *cause a new message (not a workbook, a part
 * missing or too large, XML that is not well-formed, too many columns, a
 * cell too long, cells too many);
 * out is the caller's to free either way. */
int xlsx_read(const void *data, size_t n, size_t max_bytes, struct xlsx_rows *out,
	      char **cause);
void xlsx_rows_free(struct xlsx_rows *r);
/* Writes number v as Excel's General format shows it (at most 11
 * characters: 123, 0.5, 6.20302E+17) into out, which holds 32 bytes. */
void xlsx_general(double v, char out[32]);

#endif
