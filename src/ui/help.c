/*
 * help.c - the help screen: every key of every screen, from the key tables
 * (ui_help_text in keys.c), scrolled until Esc.
 */
#include <curses.h>
#include <stdlib.h>

#include "ui.h"

void ui_help_keys(void)
{
	int top = 0;
	for (;;) {
		struct strv lines = {0};
		ui_help_text((size_t)(ui_cols() - 4), &lines);
		erase();
		ui_title(msg(MSG_UI_HELP_TITLE), NULL);
		int rows = ui_rows() - 3;
		ui_lines(&lines, &top, 1, rows);
		ui_keyline(&keys_help, 0);
		curs_set(0);
		refresh();
		strv_free(&lines);
		struct key k = ui_key();
		enum ui_action act = ui_action(&keys_help, k, 0);
		if (act == UA_BACK)
			return;
		ui_scroll(act, &top, rows);
	}
}
