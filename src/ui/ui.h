/*
 * ui.h - what the screens share. screen.c alone sets up curses, colours and
 * signals and reads keys; every other screen file draws through the helpers
 * here (which sanitise and clip by columns) and calls the same core and store
 * functions the commands call.
 */
#ifndef TALENTREG_UI_H
#define TALENTREG_UI_H

#include <stdbool.h>
#include <wchar.h>

#include "app.h"
#include "present.h"

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24

/* Colour roles; each has a monochrome attribute too. */
enum ui_color { C_NORMAL, C_TITLE, C_SELECTED, C_ERROR, C_OK, C_BAR, C_DIM, C_WARN, C__COUNT };

/* A key as get_wch returns it: a character, or a KEY_* code. */
struct key {
	bool fn;	/* ch is a KEY_* code */
	wint_t ch;
};

#undef CTRL	/* <sys/ioctl.h> has one too */
#define CTRL(c) ((c) & 0x1f)
#define K_ESC 27

/* What a key does on a screen. Every screen's keys are a table of
 * bindings (keys.c), as htop's Action.c: the screen asks ui_action() what a
 * key means, and the same tables write its key line and the help, so
 * neither can drift from what the keys do. */
enum ui_action {
	UA_NONE,
	UA_QUIT, UA_NEW, UA_BROWSE, UA_DRAFTS, UA_REVIEW, UA_HELP,
	UA_UP, UA_DOWN, UA_PGUP, UA_PGDN, UA_TOP, UA_BOTTOM, UA_OPEN, UA_BACK,
	UA_TYPE, UA_MARK,
	UA_NEXT_FIELD, UA_PREV_FIELD, UA_SAVE, UA_PICK, UA_PICK_TYPED,
	UA_LEFT, UA_RIGHT, UA_HOME, UA_END, UA_BACKSPACE, UA_DELETE, UA_CLEAR,
	UA_SEARCH, UA_FILTER_CATEGORY, UA_FILTER_STATUS, UA_FILTER_TOWNSHIP, UA_FILTER_CLEAR,
	UA_EDIT, UA_HISTORY, UA_APPROVE, UA_RETURN, UA_SKIP, UA_PREV_RECORD, UA_YES, UA_NO,
	UA_FILTER_OFFICER, UA_FILTER_TEAM,
	UA_LEDGER, UA_TARGETS, UA_NOTE, UA_CLOSE, UA_REOPEN, UA_EVENTS, UA_ATTEND,
	UA_CONFLICTS, UA_TAKE, UA_KEEP, UA_UNLOCK, UA_WITHDRAW,
};

/* A key in a binding: a character, UK_FN with a curses KEY_* code, or
 * UK_TEXT for any character typed that no other binding takes. */
#define UK_FN 0x40000000
#define UK_TEXT 0x20000000

/* When a binding applies (0: always). */
#define UW_REVIEWER 1	/* the user reviews (supervisors and admins) */
#define UW_MULTI 2	/* a multi-choice list */
#define UW_TAKE 4	/* a conflict whose other version may be taken */
#define UW_DECIDE 8	/* a record the user may approve or return (submitted) */
#define UW_RETURNED 16	/* home lists records returned to the user */
#define UW_UNLOCK 32	/* a record or event the user may unlock (approved) */
#define UW_WITHDRAW 64	/* a record or event the user may withdraw */

struct ui_binding {
	int key;
	enum ui_action action;
	enum msg_id help;	/* what the help says it does; keys with the same text share a line */
	enum msg_id foot;	/* its word on the key line, MSG__COUNT for none */
	unsigned when;		/* UW_* bits that must all hold */
};

struct ui_keymap {
	enum msg_id title;	/* the help's heading */
	const struct ui_binding *b;
	size_t n;
};

/* The screens' tables, in the order the help shows them. */
extern const struct ui_keymap keys_home, keys_pick, keys_form, keys_form_list, keys_edit,
	keys_drafts, keys_browse, keys_view, keys_review, keys_conflict, keys_help, keys_prompt,
	keys_confirm, keys_ledger, keys_item, keys_targets, keys_events, keys_event;

/* What key k does in map under the conditions when (UW_* bits); UA_NONE
 * when nothing there takes it. */
