/*
 * form.c - loads the forms folder: one INI file per category, plus abstract
 * bases such as person.ini that categories extend. The attributes a field or
 * rule may have are tables; anything else in a file is reported with its
 * line. Every problem in every file is collected, not only the first.
 */
#include "form.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "msg.h"

static const char *const type_names[] = {
	[FT_TEXT] = "text", [FT_MEMO] = "memo", [FT_INT] = "int", [FT_DECIMAL] = "decimal",
	[FT_DATE] = "date", [FT_CHOICE] = "choice", [FT_MULTI] = "multi", [FT_YESNO] = "yesno",
	[FT_PHONE] = "phone", [FT_ID_CARD] = "id_card", [FT_USCC] = "uscc", [FT_AREA] = "area",
};

static const char *const rule_names[] = {
	[RK_AGE_RANGE] = "age_range", [RK_ID_MATCHES_BIRTH_DATE] = "id_matches_birth_date",
	[RK_ID_MATCHES_GENDER] = "id_matches_gender", [RK_REQUIRED_IF] = "required_if",
	[RK_DATE_ORDER] = "date_order", [RK_MAX_YEARS_SINCE_AGE] = "max_years_since_age",
};

static const char *const form_keys[] = {"key", "title", "team", "extends", "help", "abstract",
					"carry"};
static const char *const event_keys[] = {"key", "title", "extends", "help", "abstract", "category",
					 "carry", "preset"};
static const char *const field_keys[] = {
	"label", "type", "required", "min_chars", "max_chars", "min", "max", "options",
	"pattern", "pattern_message", "default", "help", "unique", "pii", "parent",
	"show_if", "required_if",
};
static const char *const rule_keys[] = {
	"kind", "field", "age_from", "id_field", "min", "max", "offset", "when", "after",
	"severity", "message",
};

