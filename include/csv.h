/*
 * csv.h - CSV files as people make them (RFC 4180 and what Excel really
 * saves): UTF-8 with or without a BOM, or GB18030 (Chinese Excel's default),
 * CRLF or LF line ends, quoted fields holding commas, doubled quotes and line
 * breaks. Reading is two steps: csv_decode() turns the file's bytes into
 * UTF-8 text, then csv_read() takes one record at a time from that text.
 * Writing cells for Excel (BOM, CRLF, defused formulas) is here too, so the
 * reader and the writer agree on every escape.
 */
#ifndef TALENTREG_CSV_H
#define TALENTREG_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util.h"

enum csv_encoding { CSV_ENC_AUTO, CSV_ENC_UTF8, CSV_ENC_GB18030 };

/* Parses "auto", "utf-8" (or "utf8") or "gb18030" (or "gbk", a subset);
 * returns 0, or -1 when unknown. */
int csv_encoding_parse(const char *s, enum csv_encoding *out);
/* Returns the encoding's name as the command line spells it. */
const char *csv_encoding_name(enum csv_encoding e);

/* Turns the n bytes of a CSV file into NUL-terminated UTF-8 text without a
 * BOM: enc CSV_ENC_AUTO takes valid UTF-8 as UTF-8 and anything else as
 * GB18030 (through iconv). *used tells which it was. Returns 0 with *out a
 * new string (the caller frees it) and *outlen its length; or -1 with *cause
 * a new message (bytes that are not valid in the encoding, with the line;
 * a UTF-16 file; NUL bytes). */
int csv_decode(const char *bytes, size_t n, enum csv_encoding enc, char **out,
	       size_t *outlen, enum csv_encoding *used, char **cause);

/* A reader over decoded text; the text must outlive it. */
struct csv_reader {
	const char *p, *end;
	long records;		/* records read so far (the header counts) */
	long line;		/* the physical line the next record starts on */
};
void csv_reader_init(struct csv_reader *r, const char *text, size_t len);
/* Reads the next record into row (emptied first; each cell a new string).
 * An empty line is a record of one empty cell. Returns 1 when a record was
 * read, 0 at the end of the text, or -1 with *cause a new message when a
 * quoted field is never closed. */
int csv_read(struct csv_reader *r, struct strv *row, char **cause);
/* Returns how far the reader has got, in bytes from the start. */
size_t csv_offset(const struct csv_reader *r, const char *text);

/* Returns true when s would start a formula in a spreadsheet (= + - @, tab
 * or CR first) or is such a cell already defused (one or more ' before it). */
bool csv_needs_defuse(const char *s);
/* Undoes what csv_write_cell did to a cell, so that export then import gives
 * the original value back: ="digits" (a text cell for Excel) becomes digits,
 * and one ' before a defused formula-looking value goes. Returns a new string. */
char *csv_undo_cell(const char *s);

/* Writes s as one RFC 4180 field: quoted (quotes doubled) when it holds a
 * comma, quote or line break, as it is otherwise. No defusing: see
 * csv_write_cell for cells meant for Excel. */
void csv_field(FILE *out, const char *s);
/* Writes s as one CSV cell to out: a value that starts like a formula gets
 * a ' in front; as_text wraps a value of letters and digits as ="..." so
 * that Excel keeps it as text (18-digit ID numbers, leading zeros); quotes
 * the cell when it holds , " CR or LF. */
void csv_write_cell(FILE *out, const char *s, bool as_text);
/* Writes a whole row of n cells (as_text may be NULL) and a CRLF. */
void csv_write_row(FILE *out, const char *const *cells, const bool *as_text, size_t n);
/* The UTF-8 byte order mark Excel needs to read a CSV file as UTF-8. */
#define CSV_BOM "\xEF\xBB\xBF"

#endif
