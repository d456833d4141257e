/*
 * text.h - UTF-8 text as the rest of the program needs it: decoding,
 * counting characters, folding full-width forms from Chinese IMEs, and
 * spotting control and format characters that must never be stored or shown.
 * Works on bytes and code points only; it does not depend on the locale.
 */
#ifndef TALENTREG_TEXT_H
#define TALENTREG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TEXT_INVALID UINT32_MAX	/* the code point reported for a bad byte */

/* Decodes the character at s (at most n bytes). Returns the bytes it takes
 * (1 to 4) and sets *cp; an invalid or truncated sequence, an overlong form or
 * a surrogate takes 1 byte and sets *cp to TEXT_INVALID. n must be >= 1. */
int utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encodes cp into out (4 bytes at most); returns the bytes written. */
int utf8_encode(uint32_t cp, char out[4]);
/* Returns true when s is entirely valid UTF-8. */
bool utf8_valid(const char *s);
/* Returns the number of characters in s; each invalid byte counts as one. */
size_t utf8_chars(const char *s);

/* Returns true for characters that must not be stored in a text field:
 * C0 controls (tab and newline included), DEL, C1 controls, the bidi
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069, plus
 * U+200E, U+200F, U+061C), zero-width characters (U+200B-U+200D, U+2060,
 * U+FEFF), other invisible ones (the soft hyphen U+00AD, U+180E, the
 * invisible operators U+2061-U+2064, the annotation marks U+FFF9-U+FFFB and
 * the tag characters U+E0000-U+E007F), and TEXT_INVALID. */
bool text_forbidden(uint32_t cp);
/* Checks s for forbidden characters. allow_newline lets '\n' through (memo
 * fields). Returns 0 when clean; otherwise -1 and the first bad code point in
 * *bad (TEXT_INVALID for a bad byte). */
int text_check(const char *s, bool allow_newline, uint32_t *bad);

/* Returns a new string with full-width ASCII forms (U+FF01-U+FF5E) turned
 * into ASCII and the ideographic space U+3000 into a space; the caller frees
 * it. Invalid bytes are copied unchanged. */
char *text_fold_fullwidth(const char *s);
/* Returns a new copy of s without leading and trailing white space (ASCII
 * and U+3000); the caller frees it. */
char *text_trim(const char *s);

/* Returns a new copy of s safe to show on a terminal: each forbidden
 * character (see text_forbidden; newline too) and each invalid byte becomes
 * U+FFFD. Idempotent. The caller frees it. */
char *text_sanitize(const char *s);
/* Returns the number of terminal columns s takes (wide CJK characters 2,
 * combining marks 0); needs a UTF-8 LC_CTYPE. */
size_t text_width(const char *s);
/* Returns a new copy of s cut to at most `cols` columns, never splitting a
 * character; the caller frees it. */
char *text_clip(const char *s, size_t cols);
/* The same, but a text that does not fit ends in TEXT_MORE within the
 * columns, so that a cut is never silent. The caller frees it. */
char *text_clip_mark(const char *s, size_t cols);
/* The marker of a cut text. */
#define TEXT_MORE "\u2026"

struct strv;
/* Appends s to out as rows of at most `cols` columns, never splitting a
 * character: the first row from column 0, every further row after `indent`
 * spaces (a hanging indent, so a value wraps under itself). A row breaks at
 * its last space when that is past half the row, otherwise after its last
 * whole character; a newline in s breaks a row too. An empty s is one empty
 * row. Returns the number of rows appended. */
size_t text_wrap(const char *s, size_t cols, size_t indent, struct strv *out);

#endif
