/*
 * ledger.c - the plan's ledger (工作台账) on the screen: one line per item
 * of tasks.ini with its state, progress, deadline and the plan's words,
 * overdue items in the warning colour and marked 逾期 (for monochrome
 * terminals too); Enter shows an item whole with its notes. a notes
 * progress, c closes (销号) and o reopens, each with what the store asks
 * (a note, a comment) and the store's own refusal shown when it refuses:
 * the same calls as `talentreg task`.
 */
#include <curses.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "report.h"
#include "store_plan.h"
#include "text.h"
#include "ui.h"

struct screen {
	struct app *app;
	struct report r;
	struct ledger l;
	int sel, top;
	char *status;
	enum ui_color sc;
};

static void load(struct screen *s)
{
	ledger_free(&s->l);
	report_free(&s->r);
	char *cause = NULL;
	if (report_build(s->app->st, &s->app->actor, s->app->cfg,
			 REP_TOTAL | REP_TEAMS | REP_TARGETS, &s->r, &cause) == SR_OK)
		ledger_build(s->app->st, s->app->cfg, &s->r, &s->app->today, &s->l, &cause);
	if (cause) {
		free(s->status);
		s->status = cause;
		s->sc = C_ERROR;
	}
}

static void set_status(struct screen *s, char *text, enum ui_color c)
{
	free(s->status);
	s->status = text;
	s->sc = c;
}

static unsigned when(const struct app *app)
{
	return app->me->role == ROLE_OFFICER ? 0 : UW_REVIEWER;
}

static char *state_text(const struct ledger_item *it)
{
	return it->overdue ? xasprintf("%s %s", item_state_label(it->state), msg(MSG_ITEM_OVERDUE))
			   : xstrdup(item_state_label(it->state));
}

/* The counts of the title: closed, done, overdue. */
static void tally(const struct ledger *l, int *closed, int *done, int *progress, int *overdue)
{
	*closed = *done = *progress = *overdue = 0;
	for (size_t i = 0; i < l->n; i++) {
		*closed += l->v[i].state == IT_CLOSED;
		*done += l->v[i].state == IT_DONE;
		*progress += l->v[i].state == IT_IN_PROGRESS;
		*overdue += l->v[i].overdue;
	}
}

static int list_rows(void)
{
	return ui_rows() - 5;
}

static void draw_list(struct screen *s)
{
	erase();
	int closed, done, progress, overdue;
	tally(&s->l, &closed, &done, &progress, &overdue);
	char *title = msgf(MSG_UI_LEDGER_TITLE, (int)s->l.n, closed, done, overdue);
	ui_title(title, s->app->me->login);
	free(title);
	static const struct {
		int x, w;
		enum msg_id head;
	} cols[] = {
		{1, 5, MSG_COL_ITEM}, {7, 12, MSG_COL_STATUS}, {19, 14, MSG_COL_LEDGER_PROGRESS},
		{33, 11, MSG_COL_DEADLINE}, {45, 0, MSG_COL_DEMAND},
	};
	for (size_t c = 0; c < ARRAY_LEN(cols); c++)
		ui_text(1, cols[c].x, msg(cols[c].head), cols[c].w ? cols[c].w : ui_cols() - 46,
			ui_attr(C_DIM), false);
	int rows = list_rows(), n = (int)s->l.n;
	if (s->sel >= n)
		s->sel = n - 1;
	if (s->sel < 0)
		s->sel = 0;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + rows)
		s->top = s->sel - rows + 1;
	for (int i = s->top; i < n && i - s->top < rows; i++) {
		const struct ledger_item *it = &s->l.v[i];
		int y = 2 + i - s->top;
		int attr = i == s->sel ? ui_attr(C_SELECTED)
			   : it->overdue ? ui_attr(C_ERROR)
			   : it->state == IT_CLOSED ? ui_attr(C_DIM)
			   : it->state == IT_DONE ? ui_attr(C_OK) : 0;
		if (i == s->sel)
			ui_clear_line(y, 0, attr);
		char *state = state_text(it), *prog = ledger_progress_text(it);
		const char *cells[] = {it->item->id, state, prog,
				       it->item->deadline ? it->item->deadline : "", it->item->text};
		for (size_t c = 0; c < ARRAY_LEN(cols); c++)
			ui_text(y, cols[c].x, cells[c], cols[c].w ? cols[c].w : ui_cols() - 46, attr,
				cols[c].w != 0);
		free(state);
		free(prog);
	}
	if (s->status)
		ui_status(s->status, s->sc);
	ui_keyline(&keys_ledger, when(s->app));
	curs_set(0);
	refresh();
}

