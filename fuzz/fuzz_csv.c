/*
 * fuzz_csv.c - the CSV import path (csv.c): decoding a file's bytes
 * (auto, UTF-8, GB18030 through iconv) and splitting the text into records.
 *
 * Properties:
 *   - csv_decode either fails with a message or gives NUL-free, valid UTF-8
 *     of the length it reports, without a BOM; auto takes valid UTF-8 as
 *     UTF-8;
 *   - the reader always ends: every record moves it forward, the line
 *     count never goes back, an unclosed quote ends the text with a
 *     message, and every cell is valid UTF-8 when the text was;
 *   - what the reader read, the writer writes back so that the reader reads
 *     it again as one record with the same cells (after csv_undo_cell, and
 *     with the ="..." text form on every other column): the export and
 *     import of a spreadsheet agree on every escape and every formula
 *     defused.
 */
#include <stdbool.h>

#include "csv.h"
#include "fuzz.h"
#include "text.h"

#define MAX_RECORDS 100000

/* Writes row with csv_write_row, reads it back, and compares. */
static void round_trip(const struct strv *row)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL)
		abort();
	bool *as_text = calloc(row->n, sizeof *as_text);
	for (size_t i = 0; i < row->n; i++)
		as_text[i] = i % 2 == 1;
	csv_write_row(f, (const char *const *)row->v, as_text, row->n);
	fclose(f);
	FUZZ_CHECK(len >= 2 && memcmp(buf + len - 2, "\r\n", 2) == 0, "a row must end in CRLF");

	struct csv_reader r;
	struct strv back = {0};
	char *cause = NULL;
	csv_reader_init(&r, buf, len);
	int rc = csv_read(&r, &back, &cause);
	FUZZ_CHECK(rc == 1, "the written row does not read back (%d: %s)", rc, cause ? cause : "");
	FUZZ_CHECK(back.n == row->n, "%zu cells written, %zu read back", row->n, back.n);
	for (size_t i = 0; i < row->n; i++) {
		char *undone = csv_undo_cell(back.v[i]);
		FUZZ_CHECK(strcmp(undone, row->v[i]) == 0, "cell %zu: wrote \"%s\", read back \"%s\"",
			   i, row->v[i], undone);
		free(undone);
		/* nothing written starts a formula unless defused */
		const char *cell = back.v[i];
		FUZZ_CHECK(!(cell[0] && strchr("=+-@\t\r", cell[0])) ||
			   (cell[0] == '=' && cell[1] == '"'),
			   "cell %zu written as a live formula: \"%s\"", i, cell);
	}
	FUZZ_CHECK(csv_read(&r, &back, &cause) == 0, "the written row reads as more than one record");
	strv_free(&back);
	free(as_text);
	free(buf);
}

/* Reads all of text; checks the reader's progress and round-trips rows. */
static void read_all(const char *text, size_t len, bool utf8)
{
	struct csv_reader r;
	struct strv row = {0};
	csv_reader_init(&r, text, len);
	long last_line = 0;
	for (int n = 0;; n++) {
		char *cause = NULL;
		size_t before = csv_offset(&r, text);
		int rc = csv_read(&r, &row, &cause);
		FUZZ_CHECK(rc >= -1 && rc <= 1, "csv_read returned %d", rc);
		if (rc <= 0) {
			FUZZ_CHECK(rc == 0 || (cause != NULL && csv_offset(&r, text) == len),
				   "a failed read must say why and end the text");
			FUZZ_CHECK(row.n == 0, "cells left after the end");
			free(cause);
			break;
		}
		FUZZ_CHECK(csv_offset(&r, text) > before || len == 0, "csv_read made no progress");
		FUZZ_CHECK(csv_offset(&r, text) <= len, "csv_read ran past the text");
		FUZZ_CHECK(r.line > last_line, "line numbers went back");
		FUZZ_CHECK(r.records == n + 1, "record count %ld after %d", r.records, n + 1);
		FUZZ_CHECK(row.n >= 1, "a record without cells");
		last_line = r.line;
		for (size_t i = 0; i < row.n; i++)
			FUZZ_CHECK(!utf8 || utf8_valid(row.v[i]), "cell %zu is not valid UTF-8", i);
		round_trip(&row);
		FUZZ_CHECK(n < MAX_RECORDS, "too many records");
	}
	strv_free(&row);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum csv_encoding encs[] = {CSV_ENC_UTF8, CSV_ENC_GB18030, CSV_ENC_AUTO};
	char *texts[3] = {0};
	size_t lens[3] = {0};
	enum csv_encoding used[3];
	/* an exact copy, so that a read past the end is seen */
	char *bytes = malloc(size ? size : 1);
	if (size)
		memcpy(bytes, data, size);
	for (size_t e = 0; e < 3; e++) {
		char *cause = NULL;
		lens[e] = 7;
		used[e] = (enum csv_encoding)-1;
		int rc = csv_decode(bytes, size, encs[e], &texts[e], &lens[e], &used[e], &cause);
		if (rc < 0) {
			FUZZ_CHECK(rc == -1 && texts[e] == NULL && cause != NULL, "a failed decode must say why");
			free(cause);
			continue;
		}
		char *text = texts[e];
		FUZZ_CHECK(rc == 0 && text != NULL, "csv_decode returned %d", rc);
		FUZZ_CHECK(strlen(text) == lens[e], "decoded length %zu, strlen %zu", lens[e], strlen(text));
		FUZZ_CHECK(utf8_valid(text), "decoded text is not valid UTF-8");
		FUZZ_CHECK(lens[e] < 3 || memcmp(text, CSV_BOM, 3) != 0, "a BOM left in the text");
		FUZZ_CHECK(encs[e] == CSV_ENC_AUTO ? used[e] == CSV_ENC_UTF8 || used[e] == CSV_ENC_GB18030
						   : used[e] == encs[e], "wrong encoding reported");
		if (encs[e] != CSV_ENC_AUTO)
			read_all(text, lens[e], true);
	}
	/* auto is one of the two, and UTF-8 whenever UTF-8 works */
	if (texts[2]) {
		size_t k = used[2] == CSV_ENC_UTF8 ? 0 : 1;
		FUZZ_CHECK(texts[k] && lens[k] == lens[2] && memcmp(texts[k], texts[2], lens[2]) == 0,
			   "auto decoding differs from the encoding it names");
		FUZZ_CHECK(used[2] == CSV_ENC_UTF8 || texts[0] == NULL,
			   "auto took valid UTF-8 for GB18030");
	}
	for (size_t e = 0; e < 3; e++)
		free(texts[e]);
	free(bytes);
	return 0;
}
