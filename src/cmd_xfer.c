/*
 * cmd_xfer.c - placeholder until the commands land: each says it is not available yet.
 */
#include "app.h"

int cmd_import(struct app *app, int argc, char **argv)
{
	(void)app;
	(void)argc;
	return app_usage(MSG_NOT_YET, argv[0]);
}

int cmd_export(struct app *app, int argc, char **argv)
{
	(void)app;
	(void)argc;
	return app_usage(MSG_NOT_YET, argv[0]);
}

int cmd_backup(struct app *app, int argc, char **argv)
{
	(void)app;
	(void)argc;
	return app_usage(MSG_NOT_YET, argv[0]);
}

