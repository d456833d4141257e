/*
 * formview.c - the registration form: a label column and an input column,
 * our own line editor in every text field, lists for choices, each field
 * checked when it is left (its error beside it), Ctrl-S to save with the
 * cursor sent to the first error. Every field left is saved to the drafts
 * table, and so is the form on hangup: a dropped line loses nothing.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "lineedit.h"
#include "events.h"
#include "registry.h"
#include "text.h"
#include "ui.h"

#define LABEL_MIN 18
#define LABEL_MAX 26
/* What the line editor holds at most, whatever the form allows: the form's
 * max_chars is checked (and shown) instead of silently refusing the rest. */
#define EDIT_MAX_CHARS 2000

struct fview {
	struct app *app;
	const struct form *f;
	struct ledit *ed;	/* one per field: the text as typed */
	char **err;		/* one per field: its problem, or NULL */
	bool *warn;		/* the problem is a warning */
	int cur, top;
	int status_rows;	/* rows the status took when last drawn */
	struct record *rec;	/* edit mode: the record being changed */
	bool dirty;
	bool event;		/* the form of an event type: saved by ev_add (events.h) */
	const struct reg_opts *extra;	/* saved with these (an attendee's event), no draft */
};

/* Choices, yes/no and areas are picked from a list, not typed. */
static bool is_list(const struct field *fd)
{
	return fd->type == FT_CHOICE || fd->type == FT_MULTI || fd->type == FT_YESNO ||
	       fd->type == FT_AREA;
}

/* The values of every field as typed (multi values joined by |). */
static void collect(const struct fview *v, struct kv *vals)
{
	for (size_t i = 0; i < v->f->nfields; i++) {
		char *t = ledit_text(&v->ed[i]);
		if (*t)
			kv_set(vals, v->f->fields[i].key, t);
		free(t);
	}
}

static void set_err(struct fview *v, int i, char *e, bool warn)
{
	free(v->err[i]);
	v->err[i] = e;
	v->warn[i] = warn;
}

/* Saves the form as the user's draft (new registrations only). Returns
 * false, with the reason in *cause (new; cause may be NULL), when the store
 * could not write it (a full disk, say). */
static bool save_draft(struct fview *v, char **cause)
{
	if (v->rec || !v->dirty || v->event || v->extra)
		return true;
	struct kv vals = {0};
	struct buf b = {0};
	collect(v, &vals);
	kv_to_json(&vals, &b);
	int rc = store_draft_save(v->app->st, v->app->me->login, v->f->key, b.s, cause);
	buf_free(&b);
	kv_free(&vals);
	return rc == SR_OK;
}

static void on_hangup(void *arg)
{
	save_draft(arg, NULL);
}

/* Sets field i to value unless it holds it already; returns true when set. */
static bool fill(struct fview *v, int i, const char *value)
{
	char *now = i >= 0 ? ledit_text(&v->ed[i]) : NULL;
	bool set = now && strcmp(now, value) != 0;
	if (set) {
		ledit_set(&v->ed[i], value);
		set_err(v, i, NULL, false);
	}
	free(now);
	return set;
}

/* Fills birth date and gender from a valid ID number: the ID is what they
 * are read from, so a corrected ID corrects them too. */
static bool fill_from_id(struct fview *v, const char *id)
{
	struct id_info info;
	if (id_card_info(id, &info) < 0)
		return false;
	char *s = xasprintf("%04d-%02d-%02d", info.birth.y, info.birth.m, info.birth.d);
	bool filled = fill(v, form_field_index(v->f, "birth_date"), s);
	filled |= fill(v, form_field_index(v->f, "gender"), info.male ? "男" : "女");
	free(s);
	return filled;
}

/* Checks field i on its own when it is left, as a save would (its form
 * rules, and a value that must be unique, or the person, against the
 * category's other records); shows the normalised value; saves the draft
 * unless draft is false (a save follows at once). */
