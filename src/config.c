/*
 * config.c - loads the configuration folder: talentreg.ini, users.ini,
 * areas.ini and targets.ini (teams, targets, townships' shares), then the
 * forms folder and the division code table talentreg.ini names. Every
 * problem in every file is collected as file:line: message.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"

static const char *const role_names[] = {
	[ROLE_OFFICER] = "officer", [ROLE_SUPERVISOR] = "supervisor", [ROLE_ADMIN] = "admin",
};

const char *role_name(enum role r)
{
	return (unsigned)r < ARRAY_LEN(role_names) ? role_names[r] : "?";
}

int role_parse(const char *s, enum role *out)
{
	for (size_t i = 0; i < ARRAY_LEN(role_names); i++)
		if (str_eq(s, role_names[i])) {
			*out = (enum role)i;
			return 0;
		}
	return -1;
}

/* The keys each section kind may hold. */
struct section_kind {
	const char *file, *prefix;	/* prefix "" means an exact section name */
	const char *name;
	const char *keys[6];
};

static const struct section_kind kinds[] = {
	{"talentreg.ini", "", "paths", {"database", "forms"}},
	{"talentreg.ini", "", "site", {"id", "name"}},
	{"talentreg.ini", "", "ui", {"language"}},
	{"talentreg.ini", "", "limits", {"max_input_mb", "lookups_per_day"}},
	{"talentreg.ini", "", "review", {"self_review"}},
	{"talentreg.ini", "", "validation", {"region_table"}},
	{"users.ini", "user.", NULL, {"role", "name", "townships"}},
	{"areas.ini", "township.", NULL, {"name", "villages", "sample"}},
	{"targets.ini", "", "total", {"label", "target"}},
	{"targets.ini", "team.", NULL, {"label", "target"}},
	{"targets.ini", "target.", NULL, {"label", "category", "where", "target"}},
	/* township, total, and the keys of teams and targets: load_shares checks */
	{"targets.ini", "share.", NULL, {"*"}},
};

static const struct section_kind *kind_of(const char *file, const char *sec)
{
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
		const struct section_kind *k = &kinds[i];
		if (strcmp(k->file, file) != 0)
			continue;
		if (k->name ? strcmp(sec, k->name) == 0
			    : strncmp(sec, k->prefix, strlen(k->prefix)) == 0 && sec[strlen(k->prefix)])
			return k;
	}
	return NULL;
}

/* Opens dir/file and reports unknown sections and keys. */
static struct ini *open_checked(const char *dir, const char *file, struct diags *d)
{
	char *path = xasprintf("%s/%s", dir, file);
	struct ini *ini;
	int rc = ini_open(path, &ini, d);
	free(path);
	if (rc < 0)
		return NULL;
	for (size_t i = 0; i < ini_nsections(ini); i++) {
		const char *sec = ini_section(ini, i);
		const struct section_kind *k = kind_of(file, sec);
		if (k == NULL) {
			diags_msg(d, ini_path(ini), ini_section_line(ini, sec), MSG_INI_UNKNOWN_SECTION, sec);
			continue;
		}
		for (size_t j = 0; j < ini_nkeys(ini, sec); j++) {
			const char *key = ini_key(ini, sec, j);
			bool known = false;
			for (size_t n = 0; n < ARRAY_LEN(k->keys) && k->keys[n]; n++)
				known |= strcmp(k->keys[n], key) == 0 || strcmp(k->keys[n], "*") == 0;
			if (!known)
				diags_msg(d, ini_path(ini), ini_key_line(ini, sec, key), MSG_INI_UNKNOWN_KEY, key);
		}
	}
	return ini;
}

static const char *need(struct ini *ini, const char *sec, const char *key, struct diags *d)
{
	const char *v = ini_get(ini, sec, key);
	if (str_empty(v)) {
		diags_msg(d, ini_path(ini), ini_section_line(ini, sec) ? ini_section_line(ini, sec) : 1, MSG_INI_MISSING_KEY, key);
		return NULL;
	}
	return v;
}

static int number(struct ini *ini, const char *sec, const char *key, struct diags *d)
{
	const char *v = ini_get(ini, sec, key);
	long n = 0;
	if (v && (str_to_long(v, &n) < 0 || n < 0 || n > INT_MAX)) {	/* (int) would wrap */
		char *what = xasprintf("%s", key);
		diags_msg(d, ini_path(ini), ini_key_line(ini, sec, key), MSG_INI_BAD_VALUE, what, v);
		free(what);
		n = 0;
	}
	return (int)n;
}

