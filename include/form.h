/*
 * form.h - a category's form as loaded from forms/KEY.ini: its fields (the
 * common person fields of forms/person.ini first, when it extends them) and
 * its cross-field rules. Forms are data; the loader (form.c) checks them and
 * reports every problem as file:line: message.
 */
#ifndef TALENTREG_FORM_H
#define TALENTREG_FORM_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum ftype {
	FT_TEXT, FT_MEMO, FT_INT, FT_DECIMAL, FT_DATE, FT_CHOICE, FT_MULTI,
	FT_YESNO, FT_PHONE, FT_ID_CARD, FT_USCC, FT_AREA
};

/* Returns the type's name in form files ("text", "id_card", ...). */
const char *ftype_name(enum ftype t);

/* A condition "field=value" of show_if, required_if and rules. */
struct cond {
	char *field, *value;	/* NULL field: no condition */
};

struct field {
	char *key, *label, *help;
	enum ftype type;
	bool required, unique, pii;
	int min_chars, max_chars;	/* 0: no limit */
	bool has_min, has_max;
	double min, max;		/* int and decimal */
	char *min_date, *max_date;	/* date: ISO date or "today"; NULL none */
	struct strv options;		/* choice and multi */
	char *pattern;			/* POSIX ERE, NULL none */
	char *pattern_message;		/* shown when the pattern does not match */
	bool has_regex;
	regex_t regex;
	char *def;			/* default value, NULL none */
	char *parent;			/* area: the township field a village belongs to */
	struct cond show_if, required_if;
	char *file;			/* where it was defined, for messages */
	int line;
	int parent_line, show_if_line, required_if_line;
};

enum rule_kind {
	RK_AGE_RANGE, RK_ID_MATCHES_BIRTH_DATE, RK_ID_MATCHES_GENDER,
	RK_REQUIRED_IF, RK_DATE_ORDER, RK_MAX_YEARS_SINCE_AGE
};

enum severity { SEV_ERROR, SEV_WARN };

struct rule {
	char *key;
	enum rule_kind kind;
	char *field;		/* the field the rule speaks about */
	char *id_field;		/* age_range, max_years_since_age (age_from), id_matches_* */
	char *other;		/* date_order: the field this one must not precede (after) */
	struct cond when;	/* required_if */
	double min, max;	/* age_range */
	bool has_min, has_max;
	int offset;		/* max_years_since_age */
	enum severity severity;
	char *message;
	char *file;
	int line;
	int field_line, id_line, other_line, when_line;	/* of those keys */
};

struct form {
	char *key, *title, *team, *help;
	bool abstract;		/* person.ini: a base, not a category */
	/* an event type (events/KEY.ini, headed [event] instead of [form]):
	 * its attendees who are not registered yet are registered on the spot
	 * in category, each event field of carry_from going into the
	 * attendee's field carry_to[i], and each preset_keys[i] set to
	 * preset_vals[i] (issue 15) */
	bool event;
	char *category;		/* NULL: only registered people attend */
	struct strv carry_from, carry_to, preset_keys, preset_vals;
	int category_line, preset_line;
	/* [form] carry: the fields a run of registrations shares (a training
	 * class's course, date and place); after a save, "register another"
	 * starts the next form with them filled. carry_line is the line of
	 * either carry key, [form]'s or [event]'s. */
	struct strv carry;
	int carry_line;
	struct field *fields;
	size_t nfields;
	struct rule *rules;
	size_t nrules;
	char *path;
};

struct formset {
	struct form **v;
	size_t n;
};

/* Returns the field named key, or NULL. */
const struct field *form_field(const struct form *f, const char *key);
/* Returns the index of the field named key, or -1. */
int form_field_index(const struct form *f, const char *key);
/* Returns the category form named key (abstract forms excluded), or NULL. */
const struct form *formset_find(const struct formset *fs, const char *key);

/* Loads every KEY.ini file of the forms folder dir into *out. Every problem found is added to
 * d as "file:line: message"; returns 0 when there were none, else -1 (and
 * *out holds what could be loaded, to be freed all the same). team_ok, when
 * not NULL, says whether a team key is known. */
int formset_load(const char *dir, bool (*team_ok)(const char *team, void *arg),
		 void *arg, struct formset *out, struct diags *d);
/* The same for the event types of the events folder dir: files headed
 * [event] (event.ini, abstract, holds the fields every type extends). */
int eventset_load(const char *dir, struct formset *out, struct diags *d);
void formset_free(struct formset *fs);

#endif
