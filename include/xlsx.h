/*
 * xlsx.h - writes worksheets of an Excel workbook, row by row, through
 * libxlsxwriter (src/xlsx.c is the only file that includes it). Every cell
 * is written as a string (never a formula, so nothing needs defusing)
 * unless the caller marks it a number or a date.
 */
#ifndef TALENTREG_XLSX_H
#define TALENTREG_XLSX_H

#include <stdbool.h>
#include <stddef.h>

struct xlsx;

/* Starts a workbook at path (created or truncated; the caller chooses the
 * file's mode by creating it first) with one worksheet named sheet (the
 * characters Excel forbids in sheet names are replaced). Returns 0, or -1
 * with *cause a new message. */
int xlsx_open(const char *path, const char *sheet, struct xlsx **out, char **cause);
/* Writes the heading row (bold, frozen) of n columns; wide[i] asks for a
 * wide column (ID numbers). */
void xlsx_header(struct xlsx *x, const char *const *cells, const bool *wide, size_t n);
/* Writes the next row of n cells; a cell of a numeric[i] column that is a
 * number becomes a number cell, every other cell a text cell. NULL cells
 * stay empty. */
void xlsx_row(struct xlsx *x, const char *const *cells, const bool *numeric, size_t n);
/* What a cell of xlsx_row_kinds holds: text, a number, or an ISO date
 * (YYYY-MM-DD) written as a date cell shown as yyyy-mm-dd. A cell that is
 * not what its kind says is written as text. */
enum xlsx_cell { XC_TEXT, XC_NUMBER, XC_DATE };
/* Writes the next row of n cells, each as kinds[i] says. */
void xlsx_row_kinds(struct xlsx *x, const char *const *cells, const enum xlsx_cell *kinds,
		    size_t n);
/* Starts another worksheet named sheet (as xlsx_open names it); the rows
 * after it go there. The sheet before it is finished. */
void xlsx_sheet(struct xlsx *x, const char *sheet);

/* Writes the workbook out and frees x. Returns 0, or -1 with *cause a new
 * message (including a failure of any earlier row). */
int xlsx_close(struct xlsx *x, char **cause);

#endif
