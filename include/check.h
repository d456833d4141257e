/*
 * check.h - the validators of single values, one per field type that has a
 * format of its own: resident ID (GB 11643), unified social credit code
 * (GB 32100), mainland mobile number and dates. Each takes what a person
 * typed, normalises it, and either returns the normalised value or says why
 * it is wrong. Plain C, no I/O: unit-tested against testdata/validators.tsv.
 */
#ifndef TALENTREG_CHECK_H
#define TALENTREG_CHECK_H

#include <stdbool.h>

#include "msg.h"

/* A calendar date. */
struct date {
	int y, m, d;
};

/* What a valid resident ID number tells. */
struct id_info {
	struct date birth;
	bool male;	/* the 17th digit is odd */
};

/*
 * Each check_* function: on success returns 0 and stores a new normalised
 * string in *out (the caller frees it); on failure returns -1, leaves *out
 * NULL and stores the reason in *why. Input may hold full-width digits and
 * letters and surrounding spaces; they are folded and trimmed first.
 */

/* Resident ID: 18 characters with the ISO 7064 MOD 11-2 check character
 * (lower-case x becomes X), or a 15-digit legacy number, which is upgraded by
 * inserting "19" and computing the check. The first two digits must be a
 * province-level code (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71,
 * 81-83); the birth date must be real and not after `today`. One leading
 * apostrophe (Excel's mark of a text cell) is dropped; a number that Excel
 * wrote in scientific notation (6.20302E+17), or rounded to 15 digits
 * (620302199001011000 with a wrong check character), is named as such. */
int check_id_card(const char *in, const struct date *today, char **out, enum msg_id *why);
/* Unified social credit code: 18 characters of 0-9 and A-Z without I O S V Z,
 * check by GB 32100; lower case is normalised to upper. */
int check_uscc(const char *in, char **out, enum msg_id *why);
/* Mainland mobile: spaces, hyphens and a +86 or 0086 prefix are stripped;
 * then 1[3-9] and nine more digits. */
int check_phone(const char *in, char **out, enum msg_id *why);
/* Date: 2024-03-05, 20240305, 2024/3/5, 2024.3.5 and 2024年3月5日 accepted,
 * month and day with or without a leading zero; stored as ISO 8601
 * "YYYY-MM-DD". Years 1900 to 2999. */
int check_date(const char *in, char **out, enum msg_id *why);

/* Returns the GB 11643 check character (0-9 or X) of the 17 digits at id. */
char id_check_char(const char *id);
/* Returns the GB 32100 check character of the 17 characters at code (of
 * 0-9 and A-Z without I O S V Z). */
char uscc_check_char(const char *code);
/* Reads a normalised (valid) 18-character ID into *info; returns 0, or -1
 * when id is not a valid normalised ID. */
int id_card_info(const char *id, struct id_info *info);
/* Parses an ISO "YYYY-MM-DD" date; returns 0, or -1 when it is not real. */
int date_parse_iso(const char *s, struct date *out);
/* Returns <0, 0, >0 as a is before, equal to, after b. */
int date_cmp(const struct date *a, const struct date *b);
/* Returns the age in whole years on `on` of someone born on `birth`. */
int age_on(const struct date *birth, const struct date *on);
/* Returns true when y-m-d is a real Gregorian date. */
bool date_valid(int y, int m, int d);

#endif