/* Asks for a line on the status line; NULL for Esc, or "" (a message set)
 * when required and nothing was typed. */
static char *ask(struct screen *s, enum msg_id question, const char *arg)
{
	char *q = arg ? msgf(question, arg) : xstrdup(msg(question));
	char *got = ui_prompt(q, NULL);
	free(q);
	if (got == NULL)
		return NULL;
	char *t = str_trim(got);
	free(got);
	(void)s;
	return t;
}

/* Asks question for a text that may not be empty; NULL when the user
 * turned back or typed nothing (then the status says it is needed). */
static char *ask_text(struct screen *s, enum msg_id question)
{
	char *text = ask(s, question, NULL);
	if (text && *text == '\0') {
		free(text);
		set_status(s, xstrdup(msg(MSG_UI_ITEM_NEED_TEXT)), C_ERROR);
		return NULL;
	}
	return text;
}

/* a: a progress note, and how many things when the item counts things. */
static void note(struct screen *s, const struct ledger_item *it)
{
	char *text = ask_text(s, MSG_UI_ITEM_NOTE);
	if (text == NULL)
		return;
	struct task_entry e = {.item = it->item->id, .note = text};
	char *amount = NULL;
	if (it->item->measure && !it->item->counts) {
		amount = ask(s, MSG_UI_ITEM_AMOUNT, it->item->measure);
		if (amount == NULL) {
			free(text);
			return;
		}
		if (*amount && (str_to_double(amount, &e.amount) < 0 || fabs(e.amount) > 1e6)) {
			set_status(s, msgf(MSG_UI_ITEM_BAD_AMOUNT, amount), C_ERROR);
			free(text);
			free(amount);
			return;
		}
		e.has_amount = *amount != '\0';
	}
	char day[16];
	snprintf(day, sizeof day, "%04d-%02d-%02d", s->app->today.y, s->app->today.m,
		 s->app->today.d);
	e.on_date = day;
	char *cause = NULL;
	if (store_task_add(s->app->st, &s->app->actor, &e, &cause) == SR_OK) {
		load(s);
		const struct ledger_item *now = ledger_find(&s->l, e.item);
		char *prog = now ? ledger_progress_text(now) : xstrdup("");
		set_status(s, msgf(MSG_TASK_NOTED, e.item, now ? item_state_label(now->state) : "", prog),
			   C_OK);
		free(prog);
	} else {
		set_status(s, cause, C_ERROR);
	}
	free(text);
	free(amount);
}

/* c and o: close or reopen, with a comment. */
static void decide(struct screen *s, const struct ledger_item *it, bool close)
{
	char *text = ask_text(s, close ? MSG_UI_ITEM_CLOSE : MSG_UI_ITEM_REOPEN);
	if (text == NULL)
		return;
	char day[16];
	snprintf(day, sizeof day, "%04d-%02d-%02d", s->app->today.y, s->app->today.m,
		 s->app->today.d);
	struct task_entry e = {.item = it->item->id, .kind = close ? "close" : "reopen",
			       .on_date = day, .note = text};
	char *cause = NULL;
	if (store_task_add(s->app->st, &s->app->actor, &e, &cause) == SR_OK) {
		set_status(s, msgf(close ? MSG_TASK_CLOSED : MSG_TASK_REOPENED, it->item->id,
				   it->item->text), C_OK);
		load(s);
	} else {
		set_status(s, cause, C_ERROR);
	}
	free(text);
}

static int note_line(const struct task_entry *e, void *arg)
{
	struct strv *lines = arg;
	enum msg_id kind = str_eq(e->kind, "close") ? MSG_TASK_KIND_CLOSE
			   : str_eq(e->kind, "reopen") ? MSG_TASK_KIND_REOPEN
						       : MSG_TASK_KIND_PROGRESS;
	struct buf b = {0};
	buf_printf(&b, "%s  %s", e->on_date, msg(kind));
	if (e->has_amount)
		buf_printf(&b, "  %+g", e->amount);
	if (e->township)
		buf_printf(&b, "  %s", e->township);
	buf_printf(&b, "  %s", e->note);
	if (e->done)
		buf_printf(&b, "（%s）", msg(MSG_TASK_MARKED_DONE));
	if (e->evidence)
		buf_printf(&b, "  [%s]", e->evidence);
	buf_printf(&b, "  — %s", e->as_user ? e->as_user : e->login);
	strv_take(lines, buf_take(&b));
	return 0;
}

