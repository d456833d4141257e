/*
 * formview.c - the registration form: a label column and an input column,
 * our own line editor in every text field, lists for choices, each field
 * checked when it is left (its error beside it), Ctrl-S to save with the
 * cursor sent to the first error. Every field left is saved to the drafts
 * table, and so is the form on hangup: a dropped line loses nothing.
 *
 * Tab and Enter go through the fields a person fills; they pass what the
 * program filled itself (birth date and gender from a valid ID, a class's
 * shared values carried from the last trainee, the officer's one
 * township, an attendee's ID and the event's values carried in) and fields
 * hidden by show_if. The arrows visit every field,
 * so all of them stay reachable and editable.
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
	bool *autof;		/* filled by the program: Tab passes it (see the head) */
	bool *left;		/* the field has been left at least once */
	int cur, top;
	int status_rows;	/* rows the status took when last drawn */
	struct record *rec;	/* edit mode: the record being changed */
	bool dirty;
	bool event;		/* the form of an event type: saved by ev_add (events.h) */
	const struct reg_opts *extra;	/* saved with these (an attendee's event), no draft */
	char *flash;		/* a message for the status line, shown once (owned) */
	enum ui_color flash_color;
};

/* The key under which a draft keeps the field where work stopped: no
 * field's key can start with @, so it never meets a value. */
#define DRAFT_AT "@at"

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

/* Shows m (taken) on the status line at the next draw. */
static void say(struct fview *v, char *m, enum ui_color c)
{
	free(v->flash);
	v->flash = m;
	v->flash_color = c;
}

/* The index of the ID field that field i is filled from (a rule
 * id_matches_birth_date or id_matches_gender names it), or -1. */
static int id_source(const struct form *f, int i)
{
	for (size_t r = 0; r < f->nrules; r++) {
		const struct rule *ru = &f->rules[r];
		if ((ru->kind == RK_ID_MATCHES_BIRTH_DATE || ru->kind == RK_ID_MATCHES_GENDER) &&
		    str_eq(ru->field, f->fields[i].key) && ru->id_field)
			return form_field_index(f, ru->id_field);
	}
	return -1;
}

/* True when field i is shown: its show_if holds (or it has none). */
static bool shown(const struct fview *v, int i)
{
	const struct field *fd = &v->f->fields[i];
	if (fd->show_if.field == NULL)
		return true;
	int p = form_field_index(v->f, fd->show_if.field);
	char *t = p >= 0 ? ledit_text(&v->ed[p]) : xstrdup("");
	bool holds = cond_matches(&fd->show_if, *t ? t : NULL);
	free(t);
	return holds;
}

/* True when Tab and Enter stop at field i: a field the person fills. Not
 * one the program filled, one hidden by show_if, nor a field the ID will
 * fill while the ID is still to be typed. */
