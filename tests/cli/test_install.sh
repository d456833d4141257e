#!/usr/bin/env bash
# make install on a server, for real: run as root, it installs into a
# temporary layout (PREFIX, SYSCONFDIR and LOCALSTATEDIR under one folder)
# with a real group and a real second login made with useradd, and shows
# that this login cannot open the database with the sqlite3 shell, yet adds a
# record through the installed setgid program, which records its real login
# and ignores --db, --config and the environment overrides; and that
# `man talentreg` finds the page. Not root: one skipped test.
source "$(dirname "$0")/lib.sh"

source "$(dirname "$0")/install.bash"

install_skip "make install on a server"
install_setup
USER_T=trtest$$
while getent passwd "$USER_T" >/dev/null; do USER_T=trtest$$$RANDOM; done

# The development build must not be touched by an install.
dev_sum() { [ -f "$TOP/build/talentreg" ] && md5sum <"$TOP/build/talentreg"; }
dev_before=$(dev_sum)

# --- make install -----------------------------------------------------------

install_run
expect_status 0 "make install into $T"
expect_eq "$(getent group "$GROUP_T" | cut -d: -f1)" "$GROUP_T" "  made the group with groupadd"
expect_eq "$(stat -c '%a %U %G' "$BIN")" "2755 root $GROUP_T" "  the program is setgid $GROUP_T"
expect_eq "$(stat -c '%a %U %G' "$VAR")" "2770 root $GROUP_T" "  the data folder is root:$GROUP_T 2770"
for f in talentreg.ini users.ini areas.ini targets.ini tasks.ini regions.txt forms/person.ini forms/rural_teacher.ini; do
	if [ -f "$ETC/$f" ]; then _ok "  installed $f"; else _fail "  installed $f"; fi
done
expect_eq "$(sed -n 's/^database *= *//p' "$ETC/talentreg.ini")" "$DB" "  talentreg.ini names the installed database"
expect_eq "$(sed -n 's/^forms *= *//p' "$ETC/talentreg.ini")" "$ETC/forms" "  and the installed forms"
expect_eq "$(stat -c %a "$PREFIX/share/man/man1/talentreg.1")" 644 "  and the man page"
expect_eq "$(dev_sum)" "$dev_before" "  build/talentreg is untouched"

# --- man talentreg ------------------------------------------------------------

if command -v man >/dev/null; then
	expect_eq "$(MANPATH="$PREFIX/share/man" man -w talentreg 2>&1)" \
		"$PREFIX/share/man/man1/talentreg.1" "man -w talentreg finds the installed page"
	out=$(MANPATH="$PREFIX/share/man" MANWIDTH=100 MANPAGER=cat man talentreg 2>/dev/null)
	expect_out "review UUID approve|return|unlock" "  man talentreg shows the commands"
	expect_out "EXIT STATUS" "  and the exit statuses"
else
	echo "not ok - man is not installed (make deps installs man-db)"
fi

# --- the database, made by root; a login not in the group ----------------------

make_login "$USER_T"
expect_eq "$(id -nG "$USER_T" | tr ' ' '\n' | grep -cx "$GROUP_T")" 0 "a real login $USER_T, not in $GROUP_T"
cat >>"$ETC/users.ini" <<EOF

[user.$USER_T]
role = officer
name = 测试录入员
townships = 宁远堡镇
EOF

(cd "$T" && TALENTREG_CONFIG=/nonexistent "$BIN" init >"$T/out" 2>&1)
status=$?
out=$(cat "$T/out")
expect_status 0 "root runs the installed program's init (config from its installed place)"
expect_eq "$(stat -c '%a %G' "$DB")" "660 $GROUP_T" "  the new database is 0660, group $GROUP_T"
expect_eq "$(stat -c '%U %G' "$DB-wal" "$DB-shm" | sort -u)" "root $GROUP_T" \
	"  its -wal and -shm are made with it, root's, and stay (src/priv.c, rule 4)"
expect_eq "$("$BIN" --version)" "talentreg $(sed -n 's/^VERSION *= *//p' "$TOP/Makefile")" \
	"talentreg --version prints the Makefile's VERSION"

# as ARGS...: runs ARGS as the test login (install.bash's as).
as_login() { as "$USER_T" "$@"; }