/* The item whole, wrapped to cols. */
static void item_lines(struct screen *s, const struct ledger_item *it, size_t cols,
		       struct strv *lines)
{
	const struct item *item = it->item;
	const struct task *t = config_task(s->app->cfg, item->task);
	char *head = xasprintf("%d. %s", item->task, t ? t->title : "");
	text_wrap(head, cols, 0, lines);
	free(head);
	char *text = xasprintf("%s  %s", item->id, item->text);
	text_wrap(text, cols, 4, lines);
	free(text);
	char *who = msgf(MSG_LEDGER_WHO, item->unit ? item->unit : "", item->owner ? item->owner : "",
			 item->deadline ? item->deadline : "");
	text_wrap(who, cols, 0, lines);
	free(who);
	char *state = state_text(it), *prog = ledger_progress_text(it);
	char *st = msgf(MSG_LEDGER_STATE, state, prog);
	text_wrap(st, cols, 0, lines);
	free(st);
	free(state);
	free(prog);
	if (it->closed_on) {
		char *c = msgf(MSG_LEDGER_CLOSED, it->closed_on, it->closed_by, it->close_note);
		text_wrap(c, cols, 0, lines);
		free(c);
	}
	strv_add(lines, "");
	strv_add(lines, msg(MSG_UI_ITEM_NOTES));
	struct strv notes = {0};
	store_task_log(s->app->st, item->id, note_line, &notes, NULL);
	if (notes.n == 0)
		strv_add(lines, msg(MSG_TASK_NO_NOTES));
	for (size_t i = 0; i < notes.n; i++)
		text_wrap(notes.v[i], cols, 4, lines);
	strv_free(&notes);
}

static void item_run(struct screen *s)
{
	int top = 0;
	for (;;) {
		const struct ledger_item *it = &s->l.v[s->sel];
		erase();
		ui_title(msg(MSG_KEYS_ITEM), s->app->me->login);
		struct strv lines = {0};
		item_lines(s, it, (size_t)(ui_cols() - 4), &lines);
		ui_lines(&lines, &top, 2, ui_rows() - 5);
		strv_free(&lines);
		if (s->status)
			ui_status(s->status, s->sc);
		ui_keyline(&keys_item, when(s->app));
		curs_set(0);
		refresh();
		struct key k = ui_key();
		enum ui_action act = ui_action(&keys_item, k, when(s->app));
		if (act != UA_NONE)
			set_status(s, NULL, C_OK);
		switch (act) {
		case UA_BACK: return;
		case UA_HELP: ui_help_keys(); break;
		case UA_NOTE: note(s, it); break;
		case UA_CLOSE: decide(s, it, true); break;
		case UA_REOPEN: decide(s, it, false); break;
		default: ui_scroll(act, &top, ui_rows() - 5); break;	/* the item's lines */
		}
	}
}

void ledger_run(struct app *app)
{
	struct screen s = {.app = app};
	load(&s);
	for (;;) {
		if (s.l.n == 0) {
			set_status(&s, xstrdup(msg(MSG_TASK_NO_NOTES)), C_DIM);
			break;
		}
		draw_list(&s);
		struct key k = ui_key();
		enum ui_action act = ui_action(&keys_ledger, k, when(app));
		if (act == UA_BACK)
			break;
		if (act != UA_NONE)
			set_status(&s, NULL, C_OK);
		const struct ledger_item *it = &s.l.v[s.sel];
		switch (act) {
		case UA_DOWN: s.sel++; break;
		case UA_UP: s.sel--; break;
		case UA_PGDN: s.sel += list_rows(); break;
		case UA_PGUP: s.sel -= list_rows(); break;
		case UA_TOP: s.sel = 0; break;
		case UA_BOTTOM: s.sel = (int)s.l.n - 1; break;
		case UA_HELP: ui_help_keys(); break;
		case UA_OPEN: item_run(&s); break;
		case UA_NOTE: note(&s, it); break;
		case UA_CLOSE: decide(&s, it, true); break;
		case UA_REOPEN: decide(&s, it, false); break;
		default: break;
		}
	}
	free(s.status);
	ledger_free(&s.l);
	report_free(&s.r);
}
