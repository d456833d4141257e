/*
 * msg.c - looks up the message table in the chosen language.
 */
#include "msg.h"

#include "util.h"

static const char *const table[MSG__COUNT][2] = {
#define M(id, zh, en) [id] = {zh, en},
#include "msg_table.h"
#undef M
};

static enum lang current = LANG_ZH;

void msg_set_lang(enum lang l)
{
	current = l;
}

enum lang msg_lang(void)
{
	return current;
}

const char *msg(enum msg_id id)
{
	if ((unsigned)id >= MSG__COUNT)
		return "?";
	return table[id][current];
}

/* The only place a message is used as a format: the formats come from the
 * table above, never from data. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
char *msgv(enum msg_id id, va_list ap)
{
	return xvasprintf(msg(id), ap);
}
#pragma GCC diagnostic pop

char *msgf(enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	char *s = msgv(id, ap);
	va_end(ap);
	return s;
}
