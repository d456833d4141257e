/*
 * strmap.c - a hash map from strings to a row and a uuid (strmap.h).
 */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static size_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot of key: its entry, or the empty slot where it would go. */
static struct strmap_entry *slot(const struct strmap *m, const char *key)
{
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->v[i].key && strcmp(m->v[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->v[i];
}

const struct strmap_entry *strmap_get(const struct strmap *m, const char *key)
{
	if (m->cap == 0)
		return NULL;
	const struct strmap_entry *e = slot(m, key);
	return e->key ? e : NULL;
}

bool strmap_put(struct strmap *m, const char *key, long row, const char *uuid)
{
	if (2 * (m->n + 1) > m->cap) {
		struct strmap old = *m;
		m->cap = old.cap ? 2 * old.cap : 1024;
		m->v = xcalloc(m->cap, sizeof *m->v);
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].key)
				*slot(m, old.v[i].key) = old.v[i];
		free(old.v);
	}
	struct strmap_entry *e = slot(m, key);
	if (e->key)
		return false;
	*e = (struct strmap_entry){xstrdup(key), row, xstrdup(uuid)};
	m->n++;
	return true;
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->v[i].key);
		free(m->v[i].uuid);
	}
	free(m->v);
	memset(m, 0, sizeof *m);
}