enum ui_action ui_action(const struct ui_keymap *map, struct key k, unsigned when);
/* The key line made from the bindings with a word (maps in order, keys of
 * one word joined as "Tab/↓ 下一项"), fitted to the screen's width: when
 * too wide, one space between entries instead of two, then without the
 * entries nearest its end, but never help, quit or back (the help lists
 * every key). Returns a new string. */
char *ui_footer(const struct ui_keymap *const *maps, size_t n, unsigned when);
/* Appends the help's lines to lines, wrapped to cols: its introduction,
 * then every key of every screen, table by table (keys.c). */
void ui_help_text(size_t cols, struct strv *lines);
/* Shows the help: every key of every screen, from the tables, scrolling
 * (help.c). */
void ui_help_keys(void);

/* Called when the terminal goes away, before the program exits: it saves
 * what can be saved (the form's draft). */
typedef void (*ui_hangup_fn)(void *arg);

/* Opens the screens; returns an exit status when they cannot start. */
int ui_start(struct app *app);
void ui_stop(void);
/* Reads one key. Handles what no screen should: a terminal too small (shows
 * the message and waits), a hangup or SIGTERM (calls the hook, then exits),
 * and stdin closing. A resize comes back as KEY_RESIZE for the caller to
 * lay out again. */
struct key ui_key(void);
/* Sets the hook called on hangup (NULL: none); returns the previous one. */
void ui_on_hangup(ui_hangup_fn fn, void *arg);

/* The screen's size now. */
int ui_rows(void);
int ui_cols(void);
/* Attribute of a colour role (a colour pair or a monochrome attribute). */
int ui_attr(enum ui_color c);

/* Draws text (from data or messages) at y, x within at most cols columns:
 * sanitised, clipped by columns, never splitting a character, ending in a
 * marker (…) when it was cut, and padded with spaces to cols when pad is
 * set. Returns the columns drawn. */
int ui_text(int y, int x, const char *s, int cols, int attr, bool pad);
/* Clears a line from x to the right edge with attr. */
void ui_clear_line(int y, int x, int attr);
/* The title bar (line 0) and the key line (last line). */
void ui_title(const char *left, const char *right);
void ui_keys(const char *text);
/* Draws the key line of map's bindings that hold under when (UW_* bits). */
void ui_keyline(const struct ui_keymap *map, unsigned when);
/* Moves *top for a scrolling action over a page of rows (↓↑ a line, PgDn
 * PgUp a page less a line, Home End the ends; ui_lines() keeps it in
 * range). Returns false for any other action, and leaves *top. */
bool ui_scroll(enum ui_action act, int *top, int rows);
/* Shows a message above the key line (c: C_OK, C_ERROR...), wrapped into
 * as many rows above it as it needs, up to three (the rest ends in a
 * marker); NULL clears the row above the key line. Returns the rows used. */
int ui_status(const char *text, enum ui_color c);
/* The rows ui_status would take for text. */
int ui_status_rows(const char *text);

/* Draws the line editor e as a field of width columns at y, x (the whole
 * field, every time); returns the screen column of its cursor. */
struct ledit;
int ui_edit_draw(int y, int x, int width, struct ledit *e, int attr);
/* Applies an editing key to e (characters, Left/Right/Home/End,
 * Backspace/Delete, Ctrl-A/E/B/F/D/U); returns false for other keys. */
bool ui_edit_key(struct ledit *e, struct key k);
/* Returns true for Enter (CR, LF or the keypad's Enter). */
bool ui_is_enter(struct key k);

/* Asks a yes/no question on the status line; returns true for y. Esc and n
 * are no. */
bool ui_confirm(const char *question);
/* Asks for a line of text on the status line, starting with init; returns a
 * new string, or NULL when Esc was pressed. */
char *ui_prompt(const char *question, const char *init);

/* A list to choose from, filtered by what is typed. Items with a NULL key
 * are group headings (shown, never chosen). With multi, Space marks items
 * and Enter returns; marked[] (n entries) holds the marks in and out.
 * Returns the chosen index, or -1 for Esc. */
struct pick_item {
	const char *key;	/* what is returned / matched; NULL for a heading */
	const char *label;	/* what is shown and matched */
};
int ui_pick(const char *title, const struct pick_item *items, int n, bool multi,
	    bool *marked, int start);
