/*
 * app.c - what the commands share: opening the store and settling who acts,
 * option parsing, reading key=value arguments, printing issues and errors,
 * and masking personal data for officers.
 */
#include "app.h"

#include <errno.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "priv.h"
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

void app_err(enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	char *m = msgv(id, ap);
	va_end(ap);
	put_safe(stderr, "talentreg: ", m);
	free(m);
}

void app_out(enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	char *m = msgv(id, ap);
	va_end(ap);
	put_safe(stdout, "", m);
	free(m);
}

void app_print_diags(const struct diags *d)
{
	for (size_t i = 0; i < d->lines.n; i++)
		put_safe(stderr, "", d->lines.v[i]);
}

int app_usage(enum msg_id id, const char *arg)
{
	app_err(id, arg ? arg : "");
	return EXIT_USAGE;
}

int app_store_error(int rc, char *cause)
{
	put_safe(stderr, "talentreg: ", cause ? cause : msg(MSG_ERROR));
	free(cause);
	switch (rc) {
	case SR_DENIED:
	case SR_NOTFOUND:
		return EXIT_DENIED;
	case SR_DUP:
	case SR_STALE:
		return EXIT_INVALID;
	case SR_AMBIGUOUS:
		return EXIT_USAGE;
	default:
		return EXIT_BROKEN;
	}
}

char *app_os_login(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw ? xstrdup(pw->pw_name) : xasprintf("uid%u", (unsigned)getuid());
}

/* The first admin of a database may be missing from users.ini: it gets an
 * admin's rights over all townships. */
static const struct user *lookup(struct app *app, const char *login, const char *first)
{
	const struct user *u = config_user(app->cfg, login);
	if (u || !str_eq(login, first))
		return u;
	if (app->first_admin == NULL) {
		app->first_admin = xcalloc(1, sizeof *app->first_admin);
		app->first_admin->login = xstrdup(login);
		app->first_admin->role = ROLE_ADMIN;
	}
	return app->first_admin;
}

int app_identify(struct app *app)
{
	char *first = NULL, *cause = NULL;
	int rc = store_meta_get(app->st, "first_admin", &first, &cause);
	if (rc != SR_OK)
		return app_store_error(rc, cause);
	if (app->login == NULL)
		app->login = app_os_login();
	const struct user *real = lookup(app, app->login, first);
	const struct user *me = real;
	int status = EXIT_DONE;
	if (real == NULL) {
		app_err(MSG_UNKNOWN_USER, app->login);
		status = EXIT_DENIED;
	} else if (app->as_login && !str_eq(app->as_login, app->login)) {
		if (real->role != ROLE_ADMIN) {
			app_err(MSG_AS_ADMIN_ONLY);
			status = EXIT_DENIED;
		} else if ((me = lookup(app, app->as_login, first)) == NULL) {
			app_err(MSG_UNKNOWN_USER, app->as_login);
			status = EXIT_DENIED;
		}
	}
	free(first);
	app->me = me;
	app->actor = (struct actor){me, app->login};
	return status;
}

/* Below this many records a recount is too quick to announce. */
#define RECOUNT_NOTICE_MIN 20000

/* The store keeps running counts of people by team and by the plan's
 * targets: tell it the forms' teams and targets.ini's targets. */
static int set_counts(struct app *app, char **cause)
{
	const struct config *c = app->cfg;
	struct strv cats = {0}, teams = {0};
	for (size_t i = 0; i < c->forms.n; i++) {
		const struct form *f = c->forms.v[i];
		if (!f->abstract) {
			strv_add(&cats, f->key);
			strv_add(&teams, f->team);
		}
	}
	struct store_target *t = xcalloc(c->ntargets + 1, sizeof *t);
	for (size_t i = 0; i < c->ntargets; i++)
		t[i] = (struct store_target){c->targets[i].key, c->targets[i].category,
					     c->targets[i].where.field, c->targets[i].where.value};
	/* counting everyone again takes a while in a large registry (about a
	 * minute for 1,000,000 records): say why a person at a terminal waits */
	bool stale = false;
	long records = 0;
	if (isatty(STDERR_FILENO) &&
	    store_counts_stale(app->st, &cats, &teams, t, c->ntargets, &stale, &records,
			       NULL) == SR_OK && stale && records >= RECOUNT_NOTICE_MIN)
		app_err(MSG_RECOUNTING, (int)records);
	int rc = store_set_counts(app->st, &cats, &teams, t, c->ntargets, cause);
	free(t);
	strv_free(&cats);
	strv_free(&teams);
	return rc;
}

/* Opens the database; an installed program holds its group for this alone
 * (priv.c, rules 2, 4 and 5). */
