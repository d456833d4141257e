/*
 * fuzz_validators.c - the single-value validators of check.c (resident ID,
 * unified social credit code, mobile number, date), each against a simple
 * reference implementation written here from the standards and DESIGN.md,
 * never from check.c. Every input goes through all four.
 *
 * What the references compute:
 *   - preparation (all four): full-width forms U+FF01-U+FF5E become ASCII
 *     and U+3000 a space, then ASCII white space and U+3000 are trimmed at
 *     both ends;
 *   - resident ID (GB 11643-1999): 17 digits and a check character
 *     "10X98765432"[sum(d_i * (2^(17-i) mod 11)) mod 11], weights computed
 *     here as powers of two; a lower-case x accepted and stored upper
 *     case; one leading apostrophe (Excel's text mark) dropped; the
 *     first two digits one of the province-level codes of DESIGN.md
 *     (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81-83); the birth
 *     date YYYYMMDD real (Gregorian leap years) and not after "today"
 *     (fixed, 2026-11-29); a 15-digit number upgraded by inserting "19"
 *     before the year and appending the check character; and three
 *     refusals with their own reasons, in this order: a number in
 *     Excel's scientific notation (6.20302E+17), 18 digits ending 000
 *     with a wrong check character (Excel's rounding to 15 digits), a
 *     province that does not exist;
 *   - credit code (GB 32100-2015): 18 characters of the 31-character
 *     alphabet 0-9 A-Z without I O S V Z (lower case folded), check
 *     character value (31 - sum(c_i * 3^(i-1) mod 31) mod 31) mod 31, the
 *     weights computed here as powers of three;
 *   - mobile: spaces and hyphens removed, then one +86 or 0086 prefix;
 *     what is left is 11 ASCII digits, "1", then 3-9;
 *   - date: YYYYMMDD, or YYYY SEP M[M] SEP D[D] with one SEP of - / . used
 *     twice, or YYYY年M[M]月D[D]日; a real date with the year 1900 to
 *     2999; stored YYYY-MM-DD.
 * Each validator must accept exactly what its reference accepts and store
 * exactly the reference's normalised value; on rejection *out is NULL, and
 * the ID's three reasons named above are the ones given.
 * Accepted values also round-trip: validating the stored value gives it
 * back, and id_card_info()/date_parse_iso() read back the same date (and
 * the gender from the 17th digit).
 */
#include <regex.h>
#include <stdbool.h>

#include "check.h"
#include "fuzz.h"

static const struct date fuzz_today = {2026, 11, 29};

/* ---- preparation ---- */

static bool ref_space_at(const char *s, size_t *len)
{
	if (*s && strchr(" \t\n\v\f\r", *s)) {
		*len = 1;
		return true;
	}
	if (strncmp(s, "\xE3\x80\x80", 3) == 0) {
		*len = 3;
		return true;
	}
	return false;
}

/* Full-width ASCII is EF BC 81-BF (U+FF01-FF3F) and EF BD 80-9E
 * (U+FF40-FF5E); EF and E3 always start a character, so matching bytes
 * is enough. Returns a new string. */
static char *ref_prepare(const char *in)
{
	size_t n = strlen(in), o = 0;
	char *s = malloc(n + 1);
	const unsigned char *u = (const unsigned char *)in;
	for (size_t i = 0; i < n;) {
		if (i + 2 < n && u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] >= 0x81 && u[i + 2] <= 0xBF) {
			s[o++] = (char)(u[i + 2] - 0x81 + 0x21);
			i += 3;
		} else if (i + 2 < n && u[i] == 0xEF && u[i + 1] == 0xBD && u[i + 2] >= 0x80 && u[i + 2] <= 0x9E) {
			s[o++] = (char)(u[i + 2] - 0x80 + 0x60);
			i += 3;
		} else if (i + 2 < n && u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x80) {
			s[o++] = ' ';
			i += 3;
		} else {
			s[o++] = in[i++];
		}
	}
	s[o] = '\0';
	/* trim: the front, then the back */
	size_t start = 0, len;
	while (ref_space_at(s + start, &len))
		start += len;
	size_t end = strlen(s);
	for (;;) {
		if (end > start && strchr(" \t\n\v\f\r", s[end - 1]))
			end--;
		else if (end >= start + 3 && memcmp(s + end - 3, "\xE3\x80\x80", 3) == 0)
			end -= 3;
		else
			break;
	}
	memmove(s, s + start, end - start);
	s[end - start] = '\0';
	return s;
}

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

