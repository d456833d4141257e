/*
 * util.h - small helpers every module uses: allocation that dies cleanly on
 * out-of-memory, a growable string buffer, string vectors and diagnostics.
 */
#ifndef TALENTREG_UTIL_H
#define TALENTREG_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation wrappers: never return NULL; on out-of-memory print and exit(4). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Returns a new copy of s (NULL stays NULL); the caller frees it. */
char *xstrdup(const char *s);
/* Returns a new copy of the first n bytes of s; the caller frees it. */
char *xstrndup(const char *s, size_t n);
/* Returns a new formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A growable NUL-terminated byte buffer. Zero-initialise before use. */
struct buf {
	char *s;
	size_t len, cap;
};
void buf_add(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the buffer's string (never NULL) and gives up ownership to the caller. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b);

/* A vector of owned strings. Zero-initialise before use. */
struct strv {
	char **v;
	size_t n;
};
/* Appends a copy of s. */
void strv_add(struct strv *sv, const char *s);
/* Appends s itself, taking ownership. */
void strv_take(struct strv *sv, char *s);
bool strv_has(const struct strv *sv, const char *s);
void strv_free(struct strv *sv);
/* Splits s at every sep byte into trimmed, non-empty pieces appended to sv. */
void strv_split(struct strv *sv, const char *s, char sep);

/* Diagnostics collected while loading or checking; each is one line of text. */
struct diags {
	struct strv lines;
};
void diags_add(struct diags *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds "file:line: message", the message formatted from fmt. */
void diags_at(struct diags *d, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diags_free(struct diags *d);

/* Returns true when s is NULL or "". */
static inline bool str_empty(const char *s) { return s == NULL || *s == '\0'; }
/* Returns true when a and b are both non-NULL and equal. */
bool str_eq(const char *a, const char *b);
/* Returns a new copy of s with ASCII white space removed at both ends. */
char *str_trim(const char *s);
/* Parses a whole decimal integer; returns 0 and sets *out, or -1. */
int str_to_long(const char *s, long *out);
/* Parses a whole decimal number; returns 0 and sets *out, or -1. */
int str_to_double(const char *s, double *out);

/* Reads a whole file; returns a new NUL-terminated buffer and its length in
 * *len, or NULL with errno set. The caller frees it. */
char *file_read(const char *path, size_t *len);

/* Today's date as year, month, day in local time; TALENTREG_TODAY=YYYY-MM-DD
 * overrides it so that tests of age and "not in the future" are stable. */
void today(int *y, int *m, int *d);
/* Returns a new UTC timestamp "YYYY-MM-DDTHH:MM:SS.mmmZ" (milliseconds, so
 * that records saved in one second still sort in the order they were
 * saved); the caller frees it. */
char *now_iso(void);
/* Returns a stored UTC timestamp (now_iso's form) as people write a time:
 * local time (TZ) to the minute, "2026-11-30 02:42"; a text that is no such
 * timestamp comes back as it is. The caller frees it. */
char *time_local(const char *iso);
/* Returns a new UTC timestamp (now_iso's form) of the start of the local
 * day y-m-d (mktime normalises a day past the month's end), so that a
 * stored time t falls on or after that day when strcmp(t, it) >= 0. */
char *day_start_iso(int y, int m, int d);
/* Returns the local date "YYYY-MM-DD" of a stored UTC timestamp (a new
 * string; a text that is no timestamp comes back as it is). */
char *date_local(const char *iso);
/* Writes a new random (version 4) uuid into out, which holds 37 bytes. */
void uuid_v4(char out[37]);
/* Returns true when s is a uuid as uuid_v4 writes it and the store keeps
 * it: 36 characters, lower-case hex digits in groups of 8-4-4-4-12. */
bool uuid_ok(const char *s);

#endif
