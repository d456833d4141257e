/*
 * xlsx_read.c - the first worksheet of an .xlsx workbook, read in memory
 * (xlsx_read.h): libzip opens the zip from the buffer, expat parses the
 * parts it needs: xl/workbook.xml (the first sheet and whether dates count
 * from 1904) and its relationships (where that sheet is), the shared
 * strings, the styles (which cell formats show dates) and the sheet's rows.
 * Every part is read whole but bounded, and so are the cells it makes (a
 * cell as Excel allows, the sheet's cells in all as its parts); the XML may
 * carry no DOCTYPE (no Excel part does, and none may declare entities).
 */
#include "xlsx_read.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "check.h"
#include "msg.h"
#include "text.h"

/* Excel holds at most 32,767 characters in a cell. */
#define XLSX_MAX_CELL 32767
/* What a cell costs to keep beyond its text (its pointer and allocation),
 * counted so that a sheet of many empty cells is bounded too. */
#define CELL_COST 32

bool xlsx_is_zip(const void *data, size_t n)
{
	return n >= 4 && memcmp(data, "PK\003\004", 4) == 0;
}

void xlsx_rows_free(struct xlsx_rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		strv_free(&r->rows[i]);
	free(r->rows);
	free(r->numbers);
	memset(r, 0, sizeof *r);
}

void xlsx_general(double v, char out[32])
{
	double a = fabs(v);
	if (v == 0 || !isfinite(v)) {
		snprintf(out, 32, "%s", v == 0 ? "0" : "#NUM!");
		return;
	}
	if (a >= 1e-4 && a < 1e11) {
		/* the most significant digits that fit in 11 characters */
		for (int p = 11; p > 0; p--) {
			snprintf(out, 32, "%.*f", p, v);
			char *dot = strchr(out, '.');
			if (dot) {	/* no trailing zeros, no lone point */
				char *e = out + strlen(out) - 1;
				while (e > dot && *e == '0')
					*e-- = '\0';
				if (e == dot)
					*e = '\0';
			}
			if (strlen(out) <= 11)
				return;
		}
		/* -10358489193 is 12 characters: Excel shows it as -1.03585E+10 */
	}
	/* scientific: 6.20302E+17, its mantissa without trailing zeros */
	for (int p = 5; p >= 0; p--) {
		char m[32];
		snprintf(m, sizeof m, "%.*E", p, v);
		char *e = strchr(m, 'E');
		char *end = e - 1;
		if (strchr(m, '.')) {
			while (*end == '0')
				end--;
			if (*end == '.')
				end--;
		}
		snprintf(out, 32, "%.*s%s", (int)(end - m + 1), m, e);
		if (strlen(out) <= 11)
			return;
	}
}

/* ---- the zip container ---- */

/* Reads the part name into *out (NUL-terminated); *out NULL when the
 * workbook has no such part. Returns 0, or -1 with *cause. */
static int read_part(zip_t *z, const char *name, size_t max, char **out, size_t *len,
		     char **cause)
{
	*out = NULL;
	*len = 0;
	zip_int64_t i = zip_name_locate(z, name, ZIP_FL_NOCASE);
	if (i < 0)
		return 0;
	zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
	if (f == NULL) {
		*cause = msgf(MSG_XLSX_BAD_PART, name, zip_strerror(z));
		return -1;
	}
	struct buf b = {0};
	char chunk[16384];
	zip_int64_t got;
	while ((got = zip_fread(f, chunk, sizeof chunk)) > 0) {
		if (b.len + (size_t)got > max) {
			zip_fclose(f);
			buf_free(&b);
			*cause = msgf(MSG_XLSX_TOO_LARGE, name);
			return -1;
		}
		buf_add(&b, chunk, (size_t)got);
	}
	int bad = got < 0;
	if (bad)
		*cause = msgf(MSG_XLSX_BAD_PART, name, zip_file_strerror(f));
	zip_fclose(f);
	if (bad) {
		buf_free(&b);
		return -1;
	}
	*len = b.len;
	*out = buf_take(&b);
	return 0;
}

/* ---- XML ---- */

/* The element's local name: what follows the namespace (expat joins them
 * with '|'). */
static const char *local(const char *name)
{
	const char *bar = strrchr(name, '|');
	return bar ? bar + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

static void XMLCALL no_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int internal)
{
	(void)name, (void)sysid, (void)pubid, (void)internal;
	XML_StopParser(arg, XML_FALSE);
}

/* Parses the len bytes of text with the handlers; the handlers' user data
 * is ctx. Returns 0, or -1 with *cause naming the part and the line. */
