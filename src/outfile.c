/*
 * outfile.c - files written atomically, mode 0600 (see outfile.h): a new
 * temp file beside the target, fsync, rename, then an fsync of the folder
 * so the rename itself survives a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "outfile.h"

/* Creates a new empty temp file beside path (O_EXCL, mode 0600 whatever the
 * umask); with stream, o->f writes to it. Prints the failure. */
int outfile_open(struct outfile *o, const char *path, bool stream)
{
	static unsigned serial;
	memset(o, 0, sizeof *o);
	o->path = path;
	for (;;) {
		o->tmp = xasprintf("%s.tmp-%ld-%u", path, (long)getpid(), serial++);
		int fd = open(o->tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
		if (fd >= 0 && fchmod(fd, 0600) == 0) {
			if (!stream) {
				close(fd);
				return EXIT_DONE;
			}
			if ((o->f = fdopen(fd, "w")) != NULL)
				return EXIT_DONE;
		}
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		if (e != EEXIST) {
			app_err(MSG_XFER_CANNOT_WRITE, path, strerror(e));
			return EXIT_BROKEN;
		}
	}
}

void outfile_abort(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}

/* Flushes and syncs the temp file, renames it over the target and syncs
 * the folder. Prints the failure (and removes the temp file). */
int outfile_commit(struct outfile *o)
{
	int ok = 1;
	if (o->f) {
		ok = fflush(o->f) == 0 && !ferror(o->f) && fsync(fileno(o->f)) == 0;
		ok = fclose(o->f) == 0 && ok;
		o->f = NULL;
	} else {
		int fd = open(o->tmp, O_RDONLY | O_CLOEXEC);
		ok = fd >= 0 && fsync(fd) == 0;
		if (fd >= 0)
			close(fd);
	}
	ok = ok && rename(o->tmp, o->path) == 0;
	if (!ok) {
		app_err(MSG_XFER_CANNOT_WRITE, o->path, strerror(errno));
		outfile_abort(o);
		return EXIT_BROKEN;
	}
	char *copy = xstrdup(o->path);
	int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(copy);
	free(o->tmp);
	memset(o, 0, sizeof *o);
	return EXIT_DONE;
}

/* Returns true when paths a and b name the same existing file. */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* Refuses an output path that is the live database (a rename over it would
 * lose every write since). */
int outfile_check(struct app *app, const char *path)
{
	if (same_file(path, app->db_path))
		return app_usage(MSG_BACKUP_SAME_FILE, path);
	return EXIT_DONE;
}