/* A relative path in talentreg.ini is relative to the config folder. */
static char *resolve(const char *dir, const char *p)
{
	return p[0] == '/' ? xstrdup(p) : xasprintf("%s/%s", dir, p);
}

static void load_main(struct config *c, struct diags *d)
{
	struct ini *ini = open_checked(c->dir, "talentreg.ini", d);
	if (ini == NULL)
		return;
	const char *db = need(ini, "paths", "database", d);
	const char *forms = need(ini, "paths", "forms", d);
	c->db_path = db ? resolve(c->dir, db) : NULL;
	c->forms_dir = forms ? resolve(c->dir, forms) : NULL;
	const char *id = ini_get(ini, "site", "id"), *name = ini_get(ini, "site", "name");
	c->site_id = xstrdup(str_empty(id) ? "district" : id);
	c->site_name = xstrdup(str_empty(name) ? c->site_id : name);
	const char *lang = ini_get(ini, "ui", "language");
	if (str_eq(lang, "en"))
		c->lang = LANG_EN;
	else if (lang && !str_eq(lang, "zh"))
		diags_msg(d, ini_path(ini), ini_key_line(ini, "ui", "language"), MSG_INI_BAD_VALUE, "language", lang);
	const char *mb = ini_get(ini, "limits", "max_input_mb");
	long n = 0;
	c->max_input_mb = DEFAULT_MAX_INPUT_MB;
	if (mb && (str_to_long(mb, &n) < 0 || n < 1 || n > 4096))
		diags_msg(d, ini_path(ini), ini_key_line(ini, "limits", "max_input_mb"),
			  MSG_INI_BAD_VALUE, "max_input_mb", mb);
	else if (mb)
		c->max_input_mb = (int)n;
	c->lookups_per_day = ini_get(ini, "limits", "lookups_per_day")
				     ? number(ini, "limits", "lookups_per_day", d)
				     : DEFAULT_LOOKUPS_PER_DAY;
	const char *self = ini_get(ini, "review", "self_review");
	if (self && !str_eq(self, "yes") && !str_eq(self, "no"))
		diags_msg(d, ini_path(ini), ini_key_line(ini, "review", "self_review"),
			  MSG_INI_BAD_VALUE, "self_review", self);
	c->self_review = str_eq(self, "yes");
	/* the table is a file of this folder, loaded with it: a plain name */
	const char *table = ini_get(ini, "validation", "region_table");
	if (table && (strchr(table, '/') || str_eq(table, ".") || str_eq(table, "..")))
		diags_msg(d, ini_path(ini), ini_key_line(ini, "validation", "region_table"),
			  MSG_CONFIG_REGIONS_NAME, table);
	else if (!str_empty(table))
		c->regions_file = xstrdup(table);
	ini_close(ini);
}

/* Loads the division code table that talentreg.ini names, if any. */
static void load_regions(struct config *c, struct diags *d)
{
	if (c->regions_file == NULL)
		return;
	char *path = xasprintf("%s/%s", c->dir, c->regions_file);
	regions_load(path, &c->regions, d);
	free(path);
}

static void load_areas(struct config *c, struct diags *d)
{
	struct ini *ini = open_checked(c->dir, "areas.ini", d);
	if (ini == NULL)
		return;
	for (size_t i = 0; i < ini_nsections(ini); i++) {
		const char *sec = ini_section(ini, i);
		if (strncmp(sec, "township.", 9) != 0)
			continue;
		const char *name = need(ini, sec, "name", d);
		if (name == NULL)
			continue;
		c->towns = xrealloc(c->towns, (c->ntowns + 1) * sizeof *c->towns);
		struct township *t = &c->towns[c->ntowns++];
		memset(t, 0, sizeof *t);
		t->name = xstrdup(name);
		const char *v = ini_get(ini, sec, "villages");
		if (v)
			strv_split(&t->villages, v, '|');
	}
	ini_close(ini);
}