static int parse(const char *part, const char *text, size_t len, void *ctx,
		 XML_StartElementHandler start, XML_EndElementHandler end,
		 XML_CharacterDataHandler chars, char **cause)
{
	XML_Parser p = XML_ParserCreateNS("UTF-8", '|');
	if (p == NULL) {
		*cause = msgf(MSG_XLSX_BAD_PART, part, "expat");
		return -1;
	}
	XML_SetUserData(p, ctx);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, chars);
	XML_SetStartDoctypeDeclHandler(p, no_doctype);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_UseParserAsHandlerArg(p);
	/* the handlers get the parser (to stop it) and find ctx through it */
	int rc = 0;
	if (len > (size_t)1 << 30 ||
	    XML_Parse(p, text, (int)len, XML_TRUE) == XML_STATUS_ERROR) {
		enum XML_Error e = XML_GetErrorCode(p);
		char *why = xasprintf("%lu: %s", (unsigned long)XML_GetCurrentLineNumber(p),
				      e == XML_ERROR_ABORTED ? "DOCTYPE" : XML_ErrorString(e));
		*cause = msgf(MSG_XLSX_BAD_PART, part, why);
		free(why);
		rc = -1;
	}
	XML_ParserFree(p);
	return rc;
}

#define CTX(p) XML_GetUserData((XML_Parser)(p))

/* ---- workbook.xml and its relationships ---- */

struct book {
	char *rid;		/* the first sheet's relationship */
	bool date1904;
	char *target;		/* its part, from the relationships */
};

static void XMLCALL book_start(void *p, const XML_Char *name, const XML_Char **atts)
{
	struct book *b = CTX(p);
	const char *n = local(name);
	if (strcmp(n, "sheet") == 0 && b->rid == NULL && attr(atts, "id"))
		b->rid = xstrdup(attr(atts, "id"));
	else if (strcmp(n, "workbookPr") == 0) {
		const char *d = attr(atts, "date1904");
		b->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
	}
}

static void XMLCALL rels_start(void *p, const XML_Char *name, const XML_Char **atts)
{
	struct book *b = CTX(p);
	const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
	if (strcmp(local(name), "Relationship") == 0 && b->target == NULL && b->rid && id &&
	    target && strcmp(id, b->rid) == 0)
		b->target = xstrdup(target);
}

static void XMLCALL ignore_end(void *p, const XML_Char *name)
{
	(void)p, (void)name;
}

static void XMLCALL ignore_chars(void *p, const XML_Char *s, int len)
{
	(void)p, (void)s, (void)len;
}

/* The path in the zip of the sheet the relationships name: relative to
 * xl/, or absolute from the zip's root. */
static char *sheet_path(const char *target)
{
	if (target == NULL)
		return xstrdup("xl/worksheets/sheet1.xml");
	if (target[0] == '/')
		return xstrdup(target + 1);
	return xasprintf("xl/%s", target);
}

/* ---- sharedStrings.xml ---- */

struct sst {
	struct strv v;
	struct buf cur;
	int in_si, in_t, in_rph;
};

static void XMLCALL sst_start(void *p, const XML_Char *name, const XML_Char **atts)
{
	(void)atts;
	struct sst *s = CTX(p);
	const char *n = local(name);
	if (strcmp(n, "si") == 0) {
		s->in_si = 1;
		buf_free(&s->cur);
		buf_add(&s->cur, "", 0);
	} else if (strcmp(n, "rPh") == 0) {
		s->in_rph++;	/* phonetic runs: not the cell's text */
	} else if (strcmp(n, "t") == 0) {
		s->in_t++;
	}
}

static void XMLCALL sst_end(void *p, const XML_Char *name)
{
	struct sst *s = CTX(p);
	const char *n = local(name);
	if (strcmp(n, "si") == 0 && s->in_si) {
		strv_take(&s->v, buf_take(&s->cur));
		s->in_si = 0;
	} else if (strcmp(n, "rPh") == 0 && s->in_rph) {
		s->in_rph--;
	} else if (strcmp(n, "t") == 0 && s->in_t) {
		s->in_t--;
	}
}

static void XMLCALL sst_chars(void *p, const XML_Char *text, int len)
{
	struct sst *s = CTX(p);
	if (s->in_si && s->in_t && !s->in_rph)
		buf_add(&s->cur, text, (size_t)len);
}

/* ---- styles.xml: which cell formats show dates ---- */

struct styles {
	struct strv fmt_ids, fmt_codes;	/* numFmts: custom formats */
	int *xf;			/* cellXfs: each format's numFmtId */
	size_t nxf;
	int in_xfs;
};

