/*
 * cmd_sync.c - placeholder until the commands land: each says it is not available yet.
 */
#include "app.h"

int cmd_sync(struct app *app, int argc, char **argv)
{
	(void)app;
	(void)argc;
	return app_usage(MSG_NOT_YET, argv[0]);
}