static void leave_field(struct fview *v, int i, bool draft)
{
	const struct field *fd = &v->f->fields[i];
	struct kv vals = {0};
	collect(v, &vals);
	char *text = ledit_text(&v->ed[i]), *out = NULL, *err = NULL;
	if (validate_field(fd, text, &vals, v->app->cfg, &v->app->today, &out, &err) < 0) {
		set_err(v, i, err, false);
	} else {
		set_err(v, i, reg_taken(&v->app->reg, v->f, fd->key, out,
					v->rec ? v->rec->uuid : NULL, NULL), false);
		if (strcmp(out, text) != 0 && !is_list(fd)) {
			ledit_set(&v->ed[i], out);
			v->dirty = true;
		}
		if (fd->type == FT_ID_CARD && fill_from_id(v, out))
			ui_status(msg(MSG_UI_FORM_FILLED), C_OK);
		free(out);
	}
	free(text);
	kv_free(&vals);
	if (draft)
		save_draft(v, NULL);
}

/* The label column: as wide as the form's longest label (and its * and
 * the current field's >), within LABEL_MIN..LABEL_MAX columns; a label
 * wider still ends in a marker. */
static int label_cols(const struct fview *v)
{
	int w = LABEL_MIN;
	for (size_t i = 0; i < v->f->nfields; i++) {
		int lw = (int)text_width(v->f->fields[i].label) + 3;
		if (lw > w)
			w = lw;
	}
	return w > LABEL_MAX ? LABEL_MAX : w;
}

static int input_cols(const struct fview *v)
{
	int w = (ui_cols() - label_cols(v) - 4) / 2;
	return w > 40 ? 40 : w;
}

/* Rows for fields: all but the title, the row under it, the status rows
 * (as many as the last status needed) and the key line. */
static int rows_shown(const struct fview *v)
{
	return ui_rows() - 3 - (v->status_rows > 0 ? v->status_rows : 1);
}

static void draw_field(struct fview *v, int i, int y, int *cx)
{
	const struct field *fd = &v->f->fields[i];
	bool here = i == v->cur;
	int lc = label_cols(v);
	/* the current field is marked on its label, so that the input itself is
	 * drawn without attributes while typing */
	char *label = xasprintf("%s%s", fd->required ? "*" : " ", fd->label);
	ui_text(y, 0, here ? ">" : " ", 1, ui_attr(C_SELECTED), false);
	ui_text(y, 1, label, lc - 1, here ? ui_attr(C_SELECTED) : 0, true);
	free(label);
	int x = lc + 1, w = input_cols(v);
	if (here && !is_list(fd)) {
		*cx = ui_edit_draw(y, x, w, &v->ed[i], 0);	/* plain: a typed character costs only its bytes */
	} else {
		char *t = ledit_text(&v->ed[i]);
		if (fd->type == FT_MULTI) {
			char *items = present_items(t);
			free(t);
			t = items;
		}
		if (here && *t == '\0')
			ui_text(y, x, msg(MSG_UI_FORM_CHOOSE), w, ui_attr(C_SELECTED), true);
		else	/* a value wider than the field ends in a marker */
			ui_text(y, x, t, w, here ? ui_attr(C_SELECTED) : (int)A_UNDERLINE, true);
		free(t);
		if (here)
			*cx = x;
	}
	/* the error beside its field, ending in a marker when it is longer; the
	 * current field's is on the status rows whole */
	if (v->err[i])
		ui_text(y, x + w + 2, v->err[i], ui_cols() - x - w - 3,
			ui_attr(v->warn[i] ? C_WARN : C_ERROR), false);
}

/* A text field holding more characters than its form allows says so at
 * once (the editor takes them, so nothing typed or pasted is silently cut). */
static char *too_long(const struct fview *v)
{
	const struct field *fd = &v->f->fields[v->cur];
	if (is_list(fd) || fd->max_chars <= 0 || v->ed[v->cur].n <= (size_t)fd->max_chars)
		return NULL;
	return msgf(MSG_UI_FORM_TOO_LONG, fd->label, fd->max_chars, (int)v->ed[v->cur].n);
}