static void XMLCALL styles_start(void *p, const XML_Char *name, const XML_Char **atts)
{
	struct styles *s = CTX(p);
	const char *n = local(name);
	if (strcmp(n, "numFmt") == 0 && attr(atts, "numFmtId") && attr(atts, "formatCode")) {
		strv_add(&s->fmt_ids, attr(atts, "numFmtId"));
		strv_add(&s->fmt_codes, attr(atts, "formatCode"));
	} else if (strcmp(n, "cellXfs") == 0) {
		s->in_xfs = 1;
	} else if (strcmp(n, "xf") == 0 && s->in_xfs && s->nxf < 65536) {
		const char *id = attr(atts, "numFmtId");
		s->xf = xrealloc(s->xf, (s->nxf + 1) * sizeof *s->xf);
		s->xf[s->nxf++] = id ? atoi(id) : 0;
	}
}

static void XMLCALL styles_end(void *p, const XML_Char *name)
{
	struct styles *s = CTX(p);
	if (strcmp(local(name), "cellXfs") == 0)
		s->in_xfs = 0;
}

/* How a number of a cell format is shown. */
enum shown { SH_GENERAL, SH_DATE, SH_INTEGER };

/* A custom format code shows a date when, outside quotes, brackets and
 * escapes, it has a y, m or d (yyyy-mm-dd, yyyy"年"m"月"d"日"); an
 * integer when it is only zeros ("0"). */
static enum shown code_shows(const char *code)
{
	if (strspn(code, "0") == strlen(code) && *code)
		return SH_INTEGER;
	bool quote = false;
	int bracket = 0;
	for (const char *c = code; *c; c++) {
		if (*c == '"')
			quote = !quote;
		else if (quote)
			continue;
		else if (*c == '\\' && c[1])
			c++;
		else if (*c == '[')
			bracket++;
		else if (*c == ']' && bracket)
			bracket--;
		else if (!bracket && strchr("ymdYMD", *c))
			return SH_DATE;
	}
	return SH_GENERAL;
}

static enum shown style_shows(const struct styles *s, const char *attr_s)
{
	long i = attr_s ? strtol(attr_s, NULL, 10) : 0;
	if (i < 0 || (size_t)i >= s->nxf)
		return SH_GENERAL;
	int id = s->xf[i];
	if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	    (id >= 50 && id <= 58))
		return SH_DATE;
	if (id == 1)
		return SH_INTEGER;
	char key[16];
	snprintf(key, sizeof key, "%d", id);
	for (size_t k = 0; k < s->fmt_ids.n; k++)
		if (strcmp(s->fmt_ids.v[k], key) == 0)
			return code_shows(s->fmt_codes.v[k]);
	return SH_GENERAL;
}

/* ---- the sheet ---- */

struct sheet {
	const struct strv *sst;
	const struct styles *styles;
	bool date1904;
	struct xlsx_rows *out;
	long row;		/* the row being read (its number), 0 none */
	long last_row;
	struct strv cells;	/* its cells so far */
	int col;		/* the cell being read (0-based), -1 none */
	char type[16];
	const char *style;
	char *style_copy;
	struct buf value;	/* <v> or the inline string's text */
	int in_v, in_t, in_is, in_rph;
	char *error;		/* the first problem, which stops the parser */
	size_t kept, max_kept;	/* bytes the cells cost so far, and at most */
};

/* Column letters of a reference (B3) as a 0-based index; -1 when none. */
static int ref_col(const char *ref)
{
	int col = 0, n = 0;
	for (; *ref >= 'A' && *ref <= 'Z' && n < 4; ref++, n++)
		col = col * 26 + (*ref - 'A' + 1);
	return n == 0 || n == 4 ? -1 : col - 1;
}

static long ref_row(const char *ref)
{
	while (*ref >= 'A' && *ref <= 'Z')
		ref++;
	long r = strtol(ref, NULL, 10);
	return r > 0 && r <= 1048576 ? r : 0;
}

static void stop(void *p, struct sheet *s, char *why)
{
	if (s->error == NULL)
		s->error = why;
	else
		free(why);
	XML_StopParser(p, XML_FALSE);
}

/* Writes the date of serial number v (days since 1900 or 1904) as ISO. */
static bool serial_date(double v, bool date1904, char out[64])
{
	if (!(v >= 1 && v < 2958466))
		return false;
	long days = (long)floor(v);
	/* Excel's 1900 system counts a 29 February 1900 that never was */
	long from1970 = date1904 ? days - 24107 : days > 60 ? days - 25569 : days - 25568;
	long z = from1970 + 719468;	/* H. Hinnant's civil_from_days */
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	snprintf(out, 64, "%04ld-%02ld-%02ld", y, m, d);
	return true;
}

