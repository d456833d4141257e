/*
 * keys.c - every screen's keys as tables of bindings {key, action, help,
 * word on the key line}, the way htop's Action.c binds keys: a screen asks
 * ui_action() what a key means, ui_footer() writes its key line from the
 * same table, and the help lists every table, so what the help and the key
 * lines say is what the keys do.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui.h"

#define FN(k) (UK_FN | (k))
#define NOFOOT MSG__COUNT
#define MAP(name, title, table) \
	const struct ui_keymap name = {title, table, sizeof table / sizeof *table}

/* Help and leaving, at the end of most tables: ? and F1; Esc and q
 * (help: what the help says leaving goes back to). */
#define HELP_KEYS \
	{'?', UA_HELP, MSG_KEY_HELP, NOFOOT, 0}, \
	{FN(KEY_F(1)), UA_HELP, MSG_KEY_HELP, NOFOOT, 0}
#define BACK_KEYS(help) \
	{K_ESC, UA_BACK, help, MSG_FOOT_BACK, 0}, \
	{'q', UA_BACK, help, NOFOOT, 0}

static const struct ui_binding home[] = {
	{'n', UA_NEW, MSG_KEY_NEW, MSG_FOOT_NEW, 0},
	{'l', UA_BROWSE, MSG_KEY_BROWSE, MSG_FOOT_BROWSE, 0},
	{'d', UA_DRAFTS, MSG_KEY_DRAFTS, MSG_FOOT_DRAFTS, 0},
	{'r', UA_REVIEW, MSG_KEY_REVIEW, MSG_FOOT_REVIEW, UW_REVIEWER},
	{'p', UA_LEDGER, MSG_KEY_LEDGER, MSG_FOOT_LEDGER, 0},
	{'t', UA_TARGETS, MSG_KEY_TARGETS, MSG_FOOT_TARGETS, 0},
	{'e', UA_EVENTS, MSG_KEY_EVENTS, MSG_FOOT_EVENTS, 0},
	{'c', UA_CONFLICTS, MSG_KEY_CONFLICTS, MSG_FOOT_CONFLICTS, UW_REVIEWER},
	{'\r', UA_OPEN, MSG_KEY_HOME_OPEN_RETURNED, MSG_FOOT_FIX_RETURNED, UW_RETURNED},
	{FN(KEY_DOWN), UA_DOWN, MSG_KEY_HOME_SCROLL, NOFOOT, UW_RETURNED},
	{FN(KEY_UP), UA_UP, MSG_KEY_HOME_SCROLL, NOFOOT, UW_RETURNED},
	{CTRL('n'), UA_DOWN, MSG_KEY_HOME_SCROLL, NOFOOT, UW_RETURNED},
	{CTRL('p'), UA_UP, MSG_KEY_HOME_SCROLL, NOFOOT, UW_RETURNED},
	{FN(KEY_NPAGE), UA_PGDN, MSG_KEY_HOME_SCROLL_ROWS, NOFOOT, UW_RETURNED},
	{FN(KEY_PPAGE), UA_PGUP, MSG_KEY_HOME_SCROLL_ROWS, NOFOOT, UW_RETURNED},
	{'?', UA_HELP, MSG_KEY_HELP, MSG_FOOT_HELP, 0},
	{FN(KEY_F(1)), UA_HELP, MSG_KEY_HELP, NOFOOT, 0},
	{'q', UA_QUIT, MSG_KEY_QUIT, MSG_FOOT_QUIT, 0},
	{'Q', UA_QUIT, MSG_KEY_QUIT, NOFOOT, 0},
	{CTRL('c'), UA_QUIT, MSG_KEY_QUIT, NOFOOT, 0},
};
MAP(keys_home, MSG_KEYS_HOME, home);

