/*
 * config_tasks.c - tasks.ini: the plan's tasks as a ledger (工作台账).
 * [task.N] is one of the plan's 重点任务 (its title, and the unit, person
 * and deadline its items take when they name none); [item.N.M] is one of
 * its demands: the plan's words, who answers for it and by when, and what
 * it counts: things of its own (measure and target: 3 个 stations), or a
 * line of the report (counts: total, team.KEY or a target's key). Every
 * problem as file:line: message, like every other file of the folder.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config_int.h"

/* Reads "N" (1..999) into *n; false when s is not such a number. */
static bool small_number(const char *s, int *n)
{
	long v;
	if (str_to_long(s, &v) < 0 || v < 1 || v > 999 || strspn(s, "0123456789") != strlen(s))
		return false;
	*n = (int)v;
	return true;
}

/* Returns the deadline of sec as an ISO date (a new string), NULL when it
 * has none or a malformed one (reported). */
static char *deadline(struct ini *ini, const char *sec, struct diags *d)
{
	const char *v = ini_get(ini, sec, "deadline");
	if (str_empty(v))
		return NULL;
	char *iso = NULL;
	enum msg_id why;
	if (check_date(v, &iso, &why) < 0)
		diags_msg(d, ini_path(ini), ini_key_line(ini, sec, "deadline"), MSG_CONFIG_BAD_DEADLINE,
			  v, msg(why));
	return iso;
}

static char *opt_dup(struct ini *ini, const char *sec, const char *key)
{
	const char *v = ini_get(ini, sec, key);
	return str_empty(v) ? NULL : xstrdup(v);
}

static void load_task(struct config *c, struct ini *ini, const char *sec, struct diags *d)
{
	int no;
	if (!small_number(sec + 5, &no)) {
		diags_msg(d, ini_path(ini), ini_section_line(ini, sec), MSG_CONFIG_TASK_NO, sec);
		return;
	}
	const char *title = cfg_need(ini, sec, "title", d);
	c->tasks = xrealloc(c->tasks, (c->ntasks + 1) * sizeof *c->tasks);
	c->tasks[c->ntasks++] = (struct task){no, xstrdup(title ? title : sec),
					      opt_dup(ini, sec, "unit"), opt_dup(ini, sec, "owner"),
					      deadline(ini, sec, d)};
}

/* True when counts names a line of the report an item may follow. */
static bool counts_known(const struct config *c, const char *counts)
{
	return str_eq(counts, "total") ||
	       (strncmp(counts, "team.", 5) == 0 && config_team(c, counts + 5)) ||
	       config_target(c, counts);
}

static void load_item(struct config *c, struct ini *ini, const char *sec, struct diags *d)
{
	const char *id = sec + 5, *dot = strchr(id, '.');
	int task = 0, no = 0;
	char *head = dot ? xstrndup(id, (size_t)(dot - id)) : NULL;
	bool ok = dot && small_number(head, &task) && small_number(dot + 1, &no);
	free(head);
	int line = ini_section_line(ini, sec);
	if (!ok) {
		diags_msg(d, ini_path(ini), line, MSG_CONFIG_ITEM_ID, sec);
		return;
	}
	const struct task *t = config_task(c, task);
	if (t == NULL) {
		diags_msg(d, ini_path(ini), line, MSG_CONFIG_ITEM_TASK, id, task);
		return;
	}
	const char *text = cfg_need(ini, sec, "text", d);
	c->items = xrealloc(c->items, (c->nitems + 1) * sizeof *c->items);
	struct item *it = &c->items[c->nitems++];
	memset(it, 0, sizeof *it);
	it->id = xasprintf("%d.%d", task, no);
	it->task = task;
	it->no = no;
	it->line = line;
	it->text = xstrdup(text ? text : "");
	it->unit = opt_dup(ini, sec, "unit");
	it->owner = opt_dup(ini, sec, "owner");
	it->deadline = deadline(ini, sec, d);
	if (it->unit == NULL)
		it->unit = xstrdup(t->unit);
	if (it->owner == NULL)
		it->owner = xstrdup(t->owner);
	if (it->deadline == NULL && ini_get(ini, sec, "deadline") == NULL)
		it->deadline = xstrdup(t->deadline);
	it->measure = opt_dup(ini, sec, "measure");
	it->target = cfg_number(ini, sec, "target", d);
	it->counts = opt_dup(ini, sec, "counts");
	if (it->counts && ini_get(ini, sec, "target"))
		diags_msg(d, ini_path(ini), ini_key_line(ini, sec, "target"), MSG_CONFIG_ITEM_BOTH);
	else if (it->counts && !counts_known(c, it->counts))
		diags_msg(d, ini_path(ini), ini_key_line(ini, sec, "counts"), MSG_CONFIG_COUNTS,
			  it->counts);
	else if (it->target > 0 && it->measure == NULL)
		diags_msg(d, ini_path(ini), ini_key_line(ini, sec, "target"), MSG_CONFIG_MEASURE);
	for (size_t i = 0; i + 1 < c->nitems; i++)
		if (str_eq(c->items[i].id, it->id))
			diags_msg(d, ini_path(ini), line, MSG_CONFIG_ITEM_TWICE, it->id,
				  c->items[i].line);
}

void cfg_load_tasks(struct config *c, struct diags *d)
{
	struct ini *ini = cfg_open_checked(c->dir, "tasks.ini", d);
	if (ini == NULL)
		return;
	/* the tasks first, so that an item may come before its task */
	for (size_t i = 0; i < ini_nsections(ini); i++)
		if (strncmp(ini_section(ini, i), "task.", 5) == 0)
			load_task(c, ini, ini_section(ini, i), d);
	for (size_t i = 0; i < ini_nsections(ini); i++)
		if (strncmp(ini_section(ini, i), "item.", 5) == 0)
			load_item(c, ini, ini_section(ini, i), d);
	ini_close(ini);
}

void cfg_free_tasks(struct config *c)
{
	for (size_t i = 0; i < c->ntasks; i++) {
		free(c->tasks[i].title);
		free(c->tasks[i].unit);
		free(c->tasks[i].owner);
		free(c->tasks[i].deadline);
	}
	for (size_t i = 0; i < c->nitems; i++) {
		struct item *it = &c->items[i];
		free(it->id);
		free(it->text);
		free(it->unit);
		free(it->owner);
		free(it->deadline);
		free(it->measure);
		free(it->counts);
	}
	free(c->tasks);
	free(c->items);
}

const struct task *config_task(const struct config *c, int no)
{
	for (size_t i = 0; i < c->ntasks; i++)
		if (c->tasks[i].no == no)
			return &c->tasks[i];
	return NULL;
}

const struct item *config_item(const struct config *c, const char *id)
{
	for (size_t i = 0; i < c->nitems; i++)
		if (str_eq(c->items[i].id, id))
			return &c->items[i];
	return NULL;
}
