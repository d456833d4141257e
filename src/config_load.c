/*
 * config_load.c - loads the whole configuration folder, each file after
 * what it names: talentreg.ini, areas.ini and users.ini (config.c), then
 * targets.ini (config_targets.c), sites.ini and the division codes, the
 * forms and event types, the targets checked against them, and tasks.ini
 * (config_tasks.c) last; and frees it all.
 */
#include "config.h"

#include <stdlib.h>

#include "config_int.h"

static bool team_known(const char *team, void *arg)
{
	return config_team(arg, team) != NULL;
}

int config_load(const char *dir, struct config **out, struct diags *d)
{
	size_t before = d->lines.n;
	struct config *c = xcalloc(1, sizeof *c);
	*out = c;
	c->dir = xstrdup(dir);
	cfg_load_main(c, d);
	cfg_load_areas(c, d);
	cfg_load_users(c, d);
	cfg_load_targets(c, d);
	cfg_load_sites(c, d);
	cfg_load_regions(c, d);
	if (c->forms_dir)
		formset_load(c->forms_dir, team_known, c, &c->forms, d);
	if (c->events_dir) {	/* after the forms: an event type names a category */
		eventset_load(c->events_dir, &c->events, d);
		cfg_check_event_types(c, d);
	}
	if (c->forms_dir)	/* targets name categories and event types */
		cfg_check_targets(c, d);
	cfg_load_tasks(c, d);	/* after targets, which its items follow */
	return d->lines.n == before ? 0 : -1;
}

void config_free(struct config *c)
{
	if (c == NULL)
		return;
	cfg_free_targets(c);
	cfg_free_tasks(c);
	cfg_free_base(c);
	free(c);
}
