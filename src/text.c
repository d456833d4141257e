/*
 * text.c - UTF-8 decoding and encoding, character counts, the list of
 * characters a text field must never hold, and the folding of full-width
 * forms that Chinese input methods produce. Strictly byte and code point
 * based (RFC 3629): no locale, no wchar_t, so results never depend on the
 * environment the program runs in.
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util.h"

/* Returns true when c is a UTF-8 continuation byte (10xxxxxx). */
static bool is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Returns the length a lead byte announces (2 to 4) and the bounds its
 * second byte must lie in, which is what rules out overlong forms (E0, F0),
 * surrogates (ED) and code points above U+10FFFF (F4); 0 for a bad lead. */
static int lead_info(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF) {
		if (c == 0xE0)
			*lo = 0xA0;
		else if (c == 0xED)
			*hi = 0x9F;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (c == 0xF0)
			*lo = 0x90;
		else if (c == 0xF4)
			*hi = 0x8F;
		return 4;
	}
	return 0;
}

int utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo, hi;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	int len = lead_info(u[0], &lo, &hi);
	if (len == 0 || n < (size_t)len || u[1] < lo || u[1] > hi)
		goto bad;
	uint32_t v = u[0] & (0x7F >> len);
	for (int i = 1; i < len; i++) {
		if (!is_cont(u[i]))
			goto bad;
		v = (v << 6) | (u[i] & 0x3F);
	}
	*cp = v;
	return len;
bad:
	*cp = TEXT_INVALID;
	return 1;
}

int utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | ((cp >> 18) & 0x07));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decodes the character at s, which is NUL-terminated; the terminator
 * stops a truncated sequence because it is not a continuation byte. */
static int decode_at(const char *s, uint32_t *cp)
{
	return utf8_decode(s, strnlen(s, 4), cp);
}

bool utf8_valid(const char *s)
{
	uint32_t cp;

	if (s == NULL)
		return true;
	while (*s) {
		s += decode_at(s, &cp);
		if (cp == TEXT_INVALID)
			return false;
	}
	return true;
}

size_t utf8_chars(const char *s)
{
	uint32_t cp;
	size_t n = 0;

	if (s == NULL)
		return 0;
	while (*s) {
		s += decode_at(s, &cp);
		n++;
	}
	return n;
}

bool text_forbidden(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return true;	/* C0, DEL, C1 */
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return true;	/* bidi embeddings, overrides, isolates */
	if (cp == 0x200E || cp == 0x200F || cp == 0x061C)
		return true;	/* bidi marks */
	if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)
		return true;	/* zero-width */
	if ((cp >= 0x2061 && cp <= 0x2064) || cp == 0x00AD || cp == 0x180E ||
	    (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0xE0000 && cp <= 0xE007F))
		return true;	/* invisible too: operators, soft hyphen, annotations, tags */
	return cp == TEXT_INVALID;
}

int text_check(const char *s, bool allow_newline, uint32_t *bad)
{
	uint32_t cp;

	while (*s) {
		s += decode_at(s, &cp);
		if (cp == '\n' && allow_newline)
			continue;
		if (text_forbidden(cp)) {
			*bad = cp;
			return -1;
		}
	}
	return 0;
}

char *text_fold_fullwidth(const char *s)
{
	struct buf b = {0};
	uint32_t cp;

	while (*s) {
		int len = decode_at(s, &cp);
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			buf_putc(&b, (char)(cp - 0xFEE0));
		else if (cp == 0x3000)
			buf_putc(&b, ' ');
		else
			buf_add(&b, s, (size_t)len);	/* an invalid byte too */
		s += len;
	}
	return buf_take(&b);
}

