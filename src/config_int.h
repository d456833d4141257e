/*
 * config_int.h - what the loaders of the configuration folder share and
 * nobody else sees: opening one of its INI files with every unknown section
 * and key reported, and reading required keys and numbers with each
 * problem as file:line: message. config.c owns talentreg.ini, users.ini,
 * areas.ini and sites.ini; config_targets.c targets.ini; config_tasks.c
 * tasks.ini; config_load.c calls them all in order.
 */
#ifndef TALENTREG_CONFIG_INT_H
#define TALENTREG_CONFIG_INT_H

#include "config.h"
#include "ini.h"

/* Opens dir/file and reports its unknown sections and keys (config.c's
 * table of section kinds). Returns NULL when it cannot be read. */
struct ini *cfg_open_checked(const char *dir, const char *file, struct diags *d);
/* Returns sec's value of key, or NULL with the key reported as missing. */
const char *cfg_need(struct ini *ini, const char *sec, const char *key, struct diags *d);
/* Returns sec's whole number key (0..INT_MAX; 0 when absent), reporting a
 * bad one. */
int cfg_number(struct ini *ini, const char *sec, const char *key, struct diags *d);

/* config.c's files, each read into c: talentreg.ini (paths, site, limits),
 * areas.ini, users.ini, sites.ini, the division code table; the event
 * types checked once the forms are loaded; and freeing what they hold
 * (the forms and event types too, not targets or tasks). */
void cfg_load_main(struct config *c, struct diags *d);
void cfg_load_areas(struct config *c, struct diags *d);
void cfg_load_users(struct config *c, struct diags *d);
void cfg_load_sites(struct config *c, struct diags *d);
void cfg_load_regions(struct config *c, struct diags *d);
void cfg_check_event_types(const struct config *c, struct diags *d);
void cfg_free_base(struct config *c);

/* targets.ini: teams, the total, targets, tags and per-township splits
 * (config_targets.c); checked against the forms once they are loaded. */
void cfg_load_targets(struct config *c, struct diags *d);
void cfg_check_targets(struct config *c, struct diags *d);
void cfg_free_targets(struct config *c);
/* tasks.ini: the ledger (config_tasks.c); checked once targets are known. */
void cfg_load_tasks(struct config *c, struct diags *d);
void cfg_free_tasks(struct config *c);

#endif
