/*
 * config.c - the configuration folder's own files: talentreg.ini,
 * users.ini, areas.ini, sites.ini (when there is one) and the division
 * code table talentreg.ini names; the INI helpers every loader shares
 * (config_int.h) and the look-ups of config.h. config_load.c loads the
 * folder in order, with targets.ini (config_targets.c), tasks.ini
 * (config_tasks.c) and the forms. Every problem in every file is
 * collected as file:line: message.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config_int.h"

static const char *const role_names[] = {
	[ROLE_OFFICER] = "officer", [ROLE_SUPERVISOR] = "supervisor", [ROLE_ADMIN] = "admin",
	[ROLE_SITE] = "site",
};

const char *role_name(enum role r)
{
	return (unsigned)r < ARRAY_LEN(role_names) ? role_names[r] : "?";
}

int role_parse(const char *s, enum role *out)
{
	for (size_t i = 0; i <= ROLE_ADMIN; i++)	/* a site is no user's role */
		if (str_eq(s, role_names[i])) {
			*out = (enum role)i;
			return 0;
		}
	return -1;
}

/* The keys each section kind may hold; "*" first: any key, which the
 * loader checks itself. */
struct section_kind {
	const char *file, *prefix;	/* prefix "" means an exact section name */
	const char *name;
	const char *keys[12];
};

static const struct section_kind kinds[] = {
	{"talentreg.ini", "", "paths", {"database", "forms", "events"}},
	{"talentreg.ini", "", "site", {"id", "name", "kind"}},
	{"talentreg.ini", "", "ui", {"language"}},
	{"talentreg.ini", "", "limits", {"max_input_mb", "lookups_per_day"}},
	{"talentreg.ini", "", "review", {"self_review"}},
	{"talentreg.ini", "", "validation", {"region_table"}},
	{"users.ini", "user.", NULL, {"role", "name", "townships"}},
	{"areas.ini", "township.", NULL, {"name", "villages", "sample"}},
	{"targets.ini", "", "total", {"label", "target"}},
	{"targets.ini", "team.", NULL, {"label", "target"}},
	{"targets.ini", "target.", NULL,
	 {"label", "kind", "category", "where", "tag", "by", "target", "event", "from", "to", "home"}},
	{"targets.ini", "tag.", NULL, {"label"}},
	{"targets.ini", "township.", NULL, {"*"}},
	{"tasks.ini", "task.", NULL, {"title", "unit", "owner", "deadline"}},
	{"tasks.ini", "item.", NULL,
	 {"text", "unit", "owner", "deadline", "measure", "target", "counts"}},
	{"sites.ini", "site.", NULL, {"name", "kind", "townships", "public_key"}},
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

struct ini *cfg_open_checked(const char *dir, const char *file, struct diags *d)
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
		if (str_eq(k->keys[0], "*"))
			continue;
		for (size_t j = 0; j < ini_nkeys(ini, sec); j++) {
			const char *key = ini_key(ini, sec, j);
			bool known = false;
			for (size_t n = 0; n < ARRAY_LEN(k->keys) && k->keys[n]; n++)
				known |= strcmp(k->keys[n], key) == 0;
			if (!known)
				diags_msg(d, ini_path(ini), ini_key_line(ini, sec, key), MSG_INI_UNKNOWN_KEY, key);
		}
	}
	return ini;
}

const char *cfg_need(struct ini *ini, const char *sec, const char *key, struct diags *d)
{
	const char *v = ini_get(ini, sec, key);
	if (str_empty(v)) {
		diags_msg(d, ini_path(ini), ini_section_line(ini, sec) ? ini_section_line(ini, sec) : 1, MSG_INI_MISSING_KEY, key);
		return NULL;
	}
	return v;
}

int cfg_number(struct ini *ini, const char *sec, const char *key, struct diags *d)
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