static const struct ui_binding pick[] = {
	{UK_TEXT, UA_TYPE, MSG_KEY_FILTER, MSG_FOOT_FILTER, 0},
	{FN(KEY_UP), UA_UP, MSG_KEY_MOVE, MSG_FOOT_MOVE, 0},
	{FN(KEY_DOWN), UA_DOWN, MSG_KEY_MOVE, MSG_FOOT_MOVE, 0},
	{CTRL('p'), UA_UP, MSG_KEY_MOVE, NOFOOT, 0},
	{CTRL('n'), UA_DOWN, MSG_KEY_MOVE, NOFOOT, 0},
	{FN(KEY_PPAGE), UA_PGUP, MSG_KEY_PAGE, NOFOOT, 0},
	{FN(KEY_NPAGE), UA_PGDN, MSG_KEY_PAGE, NOFOOT, 0},
	{' ', UA_MARK, MSG_KEY_MARK, MSG_FOOT_MARK, UW_MULTI},
	{'\r', UA_OPEN, MSG_KEY_PICK_ENTER, MSG_FOOT_OK, 0},
	{K_ESC, UA_BACK, MSG_KEY_PICK_ESC, MSG_FOOT_BACK, 0},
	{FN(KEY_F(1)), UA_HELP, MSG_KEY_HELP, NOFOOT, 0},
};
MAP(keys_pick, MSG_KEYS_PICK, pick);

static const struct ui_binding form[] = {
	{'\t', UA_NEXT_FIELD, MSG_KEY_NEXT_FIELD, MSG_FOOT_NEXT, 0},
	{'\r', UA_NEXT_FIELD, MSG_KEY_NEXT_FIELD, NOFOOT, 0},
	{FN(KEY_BTAB), UA_PREV_FIELD, MSG_KEY_PREV_FIELD, NOFOOT, 0},
	{FN(KEY_UP), UA_UP, MSG_KEY_FIELD_EVERY, MSG_FOOT_FIELD_EVERY, 0},
	{FN(KEY_DOWN), UA_DOWN, MSG_KEY_FIELD_EVERY, MSG_FOOT_FIELD_EVERY, 0},
	{CTRL('p'), UA_UP, MSG_KEY_FIELD_EVERY, NOFOOT, 0},
	{CTRL('n'), UA_DOWN, MSG_KEY_FIELD_EVERY, NOFOOT, 0},
	{FN(KEY_NPAGE), UA_PGDN, MSG_KEY_FORM_PAGE, NOFOOT, 0},
	{FN(KEY_PPAGE), UA_PGUP, MSG_KEY_FORM_PAGE, NOFOOT, 0},
	{CTRL('s'), UA_SAVE, MSG_KEY_SAVE, MSG_FOOT_SAVE, 0},
	{K_ESC, UA_BACK, MSG_KEY_FORM_ESC, MSG_FOOT_LEAVE, 0},
	{FN(KEY_F(1)), UA_HELP, MSG_KEY_HELP_FIELD, MSG_FOOT_HELP, 0},
};
MAP(keys_form, MSG_KEYS_FORM, form);

/* A choice field: these come before the form's own keys. */
static const struct ui_binding form_list[] = {
	{'\r', UA_PICK, MSG_KEY_OPEN_LIST, MSG_FOOT_CHOOSE, 0},
	{' ', UA_PICK, MSG_KEY_OPEN_LIST, NOFOOT, 0},
	{UK_TEXT, UA_PICK_TYPED, MSG_KEY_TYPE_LIST, NOFOOT, 0},
	{127, UA_CLEAR, MSG_KEY_CLEAR_FIELD, NOFOOT, 0},
	{CTRL('h'), UA_CLEAR, MSG_KEY_CLEAR_FIELD, NOFOOT, 0},
	{CTRL('u'), UA_CLEAR, MSG_KEY_CLEAR_FIELD, NOFOOT, 0},
	{'?', UA_HELP, MSG_KEY_HELP, MSG_FOOT_HELP, 0},
};
MAP(keys_form_list, MSG_KEYS_FORM_LIST, form_list);

