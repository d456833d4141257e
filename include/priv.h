/*
 * priv.h - the installed program's group privilege (src/priv.c states the
 * rules in its head comment). One use only: opening the database, its -wal
 * and its -shm; then it is given up for good.
 */
#ifndef TALENTREG_PRIV_H
#define TALENTREG_PRIV_H

#include <stdbool.h>
#include <sys/types.h>

/* Called first in main(): when the program runs setgid, puts the group
 * aside (the effective group becomes the caller's own) until
 * priv_open_begin(). Returns true when it runs setgid (installed). Dies
 * (exit 4) when the group cannot be set aside. */
bool priv_init(void);
/* True when the program runs setgid (priv_init() found a group to hold). */
bool priv_installed(void);
/* True while the group is still held or only set aside: a path the user
 * names must not be opened then (priv_user_path_ok() says no). */
bool priv_held(void);

/* Takes the group back to open the database at db_path (installed only;
 * a no-op otherwise). Returns 0, or -1 with *cause set (a new string). */
int priv_open_begin(const char *db_path, char **cause);
/* Gives the group up for good once the database is open: real, effective
 * and saved group all become the caller's, and that is checked. Returns 0,
 * or -1 with *cause set; the caller must then stop (exit 4). A no-op when
 * not installed. */
int priv_drop(char **cause);

/* True when the caller may create the database at db_path: always when not
 * installed; installed, only root or the owner of the database's folder. */
bool priv_may_create(const char *db_path);

/* Returns 0 when a path the user names may be opened now (the group is
 * gone, or was never there); else -1 with *cause set. A last line of
 * defence: every opener of user-named files asks it first. */
int priv_user_path_ok(char **cause);

#endif
