/*
 * targets.c - the targets in detail, from home: the figures of `talentreg
 * report` (report.c builds them for both), as lines to scroll: the total
 * and the teams, the plan's targets (people, people with a tag, villages
 * covered), and for each coverage target the villages each township still
 * misses. A target that is the user's townships' share is marked *.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "text.h"
#include "ui.h"

/* One line of figures: label, approved / target (unit), waiting. */
static char *figures(const struct report_line *l)
{
	const char *unit = msg(str_eq(l->kind, "coverage") ? MSG_MEASURE_VILLAGES
			       : str_eq(l->kind, "events") ? MSG_MEASURE_EVENTS
			       : str_eq(l->kind, "hours") ? MSG_MEASURE_HOURS : MSG_MEASURE_PEOPLE);
	char *pending = msgf(MSG_UI_HOME_PENDING, l->submitted);
	char *s = l->target > 0
			  ? xasprintf("%s  %ld / %d%s %s  %d%%  %s", l->label, l->approved, l->target,
				      l->split ? "*" : "", unit, report_percent(l), pending)
			  : xasprintf("%s  %ld %s  %s", l->label, l->approved, unit, pending);
	free(pending);
	return s;
}

static void build_lines(const struct app *app, const struct report *r, size_t cols,
			struct strv *lines)
{
	static const struct {
		const char *section;
		enum msg_id title;
	} parts[] = {
		{"total", MSG_REPORT_TOTAL}, {"team", MSG_REPORT_TEAMS}, {"target", MSG_REPORT_TARGETS},
		{"township", MSG_REPORT_TOWNSHIPS},
	};
	bool split = false;
	for (size_t p = 0; p < ARRAY_LEN(parts); p++) {
		if (p)
			strv_add(lines, "");
		strv_take(lines, xasprintf("[%s]", msg(parts[p].title)));
		for (size_t i = 0; i < r->n; i++) {
			const struct report_line *l = &r->v[i];
			if (!str_eq(l->section, parts[p].section))
				continue;
			split |= l->split && !str_eq(l->section, "township");
			char *f = figures(l), *ind = xasprintf("  %s", f);
			text_wrap(ind, cols, 4, lines);
			free(ind);
			free(f);
		}
	}
	if (r->ncover) {
		strv_add(lines, "");
		strv_take(lines, xasprintf("[%s]", msg(MSG_REPORT_COVERAGE)));
	}
	const char *last = NULL;
	for (size_t i = 0; i < r->ncover; i++) {
		const struct report_cover *cv = &r->cover[i];
		if (!str_eq(last, cv->key)) {
			const struct target *t = config_target(app->cfg, cv->key);
			strv_take(lines, xasprintf("  %s", t ? t->label : cv->key));
			last = cv->key;
		}
		char *line = report_cover_line(cv);
		char *ind = xasprintf("    %s", line);
		text_wrap(ind, cols, 6, lines);
		free(ind);
		free(line);
	}
	if (split) {
		strv_add(lines, "");
		text_wrap(msg(MSG_REPORT_SPLIT_NOTE), cols, 0, lines);
	}
}

void targets_run(struct app *app)
{
	struct report r;
	char *cause = NULL;
	if (report_build(app->st, &app->actor, app->cfg, REP_ALL & ~REP_CATEGORIES, &r, &cause) !=
	    SR_OK) {
		ui_status(cause, C_ERROR);
		free(cause);
		report_free(&r);
		return;
	}
	int top = 0;
	for (;;) {
		erase();
		ui_title(msg(MSG_UI_TARGETS_TITLE), app->me->login);
		struct strv lines = {0};
		build_lines(app, &r, (size_t)(ui_cols() - 4), &lines);
		int rows = ui_rows() - 3;
		ui_lines(&lines, &top, 1, rows);
		strv_free(&lines);
		ui_keyline(&keys_targets, 0);
		curs_set(0);
		refresh();
		struct key k = ui_key();
		enum ui_action act = ui_action(&keys_targets, k, 0);
		switch (act) {
		case UA_HELP: ui_help_keys(); break;
		case UA_BACK: report_free(&r); return;
		default: ui_scroll(act, &top, rows); break;
		}
	}
}