static void draw(struct fview *v, const char *status, enum ui_color sc)
{
	erase();
	char *title = v->rec ? msgf(MSG_UI_FORM_EDIT, v->f->title, v->rec->uuid)
			     : msgf(MSG_UI_FORM_NEW, v->f->title);
	ui_title(title, v->app->me->login);
	free(title);
	if (v->rec && v->rec->comment) {	/* why it was returned, while it is fixed */
		char *c = msgf(MSG_UI_FORM_RETURNED_BECAUSE, v->rec->comment);
		ui_text(1, 1, c, ui_cols() - 2, ui_attr(C_WARN), false);
		free(c);
	}
	const struct field *fd = &v->f->fields[v->cur];
	char *longer = status ? NULL : too_long(v);
	const char *st = status ? status : longer ? longer : v->err[v->cur] ? v->err[v->cur] : fd->help;
	enum ui_color stc = status ? sc : longer ? C_ERROR
				   : v->err[v->cur] ? (v->warn[v->cur] ? C_WARN : C_ERROR) : C_DIM;
	v->status_rows = ui_status_rows(st);
	int n = (int)v->f->nfields, shown = rows_shown(v);
	if (v->cur < v->top)
		v->top = v->cur;
	if (v->cur >= v->top + shown)
		v->top = v->cur - shown + 1;
	int cx = 0;
	for (int i = v->top; i < n && i - v->top < shown; i++)
		draw_field(v, i, 2 + i - v->top, &cx);
	ui_status(st, stc);
	free(longer);
	/* on a choice field ? opens the help; in a text field it is typed */
	const struct ui_keymap *list[] = {&keys_form, &keys_form_list};
	const struct ui_keymap *text[] = {&keys_form, &keys_edit};
	char *foot = ui_footer(is_list(fd) ? list : text, 2, 0);
	ui_keys(foot);
	free(foot);
	move(2 + v->cur - v->top, cx);
	curs_set(is_list(fd) ? 0 : 1);
	refresh();
}

/* The options a list field offers now (an area's depend on the township). */
static void list_options(struct fview *v, const struct field *fd, struct strv *opts)
{
	if (fd->type == FT_YESNO) {
		strv_add(opts, "是");
		strv_add(opts, "否");
	} else if (fd->type == FT_AREA && fd->parent == NULL) {
		for (size_t i = 0; i < v->app->cfg->ntowns; i++)
			strv_add(opts, v->app->cfg->towns[i].name);
	} else if (fd->type == FT_AREA) {
		int p = form_field_index(v->f, fd->parent);
		char *town = p >= 0 ? ledit_text(&v->ed[p]) : xstrdup("");
		const struct township *t = config_township(v->app->cfg, town);
		for (size_t i = 0; t && i < t->villages.n; i++)
			strv_add(opts, t->villages.v[i]);
		free(town);
	} else {
		for (size_t i = 0; i < fd->options.n; i++)
			strv_add(opts, fd->options.v[i]);
	}
}

/* Opens the list of a choice field, its filter holding typed (NULL: none);
 * returns true when a value was picked. */
static bool pick_value(struct fview *v, const char *typed)
{
	const struct field *fd = &v->f->fields[v->cur];
	struct strv opts = {0};
	list_options(v, fd, &opts);
	if (opts.n == 0) {
		ui_status(msg(MSG_UI_NEED_TOWNSHIP_FIRST), C_WARN);
		return false;
	}
	struct pick_item *items = xcalloc(opts.n, sizeof *items);
	bool *marked = xcalloc(opts.n, sizeof *marked);
	char *now = ledit_text(&v->ed[v->cur]);
	struct strv cur = {0};
	strv_split(&cur, now, '|');
	int start = 0;
	for (size_t i = 0; i < opts.n; i++) {
		items[i] = (struct pick_item){opts.v[i], opts.v[i]};
		marked[i] = strv_has(&cur, opts.v[i]);
		if (str_eq(now, opts.v[i]))
			start = (int)i;
	}
	char *title = msgf(MSG_UI_PICK_FIELD, fd->label);
	int got = ui_pick_typed(title, items, (int)opts.n, fd->type == FT_MULTI, marked, start,
				typed);
	if (got >= 0) {
		struct buf b = {0};
		buf_add(&b, "", 0);
		for (size_t i = 0; i < opts.n; i++)
			if (fd->type == FT_MULTI ? marked[i] : (int)i == got)
				buf_printf(&b, "%s%s", b.len ? "|" : "", opts.v[i]);
		ledit_set(&v->ed[v->cur], b.s);
		buf_free(&b);
		v->dirty = true;
	}
	free(title);
	free(now);
	strv_free(&cur);
	strv_free(&opts);
	free(items);
	free(marked);
	return got >= 0;
}

