/*
 * drafts.c - the user's drafts, one line each: the person's name (what the
 * draft holds of it), the category, and when it was last saved, in local
 * time. Enter opens the one chosen at once, the cursor where work stopped;
 * D (or Del) deletes a stale one after one question; Esc goes back. A form
 * opened from here goes back home when it ends, so no key meant for home
 * lands in this list.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ui.h"

struct drafts {
	struct strv forms;	/* form keys, newest first */
	struct strv lines;	/* what each row shows */
	struct strv names;	/* the person's name, or the placeholder */
};

static void drafts_free(struct drafts *d)
{
	strv_free(&d->forms);
	strv_free(&d->lines);
	strv_free(&d->names);
}

/* Reads the user's drafts: their forms, names and times. */
static void load(struct app *app, struct drafts *d)
{
	drafts_free(d);
	struct strv forms = {0}, times = {0};
	store_draft_list(app->st, app->me->login, &forms, &times, NULL);
	for (size_t i = 0; i < forms.n; i++) {
		const struct form *f = formset_find(&app->cfg->forms, forms.v[i]);
		if (f == NULL)	/* a category no longer configured */
			continue;
		char *json = NULL;
		struct kv vals = {0};
		store_draft_load(app->st, app->me->login, f->key, &json, NULL);
		const char *name = json && kv_from_json(json, &vals) == 0 ? kv_get(&vals, "name") : NULL;
		strv_add(&d->names, name && *name ? name : msg(MSG_UI_DRAFT_NO_NAME));
		char *when = time_local(times.v[i]);
		/* the name first, in a column of its own (names are short) */
		const char *nm = d->names.v[d->names.n - 1];
		size_t w = text_width(nm);
		strv_take(&d->lines, xasprintf("%s%*s  %s  %s", nm, (int)(w < 12 ? 12 - w : 0), "",
					       f->title, when));
		strv_add(&d->forms, f->key);
		free(when);
		free(json);
		kv_free(&vals);
	}
	strv_free(&forms);
	strv_free(&times);
}

static void draw(struct app *app, const struct drafts *d, int sel, int *top, const char *status,
		 enum ui_color sc)
{
	erase();
	ui_title(msg(MSG_UI_DRAFTS_TITLE), app->me->login);
	int rows = ui_rows() - 5, n = (int)d->lines.n;
	if (n == 0)
		ui_text(2, 2, msg(MSG_UI_NO_DRAFTS), ui_cols() - 4, ui_attr(C_DIM), false);
	if (sel < *top)
		*top = sel;
	if (sel >= *top + rows)
		*top = sel - rows + 1;
	for (int i = *top; i < n && i - *top < rows; i++) {
		int attr = i == sel ? ui_attr(C_SELECTED) : 0;
		ui_text(2 + i - *top, 2, d->lines.v[i], ui_cols() - 4, attr, i == sel);
	}
	if (status)
		ui_status(status, sc);
	ui_keyline(&keys_drafts, 0);
	curs_set(0);
	refresh();
}

void drafts_run(struct app *app)
{
	struct drafts d = {0};
	int sel = 0, top = 0;
	char *status = NULL;
	enum ui_color sc = C_OK;
	load(app, &d);
	for (;;) {
		int n = (int)d.lines.n;
		if (sel >= n)
			sel = n ? n - 1 : 0;
		draw(app, &d, sel, &top, status, sc);
		free(status);
		status = NULL;
		struct key k = ui_key();
		switch (ui_action(&keys_drafts, k, 0)) {
		case UA_BACK:
			drafts_free(&d);
			return;
		case UA_DOWN: sel += sel + 1 < n; break;
		case UA_UP: sel -= sel > 0; break;
		case UA_HELP: ui_help_keys(); break;
		case UA_OPEN:
			if (n) {	/* at once, and home after it */
				const struct form *f = formset_find(&app->cfg->forms, d.forms.v[sel]);
				drafts_free(&d);
				if (f)
					form_draft(app, f);
				return;
			}
			break;
		case UA_DELETE:
			if (n) {
				const struct form *f = formset_find(&app->cfg->forms, d.forms.v[sel]);
				char *q = msgf(MSG_UI_DRAFT_DELETE_Q, d.names.v[sel], f ? f->title : "");
				if (ui_confirm(q)) {
					char *cause = NULL;
					if (store_draft_delete(app->st, app->me->login, d.forms.v[sel],
							       &cause) == SR_OK) {
						status = msgf(MSG_UI_DRAFT_DELETED, d.names.v[sel]);
						sc = C_OK;
					} else {
						status = cause;
						sc = C_ERROR;
					}
					load(app, &d);
				}
				free(q);
			}
			break;
		default: break;
		}
	}
}
