/*
 * csv.c - reads CSV text as spreadsheets write it and writes cells that
 * spreadsheets read back safely. Decoding (BOM, UTF-8 or GB18030 through
 * iconv) is a separate step from splitting records, so the reader only ever
 * sees UTF-8. The reader is lenient where Excel is (a stray quote inside an
 * unquoted cell is kept as it is) and strict only where data would be lost
 * (a quoted cell that never closes would swallow the rest of the file).
 */
#include "csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "text.h"

int csv_encoding_parse(const char *s, enum csv_encoding *out)
{
	static const struct {
		const char *name;
		enum csv_encoding enc;
	} names[] = {
		{"auto", CSV_ENC_AUTO}, {"utf-8", CSV_ENC_UTF8}, {"utf8", CSV_ENC_UTF8},
		{"gb18030", CSV_ENC_GB18030}, {"gbk", CSV_ENC_GB18030}, {"gb2312", CSV_ENC_GB18030},
	};
	for (size_t i = 0; s && i < ARRAY_LEN(names); i++)
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].enc;
			return 0;
		}
	return -1;
}

const char *csv_encoding_name(enum csv_encoding e)
{
	return e == CSV_ENC_UTF8 ? "utf-8" : e == CSV_ENC_GB18030 ? "gb18030" : "auto";
}

/* Returns the 1-based line of byte offset off in s. */
static long line_of(const char *s, size_t off)
{
	long line = 1;
	for (size_t i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

/* Returns the offset of the first byte of s (n bytes) that is not valid
 * UTF-8, or n when all are. */
static size_t utf8_bad_at(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		int len = utf8_decode(s + i, n - i, &cp);
		if (cp == TEXT_INVALID)
			return i;
		i += (size_t)len;
	}
	return n;
}

/* Converts n bytes of GB18030 to UTF-8; on a bad byte returns -1 with the
 * offset of the bad byte in *bad. */
static int from_gb18030(const char *in, size_t n, struct buf *b, size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		*bad = 0;
		return -1;
	}
	char *src = (char *)in;
	size_t left = n;
	char chunk[16384];
	int rc = 0;
	while (left > 0) {
		char *dst = chunk;
		size_t room = sizeof chunk;
		size_t r = iconv(cd, &src, &left, &dst, &room);
		buf_add(b, chunk, sizeof chunk - room);
		if (r == (size_t)-1 && errno != E2BIG) {
			*bad = (size_t)(src - in);
			rc = -1;
			break;
		}
	}
	iconv_close(cd);
	return rc;
}

