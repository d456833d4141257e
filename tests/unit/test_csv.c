/*
 * test_csv.c - unit tests of csv.c: decoding (BOM, UTF-8, GB18030 bytes,
 * files that are not CSV text) and the reader (CRLF, LF, quoted commas,
 * quotes and line breaks, empty cells, a last line without its newline,
 * an unclosed quote), and the writer's escapes read back by the reader.
 */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "msg.h"

/* Decodes the n bytes of s (enc) and asserts the text and encoding used. */
static void expect_decoded(const char *s, size_t n, enum csv_encoding enc, const char *want,
			   enum csv_encoding want_used)
{
	char *out = NULL, *cause = NULL;
	size_t len = 0;
	enum csv_encoding used = CSV_ENC_AUTO;
	if (csv_decode(s, n, enc, &out, &len, &used, &cause) != 0)
		fail_msg("decode failed: %s", cause);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	assert_int_equal(used, want_used);
	free(out);
}

/* Asserts that decoding fails with a message containing part. */
static void expect_refused(const char *s, size_t n, enum csv_encoding enc, const char *part)
{
	char *out = NULL, *cause = NULL;
	size_t len = 0;
	enum csv_encoding used;
	assert_int_equal(csv_decode(s, n, enc, &out, &len, &used, &cause), -1);
	assert_null(out);
	if (strstr(cause, part) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", cause, part);
	free(cause);
}

static void test_decode_utf8(void **state)
{
	(void)state;
	expect_decoded("a,b\n", 4, CSV_ENC_AUTO, "a,b\n", CSV_ENC_UTF8);
	expect_decoded("\xEF\xBB\xBF姓名\r\n", 11, CSV_ENC_AUTO, "姓名\r\n", CSV_ENC_UTF8);
	expect_decoded("\xEF\xBB\xBF", 3, CSV_ENC_UTF8, "", CSV_ENC_UTF8);
	expect_decoded("", 0, CSV_ENC_AUTO, "", CSV_ENC_UTF8);
}

static void test_decode_gb18030(void **state)
{
	(void)state;
	/* 张三,宁远堡镇 in GB18030 (what Chinese Excel saves) */
	static const char gb[] = "\xD5\xC5\xC8\xFD,\xC4\xFE\xD4\xB6\xB1\xA4\xD5\xF2\r\n";
	expect_decoded(gb, sizeof gb - 1, CSV_ENC_AUTO, "张三,宁远堡镇\r\n", CSV_ENC_GB18030);
	expect_decoded(gb, sizeof gb - 1, CSV_ENC_GB18030, "张三,宁远堡镇\r\n", CSV_ENC_GB18030);
	/* GB18030's own BOM, a four-byte sequence (U+00C0) and one outside
	 * the BMP (U+1F600) */
	expect_decoded("\x84\x31\x95\x33" "\x81\x30\x86\x38" "\x94\x39\xFC\x36", 12,
		       CSV_ENC_GB18030, "À😀", CSV_ENC_GB18030);
	/* plain ASCII is the same in both */
	expect_decoded("a,1\n", 4, CSV_ENC_GB18030, "a,1\n", CSV_ENC_GB18030);
}

static void test_decode_refused(void **state)
{
	(void)state;
	msg_set_lang(LANG_EN);
	/* GB18030 bytes read as UTF-8: the line of the first bad byte */
	expect_refused("a\nb\n\xD5\xC5\n", 7, CSV_ENC_UTF8, "line 3");
	/* a BOM says UTF-8, so auto does not fall back to GB18030 */
	expect_refused("\xEF\xBB\xBF\xD5\xC5", 5, CSV_ENC_AUTO, "UTF-8");
	/* bytes that are not GB18030 either */
	expect_refused("ok\n\x80\n", 5, CSV_ENC_GB18030, "line 2");
	expect_refused("\xFF\xFEn\0a\0", 6, CSV_ENC_AUTO, "UTF-16");
	expect_refused("a\nb\0c", 5, CSV_ENC_AUTO, "line 2");
	msg_set_lang(LANG_ZH);
}

/* Reads every record of text (joined as "a|b" per record, records as
 * lines) and asserts the whole. */
static void expect_records(const char *text, const char *want, long want_records)
{
	struct csv_reader r;
	struct strv row = {0};
	struct buf b = {0};
	char *cause = NULL;
	buf_add(&b, "", 0);
	csv_reader_init(&r, text, strlen(text));
	int rc;
	while ((rc = csv_read(&r, &row, &cause)) == 1) {
		for (size_t i = 0; i < row.n; i++)
			buf_printf(&b, "%s[%s]", i ? "|" : "", row.v[i]);
		buf_putc(&b, '\n');
	}
	if (rc < 0)
		fail_msg("read failed: %s", cause);
	assert_string_equal(b.s, want);
	assert_int_equal(r.records, want_records);
	buf_free(&b);
	strv_free(&row);
}

static void test_read_line_ends(void **state)
{
	(void)state;
	expect_records("a,b\nc,d\n", "[a]|[b]\n[c]|[d]\n", 2);
	expect_records("a,b\r\nc,d\r\n", "[a]|[b]\n[c]|[d]\n", 2);
	expect_records("a,b\rc,d\r", "[a]|[b]\n[c]|[d]\n", 2);	/* old Mac */
	expect_records("a,b\r\nc,d", "[a]|[b]\n[c]|[d]\n", 2);	/* no last newline */
	expect_records("a\n\nb\n", "[a]\n[]\n[b]\n", 3);		/* an empty line */
	expect_records("", "", 0);
}

static void test_read_quoted(void **state)
{
	(void)state;
	expect_records("\"a,b\",c\n", "[a,b]|[c]\n", 1);
	expect_records("\"say \"\"hi\"\"\",x\n", "[say \"hi\"]|[x]\n", 1);
	expect_records("\"line1\r\nline2\",x\r\nnext\r\n", "[line1\r\nline2]|[x]\n[next]\n", 2);
	expect_records("\"\",\"\"\n", "[]|[]\n", 1);
	expect_records("\"a\"", "[a]\n", 1);			/* quoted, at the very end */
	/* what Excel keeps: text after a closing quote, a quote inside a cell */
	expect_records("\"a\"b,c\n", "[ab]|[c]\n", 1);
	expect_records("5\"3,x\n", "[5\"3]|[x]\n", 1);
}

static void test_read_empty_cells(void **state)
{
	(void)state;
	expect_records(",,\n", "[]|[]|[]\n", 1);
	expect_records("a,,c,\n", "[a]|[]|[c]|[]\n", 1);
	expect_records("a,\"\",c", "[a]|[]|[c]\n", 1);
}

static void test_read_lines_and_unclosed(void **state)
{
	(void)state;
	const char *text = "h1,h2\n\"x\ny\",z\nok,\"never\nclosed\n";
	struct csv_reader r;
	struct strv row = {0};
	char *cause = NULL;
	csv_reader_init(&r, text, strlen(text));
	assert_int_equal(csv_read(&r, &row, &cause), 1);
	assert_int_equal(r.line, 2);
	assert_int_equal(csv_read(&r, &row, &cause), 1);
	assert_int_equal(r.records, 2);
	assert_int_equal(r.line, 4);	/* the record took lines 2 and 3 */
	msg_set_lang(LANG_EN);
	assert_int_equal(csv_read(&r, &row, &cause), -1);
	assert_non_null(strstr(cause, "line 4"));
	msg_set_lang(LANG_ZH);
	free(cause);
	assert_int_equal(row.n, 0);
	assert_int_equal(csv_read(&r, &row, &cause), 0);
	strv_free(&row);
}

/* Writes v as a cell, reads the cell back and undoes the export's escapes:
 * the value must come back unchanged; the written text is returned. */
static char *round_trip(const char *v, bool as_text)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	csv_write_row(f, (const char *[]){v, "end"}, (const bool[]){as_text, false}, 2);
	fclose(f);
	struct csv_reader r;
	struct strv row = {0};
	char *cause = NULL;
	csv_reader_init(&r, text, len);
	assert_int_equal(csv_read(&r, &row, &cause), 1);
	assert_int_equal(row.n, 2);
	char *back = csv_undo_cell(row.v[0]);
	if (strcmp(back, v) != 0)
		fail_msg("\"%s\" came back as \"%s\" (written %s)", v, back, text);
	assert_string_equal(row.v[1], "end");
	free(back);
	strv_free(&row);
	return text;
}