as_login sqlite3 "$DB" 'select count(*) from records'
if [ "$status" -ne 0 ]; then _ok "$USER_T cannot open the database with sqlite3"; else _fail "$USER_T cannot open the database with sqlite3"; fi
as_login cat "$DB"
if [ "$status" -ne 0 ]; then _ok "  nor read the file"; else _fail "  nor read the file"; fi
as_login ls "$VAR"
if [ "$status" -ne 0 ]; then _ok "  nor list the data folder"; else _fail "  nor list the data folder"; fi

REC1=(name=王小梅 id_number=620302198506120028 phone=13800138000 township=宁远堡镇
	village=东湾村 school=东湾村小学 stage=小学 staffing=在编 years_teaching=12)
REC2=(name=李红 id_number=620302199002020028 phone=13900139000 township=宁远堡镇
	village=西坡村 school=西坡村小学 stage=小学 staffing=在编 years_teaching=8)

# The overrides would break this add if they were obeyed: no config there,
# no database there, and a "today" when the teacher was four years old.
as_login env TALENTREG_CONFIG=/nonexistent TALENTREG_DB=/nonexistent/x.db TALENTREG_TODAY=1990-01-01 \
	"$BIN" add rural_teacher "${REC1[@]}"
expect_status 0 "$USER_T adds a record through the installed program"
U1=$out
if [[ $U1 =~ ^[0-9a-f-]{36}$ ]]; then _ok "  which prints its uuid"; else _fail "  which prints its uuid"; fi
expect_eq "$(q "SELECT created_by FROM records WHERE uuid = '$U1'")" "$USER_T" "  created_by is the real login"
expect_eq "$(q "SELECT login || '|' || coalesce(as_user, '-') || '|' || action FROM audit WHERE uuid = '$U1'")" \
	"$USER_T|-|create" "  and so is the audit's login"
expect_eq "$(stat -c %G "$DB")" "$GROUP_T" "  the database keeps its group"
expect_eq "$(find "$VAR" ! -user root | wc -l)" 0 "  no file in the data folder is the login's"

# A database whose -wal and -shm are gone (root's own sqlite3 shell without
# persist_wal deletes them when it closes): the login would make them its
# own, so it is refused with a clear message; root's next command makes
# them again.
sqlite3 "$DB" 'SELECT count(*) FROM records' >/dev/null
expect_eq "$(ls "$VAR")" "talentreg.db" "root's plain sqlite3 shell removed the -wal and -shm"
as_login "$BIN" list
expect_status 4 "then $USER_T is refused (exit 4)"
expect_err "日志文件（-wal、-shm）缺失" "  with why, and what an admin does"
expect_eq "$(ls "$VAR")" "talentreg.db" "  and makes nothing in the data folder"
(cd "$T" && "$BIN" init >/dev/null 2>&1)
expect_eq "$(stat -c '%U' "$DB-wal" "$DB-shm" | sort -u)" "root" "root's talentreg init makes them again"
as_login "$BIN" list
expect_status 0 "  and $USER_T works again"

as_login "$BIN" --db "$T/home/$USER_T/own.db" add rural_teacher "${REC2[@]}"
expect_status 0 "--db from $USER_T is ignored: the add still works"
expect_err "--db" "  with a note that --db is ignored"
U2=$out
expect_eq "$(q "SELECT created_by FROM records WHERE uuid = '$U2'")" "$USER_T" "  the record is in the installed database"
if [ -e "$T/home/$USER_T/own.db" ]; then _fail "  no database where --db pointed"; else _ok "  no database where --db pointed"; fi

# A configuration of the login's own making, in which it is an admin.
H=$T/home/$USER_T
cp -r "$ETC" "$H/config"
sed -i "s/^role = officer$/role = admin/" "$H/config/users.ini"
chown -R "$USER_T" "$H"
as_login "$BIN" --config "$H/config" show "$U1" --full
expect_status 3 "--config with a users.ini of its own does not make $USER_T an admin"
expect_err "--config" "  and says --config is ignored"
as_login env TALENTREG_CONFIG="$H/config" "$BIN" show "$U1" --full
expect_status 3 "  nor does \$TALENTREG_CONFIG"
(cd "$H" && runuser -u "$USER_T" -- "$BIN" show "$U1" --full >/dev/null 2>&1)
status=$?
expect_status 3 "  nor a ./config in the working folder"
as_login "$BIN" show "$U1"
expect_status 0 "$USER_T shows its record"
expect_no_out '[0-9]{17}[0-9X]' "  with the ID number masked"
expect_no_out "$FULL_PHONE_RE" "  and the phone"
expect_eq "$(q "SELECT count(*) FROM audit WHERE action = 'view_full'")" 0 "no full view was recorded: none happened"