int csv_decode(const char *bytes, size_t n, enum csv_encoding enc, char **out,
	       size_t *outlen, enum csv_encoding *used, char **cause)
{
	*out = NULL;
	*outlen = 0;
	if (n >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') ||
		       (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
		*cause = xstrdup(msg(MSG_CSV_UTF16));
		return -1;
	}
	const char *nul = memchr(bytes, '\0', n);
	if (nul) {
		*cause = msgf(MSG_CSV_NUL, (int)line_of(bytes, (size_t)(nul - bytes)));
		return -1;
	}
	bool bom = false;
	while (n >= 3 && memcmp(bytes, CSV_BOM, 3) == 0) {	/* a file saved twice has two */
		bom = true;
		bytes += 3;
		n -= 3;
	}
	size_t bad = utf8_bad_at(bytes, n);
	if (enc == CSV_ENC_AUTO)
		enc = bad == n || bom ? CSV_ENC_UTF8 : CSV_ENC_GB18030;
	*used = enc;
	if (enc == CSV_ENC_UTF8) {
		if (bad != n) {
			*cause = msgf(MSG_CSV_BAD_BYTES, "UTF-8", (int)line_of(bytes, bad));
			return -1;
		}
		*out = xstrndup(bytes, n);
		*outlen = n;
		return 0;
	}
	struct buf b = {0};
	buf_add(&b, "", 0);
	if (from_gb18030(bytes, n, &b, &bad) < 0) {
		*cause = msgf(MSG_CSV_BAD_BYTES, "GB18030", (int)line_of(bytes, bad));
		buf_free(&b);
		return -1;
	}
	size_t skip = 0;
	while (b.len - skip >= 3 && memcmp(b.s + skip, CSV_BOM, 3) == 0)
		skip += 3;
	*outlen = b.len - skip;
	*out = xstrndup(b.s + skip, *outlen);
	buf_free(&b);
	return 0;
}

void csv_reader_init(struct csv_reader *r, const char *text, size_t len)
{
	r->p = text;
	r->end = text + len;
	r->records = 0;
	r->line = 1;
}

size_t csv_offset(const struct csv_reader *r, const char *text)
{
	return (size_t)(r->p - text);
}

/* Reads a quoted cell's content after its opening quote into b; returns
 * -1 when the text ends before the closing quote. */
static int read_quoted(struct csv_reader *r, struct buf *b)
{
	for (;;) {
		const char *q = memchr(r->p, '"', (size_t)(r->end - r->p));
		if (q == NULL)
			return -1;
		for (const char *s = r->p; s < q; s++)
			r->line += *s == '\n';
		buf_add(b, r->p, (size_t)(q - r->p));
		r->p = q + 1;
		if (r->p < r->end && *r->p == '"') {	/* "" inside: one quote */
			buf_putc(b, '"');
			r->p++;
			continue;
		}
		return 0;
	}
}

int csv_read(struct csv_reader *r, struct strv *row, char **cause)
{
	strv_free(row);
	if (r->p >= r->end)
		return 0;
	long start = r->line;
	struct buf cell = {0};
	for (;;) {
		buf_add(&cell, "", 0);
		if (r->p < r->end && *r->p == '"') {
			r->p++;
			if (read_quoted(r, &cell) < 0) {
				buf_free(&cell);
				strv_free(row);
				r->p = r->end;
				*cause = msgf(MSG_CSV_UNCLOSED, (int)start);
				return -1;
			}
		}
		/* the unquoted rest of the cell (after a closing quote too: Excel
		 * keeps such text, so do we) */
		const char *s = r->p;
		while (s < r->end && *s != ',' && *s != '\n' && *s != '\r')
			s++;
		buf_add(&cell, r->p, (size_t)(s - r->p));
		r->p = s;
		strv_take(row, buf_take(&cell));
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		break;
	}
	/* the record's end: CRLF, LF, a lone CR, or the end of the text */
	if (r->p < r->end && *r->p == '\r')
		r->p++;
	if (r->p < r->end && *r->p == '\n')
		r->p++;
	r->line++;
	r->records++;
	return 1;
}

bool csv_needs_defuse(const char *s)
{
	while (*s == '\'')
		s++;
	return *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
}

/* Returns true when s is one or more ASCII letters and digits. */
static bool alnum_only(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return false;
	}
	return true;
}

char *csv_undo_cell(const char *s)
{
	size_t n = strlen(s);
	if (n >= 4 && s[0] == '=' && s[1] == '"' && s[n - 1] == '"' && alnum_only(s + 2, n - 3))
		return xstrndup(s + 2, n - 3);
	if (s[0] == '\'' && csv_needs_defuse(s + 1))
		return xstrdup(s + 1);
	return xstrdup(s);
}

void csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	putc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', out);
		putc(*s, out);
	}
	putc('"', out);
}

void csv_write_cell(FILE *out, const char *s, bool as_text)
{
	if (s == NULL)
		return;
	if (as_text && alnum_only(s, strlen(s))) {
		fprintf(out, "\"=\"\"%s\"\"\"", s);
		return;
	}
	if (csv_needs_defuse(s)) {
		char *d = xasprintf("'%s", s);
		csv_field(out, d);
		free(d);
		return;
	}
	csv_field(out, s);
}

void csv_write_row(FILE *out, const char *const *cells, const bool *as_text, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc(',', out);
		csv_write_cell(out, cells[i], as_text && as_text[i]);
	}
	fputs("\r\n", out);
}