static void load_users(struct config *c, struct diags *d)
{
	struct ini *ini = open_checked(c->dir, "users.ini", d);
	if (ini == NULL)
		return;
	for (size_t i = 0; i < ini_nsections(ini); i++) {
		const char *sec = ini_section(ini, i);
		if (strncmp(sec, "user.", 5) != 0)
			continue;
		const char *role = need(ini, sec, "role", d);
		enum role r;
		if (role == NULL)
			continue;
		if (role_parse(role, &r) < 0) {
			diags_msg(d, ini_path(ini), ini_key_line(ini, sec, "role"), MSG_CONFIG_UNKNOWN_ROLE, role);
			continue;
		}
		c->users = xrealloc(c->users, (c->nusers + 1) * sizeof *c->users);
		struct user *u = &c->users[c->nusers++];
		memset(u, 0, sizeof *u);
		u->login = xstrdup(sec + 5);
		u->role = r;
		u->self_review = c->self_review;	/* talentreg.ini is loaded first */
		const char *name = ini_get(ini, sec, "name");
		u->name = str_empty(name) ? NULL : xstrdup(name);
		const char *towns = ini_get(ini, sec, "townships");
		if (towns)
			strv_split(&u->townships, towns, '|');
		for (size_t t = 0; t < u->townships.n; t++)
			if (!config_township(c, u->townships.v[t]))
				diags_msg(d, ini_path(ini), ini_key_line(ini, sec, "townships"), MSG_CONFIG_UNKNOWN_TOWNSHIP, u->townships.v[t]);
	}
	ini_close(ini);
}

/* [share.KEY] sections of targets.ini: a township's share of the targets,
 * read once the teams and targets (and the townships) are known. */
static void load_shares(struct config *c, struct ini *ini, struct diags *d)
{
	for (size_t i = 0; i < ini_nsections(ini); i++) {
		const char *sec = ini_section(ini, i);
		if (strncmp(sec, "share.", 6) != 0)
			continue;
		const char *town = need(ini, sec, "township", d);
		if (town && !config_township(c, town)) {
			diags_msg(d, ini_path(ini), ini_key_line(ini, sec, "township"),
				  MSG_CONFIG_UNKNOWN_TOWNSHIP, town);
			town = NULL;
		}
		struct share sh = {town ? xstrdup(town) : NULL, 0,
				   xcalloc(c->nteams + 1, sizeof(int)), xcalloc(c->ntargets + 1, sizeof(int))};
		for (size_t j = 0; j < ini_nkeys(ini, sec); j++) {
			const char *key = ini_key(ini, sec, j);
			int n = str_eq(key, "township") ? 0 : number(ini, sec, key, d);
			bool known = str_eq(key, "township");
			if (str_eq(key, "total"))
				sh.total = n, known = true;
			for (size_t t = 0; t < c->nteams; t++)
				if (str_eq(key, c->teams[t].key))
					sh.teams[t] = n, known = true;
			for (size_t t = 0; t < c->ntargets; t++)
				if (str_eq(key, c->targets[t].key))
					sh.targets[t] = n, known = true;
			if (!known)
				diags_msg(d, ini_path(ini), ini_key_line(ini, sec, key), MSG_INI_UNKNOWN_KEY,
					  key);
		}
		if (sh.township && config_share(c, sh.township))
			diags_msg(d, ini_path(ini), ini_section_line(ini, sec), MSG_CONFIG_DUP_SHARE,
				  sh.township);
		if (sh.township && !config_share(c, sh.township)) {
			c->shares = xrealloc(c->shares, (c->nshares + 1) * sizeof *c->shares);
			c->shares[c->nshares++] = sh;
		} else {
			free(sh.township);
			free(sh.teams);
			free(sh.targets);
		}
	}
}