const char *ftype_name(enum ftype t)
{
	return (unsigned)t < ARRAY_LEN(type_names) ? type_names[t] : "?";
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* What one file is being read into, and where problems go. */
struct ctx {
	struct ini *ini;
	const char *sec;
	struct diags *d;
	int bad;
};

/* Reports id's message (taking up to two strings) at key's line, or at the
 * section's line when key is NULL. */
static void problem(struct ctx *c, const char *key, enum msg_id id, const char *a, const char *b)
{
	int line = key ? ini_key_line(c->ini, c->sec, key) : ini_section_line(c->ini, c->sec);
	diags_msg(c->d, ini_path(c->ini), line, id, a ? a : "", b ? b : "");
	c->bad = 1;
}

static const char *get(struct ctx *c, const char *key)
{
	const char *v = ini_get(c->ini, c->sec, key);
	return v && *v ? v : NULL;
}

static bool get_bool(struct ctx *c, const char *key)
{
	const char *v = get(c, key);
	if (v == NULL)
		return false;
	if (in_list((const char *const[]){"yes", "true", "1", "是"}, 4, v))
		return true;
	if (!in_list((const char *const[]){"no", "false", "0", "否"}, 4, v))
		problem(c, key, MSG_INI_BAD_VALUE, key, v);
	return false;
}

static bool get_num(struct ctx *c, const char *key, double *out)
{
	const char *v = get(c, key);
	if (v == NULL)
		return false;
	if (str_to_double(v, out) < 0) {
		problem(c, key, MSG_INI_BAD_VALUE, key, v);
		return false;
	}
	return true;
}

static int get_int(struct ctx *c, const char *key)
{
	double x;
	if (!get_num(c, key, &x))
		return 0;
	if (x < 0 || x > INT_MAX || x != (int)x) {	/* (int) of a larger x is undefined */
		problem(c, key, MSG_INI_BAD_VALUE, key, get(c, key));
		return 0;
	}
	return (int)x;
}

static void get_cond(struct ctx *c, const char *key, struct cond *out)
{
	const char *v = get(c, key);
	if (v == NULL)
		return;
	const char *eq = strchr(v, '=');
	if (eq == NULL || eq == v || eq[1] == '\0') {
		problem(c, key, MSG_FORM_BAD_CONDITION, key, v);
		return;
	}
	char *f = xstrndup(v, (size_t)(eq - v));
	out->field = str_trim(f);
	out->value = str_trim(eq + 1);
	free(f);
}

static void check_keys(struct ctx *c, const char *const *known, size_t n)
{
	for (size_t i = 0; i < ini_nkeys(c->ini, c->sec); i++) {
		const char *k = ini_key(c->ini, c->sec, i);
		if (!in_list(known, n, k))
			problem(c, k, MSG_INI_UNKNOWN_KEY, k, NULL);
	}
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void field_read(struct ctx *c, const char *key, struct field *f)
{
	check_keys(c, field_keys, ARRAY_LEN(field_keys));
	f->key = xstrdup(key);
	f->file = xstrdup(ini_path(c->ini));
	f->line = ini_section_line(c->ini, c->sec);
	f->label = dup_or_null(get(c, "label"));
	if (f->label == NULL) {
		problem(c, NULL, MSG_INI_MISSING_KEY, "label", NULL);
		f->label = xstrdup(key);
	}
	const char *type = get(c, "type");
	size_t t;
	for (t = 0; type && t < ARRAY_LEN(type_names); t++)
		if (strcmp(type, type_names[t]) == 0)
			break;
	if (type == NULL)
		problem(c, NULL, MSG_INI_MISSING_KEY, "type", NULL);
	else if (t == ARRAY_LEN(type_names))
		problem(c, "type", MSG_FORM_UNKNOWN_TYPE, type, NULL);
	f->type = type && t < ARRAY_LEN(type_names) ? (enum ftype)t : FT_TEXT;
	f->help = dup_or_null(get(c, "help"));
	f->required = get_bool(c, "required");
	f->unique = get_bool(c, "unique");
	f->pii = get_bool(c, "pii");
	f->min_chars = get_int(c, "min_chars");
	f->max_chars = get_int(c, "max_chars");
	if (f->type == FT_DATE) {
		f->min_date = dup_or_null(get(c, "min"));
		f->max_date = dup_or_null(get(c, "max"));
	} else {
		f->has_min = get_num(c, "min", &f->min);
		f->has_max = get_num(c, "max", &f->max);
	}
	const char *opts = get(c, "options");
	if (opts)
		strv_split(&f->options, opts, '|');
	if ((f->type == FT_CHOICE || f->type == FT_MULTI) && f->options.n == 0)
		problem(c, NULL, MSG_FORM_NO_OPTIONS, key, NULL);
	f->pattern = dup_or_null(get(c, "pattern"));
	f->pattern_message = dup_or_null(get(c, "pattern_message"));
	if (f->pattern) {
		if (regcomp(&f->regex, f->pattern, REG_EXTENDED | REG_NOSUB) == 0)
			f->has_regex = true;
		else
			problem(c, "pattern", MSG_FORM_BAD_PATTERN, key, NULL);
	}
	f->def = dup_or_null(get(c, "default"));
	if (f->def && f->type == FT_CHOICE && !strv_has(&f->options, f->def))
		problem(c, "default", MSG_FORM_BAD_DEFAULT, key, f->def);
	f->parent = dup_or_null(get(c, "parent"));
	get_cond(c, "show_if", &f->show_if);
	get_cond(c, "required_if", &f->required_if);
	f->parent_line = ini_key_line(c->ini, c->sec, "parent");
	f->show_if_line = ini_key_line(c->ini, c->sec, "show_if");
	f->required_if_line = ini_key_line(c->ini, c->sec, "required_if");
}

static void rule_read(struct ctx *c, const char *key, struct rule *r)
{
	check_keys(c, rule_keys, ARRAY_LEN(rule_keys));
	r->key = xstrdup(key);
	r->file = xstrdup(ini_path(c->ini));
	r->line = ini_section_line(c->ini, c->sec);
	const char *kind = get(c, "kind");
	size_t k;
	for (k = 0; kind && k < ARRAY_LEN(rule_names); k++)
		if (strcmp(kind, rule_names[k]) == 0)
			break;
	if (kind == NULL)
		problem(c, NULL, MSG_INI_MISSING_KEY, "kind", NULL);
	else if (k == ARRAY_LEN(rule_names))
		problem(c, "kind", MSG_FORM_UNKNOWN_RULE_KIND, kind, NULL);
	bool known = kind && k < ARRAY_LEN(rule_names);
	r->kind = known ? (enum rule_kind)k : RK_REQUIRED_IF;
	r->field = dup_or_null(get(c, "field"));
	if (r->field == NULL)
		problem(c, NULL, MSG_INI_MISSING_KEY, "field", NULL);
	r->id_field = dup_or_null(get(c, r->kind == RK_AGE_RANGE ||
				       r->kind == RK_MAX_YEARS_SINCE_AGE ? "age_from" : "id_field"));
	r->other = dup_or_null(get(c, "after"));
	get_cond(c, "when", &r->when);
	r->field_line = ini_key_line(c->ini, c->sec, "field");
	r->id_line = ini_key_line(c->ini, c->sec, r->kind == RK_AGE_RANGE ||
				  r->kind == RK_MAX_YEARS_SINCE_AGE ? "age_from" : "id_field");
	r->other_line = ini_key_line(c->ini, c->sec, "after");
	r->when_line = ini_key_line(c->ini, c->sec, "when");
	r->has_min = get_num(c, "min", &r->min);
	r->has_max = get_num(c, "max", &r->max);
	r->offset = get_int(c, "offset");
	const char *sev = get(c, "severity");
	r->severity = SEV_ERROR;
	if (str_eq(sev, "warn") || str_eq(sev, "warning"))
		r->severity = SEV_WARN;
	else if (sev && !str_eq(sev, "error"))
		problem(c, "severity", MSG_INI_BAD_VALUE, "severity", sev);
	r->message = dup_or_null(get(c, "message"));
	if (r->message == NULL)
		problem(c, NULL, MSG_INI_MISSING_KEY, "message", NULL);
	/* the parameters each kind needs */
	const char *need = NULL;
	if ((r->kind == RK_AGE_RANGE || r->kind == RK_MAX_YEARS_SINCE_AGE) && !r->id_field)
		need = "age_from";
	else if ((r->kind == RK_ID_MATCHES_BIRTH_DATE || r->kind == RK_ID_MATCHES_GENDER) && !r->id_field)
		need = "id_field";
	else if (r->kind == RK_REQUIRED_IF && !r->when.field)
		need = "when";
	else if (r->kind == RK_DATE_ORDER && !r->other)
		need = "after";
	if (need && known)
		problem(c, NULL, MSG_INI_MISSING_KEY, need, NULL);
}

static struct field *add_field(struct form *f)
{
	f->fields = xrealloc(f->fields, (f->nfields + 1) * sizeof *f->fields);
	memset(&f->fields[f->nfields], 0, sizeof *f->fields);
	return &f->fields[f->nfields++];
}

static struct rule *add_rule(struct form *f)
{
	f->rules = xrealloc(f->rules, (f->nrules + 1) * sizeof *f->rules);
	memset(&f->rules[f->nrules], 0, sizeof *f->rules);
	return &f->rules[f->nrules++];
}

/* Reads "a=b|c=d" of key into the parallel vectors from and to. */
static void get_pairs(struct ctx *c, const char *key, struct strv *from, struct strv *to)
{
	const char *v = get(c, key);
	struct strv pieces = {0};
	if (v)
		strv_split(&pieces, v, '|');
	for (size_t i = 0; i < pieces.n; i++) {
		const char *eq = strchr(pieces.v[i], '=');
		if (eq == NULL || eq == pieces.v[i] || eq[1] == '\0') {
			problem(c, key, MSG_FORM_BAD_CONDITION, key, pieces.v[i]);
			continue;
		}
		char *a = xstrndup(pieces.v[i], (size_t)(eq - pieces.v[i]));
		strv_take(from, str_trim(a));
		strv_take(to, str_trim(eq + 1));
		free(a);
	}
	strv_free(&pieces);
}

/* An event type's head: who attends, and what an event carries into an
 * attendee registered on the spot. */
static void event_head(struct ctx *c, struct form *f)
{
	f->event = true;
	f->category = dup_or_null(get(c, "category"));
	get_pairs(c, "carry", &f->carry_from, &f->carry_to);
	get_pairs(c, "preset", &f->preset_keys, &f->preset_vals);
	f->category_line = ini_key_line(c->ini, c->sec, "category");
	f->carry_line = ini_key_line(c->ini, c->sec, "carry");
	f->preset_line = ini_key_line(c->ini, c->sec, "preset");
}

static void form_head(struct ctx *c, struct form *f, const char *stem, char **extends)
{
	bool event = str_eq(c->sec, "event");
	if (event)
		check_keys(c, event_keys, ARRAY_LEN(event_keys));
	else
		check_keys(c, form_keys, ARRAY_LEN(form_keys));
	f->key = dup_or_null(get(c, "key"));
	f->title = dup_or_null(get(c, "title"));
	f->team = dup_or_null(get(c, "team"));
	f->help = dup_or_null(get(c, "help"));
	f->abstract = get_bool(c, "abstract");
	*extends = dup_or_null(get(c, "extends"));
	const char *carry = event ? NULL : get(c, "carry");	/* an event's: event_head */
	if (carry) {
		strv_split(&f->carry, carry, '|');
		f->carry_line = ini_key_line(c->ini, c->sec, "carry");
	}
	if (f->key == NULL)
		problem(c, NULL, MSG_INI_MISSING_KEY, "key", NULL);
	else if (strcmp(f->key, stem) != 0)
		problem(c, "key", MSG_FORM_KEY_MISMATCH, f->key, NULL);
	if (f->key == NULL)
		f->key = xstrdup(stem);
	if (f->title == NULL) {
		problem(c, NULL, MSG_INI_MISSING_KEY, "title", NULL);
		f->title = xstrdup(f->key);
	}
	if (event)
		event_head(c, f);
	else if (f->team == NULL && !f->abstract)
		problem(c, NULL, MSG_INI_MISSING_KEY, "team", NULL);
}

/* Reads one file into a new form (an event type with events: headed
 * [event]); *extends gets its base's key or NULL. */
static struct form *form_read(const char *path, const char *stem, bool events, char **extends,
			      struct diags *d)
{
	struct ini *ini;
	*extends = NULL;
	if (ini_open(path, &ini, d) < 0)
		return NULL;
	struct form *f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	const char *head = events ? "event" : "form";
	struct ctx c = {ini, head, d, 0};
	if (ini_section_line(ini, head) == 0) {
		diags_msg(d, path, 1, MSG_INI_MISSING_KEY, events ? "[event]" : "[form]");
		f->key = xstrdup(stem);
		f->title = xstrdup(stem);
	} else {
		form_head(&c, f, stem, extends);
	}
	for (size_t i = 0; i < ini_nsections(ini); i++) {
		const char *sec = ini_section(ini, i);
		c.sec = sec;
		if (strcmp(sec, head) == 0)
			continue;
		if (strncmp(sec, "field.", 6) == 0 && sec[6]) {
			if (form_field(f, sec + 6)) {
				problem(&c, NULL, MSG_FORM_DUP_FIELD, sec + 6, NULL);
				continue;
			}
			field_read(&c, sec + 6, add_field(f));
		} else if (strncmp(sec, "rule.", 5) == 0 && sec[5]) {
			rule_read(&c, sec + 5, add_rule(f));
		} else {
			problem(&c, NULL, MSG_INI_UNKNOWN_SECTION, sec, NULL);
		}
	}
	ini_close(ini);
	return f;
}

static void field_copy(struct field *to, const struct field *from)
{
	*to = *from;
	to->key = xstrdup(from->key);
	to->label = xstrdup(from->label);
	to->help = dup_or_null(from->help);
	to->min_date = dup_or_null(from->min_date);
	to->max_date = dup_or_null(from->max_date);
	memset(&to->options, 0, sizeof to->options);
	for (size_t i = 0; i < from->options.n; i++)
		strv_add(&to->options, from->options.v[i]);
	to->pattern = dup_or_null(from->pattern);
	to->pattern_message = dup_or_null(from->pattern_message);
	to->has_regex = from->has_regex &&
			regcomp(&to->regex, from->pattern, REG_EXTENDED | REG_NOSUB) == 0;
	to->def = dup_or_null(from->def);
	to->parent = dup_or_null(from->parent);
	to->show_if.field = dup_or_null(from->show_if.field);
	to->show_if.value = dup_or_null(from->show_if.value);
	to->required_if.field = dup_or_null(from->required_if.field);
	to->required_if.value = dup_or_null(from->required_if.value);
	to->file = xstrdup(from->file);
}

static void rule_copy(struct rule *to, const struct rule *from)
{
	*to = *from;
	to->key = xstrdup(from->key);
	to->field = dup_or_null(from->field);
	to->id_field = dup_or_null(from->id_field);
	to->other = dup_or_null(from->other);
	to->when.field = dup_or_null(from->when.field);
	to->when.value = dup_or_null(from->when.value);
	to->message = dup_or_null(from->message);
	to->file = xstrdup(from->file);
}

/* Puts base's fields and rules before f's own. */
static void form_extend(struct form *f, const struct form *base)
{
	size_t own = f->nfields;
	struct field *fields = xcalloc(base->nfields + own, sizeof *fields);
	for (size_t i = 0; i < base->nfields; i++)
		field_copy(&fields[i], &base->fields[i]);
	if (own)
		memcpy(fields + base->nfields, f->fields, own * sizeof *fields);
	free(f->fields);
	f->fields = fields;
	f->nfields = base->nfields + own;
	size_t nown = f->nrules;
	struct rule *rules = xcalloc(base->nrules + nown, sizeof *rules);
	for (size_t i = 0; i < base->nrules; i++)
		rule_copy(&rules[i], &base->rules[i]);
	if (nown)
		memcpy(rules + base->nrules, f->rules, nown * sizeof *rules);
	free(f->rules);
	f->rules = rules;
	f->nrules = base->nrules + nown;
}

static void need_field(const struct form *f, const struct rule *r, const char *name,
		       int line, int type, struct diags *d)
{
	if (name == NULL)
		return;
	const struct field *fd = form_field(f, name);
	if (fd == NULL)
		diags_msg(d, r->file, line, MSG_FORM_RULE_MISSING_FIELD, r->key, name);
	else if (type >= 0 && fd->type != (enum ftype)type)
		diags_msg(d, r->file, line, MSG_FORM_RULE_FIELD_TYPE, r->key, name,
			 ftype_name((enum ftype)type));
}

/* Checks what needs the whole (extended) form: references between fields. */
static void form_check(const struct form *f, struct diags *d)
{
	for (size_t i = 0; i < f->nrules; i++) {
		const struct rule *r = &f->rules[i];
		need_field(f, r, r->field, r->field_line, -1, d);
		need_field(f, r, r->id_field, r->id_line, FT_ID_CARD, d);
		need_field(f, r, r->other, r->other_line, FT_DATE, d);
		need_field(f, r, r->when.field, r->when_line, -1, d);
	}
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		if (form_field_index(f, fd->key) != (int)i)	/* a base's field again */
			diags_msg(d, fd->file, fd->line, MSG_FORM_DUP_FIELD, fd->key);
		const char *refs[] = {fd->parent, fd->show_if.field, fd->required_if.field};
		int lines[] = {fd->parent_line, fd->show_if_line, fd->required_if_line};
		for (size_t k = 0; k < ARRAY_LEN(refs); k++)
			if (refs[k] && !form_field(f, refs[k]))
				diags_msg(d, fd->file, lines[k], MSG_FORM_FIELD_MISSING_REF,
					 fd->key, refs[k]);
	}
	for (size_t i = 0; i < f->carry.n; i++)		/* a form's carry: its own fields */
		if (!form_field(f, f->carry.v[i]))
			diags_msg(d, f->path, f->carry_line, MSG_FORM_CARRY_MISSING, f->carry.v[i]);
	for (size_t i = 0; i < f->carry_from.n; i++)	/* the event's side of each pair */
		if (!form_field(f, f->carry_from.v[i]))
			diags_msg(d, f->path, f->carry_line, MSG_FORM_FIELD_MISSING_REF, "carry",
				  f->carry_from.v[i]);
	if (f->event && !f->abstract) {
		static const char *const need[] = {"title", "start_date"};
		for (size_t i = 0; i < ARRAY_LEN(need); i++)
			if (form_field(f, need[i]) == NULL)
				diags_msg(d, f->path, 1, MSG_EVENT_NEEDS_FIELD, need[i]);
	} else if (!f->abstract) {
		const struct field *id = form_field(f, "id_number");
		if (id == NULL || id->type != FT_ID_CARD)
			diags_msg(d, f->path, 1, MSG_FORM_NO_ID_FIELD);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct form *find_any(const struct formset *fs, const char *key)
{
	for (size_t i = 0; i < fs->n; i++)
		if (str_eq(fs->v[i]->key, key))
			return fs->v[i];
	return NULL;
}

static int set_load(const char *dir, bool events, bool (*team_ok)(const char *team, void *arg),
		    void *arg, struct formset *out, struct diags *d)
{
	size_t before = d->lines.n;
	struct strv names = {0}, bases = {0};
	memset(out, 0, sizeof *out);
	DIR *dh = opendir(dir);
	if (dh == NULL) {
		diags_msg(d, dir, 0, MSG_INI_CANNOT_READ, "opendir");
		return -1;
	}
	for (struct dirent *e; (e = readdir(dh)) != NULL;) {
		size_t n = strlen(e->d_name);
		if (n > 4 && strcmp(e->d_name + n - 4, ".ini") == 0 && e->d_name[0] != '.')
			strv_add(&names, e->d_name);
	}
	closedir(dh);
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, cmp_str);
	for (size_t i = 0; i < names.n; i++) {
		char *path = xasprintf("%s/%s", dir, names.v[i]);
		char *stem = xstrndup(names.v[i], strlen(names.v[i]) - 4);
		char *ext;
		struct form *f = form_read(path, stem, events, &ext, d);
		if (f) {
			struct form *twin = find_any(out, f->key);
			if (twin)
				diags_msg(d, path, 1, MSG_FORM_DUP_KEY, f->key, twin->path);
			out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
			out->v[out->n++] = f;
			strv_take(&bases, ext ? ext : xstrdup(""));
		} else {
			free(ext);
		}
		free(path);
		free(stem);
	}
	strv_free(&names);
	if (out->n == 0 && d->lines.n == before && !events)
		diags_msg(d, dir, 0, MSG_FORM_NO_FORMS, dir);
	for (size_t i = 0; i < out->n; i++) {
		struct form *f = out->v[i];
		if (*bases.v[i]) {
			struct form *base = find_any(out, bases.v[i]);
			if (base == NULL || base == f)
				diags_msg(d, f->path, 1, MSG_FORM_UNKNOWN_EXTENDS, bases.v[i]);
			else
				form_extend(f, base);
		}
		if (f->team && team_ok && !team_ok(f->team, arg))
			diags_msg(d, f->path, 1, MSG_FORM_UNKNOWN_TEAM, f->team);
		form_check(f, d);
	}
	strv_free(&bases);
	return d->lines.n == before ? 0 : -1;
}

int formset_load(const char *dir, bool (*team_ok)(const char *team, void *arg),
		 void *arg, struct formset *out, struct diags *d)
{
	return set_load(dir, false, team_ok, arg, out, d);
}

int eventset_load(const char *dir, struct formset *out, struct diags *d)
{
	return set_load(dir, true, NULL, NULL, out, d);
}

static void field_free(struct field *f)
{
	free(f->key);
	free(f->label);
	free(f->help);
	free(f->min_date);
	free(f->max_date);
	strv_free(&f->options);
	free(f->pattern);
	free(f->pattern_message);
	if (f->has_regex)
		regfree(&f->regex);
	free(f->def);
	free(f->parent);
	free(f->show_if.field);
	free(f->show_if.value);
	free(f->required_if.field);
	free(f->required_if.value);
	free(f->file);
}

static void rule_free(struct rule *r)
{
	free(r->key);
	free(r->field);
	free(r->id_field);
	free(r->other);
	free(r->when.field);
	free(r->when.value);
	free(r->message);
	free(r->file);
}

static void form_free(struct form *f)
{
	for (size_t i = 0; i < f->nfields; i++)
		field_free(&f->fields[i]);
	for (size_t i = 0; i < f->nrules; i++)
		rule_free(&f->rules[i]);
	free(f->fields);
	free(f->rules);
	free(f->key);
	free(f->title);
	free(f->team);
	free(f->help);
	free(f->path);
	free(f->category);
	strv_free(&f->carry);
	strv_free(&f->carry_from);
	strv_free(&f->carry_to);
	strv_free(&f->preset_keys);
	strv_free(&f->preset_vals);
	free(f);
}

void formset_free(struct formset *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		form_free(fs->v[i]);
	free(fs->v);
	fs->v = NULL;
	fs->n = 0;
}

const struct field *form_field(const struct form *f, const char *key)
{
	int i = form_field_index(f, key);
	return i < 0 ? NULL : &f->fields[i];
}

int form_field_index(const struct form *f, const char *key)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].key, key) == 0)
			return (int)i;
	return -1;
}

const struct form *formset_find(const struct formset *fs, const char *key)
{
	const struct form *f = find_any(fs, key);
	return f && !f->abstract ? f : NULL;
}