static bool tab_stop(const struct fview *v, int i)
{
	if (v->autof[i] || !shown(v, i))
		return false;
	int id = id_source(v->f, i);
	return id < 0 || v->left[id] || v->ed[id].n > 0;
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
	kv_set(&vals, DRAFT_AT, v->f->fields[v->cur].key);
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

/* Sets field i to value unless it holds it already; either way the field
 * now holds what the program filled, and Tab passes it. Returns true when
 * set. */
static bool fill(struct fview *v, int i, const char *value)
{
	char *now = i >= 0 ? ledit_text(&v->ed[i]) : NULL;
	bool set = now && strcmp(now, value) != 0;
	if (set) {
		ledit_set(&v->ed[i], value);
		set_err(v, i, NULL, false);
	}
	if (i >= 0)
		v->autof[i] = true;
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
	v->left[i] = true;
	if (validate_field(fd, text, &vals, v->app->cfg, &v->app->today, &out, &err) < 0) {
		set_err(v, i, err, false);
		for (size_t j = 0; fd->type == FT_ID_CARD && j < v->f->nfields; j++)
			if (id_source(v->f, (int)j) == i)	/* to be typed, then */
				v->autof[j] = false;
	} else {
		/* a field left saves nothing: taken by a record the user may
		 * see; one elsewhere is told at Ctrl-S (reg_taken) */
		set_err(v, i, reg_taken(&v->app->reg, v->f, fd->key, out,
					v->rec ? v->rec->uuid : NULL, false, NULL), false);
		if (strcmp(out, text) != 0 && !is_list(fd)) {
			ledit_set(&v->ed[i], out);
			v->dirty = true;
		}
		if (fd->type == FT_ID_CARD && fill_from_id(v, out))
			say(v, xstrdup(msg(MSG_UI_FORM_FILLED)), C_OK);
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
		/* only the townships the user may register in */
		for (size_t i = 0; i < v->app->cfg->ntowns; i++)
			if (auth_in_scope(v->app->me, v->app->cfg->towns[i].name))
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

/* Field i (a township) has changed: a village under it that the new
 * township does not hold is cleared at once, and the status line says so. */
static void township_changed(struct fview *v, int i)
{
	const struct field *fd = &v->f->fields[i];
	char *town = ledit_text(&v->ed[i]);
	const struct township *t = config_township(v->app->cfg, town);
	for (size_t j = 0; j < v->f->nfields; j++) {
		const struct field *c = &v->f->fields[j];
		if (c->type != FT_AREA || !str_eq(c->parent, fd->key))
			continue;
		char *village = ledit_text(&v->ed[j]);
		if (*village && !(t && strv_has(&t->villages, village))) {
			ledit_set(&v->ed[j], "");
			set_err(v, (int)j, NULL, false);
			v->autof[j] = false;
			say(v, *town ? msgf(MSG_UI_FORM_VILLAGE_CLEARED, c->label, village, town)
				       : msgf(MSG_UI_FORM_VILLAGE_CLEARED_NONE, c->label, village, fd->label),
			      C_WARN);
		} else if (*village) {
			set_err(v, (int)j, NULL, false);	/* it is checked again, and holds */
		}
		free(village);
	}
	free(town);
}

/* True when typed is part of one of opts (as the list filters). */
static bool some_option_has(const struct strv *opts, const char *typed)
{
	for (size_t i = 0; i < opts->n; i++)
		if (strstr(opts->v[i], typed))
			return true;
	return false;
}

/* Opens the list of a choice field, its filter holding typed (NULL: none);
 * returns true when a value was picked. A character that no option holds
 * (the digits of a phone number typed on the wrong field) does not open
 * it: the status line says why, and nothing is typed anywhere. */
static bool pick_value(struct fview *v, const char *typed)
{
	const struct field *fd = &v->f->fields[v->cur];
	struct strv opts = {0};
	list_options(v, fd, &opts);
	if (opts.n == 0) {
		say(v, xstrdup(msg(MSG_UI_NEED_TOWNSHIP_FIRST)), C_WARN);
		strv_free(&opts);
		return false;
	}
	if (typed && !some_option_has(&opts, typed)) {
		say(v, msgf(MSG_UI_FORM_NOT_AN_OPTION, typed, fd->label), C_WARN);
		strv_free(&opts);
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
		v->autof[v->cur] = false;
		set_err(v, v->cur, NULL, false);
		if (fd->type == FT_AREA && fd->parent == NULL)
			township_changed(v, v->cur);
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

/* Leaves the field (checking it, which may fill others) and moves to the
 * next one in direction dir (+1, -1): the next field the person fills, or
 * with every, the next field at all. At the end of the form it stays. */
static void step(struct fview *v, int dir, bool every)
{
	leave_field(v, v->cur, true);
	for (int i = v->cur + dir; i >= 0 && i < (int)v->f->nfields; i += dir)
		if (every || tab_stop(v, i)) {
			v->cur = i;
			return;
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

/* The one township the user may register in, or NULL (several, or all). */
static const char *only_township(const struct app *app)
{
	const char *one = NULL;
	for (size_t i = 0; i < app->cfg->ntowns; i++)
		if (auth_in_scope(app->me, app->cfg->towns[i].name)) {
			if (one)
				return NULL;
			one = app->cfg->towns[i].name;
		}
	return one;
}

/* Marks what the program filled in the values the form opens with:
 * birth date and gender that a valid ID gives (so that a record or a draft
 * opened again passes them too), the user's one township. */
static void mark_filled(struct fview *v)
{
	for (size_t i = 0; i < v->f->nfields; i++) {
		int id = id_source(v->f, (int)i);
		if (id < 0 || v->ed[i].n == 0)
			continue;
		char *idt = ledit_text(&v->ed[id]), *t = ledit_text(&v->ed[i]);
		struct id_info info;
		if (id_card_info(idt, &info) == 0) {
			char *want = str_eq(v->f->fields[i].key, "gender")
					     ? xstrdup(info.male ? "男" : "女")
					     : xasprintf("%04d-%02d-%02d", info.birth.y, info.birth.m,
							 info.birth.d);
			v->autof[i] = str_eq(t, want);
			free(want);
		}
		free(idt);
		free(t);
	}
	const char *town = only_township(v->app);
	for (size_t i = 0; town && i < v->f->nfields; i++) {
		const struct field *fd = &v->f->fields[i];
		if (fd->type != FT_AREA || fd->parent)
			continue;
		if (v->ed[i].n == 0)
			ledit_set(&v->ed[i], town);
		char *t = ledit_text(&v->ed[i]);
		v->autof[i] = str_eq(t, town);
		free(t);
	}
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
	v->autof = xcalloc(f->nfields, sizeof *v->autof);
	v->left = xcalloc(f->nfields, sizeof *v->left);
	for (size_t i = 0; i < f->nfields; i++) {
		const char *val = vals ? kv_get(vals, f->fields[i].key) : NULL;
		ledit_set(&v->ed[i], val ? val : f->fields[i].def ? f->fields[i].def : "");
		v->ed[i].max_chars = EDIT_MAX_CHARS;
	}
	mark_filled(v);
	/* the cursor where work stopped (a draft), else on the first field to fill */
	const char *at = vals ? kv_get(vals, DRAFT_AT) : NULL;
	int i = at ? form_field_index(f, at) : -1;
	if (i < 0)
		for (i = 0; i + 1 < (int)f->nfields && !tab_stop(v, i); i++)
			;
	v->cur = i;
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
	free(v->autof);
	free(v->left);
	free(v->flash);
}

enum form_end { END_LEFT, END_SAVED };

/* Applies an editing key to the current text field; a change takes the
 * field's old error away at once (it is checked again when left). */
static void edit_key(struct fview *v, struct key k)
{
	struct ledit *e = &v->ed[v->cur];
	bool was = e->dirty;
	e->dirty = false;
	if (ui_edit_key(e, k) && e->dirty) {
		v->dirty = true;
		v->autof[v->cur] = false;
		set_err(v, v->cur, NULL, false);
	}
	e->dirty |= was;
}

/* Runs the form until it is saved or left. */
static enum form_end fview_run(struct fview *v, char **saved_uuid)
{
	ui_on_hangup(on_hangup, v);
	char *status = NULL;	/* what the last action says, shown once */
	enum ui_color sc = C_ERROR;
	enum form_end end = END_LEFT;
	for (;;) {
		if (status == NULL && v->flash) {
			status = v->flash;
			sc = v->flash_color;
			v->flash = NULL;
		}
		draw(v, status, sc);
		free(status);
		status = NULL;
		sc = C_ERROR;
		struct key k = ui_key();
		const struct field *fd = &v->f->fields[v->cur];
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
			if (!v->dirty || ui_confirm(msg(v->rec ? MSG_UI_FORM_LEAVE_EDIT
						   : v->event || v->extra ? MSG_UI_FORM_LEAVE_NODRAFT
									  : MSG_UI_FORM_LEAVE))) {
				/* the question promised a draft: leave without one only when told to */
				if (save_draft(v, &status) || ui_confirm(msg(MSG_UI_FORM_DRAFT_FAILED))) {
					free(status);
					status = NULL;
					goto out;
				}
			}
			break;
		case UA_NEXT_FIELD: step(v, +1, false); break;
		case UA_PREV_FIELD: step(v, -1, false); break;
		case UA_DOWN: step(v, +1, true); break;
		case UA_UP: step(v, -1, true); break;
		case UA_PGDN: go(v, v->cur + rows_shown(v)); break;
		case UA_PGUP: go(v, v->cur - rows_shown(v)); break;
		case UA_HELP: ui_help_keys(); break;
		case UA_PICK:	/* a value picked goes on to the next field, as Tab would */
			if (pick_value(v, NULL))
				step(v, +1, false);
			break;
		case UA_PICK_TYPED:
			/* typing on a list opens it, filtered by what is typed */
			if (!text_forbidden((uint32_t)k.ch) && utf8_encode((uint32_t)k.ch, typed) > 0 &&
			    pick_value(v, typed))
				step(v, +1, false);
			break;
		case UA_CLEAR:
			ledit_clear(&v->ed[v->cur]);
			v->dirty = true;
			v->autof[v->cur] = false;
			set_err(v, v->cur, NULL, false);
			if (fd->type == FT_AREA && fd->parent == NULL)
				township_changed(v, v->cur);
			break;
		default:
			if (!is_list(fd))
				edit_key(v, k);
		}
	}
out:
	free(status);
	ui_on_hangup(NULL, NULL);
	return end;
}

/* The saved draft of form f as values (new), or NULL when there is none. */
static struct kv *load_draft(struct app *app, const struct form *f)
{
	char *json = NULL;
	if (store_draft_load(app->st, app->me->login, f->key, &json, NULL) != SR_OK || !json)
		return NULL;
	struct kv *vals = xcalloc(1, sizeof *vals);
	int rc = kv_from_json(json, vals);
	free(json);
	if (rc != 0) {
		kv_free(vals);
		free(vals);
		return NULL;
	}
	return vals;
}

/* Offers a saved draft of form f; returns its values (new) or NULL. */
static struct kv *offer_draft(struct app *app, const struct form *f)
{
	struct kv *vals = load_draft(app, f);
	if (vals == NULL)
		return NULL;
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
	bool take = ui_confirm(q);
	free(q);
	strv_free(&forms);
	strv_free(&times);
	if (!take) {
		kv_free(vals);
		free(vals);
		return NULL;
	}
	return vals;
}

/* The values of the fields f carries from one registration to the next
 * (a training class's), as the form holds them after a save. */
static void carried(const struct fview *v, struct kv *out)
{
	for (size_t i = 0; i < v->f->carry.n; i++) {
		int fi = form_field_index(v->f, v->f->carry.v[i]);
		char *t = fi >= 0 ? ledit_text(&v->ed[fi]) : NULL;
		if (t && *t)
			kv_set(out, v->f->carry.v[i], t);
		free(t);
	}
}

/* Marks the carried fields as filled and says which they are. */
static void mark_carried(struct fview *v, const struct kv *carry)
{
	struct buf b = {0};
	for (size_t i = 0; i < carry->keys.n; i++) {
		int fi = form_field_index(v->f, carry->keys.v[i]);
		if (fi < 0)
			continue;
		v->autof[fi] = true;
		buf_printf(&b, "%s%s", b.len ? "、" : "", v->f->fields[fi].label);
	}
	if (b.len)
		say(v, msgf(MSG_UI_FORM_CARRIED, b.s), C_OK);
	buf_free(&b);
	/* the cursor on the first field to fill */
	for (v->cur = 0; v->cur + 1 < (int)v->f->nfields && !tab_stop(v, v->cur); v->cur++)
		;
}

/* Runs new registrations of f, the first from vals (a draft, or NULL for
 * a blank form); after each save, asks whether to register another, which
 * starts with the values the form carries. */
static void form_run_new(struct app *app, const struct form *f, struct kv *vals)
{
	struct kv carry = {0};
	for (;;) {
		struct fview v;
		fview_init(&v, app, f, vals ? vals : &carry);
		v.dirty = vals != NULL;
		if (vals == NULL && carry.keys.n)
			mark_carried(&v, &carry);
		if (vals) {
			kv_free(vals);
			free(vals);
			vals = NULL;
		}
		char *uuid = NULL;
		enum form_end end = fview_run(&v, &uuid);
		kv_free(&carry);
		if (end == END_SAVED)
			carried(&v, &carry);
		fview_free(&v);
		if (end != END_SAVED)
			break;
		char *q = msgf(MSG_UI_FORM_NEXT, uuid, f->title);
		free(uuid);
		bool again = ui_confirm(q);
		free(q);
		if (!again)
			break;
	}
	kv_free(&carry);
}

void form_new(struct app *app, const struct form *f)
{
	form_run_new(app, f, offer_draft(app, f));
}

void form_draft(struct app *app, const struct form *f)
{
	struct kv *vals = load_draft(app, f);
	if (vals)
		form_run_new(app, f, vals);
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
	/* an attendee's: the ID typed at the prompt, the event's carried and
	 * preset values are the program's; Tab passes them */
	for (size_t i = 0; init && i < f->nfields; i++)
		if (!str_empty(kv_get(init, f->fields[i].key)))
			v.autof[i] = true;
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