# A file only the group may read: the program opens files the caller names
# with the caller's own rights, never the group's.
printf '%s\r\n' 'name,id_number,phone,township,village,school,stage,staffing,years_teaching' \
	'赵强,620302198803030010,13700137000,宁远堡镇,新华村,新华村小学,初中,在编,10' >"$VAR/secret.csv"
chgrp "$GROUP_T" "$VAR/secret.csv"
chmod 0660 "$VAR/secret.csv"
(cd "$T" && "$BIN" import rural_teacher "$VAR/secret.csv" --dry-run >/dev/null 2>&1)
status=$?
expect_status 0 "root may import the group's file (it is a valid CSV)"
as_login "$BIN" import rural_teacher "$VAR/secret.csv"
if [ "$status" -ne 0 ]; then _ok "$USER_T cannot import a file only the group may read"; else _fail "$USER_T cannot import a file only the group may read"; fi
expect_eq "$(q "SELECT count(*) FROM records")" 2 "  nothing from it is added"
if ls "$VAR" | grep -q rejects; then _fail "  and no rejects file is written beside it"; else _ok "  and no rejects file is written beside it"; fi
cp "$VAR/secret.csv" "$H/mine.csv"
chown "$USER_T" "$H/mine.csv"
as_login "$BIN" import rural_teacher "$H/mine.csv"
expect_status 0 "$USER_T imports a file of its own through the installed program"
expect_eq "$(q "SELECT created_by FROM records WHERE name = '赵强'")" "$USER_T" "  the record is its own"

# --- a packager installs without root --------------------------------------------

# A copy of the source tree and of the install's build, the login's own,
# installed into a DESTDIR as a package build would: no group, no setgid,
# and the post-install step printed for the server.
mkdir "$H/src"
(cd "$TOP" && cp -r Makefile src include config forms doc "$H/src/")
cp -a "$INSTALL_BUILD_T" "$H/pkgbuild"
chown -R "$USER_T" "$H/src" "$H/pkgbuild"
as_login make -C "$H/src" --no-print-directory install DESTDIR="$H/pkg" PREFIX=/usr \
	SYSCONFDIR=/etc/talentreg LOCALSTATEDIR=/var/lib/talentreg INSTALL_BUILD="$H/pkgbuild"
expect_status 0 "make install DESTDIR=… works for a packager who is not root"
expect_eq "$(stat -c %a "$H/pkg/usr/bin/talentreg")" 755 "  the program is installed, not yet setgid"
if [ -d "$H/pkg/var/lib/talentreg" ] && [ -f "$H/pkg/etc/talentreg/users.ini" ]; then
	_ok "  with its configuration and data folder"
else
	_fail "  with its configuration and data folder"
fi
expect_out "make post-install" "  and it prints the step the server runs as root"

# --- a second install keeps edited config; uninstall keeps config and data -----

out=$(make -C "$TOP" --no-print-directory install "${INSTALL_ARGS[@]}" 2>&1)
status=$?
expect_status 0 "make install again"
if grep -qF "[user.$USER_T]" "$ETC/users.ini"; then _ok "  keeps the edited users.ini"; else _fail "  keeps the edited users.ini"; fi
if [ -f "$ETC/users.ini.new" ]; then _ok "  and puts the shipped one beside it"; else _fail "  and puts the shipped one beside it"; fi
if [ -e "$ETC/talentreg.ini.new" ]; then _fail "  an unchanged file gets no .new"; else _ok "  an unchanged file gets no .new"; fi
expect_eq "$(q "SELECT count(*) FROM records")" 3 "  and the data"

out=$(make -C "$TOP" --no-print-directory uninstall "${INSTALL_ARGS[@]}" 2>&1)
status=$?
expect_status 0 "make uninstall"
if [ -e "$BIN" ] || [ -e "$PREFIX/share/man/man1/talentreg.1" ]; then
	_fail "  removes the program and the man page"
else
	_ok "  removes the program and the man page"
fi
if [ -f "$ETC/users.ini" ] && [ -f "$DB" ]; then _ok "  keeps config and data"; else _fail "  keeps config and data"; fi