/* Moves to field to (within the form), checking the field left. */
static void go(struct fview *v, int to)
{
	int n = (int)v->f->nfields;
	if (to < 0)
		to = 0;
	if (to >= n)
		to = n - 1;
	if (to != v->cur) {
		leave_field(v, v->cur, true);
		v->cur = to;
	}
}

/* Shows every issue of a save beside its field (the first one on each) and
 * moves the cursor to the first field in error. Returns the warnings as one
 * line to ask about (new), or NULL. */
static char *show_issues(struct fview *v, const struct issues *is)
{
	for (size_t i = 0; i < v->f->nfields; i++)
		set_err(v, (int)i, NULL, false);
	struct buf w = {0};
	int first = -1;
	for (size_t i = 0; i < is->n; i++) {
		int fi = form_field_index(v->f, is->v[i].field);
		bool warn = is->v[i].severity == SEV_WARN;
		if (fi >= 0 && !v->err[fi])
			set_err(v, fi, xstrdup(is->v[i].message), warn);
		if (!warn && fi >= 0 && (first < 0 || fi < first))
			first = fi;
		if (warn)
			buf_printf(&w, "%s%s", w.len ? "；" : "", is->v[i].message);
	}
	if (first >= 0)
		v->cur = first;
	return w.s;
}

/* One save through the registry: a new record (its draft deleted in the
 * same transaction) or the edited one, every field of the form given. */
static void save_once(struct fview *v, const struct reg_opts *o, struct reg_result *res)
{
	struct kv vals = {0};
	collect(v, &vals);
	if (v->event) {
		ev_add(&v->app->reg, v->f, &vals, o, res);
	} else if (v->rec == NULL && v->extra) {
		struct reg_opts with = *o;
		with.then = v->extra->then;
		with.then_arg = v->extra->then_arg;
		with.drop_draft = false;
		reg_add(&v->app->reg, v->f, &vals, &with, res);
	} else if (v->rec == NULL) {
		reg_add(&v->app->reg, v->f, &vals, o, res);
	} else {
		for (size_t i = 0; i < v->f->nfields; i++)	/* an empty field clears it */
			if (!kv_get(&vals, v->f->fields[i].key))
				kv_set(&vals, v->f->fields[i].key, "");
		reg_edit(&v->app->reg, v->f, v->rec, &vals, o, res);
	}
	kv_free(&vals);
}

/* Saves the record; returns true when it was saved (or nothing changed).
 * Otherwise *status may get a new message for the status line (what
 * blocked the save). Warnings are asked about, and saved when confirmed. */
