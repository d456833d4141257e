/*
 * priv.c - the installed program's group privilege, and the rules that keep
 * it to its one use.
 *
 * `make install` installs talentreg setgid to a group (talentreg) that owns
 * the data folder (mode 2770) and the database (0660). The people who use
 * the program are not in that group: the program is their only way to the
 * data, so every action passes the roles and is recorded under their real
 * login. The privilege must therefore never do anything a role could not.
 * The rules (the pattern of mlocate: open, then drop):
 *
 *  1. At start, priv_init() sets the group aside: the effective group
 *     becomes the caller's own and the group stays only as the saved
 *     set-group-ID. main.c then ignores --db, --config and the environment
 *     overrides: the caller picks neither the configuration nor the file.
 *  2. priv_open_begin() takes the group back for store_open() alone, which
 *     opens the database and, in WAL mode, its -wal and -shm (the first
 *     read opens both); priv_drop() then gives the group up for good,
 *     setresgid(real, real, real), and checks that no copy of it is left.
 *     The open descriptors keep working; nothing else runs with the group.
 *  3. So every path a user names (imports, exports, backups, bundles,
 *     rejects files, the temporary files of libxlsxwriter and SQLite) is
 *     opened with the caller's own rights, after the drop; their openers
 *     ask priv_user_path_ok() first, which refuses while the group is held.
 *     Nothing is created, renamed or unlinked with the group but the
 *     database's own files. (outfile.c also refuses any output into the
 *     data folder, whatever the privilege.)
 *  4. The -wal and -shm are persistent (store_schema.c sets
 *     SQLITE_FCNTL_PERSIST_WAL) and made by whoever creates the database:
 *     no session unlinks them and no caller creates them, so no file in
 *     the data folder is ever owned by a caller. When they are missing (a
 *     database from before this rule) only root or the folder's owner may
 *     open it, which makes them.
 *  5. Only root or the owner of the data folder creates the database of an
 *     installed program (priv_may_create()); the first-admin rule of the
 *     unprivileged demo (`make run`) stays for the demo.
 *  6. The kernel marks the process non-dumpable whenever its effective
 *     group changes, so the caller cannot ptrace it or read its open
 *     descriptors in /proc after the drop either.
 */
#define _GNU_SOURCE	/* getresgid, setresgid */
#include "priv.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "util.h"

static bool installed;	/* ran setgid */
static bool dropped;	/* the group is gone for good */

bool priv_init(void)
{
	gid_t r, e, s;
	if (getresgid(&r, &e, &s) != 0) {
		fputs("talentreg: getresgid failed\n", stderr);
		exit(4);
	}
	installed = e != r || s != r;
	if (installed && setresgid((gid_t)-1, r, (gid_t)-1) != 0) {
		fprintf(stderr, "talentreg: setresgid: %s\n", strerror(errno));
		exit(4);
	}
	return installed;
}

bool priv_installed(void)
{
	return installed;
}

bool priv_held(void)
{
	return installed && !dropped;
}

/* The owner of the folder that holds path, or (uid_t)-1. */
static uid_t folder_owner(const char *path)
{
	char *copy = xstrdup(path);
	struct stat sb;
	uid_t u = stat(dirname(copy), &sb) == 0 ? sb.st_uid : (uid_t)-1;
	free(copy);
	return u;
}

bool priv_may_create(const char *db_path)
{
	if (!installed)
		return true;
	uid_t me = getuid();
	return me == 0 || me == folder_owner(db_path);
}

/* True when path exists as a regular file (not a link). */
static bool regular(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

int priv_open_begin(const char *db_path, char **cause)
{
	if (!installed || dropped)
		return 0;
	gid_t r, e, s;
	if (getresgid(&r, &e, &s) != 0 || setresgid((gid_t)-1, s, (gid_t)-1) != 0) {
		*cause = msgf(MSG_PRIV_FAILED, strerror(errno));
		return -1;
	}
	/* rule 4: a caller never makes the -wal or -shm; they come with the
	 * database, from root or the folder's owner */
	if (!priv_may_create(db_path) && regular(db_path)) {
		char *wal = xasprintf("%s-wal", db_path), *shm = xasprintf("%s-shm", db_path);
		bool whole = regular(wal) && regular(shm);
		free(wal);
		free(shm);
		if (!whole) {
			*cause = msgf(MSG_PRIV_DB_INCOMPLETE, db_path);
			return -1;
		}
	}
	return 0;
}

int priv_drop(char **cause)
{
	if (!installed || dropped)
		return 0;
	gid_t g = getgid(), r, e, s;
	if (setresgid(g, g, g) != 0 || getresgid(&r, &e, &s) != 0 || r != g || e != g ||
	    s != g) {
		*cause = msgf(MSG_PRIV_FAILED, strerror(errno ? errno : EPERM));
		return -1;
	}
	dropped = true;
	return 0;
}

int priv_user_path_ok(char **cause)
{
	if (!priv_held())
		return 0;
	*cause = msgf(MSG_PRIV_FAILED, "group privilege still held");
	return -1;
}
