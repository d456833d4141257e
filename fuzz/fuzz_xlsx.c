/*
 * fuzz_xlsx.c - the .xlsx reader of sign-in sheets and imports
 * (xlsx_read.c): libzip over the bytes, expat over the parts.
 *
 * Input: a whole file (starting PK), read as it is; or the XML of the
 * parts, cut at lines "%%": the sheet, the shared strings, the styles,
 * the workbook (missing ones are small valid parts), which the harness
 * packs into a zip with libzip, so that the XML parsers are fuzzed behind
 * a valid container.
 *
 * Properties:
 *   - xlsx_read returns 0 with no cause, or -1 with one;
 *   - rows come in the sheet's order with increasing numbers from 1 to
 *     1,048,576, none empty, none wider than XLSX_MAX_COLS, every cell
 *     valid UTF-8 (what expat hands over, and the numbers written);
 *   - a number written as Excel's General shows it fits in 11 characters
 *     and reads back within half a unit of its last digit shown (at least
 *     3 digits: a three-digit exponent leaves fewer than 6).
 */
#include <math.h>
#include <zip.h>

#include "fuzz.h"
#include "text.h"
#include "xlsx_read.h"

#define LIMIT (8u << 20)

static const char *const defaults[] = {
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	"<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>",
	"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>身份证号</t></si></sst>",
	"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	"<numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/></numFmts>"
	"<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"1\"/></cellXfs></styleSheet>",
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<sheets><sheet name=\"签到表\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
};
static const char *const names[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
				    "xl/styles.xml", "xl/workbook.xml"};
static const char rels[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"</Relationships>";

/* Packs the parts into a zip made in memory; returns its bytes (free them). */
static char *pack(char *parts[4], size_t lens[4], size_t *n)
{
	zip_error_t e;
	zip_error_init(&e);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &e);
	if (src == NULL)
		abort();
	zip_source_keep(src);
	zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &e);
	if (z == NULL)
		abort();
	for (int i = 0; i < 4; i++) {
		zip_source_t *s = zip_source_buffer(z, parts[i], lens[i], 0);
		if (s == NULL || zip_file_add(z, names[i], s, 0) < 0)
			abort();
	}
	zip_source_t *r = zip_source_buffer(z, rels, sizeof rels - 1, 0);
	if (r == NULL || zip_file_add(z, "xl/_rels/workbook.xml.rels", r, 0) < 0)
		abort();
	if (zip_close(z) < 0)
		abort();
	zip_stat_t st;
	if (zip_source_open(src) < 0 || zip_source_stat(src, &st) < 0)
		abort();
	char *buf = malloc(st.size + 1);
	zip_int64_t got = zip_source_read(src, buf, st.size);
	FUZZ_CHECK(got == (zip_int64_t)st.size, "the zip made in memory reads back short");
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&e);
	*n = st.size;
	return buf;
}

static void check_rows(const struct xlsx_rows *r)
{
	long last = 0;
	for (size_t i = 0; i < r->n; i++) {
		FUZZ_CHECK(r->numbers[i] > last && r->numbers[i] <= 1048576, "row %zu numbered %ld after %ld",
			   i, r->numbers[i], last);
		last = r->numbers[i];
		FUZZ_CHECK(r->rows[i].n <= XLSX_MAX_COLS, "row %ld has %zu cells", last, r->rows[i].n);
		bool any = false;
		for (size_t k = 0; k < r->rows[i].n; k++) {
			FUZZ_CHECK(utf8_valid(r->rows[i].v[k]), "cell %zu of row %ld is not UTF-8", k, last);
			any |= r->rows[i].v[k][0] != '\0';
		}
		FUZZ_CHECK(any, "row %ld is empty", last);
	}
}

static void check_general(const uint8_t *data, size_t size)
{
	double v;
	if (size < sizeof v)
		return;
	memcpy(&v, data, sizeof v);
	if (!isfinite(v) || fabs(v) > 1e300 || (v != 0 && fabs(v) < 1e-300))
		return;
	char out[32];
	xlsx_general(v, out);
	FUZZ_CHECK(strlen(out) <= 11, "%.17g shown as %s (%zu characters)", v, out, strlen(out));
	double back = strtod(out, NULL);
	/* within half a unit of the last digit shown: 6.20302E+17 has 6
	 * digits, -2.458E+255 (a three-digit exponent) 4, and never fewer
	 * than 3 (trailing zeros are not shown) */
	double tol = fabs(v) * 1e-4 + 1e-4;
	const char *e = strchr(out, 'E');
	if (e) {
		int digits = 0;
		for (const char *c = out; c < e; c++)
			digits += *c >= '0' && *c <= '9';
		/* -1.6E-180 is -1.600E-180 with its zeros dropped */
		tol = fabs(v) * 0.51 * pow(10, 1 - (digits > 3 ? digits : 3));
	}
	FUZZ_CHECK(fabs(back - v) <= tol, "%.17g shown as %s", v, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xlsx_rows r;
	char *cause = NULL, *zipped = NULL;
	const void *bytes = data;
	size_t n = size;
	check_general(data, size);
	if (!xlsx_is_zip(data, size)) {
		char *text = fuzz_cstr(data, size), *parts[4];
		size_t lens[4];
		char *p = text;
		for (int i = 0; i < 4; i++) {
			char *cut = p ? strstr(p, "\n%%\n") : NULL;
			if (cut)
				*cut = '\0';
			parts[i] = p && *p ? p : (char *)defaults[i];
			lens[i] = strlen(parts[i]);
			p = cut ? cut + 4 : NULL;
		}
		zipped = pack(parts, lens, &n);
		bytes = zipped;
		free(text);
	}
	int rc = xlsx_read(bytes, n, LIMIT, &r, &cause);
	FUZZ_CHECK(rc == 0 || rc == -1, "xlsx_read returned %d", rc);
	FUZZ_CHECK((rc == 0) == (cause == NULL), "a result %d with cause %s", rc, cause ? cause : "none");
	if (rc == 0)
		check_rows(&r);
	xlsx_rows_free(&r);
	free(cause);
	free(zipped);
	return 0;
}
