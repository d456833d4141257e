/*
 * xlsx.h - writes one worksheet of an Excel workbook, row by row, through
 * libxlsxwriter (src/xlsx.c is the only file that includes it). Every cell
 * is written as a string (never a formula, so nothing needs defusing)
 * unless the caller marks its column numeric.
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
/* Writes the workbook out and frees x. Returns 0, or -1 with *cause a new
 * message (including a failure of any earlier row). */
int xlsx_close(struct xlsx *x, char **cause);

#endif
