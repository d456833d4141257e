/*
 * testutil.h - what the unit tests share: cmocka's headers in the order it
 * needs, where the test vectors are, temporary folders and a copy of the
 * shipped configuration to load or edit.
 */
#ifndef TALENTREG_TESTUTIL_H
#define TALENTREG_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <stdio.h>

#include "util.h"

/* The folder of the test vectors: $TALENTREG_TESTDATA, else the
 * repository's own tests/data (tests run from the top folder). */
static inline const char *testdata_dir(void)
{
	const char *d = getenv("TALENTREG_TESTDATA");
	return d && *d ? d : "tests/data";
}

/* Makes a new empty folder /tmp/talentreg-TAG-XXXXXX and returns its path;
 * tmpdir_remove removes and frees it. */
static inline char *tmpdir_new(const char *tag)
{
	char *dir = xasprintf("/tmp/talentreg-%s-XXXXXX", tag);
	if (mkdtemp(dir) == NULL)
		fail_msg("cannot make %s", dir);
	return dir;
}

/* Removes dir and everything in it, and frees dir; returns 0, or -1. */
static inline int tmpdir_remove(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	free(dir);
	return rc == 0 ? 0 : -1;
}

/* Writes text to dir/name, replacing the file. */
static inline void file_put(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f == NULL)
		fail_msg("cannot write %s", path);
	fputs(text, f);
	if (fclose(f) != 0)
		fail_msg("cannot write %s", path);
	free(path);
}

/* Copies the repository's config/ and forms/ into dir, as dir/config and
 * dir/forms (so that talentreg.ini's "forms = ../forms" still holds);
 * returns the new configuration folder (the caller frees it). */
static inline char *config_copy_to(const char *dir)
{
	char *cmd = xasprintf("cp -r config forms '%s/'", dir);
	if (system(cmd) != 0)
		fail_msg("cannot copy config/ and forms/ into %s", dir);
	free(cmd);
	return xasprintf("%s/config", dir);
}

#endif
