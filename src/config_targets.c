/*
 * config_targets.c - targets.ini: the district's total, the five teams,
 * the plan's targets (people of one category, of several, or of every one,
 * under any number of conditions `field=value|value & field=value`, with a
 * tag; or the villages such people cover), the tags supervisors may set,
 * and targets split off per township. Checked against the forms once they
 * are loaded: every category and field named exists, and every value a
 * condition names is one its field may hold.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config_int.h"

/* Parses "field=a|b & field=c" into t's conditions; a piece that is not
 * field=value is reported. */
static void parse_where(struct target *t, const char *where, const char *path, int line,
			struct diags *d)
{
	struct strv pieces = {0};
	strv_split(&pieces, where, '&');
	for (size_t i = 0; i < pieces.n; i++) {
		const char *p = pieces.v[i], *eq = strchr(p, '=');
		if (eq == NULL || eq == p || str_empty(eq + 1)) {
			diags_msg(d, path, line, MSG_FORM_BAD_CONDITION, "where", p);
			continue;
		}
		t->conds = xrealloc(t->conds, (t->nconds + 1) * sizeof *t->conds);
		struct tcond *c = &t->conds[t->nconds++];
		memset(c, 0, sizeof *c);
		char *f = xstrndup(p, (size_t)(eq - p));
		c->field = str_trim(f);
		free(f);
		strv_split(&c->values, eq + 1, '|');
	}
	strv_free(&pieces);
}

/* A date of a target's period (from, to), as ISO; NULL when not given or
 * malformed (reported). */
static char *period_day(struct ini *ini, const char *sec, const char *key, struct diags *d)
{
	const char *v = ini_get(ini, sec, key);
	if (str_empty(v))
		return NULL;
	char *iso = NULL;
	enum msg_id why;
	if (check_date(v, &iso, &why) < 0)
		diags_msg(d, ini_path(ini), ini_key_line(ini, sec, key), MSG_INI_BAD_VALUE, key, v);
	return iso;
}

/* The kinds of targets.ini, by name. */
static const char *const kind_names[] = {
	[TK_PEOPLE] = "people", [TK_COVERAGE] = "coverage", [TK_EVENTS] = "events",
	[TK_TRAINEES] = "trainees", [TK_HOURS] = "hours",
};

/* A target of events: its types, its period; no category, condition, tag
 * or village field. */
static void load_event_target(struct target *t, struct ini *ini, const char *sec,
			      struct diags *d)
{
	const char *ev = cfg_need(ini, sec, "event", d);
	if (ev)
		strv_split(&t->events, ev, '|');
	t->event_line = ini_key_line(ini, sec, "event");
	t->from = period_day(ini, sec, "from", d);
	t->to = period_day(ini, sec, "to", d);
	static const char *const not_here[] = {"category", "where", "tag", "by"};
	for (size_t i = 0; i < ARRAY_LEN(not_here); i++)
		if (ini_get(ini, sec, not_here[i]))
			diags_msg(d, ini_path(ini), ini_key_line(ini, sec, not_here[i]),
				  MSG_CONFIG_EVENT_TARGET_KEY, not_here[i]);
}

