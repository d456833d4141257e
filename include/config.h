/*
 * config.h - the configuration folder: talentreg.ini (paths, site, ui,
 * validation), users.ini (login -> role and townships), areas.ini
 * (townships and their villages) and targets.ini (teams and the plan's
 * targets), plus the forms folder and the division code table it names.
 */
#ifndef TALENTREG_CONFIG_H
#define TALENTREG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "form.h"
#include "msg.h"
#include "region.h"
#include "util.h"

enum role { ROLE_OFFICER, ROLE_SUPERVISOR, ROLE_ADMIN };

struct user {
	char *login;
	char *name;		/* shown in the screens; may be NULL */
	enum role role;
	struct strv townships;	/* empty: all townships */
	bool self_review;	/* talentreg.ini [review] self_review: may decide own records */
};

struct township {
	char *name;
	struct strv villages;
};

struct team {
	char *key, *label;
	int target;		/* people; 0 when the plan sets none */
};

/* A target on one category, optionally on records whose field has a value
 * (e.g. live-streaming e-commerce trainees). */
struct target {
	char *key, *label, *category;
	struct cond where;
	int target;
	int line, where_line;	/* of its category and where keys, for messages */
};

/* A township's share of the plan's targets (targets.ini [share.KEY]), in
 * people: of the total, of each team (teams[i] for the config's teams[i])
 * and of each specific target (targets[i]); 0 where none is given. */
struct share {
	char *township;
	int total;
	int *teams, *targets;
};

/* [limits] of talentreg.ini when it names none */
#define DEFAULT_MAX_INPUT_MB 256
#define DEFAULT_LOOKUPS_PER_DAY 30

struct config {
	char *dir;		/* the configuration folder */
	char *db_path;		/* resolved against dir */
	char *forms_dir;	/* resolved against dir */
	char *site_id, *site_name;
	enum lang lang;
	int max_input_mb;	/* [limits]: the largest file import or sync reads */
	int lookups_per_day;	/* [limits]: searches by a whole ID or phone, per login */
	bool self_review;	/* [review]: a reviewer may decide a record of their own */
	char *regions_file;	/* [validation] region_table, in dir; NULL when off */
	struct regions *regions;	/* its codes; NULL when off or unreadable */
	int total_target;	/* the five teams together, distinct people */
	struct user *users;
	size_t nusers;
	struct township *towns;
	size_t ntowns;
	struct team *teams;
	size_t nteams;
	struct target *targets;
	size_t ntargets;
	struct share *shares;	/* the townships' shares, where targets.ini gives them */
	size_t nshares;
	struct formset forms;
};

/* Loads the configuration folder dir and its forms. Every problem is added
 * to d as "file:line: message"; returns 0 when there were none, else -1 (the
 * caller still frees *out). */
int config_load(const char *dir, struct config **out, struct diags *d);
void config_free(struct config *c);

/* Returns the user with that login, or NULL. */
const struct user *config_user(const struct config *c, const char *login);
/* Returns the township named name, or NULL. */
const struct township *config_township(const struct config *c, const char *name);
/* Returns the share of the targets of the township named township, or
 * NULL when targets.ini gives it none. */
const struct share *config_share(const struct config *c, const char *township);
/* Returns the team with that key, or NULL. */
const struct team *config_team(const struct config *c, const char *key);
/* Returns the role's name in users.ini, and parses one; -1 when unknown. */
const char *role_name(enum role r);
int role_parse(const char *s, enum role *out);

#endif
