/*
 * cli.c - what the commands share (cli.h): printing messages, issues and
 * store failures through the display sanitiser, reading key=value
 * arguments and options.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

/* Writes s and a newline, each line through the display sanitiser: a
 * message may quote what the user typed or what a file held. */
static void put_safe(FILE *out, const char *prefix, const char *s)
{
	fputs(prefix, out);
	for (;;) {
		const char *nl = strchr(s, '\n');
		char *line = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
		char *safe = text_sanitize(line);
		fputs(safe, out);
		putc('\n', out);
		free(safe);
		free(line);
		if (nl == NULL || nl[1] == '\0')
			break;
		s = nl + 1;
	}
}

void cli_err_text(const char *s)
{
	put_safe(stderr, "talentreg: ", s);
}

/* Writes id's text, formatted with ap, on out after prefix. */
static void say(FILE *out, const char *prefix, enum msg_id id, va_list ap)
{
	char *m = msgv(id, ap);
	put_safe(out, prefix, m);
	free(m);
}

void cli_err(enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	say(stderr, "talentreg: ", id, ap);
	va_end(ap);
}

void cli_out(enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	say(stdout, "", id, ap);
	va_end(ap);
}

void cli_print_diags(const struct diags *d)
{
	for (size_t i = 0; i < d->lines.n; i++)
		put_safe(stderr, "", d->lines.v[i]);
}

int cli_usage(enum msg_id id, const char *arg)
{
	cli_err(id, arg ? arg : "");
	return EXIT_USAGE;
}

int cli_store_error(int rc, char *cause)
{
	put_safe(stderr, "talentreg: ", cause ? cause : msg(MSG_ERROR));
	free(cause);
	switch (rc) {
	case SR_DENIED:
	case SR_NOTFOUND:
		return EXIT_DENIED;
	case SR_DUP:
	case SR_STALE:
	case SR_NOCHANGE:
	case SR_INVALID:
		return EXIT_INVALID;
	case SR_AMBIGUOUS:
		return EXIT_USAGE;
	default:
		return EXIT_BROKEN;
	}
}

const struct form *cli_form(struct app *app, const char *category)
{
	const struct form *f = formset_find(&app->cfg->forms, category);
	if (f == NULL)
		cli_err(MSG_UNKNOWN_CATEGORY, category);
	return f;
}

int cli_assignments(const struct form *f, int argc, char **argv, struct kv *vals)
{
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		if (eq == NULL || eq == argv[i])
			return cli_usage(MSG_BAD_ASSIGNMENT, argv[i]);
		char *key = xstrndup(argv[i], (size_t)(eq - argv[i]));
		int rc = EXIT_DONE;
		if (form_field(f, key) == NULL) {
			cli_err(MSG_UNKNOWN_FIELD, f->key, key);
			rc = EXIT_USAGE;
		} else if (kv_get(vals, key)) {
			rc = cli_usage(MSG_DUP_ASSIGNMENT, key);
		} else {
			kv_set(vals, key, eq + 1);
		}
		free(key);
		if (rc)
			return rc;
	}
	return EXIT_DONE;
}

void cli_print_issues(const struct issues *is)
{
	for (size_t i = 0; i < is->n; i++) {
		char *line = issue_format(&is->v[i]);
		char *full = xasprintf("%s%s", line,
				       is->v[i].severity == SEV_WARN ? msg(MSG_WARN_SUFFIX) : "");
		put_safe(stderr, "", full);
		free(full);
		free(line);
	}
}

/* Checks the --comment value: trimmed, one line with no control or format
 * characters, at most COMMENT_MAX_CHARS. *out is the new trimmed comment,
 * or NULL when none was given (or only white space). Returns 0, or prints
 * the problem (missing, when required and none given) and returns
 * EXIT_USAGE. */
int cli_comment(const char *given, bool required, enum msg_id missing, char **out)
{
	*out = NULL;
	char *c = given ? text_trim(given) : NULL;
	uint32_t bad;
	int rc = EXIT_DONE;
	if (str_empty(c)) {
		if (required) {
			cli_err(missing);
			rc = EXIT_USAGE;
		}
	} else if (text_check(c, false, &bad) < 0) {
		cli_err(MSG_COMMENT_BAD_CHAR, (unsigned)bad);
		rc = EXIT_USAGE;
	} else if (utf8_chars(c) > COMMENT_MAX_CHARS) {
		cli_err(MSG_COMMENT_TOO_LONG, COMMENT_MAX_CHARS);
		rc = EXIT_USAGE;
	} else {
		*out = c;
		return EXIT_DONE;
	}
	free(c);
	return rc;
}