/* The same, its filter already holding typed (what was typed on the field
 * that opened the list). */
int ui_pick_typed(const char *title, const struct pick_item *items, int n, bool multi,
		  bool *marked, int start, const char *typed);
/* A filter's value chosen from keys (shown as labels, which may be keys
 * itself) with 「全部」 first: *slot becomes a copy of the key, or NULL for
 * all; Esc keeps it. Returns true when something was chosen. */
bool ui_choose_filter(const char *title, const struct strv *keys, const struct strv *labels,
		      char **slot);

/* The screens. */
int home_run(struct app *app);
/* A new registration of category f (or of a category picked when f is NULL),
 * or a draft; edit_uuid, when set, edits that record instead. */
void form_new(struct app *app, const struct form *f);
/* The user's draft of form f, opened at once where work stopped. */
void form_draft(struct app *app, const struct form *f);
void form_edit(struct app *app, const char *uuid);
/* A new event of type (its form, saved through events.h); returns its uuid
 * (new) or NULL when left. */
char *form_event_new(struct app *app, const struct form *type);
/* A new record of f filled with init (an attendee registered on the spot:
 * the event's details), the cursor on the first required field still
 * empty, saved with extra's then (the attendance, in the same
 * transaction); no draft. Returns the uuid (new) or NULL when left. */
struct reg_opts;
char *form_attendee_new(struct app *app, const struct form *f, const struct kv *init,
			const struct reg_opts *extra);
/* The events (issue 15): a list, an event with its attendees; n registers
 * an event, a adds attendees one after another by ID number. */
void events_run(struct app *app);
/* The user's drafts: open one at once (then home), or delete a stale one. */
void drafts_run(struct app *app);
void browse_run(struct app *app);
void record_view(struct app *app, const char *uuid);
/* The lines of a record as the user may see them: status, review comment,
 * every field (masked as the role needs), times, and the history when asked
 * (each action by its name, with what it changed). Returns the index of the
 * line where the history starts (or would start). */
int record_lines(struct app *app, const struct record *r, bool history, struct strv *lines);
/* Draws lines from *top (kept within range) in rows screen lines from y;
 * when they do not all fit, the last row says how many more lie below (or
 * above, at the end) and which key shows them. */
void ui_lines(const struct strv *lines, int *top, int y, int rows);
/* The review queue: oldest submitted record first, a approves, r returns
 * with a comment, and the next one opens at once. */
void review_run(struct app *app);
/* The plan's ledger (工作台账): its items with their state, overdue ones
 * standing out, progress and deadline; Enter shows one with its notes; a
 * notes progress, c closes (销号) with a comment, o reopens. */
void ledger_run(struct app *app);
/* The targets in detail: the same figures as `talentreg report` (teams,
 * targets, villages covered and those still missing per township). */
void targets_run(struct app *app);
/* The offline sync's conflicts and held rows (supervisors and admins): a
 * list to pick from, then the two versions side by side, field by field,
 * the differing ones marked; t takes the peer's, k keeps ours. */
void conflicts_run(struct app *app);
/* How many conflicts and held rows wait for this user; 0 for an officer. */
long conflicts_open(struct app *app);
/* The workflow action a key's action stands for (approve, return, unlock,
 * withdraw), in *act; false for any other. */
bool ui_decision(enum ui_action ua, enum action *act);
/* Moves r by act after asking (review_ask): approves it (approval locks
 * it) or withdraws it after one question, returns it with a comment, or
 * unlocks it with a reason (ACT_APPROVE, ACT_WITHDRAW, ACT_RETURN,
 * ACT_UNLOCK). Returns the message to show (new), or NULL when the user
 * turned back; *done tells whether the record was moved. */
char *review_decide(struct app *app, const struct record *r, enum action act, bool *done);
/* What a decision asks first: to approve or withdraw, yes to question; to
 * return, a comment; to unlock, a reason. Returns the comment ("" for a
 * yes, new) to go on, or NULL when the user turned back or left the
 * comment empty (then *status says so, new; else NULL). Records and events
 * share it. */
char *review_ask(enum action act, const char *question, char **status);

#endif
