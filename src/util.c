/*
 * util.c - allocation, buffers, string vectors, diagnostics and the few
 * clock and randomness helpers the core needs.
 */
#include "util.h"


#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static void die_oom(void)
{
	fputs("talentreg: 内存不足 (out of memory)\n", stderr);
	exit(4);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		die_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		die_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		die_oom();
	return p;
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		die_oom();
	char *p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = xrealloc(b->s, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	buf_puts(b, p);
	free(p);
}

char *buf_take(struct buf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* The slots an array of n strings has at least (the strings, the NULL
 * after them, room to grow): a power of two, 8 or more. A vector only
 * grows here and shrinks by n alone (kv_del), so its array always has
 * strv_room(n) slots, and appending reallocates only when n + 2 reaches a
 * power of two: a record's values cost a few reallocations, not one a
 * value. */
static size_t strv_room(size_t n)
{
	size_t room = 8;
	while (room < n + 2)
		room *= 2;
	return room;
}

void strv_take(struct strv *sv, char *s)
{
	if (sv->v == NULL || strv_room(sv->n + 1) > strv_room(sv->n))
		sv->v = xrealloc(sv->v, strv_room(sv->n + 1) * sizeof *sv->v);
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void strv_add(struct strv *sv, const char *s)
{
	strv_take(sv, xstrdup(s));
}

bool strv_has(const struct strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

void strv_free(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

void strv_split(struct strv *sv, const char *s, char sep)
{
	const char *p = s;
	for (;;) {
		const char *e = strchr(p, sep);
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *piece = xstrndup(p, n);
		char *t = str_trim(piece);
		free(piece);
		if (*t)
			strv_take(sv, t);
		else
			free(t);
		if (!e)
			break;
		p = e + 1;
	}
}

void diags_add(struct diags *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strv_take(&d->lines, xvasprintf(fmt, ap));
	va_end(ap);
}

void diags_at(struct diags *d, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = xvasprintf(fmt, ap);
	va_end(ap);
	strv_take(&d->lines, xasprintf("%s:%d: %s", file, line, m));
	free(m);
}

void diags_free(struct diags *d)
{
	strv_free(&d->lines);
}

bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

char *str_trim(const char *s)
{
	const char *e = s + strlen(s);
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

int str_to_long(const char *s, long *out)
{
	char *end;
	if (str_empty(s))
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int str_to_double(const char *s, double *out)
{
	char *end;
	if (str_empty(s))
		return -1;
	for (const char *p = s; *p; p++)	/* plain decimals only: no hex, inf, nan */
		if (!strchr("0123456789.-+", *p))
			return -1;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

char *file_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct buf b = {0};
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	int err = ferror(f);
	fclose(f);
	if (err) {
		buf_free(&b);
		errno = EIO;
		return NULL;
	}
	if (len)
		*len = b.len;
	return buf_take(&b);
}

void today(int *y, int *m, int *d)
{
	const char *fake = getenv("TALENTREG_TODAY");
	if (fake && sscanf(fake, "%d-%d-%d", y, m, d) == 3)
		return;
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

char *now_iso(void)
{
	struct timespec ts;
	struct tm tm;
	char s[32];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm);
	return xasprintf("%s.%03ldZ", s, ts.tv_nsec / 1000000);
}

char *time_local(const char *iso)
{
	struct tm tm = {0};
	char tail[8] = "";
	if (iso == NULL)
		return xstrdup("");
	/* "2026-11-29T18:42:19.439Z", "2026-11-29T18:42:19Z", "2026-11-29 18:42:19" */
	int got = sscanf(iso, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%7s", &tm.tm_year, &tm.tm_mon,
			 &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, tail);
	if (got < 5 || (got == 7 && strchr(tail, 'Z') == NULL && tail[0] != '.'))
		return xstrdup(iso);	/* not a time we wrote: as it is */
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	struct tm local;
	char s[32];
	if (t == (time_t)-1 || localtime_r(&t, &local) == NULL ||
	    strftime(s, sizeof s, "%Y-%m-%d %H:%M", &local) == 0)
		return xstrdup(iso);
	return xstrdup(s);
}

char *day_start_iso(int y, int m, int d)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_isdst = -1};
	time_t t = mktime(&tm);
	struct tm utc;
	char s[32];
	if (t == (time_t)-1 || gmtime_r(&t, &utc) == NULL)
		return xasprintf("%04d-%02d-%02dT00:00:00.000Z", y, m, d);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
	return xstrdup(s);
}

char *date_local(const char *iso)
{
	char *t = time_local(iso);
	if (strlen(t) >= 10 && t[4] == '-')
		t[10] = '\0';
	return t;
}

bool uuid_ok(const char *s)
{
	if (s == NULL || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		char c = s[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
	return true;
}

void uuid_v4(char out[37])
{
	unsigned char r[16];
	size_t got = 0;
	while (got < sizeof r) {
		ssize_t n = getrandom(r + got, sizeof r - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fputs("talentreg: 无法取得随机数 (getrandom failed)\n", stderr);
			exit(4);
		}
		got += (size_t)n;
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[r[i] >> 4];
		*o++ = hex[r[i] & 15];
	}
	*o = '\0';
}
