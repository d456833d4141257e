/*
 * check.c - validators of single typed values: resident ID (GB 11643, check
 * by ISO 7064 MOD 11-2), unified social credit code (GB 32100), mainland
 * mobile number and calendar dates, plus the date arithmetic the ID needs.
 * Each check_* folds full-width forms and trims the input first, because
 * that is what Chinese input methods hand us, then either returns the one
 * normalised spelling that is stored or the message id saying what is wrong.
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

#define ID_LEN 18
#define ID_LEGACY_LEN 15
#define USCC_LEN 18
#define PHONE_LEN 11

static const int id_weights[ID_LEN - 1] = {
	7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
};
static const char id_check_chars[] = "10X98765432";

/* The province-level codes an ID number may start with (GB/T 2260's first
 * two digits: the provinces, Taiwan 71, Hong Kong 81, Macao 82), and 83,
 * which the residence permits of Taiwan residents carry. */
static const struct {
	int lo, hi;
} province_codes[] = {
	{11, 15}, {21, 23}, {31, 37}, {41, 46}, {50, 54}, {61, 65}, {71, 71}, {81, 83},
};

/* The 31 characters of a credit code; a character's index is its value. */
static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/* 3^(i-1) mod 31 for positions 1 to 17. */
static const int uscc_weights[USCC_LEN - 1] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Returns true when the n bytes at s are all ASCII digits. */
static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* Returns the value of the n ASCII digits at s. */
static int digits_value(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Returns a new copy of in with full-width forms folded and white space
 * trimmed; NULL counts as "". The caller frees it. */
static char *prepare(const char *in)
{
	char *folded = text_fold_fullwidth(in ? in : "");
	char *s = text_trim(folded);
	free(folded);
	return s;
}

/* Frees s, stores id in *why and returns -1: the common failure exit. */
static int fail(char *s, enum msg_id id, enum msg_id *why)
{
	free(s);
	*why = id;
	return -1;
}

/* --- dates ------------------------------------------------------------ */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool date_valid(int y, int m, int d)
{
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int date_cmp(const struct date *a, const struct date *b)
{
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return 0;
}

/* Someone born on 29 February has the birthday on 28 February in a common
 * year: the Civil Code (art. 201) ends a period that has no corresponding
 * day on the last day of the month. */
int age_on(const struct date *birth, const struct date *on)
{
	int age = on->y - birth->y;
	int bday = birth->d;

	if (birth->m == 2 && bday == 29 && !is_leap(on->y))
		bday = 28;
	if (on->m < birth->m || (on->m == birth->m && on->d < bday))
		age--;
	return age;
}

int date_parse_iso(const char *s, struct date *out)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (!all_digits(s, 4) || !all_digits(s + 5, 2) || !all_digits(s + 8, 2))
		return -1;
	struct date d = { digits_value(s, 4), digits_value(s + 5, 2), digits_value(s + 8, 2) };
	if (!date_valid(d.y, d.m, d.d))
		return -1;
	*out = d;
	return 0;
}

/* Reads one or two digits at *p into *v and advances *p; -1 if none. */
static int read_small(const char **p, int *v)
{
	size_t n = 0;
	while (n < 2 && is_digit((*p)[n]))
		n++;
	if (n == 0 || is_digit((*p)[n]))
		return -1;
	*v = digits_value(*p, n);
	*p += n;
	return 0;
}

/* The shapes of a typed date after its four-digit year: what follows the
 * year, the month and the day, each one or two digits. */
static const char *const date_marks[][3] = {
	{"-", "-", ""}, {"/", "/", ""}, {".", ".", ""}, {"年", "月", "日"},
};

/* Advances *p past the text w when it is there; -1 when it is not. */
static int read_mark(const char **p, const char *w)
{
	size_t n = strlen(w);
	if (strncmp(*p, w, n) != 0)
		return -1;
	*p += n;
	return 0;
}

/* Splits a typed date (YYYYMMDD, or YYYY, month and day in one of the
 * shapes of date_marks) into *d without judging it; -1 when the shape is
 * wrong. */
static int date_split(const char *s, struct date *d)
{
	if (strlen(s) == 8 && all_digits(s, 8)) {
		d->y = digits_value(s, 4);
		d->m = digits_value(s + 4, 2);
		d->d = digits_value(s + 6, 2);
		return 0;
	}
	if (!all_digits(s, 4))
		return -1;
	d->y = digits_value(s, 4);
	for (size_t i = 0; i < ARRAY_LEN(date_marks); i++) {
		const char *p = s + 4;
		if (read_mark(&p, date_marks[i][0]) == 0 && read_small(&p, &d->m) == 0 &&
		    read_mark(&p, date_marks[i][1]) == 0 && read_small(&p, &d->d) == 0 &&
		    read_mark(&p, date_marks[i][2]) == 0 && *p == '\0')
			return 0;
	}
	return -1;
}

int check_date(const char *in, char **out, enum msg_id *why)
{
	char *s = prepare(in);
	struct date d;

	*out = NULL;
	if (date_split(s, &d) < 0)
		return fail(s, MSG_V_DATE_FORMAT, why);
	if (d.y < 1900 || d.y > 2999 || !date_valid(d.y, d.m, d.d))
		return fail(s, MSG_V_DATE_INVALID, why);
	free(s);
	*out = xasprintf("%04d-%02d-%02d", d.y, d.m, d.d);
	return 0;
}

/* --- resident ID ------------------------------------------------------- */

char id_check_char(const char *id)
{
	int sum = 0;
	for (int i = 0; i < ID_LEN - 1; i++)
		sum += (id[i] - '0') * id_weights[i];
	return id_check_chars[sum % 11];
}

/* Returns true when the len bytes at id are digits, save that the last
 * of an 18-character number may be X or x. */
static bool id_chars_ok(const char *id, size_t len)
{
	char last = id[len - 1];

	if (!all_digits(id, len - 1))
		return false;
	return is_digit(last) || (len == ID_LEN && (last == 'X' || last == 'x'));
}

/* Brings *s to 18 ASCII characters: checks length and characters, makes a
 * final x upper case and upgrades a 15-digit number (replacing *s). */
static int id_normalise(char **s, enum msg_id *why)
{
	size_t chars = utf8_chars(*s), len = strlen(*s);
	char *id = *s;

	if (chars != ID_LEN && chars != ID_LEGACY_LEN) {
		*why = MSG_V_ID_LENGTH;
		return -1;
	}
	if (len != chars || !id_chars_ok(id, len)) {
		*why = MSG_V_ID_CHARS;
		return -1;
	}
	if (len == ID_LEGACY_LEN) {
		char *up = xasprintf("%.6s19%.9s?", id, id + 6);
		up[ID_LEN - 1] = id_check_char(up);
		free(id);
		*s = up;
	} else if (id[ID_LEN - 1] == 'x') {
		id[ID_LEN - 1] = 'X';
	}
	return 0;
}

/* Returns true when the ID's first two digits are a province-level code. */
static bool id_province_ok(const char *id)
{
	int code = digits_value(id, 2);
	for (size_t i = 0; i < ARRAY_LEN(province_codes); i++)
		if (code >= province_codes[i].lo && code <= province_codes[i].hi)
			return true;
	return false;
}

/* Returns true when s is a number as Excel writes one in scientific
 * notation, the form an ID takes in a column that lost its text format:
 * a digit, a point and more digits (or none), E or e, an optional + and
 * the exponent (6.20302E+17, 6.20302199001011e17). */
static bool excel_scientific(const char *s)
{
	const char *p = s;

	if (!is_digit(*p++))
		return false;
	if (*p == '.' && is_digit(p[1]))
		for (p++; is_digit(*p); p++)
			;
	if (*p != 'E' && *p != 'e')
		return false;
	p += p[1] == '+' ? 2 : 1;
	if (!is_digit(*p))
		return false;
	while (is_digit(*p))
		p++;
	return *p == '\0';
}

/* Returns true when the normalised 18-character id looks like what Excel
 * makes of an ID kept as a number: 15 significant digits, so the last three
 * are 000, and then the check character (0) is wrong. A real ID mistyped
 * the same way looks the same, hence "most likely" in the message. */
static bool excel_rounded(const char *id)
{
	return all_digits(id, ID_LEN) && strcmp(id + ID_LEN - 3, "000") == 0 &&
	       id_check_char(id) != id[ID_LEN - 1];
}

/* Reads the birth date of an 18-character ID; -1 when it is not real. */
static int id_birth(const char *id, struct date *birth)
{
	birth->y = digits_value(id + 6, 4);
	birth->m = digits_value(id + 10, 2);
	birth->d = digits_value(id + 12, 2);
	return date_valid(birth->y, birth->m, birth->d) ? 0 : -1;
}

int check_id_card(const char *in, const struct date *now, char **out, enum msg_id *why)
{
	char *s = prepare(in);
	struct date birth, t;

	*out = NULL;
	if (now == NULL) {	/* not in the contract; the clock is a safe default */
		today(&t.y, &t.m, &t.d);
		now = &t;
	}
	if (s[0] == '\'') {	/* Excel's mark of a cell kept as text */
		char *rest = xstrdup(s + 1);
		free(s);
		s = rest;
	}
	if (excel_scientific(s))
		return fail(s, MSG_V_ID_EXCEL_SCIENTIFIC, why);
	if (id_normalise(&s, why) < 0)
		return fail(s, *why, why);
	if (excel_rounded(s))
		return fail(s, MSG_V_ID_EXCEL_ROUNDED, why);
	if (!id_province_ok(s))
		return fail(s, MSG_V_ID_PROVINCE, why);
	if (id_birth(s, &birth) < 0)
		return fail(s, MSG_V_ID_DATE, why);
	if (date_cmp(&birth, now) > 0)
		return fail(s, MSG_V_ID_FUTURE, why);
	if (id_check_char(s) != s[ID_LEN - 1])
		return fail(s, MSG_V_ID_CHECK, why);
	*out = s;
	return 0;
}

int id_card_info(const char *id, struct id_info *info)
{
	struct date birth;

	if (id == NULL || strlen(id) != ID_LEN || !all_digits(id, ID_LEN - 1))
		return -1;
	if (id_check_char(id) != id[ID_LEN - 1] || id_birth(id, &birth) < 0)
		return -1;
	info->birth = birth;
	info->male = (id[16] - '0') % 2 == 1;
	return 0;
}

/* --- unified social credit code ---------------------------------------- */

char uscc_check_char(const char *code)
{
	int sum = 0;
	for (int i = 0; i < USCC_LEN - 1; i++) {
		const char *c = code[i] ? strchr(uscc_chars, code[i]) : NULL;
		sum += c ? (int)(c - uscc_chars) * uscc_weights[i] : 0;
	}
	return uscc_chars[(31 - sum % 31) % 31];
}

int check_uscc(const char *in, char **out, enum msg_id *why)
{
	char *s = prepare(in);

	*out = NULL;
	if (utf8_chars(s) != USCC_LEN)
		return fail(s, MSG_V_USCC_LENGTH, why);
	for (char *p = s; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	for (int i = 0; i < USCC_LEN; i++)
		if (s[i] == '\0' || strchr(uscc_chars, s[i]) == NULL)
			return fail(s, MSG_V_USCC_CHARS, why);
	if (s[USCC_LEN - 1] != uscc_check_char(s))
		return fail(s, MSG_V_USCC_CHECK, why);
	*out = s;
	return 0;
}

/* --- mobile number ------------------------------------------------------ */

int check_phone(const char *in, char **out, enum msg_id *why)
{
	char *s = prepare(in);
	char *w = s;
	const char *p = s;

	*out = NULL;
	for (const char *r = s; *r; r++)	/* drop spaces and hyphens */
		if (*r != ' ' && *r != '-')
			*w++ = *r;
	*w = '\0';
	if (strncmp(p, "+86", 3) == 0)
		p += 3;
	else if (strncmp(p, "0086", 4) == 0)
		p += 4;
	if (strlen(p) != PHONE_LEN || !all_digits(p, PHONE_LEN) || p[0] != '1' || p[1] < '3')
		return fail(s, MSG_V_PHONE, why);
	*out = xstrdup(p);
	free(s);
	return 0;
}