static void load_target(struct config *c, struct ini *ini, const char *sec, struct diags *d)
{
	const char *kind = ini_get(ini, sec, "kind");
	size_t k = 0;
	while (kind && k < ARRAY_LEN(kind_names) && !str_eq(kind, kind_names[k]))
		k++;
	if (kind && k == ARRAY_LEN(kind_names)) {
		diags_msg(d, ini_path(ini), ini_key_line(ini, sec, "kind"), MSG_CONFIG_TARGET_KIND, kind);
		k = TK_PEOPLE;
	}
	bool events = TK_IS_EVENTS((enum target_kind)k);
	const char *label = cfg_need(ini, sec, "label", d);
	const char *cat = events ? NULL : cfg_need(ini, sec, "category", d);
	c->targets = xrealloc(c->targets, (c->ntargets + 1) * sizeof *c->targets);
	struct target *t = &c->targets[c->ntargets++];
	memset(t, 0, sizeof *t);
	t->key = xstrdup(sec + 7);
	t->label = xstrdup(label ? label : sec + 7);
	t->category = xstrdup(cat ? cat : "");
	t->target = cfg_number(ini, sec, "target", d);
	t->line = ini_key_line(ini, sec, "category");
	t->where_line = ini_key_line(ini, sec, "where");
	t->tag_line = ini_key_line(ini, sec, "tag");
	t->by_line = ini_key_line(ini, sec, "by");
	t->kind = (enum target_kind)k;
	const char *home = ini_get(ini, sec, "home");
	if (home && !str_eq(home, "yes") && !str_eq(home, "no"))
		diags_msg(d, ini_path(ini), ini_key_line(ini, sec, "home"), MSG_INI_BAD_VALUE, "home",
			  home);
	t->home = str_eq(home, "yes");
	if (events) {
		load_event_target(t, ini, sec, d);
		t->by = xstrdup("village");
		return;
	}
	static const char *const only_events[] = {"event", "from", "to"};
	for (size_t i = 0; i < ARRAY_LEN(only_events); i++)
		if (ini_get(ini, sec, only_events[i]))
			diags_msg(d, ini_path(ini), ini_key_line(ini, sec, only_events[i]),
				  MSG_CONFIG_NOT_EVENT_TARGET, only_events[i]);
	const char *where = ini_get(ini, sec, "where");
	if (where)
		parse_where(t, where, ini_path(ini), t->where_line, d);
	const char *tag = ini_get(ini, sec, "tag");
	t->tag = str_empty(tag) ? NULL : xstrdup(tag);
	const char *by = ini_get(ini, sec, "by");
	if (by && t->kind != TK_COVERAGE)
		diags_msg(d, ini_path(ini), t->by_line, MSG_CONFIG_BY_NOT_COVERAGE, by);
	t->by = xstrdup(str_empty(by) ? "village" : by);
}

static const struct township *town_by_id(const struct config *c, const char *id)
{
	for (size_t i = 0; i < c->ntowns; i++)
		if (str_eq(c->towns[i].id, id))
			return &c->towns[i];
	return NULL;
}

/* [township.ID]: total, team.KEY and target.KEY, each a number. */
static void load_splits(struct config *c, struct ini *ini, const char *sec, struct diags *d)
{
	const struct township *tw = town_by_id(c, sec + 9);
	if (tw == NULL) {
		diags_msg(d, ini_path(ini), ini_section_line(ini, sec), MSG_CONFIG_UNKNOWN_TOWNSHIP,
			  sec + 9);
		return;
	}
	for (size_t j = 0; j < ini_nkeys(ini, sec); j++) {
		const char *key = ini_key(ini, sec, j);
		bool known = str_eq(key, "total") ||
			     (strncmp(key, "team.", 5) == 0 && config_team(c, key + 5)) ||
			     (strncmp(key, "target.", 7) == 0 && config_target(c, key + 7));
		if (!known) {
			diags_msg(d, ini_path(ini), ini_key_line(ini, sec, key), MSG_CONFIG_SPLIT_WHAT, key);
			continue;
		}
		c->splits = xrealloc(c->splits, (c->nsplits + 1) * sizeof *c->splits);
		c->splits[c->nsplits++] = (struct split){xstrdup(tw->name), xstrdup(key),
							 cfg_number(ini, sec, key, d)};
	}
}

void cfg_load_targets(struct config *c, struct diags *d)
{
	struct ini *ini = cfg_open_checked(c->dir, "targets.ini", d);
	if (ini == NULL)
		return;
	c->total_target = cfg_number(ini, "total", "target", d);
	for (size_t i = 0; i < ini_nsections(ini); i++) {
		const char *sec = ini_section(ini, i);
		if (strncmp(sec, "team.", 5) == 0) {
			const char *label = cfg_need(ini, sec, "label", d);
			c->teams = xrealloc(c->teams, (c->nteams + 1) * sizeof *c->teams);
			struct team *t = &c->teams[c->nteams++];
			t->key = xstrdup(sec + 5);
			t->label = xstrdup(label ? label : sec + 5);
			t->target = cfg_number(ini, sec, "target", d);
		} else if (strncmp(sec, "target.", 7) == 0) {
			load_target(c, ini, sec, d);
		} else if (strncmp(sec, "tag.", 4) == 0) {
			const char *label = cfg_need(ini, sec, "label", d);
			c->tags = xrealloc(c->tags, (c->ntags + 1) * sizeof *c->tags);
			c->tags[c->ntags++] = (struct tagdef){xstrdup(sec + 4),
							      xstrdup(label ? label : sec + 4)};
		}
	}
	/* after every target and team is known, wherever its section is */
	for (size_t i = 0; i < ini_nsections(ini); i++)
		if (strncmp(ini_section(ini, i), "township.", 9) == 0)
			load_splits(c, ini, ini_section(ini, i), d);
	for (size_t i = 0; i < c->ntargets; i++) {
		const struct target *t = &c->targets[i];
		if (t->tag && !config_tag(c, t->tag))
			diags_msg(d, ini_path(ini), t->tag_line, MSG_CONFIG_UNKNOWN_TAG, t->tag);
	}
	ini_close(ini);
}

