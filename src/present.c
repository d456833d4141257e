/*
 * present.c - how stored values are shown (present.h): masking by role and
 * the readable form of multi-choice values.
 */
#include "present.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

/* Keeps the first `head` and last `tail` characters, starring the rest. */
static char *mask_middle(const char *v, size_t head, size_t tail)
{
	size_t n = utf8_chars(v);
	if (n <= head + tail)
		return xstrdup(v);
	struct buf b = {0};
	size_t i = 0;
	for (const char *p = v; *p; i++) {
		uint32_t cp;
		int len = utf8_decode(p, strlen(p), &cp);
		if (i < head || i >= n - tail)
			buf_add(&b, p, (size_t)len);
		else
			buf_putc(&b, '*');
		p += len;
	}
	return buf_take(&b);
}

char *mask_value(const struct field *f, const char *value)
{
	if (value == NULL)
		return NULL;
	if (f->type == FT_ID_CARD)
		return mask_middle(value, 4, 4);
	if (f->type == FT_PHONE)
		return mask_middle(value, 3, 4);
	/* a birth date beside a masked ID would give back 8 of its hidden
	 * digits: the year alone */
	if (f->type == FT_DATE && strlen(value) == 10)
		return xasprintf("%.4s-**-**", value);
	return mask_middle(value, 1, 0);
}

char *shown_value(const struct form *f, const char *key, const char *v, bool masked)
{
	const struct field *fd = f ? form_field(f, key) : NULL;
	if (v == NULL)
		return xstrdup("");
	if (masked && fd && fd->pii)
		return mask_value(fd, v);
	return xstrdup(v);
}

char *display_value(const struct form *f, const char *key, const char *v, bool masked)
{
	char *s = shown_value(f, key, v, masked);
	const struct field *fd = f ? form_field(f, key) : NULL;
	if (fd == NULL || fd->type != FT_MULTI)
		return s;
	char *items = present_items(s);
	free(s);
	return items;
}

char *present_items(const char *stored)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (const char *p = stored; *p; p++)
		buf_puts(&b, *p == '|' ? "、" : (char[]){*p, '\0'});
	return buf_take(&b);
}

char *present_list(const struct strv *v)
{
	struct buf b = {0};
	buf_add(&b, "", 0);
	for (size_t i = 0; i < v->n; i++)
		buf_printf(&b, "%s%s", i ? "、" : "", v->v[i]);
	return buf_take(&b);
}
