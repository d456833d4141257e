/*
 * validate.c - checks a record against its form. First every value is
 * normalised by its type (validate_field), then required fields, conditions
 * and the form's cross-field rules are checked on the normalised values, so
 * that a rule never sees "１１０１..." where it expects "1101...".
 */
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

void issues_free(struct issues *is)
{
	for (size_t i = 0; i < is->n; i++)
		free(is->v[i].message);
	free(is->v);
	memset(is, 0, sizeof *is);
}

void issues_add(struct issues *is, const struct field *f, const char *rule, enum severity sev,
		char *message)
{
	is->v = xrealloc(is->v, (is->n + 1) * sizeof *is->v);
	is->v[is->n++] = (struct issue){f->key, f->label, rule, sev, message};
	if (sev == SEV_ERROR)
		is->errors++;
	else
		is->warnings++;
}

char *issue_format(const struct issue *is)
{
	return xasprintf("%s: %s：%s", is->field, is->label, is->message);
}

static int fail(char **err, char *m)
{
	*err = m;
	return -1;
}

/* Formats a bound for a message without a trailing ".000000". */
static char *num_text(double x)
{
	return xasprintf("%.15g", x);
}

static int check_bounds(const struct field *f, double x, char **err)
{
	char *t;
	if (f->has_min && x < f->min) {
		t = num_text(f->min);
		*err = msgf(MSG_V_TOO_SMALL, t);
		free(t);
		return -1;
	}
	if (f->has_max && x > f->max) {
		t = num_text(f->max);
		*err = msgf(MSG_V_TOO_BIG, t);
		free(t);
		return -1;
	}
	return 0;
}

/* Resolves a date bound: an ISO date, or "today". */
static int bound_date(const char *s, const struct date *today, struct date *out)
{
	if (str_eq(s, "today")) {
		*out = *today;
		return 0;
	}
	return date_parse_iso(s, out);
}

static int check_date_bounds(const struct field *f, const char *iso, const struct date *today,
			     char **err)
{
	struct date v, b;
	if (date_parse_iso(iso, &v) < 0)
		return fail(err, xstrdup(msg(MSG_V_DATE_INVALID)));
	if (f->min_date && bound_date(f->min_date, today, &b) == 0 && date_cmp(&v, &b) < 0)
		return fail(err, msgf(MSG_V_DATE_BEFORE, f->min_date));
	if (f->max_date && bound_date(f->max_date, today, &b) == 0 && date_cmp(&v, &b) > 0) {
		if (str_eq(f->max_date, "today"))
			return fail(err, xstrdup(msg(MSG_V_DATE_FUTURE)));
		return fail(err, msgf(MSG_V_DATE_AFTER, f->max_date));
	}
	return 0;
}

static char *options_text(const struct field *f)
{
	struct buf b = {0};
	for (size_t i = 0; i < f->options.n; i++) {
		if (i)
			buf_puts(&b, "、");
		buf_puts(&b, f->options.v[i]);
	}
	return buf_take(&b);
}

static int bad_choice(const struct field *f, char **err)
{
	char *opts = options_text(f);
	*err = msgf(MSG_V_CHOICE, opts);
	free(opts);
	return -1;
}

/* A multi value: pieces separated by | , ， 、 or ；, each an option; stored
 * joined by | in the options' order, each once. */
static int check_multi(const struct field *f, const char *v, char **out, char **err)
{
	struct buf norm = {0};
	for (const char *p = v; *p;) {
		if (strncmp(p, "，", 3) == 0 || strncmp(p, "、", 3) == 0 || strncmp(p, "；", 3) == 0) {
			buf_putc(&norm, '|');
			p += 3;
		} else {
			buf_putc(&norm, (*p == ',' || *p == ';') ? '|' : *p);
			p++;
		}
	}
	struct strv parts = {0};
	strv_split(&parts, norm.s ? norm.s : "", '|');
	buf_free(&norm);
	for (size_t i = 0; i < parts.n; i++)
		if (!strv_has(&f->options, parts.v[i])) {
			strv_free(&parts);
			return bad_choice(f, err);
		}
	struct buf b = {0};
	for (size_t i = 0; i < f->options.n; i++)
		if (strv_has(&parts, f->options.v[i])) {
			if (b.len)
				buf_putc(&b, '|');
			buf_puts(&b, f->options.v[i]);
		}
	strv_free(&parts);
	*out = buf_take(&b);
	return 0;
}