/* Editing a line of text: a form's text field, a list's filter, a prompt. */
static const struct ui_binding edit[] = {
	{UK_TEXT, UA_TYPE, MSG_KEY_TYPE, NOFOOT, 0},
	{FN(KEY_LEFT), UA_LEFT, MSG_KEY_LEFT, NOFOOT, 0},
	{CTRL('b'), UA_LEFT, MSG_KEY_LEFT, NOFOOT, 0},
	{FN(KEY_RIGHT), UA_RIGHT, MSG_KEY_RIGHT, NOFOOT, 0},
	{CTRL('f'), UA_RIGHT, MSG_KEY_RIGHT, NOFOOT, 0},
	{FN(KEY_HOME), UA_HOME, MSG_KEY_LINE_START, NOFOOT, 0},
	{CTRL('a'), UA_HOME, MSG_KEY_LINE_START, NOFOOT, 0},
	{FN(KEY_END), UA_END, MSG_KEY_LINE_END, NOFOOT, 0},
	{CTRL('e'), UA_END, MSG_KEY_LINE_END, NOFOOT, 0},
	{127, UA_BACKSPACE, MSG_KEY_BACKSPACE, NOFOOT, 0},
	{CTRL('h'), UA_BACKSPACE, MSG_KEY_BACKSPACE, NOFOOT, 0},
	{FN(KEY_DC), UA_DELETE, MSG_KEY_DELETE, NOFOOT, 0},
	{CTRL('d'), UA_DELETE, MSG_KEY_DELETE, NOFOOT, 0},
	{CTRL('u'), UA_CLEAR, MSG_KEY_CLEAR_LINE, NOFOOT, 0},
};
MAP(keys_edit, MSG_KEYS_EDIT, edit);

static const struct ui_binding drafts[] = {
	{'\r', UA_OPEN, MSG_KEY_OPEN_DRAFT, MSG_FOOT_OPEN, 0},
	{FN(KEY_DOWN), UA_DOWN, MSG_KEY_ROW_DRAFT, MSG_FOOT_MOVE, 0},
	{FN(KEY_UP), UA_UP, MSG_KEY_ROW_DRAFT, MSG_FOOT_MOVE, 0},
	{'j', UA_DOWN, MSG_KEY_ROW_DRAFT, NOFOOT, 0},
	{'k', UA_UP, MSG_KEY_ROW_DRAFT, NOFOOT, 0},
	{CTRL('n'), UA_DOWN, MSG_KEY_ROW_DRAFT, NOFOOT, 0},
	{CTRL('p'), UA_UP, MSG_KEY_ROW_DRAFT, NOFOOT, 0},
	{'D', UA_DELETE, MSG_KEY_DELETE_DRAFT, MSG_FOOT_DELETE, 0},
	{FN(KEY_DC), UA_DELETE, MSG_KEY_DELETE_DRAFT, MSG_FOOT_DELETE, 0},
	{'?', UA_HELP, MSG_KEY_HELP, MSG_FOOT_HELP, 0},
	{FN(KEY_F(1)), UA_HELP, MSG_KEY_HELP, NOFOOT, 0},
	BACK_KEYS(MSG_KEY_BACK_HOME),
};
MAP(keys_drafts, MSG_KEYS_DRAFTS, drafts);

static const struct ui_binding browse[] = {
	{'/', UA_SEARCH, MSG_KEY_SEARCH, MSG_FOOT_SEARCH, 0},
	{'g', UA_FILTER_TEAM, MSG_KEY_FILTER_TEAM, MSG_FOOT_TEAM, 0},
	{'c', UA_FILTER_CATEGORY, MSG_KEY_FILTER_CATEGORY, MSG_FOOT_CATEGORY, 0},
	{'s', UA_FILTER_STATUS, MSG_KEY_FILTER_STATUS, MSG_FOOT_STATUS, 0},
	{'t', UA_FILTER_TOWNSHIP, MSG_KEY_FILTER_TOWNSHIP, MSG_FOOT_TOWNSHIP, 0},
	{'x', UA_FILTER_CLEAR, MSG_KEY_FILTER_CLEAR, MSG_FOOT_CLEAR, 0},
	{FN(KEY_DOWN), UA_DOWN, MSG_KEY_ROW, NOFOOT, 0},
	{FN(KEY_UP), UA_UP, MSG_KEY_ROW, NOFOOT, 0},
	{'j', UA_DOWN, MSG_KEY_ROW, NOFOOT, 0},
	{'k', UA_UP, MSG_KEY_ROW, NOFOOT, 0},
	{CTRL('n'), UA_DOWN, MSG_KEY_ROW, NOFOOT, 0},
	{CTRL('p'), UA_UP, MSG_KEY_ROW, NOFOOT, 0},
	{FN(KEY_NPAGE), UA_PGDN, MSG_KEY_NEXT_PAGE, MSG_FOOT_PAGE, 0},
	{' ', UA_PGDN, MSG_KEY_NEXT_PAGE, NOFOOT, 0},
	{CTRL('f'), UA_PGDN, MSG_KEY_NEXT_PAGE, NOFOOT, 0},
	{FN(KEY_PPAGE), UA_PGUP, MSG_KEY_PREV_PAGE, MSG_FOOT_PAGE, 0},
	{'b', UA_PGUP, MSG_KEY_PREV_PAGE, NOFOOT, 0},
	{CTRL('b'), UA_PGUP, MSG_KEY_PREV_PAGE, NOFOOT, 0},
	{FN(KEY_HOME), UA_TOP, MSG_KEY_FIRST_PAGE, NOFOOT, 0},
	{'\r', UA_OPEN, MSG_KEY_VIEW_RECORD, MSG_FOOT_VIEW, 0},
	{'e', UA_EDIT, MSG_KEY_EDIT_RECORD, NOFOOT, 0},
	HELP_KEYS,
	BACK_KEYS(MSG_KEY_BACK_HOME),
};
MAP(keys_browse, MSG_KEYS_BROWSE, browse);