static bool all_dig(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdig(s[i]))
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static bool ref_real_date(int y, int m, int d)
{
	static const int mdays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m] + (m == 2 && leap);
}

/* ---- resident ID ---- */

static char ref_id_check(const char *s17)
{
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		int w = 1;
		for (int k = 0; k < 17 - i; k++)
			w = w * 2 % 11;	/* 2^(17-i) mod 11: 7 9 10 5 8 4 2 1 6 3 ... */
		sum += (s17[i] - '0') * w;
	}
	return "10X98765432"[sum % 11];
}

/* True when s is a number in scientific notation as Excel writes it. */
static bool ref_scientific(const char *s)
{
	static regex_t re;
	static bool compiled;
	if (!compiled) {
		compiled = regcomp(&re, "^[0-9](\\.[0-9]+)?[Ee]\\+?[0-9]+$", REG_EXTENDED | REG_NOSUB) == 0;
		FUZZ_CHECK(compiled, "the reference's regular expression does not compile");
	}
	return regexec(&re, s, 0, NULL, 0) == 0;
}

/* Returns a new normalised ID, or NULL when the reference rejects it; then
 * *why is the reason when it is one of those the reference names (Excel's
 * scientific notation and rounding, a province that does not exist), else
 * MSG__COUNT. */
static char *ref_id_why(const char *in, enum msg_id *why)
{
	char *s = ref_prepare(in);
	size_t n = strlen(s);
	char id[19];
	*why = MSG__COUNT;
	if (s[0] == '\'')	/* one apostrophe: Excel's text mark */
		memmove(s, s + 1, n--);
	if (ref_scientific(s)) {
		*why = MSG_V_ID_EXCEL_SCIENTIFIC;
		free(s);
		return NULL;
	}
	if (n == 15 && all_dig(s, 15)) {
		memcpy(id, s, 6);
		memcpy(id + 6, "19", 2);
		memcpy(id + 8, s + 6, 9);
		id[17] = ref_id_check(id);
	} else if (n == 18 && all_dig(s, 17) && (isdig(s[17]) || s[17] == 'X' || s[17] == 'x')) {
		memcpy(id, s, 18);
		if (id[17] == 'x')
			id[17] = 'X';
	} else {
		free(s);
		return NULL;
	}
	id[18] = '\0';
	free(s);
	/* 15 significant digits: the last three are zeros, the check is off */
	if (all_dig(id, 18) && memcmp(id + 15, "000", 3) == 0 && ref_id_check(id) != id[17]) {
		*why = MSG_V_ID_EXCEL_ROUNDED;
		return NULL;
	}
	/* the province-level codes, spelled out as DESIGN.md lists them */
	static const char *const provinces =
		"11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
		"50 51 52 53 54 61 62 63 64 65 71 81 82 83";
	char province[3] = {id[0], id[1], '\0'};
	if (strstr(provinces, province) == NULL) {	/* digits never match across a space */
		*why = MSG_V_ID_PROVINCE;
		return NULL;
	}
	int y = num(id + 6, 4), m = num(id + 10, 2), d = num(id + 12, 2);
	if (!ref_real_date(y, m, d))
		return NULL;
	long born = y * 10000L + m * 100 + d;
	long now = fuzz_today.y * 10000L + fuzz_today.m * 100 + fuzz_today.d;
	if (born > now || ref_id_check(id) != id[17])
		return NULL;
	return strdup(id);
}