static bool save(struct fview *v, char **saved_uuid, char **status)
{
	leave_field(v, v->cur, false);
	struct reg_opts o = {.drop_draft = v->rec == NULL};
	struct reg_result res;
	for (;;) {
		save_once(v, &o, &res);
		char *warnings = show_issues(v, &res.is);
		bool ask = res.outcome == REG_UNCONFIRMED;
		char *q = ask ? msgf(MSG_UI_FORM_WARNINGS, warnings) : NULL;
		free(warnings);
		if (ask)
			draw(v, NULL, C_NORMAL);
		bool again = ask && ui_confirm(q);
		free(q);
		if (!again)
			break;
		reg_result_free(&res);
		o.confirm = true;
	}
	bool ok = res.outcome == REG_SAVED || res.outcome == REG_UNCHANGED;
	if (ok)
		*saved_uuid = xstrdup(v->rec ? v->rec->uuid : res.uuid);
	else if (res.outcome == REG_INVALID)
		*status = msgf(MSG_UI_FORM_ERRORS, res.is.errors);
	else if (res.outcome == REG_DENIED || res.outcome == REG_FAILED)
		*status = msgf(MSG_UI_FORM_SAVE_FAILED, res.cause ? res.cause : "");
	reg_result_free(&res);
	return ok;
}

static void fview_init(struct fview *v, struct app *app, const struct form *f,
		       const struct kv *vals)
{
	memset(v, 0, sizeof *v);
	v->app = app;
	v->f = f;
	v->ed = xcalloc(f->nfields, sizeof *v->ed);
	v->err = xcalloc(f->nfields, sizeof *v->err);
	v->warn = xcalloc(f->nfields, sizeof *v->warn);
	for (size_t i = 0; i < f->nfields; i++) {
		const char *val = vals ? kv_get(vals, f->fields[i].key) : NULL;
		ledit_set(&v->ed[i], val ? val : f->fields[i].def ? f->fields[i].def : "");
		v->ed[i].max_chars = EDIT_MAX_CHARS;
	}
}

static void fview_free(struct fview *v)
{
	for (size_t i = 0; i < v->f->nfields; i++) {
		ledit_free(&v->ed[i]);
		free(v->err[i]);
	}
	free(v->ed);
	free(v->err);
	free(v->warn);
}

enum form_end { END_LEFT, END_SAVED };

/* Runs the form until it is saved or left. */
static enum form_end fview_run(struct fview *v, char **saved_uuid)
{
	ui_on_hangup(on_hangup, v);
	char *status = NULL;	/* what the last action says, shown once */
	enum form_end end = END_LEFT;
	for (;;) {
		draw(v, status, C_ERROR);
		free(status);
		status = NULL;
		struct key k = ui_key();
		const struct field *fd = &v->f->fields[v->cur];
		int n = (int)v->f->nfields;
		if (k.fn && k.ch == KEY_RESIZE)
			continue;
		/* a choice field's own keys first, then the form's */
		enum ui_action act = is_list(fd) ? ui_action(&keys_form_list, k, 0) : UA_NONE;
		if (act == UA_NONE)
			act = ui_action(&keys_form, k, 0);
		char typed[5] = {0};
		switch (act) {
		case UA_SAVE:
			if (save(v, saved_uuid, &status)) {
				end = END_SAVED;
				goto out;
			}
			break;
		case UA_BACK:
			draw(v, NULL, C_NORMAL);
			if (!v->dirty || ui_confirm(msg(v->rec ? MSG_UI_FORM_LEAVE_EDIT : MSG_UI_FORM_LEAVE))) {
				/* the question promised a draft: leave without one only when told to */
				if (save_draft(v, &status) || ui_confirm(msg(MSG_UI_FORM_DRAFT_FAILED))) {
					free(status);
					status = NULL;
					goto out;
				}
			}
			break;
		case UA_NEXT_FIELD: go(v, v->cur + 1); break;
		case UA_PREV_FIELD: go(v, v->cur - 1); break;
		case UA_PGDN: go(v, v->cur + rows_shown(v)); break;
		case UA_PGUP: go(v, v->cur - rows_shown(v)); break;
		case UA_HELP: ui_help_keys(); break;
		case UA_PICK:
			if (pick_value(v, NULL))
				go(v, v->cur + 1 < n ? v->cur + 1 : v->cur);
			break;
		case UA_PICK_TYPED:
			/* typing on a list opens it, filtered by what is typed */
			if (!text_forbidden((uint32_t)k.ch) && utf8_encode((uint32_t)k.ch, typed) > 0 &&
			    pick_value(v, typed))
				go(v, v->cur + 1 < n ? v->cur + 1 : v->cur);
			break;
		case UA_CLEAR:
			ledit_clear(&v->ed[v->cur]);
			v->dirty = true;
			break;
		default:
			if (!is_list(fd) && ui_edit_key(&v->ed[v->cur], k) && v->ed[v->cur].dirty)
				v->dirty = true;
		}
	}
out:
	ui_on_hangup(NULL, NULL);
	return end;
}