/* The text of the cell just read, as the sheet shows it. */
static char *cell_text(struct sheet *s)
{
	const char *v = s->value.s ? s->value.s : "";
	if (strcmp(s->type, "s") == 0) {
		char *end;
		long i = strtol(v, &end, 10);
		return *v && *end == '\0' && i >= 0 && (size_t)i < s->sst->n ? xstrdup(s->sst->v[i])
									    : xstrdup("");
	}
	if (strcmp(s->type, "inlineStr") == 0 || strcmp(s->type, "str") == 0 ||
	    strcmp(s->type, "e") == 0)
		return xstrdup(v);
	if (strcmp(s->type, "b") == 0)
		return xstrdup(strcmp(v, "1") == 0 ? "TRUE" : "FALSE");
	if (strcmp(s->type, "d") == 0)	/* an ISO 8601 date and time */
		return xstrndup(v, strlen(v) > 10 ? 10 : strlen(v));
	char *end;
	double x = strtod(v, &end);
	if (*v == '\0' || *end != '\0')
		return xstrdup(v);
	char out[64];
	enum shown how = style_shows(s->styles, s->style_copy);
	if (how == SH_DATE && serial_date(x, s->date1904, out))
		return xstrdup(out);
	if (how == SH_INTEGER && fabs(x) < 1e21) {	/* 15 significant digits, as Excel */
		snprintf(out, sizeof out, "%.15g", x);
		if (strchr(out, 'e')) {
			double r = strtod(out, NULL);
			snprintf(out, sizeof out, "%.0f", r);
			size_t digits = strspn(out + (out[0] == '-'), "0123456789");
			for (size_t k = 15 + (out[0] == '-'); k < digits + (out[0] == '-'); k++)
				out[k] = '0';
		}
		return xstrdup(out);
	}
	char g[32];
	xlsx_general(x, g);
	return xstrdup(g);
}

static void row_end(struct sheet *s)
{
	bool any = false;
	for (size_t i = 0; i < s->cells.n && !any; i++)
		any = *s->cells.v[i] != '\0';
	if (any) {
		struct xlsx_rows *o = s->out;
		o->rows = xrealloc(o->rows, (o->n + 1) * sizeof *o->rows);
		o->numbers = xrealloc(o->numbers, (o->n + 1) * sizeof *o->numbers);
		o->rows[o->n] = s->cells;
		o->numbers[o->n++] = s->row;
		memset(&s->cells, 0, sizeof s->cells);
	}
	strv_free(&s->cells);
	s->last_row = s->row;
	s->row = 0;
}

static void XMLCALL sheet_start(void *p, const XML_Char *name, const XML_Char **atts)
{
	struct sheet *s = CTX(p);
	const char *n = local(name);
	if (strcmp(n, "row") == 0) {
		const char *r = attr(atts, "r");
		s->row = r ? strtol(r, NULL, 10) : s->last_row + 1;
		if (s->row <= s->last_row || s->row > 1048576)
			stop(p, s, msgf(MSG_XLSX_BAD_CELL, r ? r : "?"));
	} else if (strcmp(n, "c") == 0 && s->row) {
		const char *r = attr(atts, "r");
		s->col = r ? ref_col(r) : (int)s->cells.n;
		if (r && (s->col < 0 || ref_row(r) != s->row))
			stop(p, s, msgf(MSG_XLSX_BAD_CELL, r));
		else if (s->col >= XLSX_MAX_COLS || s->col < (int)s->cells.n)
			stop(p, s, msgf(MSG_XLSX_BAD_CELL, r ? r : "?"));
		const char *t = attr(atts, "t");
		snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
		free(s->style_copy);
		s->style_copy = xstrdup(attr(atts, "s"));
		buf_free(&s->value);
		buf_add(&s->value, "", 0);
	} else if (s->col >= 0 && strcmp(n, "v") == 0) {
		s->in_v = 1;
	} else if (s->col >= 0 && strcmp(n, "is") == 0) {
		s->in_is = 1;
	} else if (s->in_is && strcmp(n, "t") == 0) {
		s->in_t++;
	} else if (s->in_is && strcmp(n, "rPh") == 0) {
		s->in_rph++;
	}
}

