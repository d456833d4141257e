/*
 * record.c - field values (struct kv), statuses, and the JSON string writer
 * that every JSON output and the stored values go through.
 */
#include "record.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* The index of key in kv, or -1. The first bytes are compared before
 * strcmp: most keys differ there, and a form's validation looks up every
 * field in every row. */
static ptrdiff_t kv_find(const struct kv *kv, const char *key)
{
	for (size_t i = 0; i < kv->keys.n; i++)
		if (kv->keys.v[i][0] == key[0] && strcmp(kv->keys.v[i], key) == 0)
			return (ptrdiff_t)i;
	return -1;
}

const char *kv_get(const struct kv *kv, const char *key)
{
	ptrdiff_t i = kv_find(kv, key);
	return i < 0 ? NULL : kv->vals.v[i];
}

void kv_add(struct kv *kv, const char *key, const char *val)
{
	strv_add(&kv->keys, key);
	strv_add(&kv->vals, val);
}

void kv_set(struct kv *kv, const char *key, const char *val)
{
	ptrdiff_t i = kv_find(kv, key);
	if (i < 0) {
		kv_add(kv, key, val);
		return;
	}
	char *copy = xstrdup(val);
	free(kv->vals.v[i]);
	kv->vals.v[i] = copy;
}

bool kv_equal(const struct kv *a, const struct kv *b)
{
	if (a->keys.n != b->keys.n)
		return false;
	for (size_t i = 0; i < a->keys.n; i++)
		if (!str_eq(kv_get(b, a->keys.v[i]), a->vals.v[i]))
			return false;
	return true;
}

void kv_del(struct kv *kv, const char *key)
{
	ptrdiff_t i = kv_find(kv, key);
	if (i < 0)
		return;
	free(kv->keys.v[i]);
	free(kv->vals.v[i]);
	size_t rest = kv->keys.n - (size_t)i;	/* includes the NULL terminator */
	memmove(&kv->keys.v[i], &kv->keys.v[i + 1], rest * sizeof(char *));
	memmove(&kv->vals.v[i], &kv->vals.v[i + 1], rest * sizeof(char *));
	kv->keys.n--;
	kv->vals.n--;
}

void kv_free(struct kv *kv)
{
	strv_free(&kv->keys);
	strv_free(&kv->vals);
}

void json_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	size_t left = strlen(s);
	for (const char *p = s; *p;) {
		uint32_t cp;
		int len = utf8_decode(p, left, &cp);
		if (cp == '"')
			buf_puts(b, "\\\"");
		else if (cp == '\\')
			buf_puts(b, "\\\\");
		else if (cp == '\n')
			buf_puts(b, "\\n");
		else if (cp == '\r')
			buf_puts(b, "\\r");
		else if (cp == '\t')
			buf_puts(b, "\\t");
		else if (cp == TEXT_INVALID)
			buf_puts(b, "\\ufffd");
		/* every control, bidi, zero-width and invisible character, and the
		 * line separators, escaped: the output never carries one raw to a
		 * terminal, and JSON readers get them back exactly */
		else if (text_forbidden(cp) || cp == 0x2028 || cp == 0x2029) {
			if (cp > 0xFFFF)
				buf_printf(b, "\\u%04x\\u%04x", (unsigned)(0xD800 + ((cp - 0x10000) >> 10)),
					   (unsigned)(0xDC00 + ((cp - 0x10000) & 0x3FF)));
			else
				buf_printf(b, "\\u%04x", (unsigned)cp);
		} else
			buf_add(b, p, (size_t)len);
		p += len;
		left -= (size_t)len;
	}
	buf_putc(b, '"');
}

void record_json_head(struct buf *b, const struct record *r)
{
	buf_puts(b, "{\"uuid\":");
	json_str(b, r->uuid);
	buf_puts(b, ",\"category\":");
	json_str(b, r->category);
	buf_puts(b, ",\"status\":");
	json_str(b, status_name(r->status));
}

void kv_to_json(const struct kv *kv, struct buf *b)
{
	buf_putc(b, '{');
	for (size_t i = 0; i < kv->keys.n; i++) {
		if (i)
			buf_putc(b, ',');
		json_str(b, kv->keys.v[i]);
		buf_putc(b, ':');
		json_str(b, kv->vals.v[i]);
	}
	buf_putc(b, '}');
}

static const struct {
	const char *name;
	enum msg_id label;
} statuses[ST__COUNT] = {
	[ST_DRAFT] = {"draft", MSG_STATUS_DRAFT},
	[ST_SUBMITTED] = {"submitted", MSG_STATUS_SUBMITTED},
	[ST_APPROVED] = {"approved", MSG_STATUS_APPROVED},
	[ST_RETURNED] = {"returned", MSG_STATUS_RETURNED},
	[ST_WITHDRAWN] = {"withdrawn", MSG_STATUS_WITHDRAWN},
};

