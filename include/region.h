/*
 * region.h - the table of administrative division codes (GB/T 2260) that a
 * district may switch on ([validation] region_table in talentreg.ini) to
 * check the first six digits of every ID number, not only its province.
 * The table keeps the codes no longer in use: an ID keeps the code of the
 * place where it was first issued, whatever became of that place.
 */
#ifndef TALENTREG_REGION_H
#define TALENTREG_REGION_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct regions;

/* Reads the table at path: a line is a six-digit code, then a tab or a
 * space and anything (the name, the years), or nothing; blank lines and
 * lines starting with # are skipped. Every problem (a line of another shape,
 * no code at all, an unreadable file) is added to d as "path:line: message".
 * Returns 0 and a new table in *out (free it with regions_free), or -1 and
 * NULL. */
int regions_load(const char *path, struct regions **out, struct diags *d);
void regions_free(struct regions *r);
/* Returns how many distinct codes the table holds. */
size_t regions_count(const struct regions *r);
/* Returns true when the six digits at code are in the table, or are the
 * summary code (ending 00 or 01, "市辖区") of a prefecture some code of
 * the table belongs to (the same first four digits). */
bool regions_known(const struct regions *r, const char *code);

#endif
