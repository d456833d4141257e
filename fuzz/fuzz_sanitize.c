/*
 * fuzz_sanitize.c - the display sanitiser and its UTF-8 helpers (text.c).
 *
 * text_sanitize() is what stands between stored data and the terminal, so
 * its output is checked against a reference written here from the words of
 * DESIGN.md and text.h, not from text.c: a strict RFC 3629 decoder (each
 * byte that does not start a well-formed character is one invalid unit) and
 * the list of forbidden code points. Properties:
 *   - the output is exactly the reference: every forbidden character and
 *     every invalid byte replaced by U+FFFD, everything else kept;
 *   - the output is valid UTF-8 and holds nothing text_forbidden();
 *   - sanitising the output again changes nothing (idempotent);
 *   - clean input comes back unchanged; text_check() agrees with the
 *     reference; utf8_valid() and utf8_chars() agree with the decoder;
 *   - text_clip() returns a prefix of whole characters no wider than asked;
 *     text_fold_fullwidth() leaves no U+FF01-U+FF5E; text_trim() leaves no
 *     white space at either end.
 */
#include <locale.h>
#include <stdbool.h>

#include "fuzz.h"
#include "text.h"

#define REF_INVALID 0xFFFFFFFFu

/* The reference decoder: the code point of the well-formed character at s
 * (n bytes left, n >= 1) and its length, or REF_INVALID and 1. Table 3-7
 * of the Unicode standard, spelled out. */
static int ref_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	int len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		*cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		*cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;	/* no overlong forms */
		if (c == 0xED)
			hi = 0x9F;	/* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		*cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;	/* nothing above U+10FFFF */
	} else {
		*cp = REF_INVALID;
		return 1;
	}
	if (n < (size_t)len || s[1] < lo || s[1] > hi) {
		*cp = REF_INVALID;
		return 1;
	}
	for (int i = 1; i < len; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF) {
			*cp = REF_INVALID;
			return 1;
		}
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	return len;
}

/* The reference list of what must never reach a terminal (DESIGN.md,
 * "Text"; text.h): C0 with tab and newline, DEL, C1, the bidi controls
 * and marks, the zero-width characters, and invalid bytes; and the other
 * invisible ones text.c now refuses: the soft hyphen, the Mongolian vowel
 * separator, the invisible operators U+2061-U+2064, the interlinear
 * annotation marks U+FFF9-U+FFFB and the tag characters U+E0000-U+E007F. */
static bool ref_forbidden(uint32_t cp)
{
	static const uint32_t single[] = {
		0x00AD, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF,
	};
	if (cp == REF_INVALID || cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F))
		return true;
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return true;
	if ((cp >= 0x2061 && cp <= 0x2064) || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
	    (cp >= 0xE0000 && cp <= 0xE007F))
		return true;
	for (size_t i = 0; i < sizeof single / sizeof single[0]; i++)
		if (cp == single[i])
			return true;
	return false;
}

/* Returns the reference sanitisation of s (a new string) and counts the
 * characters (invalid bytes included) and the forbidden ones. */
static char *ref_sanitize(const char *s, size_t *chars, size_t *bad, bool *valid)
{
	size_t n = strlen(s), o = 0;
	char *out = malloc(3 * n + 1);
	const unsigned char *u = (const unsigned char *)s;
	*chars = *bad = 0;
	*valid = true;
	while (n > 0) {
		uint32_t cp;
		int len = ref_decode(u, n, &cp);
		if (cp == REF_INVALID)
			*valid = false;
		if (ref_forbidden(cp)) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			++*bad;
		} else {
			memcpy(out + o, u, (size_t)len);
			o += (size_t)len;
		}
		++*chars;
		u += len;
		n -= (size_t)len;
	}
	out[o] = '\0';
	return out;
}

/* Returns true when s begins or ends with white space as text_trim sees it. */
static bool untrimmed(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return false;
	if (strchr(" \t\n\v\f\r", s[0]) || strchr(" \t\n\v\f\r", s[n - 1]))
		return true;
	return strncmp(s, "\xE3\x80\x80", 3) == 0 ||
	       (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* text_width() and text_clip() ask wcwidth(), which needs UTF-8 */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size);
	size_t chars, bad;
	bool valid;
	char *ref = ref_sanitize(in, &chars, &bad, &valid);

	char *out = text_sanitize(in);
	FUZZ_CHECK(strcmp(out, ref) == 0, "text_sanitize differs from the reference");
	FUZZ_CHECK(utf8_valid(out), "sanitised text is not valid UTF-8");
	uint32_t cp = 0;
	FUZZ_CHECK(text_check(out, false, &cp) == 0, "U+%04X left in sanitised text", (unsigned)cp);
	char *again = text_sanitize(out);
	FUZZ_CHECK(strcmp(again, out) == 0, "text_sanitize is not idempotent");
	FUZZ_CHECK(bad > 0 || strcmp(out, in) == 0, "clean text was changed");

	FUZZ_CHECK((text_check(in, false, &cp) == 0) == (bad == 0),
		   "text_check disagrees with the reference");
	FUZZ_CHECK(utf8_valid(in) == valid, "utf8_valid disagrees with the reference");
	FUZZ_CHECK(utf8_chars(in) == chars, "utf8_chars %zu, reference %zu", utf8_chars(in), chars);
	FUZZ_CHECK(utf8_chars(out) == chars, "sanitising changed the number of characters");

	/* clipping the sanitised text to a width taken from the input */
	size_t cols = size ? data[0] % 64 : 0;
	char *clip = text_clip(out, cols);
	size_t cl = strlen(clip);
	FUZZ_CHECK(strncmp(clip, out, cl) == 0, "text_clip is not a prefix");
	FUZZ_CHECK(utf8_valid(clip), "text_clip split a character");
	FUZZ_CHECK(text_width(clip) <= cols, "text_clip: %zu columns > %zu", text_width(clip), cols);
	FUZZ_CHECK(cl == strlen(out) || text_width(out) > cols || cols == 0,
		   "text_clip cut text that fits");

	char *folded = text_fold_fullwidth(in);
	const unsigned char *f = (const unsigned char *)folded;
	for (size_t i = 0, n = strlen(folded); i < n;) {
		uint32_t c;
		int len = ref_decode(f + i, n - i, &c);
		FUZZ_CHECK(c == REF_INVALID || c < 0xFF01 || c > 0xFF5E, "full-width U+%04X left", (unsigned)c);
		FUZZ_CHECK(c != 0x3000, "ideographic space left");
		i += (size_t)len;
	}
	char *trimmed = text_trim(in);
	FUZZ_CHECK(!untrimmed(trimmed), "text_trim left white space at an end");
	FUZZ_CHECK(strstr(in, trimmed) != NULL, "text_trim is not a part of its input");

	free(trimmed);
	free(folded);
	free(clip);
	free(again);
	free(out);
	free(ref);
	free(in);
	return 0;
}