/* Offers a saved draft of form f; returns its values (new) or NULL. */
static struct kv *offer_draft(struct app *app, const struct form *f)
{
	char *json = NULL;
	if (store_draft_load(app->st, app->me->login, f->key, &json, NULL) != SR_OK || !json)
		return NULL;
	struct kv *vals = xcalloc(1, sizeof *vals);
	struct strv forms = {0}, times = {0};
	store_draft_list(app->st, app->me->login, &forms, &times, NULL);
	const char *when = "";
	for (size_t i = 0; i < forms.n; i++)
		if (str_eq(forms.v[i], f->key))
			when = times.v[i];
	char *local = time_local(when);
	char *q = msgf(MSG_UI_FORM_DRAFT_FOUND, f->title, local);
	free(local);
	erase();
	ui_title(msg(MSG_UI_APP_TITLE), NULL);
	bool take = kv_from_json(json, vals) == 0 && ui_confirm(q);
	free(q);
	free(json);
	strv_free(&forms);
	strv_free(&times);
	if (!take) {
		kv_free(vals);
		free(vals);
		return NULL;
	}
	return vals;
}

void form_new(struct app *app, const struct form *f)
{
	struct kv *draft = offer_draft(app, f);
	for (;;) {
		struct fview v;
		fview_init(&v, app, f, draft);
		v.dirty = draft != NULL;
		if (draft) {
			kv_free(draft);
			free(draft);
			draft = NULL;
		}
		char *uuid = NULL;
		enum form_end end = fview_run(&v, &uuid);
		fview_free(&v);
		if (end != END_SAVED)
			return;
		char *q = msgf(MSG_UI_FORM_NEXT, uuid, f->title);
		free(uuid);
		bool again = ui_confirm(q);
		free(q);
		if (!again)
			return;
	}
}

/* Runs form f once, filled with init, the cursor on its first required
 * field still empty; returns the saved record's (or event's) uuid, or NULL. */
static char *form_once(struct app *app, const struct form *f, const struct kv *init, bool event,
		       const struct reg_opts *extra)
{
	struct fview v;
	fview_init(&v, app, f, init);
	v.event = event;
	v.extra = extra;
	for (size_t i = 0; i < f->nfields; i++) {
		char *t = ledit_text(&v.ed[i]);
		bool empty = *t == '\0';
		free(t);
		if (f->fields[i].required && empty) {
			v.cur = (int)i;
			break;
		}
	}
	char *uuid = NULL;
	if (fview_run(&v, &uuid) != END_SAVED) {
		free(uuid);
		uuid = NULL;
	}
	fview_free(&v);
	return uuid;
}

char *form_event_new(struct app *app, const struct form *type)
{
	return form_once(app, type, NULL, true, NULL);
}

char *form_attendee_new(struct app *app, const struct form *f, const struct kv *init,
			const struct reg_opts *extra)
{
	return form_once(app, f, init, false, extra);
}

void form_edit(struct app *app, const char *uuid)
{
	struct record *r = NULL;
	char *cause = NULL;
	if (store_get(app->st, &app->actor, uuid, &r, &cause) != SR_OK) {
		ui_status(cause, C_ERROR);
		free(cause);
		return;
	}
	const struct form *f = formset_find(&app->cfg->forms, r->category);
	if (f) {
		struct fview v;
		fview_init(&v, app, f, &r->vals);
		v.rec = r;
		char *saved = NULL;
		fview_run(&v, &saved);
		free(saved);
		fview_free(&v);
	}
	record_free(r);
	free(r);
}