static const struct opt *find_opt(const struct opt *opts, size_t n, const char *arg, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(opts[i].name) == len && strncmp(opts[i].name, arg, len) == 0)
			return &opts[i];
	return NULL;
}

int opts_parse(int argc, char **argv, const struct opt *opts, size_t nopts,
	       const char ***pos, int *npos)
{
	bool only_pos = false;
	*pos = xcalloc((size_t)argc + 1, sizeof **pos);
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_pos || strncmp(a, "--", 2) != 0) {
			(*pos)[(*npos)++] = a;
			continue;
		}
		if (a[2] == '\0') {
			only_pos = true;
			continue;
		}
		const char *eq = strchr(a, '=');
		size_t len = eq ? (size_t)(eq - a) : strlen(a);
		const struct opt *o = find_opt(opts, nopts, a, len);
		if (o == NULL) {
			char *name = xstrndup(a, len);
			cli_usage(MSG_UNKNOWN_OPTION, name);
			free(name);
			return EXIT_USAGE;
		}
		if (o->value == NULL) {
			if (eq)
				return cli_usage(MSG_UNKNOWN_OPTION, a);
			*o->flag = true;
		} else if (eq) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			return cli_usage(MSG_OPTION_NEEDS_VALUE, o->name);
		}
	}
	return EXIT_DONE;
}

int cli_format_find(const char *given, const char *const *names, size_t n)
{
	for (size_t i = 0; given && i < n; i++)
		if (strcasecmp(given, names[i]) == 0)
			return (int)i;
	return -1;
}

int cli_format(const char *given, const char *const *names, size_t n, int def, int *out)
{
	*out = given ? cli_format_find(given, names, n) : def;
	if (*out >= 0)
		return EXIT_DONE;
	*out = def;
	cli_err(MSG_BAD_OPTION_VALUE, "--format", given);
	return EXIT_USAGE;
}

int cli_table_format(const char *given, enum out_format *out)
{
	static const char *const names[] = {"table", "csv", "json"};
	int f;
	int rc = cli_format(given, names, ARRAY_LEN(names), FMT_TABLE, &f);
	*out = (enum out_format)f;
	return rc;
}

int cli_reg_result(const struct reg_result *res)
{
	cli_print_issues(&res->is);
	switch (res->outcome) {
	case REG_INVALID:
		cli_err(MSG_INVALID);
		return EXIT_INVALID;
	case REG_UNCONFIRMED:
		cli_err(MSG_NEEDS_CONFIRM);
		return EXIT_INVALID;
	case REG_DENIED:
		cli_err_text(res->cause ? res->cause : msg(MSG_ERROR));
		return EXIT_DENIED;
	case REG_FAILED:
		return cli_store_error(res->store_rc, xstrdup(res->cause));
	default:
		return EXIT_DONE;
	}
}

int cli_edit_result(const struct reg_result *res)
{
	int rc = cli_reg_result(res);
	if (res->outcome == REG_UNCHANGED)
		cli_out(MSG_NO_CHANGE);
	else if (res->outcome == REG_SAVED)
		cli_out(MSG_EDIT_SAVED, res->uuid, res->version);
	return rc;
}

int opts_only(int argc, char **argv, const struct opt *opts, size_t nopts)
{
	const char **pos;
	int npos;
	int rc = opts_parse(argc, argv, opts, nopts, &pos, &npos);
	if (rc == EXIT_DONE && npos > 0)
		rc = cli_usage(MSG_EXTRA_ARGUMENT, pos[0]);
	free(pos);
	return rc;
}

int cli_list_end(struct cli_list *c, int src, char *cause)
{
	int rc = EXIT_DONE;
	if (src != SR_OK)
		rc = cli_store_error(src, cause);
	else
		table_print(&c->t, c->fmt, stdout);
	table_free(&c->t);
	return rc;
}
