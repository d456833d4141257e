/*
 * userfile.c - the files a user names (see userfile.h): bounded reads, and
 * atomic 0600 writes through a descriptor of the target's folder, never
 * into the database's folder. Everything here runs with the caller's own
 * rights: priv_user_path_ok() is asked before any path is opened.
 */
#define _GNU_SOURCE	/* O_PATH */
#include "userfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "priv.h"

/* Prints why the group is still held; EXIT_BROKEN. */
static int not_dropped(void)
{
	char *cause = NULL;
	priv_user_path_ok(&cause);
	fprintf(stderr, "talentreg: %s\n", cause ? cause : msg(MSG_ERROR));
	free(cause);
	return EXIT_BROKEN;
}

int infile_read(struct app *app, const char *path, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	if (priv_held())
		return not_dropped();
	size_t limit = (size_t)app->cfg->max_input_mb << 20;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		cli_err(MSG_XFER_CANNOT_READ, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_USAGE;
	}
	int rc = EXIT_DONE;
	if (!S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode)) {	/* a folder, /dev/zero */
		cli_err(MSG_IN_NOT_FILE, path);
		rc = EXIT_USAGE;
	} else if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > limit) {
		cli_err(MSG_IN_TOO_LARGE, path, app->cfg->max_input_mb);
		rc = EXIT_USAGE;
	}
	struct buf b = {0};
	while (rc == EXIT_DONE) {
		char chunk[65536];
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cli_err(MSG_XFER_CANNOT_READ, path, strerror(errno));
			rc = EXIT_USAGE;
		} else if (n == 0) {
			break;
		} else if (b.len + (size_t)n > limit) {	/* it grew, or a pipe */
			cli_err(MSG_IN_TOO_LARGE, path, app->cfg->max_input_mb);
			rc = EXIT_USAGE;
		} else {
			buf_add(&b, chunk, (size_t)n);
		}
	}
	close(fd);
	if (rc != EXIT_DONE) {
		buf_free(&b);
		return rc;
	}
	*len = b.len;
	*data = buf_take(&b);
	return EXIT_DONE;
}

/* True when the folder fd is app's data folder or lies below it: walks up
 * by "..", comparing each folder with the data folder's identity. */
static bool in_data_dir(const struct app *app, int fd)
{
	if (!app->data_dir_known)
		return false;
	int cur = dup(fd);
	bool inside = false;
	for (int depth = 0; cur >= 0 && depth < 256; depth++) {
		struct stat sb;
		if (fstat(cur, &sb) != 0)
			break;
		if (sb.st_dev == app->data_dev && sb.st_ino == app->data_ino) {
			inside = true;
			break;
		}
		int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		struct stat ub;
		bool top = up < 0 || fstat(up, &ub) != 0 ||
			   (ub.st_dev == sb.st_dev && ub.st_ino == sb.st_ino);
		close(cur);
		cur = up;
		if (top)
			break;
	}
	if (cur >= 0)
		close(cur);
	return inside;
}

/* Opens the folder of path once and checks it; sets o->dirfd and o->base.
 * Prints why it cannot unless quiet. */
static int open_dir(struct app *app, struct outfile *o, const char *path, bool quiet)
{
	size_t n = strlen(path);
	char *copy = xstrdup(path), *copy2 = xstrdup(path);
	char *base = basename(copy2);
	const char *dir = dirname(copy);
	int rc = EXIT_DONE;
	enum msg_id why = MSG_XFER_CANNOT_WRITE;
	int e = 0;
	if (n == 0 || path[n - 1] == '/' || str_eq(base, ".") || str_eq(base, "..")) {
		e = EISDIR;
		rc = EXIT_USAGE;
	} else {
		o->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (o->dirfd < 0 && errno == EACCES)
			o->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		e = errno;
		struct stat sb;
		if (o->dirfd >= 0 ? in_data_dir(app, o->dirfd)
				  /* the data folder itself is closed to the caller: say that */
				  : app->data_dir_known && stat(dir, &sb) == 0 &&
					    sb.st_dev == app->data_dev && sb.st_ino == app->data_ino) {
			why = MSG_OUT_IN_DATA_DIR;
			rc = EXIT_USAGE;
		} else if (o->dirfd < 0) {
			rc = EXIT_BROKEN;
		}
	}
	if (rc != EXIT_DONE && !quiet) {
		if (why == MSG_OUT_IN_DATA_DIR)
			cli_err(why, path);
		else
			cli_err(why, path, strerror(e));
	}
	if (rc == EXIT_DONE)
		o->base = xstrdup(base);
	else if (o->dirfd >= 0) {
		close(o->dirfd);
		o->dirfd = -1;
	}
	free(copy);
	free(copy2);
	return rc;
}

