/*
 * msg.h - the one message table: every string a user sees, in Chinese and
 * English. The table itself is include/msg_table.h (an X-macro list); this
 * header turns it into an enum and declares the lookup.
 */
#ifndef TALENTREG_MSG_H
#define TALENTREG_MSG_H

#include <stdarg.h>

enum msg_id {
#define M(id, zh, en) id,
#include "msg_table.h"
#undef M
	MSG__COUNT
};

enum lang { LANG_ZH, LANG_EN };

/* Chooses the language of every later msg() call; Chinese by default. */
void msg_set_lang(enum lang l);
/* The language msg() answers in. */
enum lang msg_lang(void);
/* Returns the text of id in the current language (static storage). */
const char *msg(enum msg_id id);
/* Returns a new string: id's text used as a printf format with the
 * arguments; the caller frees it. A unit test checks that both languages'
 * texts of every message take the same conversions. */
char *msgf(enum msg_id id, ...);
char *msgv(enum msg_id id, va_list ap);

struct diags;
/* Adds "file:line: message" to d (util.h), the message being id's text
 * formatted with the arguments. */
void diags_msg(struct diags *d, const char *file, int line, enum msg_id id, ...);

#endif
