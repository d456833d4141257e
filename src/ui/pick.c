/*
 * pick.c - a list to choose from that filters as you type: categories
 * grouped by team, a choice field's options, drafts, filters. Matching is a
 * plain substring of the label or the key, so one Chinese character or a few
 * letters of a key narrow the list.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "lineedit.h"
#include "text.h"
#include "ui.h"

static bool matches(const struct pick_item *it, const char *filter)
{
	if (*filter == '\0')
		return true;
	return (it->label && strstr(it->label, filter)) || (it->key && strstr(it->key, filter));
}

/* The rows shown: matching items, and the headings of groups that have one. */
static int visible_rows(const struct pick_item *items, int n, const char *filter, int *rows)
{
	int nrows = 0, heading = -1;
	for (int i = 0; i < n; i++) {
		if (items[i].key == NULL) {
			heading = i;
			continue;
		}
		if (!matches(&items[i], filter))
			continue;
		if (heading >= 0) {
			rows[nrows++] = heading;
			heading = -1;
		}
		rows[nrows++] = i;
	}
	return nrows;
}

static int next_item(const struct pick_item *items, const int *rows, int nrows, int at, int dir)
{
	for (int r = at + dir; r >= 0 && r < nrows; r += dir)
		if (items[rows[r]].key)
			return r;
	return at;
}

static int first_item(const struct pick_item *items, const int *rows, int nrows, int want)
{
	for (int r = 0; r < nrows; r++)
		if (rows[r] == want)
			return r;
	for (int r = 0; r < nrows; r++)
		if (items[rows[r]].key)
			return r;
	return -1;
}

static void draw(const char *title, const struct pick_item *items, const int *rows, int nrows,
		 int sel, int top, bool multi, const bool *marked, struct ledit *filter)
{
	erase();
	ui_title(title, NULL);
	ui_text(2, 2, msg(MSG_UI_FILTER), 10, A_NORMAL, false);
	int fx = 2 + (int)text_width(msg(MSG_UI_FILTER));
	int cx = ui_edit_draw(2, fx, 30, filter, A_UNDERLINE);
	int list_top = 4, list_rows = LINES - list_top - 2;
	if (nrows == 0)
		ui_text(list_top, 4, msg(MSG_UI_NO_MATCH), COLS - 6, ui_attr(C_DIM), false);
	for (int r = top; r < nrows && r - top < list_rows; r++) {
		const struct pick_item *it = &items[rows[r]];
		int y = list_top + r - top;
		if (it->key == NULL) {
			ui_text(y, 2, it->label, COLS - 4, A_BOLD, false);
			continue;
		}
		char *line = multi ? xasprintf("[%s] %s", marked[rows[r]] ? "x" : " ", it->label)
				   : xstrdup(it->label);
		ui_text(y, 4, line, COLS - 6, r == sel ? ui_attr(C_SELECTED) : 0, r == sel);
		free(line);
	}
	/* what the window hides, and the keys that show it */
	int above = 0, below = 0;
	for (int r = 0; r < nrows; r++)
		if (items[rows[r]].key && (r < top || r >= top + list_rows))
			*(r < top ? &above : &below) += 1;
	char *more = above && below ? msgf(MSG_UI_PICK_MORE_BOTH, above, below)
		     : below	    ? msgf(MSG_UI_PICK_MORE_BELOW, below)
		     : above	    ? msgf(MSG_UI_PICK_MORE_ABOVE, above)
				    : NULL;
	if (more)
		ui_text(LINES - 2, 4, more, COLS - 6, ui_attr(C_DIM), false);
	free(more);
	ui_keyline(&keys_pick, multi ? UW_MULTI : 0);
	move(2, cx);
	refresh();
}

int ui_pick(const char *title, const struct pick_item *items, int n, bool multi,
	    bool *marked, int start)
{
	return ui_pick_typed(title, items, n, multi, marked, start, NULL);
}

bool ui_choose_filter(const char *title, const struct strv *keys, const struct strv *labels,
		      char **slot)
{
	int n = (int)keys->n + 1;
	struct pick_item *items = xcalloc((size_t)n, sizeof *items);
	items[0] = (struct pick_item){"", msg(MSG_UI_ALL)};
	for (size_t i = 0; i < keys->n; i++)
		items[i + 1] = (struct pick_item){keys->v[i], labels->v[i]};
	int got = ui_pick(title, items, n, false, NULL, 0);
	if (got >= 0) {
		free(*slot);
		*slot = got == 0 ? NULL : xstrdup(keys->v[got - 1]);
	}
	free(items);
	return got >= 0;
}

int ui_pick_typed(const char *title, const struct pick_item *items, int n, bool multi,
		  bool *marked, int start, const char *typed)
{
	struct ledit filter = {0};
	ledit_set(&filter, typed ? typed : "");
	int *rows = xcalloc((size_t)n + 1, sizeof *rows);
	int chosen = -1, sel = -1, top = 0, want = start;
	for (;;) {
		char *f = ledit_text(&filter);
		int nrows = visible_rows(items, n, f, rows);
		free(f);
		if (sel < 0 || sel >= nrows || !items[rows[sel]].key)
			sel = first_item(items, rows, nrows, want);
		int list_rows = LINES - 6;
		if (sel >= 0 && sel < top)
			top = sel > 0 && !items[rows[sel - 1]].key ? sel - 1 : sel;
		if (sel >= top + list_rows)
			top = sel - list_rows + 1;
		if (top < 0)
			top = 0;
		draw(title, items, rows, nrows, sel, top, multi, marked, &filter);
		struct key k = ui_key();
		int steps = 1;
		enum ui_action act = ui_action(&keys_pick, k, multi ? UW_MULTI : 0);
		switch (act) {
		case UA_BACK:
			goto out;
		case UA_OPEN:
			if (multi || sel >= 0) {
				chosen = sel >= 0 ? rows[sel] : 0;
				goto out;
			}
			break;
		case UA_PGUP:
		case UA_PGDN:
			steps = list_rows - 1;
			/* fall through */
		case UA_UP:
		case UA_DOWN: {
			int dir = act == UA_UP || act == UA_PGUP ? -1 : 1;
			for (int i = 0; i < steps && sel >= 0; i++)
				sel = next_item(items, rows, nrows, sel, dir);
			want = sel >= 0 ? rows[sel] : want;
			break;
		}
		case UA_MARK:
			if (sel >= 0)
				marked[rows[sel]] = !marked[rows[sel]];
			break;
		case UA_HELP:
			ui_help_keys();
			break;
		default:
			if (ui_edit_key(&filter, k))
				sel = -1, want = -1;
		}
	}
out:
	free(rows);
	ledit_free(&filter);
	return chosen;
}