void cfg_load_main(struct config *c, struct diags *d)
{
	struct ini *ini = cfg_open_checked(c->dir, "talentreg.ini", d);
	if (ini == NULL)
		return;
	const char *db = cfg_need(ini, "paths", "database", d);
	const char *forms = cfg_need(ini, "paths", "forms", d);
	c->db_path = db ? resolve(c->dir, db) : NULL;
	c->forms_dir = forms ? resolve(c->dir, forms) : NULL;
	/* the event types: the forms' folder events/ unless named; that one
	 * may be missing (no event types), a folder named must be there */
	const char *events = ini_get(ini, "paths", "events");
	struct stat sb;
	if (!str_empty(events))
		c->events_dir = resolve(c->dir, events);
	else if (c->forms_dir) {
		c->events_dir = xasprintf("%s/events", c->forms_dir);
		if (stat(c->events_dir, &sb) != 0) {
			free(c->events_dir);
			c->events_dir = NULL;
		}
	}
	const char *id = ini_get(ini, "site", "id"), *name = ini_get(ini, "site", "name");
	c->site_id = xstrdup(str_empty(id) ? "district" : id);
	c->site_name = xstrdup(str_empty(name) ? c->site_id : name);
	if (!site_id_ok(c->site_id))
		diags_msg(d, ini_path(ini), ini_key_line(ini, "site", "id"), MSG_SYNC_BAD_SITE, c->site_id);
	const char *kind = ini_get(ini, "site", "kind");
	if (kind && !str_eq(kind, "district") && !str_eq(kind, "site"))
		diags_msg(d, ini_path(ini), ini_key_line(ini, "site", "kind"), MSG_INI_BAD_VALUE, "kind", kind);
	c->site_kind = str_eq(kind, "site") ? SITE_SITE : SITE_DISTRICT;
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
				     ? cfg_number(ini, "limits", "lookups_per_day", d)
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
void cfg_load_regions(struct config *c, struct diags *d)
{
	if (c->regions_file == NULL)
		return;
	char *path = xasprintf("%s/%s", c->dir, c->regions_file);
	regions_load(path, &c->regions, d);
	free(path);
}

void cfg_load_areas(struct config *c, struct diags *d)
{
	struct ini *ini = cfg_open_checked(c->dir, "areas.ini", d);
	if (ini == NULL)
		return;
	for (size_t i = 0; i < ini_nsections(ini); i++) {
		const char *sec = ini_section(ini, i);
		if (strncmp(sec, "township.", 9) != 0)
			continue;
		const char *name = cfg_need(ini, sec, "name", d);
		if (name == NULL)
			continue;
		c->towns = xrealloc(c->towns, (c->ntowns + 1) * sizeof *c->towns);
		struct township *t = &c->towns[c->ntowns++];
		memset(t, 0, sizeof *t);
		t->id = xstrdup(sec + 9);
		t->name = xstrdup(name);
		const char *v = ini_get(ini, sec, "villages");
		if (v)
			strv_split(&t->villages, v, '|');
	}
	ini_close(ini);
}

void cfg_load_users(struct config *c, struct diags *d)
{
	struct ini *ini = cfg_open_checked(c->dir, "users.ini", d);
	if (ini == NULL)
		return;
	for (size_t i = 0; i < ini_nsections(ini); i++) {
		const char *sec = ini_section(ini, i);
		if (strncmp(sec, "user.", 5) != 0)
			continue;
		const char *role = cfg_need(ini, sec, "role", d);
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

/* What an event type says of its attendees' category must hold there: the
 * category exists, the fields it carries and presets are the category's,
 * and each preset value is one its field may hold. An event type's key is
 * never a category's (drafts are kept per key). */
void cfg_check_event_types(const struct config *c, struct diags *d)
{
	for (size_t i = 0; i < c->events.n; i++) {
		const struct form *e = c->events.v[i];
		if (e->abstract)
			continue;
		if (formset_find(&c->forms, e->key))
			diags_msg(d, e->path, 1, MSG_CONFIG_EVENT_KEY_TAKEN, e->key);
		if (e->category == NULL) {
			if (e->carry_from.n || e->preset_keys.n)
				diags_msg(d, e->path, e->carry_line ? e->carry_line : e->preset_line,
					  MSG_INI_MISSING_KEY, "category");
			continue;
		}
		const struct form *f = formset_find(&c->forms, e->category);
		if (f == NULL) {
			diags_msg(d, e->path, e->category_line, MSG_CONFIG_UNKNOWN_CATEGORY, e->category);
			continue;
		}
		for (size_t k = 0; k < e->carry_to.n; k++) {
			const struct field *fd = form_field(f, e->carry_to.v[k]);
			if (fd == NULL || fd->type == FT_ID_CARD)
				diags_msg(d, e->path, e->carry_line, MSG_UNKNOWN_FIELD, f->key,
					  e->carry_to.v[k]);
		}
		for (size_t k = 0; k < e->preset_keys.n; k++) {
			const struct field *fd = form_field(f, e->preset_keys.v[k]);
			if (fd == NULL || fd->type == FT_ID_CARD)
				diags_msg(d, e->path, e->preset_line, MSG_UNKNOWN_FIELD, f->key,
					  e->preset_keys.v[k]);
			else if (fd->type == FT_CHOICE && !strv_has(&fd->options, e->preset_vals.v[k]))
				diags_msg(d, e->path, e->preset_line, MSG_FORM_BAD_DEFAULT, fd->key,
					  e->preset_vals.v[k]);
		}
	}
}

const struct form *config_event_type(const struct config *c, const char *key)
{
	for (size_t i = 0; i < c->events.n; i++)
		if (!c->events.v[i]->abstract && str_eq(c->events.v[i]->key, key))
			return c->events.v[i];
	return NULL;
}

bool site_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* One [site.ID] of sites.ini into c->sites; a broken one is reported and
 * left out. */
static void load_site(struct config *c, struct ini *ini, const char *sec, struct diags *d)
{
	const char *id = sec + 5, *path = ini_path(ini);
	int line = ini_section_line(ini, sec);
	if (!site_id_ok(id)) {
		diags_msg(d, path, line, MSG_CONFIG_SITE_ID, id);
		return;
	}
	if (str_eq(id, c->site_id)) {
		diags_msg(d, path, line, MSG_CONFIG_SITE_SELF, id);
		return;
	}
	const char *kind = cfg_need(ini, sec, "kind", d), *key = cfg_need(ini, sec, "public_key", d);
	const char *towns = ini_get(ini, sec, "townships");
	struct site_decl s = {0};
	bool ok = kind && key;
	if (kind && !str_eq(kind, "site") && !str_eq(kind, "district")) {
		diags_msg(d, path, ini_key_line(ini, sec, "kind"), MSG_INI_BAD_VALUE, "kind", kind);
		ok = false;
	}
	if (key && seal_public_parse(key, &s.key) < 0) {
		diags_msg(d, path, ini_key_line(ini, sec, "public_key"), MSG_CONFIG_SITE_KEY);
		ok = false;
	}
	s.kind = str_eq(kind, "district") ? SITE_DISTRICT : SITE_SITE;
	/* a district's rows are taken as decisions: only a site has one above
	 * it (bundles that flow further up, district to city, are not built) */
	if (ok && s.kind == SITE_DISTRICT && c->site_kind == SITE_DISTRICT) {
		diags_msg(d, path, ini_key_line(ini, sec, "kind"), MSG_CONFIG_SITE_TWO_DISTRICTS, id);
		ok = false;
	}
	if (towns)
		strv_split(&s.townships, towns, '|');
	for (size_t t = 0; t < s.townships.n; t++)
		if (!config_township(c, s.townships.v[t])) {
			diags_msg(d, path, ini_key_line(ini, sec, "townships"),
				  MSG_CONFIG_UNKNOWN_TOWNSHIP, s.townships.v[t]);
			ok = false;
		}
	if (ok && s.kind == SITE_SITE && s.townships.n == 0) {
		diags_msg(d, path, line, MSG_CONFIG_SITE_TOWNSHIPS, id);
		ok = false;
	}
	for (size_t i = 0; ok && i < c->nsites; i++)
		if (seal_public_eq(&c->sites[i].key, &s.key)) {
			diags_msg(d, path, ini_key_line(ini, sec, "public_key"), MSG_CONFIG_SITE_SAME_KEY,
				  c->sites[i].id);
			ok = false;
		}
	if (!ok) {
		strv_free(&s.townships);
		return;
	}
	const char *name = ini_get(ini, sec, "name");
	s.id = xstrdup(id);
	s.name = xstrdup(str_empty(name) ? id : name);
	c->sites = xrealloc(c->sites, (c->nsites + 1) * sizeof *c->sites);
	c->sites[c->nsites++] = s;
}

/* sites.ini is optional: a database that exchanges no bundles has none. */
void cfg_load_sites(struct config *c, struct diags *d)
{
	char *path = xasprintf("%s/sites.ini", c->dir);
	struct stat sb;
	bool absent = stat(path, &sb) != 0 && errno == ENOENT;
	free(path);
	if (absent)
		return;
	struct ini *ini = cfg_open_checked(c->dir, "sites.ini", d);
	if (ini == NULL)
		return;
	for (size_t i = 0; i < ini_nsections(ini); i++) {
		const char *sec = ini_section(ini, i);
		if (strncmp(sec, "site.", 5) == 0)
			load_site(c, ini, sec, d);
	}
	ini_close(ini);
}

void cfg_free_base(struct config *c)
{
	for (size_t i = 0; i < c->nusers; i++) {
		free(c->users[i].login);
		free(c->users[i].name);
		strv_free(&c->users[i].townships);
	}
	for (size_t i = 0; i < c->ntowns; i++) {
		free(c->towns[i].id);
		free(c->towns[i].name);
		strv_free(&c->towns[i].villages);
	}
	for (size_t i = 0; i < c->nsites; i++) {
		free(c->sites[i].id);
		free(c->sites[i].name);
		strv_free(&c->sites[i].townships);
	}
	free(c->sites);
	free(c->users);
	free(c->towns);
	formset_free(&c->forms);
	formset_free(&c->events);
	free(c->events_dir);
	regions_free(c->regions);
	free(c->regions_file);
	free(c->dir);
	free(c->db_path);
	free(c->forms_dir);
	free(c->site_id);
	free(c->site_name);
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

const struct site_decl *config_site(const struct config *c, const char *id)
{
	for (size_t i = 0; i < c->nsites; i++)
		if (str_eq(c->sites[i].id, id))
			return &c->sites[i];
	return NULL;
}

const struct team *config_team(const struct config *c, const char *key)
{
	for (size_t i = 0; i < c->nteams; i++)
		if (str_eq(c->teams[i].key, key))
			return &c->teams[i];
	return NULL;
}