/* Returns the bytes of white space at s (ASCII or U+3000), 0 if none. */
static int space_len(const char *s)
{
	if (*s != '\0' && strchr(" \t\n\v\f\r", *s))
		return 1;
	return strncmp(s, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

char *text_trim(const char *s)
{
	const char *end, *p;
	uint32_t cp;
	int n;

	while ((n = space_len(s)) > 0)
		s += n;
	for (p = end = s; *p; ) {
		n = space_len(p);
		if (n == 0) {
			p += decode_at(p, &cp);
			end = p;
		} else {
			p += n;
		}
	}
	return xstrndup(s, (size_t)(end - s));
}

char *text_sanitize(const char *s)
{
	struct buf b = {0};
	size_t n = strlen(s);
	buf_add(&b, "", 0);
	while (n > 0) {
		uint32_t cp;
		int len = utf8_decode(s, n, &cp);
		if (text_forbidden(cp))
			buf_puts(&b, "\xEF\xBF\xBD");	/* U+FFFD */
		else
			buf_add(&b, s, (size_t)len);
		s += len;
		n -= (size_t)len;
	}
	return buf_take(&b);
}

/* Columns of one character: wcwidth, with 1 for what it does not know. */
static size_t cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : (size_t)w;
}

size_t text_width(const char *s)
{
	size_t cols = 0, n = strlen(s);
	while (n > 0) {
		uint32_t cp;
		int len = utf8_decode(s, n, &cp);
		cols += cp == TEXT_INVALID ? 1 : cp_width(cp);
		s += len;
		n -= (size_t)len;
	}
	return cols;
}

char *text_clip(const char *s, size_t cols)
{
	struct buf b = {0};
	size_t used = 0, n = strlen(s);
	buf_add(&b, "", 0);
	while (n > 0) {
		uint32_t cp;
		int len = utf8_decode(s, n, &cp);
		size_t w = cp == TEXT_INVALID ? 1 : cp_width(cp);
		if (used + w > cols)
			break;
		buf_add(&b, s, (size_t)len);
		used += w;
		s += len;
		n -= (size_t)len;
	}
	return buf_take(&b);
}

char *text_clip_mark(const char *s, size_t cols)
{
	if (text_width(s) <= cols)
		return text_clip(s, cols);
	size_t mw = text_width(TEXT_MORE);
	char *c = text_clip(s, cols > mw ? cols - mw : 0);
	char *m = cols >= mw ? xasprintf("%s%s", c, TEXT_MORE) : c;
	if (m != c)
		free(c);
	return m;
}

/* The bytes of the longest start of s (up to a newline) that fits in cols
 * columns, preferring to end after a space past half the row (and past the
 * first keep columns, a label's padding); *skip gets the bytes to pass over
 * after it (the newline or the spaces it broke at). */
static size_t row_end(const char *s, size_t cols, size_t keep, size_t *skip)
{
	size_t used = 0, at = 0, space = 0, n = strlen(s);
	*skip = 0;
	while (at < n && s[at] != '\n') {
		uint32_t cp;
		int len = utf8_decode(s + at, n - at, &cp);
		size_t w = cp == TEXT_INVALID ? 1 : cp_width(cp);
		if (used + w > cols) {
			if (at == 0)	/* wider than the row: take it anyway */
				return (size_t)len;
			if (space > 0 && used > cols / 2 && cp != ' ') {
				at = space;
			}
			while (s[at + *skip] == ' ')
				(*skip)++;
			return at;
		}
		used += w;
		at += (size_t)len;
		if (cp == ' ' && used > keep)	/* not the padding of a label */
			space = at;
	}
	if (at < n && s[at] == '\n')
		*skip = 1;
	return at;
}

size_t text_wrap(const char *s, size_t cols, size_t indent, struct strv *out)
{
	size_t rows = 0;
	if (indent >= cols)
		indent = 0;
	do {
		size_t room = rows ? cols - indent : cols, skip;
		size_t len = row_end(s, room ? room : 1, rows ? 0 : indent, &skip);
		char *row = xasprintf("%*s%.*s", rows ? (int)indent : 0, "", (int)len, s);
		strv_take(out, row);
		rows++;
		s += len + skip;
	} while (*s);
	return rows;
}