static void test_write_defuses_formulas(void **state)
{
	(void)state;
	static const char *const risky[] = {"=1+1", "+8613800138000", "-5", "@SUM(A1)",
					    "\tx", "\rx", "=HYPERLINK(\"http://x\",\"y\")"};
	for (size_t i = 0; i < ARRAY_LEN(risky); i++) {
		char *text = round_trip(risky[i], false);
		/* the cell as a spreadsheet sees it starts with ', never the formula */
		const char *cell = text[0] == '"' ? text + 1 : text;
		if (cell[0] != '\'')
			fail_msg("\"%s\" written as %s", risky[i], text);
		free(text);
	}
	static const char *const plain[] = {"", "王小梅", "a,b", "say \"hi\"", "line\r\nbreak",
					    "'=already", "''-twice", "'quoted", "x=1", "1-2"};
	for (size_t i = 0; i < ARRAY_LEN(plain); i++)
		free(round_trip(plain[i], false));
	char *t = round_trip("plain", false);
	assert_string_equal(t, "plain,end\r\n");
	free(t);
}

static void test_write_ids_as_text(void **state)
{
	(void)state;
	char *t = round_trip("620302198506120028", true);
	assert_string_equal(t, "\"=\"\"620302198506120028\"\"\",end\r\n");
	free(t);
	free(round_trip("62030219850612002X", true));
	free(round_trip("93620302MA7XXXXX1B", true));
	free(round_trip("0937", true));		/* a leading zero */
	free(round_trip("not an id", true));	/* only letters and digits are wrapped */
	free(round_trip("", true));
	/* what a person types into a spreadsheet stays as typed */
	char *v = csv_undo_cell("=\"12\"+1");
	assert_string_equal(v, "=\"12\"+1");
	free(v);
}

static void test_encoding_names(void **state)
{
	(void)state;
	enum csv_encoding e;
	assert_int_equal(csv_encoding_parse("UTF-8", &e), 0);
	assert_int_equal(e, CSV_ENC_UTF8);
	assert_int_equal(csv_encoding_parse("gbk", &e), 0);
	assert_int_equal(e, CSV_ENC_GB18030);
	assert_int_equal(csv_encoding_parse("auto", &e), 0);
	assert_int_equal(e, CSV_ENC_AUTO);
	assert_int_equal(csv_encoding_parse("latin1", &e), -1);
	assert_string_equal(csv_encoding_name(CSV_ENC_GB18030), "gb18030");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_utf8),
		cmocka_unit_test(test_decode_gb18030),
		cmocka_unit_test(test_decode_refused),
		cmocka_unit_test(test_read_line_ends),
		cmocka_unit_test(test_read_quoted),
		cmocka_unit_test(test_read_empty_cells),
		cmocka_unit_test(test_read_lines_and_unclosed),
		cmocka_unit_test(test_write_defuses_formulas),
		cmocka_unit_test(test_write_ids_as_text),
		cmocka_unit_test(test_encoding_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