/* The options of a choice, multi or yesno field joined by |, or NULL for a
 * field of another type (any value may be named). */
static char *options_of(const struct field *fd)
{
	if (fd->type == FT_YESNO)
		return xstrdup("是|否");
	if (fd->type != FT_CHOICE && fd->type != FT_MULTI)
		return NULL;
	struct buf b = {0};
	for (size_t i = 0; i < fd->options.n; i++)
		buf_printf(&b, "%s%s", i ? "|" : "", fd->options.v[i]);
	return buf_take(&b);
}

/* Checks one condition against the field of each category that has it:
 * the field exists (in every named category; for *, in one at least) and
 * each value is one it may hold. */
static void check_cond(const struct config *c, struct target *t, struct tcond *cd,
		       const char *path, struct diags *d)
{
	bool somewhere = false, reported = false;
	for (size_t k = 0; k < t->categories.n; k++) {
		const struct form *f = formset_find(&c->forms, t->categories.v[k]);
		const struct field *fd = f ? form_field(f, cd->field) : NULL;
		if (f && fd == NULL && !str_eq(t->category, "*"))
			diags_msg(d, path, t->where_line, MSG_UNKNOWN_FIELD, f->key, cd->field);
		if (fd == NULL)
			continue;
		somewhere = true;
		cd->multi |= fd->type == FT_MULTI;
		char *opts = options_of(fd);
		struct strv allowed = {0};
		if (opts)
			strv_split(&allowed, opts, '|');
		for (size_t v = 0; opts && !reported && v < cd->values.n; v++)
			if (!strv_has(&allowed, cd->values.v[v])) {
				diags_msg(d, path, t->where_line, MSG_CONFIG_WHERE_VALUE, cd->field,
					  cd->values.v[v], opts);
				reported = true;	/* once, not once per category */
			}
		strv_free(&allowed);
		free(opts);
	}
	if (!somewhere && str_eq(t->category, "*"))
		diags_msg(d, path, t->where_line, MSG_CONFIG_FIELD_NOWHERE, cd->field);
}

/* A coverage target's by field: a village of the record's township (an
 * area field under "township"), or text that lists villages; the same in
 * each category. */
static void check_by(const struct config *c, struct target *t, const char *path,
		     struct diags *d)
{
	for (size_t k = 0; k < t->categories.n; k++) {
		const struct form *f = formset_find(&c->forms, t->categories.v[k]);
		const struct field *fd = f ? form_field(f, t->by) : NULL;
		if (f == NULL)
			continue;
		/* the village of the record's own township: a coverage target is
		 * counted by the township of its records */
		bool village = fd && fd->type == FT_AREA && str_eq(fd->parent, "township");
		bool list = fd && (fd->type == FT_TEXT || fd->type == FT_MEMO || fd->type == FT_MULTI);
		if (!village && !list) {
			diags_msg(d, path, t->by_line, MSG_CONFIG_BY_FIELD, f->key, t->by);
			return;
		}
		t->by_list = list;
		if (t->by_town == NULL)
			t->by_town = xstrdup("township");
	}
}

void cfg_check_targets(struct config *c, struct diags *d)
{
	char *path = xasprintf("%s/targets.ini", c->dir);
	for (size_t i = 0; i < c->ntargets; i++) {
		struct target *t = &c->targets[i];
		if (TK_IS_EVENTS(t->kind)) {
			for (size_t k = 0; k < t->events.n; k++)
				if (config_event_type(c, t->events.v[k]) == NULL)
					diags_msg(d, path, t->event_line, MSG_EVENT_UNKNOWN_TYPE,
						  t->events.v[k]);
			continue;
		}
		if (str_eq(t->category, "*")) {
			for (size_t k = 0; k < c->forms.n; k++)
				if (!c->forms.v[k]->abstract)
					strv_add(&t->categories, c->forms.v[k]->key);
		} else {
			struct strv named = {0};
			strv_split(&named, t->category, '|');
			for (size_t k = 0; k < named.n; k++)
				if (!strv_has(&t->categories, named.v[k]))
					strv_add(&t->categories, named.v[k]);
			strv_free(&named);
		}
		bool known = t->categories.n > 0;
		for (size_t k = 0; k < t->categories.n; k++)
			if (formset_find(&c->forms, t->categories.v[k]) == NULL) {
				diags_msg(d, path, t->line, MSG_CONFIG_UNKNOWN_CATEGORY, t->categories.v[k]);
				known = false;
			}
		if (!known)
			continue;
		for (size_t n = 0; n < t->nconds; n++)
			check_cond(c, t, &t->conds[n], path, d);
		if (t->kind == TK_COVERAGE)
			check_by(c, t, path, d);
	}
	free(path);
}

