/*
 * msg.c - looks up the message table in the chosen language, and formats
 * its messages (into a new string, or as a diagnostic of util.h). It calls
 * util.c; util.c knows nothing of messages.
 */
#include "msg.h"

#include <stdlib.h>

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

void diags_msg(struct diags *d, const char *file, int line, enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	char *m = msgv(id, ap);
	va_end(ap);
	diags_at(d, file, line, "%s", m);
	free(m);
}

char *msgf(enum msg_id id, ...)
{
	va_list ap;
	va_start(ap, id);
	char *s = msgv(id, ap);
	va_end(ap);
	return s;
}