static char *ref_id(const char *in)
{
	enum msg_id why;
	return ref_id_why(in, &why);
}

/* ---- unified social credit code ---- */

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static char *ref_uscc(const char *in)
{
	char *s = ref_prepare(in);
	int sum = 0;
	if (strlen(s) != 18)
		goto no;
	for (int i = 0; i < 18; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			s[i] = (char)(s[i] - 'a' + 'A');
		const char *p = s[i] ? strchr(uscc_alphabet, s[i]) : NULL;
		if (p == NULL)
			goto no;
		if (i < 17) {
			int w = 1;
			for (int k = 0; k < i; k++)
				w = w * 3 % 31;
			sum += (int)(p - uscc_alphabet) * w;
		}
	}
	if (s[17] != uscc_alphabet[(31 - sum % 31) % 31])
		goto no;
	return s;
no:
	free(s);
	return NULL;
}

/* ---- mobile ---- */

static char *ref_phone(const char *in)
{
	char *s = ref_prepare(in);
	size_t o = 0;
	for (size_t i = 0; s[i]; i++)
		if (s[i] != ' ' && s[i] != '-')
			s[o++] = s[i];
	s[o] = '\0';
	const char *p = s;
	if (o >= 3 && memcmp(s, "+86", 3) == 0)
		p += 3;
	else if (o >= 4 && memcmp(s, "0086", 4) == 0)
		p += 4;
	char *r = NULL;
	if (strlen(p) == 11 && all_dig(p, 11) && p[0] == '1' && p[1] >= '3' && p[1] <= '9')
		r = strdup(p);
	free(s);
	return r;
}

/* ---- dates ---- */

static char *ref_date(const char *in)
{
	char *s = ref_prepare(in);
	size_t n = strlen(s);
	int y = -1, m = -1, d = -1;
	if (n == 8 && all_dig(s, 8)) {
		y = num(s, 4), m = num(s + 4, 2), d = num(s + 6, 2);
	} else if (n >= 8 && all_dig(s, 4) && (s[4] == '-' || s[4] == '/' || s[4] == '.')) {
		/* YYYY S a S b, with a and b of one or two digits */
		const char *rest = s + 5;
		const char *sep2 = strchr(rest, s[4]);
		if (sep2) {
			size_t a = (size_t)(sep2 - rest), b = strlen(sep2 + 1);
			if (a >= 1 && a <= 2 && b >= 1 && b <= 2 && all_dig(rest, a) && all_dig(sep2 + 1, b)) {
				y = num(s, 4);
				m = num(rest, a);
				d = num(sep2 + 1, b);
			}
		}
	} else if (n >= 4 && all_dig(s, 4) && strncmp(s + 4, "年", 3) == 0) {
		/* YYYY年a月b日: the characters are matched as whole UTF-8 words */
		const char *rest = s + 7;
		const char *mon = strstr(rest, "月");
		if (mon && strlen(mon + 3) >= 4 && strcmp(mon + strlen(mon) - 3, "日") == 0) {
			size_t a = (size_t)(mon - rest), b = strlen(mon + 3) - 3;
			if (a >= 1 && a <= 2 && b >= 1 && b <= 2 && all_dig(rest, a) && all_dig(mon + 3, b)) {
				y = num(s, 4);
				m = num(rest, a);
				d = num(mon + 3, b);
			}
		}
	}
	free(s);
	if (y < 1900 || y > 2999 || !ref_real_date(y, m, d))
		return NULL;
	char iso[32];
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
	return strdup(iso);
}

/* ---- the harness ---- */

typedef int (*check_fn)(const char *in, char **out, enum msg_id *why);

static int check_id_today(const char *in, char **out, enum msg_id *why)
{
	return check_id_card(in, &fuzz_today, out, why);
}