static void XMLCALL sheet_end(void *p, const XML_Char *name)
{
	struct sheet *s = CTX(p);
	const char *n = local(name);
	if (strcmp(n, "row") == 0 && s->row) {
		row_end(s);
	} else if (strcmp(n, "c") == 0 && s->col >= 0 && s->row) {
		/* bounded however the cells are made: one shared string used
		 * a million times, or a row of 256 cells with one filled */
		char *t = cell_text(s);
		size_t len = strlen(t);
		s->kept += len + CELL_COST * (size_t)(s->col - (int)s->cells.n + 1);
		if (len > XLSX_MAX_CELL && utf8_chars(t) > XLSX_MAX_CELL) {
			free(t);
			stop(p, s, msgf(MSG_XLSX_CELL_TOO_LONG, s->row, XLSX_MAX_CELL));
			return;
		}
		if (s->kept > s->max_kept) {
			free(t);
			stop(p, s, msgf(MSG_XLSX_SHEET_TOO_LARGE, (unsigned long)(s->max_kept >> 20)));
			return;
		}
		while ((int)s->cells.n < s->col)
			strv_add(&s->cells, "");
		strv_take(&s->cells, t);
		s->col = -1;
	} else if (strcmp(n, "v") == 0) {
		s->in_v = 0;
	} else if (strcmp(n, "is") == 0) {
		s->in_is = 0;
	} else if (strcmp(n, "t") == 0 && s->in_t) {
		s->in_t--;
	} else if (strcmp(n, "rPh") == 0 && s->in_rph) {
		s->in_rph--;
	}
}

static void XMLCALL sheet_chars(void *p, const XML_Char *text, int len)
{
	struct sheet *s = CTX(p);
	if (s->col >= 0 && (s->in_v || (s->in_is && s->in_t && !s->in_rph)))
		buf_add(&s->value, text, (size_t)len);
}

/* ---- the whole ---- */

/* Reads part name (when there) and parses it; *found says whether it was. */
static int part(zip_t *z, const char *name, size_t max, void *ctx, XML_StartElementHandler st,
		XML_EndElementHandler en, XML_CharacterDataHandler ch, bool *found, char **cause)
{
	char *text;
	size_t len;
	if (read_part(z, name, max, &text, &len, cause) < 0)
		return -1;
	*found = text != NULL;
	int rc = text ? parse(name, text, len, ctx, st, en, ch, cause) : 0;
	free(text);
	return rc;
}

int xlsx_read(const void *data, size_t n, size_t max_bytes, struct xlsx_rows *out,
	      char **cause)
{
	memset(out, 0, sizeof *out);
	*cause = NULL;
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(data, n, 0, &err);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err) : NULL;
	if (z == NULL) {
		*cause = msgf(MSG_XLSX_NOT_WORKBOOK, zip_error_strerror(&err));
		zip_error_fini(&err);
		if (src)
			zip_source_free(src);
		return -1;
	}
	zip_error_fini(&err);
	struct book book = {0};
	struct sst sst = {0};
	struct styles styles = {0};
	bool found = false;
	int rc = part(z, "xl/workbook.xml", max_bytes, &book, book_start, ignore_end, ignore_chars,
		      &found, cause);
	if (rc == 0 && !found) {
		*cause = msgf(MSG_XLSX_NOT_WORKBOOK, "xl/workbook.xml");
		rc = -1;
	}
	if (rc == 0)
		rc = part(z, "xl/_rels/workbook.xml.rels", max_bytes, &book, rels_start, ignore_end,
			  ignore_chars, &found, cause);
	if (rc == 0)
		rc = part(z, "xl/sharedStrings.xml", max_bytes, &sst, sst_start, sst_end, sst_chars,
			  &found, cause);
	if (rc == 0)
		rc = part(z, "xl/styles.xml", max_bytes, &styles, styles_start, styles_end,
			  ignore_chars, &found, cause);
	char *path = sheet_path(book.target);
	struct sheet sh = {.sst = &sst.v, .styles = &styles, .date1904 = book.date1904, .out = out,
			   .col = -1, .max_kept = max_bytes};
	if (rc == 0) {
		rc = part(z, path, max_bytes, &sh, sheet_start, sheet_end, sheet_chars, &found, cause);
		if (rc < 0 && sh.error) {	/* the sheet's own problem, not expat's "aborted" */
			free(*cause);
			*cause = sh.error;
			sh.error = NULL;
		} else if (rc == 0 && !found) {
			*cause = msgf(MSG_XLSX_NOT_WORKBOOK, path);
			rc = -1;
		}
	}
	free(path);
	free(sh.error);
	free(sh.style_copy);
	buf_free(&sh.value);
	strv_free(&sh.cells);
	free(book.rid);
	free(book.target);
	strv_free(&sst.v);
	buf_free(&sst.cur);
	strv_free(&styles.fmt_ids);
	strv_free(&styles.fmt_codes);
	free(styles.xf);
	zip_discard(z);
	return rc;
}
