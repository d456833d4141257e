# install.bash - a real setgid install for the tests that need one
# (test_install.sh, test_security.sh). Source it after lib.sh, as root:
#
#   install_setup        makes $T (a private folder a setgid program works
#                        in), the names $PREFIX $ETC $VAR $BIN $DB, a group
#                        $GROUP_T, and removes all of it (and every login
#                        made with make_login) on exit
#   install_run          make install into $T; sets $out and $status
#   make_login NAME      a real login (useradd), not in $GROUP_T, with a
#                        home folder of its own under $T/home/NAME
#   as LOGIN ARGS...     runs ARGS as LOGIN in $T; sets $out, $err, $status
#   q SQL                root's sqlite3 on the installed database
#
# Not root: the caller prints one skipped test and exits (install_skip).

# A folder where a setgid program works (not on a nosuid or noexec mount)
# and that the test logins can reach.
_pick_base() {
	local d opts
	for d in /var/tmp "$TOP/build"; do
		mkdir -p "$d" 2>/dev/null || continue
		opts=$(findmnt -n -o OPTIONS -T "$d" 2>/dev/null) || continue
		case ",$opts," in *,nosuid,* | *,noexec,*) continue ;; esac
		echo "$d"
		return 0
	done
	return 1
}

# Lets others traverse every folder above $1, remembering the old modes.
_RESTORE=()
_open_path() {
	local d=$1 mode
	while [ "$d" != / ]; do
		d=$(dirname "$d")
		mode=$(stat -c %a "$d")
		if [ $((8#$mode & 1)) -eq 0 ]; then
			_RESTORE+=("$mode:$d")
			chmod o+x "$d"
		fi
	done
}

_LOGINS=()
_install_cleanup() {
	local u r
	for u in "${_LOGINS[@]}"; do
		pkill -KILL -u "$u" 2>/dev/null
		userdel "$u" 2>/dev/null
	done
	getent group "$GROUP_T" >/dev/null && groupdel "$GROUP_T" 2>/dev/null
	rm -rf "$T"
	for r in "${_RESTORE[@]}"; do chmod "${r%%:*}" "${r#*:}"; done
}

# install_skip WHAT: prints a skipped test and exits when the install tests
# cannot or need not run: not root; or a second pass over another build
# (make test's ASan pass), since the install is built apart, the same each
# pass.
install_skip() {
	if [ "$(id -u)" -ne 0 ]; then
		_skip "$1" "not root"
		exit 0
	fi
	if [ "${TR:-$TOP/build/talentreg}" != "$TOP/build/talentreg" ]; then
		_skip "$1" "the install is built apart and ran in the plain pass"
		exit 0
	fi
}

install_setup() {
	local base
	base=$(_pick_base) || { echo "not ok - no folder without nosuid/noexec for a setgid program"; exit 1; }
	T=$(mktemp -d "$base/talentreg-install.XXXXXX")
	chmod 755 "$T"
	_open_path "$T"
	WORK=$T	# lib.sh's run keeps its stderr here
	GROUP_T=trgrp$$
	while getent group "$GROUP_T" >/dev/null; do GROUP_T=trgrp$$$RANDOM; done
	trap _install_cleanup EXIT
	PREFIX=$T/usr
	ETC=$T/etc/talentreg
	VAR=$T/var/lib/talentreg
	BIN=$PREFIX/bin/talentreg
	DB=$VAR/talentreg.db
	# one build folder for every such test: only main.o (which holds
	# SYSCONFDIR) is made again for each
	INSTALL_BUILD_T=$TOP/build/install-test
	INSTALL_ARGS=(PREFIX="$PREFIX" SYSCONFDIR="$ETC" LOCALSTATEDIR="$VAR" GROUP="$GROUP_T"
		INSTALL_BUILD="$INSTALL_BUILD_T")
	unset TALENTREG_TODAY
	# The install is built as a real server's would be: not with the flags
	# of a make that runs this test (make asan's sanitizers do not run setgid).
	unset MAKEFLAGS MFLAGS MAKELEVEL CFLAGS LDFLAGS CPPFLAGS BUILD
	mkdir -p "$T/home"
}

install_run() {
	out=$(make -C "$TOP" --no-print-directory -j"$(nproc)" install "${INSTALL_ARGS[@]}" 2>&1)
	status=$?
	err=
}

# make_login NAME: sets nothing; the login's home is $T/home/NAME.
make_login() {
	local u=$1
	if getent passwd "$u" >/dev/null; then
		echo "not ok - the login $u exists already on this machine"
		exit 1
	fi
	useradd -M -d "$T/home/$u" -s /bin/sh "$u" || { echo "not ok - useradd $u"; exit 1; }
	_LOGINS+=("$u")
	mkdir -p "$T/home/$u"
	chown "$u" "$T/home/$u"
	chmod 700 "$T/home/$u"
}

# as LOGIN ARGS...: runs ARGS as LOGIN (its own groups only), in $T.
as() {
	local u=$1
	shift
	(cd "$T" && runuser -u "$u" -- "$@" >"$T/out" 2>"$T/err")
	status=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

# q SQL: root's sqlite3 on the installed database. It keeps the -wal and
# -shm as the installed program does (README, "Installing on a server").
q() {
	sqlite3 -cmd '.output /dev/null' -cmd '.filectrl persist_wal 1' -cmd '.output stdout' \
		"$DB" "$1"
}