/* Runs one validator and its reference on s; returns the validator's
 * normalised value (a new string) or NULL. */
static char *compare(const char *what, check_fn fn, char *(*ref)(const char *), const char *s)
{
	char *out = (char *)"unset";
	enum msg_id why = (enum msg_id)-1;
	int rc = fn(s, &out, &why);
	char *want = ref(s);
	FUZZ_CHECK(rc == 0 || rc == -1, "%s returned %d", what, rc);
	FUZZ_CHECK((rc == 0) == (want != NULL), "%s %s \"%s\"; the reference %s it", what,
		   rc == 0 ? "accepts" : "rejects", s, want ? "accepts" : "rejects");
	if (rc == 0) {
		FUZZ_CHECK(out != NULL && strcmp(out, want) == 0, "%s stores \"%s\", the reference \"%s\"",
			   what, out ? out : "(null)", want);
		/* the stored value is valid as it stands and stays the same */
		char *again = NULL;
		FUZZ_CHECK(fn(out, &again, &why) == 0 && strcmp(again, out) == 0,
			   "%s: the stored \"%s\" does not validate to itself", what, out);
		free(again);
	} else {
		FUZZ_CHECK(out == NULL, "%s left *out set on failure", what);
		FUZZ_CHECK((int)why >= 0, "%s gave no reason", what);
	}
	free(want);
	return rc == 0 ? out : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	char *id = compare("check_id_card", check_id_today, ref_id, s);
	if (id) {
		struct id_info info;
		FUZZ_CHECK(id_card_info(id, &info) == 0, "id_card_info refuses %s", id);
		FUZZ_CHECK(info.birth.y == num(id + 6, 4) && info.birth.m == num(id + 10, 2) &&
			   info.birth.d == num(id + 12, 2), "id_card_info: wrong birth date for %s", id);
		FUZZ_CHECK(info.male == ((id[16] - '0') % 2 == 1), "id_card_info: wrong gender for %s", id);
		int age = age_on(&info.birth, &fuzz_today);
		FUZZ_CHECK(age >= 0 && age <= fuzz_today.y, "age %d for %s", age, id);
	}
	/* the reasons the reference names are the ones given */
	enum msg_id want, why = MSG__COUNT;
	char *ref = ref_id_why(s, &want), *got = NULL;
	if (want != MSG__COUNT) {
		FUZZ_CHECK(check_id_today(s, &got, &why) == -1 && why == want,
			   "check_id_card \"%s\": reason %d, the reference's %d", s, (int)why, (int)want);
	}
	free(ref);
	char *uscc = compare("check_uscc", check_uscc, ref_uscc, s);
	char *phone = compare("check_phone", check_phone, ref_phone, s);
	char *date = compare("check_date", check_date, ref_date, s);
	if (date) {
		struct date d;
		FUZZ_CHECK(date_parse_iso(date, &d) == 0, "date_parse_iso refuses %s", date);
		FUZZ_CHECK(d.y == num(date, 4) && d.m == num(date + 5, 2) && d.d == num(date + 8, 2),
			   "date_parse_iso misreads %s", date);
		FUZZ_CHECK(date_cmp(&d, &d) == 0, "date_cmp: a date differs from itself");
	}
	/* date_parse_iso on the raw input agrees with the reference too: only
	 * an exact, real YYYY-MM-DD */
	struct date raw;
	bool iso = strlen(s) == 10 && s[4] == '-' && s[7] == '-' && all_dig(s, 4) &&
		   all_dig(s + 5, 2) && all_dig(s + 8, 2) &&
		   ref_real_date(num(s, 4), num(s + 5, 2), num(s + 8, 2));
	FUZZ_CHECK((date_parse_iso(s, &raw) == 0) == iso, "date_parse_iso on \"%s\"", s);

	free(id);
	free(uscc);
	free(phone);
	free(date);
	free(s);
	return 0;
}
