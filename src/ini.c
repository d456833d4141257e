/*
 * ini.c - reads an INI file for the loaders. iniparser 4.1 gives no line
 * numbers, stops at the first syntax error and fails whole on a UTF-8 BOM, so
 * we scan the file first: every problem gets its line, all are reported, and
 * only a clean file is handed to iniparser for the values (its quoting and
 * comment rules stay the ones that apply).
 */
#include "ini.h"

#include <ctype.h>
#include <errno.h>
#include <iniparser/iniparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "text.h"

struct ini_key {
	char *sec, *key;
	int line;
};

struct ini {
	char *path;
	dictionary *dict;
	struct strv secs;
	int *sec_lines;
	struct ini_key *keys;
	size_t nkeys;
};

/* iniparser reports to stderr by default; our scan has reported already. */
static int quiet(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

static char *lower(const char *s, size_t n)
{
	char *p = xstrndup(s, n);
	for (char *q = p; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return p;
}

static int find_sec(const struct ini *ini, const char *sec)
{
	for (size_t i = 0; i < ini->secs.n; i++)
		if (strcmp(ini->secs.v[i], sec) == 0)
			return (int)i;
	return -1;
}

static struct ini_key *find_key(const struct ini *ini, const char *sec, const char *key)
{
	for (size_t i = 0; i < ini->nkeys; i++)
		if (strcmp(ini->keys[i].sec, sec) == 0 && strcmp(ini->keys[i].key, key) == 0)
			return &ini->keys[i];
	return NULL;
}

/* Scans one line (without its newline); returns -1 on a syntax error. */
static int scan_line(struct ini *ini, char **cur, char *line, int lineno, struct diags *d)
{
	char *t = str_trim(line);
	int rc = 0;
	if (*t == '\0' || *t == ';' || *t == '#') {
		/* blank or comment */
	} else if (*t == '[') {
		char *end = strchr(t, ']');
		if (end == NULL || end == t + 1) {
			rc = -1;
		} else {
			char *raw = xstrndup(t + 1, (size_t)(end - t - 1));
			char *name = str_trim(raw);
			free(raw);
			free(*cur);
			*cur = lower(name, strlen(name));
			free(name);
			if (find_sec(ini, *cur) < 0) {
				strv_add(&ini->secs, *cur);
				ini->sec_lines = xrealloc(ini->sec_lines, ini->secs.n * sizeof(int));
				ini->sec_lines[ini->secs.n - 1] = lineno;
			}
		}
	} else if (strchr(t, '=') != NULL && *cur != NULL && t[0] != '=') {
		char *eq = strchr(t, '=');
		char *raw = xstrndup(t, (size_t)(eq - t));
		char *k = str_trim(raw);
		char *key = lower(k, strlen(k));
		free(raw);
		free(k);
		struct ini_key *old = find_key(ini, *cur, key);
		if (old) {
			diags_msg(d, ini->path, lineno, MSG_INI_DUP_KEY, key, old->line);
			free(key);
		} else {
			ini->keys = xrealloc(ini->keys, (ini->nkeys + 1) * sizeof *ini->keys);
			ini->keys[ini->nkeys++] = (struct ini_key){xstrdup(*cur), key, lineno};
		}
	} else {
		rc = -1;
	}
	free(t);
	if (rc < 0)
		diags_msg(d, ini->path, lineno, MSG_INI_SYNTAX);
	return rc;
}

static int scan(struct ini *ini, char *text, size_t len, struct diags *d)
{
	int bad = 0, lineno = 1;
	char *cur = NULL;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		diags_msg(d, ini->path, 1, MSG_INI_BOM);
		bad = 1;
		text += 3;
	}
	for (char *p = text; *p || p == text; lineno++) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, n);
		if (n > INI_MAX_LINE) {
			diags_msg(d, ini->path, lineno, MSG_INI_LONG_LINE, INI_MAX_LINE);
			bad = 1;
		} else if (!utf8_valid(line)) {
			diags_msg(d, ini->path, lineno, MSG_INI_NOT_UTF8);
			bad = 1;
		} else if (scan_line(ini, &cur, line, lineno, d) < 0) {
			bad = 1;
		}
		free(line);
		if (!nl)
			break;
		p = nl + 1;
	}
	free(cur);
	return bad ? -1 : 0;
}

int ini_open(const char *path, struct ini **out, struct diags *d)
{
	*out = NULL;
	size_t len;
	char *text = file_read(path, &len);
	if (text == NULL) {
		diags_msg(d, path, 0, MSG_INI_CANNOT_READ, strerror(errno));
		return -1;
	}
	struct ini *ini = xcalloc(1, sizeof *ini);
	ini->path = xstrdup(path);
	int rc = -1;
	if (strlen(text) != len)	/* a NUL byte: not a text file */
		diags_msg(d, path, 1, MSG_INI_NOT_UTF8);
	else
		rc = scan(ini, text, len, d);
	free(text);
	if (rc == 0) {
		iniparser_set_error_callback(quiet);
		ini->dict = iniparser_load(path);
		if (ini->dict == NULL) {
			diags_msg(d, path, 1, MSG_INI_SYNTAX);
			rc = -1;
		}
	}
	if (rc < 0) {
		ini_close(ini);
		return -1;
	}
	*out = ini;
	return 0;
}

void ini_close(struct ini *ini)
{
	if (ini == NULL)
		return;
	if (ini->dict)
		iniparser_freedict(ini->dict);
	for (size_t i = 0; i < ini->nkeys; i++) {
		free(ini->keys[i].sec);
		free(ini->keys[i].key);
	}
	free(ini->keys);
	strv_free(&ini->secs);
	free(ini->sec_lines);
	free(ini->path);
	free(ini);
}

const char *ini_path(const struct ini *ini)
{
	return ini->path;
}

size_t ini_nsections(const struct ini *ini)
{
	return ini->secs.n;
}

const char *ini_section(const struct ini *ini, size_t i)
{
	return i < ini->secs.n ? ini->secs.v[i] : NULL;
}

int ini_section_line(const struct ini *ini, const char *sec)
{
	int i = find_sec(ini, sec);
	return i < 0 ? 0 : ini->sec_lines[i];
}

size_t ini_nkeys(const struct ini *ini, const char *sec)
{
	size_t n = 0;
	for (size_t i = 0; i < ini->nkeys; i++)
		n += strcmp(ini->keys[i].sec, sec) == 0;
	return n;
}

const char *ini_key(const struct ini *ini, const char *sec, size_t i)
{
	for (size_t k = 0; k < ini->nkeys; k++)
		if (strcmp(ini->keys[k].sec, sec) == 0 && i-- == 0)
			return ini->keys[k].key;
	return NULL;
}

int ini_key_line(const struct ini *ini, const char *sec, const char *key)
{
	struct ini_key *k = find_key(ini, sec, key);
	return k ? k->line : ini_section_line(ini, sec);
}

const char *ini_get(const struct ini *ini, const char *sec, const char *key)
{
	if (find_key(ini, sec, key) == NULL)
		return NULL;
	char *full = xasprintf("%s:%s", sec, key);
	const char *v = iniparser_getstring(ini->dict, full, NULL);
	free(full);
	return v;
}