static void load_targets(struct config *c, struct diags *d)
{
	struct ini *ini = open_checked(c->dir, "targets.ini", d);
	if (ini == NULL)
		return;
	c->total_target = number(ini, "total", "target", d);
	for (size_t i = 0; i < ini_nsections(ini); i++) {
		const char *sec = ini_section(ini, i);
		if (strncmp(sec, "team.", 5) == 0) {
			const char *label = need(ini, sec, "label", d);
			c->teams = xrealloc(c->teams, (c->nteams + 1) * sizeof *c->teams);
			struct team *t = &c->teams[c->nteams++];
			t->key = xstrdup(sec + 5);
			t->label = xstrdup(label ? label : sec + 5);
			t->target = number(ini, sec, "target", d);
		} else if (strncmp(sec, "target.", 7) == 0) {
			const char *label = need(ini, sec, "label", d);
			const char *cat = need(ini, sec, "category", d);
			c->targets = xrealloc(c->targets, (c->ntargets + 1) * sizeof *c->targets);
			struct target *t = &c->targets[c->ntargets++];
			memset(t, 0, sizeof *t);
			t->key = xstrdup(sec + 7);
			t->label = xstrdup(label ? label : sec + 7);
			t->category = xstrdup(cat ? cat : "");
			t->target = number(ini, sec, "target", d);
			t->line = ini_key_line(ini, sec, "category");
			t->where_line = ini_key_line(ini, sec, "where");
			const char *where = ini_get(ini, sec, "where");
			const char *eq = where ? strchr(where, '=') : NULL;
			if (where && (eq == NULL || eq == where)) {
				diags_msg(d, ini_path(ini), ini_key_line(ini, sec, "where"), MSG_FORM_BAD_CONDITION, "where", where);
			} else if (where) {
				char *f = xstrndup(where, (size_t)(eq - where));
				t->where.field = str_trim(f);
				t->where.value = str_trim(eq + 1);
				free(f);
			}
		}
	}
	load_shares(c, ini, d);
	ini_close(ini);
}

static bool team_known(const char *team, void *arg)
{
	return config_team(arg, team) != NULL;
}

/* Targets name categories and fields of forms: checked once both are loaded. */
static void check_targets(const struct config *c, struct diags *d)
{
	char *path = xasprintf("%s/targets.ini", c->dir);
	for (size_t i = 0; i < c->ntargets; i++) {
		const struct target *t = &c->targets[i];
		const struct form *f = formset_find(&c->forms, t->category);
		if (f == NULL)
			diags_msg(d, path, t->line, MSG_CONFIG_UNKNOWN_CATEGORY, t->category);
		else if (t->where.field && !form_field(f, t->where.field))
			diags_msg(d, path, t->where_line, MSG_UNKNOWN_FIELD, t->category, t->where.field);
	}
	free(path);
}

int config_load(const char *dir, struct config **out, struct diags *d)
{
	size_t before = d->lines.n;
	struct config *c = xcalloc(1, sizeof *c);
	*out = c;
	c->dir = xstrdup(dir);
	load_main(c, d);
	load_areas(c, d);
	load_users(c, d);
	load_targets(c, d);
	load_regions(c, d);
	if (c->forms_dir) {
		formset_load(c->forms_dir, team_known, c, &c->forms, d);
		check_targets(c, d);
	}
	return d->lines.n == before ? 0 : -1;
}

void config_free(struct config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nusers; i++) {
		free(c->users[i].login);
		free(c->users[i].name);
		strv_free(&c->users[i].townships);
	}
	for (size_t i = 0; i < c->ntowns; i++) {
		free(c->towns[i].name);
		strv_free(&c->towns[i].villages);
	}
	for (size_t i = 0; i < c->nteams; i++) {
		free(c->teams[i].key);
		free(c->teams[i].label);
	}
	for (size_t i = 0; i < c->ntargets; i++) {
		struct target *t = &c->targets[i];
		free(t->key);
		free(t->label);
		free(t->category);
		free(t->where.field);
		free(t->where.value);
	}
	for (size_t i = 0; i < c->nshares; i++) {
		free(c->shares[i].township);
		free(c->shares[i].teams);
		free(c->shares[i].targets);
	}
	free(c->shares);
	free(c->users);
	free(c->towns);
	free(c->teams);
	free(c->targets);
	formset_free(&c->forms);
	regions_free(c->regions);
	free(c->regions_file);
	free(c->dir);
	free(c->db_path);
	free(c->forms_dir);
	free(c->site_id);
	free(c->site_name);
	free(c);
}

const struct share *config_share(const struct config *c, const char *township)
{
	for (size_t i = 0; i < c->nshares; i++)
		if (str_eq(c->shares[i].township, township))
			return &c->shares[i];
	return NULL;
}

const struct user *config_user(const struct config *c, const char *login)
{
	for (size_t i = 0; i < c->nusers; i++)
		if (str_eq(c->users[i].login, login))
			return &c->users[i];
	return NULL;
}

const struct township *config_township(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->ntowns; i++)
		if (str_eq(c->towns[i].name, name))
			return &c->towns[i];
	return NULL;
}

const struct team *config_team(const struct config *c, const char *key)
{
	for (size_t i = 0; i < c->nteams; i++)
		if (str_eq(c->teams[i].key, key))
			return &c->teams[i];
	return NULL;
}