static int open_db(struct app *app, const char *path, bool create)
{
	char *cause = NULL;
	if (priv_open_begin(path, &cause) < 0) {
		put_safe(stderr, "talentreg: ", cause);
		free(cause);
		return EXIT_BROKEN;
	}
	struct stat sb;
	if (priv_installed() && !priv_may_create(path) && lstat(path, &sb) != 0 &&
	    errno == ENOENT) {
		app_err(create ? MSG_PRIV_NO_CREATE : MSG_STORE_NO_DB_INSTALLED, path);
		return create ? EXIT_DENIED : EXIT_BROKEN;
	}
	int rc = store_open(path, create, &app->st, &cause);
	/* the group goes now, whatever happened: nothing after this may use it */
	char *why = NULL;
	if (priv_drop(&why) < 0) {
		put_safe(stderr, "talentreg: ", why);
		free(why);
		free(cause);
		exit(EXIT_BROKEN);
	}
	if (rc != SR_OK)
		return app_store_error(rc, cause);
	char *copy = xstrdup(path);
	if (stat(dirname(copy), &sb) == 0) {
		app->data_dir_known = true;
		app->data_dev = (unsigned long)sb.st_dev;
		app->data_ino = (unsigned long)sb.st_ino;
	}
	free(copy);
	return EXIT_DONE;
}

int app_open(struct app *app, bool create)
{
	const char *env = getenv("TALENTREG_DB");
	const char *path = app->db_path ? app->db_path : !str_empty(env) ? env : app->cfg->db_path;
	char *cause = NULL;
	int y, m, d;
	today(&y, &m, &d);
	app->today = (struct date){y, m, d};
	int rc = open_db(app, path, create);
	if (rc != EXIT_DONE)
		return rc;
	int src = set_counts(app, &cause);
	if (src != SR_OK) {
		store_close(app->st);
		app->st = NULL;
		return app_store_error(src, cause);
	}
	app->db_path = path;
	return create ? EXIT_DONE : app_identify(app);
}

const struct form *app_form(struct app *app, const char *category)
{
	const struct form *f = formset_find(&app->cfg->forms, category);
	if (f == NULL)
		app_err(MSG_UNKNOWN_CATEGORY, category);
	return f;
}

int app_assignments(const struct form *f, int argc, char **argv, struct kv *vals)
{
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		if (eq == NULL || eq == argv[i])
			return app_usage(MSG_BAD_ASSIGNMENT, argv[i]);
		char *key = xstrndup(argv[i], (size_t)(eq - argv[i]));
		int rc = EXIT_DONE;
		if (form_field(f, key) == NULL) {
			app_err(MSG_UNKNOWN_FIELD, f->key, key);
			rc = EXIT_USAGE;
		} else if (kv_get(vals, key)) {
			rc = app_usage(MSG_DUP_ASSIGNMENT, key);
		} else {
			kv_set(vals, key, eq + 1);
		}
		free(key);
		if (rc)
			return rc;
	}
	return EXIT_DONE;
}

void app_print_issues(const struct issues *is)
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

/* Keeps the first `head` and last `tail` characters, starring the rest. */
static char *mask_middle(const char *v, size_t head, size_t tail)
{
	size_t n = utf8_chars(v);
	if (n <= head + tail)
		return xstrdup(v);
	struct buf b = {0};
	size_t i = 0;
	for (const char *p = v; *p; i++) {
		uint32_t cp;
		int len = utf8_decode(p, strlen(p), &cp);
		if (i < head || i >= n - tail)
			buf_add(&b, p, (size_t)len);
		else
			buf_putc(&b, '*');
		p += len;
	}
	return buf_take(&b);
}

char *mask_value(const struct field *f, const char *value)
{
	if (value == NULL)
		return NULL;
	if (f->type == FT_ID_CARD)
		return mask_middle(value, 4, 4);
	if (f->type == FT_PHONE)
		return mask_middle(value, 3, 4);
	/* a birth date beside a masked ID would give back 8 of its hidden
	 * digits: the year alone */
	if (f->type == FT_DATE && strlen(value) == 10)
		return xasprintf("%.4s-**-**", value);
	return mask_middle(value, 1, 0);
}

char *shown_value(const struct form *f, const char *key, const char *v, bool masked)
{
	const struct field *fd = f ? form_field(f, key) : NULL;
	if (v == NULL)
		return xstrdup("");
	if (masked && fd && fd->pii)
		return mask_value(fd, v);
	return xstrdup(v);
}

char *display_value(const struct form *f, const char *key, const char *v, bool masked)
{
	char *s = shown_value(f, key, v, masked);
	const struct field *fd = f ? form_field(f, key) : NULL;
	if (fd == NULL || fd->type != FT_MULTI || strchr(s, '|') == NULL)
		return s;
	struct buf b = {0};
	for (const char *p = s; *p; p++)
		buf_puts(&b, *p == '|' ? "、" : (char[]){*p, '\0'});
	free(s);
	return buf_take(&b);
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
			app_usage(MSG_UNKNOWN_OPTION, name);
			free(name);
			return EXIT_USAGE;
		}
		if (o->value == NULL) {
			if (eq)
				return app_usage(MSG_UNKNOWN_OPTION, a);
			*o->flag = true;
		} else if (eq) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			return app_usage(MSG_OPTION_NEEDS_VALUE, o->name);
		}
	}
	return EXIT_DONE;
}
