/*
 * lineedit.h - the text of one form field while it is edited: code points,
 * a cursor, and a horizontal scroll measured in terminal columns, so that
 * Chinese (two columns a character) edits and clips correctly. Pure logic
 * with no terminal: the screens draw what ledit_visible() says.
 */
#ifndef TALENTREG_LINEEDIT_H
#define TALENTREG_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ledit {
	uint32_t *cp;	/* the characters */
	size_t n, cap;
	size_t cur;	/* cursor: index of the character it stands before (0..n) */
	size_t scroll;	/* index of the first character shown */
	size_t max_chars;	/* 0: no limit; insert refuses beyond it */
	bool dirty;	/* changed since ledit_set */
};

/* Replaces the text with utf8 (invalid bytes dropped), cursor at the end,
 * dirty cleared. */
void ledit_set(struct ledit *e, const char *utf8);
/* Returns the text as a new UTF-8 string; the caller frees it. */
char *ledit_text(const struct ledit *e);
void ledit_free(struct ledit *e);

/* Inserts cp at the cursor. Refuses (returns false) control and format
 * characters (text_forbidden), characters of zero width, and anything beyond
 * max_chars. */
bool ledit_insert(struct ledit *e, uint32_t cp);
/* Inserts every character of utf8 (a paste or an IME's burst); returns how
 * many were taken. */
size_t ledit_insert_str(struct ledit *e, const char *utf8);
void ledit_left(struct ledit *e);
void ledit_right(struct ledit *e);
void ledit_home(struct ledit *e);
void ledit_end(struct ledit *e);
/* Deletes before / at the cursor; return false when there was nothing. */
bool ledit_backspace(struct ledit *e);
bool ledit_delete(struct ledit *e);
/* Deletes everything (Ctrl-U). */
void ledit_clear(struct ledit *e);

/* What a field `width` columns wide shows: adjusts e->scroll so the cursor
 * is visible (a wide character is never cut: it is shown whole or not at
 * all), then sets *first and *count to the characters to draw and *cursor_col
 * to the cursor's column within the field (0..width-1). */
void ledit_visible(struct ledit *e, size_t width, size_t *first, size_t *count,
		   size_t *cursor_col);
/* Columns of one character (wcwidth; 1 when unknown, 0 for none). */
size_t ledit_cp_width(uint32_t cp);

#endif