const char *status_name(enum status s)
{
	return (unsigned)s < ST__COUNT ? statuses[s].name : "?";
}

const char *status_label(enum status s)
{
	return (unsigned)s < ST__COUNT ? msg(statuses[s].label) : "?";
}

int status_parse(const char *s, enum status *out)
{
	for (int i = 0; i < ST__COUNT; i++)
		if (str_eq(s, statuses[i].name) || str_eq(s, msg(statuses[i].label))) {
			*out = (enum status)i;
			return 0;
		}
	return -1;
}

static void set_copy(char **slot, const char *v, bool never_null)
{
	free(*slot);
	*slot = v ? xstrdup(v) : never_null ? xstrdup("") : NULL;
}

void record_sync(struct record *r)
{
	set_copy(&r->person_key, kv_get(&r->vals, "id_number"), true);
	set_copy(&r->name, kv_get(&r->vals, "name"), true);
	set_copy(&r->township, kv_get(&r->vals, "township"), false);
	set_copy(&r->village, kv_get(&r->vals, "village"), false);
	set_copy(&r->phone, kv_get(&r->vals, "phone"), false);
}

void record_free(struct record *r)
{
	if (r == NULL)
		return;
	free(r->category);
	free(r->person_key);
	free(r->name);
	free(r->township);
	free(r->village);
	free(r->phone);
	kv_free(&r->vals);
	free(r->created_by);
	free(r->created_at);
	free(r->updated_by);
	free(r->updated_at);
	free(r->site);
	free(r->comment);
	memset(r, 0, sizeof *r);
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return p;
}

static int hex4(const char *p, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned v = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
		if (v > 15)
			return -1;
		*out = *out * 16 + v;
	}
	return 0;
}

static void put_utf8(struct buf *b, unsigned cp)
{
	char o[4];
	int n;
	if (cp < 0x80) {
		o[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		o[0] = (char)(0xF0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, o, (size_t)n);
}

/* Reads a JSON string at p (which points at its quote) into a new string;
 * returns the position after it, or NULL. */
static const char *json_read_str(const char *p, char **out)
{
	struct buf b = {0};
	if (*p++ != '"')
		return NULL;
	buf_add(&b, "", 0);
	while (*p && *p != '"') {
		if (*p != '\\') {
			buf_putc(&b, *p++);
			continue;
		}
		p++;
		unsigned cp, lo;
		switch (*p) {
		case '"': case '\\': case '/': buf_putc(&b, *p); break;
		case 'n': buf_putc(&b, '\n'); break;
		case 'r': buf_putc(&b, '\r'); break;
		case 't': buf_putc(&b, '\t'); break;
		case 'b': buf_putc(&b, '\b'); break;
		case 'f': buf_putc(&b, '\f'); break;
		case 'u':
			if (hex4(p + 1, &cp) < 0)
				goto bad;
			p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && p[1] == '\\' && p[2] == 'u' &&
			    hex4(p + 3, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			}
			if (cp == 0 || (cp >= 0xD800 && cp < 0xE000))
				goto bad;	/* NUL would cut the value; a lone surrogate is not UTF-8 */
			put_utf8(&b, cp);
			break;
		default:
			goto bad;
		}
		p++;
	}
	/* JSON text is UTF-8: a string that is not (a stray byte) would come
	 * back from json_str as U+FFFD, another string */
	if (*p != '"' || !utf8_valid(b.s))
		goto bad;
	*out = buf_take(&b);
	return p + 1;
bad:
	buf_free(&b);
	return NULL;
}

int kv_from_json(const char *s, struct kv *kv)
{
	const char *p = skip_ws(s);
	if (*p++ != '{')
		return -1;
	p = skip_ws(p);
	if (*p == '}')
		return *skip_ws(p + 1) ? -1 : 0;
	for (;;) {
		char *k = NULL, *v = NULL;
		p = json_read_str(skip_ws(p), &k);
		if (p && *(p = skip_ws(p)) == ':')
			p = json_read_str(skip_ws(p + 1), &v);
		else
			p = NULL;
		if (p == NULL || kv_get(kv, k)) {	/* a key twice: which value counts? */
			free(k);
			free(v);
			return -1;
		}
		strv_take(&kv->keys, k);
		strv_take(&kv->vals, v);
		p = skip_ws(p);
		if (*p == '}')
			return *skip_ws(p + 1) ? -1 : 0;
		if (*p++ != ',')
			return -1;
	}
}
