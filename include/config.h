/*
 * config.h - the configuration folder: talentreg.ini (paths, site, ui,
 * validation), users.ini (login -> role and townships), areas.ini
 * (townships and their villages), targets.ini (teams, the plan's targets,
 * tags, and targets split per township) and tasks.ini (the plan's tasks as
 * a ledger), plus the forms folder and the division code table it names.
 */
#ifndef TALENTREG_CONFIG_H
#define TALENTREG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "form.h"
#include "msg.h"
#include "record.h"
#include "region.h"
#include "seal.h"
#include "util.h"

/* The roles of users.ini; ROLE_SITE is no user's: a declared training site
 * acting through its bundle (auth.c's rules for it; registry.c makes one
 * for each incoming row). */
enum role { ROLE_OFFICER, ROLE_SUPERVISOR, ROLE_ADMIN, ROLE_SITE };

struct user {
	char *login;
	char *name;		/* shown in the screens; may be NULL */
	enum role role;
	struct strv townships;	/* empty: all townships */
	bool self_review;	/* talentreg.ini [review] self_review: may decide own records */
};

struct township {
	char *id;		/* its section in areas.ini: [township.ID] */
	char *name;
	struct strv villages;
};

struct team {
	char *key, *label;
	int target;		/* people; 0 when the plan sets none */
};

/* A condition of a target: the field holds one of the values (a
 * multi-choice field: one of its items is one of them). */
struct tcond {
	char *field;
	struct strv values;
	bool multi;		/* the field is a multi-choice field (set once the forms are loaded) */
};

enum target_kind {
	TK_PEOPLE,		/* distinct people (ID numbers) */
	TK_COVERAGE,		/* villages where at least one such person is */
	/* targets of events (issue 15): events of its types held in its
	 * period; the distinct people who attended them; their hours */
	TK_EVENTS, TK_TRAINEES, TK_HOURS
};
/* True for the kinds counted from events, not from records. */
#define TK_IS_EVENTS(k) ((k) >= TK_EVENTS)

/* A target of targets.ini: the people with a live record in one of its
 * categories whose values meet every condition (and who carry its tag when
 * it names one); for coverage, the villages that have such a person, each
 * record's village read from its `by` field. */
struct target {
	char *key, *label;
	enum target_kind kind;
	char *category;		/* as written: a key, keys joined by |, or * */
	struct strv categories;	/* the categories it counts (every one for *) */
	struct tcond *conds;	/* where, all of them */
	size_t nconds;
	char *tag;		/* a tag key ([tag.KEY]) the people must carry, or NULL */
	char *by;		/* coverage: the field naming the village ("village") */
	char *by_town;		/* coverage: the field naming its township (the record's "township") */
	bool by_list;		/* by is text that lists villages (、 , | between them) */
	int target;		/* people; coverage: villages (0: every village) */
	bool home;		/* shown on the home screen, under its team (home = yes) */
	struct strv events;	/* event kinds: the event types it counts */
	char *from, *to;	/* event kinds: the period (ISO dates), NULL open */
	int line, where_line, tag_line, by_line;	/* of those keys, for messages */
	int event_line;
};

/* A tag a supervisor may set on a person (青年创业典型), from [tag.KEY]. */
struct tagdef {
	char *key, *label;
};

/* A target of one township, split from the district's ([township.ID] of
 * targets.ini): what is "total", "team.KEY" or "target.KEY". */
struct split {
	char *township;		/* the township's name */
	char *what;
	int target;
};

/* One of the plan's 重点任务 ([task.N] of tasks.ini). */
struct task {
	int no;
	char *title, *unit, *owner, *deadline;	/* unit, owner, deadline may be NULL */
};

/* An item of the plan's ledger (工作台账), [item.N.M] of tasks.ini: one
 * demand of task N, with who answers for it and by when; things it counts
 * itself (measure and target: 3 个 stations), or a line of the report it
 * follows (counts: "total", "team.KEY" or a target's key), or neither. */
