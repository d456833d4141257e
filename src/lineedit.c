/*
 * lineedit.c - the editing model of one form field: an array of code points,
 * a cursor between them and a horizontal scroll, all measured so that a
 * two-column Chinese character is never cut in half. No curses here: the
 * screens ask ledit_visible() what to draw and where the cursor goes.
 *
 * Widths come from wcwidth(), so the program must run with a UTF-8 LC_CTYPE.
 * Storage grows by doubling, and a paste is decoded once and moved into place
 * with a single memmove, so long pastes stay linear.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lineedit.h"
#include "text.h"
#include "util.h"

/* Makes room for at least `need` characters. */
static void reserve(struct ledit *e, size_t need)
{
	size_t cap = e->cap ? e->cap : 16;

	if (need <= e->cap)
		return;
	while (cap < need) {
		if (cap > SIZE_MAX / 2 / sizeof(*e->cp))
			cap = need;	/* xrealloc then fails cleanly */
		else
			cap *= 2;
	}
	e->cp = xrealloc(e->cp, cap * sizeof(*e->cp));
	e->cap = cap;
}

size_t ledit_cp_width(uint32_t cp)
{
	int w;

	if (cp > 0x10FFFF)
		return 1;	/* not a character; keep the arithmetic sane */
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : (size_t)w;
}

/* Returns true when cp may be typed or pasted into a field. */
static bool acceptable(uint32_t cp)
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return false;
	if (text_forbidden(cp))
		return false;
	return ledit_cp_width(cp) > 0;
}

void ledit_set(struct ledit *e, const char *utf8)
{
	size_t len = utf8 ? strlen(utf8) : 0;

	e->n = 0;
	reserve(e, len + 1);	/* never more characters than bytes */
	while (len > 0) {
		uint32_t cp;
		int k = utf8_decode(utf8, len, &cp);
		if (cp != TEXT_INVALID)
			e->cp[e->n++] = cp;
		utf8 += k;
		len -= (size_t)k;
	}
	e->cur = e->n;
	e->scroll = 0;
	e->dirty = false;
}

char *ledit_text(const struct ledit *e)
{
	char *s = xmalloc(e->n * 4 + 1), *p = s;

	for (size_t i = 0; i < e->n; i++)
		p += utf8_encode(e->cp[i], p);
	*p = '\0';
	return s;
}

void ledit_free(struct ledit *e)
{
	free(e->cp);
	memset(e, 0, sizeof(*e));
}

bool ledit_insert(struct ledit *e, uint32_t cp)
{
	if (!acceptable(cp) || (e->max_chars && e->n >= e->max_chars))
		return false;
	reserve(e, e->n + 1);
	memmove(e->cp + e->cur + 1, e->cp + e->cur,
		(e->n - e->cur) * sizeof(*e->cp));
	e->cp[e->cur++] = cp;
	e->n++;
	e->dirty = true;
	return true;
}

size_t ledit_insert_str(struct ledit *e, const char *utf8)
{
	size_t len = strlen(utf8), room = SIZE_MAX, got = 0;
	uint32_t *tmp;

	if (e->max_chars)
		room = e->max_chars > e->n ? e->max_chars - e->n : 0;
	if (len == 0 || room == 0)
		return 0;
	tmp = xmalloc(len * sizeof(*tmp));	/* never more characters than bytes */
	while (len > 0 && got < room) {
		uint32_t cp;
		int k = utf8_decode(utf8, len, &cp);
		if (acceptable(cp))
			tmp[got++] = cp;
		utf8 += k;
		len -= (size_t)k;
	}
	if (got > 0) {
		reserve(e, e->n + got);
		memmove(e->cp + e->cur + got, e->cp + e->cur,
			(e->n - e->cur) * sizeof(*e->cp));
		memcpy(e->cp + e->cur, tmp, got * sizeof(*tmp));
		e->n += got;
		e->cur += got;
		e->dirty = true;
	}
	free(tmp);
	return got;
}

void ledit_left(struct ledit *e)
{
	if (e->cur > 0)
		e->cur--;
}

void ledit_right(struct ledit *e)
{
	if (e->cur < e->n)
		e->cur++;
}

void ledit_home(struct ledit *e)
{
	e->cur = 0;
}

void ledit_end(struct ledit *e)
{
	e->cur = e->n;
}

bool ledit_backspace(struct ledit *e)
{
	if (e->cur == 0)
		return false;
	e->cur--;
	return ledit_delete(e);
}

bool ledit_delete(struct ledit *e)
{
	if (e->cur >= e->n)
		return false;
	memmove(e->cp + e->cur, e->cp + e->cur + 1,
		(e->n - e->cur - 1) * sizeof(*e->cp));
	e->n--;
	e->dirty = true;
	return true;
}

void ledit_clear(struct ledit *e)
{
	if (e->n > 0)
		e->dirty = true;
	e->n = e->cur = e->scroll = 0;
}

/* Columns the cursor needs at e->cur: the whole character under it, or one
 * column at the end of the text; never more than the field. */
static size_t cursor_need(const struct ledit *e, size_t width)
{
	size_t need = e->cur < e->n ? ledit_cp_width(e->cp[e->cur]) : 1;

	if (need == 0)
		need = 1;
	return need < width ? need : width;
}

/* The smallest scroll at which the characters before the cursor plus what
 * the cursor needs fit in `width` columns. Walks back at most one field. */
static size_t min_scroll(const struct ledit *e, size_t width)
{
	size_t used = cursor_need(e, width), s = e->cur;

	while (s > 0) {
		size_t w = ledit_cp_width(e->cp[s - 1]);
		if (used + w > width)
			break;
		used += w;
		s--;
	}
	return s;
}

/* Scrolls back left when the text from scroll to its end (plus a column for
 * a cursor at the end) leaves room, so deleting near the end does not leave
 * the field half empty while text hides to its left. Bounded by the width. */
static void fill_left(struct ledit *e, size_t width)
{
	size_t used = 1;	/* the end-of-text cursor column */

	for (size_t i = e->scroll; i < e->n; i++) {
		used += ledit_cp_width(e->cp[i]);
		if (used > width)
			return;
	}
	while (e->scroll > 0) {
		size_t w = ledit_cp_width(e->cp[e->scroll - 1]);
		if (used + w > width)
			break;
		used += w;
		e->scroll--;
	}
}

void ledit_visible(struct ledit *e, size_t width, size_t *first, size_t *count,
		   size_t *cursor_col)
{
	size_t col = 0, i, s;

	assert(e->cur <= e->n);
	if (e->scroll > e->cur)
		e->scroll = e->cur;	/* the cursor moved before the field */
	if (width == 0) {
		*first = e->scroll;
		*count = 0;
		*cursor_col = 0;
		return;
	}
	s = min_scroll(e, width);
	if (e->scroll < s)
		e->scroll = s;	/* the cursor passed the right edge */
	fill_left(e, width);
	/* Never start the field with a combining mark cut from its base. */
	while (e->scroll < e->cur && ledit_cp_width(e->cp[e->scroll]) == 0)
		e->scroll++;

	for (i = e->scroll; i < e->cur; i++)
		col += ledit_cp_width(e->cp[i]);
	*cursor_col = col < width ? col : width - 1;

	col = 0;
	for (i = e->scroll; i < e->n; i++) {
		size_t w = ledit_cp_width(e->cp[i]);
		if (col + w > width)
			break;	/* shown whole or not at all */
		col += w;
	}
	*first = e->scroll;
	*count = i - e->scroll;
}
