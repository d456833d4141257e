/*
 * userfile.h - the files a user names on the command line: an import's CSV
 * and a site's bundle (read), and import's rejects file, exports, backups
 * and bundles (written). A path a user names is a path an attacker chose:
 * each is opened only after the installed program has given up its group
 * (priv.h), with the caller's own rights; an input is bounded in size
 * before it is read; an output is refused when its folder is the
 * database's folder (or inside it), and is written through descriptors of
 * its folder, opened and checked once: a new 0600 temp file in that
 * folder, fsync, rename, fsync of the folder. The functions print their
 * failure and return an exit status of app.h (EXIT_DONE on success).
 */
#ifndef TALENTREG_USERFILE_H
#define TALENTREG_USERFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct app;

/* Reads the whole file at path into *data (NUL-terminated, the caller
 * frees it) and its length into *len. Refuses a folder or a device, and a
 * file over the configured size limit ([limits] max_input_mb) before
 * reading more than that: EXIT_USAGE; a file that cannot be read is
 * EXIT_USAGE too (the user named it), a privilege problem EXIT_BROKEN. */
int infile_read(struct app *app, const char *path, char **data, size_t *len);

/* A file being written. All fields are the outfile's until commit/abort. */
struct outfile {
	const char *path;	/* the target as named; borrowed, must outlive o */
	int dirfd;		/* its folder, opened once */
	char *base;		/* the target's name in that folder */
	char *tmp;		/* stream: the temp file's name in that folder */
	char *priv;		/* by name: a private (0700) folder in that folder */
	char *name;		/* by name: the path a library writes (in priv) */
	FILE *f;		/* stream: writes go here */
};

/* Opens o for path, refusing (EXIT_USAGE) a path whose folder is app's data
 * folder or below it. With stream, o->f writes to a new temp file; else a
 * library writes the file at o->name (in a new private folder beside the
 * target, which also takes its temporary files). Every success ends in
 * exactly one outfile_commit() or outfile_abort(). */
int outfile_open(struct app *app, struct outfile *o, const char *path, bool stream);
/* Removes what o made; the target is left as it was. */
void outfile_abort(struct outfile *o);
/* Syncs the file (closing o->f) and renames it over the target, then syncs
 * the folder; EXIT_BROKEN when it cannot. Either way o is freed and no temp
 * file or private folder is left. */
int outfile_commit(struct outfile *o);
/* Removes the file at path, when there is one, with the same checks as
 * outfile_open() (a stale rejects file). */
int outfile_remove(struct app *app, const char *path);

#endif