/* A fresh name ".talentreg-XXXXXXXXXXXX" for a temp file or folder. */
static char *temp_name(void)
{
	unsigned char r[6];
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		memset(r, 0, sizeof r);
	static unsigned serial;
	return xasprintf(".talentreg-%02x%02x%02x%02x%02x%02x-%ld-%u", r[0], r[1], r[2], r[3],
			 r[4], r[5], (long)getpid(), serial++);
}

int outfile_open(struct app *app, struct outfile *o, const char *path, bool stream)
{
	memset(o, 0, sizeof *o);
	o->path = path;
	o->dirfd = -1;
	if (priv_held())
		return not_dropped();
	int rc = open_dir(app, o, path, false);
	if (rc != EXIT_DONE)
		return rc;
	for (int tries = 0; tries < 100; tries++) {
		char *name = temp_name();
		int e = 0;
		if (stream) {
			int fd = openat(o->dirfd, name,
					O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
			if (fd >= 0 && fchmod(fd, 0600) == 0 && (o->f = fdopen(fd, "w")) != NULL) {
				o->tmp = name;
				return EXIT_DONE;
			}
			e = errno;
			if (fd >= 0) {
				close(fd);
				unlinkat(o->dirfd, name, 0);
			}
		} else if (mkdirat(o->dirfd, name, 0700) == 0) {
			o->priv = name;
			char *copy = xstrdup(path);
			o->name = xasprintf("%s/%s/%s", dirname(copy), name, o->base);
			free(copy);
			return EXIT_DONE;
		} else {
			e = errno;
		}
		free(name);
		if (e != EEXIST) {
			cli_err(MSG_XFER_CANNOT_WRITE, path, strerror(e));
			outfile_abort(o);
			return EXIT_BROKEN;
		}
	}
	cli_err(MSG_XFER_CANNOT_WRITE, path, strerror(EEXIST));
	outfile_abort(o);
	return EXIT_BROKEN;
}

/* Empties and removes the private folder (what a library left in it). */
static void remove_priv(struct outfile *o)
{
	int fd = openat(o->dirfd, o->priv, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL)
			if (!str_eq(e->d_name, ".") && !str_eq(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	unlinkat(o->dirfd, o->priv, AT_REMOVEDIR);
}

void outfile_abort(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	if (o->tmp && o->dirfd >= 0)
		unlinkat(o->dirfd, o->tmp, 0);
	if (o->priv && o->dirfd >= 0)
		remove_priv(o);
	if (o->dirfd >= 0)
		close(o->dirfd);
	free(o->tmp);
	free(o->priv);
	free(o->name);
	free(o->base);
	memset(o, 0, sizeof *o);
	o->dirfd = -1;
}

/* Syncs and moves the file a library wrote at o->name into place. */
static bool commit_by_name(struct outfile *o)
{
	int pfd = openat(o->dirfd, o->priv, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return false;
	int fd = openat(pfd, o->base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat sb;
	bool ok = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && fchmod(fd, 0600) == 0 &&
		  fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	ok = ok && renameat(pfd, o->base, o->dirfd, o->base) == 0;
	close(pfd);
	return ok;
}

int outfile_commit(struct outfile *o)
{
	bool ok;
	if (o->f) {
		ok = fflush(o->f) == 0 && !ferror(o->f) && fsync(fileno(o->f)) == 0;
		ok = fclose(o->f) == 0 && ok;
		o->f = NULL;
		ok = ok && renameat(o->dirfd, o->tmp, o->dirfd, o->base) == 0;
	} else {
		ok = commit_by_name(o);
	}
	if (!ok) {
		cli_err(MSG_XFER_CANNOT_WRITE, o->path, strerror(errno));
		outfile_abort(o);
		return EXIT_BROKEN;
	}
	free(o->tmp);
	o->tmp = NULL;	/* renamed: nothing to remove */
	fsync(o->dirfd);	/* the rename itself; best effort */
	outfile_abort(o);	/* the private folder, now empty, and the rest */
	return EXIT_DONE;
}

int outfile_remove(struct app *app, const char *path)
{
	struct outfile o = {.dirfd = -1};
	if (priv_held())
		return not_dropped();
	/* a folder that may not be written holds nothing to remove either */
	int rc = EXIT_DONE;
	if (open_dir(app, &o, path, true) == EXIT_DONE && unlinkat(o.dirfd, o.base, 0) != 0 &&
	    errno != ENOENT) {
		cli_err(MSG_XFER_CANNOT_WRITE, path, strerror(errno));
		rc = EXIT_BROKEN;
	}
	outfile_abort(&o);
	return rc;
}
