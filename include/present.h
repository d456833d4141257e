/*
 * present.h - how stored values are shown to people: masked for the role
 * (ID numbers, phones, the birth date beside a masked ID), and made
 * readable (a multi-choice value's items joined by 、). No terminal, no
 * printing: the commands, the screens and history.c all show values
 * through it, so one rule serves every place.
 */
#ifndef TALENTREG_PRESENT_H
#define TALENTREG_PRESENT_H

#include <stdbool.h>

#include "form.h"

/* Returns a new copy of value masked as officers see it (ID 6203****1234,
 * phone 138****5678, other pii text kept at its first character). */
char *mask_value(const struct field *f, const char *value);
/* A new copy of value v of field key of form f as it is shown: masked by
 * mask_value() when masked and the field is personal; "" for NULL. */
char *shown_value(const struct form *f, const char *key, const char *v, bool masked);
/* The same for people to read: a multi-choice value's items joined by 、
 * instead of the stored | (present_items). */
char *display_value(const struct form *f, const char *key, const char *v, bool masked);
/* Returns a new copy of a stored multi-choice value a|b|c as people read
 * it, 「a、b、c」. */
char *present_items(const char *stored);
/* Returns the strings of v joined by 、, as a list is written (new). */
char *present_list(const struct strv *v);

#endif