/* Scrolling a page of text: the record view, the review queue, the help. */
#define SCROLL_KEYS \
	{FN(KEY_DOWN), UA_DOWN, MSG_KEY_SCROLL, MSG_FOOT_SCROLL, 0}, \
	{FN(KEY_UP), UA_UP, MSG_KEY_SCROLL, MSG_FOOT_SCROLL, 0}, \
	{'j', UA_DOWN, MSG_KEY_SCROLL, NOFOOT, 0}, \
	{'k', UA_UP, MSG_KEY_SCROLL, NOFOOT, 0}, \
	{FN(KEY_NPAGE), UA_PGDN, MSG_KEY_SCROLL_PAGE, MSG_FOOT_PAGE, 0}, \
	{FN(KEY_PPAGE), UA_PGUP, MSG_KEY_SCROLL_PAGE, MSG_FOOT_PAGE, 0}, \
	{FN(KEY_HOME), UA_TOP, MSG_KEY_SCROLL_ENDS, NOFOOT, 0}, \
	{FN(KEY_END), UA_BOTTOM, MSG_KEY_SCROLL_ENDS, NOFOOT, 0}

static const struct ui_binding view[] = {
	{'a', UA_APPROVE, MSG_KEY_APPROVE, MSG_FOOT_APPROVE, UW_REVIEWER | UW_DECIDE},
	{'r', UA_RETURN, MSG_KEY_RETURN, MSG_FOOT_RETURN, UW_REVIEWER | UW_DECIDE},
	{'u', UA_UNLOCK, MSG_KEY_UNLOCK, MSG_FOOT_UNLOCK, UW_REVIEWER | UW_UNLOCK},
	{'e', UA_EDIT, MSG_KEY_EDIT_RECORD, MSG_FOOT_EDIT, 0},
	{'w', UA_WITHDRAW, MSG_KEY_WITHDRAW, MSG_FOOT_WITHDRAW, UW_WITHDRAW},
	{'h', UA_HISTORY, MSG_KEY_HISTORY, MSG_FOOT_HISTORY, 0},
	SCROLL_KEYS,
	HELP_KEYS,
	BACK_KEYS(MSG_KEY_BACK),
};
MAP(keys_view, MSG_KEYS_VIEW, view);