static int check_yesno(const char *v, char **out, char **err)
{
	static const char *const yes[] = {"是", "yes", "y", "1", "true", "有"};
	static const char *const no[] = {"否", "no", "n", "0", "false", "无"};
	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = xstrdup("是");
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = xstrdup("否");
			return 0;
		}
	}
	return fail(err, xstrdup(msg(MSG_V_YESNO)));
}

static int check_area(const struct field *f, const char *v, const struct kv *vals,
		      const struct config *cfg, char **err)
{
	if (f->parent == NULL) {
		if (config_township(cfg, v) == NULL)
			return fail(err, msgf(MSG_V_AREA_TOWNSHIP, v));
		return 0;
	}
	const char *town = vals ? kv_get(vals, f->parent) : NULL;
	char *t = town ? text_trim(town) : NULL;
	const struct township *tw = t ? config_township(cfg, t) : NULL;
	int rc = 0;
	if (str_empty(t))
		rc = fail(err, xstrdup(msg(MSG_V_AREA_NEEDS_TOWNSHIP)));
	else if (tw == NULL)
		rc = fail(err, msgf(MSG_V_AREA_TOWNSHIP, t));
	else if (tw->villages.n && !strv_has(&tw->villages, v))
		rc = fail(err, msgf(MSG_V_AREA_VILLAGE, tw->name, v));
	free(t);
	return rc;
}

