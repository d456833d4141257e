/*
 * config_int.h - what the loaders of the configuration folder share and
 * nobody else sees: opening one of its INI files with every unknown section
 * and key reported, and reading required keys and numbers with each
 * problem as file:line: message. config.c owns talentreg.ini, users.ini
 * and areas.ini; config_targets.c targets.ini; config_tasks.c tasks.ini.
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

/* targets.ini: teams, the total, targets, tags and per-township splits
 * (config_targets.c); checked against the forms once they are loaded. */
void cfg_load_targets(struct config *c, struct diags *d);
void cfg_check_targets(struct config *c, struct diags *d);
void cfg_free_targets(struct config *c);
/* tasks.ini: the ledger (config_tasks.c); checked once targets are known. */
void cfg_load_tasks(struct config *c, struct diags *d);
void cfg_free_tasks(struct config *c);

#endif