static const struct ui_binding review[] = {
	{'a', UA_APPROVE, MSG_KEY_APPROVE, MSG_FOOT_APPROVE, 0},
	{'r', UA_RETURN, MSG_KEY_RETURN, MSG_FOOT_RETURN, 0},
	{'n', UA_SKIP, MSG_KEY_SKIP, MSG_FOOT_SKIP, 0},
	{'p', UA_PREV_RECORD, MSG_KEY_PREV_RECORD, NOFOOT, 0},
	{FN(KEY_HOME), UA_TOP, MSG_KEY_QUEUE_ENDS, NOFOOT, 0},
	{FN(KEY_END), UA_BOTTOM, MSG_KEY_QUEUE_ENDS, NOFOOT, 0},
	{'/', UA_SEARCH, MSG_KEY_QUEUE_SEARCH, MSG_FOOT_SEARCH, 0},
	{'t', UA_FILTER_TOWNSHIP, MSG_KEY_FILTER_TOWNSHIP, MSG_FOOT_FILTER, 0},
	{'c', UA_FILTER_CATEGORY, MSG_KEY_FILTER_CATEGORY, MSG_FOOT_FILTER, 0},
	{'o', UA_FILTER_OFFICER, MSG_KEY_FILTER_OFFICER, MSG_FOOT_FILTER, 0},
	{'x', UA_FILTER_CLEAR, MSG_KEY_FILTER_CLEAR, NOFOOT, 0},
	{'h', UA_HISTORY, MSG_KEY_HISTORY, MSG_FOOT_HISTORY, 0},
	{FN(KEY_DOWN), UA_DOWN, MSG_KEY_SCROLL, NOFOOT, 0},
	{FN(KEY_UP), UA_UP, MSG_KEY_SCROLL, NOFOOT, 0},
	{'j', UA_DOWN, MSG_KEY_SCROLL, NOFOOT, 0},
	{'k', UA_UP, MSG_KEY_SCROLL, NOFOOT, 0},
	{FN(KEY_NPAGE), UA_PGDN, MSG_KEY_SCROLL_PAGE, NOFOOT, 0},
	{FN(KEY_PPAGE), UA_PGUP, MSG_KEY_SCROLL_PAGE, NOFOOT, 0},
	HELP_KEYS,
	BACK_KEYS(MSG_KEY_BACK_HOME),
};
MAP(keys_review, MSG_KEYS_REVIEW, review);

/* A sync conflict: our version beside the peer's. */
static const struct ui_binding conflict[] = {
	{'t', UA_TAKE, MSG_KEY_TAKE, MSG_FOOT_TAKE, UW_TAKE},
	{'k', UA_KEEP, MSG_KEY_KEEP, MSG_FOOT_KEEP, 0},
	{FN(KEY_DOWN), UA_DOWN, MSG_KEY_SCROLL, MSG_FOOT_SCROLL, 0},
	{FN(KEY_UP), UA_UP, MSG_KEY_SCROLL, MSG_FOOT_SCROLL, 0},
	{'j', UA_DOWN, MSG_KEY_SCROLL, NOFOOT, 0},
	{FN(KEY_NPAGE), UA_PGDN, MSG_KEY_SCROLL_PAGE, NOFOOT, 0},
	{FN(KEY_PPAGE), UA_PGUP, MSG_KEY_SCROLL_PAGE, NOFOOT, 0},
	{FN(KEY_HOME), UA_TOP, MSG_KEY_SCROLL_ENDS, NOFOOT, 0},
	{FN(KEY_END), UA_BOTTOM, MSG_KEY_SCROLL_ENDS, NOFOOT, 0},
	HELP_KEYS,
	BACK_KEYS(MSG_KEY_CONFLICT_BACK),
};
MAP(keys_conflict, MSG_KEYS_CONFLICT, conflict);

static const struct ui_binding ledger[] = {
	{'\r', UA_OPEN, MSG_KEY_ITEM_OPEN, MSG_FOOT_VIEW, 0},
	{'a', UA_NOTE, MSG_KEY_ITEM_NOTE, MSG_FOOT_NOTE, 0},
	{'c', UA_CLOSE, MSG_KEY_ITEM_CLOSE, MSG_FOOT_CLOSE, UW_REVIEWER},
	{'o', UA_REOPEN, MSG_KEY_ITEM_REOPEN, MSG_FOOT_REOPEN, UW_REVIEWER},
	{FN(KEY_DOWN), UA_DOWN, MSG_KEY_ITEM_MOVE, MSG_FOOT_MOVE, 0},
	{FN(KEY_UP), UA_UP, MSG_KEY_ITEM_MOVE, NOFOOT, 0},
	{'j', UA_DOWN, MSG_KEY_ITEM_MOVE, NOFOOT, 0},
	{'k', UA_UP, MSG_KEY_ITEM_MOVE, NOFOOT, 0},
	{CTRL('n'), UA_DOWN, MSG_KEY_ITEM_MOVE, NOFOOT, 0},
	{CTRL('p'), UA_UP, MSG_KEY_ITEM_MOVE, NOFOOT, 0},
	{FN(KEY_NPAGE), UA_PGDN, MSG_KEY_PAGE, NOFOOT, 0},
	{FN(KEY_PPAGE), UA_PGUP, MSG_KEY_PAGE, NOFOOT, 0},
	{FN(KEY_HOME), UA_TOP, MSG_KEY_SCROLL_ENDS, NOFOOT, 0},
	{FN(KEY_END), UA_BOTTOM, MSG_KEY_SCROLL_ENDS, NOFOOT, 0},
	HELP_KEYS,
	BACK_KEYS(MSG_KEY_BACK_HOME),
};
MAP(keys_ledger, MSG_KEYS_LEDGER, ledger);