struct item {
	char *id;		/* "4.2" */
	int task, no;		/* 4, 2 */
	char *text;
	char *unit, *owner;	/* 责任单位, 责任人: the task's when the item names none */
	char *deadline;		/* ISO date: the task's when the item names none */
	char *measure;		/* what the target counts (个, 家, 次), NULL none */
	int target;		/* things to be done; 0 none */
	char *counts;		/* the report line it follows, NULL none */
	int line;
};

/* What a database is in the offline sync: the district's, or a training
 * site's laptop ([site] kind in talentreg.ini; a peer's kind in sites.ini). */
enum site_kind { SITE_DISTRICT, SITE_SITE };

/* A peer declared in sites.ini, [site.ID]: at the district, each training
 * site; at a site, its district. Bundles are taken only from a declared
 * peer, signed by its key, and a site's rows only in its townships. */
struct site_decl {
	char *id, *name;
	enum site_kind kind;
	struct strv townships;	/* a site: where it may register (never empty) */
	struct seal_public key;	/* from `talentreg sync keygen` on that database */
};

/* [limits] of talentreg.ini when it names none */
#define DEFAULT_MAX_INPUT_MB 256
#define DEFAULT_LOOKUPS_PER_DAY 30

struct config {
	char *dir;		/* the configuration folder */
	char *db_path;		/* resolved against dir */
	char *forms_dir;	/* resolved against dir */
	char *events_dir;	/* [paths] events, resolved; NULL: no event types */
	char *site_id, *site_name;
	enum site_kind site_kind;	/* [site] kind: district (default) or site */
	struct site_decl *sites;	/* sites.ini: the peers of the offline sync */
	size_t nsites;
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
	struct tagdef *tags;
	size_t ntags;
	struct split *splits;
	size_t nsplits;
	struct task *tasks;
	size_t ntasks;
	struct item *items;
	size_t nitems;
	struct formset forms;
	struct formset events;	/* the event types (issue 15), from events_dir */
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
/* Returns the peer declared in sites.ini with that id, or NULL. */
const struct site_decl *config_site(const struct config *c, const char *id);
/* Returns true when s can be a site id: 1 to 64 of [a-z0-9_]. */
bool site_id_ok(const char *s);
/* Returns the team with that key, or NULL. */
const struct team *config_team(const struct config *c, const char *key);
/* Returns the target with that key, or NULL. */
const struct target *config_target(const struct config *c, const char *key);
/* Returns the tag whose key or label is s, or NULL. */
const struct tagdef *config_tag(const struct config *c, const char *s);
/* Returns the ledger item with that id ("4.2"), or NULL. */
const struct item *config_item(const struct config *c, const char *id);
/* Returns the task numbered no, or NULL. */
const struct task *config_task(const struct config *c, int no);
/* Returns the target of township town for what ("total", "team.KEY",
 * "target.KEY"), or -1 when targets.ini splits none off for it. */
int config_split(const struct config *c, const char *town, const char *what);
/* True when a live record of category with values vals counts for target
 * t (its categories and conditions; the tag is the store's to check). */
bool target_matches(const struct target *t, const char *category, const struct kv *vals);
/* Appends to out the villages a record names in t's by field (its village,
 * or the villages a by_list text lists), each once; target_village_list
 * does the same for the field's text. */
void target_village_list(const struct target *t, const char *text, struct strv *out);
void target_villages(const struct target *t, const struct kv *vals, struct strv *out);

/* Returns the event type (events/KEY.ini, not the abstract base) named
 * key, or NULL. */
const struct form *config_event_type(const struct config *c, const char *key);

/* Returns the role's name in users.ini, and parses one; -1 when unknown
 * (and for "site": no user is a site). */
const char *role_name(enum role r);
int role_parse(const char *s, enum role *out);

#endif