void cfg_free_targets(struct config *c)
{
	for (size_t i = 0; i < c->nteams; i++) {
		free(c->teams[i].key);
		free(c->teams[i].label);
	}
	for (size_t i = 0; i < c->ntargets; i++) {
		struct target *t = &c->targets[i];
		free(t->key);
		free(t->label);
		free(t->category);
		strv_free(&t->categories);
		for (size_t n = 0; n < t->nconds; n++) {
			free(t->conds[n].field);
			strv_free(&t->conds[n].values);
		}
		free(t->conds);
		free(t->tag);
		free(t->by);
		free(t->by_town);
		strv_free(&t->events);
		free(t->from);
		free(t->to);
	}
	for (size_t i = 0; i < c->ntags; i++) {
		free(c->tags[i].key);
		free(c->tags[i].label);
	}
	for (size_t i = 0; i < c->nsplits; i++) {
		free(c->splits[i].township);
		free(c->splits[i].what);
	}
	free(c->teams);
	free(c->targets);
	free(c->tags);
	free(c->splits);
}

const struct target *config_target(const struct config *c, const char *key)
{
	for (size_t i = 0; i < c->ntargets; i++)
		if (str_eq(c->targets[i].key, key))
			return &c->targets[i];
	return NULL;
}

const struct tagdef *config_tag(const struct config *c, const char *s)
{
	for (size_t i = 0; i < c->ntags; i++)
		if (str_eq(c->tags[i].key, s) || str_eq(c->tags[i].label, s))
			return &c->tags[i];
	return NULL;
}

int config_split(const struct config *c, const char *town, const char *what)
{
	for (size_t i = 0; i < c->nsplits; i++)
		if (str_eq(c->splits[i].township, town) && str_eq(c->splits[i].what, what))
			return c->splits[i].target;
	return -1;
}

/* True when v (of a multi field when multi) holds one of the values. */
static bool cond_holds(const struct tcond *cd, const char *v)
{
	if (v == NULL)
		return false;
	if (strv_has(&cd->values, v))
		return true;
	if (!cd->multi)
		return false;
	struct strv items = {0};
	strv_split(&items, v, '|');
	bool has = false;
	for (size_t i = 0; i < items.n && !has; i++)
		has = strv_has(&cd->values, items.v[i]);
	strv_free(&items);
	return has;
}

bool target_matches(const struct target *t, const char *category, const struct kv *vals)
{
	if (!strv_has(&t->categories, category))
		return false;
	for (size_t n = 0; n < t->nconds; n++)
		if (!cond_holds(&t->conds[n], kv_get(vals, t->conds[n].field)))
			return false;
	return true;
}

void target_village_list(const struct target *t, const char *text, struct strv *out)
{
	if (str_empty(text))
		return;
	if (!t->by_list) {
		if (!strv_has(out, text))
			strv_add(out, text);
		return;
	}
	/* 东湾村、西坡村 / 东湾村,西坡村 / 东湾村|西坡村: one separator for all */
	static const char *const seps[] = {"、", "，", "；", ",", ";", " ", "\t"};
	char *s = xstrdup(text);
	for (size_t i = 0; i < ARRAY_LEN(seps); i++) {
		size_t n = strlen(seps[i]);
		for (char *p = strstr(s, seps[i]); p; p = strstr(p, seps[i])) {
			*p = '|';
			memmove(p + 1, p + n, strlen(p + n) + 1);
		}
	}
	struct strv items = {0};
	strv_split(&items, s, '|');
	for (size_t i = 0; i < items.n; i++)
		if (!strv_has(out, items.v[i]))
			strv_add(out, items.v[i]);
	strv_free(&items);
	free(s);
}

void target_villages(const struct target *t, const struct kv *vals, struct strv *out)
{
	target_village_list(t, kv_get(vals, t->by), out);
}