static const struct ui_binding item[] = {
	{'a', UA_NOTE, MSG_KEY_ITEM_NOTE, MSG_FOOT_NOTE, 0},
	{'c', UA_CLOSE, MSG_KEY_ITEM_CLOSE, MSG_FOOT_CLOSE, UW_REVIEWER},
	{'o', UA_REOPEN, MSG_KEY_ITEM_REOPEN, MSG_FOOT_REOPEN, UW_REVIEWER},
	SCROLL_KEYS,
	HELP_KEYS,
	BACK_KEYS(MSG_KEY_BACK),
};
MAP(keys_item, MSG_KEYS_ITEM, item);

static const struct ui_binding targets[] = {
	SCROLL_KEYS,
	{' ', UA_PGDN, MSG_KEY_SCROLL_PAGE, NOFOOT, 0},
	{'b', UA_PGUP, MSG_KEY_SCROLL_PAGE, NOFOOT, 0},
	HELP_KEYS,
	BACK_KEYS(MSG_KEY_BACK_HOME),
};
MAP(keys_targets, MSG_KEYS_TARGETS, targets);

/* The events: a list of them. */
static const struct ui_binding events[] = {
	{'\r', UA_OPEN, MSG_KEY_EVENT_OPEN, MSG_FOOT_VIEW, 0},
	{'n', UA_NEW, MSG_KEY_EVENT_NEW, MSG_FOOT_NEW_EVENT, 0},
	{FN(KEY_DOWN), UA_DOWN, MSG_KEY_ROW, MSG_FOOT_MOVE, 0},
	{FN(KEY_UP), UA_UP, MSG_KEY_ROW, NOFOOT, 0},
	{'j', UA_DOWN, MSG_KEY_ROW, NOFOOT, 0},
	{'k', UA_UP, MSG_KEY_ROW, NOFOOT, 0},
	{FN(KEY_NPAGE), UA_PGDN, MSG_KEY_PAGE, NOFOOT, 0},
	{FN(KEY_PPAGE), UA_PGUP, MSG_KEY_PAGE, NOFOOT, 0},
	HELP_KEYS,
	BACK_KEYS(MSG_KEY_BACK_HOME),
};
MAP(keys_events, MSG_KEYS_EVENTS, events);

/* An event with its attendees. */
static const struct ui_binding event[] = {
	{'a', UA_ATTEND, MSG_KEY_ATTEND, MSG_FOOT_ATTEND, 0},
	{'v', UA_APPROVE, MSG_KEY_EVENT_APPROVE, MSG_FOOT_APPROVE, UW_REVIEWER | UW_DECIDE},
	{'r', UA_RETURN, MSG_KEY_EVENT_RETURN, MSG_FOOT_RETURN, UW_REVIEWER | UW_DECIDE},
	{'u', UA_UNLOCK, MSG_KEY_EVENT_UNLOCK, MSG_FOOT_UNLOCK, UW_REVIEWER | UW_UNLOCK},
	{'w', UA_WITHDRAW, MSG_KEY_EVENT_WITHDRAW, MSG_FOOT_EVENT_WITHDRAW, UW_WITHDRAW},
	SCROLL_KEYS,
	HELP_KEYS,
	BACK_KEYS(MSG_KEY_BACK),
};
MAP(keys_event, MSG_KEYS_EVENT, event);

