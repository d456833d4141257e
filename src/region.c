/*
 * region.c - the optional table of administrative division codes (GB/T
 * 2260, config/regions.txt): read once with the configuration, kept as a
 * sorted array of codes, asked once per ID number by binary search. The
 * file is plain text, not INI, because it is several thousand lines that a
 * district replaces whole from its source; only each line's leading six
 * digits count, the rest (name, years) is for the people who read it.
 */
#include "region.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

#define CODE_LEN 6

struct regions {
	int *codes;	/* sorted, each once */
	size_t n;
};

static int code_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Returns the value of the six digits at s, or -1 when they are not six
 * digits followed by the end, a tab or a space. */
static int code_at(const char *s, size_t len)
{
	int v = 0;
	if (len < CODE_LEN || (len > CODE_LEN && s[CODE_LEN] != '\t' && s[CODE_LEN] != ' '))
		return -1;
	for (size_t i = 0; i < CODE_LEN; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Returns true when the len bytes at s are only spaces and tabs. */
static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* Sorts the codes read and drops repeats (a renamed place has a line per name). */
static void regions_sort(struct regions *r)
{
	size_t k = 0;
	qsort(r->codes, r->n, sizeof *r->codes, code_cmp);
	for (size_t i = 0; i < r->n; i++)
		if (k == 0 || r->codes[k - 1] != r->codes[i])
			r->codes[k++] = r->codes[i];
	r->n = k;
}

int regions_load(const char *path, struct regions **out, struct diags *d)
{
	size_t len = 0, before = d->lines.n, cap = 0;
	char *text = file_read(path, &len);
	struct regions *r;

	*out = NULL;
	if (text == NULL) {
		diags_msg(d, path, 0, MSG_INI_CANNOT_READ, strerror(errno));
		return -1;
	}
	r = xcalloc(1, sizeof *r);
	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)	/* what Windows editors add */
		p += 3;
	for (int line = 1; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		if (n && p[n - 1] == '\r')
			n--;
		int code = code_at(p, n);
		if (code >= 0) {
			if (r->n == cap) {
				cap = cap ? 2 * cap : 1024;
				r->codes = xrealloc(r->codes, cap * sizeof *r->codes);
			}
			r->codes[r->n++] = code;
		} else if (!blank(p, n) && p[0] != '#') {
			diags_msg(d, path, line, MSG_REGION_BAD_LINE);
		}
		p = nl ? nl + 1 : end;
	}
	free(text);
	if (r->n == 0 && d->lines.n == before)
		diags_msg(d, path, 0, MSG_REGION_EMPTY);
	if (d->lines.n != before) {
		regions_free(r);
		return -1;
	}
	regions_sort(r);
	*out = r;
	return 0;
}

void regions_free(struct regions *r)
{
	if (r == NULL)
		return;
	free(r->codes);
	free(r);
}

size_t regions_count(const struct regions *r)
{
	return r->n;
}

/* Returns the index of the first code >= v (r->n when there is none). */
static size_t lower_bound(const struct regions *r, int v)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->codes[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool regions_known(const struct regions *r, const char *code)
{
	int v = code_at(code, CODE_LEN);
	if (v < 0)
		return false;
	size_t i = lower_bound(r, v);
	if (i < r->n && r->codes[i] == v)
		return true;
	if (v % 100 > 1)
		return false;
	/* a summary code: some code of the same prefecture (first four digits) */
	int prefecture = v / 100 * 100;
	i = lower_bound(r, prefecture);
	return i < r->n && r->codes[i] < prefecture + 100;
}
