/*
 * validate.h - checks a whole record against its form: normalises each value
 * by its type, checks every attribute and cross-field rule, and fills the
 * fields derived from a valid ID number (birth date, gender). The result is a
 * list of issues, each an error (blocks saving) or a warning (needs confirming).
 */
#ifndef TALENTREG_VALIDATE_H
#define TALENTREG_VALIDATE_H

#include "check.h"
#include "config.h"
#include "form.h"
#include "record.h"

struct issue {
	const char *field;	/* the field's key (points into the form) */
	const char *label;	/* its label */
	const char *rule;	/* the rule's key, NULL for a field check */
	enum severity severity;
	char *message;		/* owned */
};

struct issues {
	struct issue *v;
	size_t n;
	int errors, warnings;
};
void issues_free(struct issues *is);
/* Appends an issue on field f (rule: the rule's key, NULL for a field
 * check), taking message. */
void issues_add(struct issues *is, const struct field *f, const char *rule, enum severity sev,
		char *message);

/* The most characters any value may have when its field sets no
 * max_chars: far below what a spreadsheet cell holds (32,767), so that an
 * export never fails on a stored value. */
#define VALUE_MAX_CHARS 1000

/* Normalises and checks one field's value alone (no rules): on success
 * returns 0 with *out a new normalised value ("" for an empty value); on
 * failure returns -1 with *err a new message (without the label). cfg gives
 * the areas; vals gives the other values (for an area's parent); today is
 * the date "today" means. */
int validate_field(const struct field *f, const char *value, const struct kv *vals,
		   const struct config *cfg, const struct date *today,
		   char **out, char **err);

/* Validates vals against form f: replaces each value with its normalised
 * form, fills derived fields, and appends every issue to *out. Unknown keys
 * must have been refused by the caller. Returns the number of errors. */
int validate_record(const struct form *f, struct kv *vals, const struct config *cfg,
		    const struct date *today, struct issues *out);

/* Formats one issue for the command line: "key: 标签：message". New string. */
char *issue_format(const struct issue *is);
/* Returns a new line for the audit saying which warnings were confirmed
 * ("确认警告: rule(message) ..."), or NULL when there were none. */
char *issues_override_note(const struct issues *is);

/* Returns true when condition c holds for v, the value of c->field: always
 * when there is no condition; when v is the value named, or a multi value
 * ("a|b") holding it. */
bool cond_matches(const struct cond *c, const char *v);

#endif