static const struct ui_binding help[] = {
	SCROLL_KEYS,
	{' ', UA_PGDN, MSG_KEY_SCROLL_PAGE, NOFOOT, 0},
	{'b', UA_PGUP, MSG_KEY_SCROLL_PAGE, NOFOOT, 0},
	BACK_KEYS(MSG_KEY_CLOSE_HELP),
	{'?', UA_BACK, MSG_KEY_CLOSE_HELP, NOFOOT, 0},
	{FN(KEY_F(1)), UA_BACK, MSG_KEY_CLOSE_HELP, NOFOOT, 0},
};
MAP(keys_help, MSG_KEYS_HELP, help);

/* A line asked for on the status line (a search, a return's comment). */
static const struct ui_binding prompt[] = {
	{'\r', UA_OPEN, MSG_KEY_PROMPT_OK, MSG_FOOT_OK, 0},
	{K_ESC, UA_BACK, MSG_KEY_PROMPT_CANCEL, MSG_FOOT_CANCEL, 0},
};
MAP(keys_prompt, MSG_KEYS_PROMPT, prompt);

static const struct ui_binding confirm[] = {
	{'y', UA_YES, MSG_KEY_YES, NOFOOT, 0},
	{'Y', UA_YES, MSG_KEY_YES, NOFOOT, 0},
	{'n', UA_NO, MSG_KEY_NO, NOFOOT, 0},
	{'N', UA_NO, MSG_KEY_NO, NOFOOT, 0},
	{K_ESC, UA_NO, MSG_KEY_NO, NOFOOT, 0},
};
MAP(keys_confirm, MSG_KEYS_CONFIRM, confirm);

static const struct ui_keymap *const all[] = {
	&keys_home, &keys_pick, &keys_form, &keys_edit, &keys_form_list, &keys_drafts,
	&keys_browse, &keys_view, &keys_review, &keys_conflict, &keys_ledger, &keys_item,
	&keys_targets, &keys_events, &keys_event, &keys_prompt, &keys_confirm, &keys_help,
};

/* The binding's key as k would be: LF is Enter too. */
static bool same_key(int key, struct key k)
{
	if (key & UK_FN)
		return k.fn && (int)k.ch == (key & ~UK_FN);
	if (k.fn)
		return false;
	return (int)k.ch == key || (key == '\r' && k.ch == '\n');
}

/* A character that UK_TEXT takes: printable, not a control. */
static bool is_text(struct key k)
{
	return !k.fn && k.ch >= 0x20 && k.ch != 0x7f && !(k.ch >= 0x80 && k.ch < 0xa0);
}

enum ui_action ui_action(const struct ui_keymap *map, struct key k, unsigned when)
{
	const struct ui_binding *text = NULL;
	for (size_t i = 0; i < map->n; i++) {
		const struct ui_binding *b = &map->b[i];
		if ((b->when & when) != b->when)
			continue;
		if (b->key == UK_TEXT)
			text = b;
		else if (same_key(b->key, k))
			return b->action;
	}
	return text && is_text(k) ? text->action : UA_NONE;
}

/* The name of a key as the help and the key lines write it. */
static const char *key_label(int key, char buf[8])
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{FN(KEY_UP), "↑"}, {FN(KEY_DOWN), "↓"}, {FN(KEY_LEFT), "←"}, {FN(KEY_RIGHT), "→"},
		{FN(KEY_HOME), "Home"}, {FN(KEY_END), "End"}, {FN(KEY_PPAGE), "PgUp"},
		{FN(KEY_NPAGE), "PgDn"}, {FN(KEY_DC), "Del"}, {FN(KEY_BTAB), "Shift-Tab"},
			{FN(KEY_F(1)), "F1"}, {'\t', "Tab"}, {'\r', "Enter"}, {K_ESC, "Esc"},
		{127, "Backspace"},
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].key == key)
			return names[i].name;
	if (key == UK_TEXT)
		return msg(MSG_KEYNAME_TEXT);
	if (key == ' ')
		return msg(MSG_KEYNAME_SPACE);
	if (key > 0 && key < 0x20) {
		snprintf(buf, 8, "Ctrl-%c", key + '@');
		return buf;
	}
	int n = utf8_encode((uint32_t)key, buf);
	buf[n] = '\0';
	return buf;
}

