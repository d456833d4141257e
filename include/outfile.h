/*
 * outfile.h - files written atomically, mode 0600: import's rejects file,
 * export and backup. Each goes to a new temp file beside its target, made
 * 0600 whatever the umask, and is renamed into place after an fsync, so a
 * reader never sees half a file and nobody else can read the personal data
 * in it. The functions print their failure and return an exit status of
 * app.h (EXIT_DONE on success).
 */
#ifndef TALENTREG_OUTFILE_H
#define TALENTREG_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct app;

/* A file being written: the target, its temp file and, when streamed, a
 * stream on it; tmp and f are the outfile's until commit or abort. */
struct outfile {
	const char *path;	/* the target; borrowed, must outlive the outfile */
	char *tmp;
	FILE *f;		/* NULL when the temp file is written by name (xlsx, backup) */
};

/* Creates o's temp file beside path; with stream, o->f writes to it, else
 * the caller writes o->tmp by name. Every success ends in exactly one
 * outfile_commit() or outfile_abort(). */
int outfile_open(struct outfile *o, const char *path, bool stream);
/* Removes the temp file and frees o; the target is left as it was. */
void outfile_abort(struct outfile *o);
/* Syncs the temp file (closing o->f) and renames it over the target,
 * EXIT_BROKEN when it cannot; either way frees o and leaves no temp file. */
int outfile_commit(struct outfile *o);
/* Refuses (EXIT_USAGE, printed) an output path that is app's live
 * database; else EXIT_DONE. */
int outfile_check(struct app *app, const char *path);

#endif
