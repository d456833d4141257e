/*
 * ini.h - one INI file read for a loader: iniparser parses the values, and a
 * scan of our own remembers the line of every section and key, so that every
 * problem can be reported as file:line. Only ini.c includes <iniparser.h>.
 */
#ifndef TALENTREG_INI_H
#define TALENTREG_INI_H

#include <stddef.h>

#include "util.h"

#define INI_MAX_LINE 1000	/* bytes; iniparser's own limit is 1024 */

struct ini;

/* Reads path. Problems that make the file unusable (unreadable, a BOM, an
 * overlong line, a syntax error, invalid UTF-8) are all added to d as
 * "path:line: message" and make it return -1; a repeated key is reported
 * too but the file is still usable. On success *out is new; ini_close it. */
int ini_open(const char *path, struct ini **out, struct diags *d);
void ini_close(struct ini *ini);
const char *ini_path(const struct ini *ini);

/* Sections, in file order (names lower-cased, as iniparser keeps them). */
size_t ini_nsections(const struct ini *ini);
const char *ini_section(const struct ini *ini, size_t i);
/* Returns the line of a section, or 0 when it is absent. */
int ini_section_line(const struct ini *ini, const char *sec);

/* Keys of a section in file order (lower-cased), each once. */
size_t ini_nkeys(const struct ini *ini, const char *sec);
const char *ini_key(const struct ini *ini, const char *sec, size_t i);
/* Returns the line of sec's key, or the section's line when it is absent. */
int ini_key_line(const struct ini *ini, const char *sec, const char *key);
/* Returns the value of sec's key (static to ini), or NULL when absent. */
const char *ini_get(const struct ini *ini, const char *sec, const char *key);

#endif