/* The width of the key line made of the kept entries, sep between them. */
static size_t footer_width(const struct strv *keys, const struct strv *words, const bool *keep,
			   size_t sep)
{
	size_t cols = 0, shown = 0;
	for (size_t w = 0; w < words->n; w++)
		if (keep[w])
			cols += (shown++ ? sep : 0) + text_width(keys->v[w]) + 1 +
				text_width(words->v[w]);
	return cols;
}

char *ui_footer(const struct ui_keymap *const *maps, size_t n, unsigned when)
{
	/* each word once, where its first key is, with all of its keys */
	struct strv words = {0}, keys = {0};
	size_t nb = 0;
	for (size_t m = 0; m < n; m++)
		nb += maps[m]->n;
	bool *must = xcalloc(nb + 1, sizeof *must);	/* help, quit, back: always shown */
	for (size_t m = 0; m < n; m++)
		for (size_t i = 0; i < maps[m]->n; i++) {
			const struct ui_binding *b = &maps[m]->b[i];
			if (b->foot == MSG__COUNT || (b->when & when) != b->when)
				continue;
			char buf[8];
			const char *word = msg(b->foot), *name = key_label(b->key, buf);
			size_t w = 0;
			while (w < words.n && strcmp(words.v[w], word) != 0)
				w++;
			if (w == words.n) {
				strv_add(&words, word);
				strv_add(&keys, name);
			} else {
				char *j = xasprintf("%s/%s", keys.v[w], name);
				free(keys.v[w]);
				keys.v[w] = j;
			}
			must[w] |= b->action == UA_HELP || b->action == UA_QUIT ||
				   b->action == UA_BACK;
		}
	/* a line wider than the screen loses its gaps, then the entries
	 * nearest its end that the help also lists, never help, quit or back */
	bool *keep = xcalloc(words.n + 1, sizeof *keep);
	for (size_t w = 0; w < words.n; w++)
		keep[w] = true;
	size_t cols = COLS > 2 ? (size_t)COLS - 2 : 0, sep = 2;
	if (footer_width(&keys, &words, keep, sep) > cols)
		sep = 1;
	for (size_t w = words.n; w-- > 0 && footer_width(&keys, &words, keep, sep) > cols;)
		keep[w] = must[w];
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (size_t w = 0, shown = 0; w < words.n; w++)
		if (keep[w])
			buf_printf(&b, "%*s%s %s", shown++ ? (int)sep : 0, "", keys.v[w], words.v[w]);
	free(keep);
	free(must);
	strv_free(&words);
	strv_free(&keys);
	return buf_take(&b);
}

#define HELP_KEY_COLS 24

/* The help's lines for one table: its heading, then a line for each thing
 * it does with all the keys that do it, wrapped to cols. */
static void help_lines(const struct ui_keymap *map, size_t cols, struct strv *lines)
{
	strv_take(lines, xasprintf("[%s]", msg(map->title)));
	bool *done = xcalloc(map->n, sizeof *done);
	for (size_t i = 0; i < map->n; i++) {
		if (done[i])
			continue;
		struct buf k = {0};
		buf_add(&k, "", 0);
		for (size_t j = i; j < map->n; j++)
			if (!done[j] && map->b[j].help == map->b[i].help) {
				char buf[8];
				buf_printf(&k, "%s%s", k.len ? "、" : "", key_label(map->b[j].key, buf));
				done[j] = true;
			}
		char *what = xasprintf("%s%s", msg(map->b[i].help),
				       map->b[i].when & UW_REVIEWER ? msg(MSG_KEY_FOR_REVIEWERS) : "");
		size_t kw = text_width(k.s);
		char *line = kw < HELP_KEY_COLS
				     ? xasprintf("  %s%*s%s", k.s, (int)(HELP_KEY_COLS - kw), "", what)
				     : xasprintf("  %s  %s", k.s, what);
		free(what);
		text_wrap(line, cols, HELP_KEY_COLS + 2, lines);
		free(line);
		buf_free(&k);
	}
	free(done);
	strv_add(lines, "");
}

void ui_help_text(size_t cols, struct strv *lines)
{
	text_wrap(msg(MSG_HELP_INTRO), cols, 0, lines);
	strv_add(lines, "");
	for (size_t m = 0; m < sizeof all / sizeof *all; m++)
		help_lines(all[m], cols, lines);
}