/* Normalises v (already trimmed, not empty) by f's type into *out. */
static int check_typed(const struct field *f, const char *v, const struct kv *vals,
		       const struct config *cfg, const struct date *today, char **out, char **err)
{
	enum msg_id why;
	uint32_t bad;
	long n;
	double x;
	char *folded = NULL;
	int rc = 0;

	switch (f->type) {
	case FT_TEXT:
	case FT_MEMO:
	case FT_CHOICE:
	case FT_AREA:
		if (text_check(v, f->type == FT_MEMO, &bad) < 0)
			return fail(err, bad == TEXT_INVALID ? xstrdup(msg(MSG_V_BAD_UTF8))
							     : msgf(MSG_V_BAD_CHAR, (unsigned)bad));
		if (f->type == FT_CHOICE && !strv_has(&f->options, v))
			return bad_choice(f, err);
		if (f->type == FT_AREA && check_area(f, v, vals, cfg, err) < 0)
			return -1;
		*out = xstrdup(v);
		return 0;
	case FT_MULTI:
		return check_multi(f, v, out, err);
	case FT_YESNO:
		return check_yesno(v, out, err);
	case FT_INT:
	case FT_DECIMAL:
		folded = text_fold_fullwidth(v);
		if (f->type == FT_INT ? str_to_long(folded, &n) < 0 : str_to_double(folded, &x) < 0)
			rc = fail(err, xstrdup(msg(f->type == FT_INT ? MSG_V_NOT_INT : MSG_V_NOT_DECIMAL)));
		else if (check_bounds(f, f->type == FT_INT ? (double)n : x, err) < 0)
			rc = -1;
		else
			*out = f->type == FT_INT ? xasprintf("%ld", n) : xstrdup(folded);
		free(folded);
		return rc;
	case FT_DATE:
		if (check_date(v, out, &why) < 0)
			return fail(err, xstrdup(msg(why)));
		break;
	case FT_PHONE:
		if (check_phone(v, out, &why) < 0)
			return fail(err, xstrdup(msg(why)));
		break;
	case FT_ID_CARD:
		if (check_id_card(v, today, out, &why) < 0)
			return fail(err, xstrdup(msg(why)));
		if (cfg && cfg->regions && !regions_known(cfg->regions, *out)) {
			char code[7];
			memcpy(code, *out, 6);
			code[6] = '\0';
			free(*out);
			*out = NULL;
			return fail(err, msgf(MSG_V_ID_REGION_UNKNOWN, code));
		}
		break;
	case FT_USCC:
		if (check_uscc(v, out, &why) < 0)
			return fail(err, xstrdup(msg(why)));
		break;
	}
	if (f->type == FT_DATE && check_date_bounds(f, *out, today, err) < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int validate_field(const struct field *f, const char *value, const struct kv *vals,
		   const struct config *cfg, const struct date *today, char **out, char **err)
{
	*out = NULL;
	*err = NULL;
	char *v = text_trim(value ? value : "");
	if (*v == '\0') {
		*out = v;
		return 0;
	}
	int rc = check_typed(f, v, vals, cfg, today, out, err);
	free(v);
	if (rc < 0)
		return -1;
	size_t chars = utf8_chars(*out);
	if (f->min_chars && chars < (size_t)f->min_chars)
		rc = fail(err, msgf(MSG_V_TOO_SHORT, f->min_chars));
	else if (f->max_chars && chars > (size_t)f->max_chars)
		rc = fail(err, msgf(MSG_V_TOO_LONG, f->max_chars));
	else if (chars > VALUE_MAX_CHARS)
		rc = fail(err, msgf(MSG_V_TOO_LONG, VALUE_MAX_CHARS));
	else if (f->has_regex && regexec(&f->regex, *out, 0, NULL, 0) != 0)
		rc = fail(err, xstrdup(f->pattern_message ? f->pattern_message : msg(MSG_V_PATTERN)));
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

char *issues_override_note(const struct issues *is)
{
	if (is->warnings == 0)
		return NULL;
	struct buf b = {0};
	buf_printf(&b, "%s:", msg(MSG_ACT_OVERRIDE));
	for (size_t i = 0; i < is->n; i++)
		if (is->v[i].severity == SEV_WARN)
			buf_printf(&b, " %s(%s)", is->v[i].rule ? is->v[i].rule : is->v[i].field,
				   is->v[i].message);
	return buf_take(&b);
}

static bool cond_holds(const struct cond *c, const struct kv *vals)
{
	return cond_matches(c, c->field ? kv_get(vals, c->field) : NULL);
}

bool cond_matches(const struct cond *c, const char *v)
{
	if (c->field == NULL)
		return true;
	if (v == NULL)
		return false;
	if (str_eq(v, c->value))
		return true;
	/* a multi value holds when one of its options is the one named */
	struct strv parts = {0};
	strv_split(&parts, v, '|');
	bool has = parts.n > 1 && strv_has(&parts, c->value);
	strv_free(&parts);
	return has;
}

/* Returns true when fd must have a value: it is shown, and required
 * always or by its condition. */
static bool needed(const struct field *fd, const struct kv *vals)
{
	return cond_holds(&fd->show_if, vals) &&
	       (fd->required || (fd->required_if.field && cond_holds(&fd->required_if, vals)));
}

/* The facts a valid ID number gives, for derived fields and rules. */
static bool id_facts(const struct kv *vals, const char *key, struct id_info *info)
{
	const char *id = key ? kv_get(vals, key) : NULL;
	return id && id_card_info(id, info) == 0;
}

/* Fills birth date and gender from a valid ID when they are empty. */
static void derive(const struct form *f, struct kv *vals)
{
	struct id_info info;
	if (!id_facts(vals, "id_number", &info))
		return;
	const struct field *bd = form_field(f, "birth_date");
	if (bd && bd->type == FT_DATE && str_empty(kv_get(vals, "birth_date"))) {
		char *s = xasprintf("%04d-%02d-%02d", info.birth.y, info.birth.m, info.birth.d);
		kv_set(vals, "birth_date", s);
		free(s);
	}
	const struct field *g = form_field(f, "gender");
	if (g && str_empty(kv_get(vals, "gender")))
		kv_set(vals, "gender", info.male ? "男" : "女");
}

static void rule_issue(const struct form *f, const struct rule *r, struct issues *out)
{
	const struct field *fd = form_field(f, r->field);
	issues_add(out, fd, r->key, r->severity, xstrdup(r->message));
}

static void check_rule(const struct form *f, const struct rule *r, const struct kv *vals,
		       const struct date *today, const bool *bad, struct issues *out)
{
	int fi = form_field_index(f, r->field);
	if (fi < 0 || bad[fi])
		return;
	const char *v = kv_get(vals, r->field);
	struct id_info info;
	bool have_id = id_facts(vals, r->id_field, &info);
	int age = have_id ? age_on(&info.birth, today) : 0;
	long n;

	switch (r->kind) {
	case RK_REQUIRED_IF:
		if (cond_holds(&r->when, vals) && str_empty(v))
			rule_issue(f, r, out);
		return;
	case RK_AGE_RANGE:
		if (have_id && ((r->has_min && age < r->min) || (r->has_max && age > r->max)))
			rule_issue(f, r, out);
		return;
	case RK_ID_MATCHES_BIRTH_DATE: {
		struct date d;
		if (have_id && !str_empty(v) && date_parse_iso(v, &d) == 0 &&
		    date_cmp(&d, &info.birth) != 0)
			rule_issue(f, r, out);
		return;
	}
	case RK_ID_MATCHES_GENDER:
		if (have_id && !str_empty(v) && !str_eq(v, info.male ? "男" : "女"))
			rule_issue(f, r, out);
		return;
	case RK_DATE_ORDER: {
		const char *o = kv_get(vals, r->other);
		struct date a, b;
		if (!str_empty(v) && !str_empty(o) && date_parse_iso(v, &a) == 0 &&
		    date_parse_iso(o, &b) == 0 && date_cmp(&a, &b) < 0)
			rule_issue(f, r, out);
		return;
	}
	case RK_MAX_YEARS_SINCE_AGE:
		if (have_id && str_to_long(v, &n) == 0 && n > age - r->offset)
			rule_issue(f, r, out);
		return;
	}
}

int validate_record(const struct form *f, struct kv *vals, const struct config *cfg,
		    const struct date *today, struct issues *out)
{
	int before = out->errors;
	struct kv norm = {0};
	bool *bad = xcalloc(f->nfields, sizeof *bad);

	/* pass 1: each value by its type, in the form's order */
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		const char *v = kv_get(vals, fd->key);
		char *val, *err;
		if (str_empty(v) && fd->def)
			v = fd->def;
		if (validate_field(fd, v, vals, cfg, today, &val, &err) < 0) {
			issues_add(out, fd, NULL, SEV_ERROR, err);
			bad[i] = true;
			kv_add(&norm, fd->key, v);	/* keep what was typed */
		} else {
			kv_add(&norm, fd->key, val);
			free(val);
		}
	}
	derive(f, &norm);
	/* pass 2: required fields and conditions, on normalised values; the
	 * fields a valid ID fills are not asked for while the ID is wrong or
	 * missing, wherever they stand in the form */
	int id = form_field_index(f, "id_number");
	bool no_id = id >= 0 && (bad[id] || (needed(&f->fields[id], &norm) &&
					     str_empty(kv_get(&norm, "id_number"))));
	for (size_t i = 0; i < f->nfields; i++) {
		const struct field *fd = &f->fields[i];
		bool derived = str_eq(fd->key, "birth_date") || str_eq(fd->key, "gender");
		if (derived && no_id)
			continue;
		/* norm holds field i at i: pass 1 added every field in order,
		 * and derive() only sets fields already there */
		if (!bad[i] && needed(fd, &norm) && str_empty(norm.vals.v[i])) {
			issues_add(out, fd, NULL, SEV_ERROR, xstrdup(msg(MSG_V_REQUIRED)));
			bad[i] = true;
		}
	}
	for (size_t i = 0; i < f->nrules; i++)
		check_rule(f, &f->rules[i], &norm, today, bad, out);
	free(bad);
	/* keep only non-empty values, in the form's order */
	kv_free(vals);
	for (size_t i = 0; i < norm.keys.n; i++)
		if (*norm.vals.v[i])
			kv_add(vals, norm.keys.v[i], norm.vals.v[i]);
	kv_free(&norm);
	return out->errors - before;
}
