#!/usr/bin/env bash
# The setgid install attacked by its own users (issue 10): a real install
# into a private prefix (install.bash), real logins made with useradd, roles
# in users.ini, and every attack run as those logins with runuser. Each
# numbered part is one finding of the issue; "beyond" parts are attacks
# tried on top. After each: the database is the same file with all its
# records, PRAGMA integrity_check is ok, nothing in the data folder belongs
# to a login, and the attacker learned nothing (checked per attack).
# Not root: one skipped test.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/install.bash"

install_skip "the setgid install under attack"
install_setup
install_run
expect_status 0 "make install into a private prefix"
[ "$status" -eq 0 ] || exit 1

# --- the logins -------------------------------------------------------------------

n=$$
OFF1=tro1$n OFF2=tro2$n SUP1=trs1$n SUP2=trs2$n ADM=tra$n STRANGER=trx$n
for u in $OFF1 $OFF2 $SUP1 $SUP2 $ADM $STRANGER; do make_login "$u"; done
cat >>"$ETC/users.ini" <<EOF

[user.$OFF1]
role = officer
townships = 宁远堡镇

[user.$OFF2]
role = officer
townships = 宁远堡镇

[user.$SUP1]
role = supervisor
townships = 宁远堡镇

[user.$SUP2]
role = supervisor

[user.$ADM]
role = admin
EOF
sed -i 's/^max_input_mb *=.*/max_input_mb = 8/; s/^lookups_per_day *=.*/lookups_per_day = 5/' \
	"$ETC/talentreg.ini"
home() { echo "$T/home/$1"; }

(cd "$T" && "$BIN" init >/dev/null 2>&1)
expect_eq "$(ls "$VAR" | tr '\n' ' ')" "talentreg.db talentreg.db-shm talentreg.db-wal " \
	"root made the database, its -wal and its -shm"

# The victim: a record of OFF1's, in the township OFF2 may see masked.
ID1=620302198506120028 PHONE1=13800138000
as $OFF1 "$BIN" add rural_teacher name=王小梅 id_number=$ID1 phone=$PHONE1 township=宁远堡镇 \
	village=东湾村 school=东湾村小学 stage=小学 staffing=在编 years_teaching=12
R1=$out
as $OFF1 "$BIN" add ecommerce_trainee name=张力 id_number=620302200001010018 phone=13700001111 \
	township=宁远堡镇 village=东湾村 course=农村电商运营实务班 training_date=2026-05-10 \
	training_site=宁远堡镇文化站 has_shop=否
R2=$out
as $SUP1 "$BIN" add rural_teacher name=李红 id_number=620302199002020028 phone=13900139000 \
	township=宁远堡镇 village=西坡村 school=西坡村小学 stage=小学 staffing=在编 years_teaching=8
R3=$out
if [[ $R1 =~ ^[0-9a-f-]{36}$ && $R2 =~ ^[0-9a-f-]{36}$ && $R3 =~ ^[0-9a-f-]{36}$ ]]; then
	_ok "three records made by the logins"
else
	_fail "three records made by the logins"
	exit 1	# every attack below needs them
fi

INODE=$(stat -c %i "$DB")
RECORDS=3
# intact WHAT: the database is the same file with all its records, sound, and
# nothing in the data folder belongs to a login.
intact() {
	local what=$1
	expect_eq "$(stat -c %i "$DB" 2>/dev/null)" "$INODE" "  $what: the database is the same file"
	expect_eq "$(q 'PRAGMA integrity_check')" ok "  $what: integrity_check ok"
	expect_eq "$(q 'SELECT count(*) FROM records')" "$RECORDS" "  $what: all $RECORDS records are there"
	expect_eq "$(find "$VAR" ! -user root | wc -l)" 0 "  $what: nothing in the data folder is a login's"
	expect_eq "$(ls "$VAR" | tr '\n' ' ')" "talentreg.db talentreg.db-shm talentreg.db-wal " \
		"  $what: the data folder holds only the database's own files"
}

# --- 1. a symlink planted on the export's temp files (xlsx and csv) ----------------

D=$(home $SUP1)/out
runuser -u $SUP1 -- mkdir "$D"
runuser -u $SUP1 -- python3 "$TOP/tests/cli/swapper.py" "$D" "$DB" 60 >"$T/swapped" &
SWAPPER=$!
sleep 0.5	# (the watcher's start; the attack itself is by inotify, not by time)
for i in 1 2 3; do
	as $SUP1 "$BIN" export --format xlsx --output "$D/e.xlsx"
	as $SUP1 "$BIN" export --format csv --output "$D/e.csv"
done
runuser -u $SUP1 -- touch "$D/stop"
wait $SWAPPER
swapped=$(cat "$T/swapped")
[ "${swapped:-0}" -gt 0 ] && _ok "1. the watcher swapped $swapped new files in the export's folder for links to the database" ||
	_fail "1. the watcher swapped new files for links to the database (it swapped ${swapped:-none})"
intact "1"

# --- 2. a busy database during an export, the folder flipped during the wait -----

FIFO=$T/lockfifo
mkfifo "$FIFO"
# root holds the write lock (as an officer's long import would) until told
(sqlite3 -cmd '.output /dev/null' -cmd '.filectrl persist_wal 1' -cmd '.output stdout' \
	"$DB" <"$FIFO" >/dev/null 2>&1) &
LOCKER=$!
exec 7>"$FIFO"
echo "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES ('lock-test', 'x');" >&7
H1=$(home $SUP1)
runuser -u $SUP1 -- mkdir "$H1/real"
runuser -u $SUP1 -- ln -s "$H1/real" "$H1/lnk"
(cd "$T" && runuser -u $SUP1 -- "$BIN" export --output "$H1/lnk/talentreg.db" >"$T/busy.out" 2>&1
	echo $? >"$T/busy.rc") &
EXPORTER=$!
sleep 1	# the export is waiting for the lock now (busy_timeout is 10 s)
runuser -u $SUP1 -- ln -sfn "$VAR" "$H1/lnk.new"
runuser -u $SUP1 -- mv -T "$H1/lnk.new" "$H1/lnk"
wait $EXPORTER
echo "ROLLBACK;" >&7
exec 7>&-
wait $LOCKER
status=$(cat "$T/busy.rc") err=$(cat "$T/busy.out") out=
expect_status 4 "2. an export whose audit row cannot be written (database busy) fails with exit 4"
expect_err "数据库正忙" "  saying the database is busy"
expect_eq "$(ls -A "$H1/real")" "" "  and leaves nothing behind in the folder it wrote"
intact "2"

# ... and an unlisted login cannot become admin, with or without a database
as $STRANGER "$BIN" init
expect_status 3 "2. an unlisted login's init of the existing database is refused"
if printf '%s' "$out" | grep -q "首位管理员"; then _fail "  and nobody became first admin"; else _ok "  and nobody became first admin"; fi
mkdir "$T/aside"
mv "$DB" "$DB-wal" "$DB-shm" "$T/aside/"
as $STRANGER "$BIN" init
expect_status 3 "10. the database gone, an unlisted login's init is refused (exit 3)"
expect_err "只由 root 或数据目录的所有者创建数据库" "  saying who creates it"
expect_eq "$(ls -A "$VAR")" "" "  and makes no file"
as $OFF1 "$BIN" list
expect_status 4 "  an officer is told the database is missing (exit 4)"
expect_err "请联系管理员" "  and to ask an administrator, not to run init"
if printf '%s' "$err" | grep -q "talentreg init"; then _fail "  (no hint to run init)"; else _ok "  (no hint to run init)"; fi
mv "$T/aside/"* "$VAR/"
intact "2, 10"

# --- 3. outputs onto the database, its folder, and a flipping folder ---------------

for target in "$DB" "$VAR/x.bundle"; do
	as $ADM "$BIN" sync export "$target"
	expect_status 2 "3. an admin's sync export onto $(basename "$target") is refused (exit 2)"
	expect_err "不能写入数据库所在的目录" "  as an output into the database's folder"
done
as $ADM "$BIN" sync export "$VAR/../talentreg/talentreg.db"
expect_status 4 "3. through the data folder and back (…/talentreg/../talentreg/): the login cannot even resolve it"
expect_err "Permission denied" "  (the folder is closed to it, the program holding no group)"
as $ADM "$BIN" backup "$VAR/copy.db"
expect_status 2 "3. a backup into the data folder is refused (exit 2)"
as $SUP1 "$BIN" export --output "$DB"
expect_status 2 "3. a supervisor's export onto the database is refused (exit 2)"
runuser -u $SUP1 -- mkdir "$H1/empty"
runuser -u $SUP1 -- ln -sfn "$H1/empty" "$H1/flip"
(cd "$H1" && runuser -u $SUP1 -- bash -c '
	while [ ! -e stop ]; do
		ln -sfn "'"$VAR"'" flip.new && mv -T flip.new flip
		ln -sfn "'"$H1/empty"'" flip.new && mv -T flip.new flip
	done') &
FLIPPER=$!
codes=
for i in $(seq 1 40); do
	as $SUP1 "$BIN" export --output "$H1/flip/talentreg.db"
	codes="$codes $status"
done
runuser -u $SUP1 -- touch "$H1/stop"
wait $FLIPPER
bad=$(printf '%s\n' $codes | grep -cvx '[02]')
expect_eq "$bad" 0 "3. 40 exports onto a folder flipping to the data folder: each written elsewhere or refused (${codes# })"
intact "3"

# --- 4. the -wal and -shm while a session is open ---------------------------------

mkfifo "$T/sessfifo"
(sqlite3 -cmd '.output /dev/null' -cmd '.filectrl persist_wal 1' -cmd '.output stdout' \
	"$DB" <"$T/sessfifo" >/dev/null 2>&1) &
SESSION=$!
exec 8>"$T/sessfifo"
echo "SELECT count(*) FROM records;" >&8
for f in talentreg.db-wal talentreg.db-shm; do
	as $SUP1 "$BIN" export --output "$VAR/$f"
	expect_status 2 "4. an export onto $f while a session is open is refused"
done
as $OFF1 "$BIN" add grower name=赵强 id_number=620302198803030010 phone=13700137000 \
	township=宁远堡镇 village=新华村 grower_type=种养大户 main_industry=蔬菜
expect_status 0 "  and everyone else still writes"
RECORDS=$((RECORDS + 1))
exec 8>&-
wait $SESSION
intact "4"

# --- 5. reading around the masks ----------------------------------------------------

# OFF2 sees R1 masked as 6203**********0028, 138****8000; the search only
# ever compares what is shown, so no digit beyond them can be learned.
learned=
for d in 0 1 2 3 4 5 6 7 8 9; do
	for query in "6203$d" "${d}0028" "138$d" "${d}8000" "62030$d" "${d}120028"; do
		as $OFF2 "$BIN" list --search "$query" --format json
		case "$out" in *"$R1"*) learned="$learned $query" ;; esac
	done
done
expect_eq "$learned" "" "5. 60 searches extending the visible digits of R1's ID and phone find nothing"
as $OFF2 "$BIN" list --search 0028 --format json
expect_out "$R1" "  while the visible digits find it"
as $OFF2 "$BIN" show "$R1" --format json
expect_no_out "1985-06-12" "  show gives the birth year only, never the date beside a masked ID"
expect_out '"birth_date":"1985-**-**"' "  (1985-**-**)"
expect_no_out "$FULL_ID_RE" "  and no whole ID"
# guessing the hidden digits whole: five lookups a day, each recorded
for guess in 620302198501010016 620302198502020013 620302198503030011 620302198504040019 \
	620302198505050016; do
	as $OFF2 "$BIN" list --search "$guess"
done
expect_status 0 "  five whole numbers looked up (lookups_per_day = 5)"
as $OFF2 "$BIN" list --search "$ID1"
expect_status 3 "  the sixth is refused (exit 3)"
expect_err "已达上限" "  with the limit named"
expect_no_out "$R1" "  and finds nothing"
expect_eq "$(q "SELECT count(*) FROM audit WHERE action = 'lookup' AND login = '$OFF2'")" 5 \
	"  each lookup is in the audit"
intact "5"

# --- 6. reads before checks, and unbounded reads ------------------------------------

as $ADM timeout 20 "$BIN" sync import /dev/zero
expect_status 2 "6. sync import /dev/zero is refused at once (exit 2)"
expect_err "不是普通文件" "  as not a file"
as $OFF1 timeout 20 "$BIN" import rural_teacher /dev/zero
expect_status 2 "6. import /dev/zero is refused at once (exit 2)"
runuser -u $OFF1 -- truncate -s 300M "$(home $OFF1)/big.csv"
as $OFF1 timeout 20 "$BIN" import rural_teacher "$(home $OFF1)/big.csv"
expect_status 2 "6. a 300 MB file is refused before it is read (limit 8 MB)"
expect_err "太大" "  as too large"
runuser -u $OFF1 -- mkfifo "$(home $OFF1)/pipe"
(timeout 30 runuser -u $OFF1 -- sh -c "cat /dev/zero >'$(home $OFF1)/pipe'" 2>/dev/null &)
as $OFF1 timeout 20 "$BIN" import rural_teacher "$(home $OFF1)/pipe"
expect_status 2 "6. an endless pipe is cut at the limit (exit 2)"
pkill -u $OFF1 cat 2>/dev/null
as $OFF1 "$BIN" sync import "$DB"
a_status=$status a_err=$err
as $OFF1 "$BIN" sync import "$VAR/no-such-file"
expect_eq "$a_status/$status" "3/3" "6. an officer's sync import is refused before the file is opened"
expect_eq "$a_err" "$err" "  with the same words for a file that exists and one that does not"
intact "6"

# --- 7. escapes in the data and the configuration ----------------------------------

# A name as a forged bundle could bring it (typed names are refused):
# OSC 52 (sets the clipboard), OSC 0 (the title), CSI 0x9B, RLO, ZWSP.
EVIL=$(printf '李\033]52;c;cHduZWQ=\a红\033]0;pwned\a\xc2\x9b31m\xe2\x80\xae\xe2\x80\x8b')
q "UPDATE records SET vals = json_set(vals, '$.name', '$EVIL') WHERE uuid = '$R3'"
(cd "$T" && runuser -u $SUP2 -- script -qec "$BIN list --format csv" /dev/null >"$T/tty.out" 2>&1)
if grep -qP '\x1b\]|\x{9b}|\x{202e}|\x{200b}' "$T/tty.out"; then
	_fail "7. list --format csv on a terminal carries no escape, bidi or zero-width character"
else
	_ok "7. list --format csv on a terminal carries no escape, bidi or zero-width character"
fi
grep -q "李" "$T/tty.out" && _ok "  (the row is there, sanitised)" || _fail "  (the row is there, sanitised)"
as $SUP2 "$BIN" list --format json
if printf '%s' "$out" | grep -qP '\x1b|\x{9b}|\x{202e}|\x{200b}'; then
	_fail "7. list --format json escapes ESC, U+009B, U+202E and U+200B"
else
	_ok "7. list --format json escapes ESC, U+009B, U+202E and U+200B"
fi
name=$(printf '%s' "$out" | python3 -c 'import json,sys; print([r["name"] for r in json.load(sys.stdin) if r["uuid"]==sys.argv[1]][0])' "$R3")
[ "$name" = "$EVIL" ] && _ok "  and a JSON reader gets the name back exactly" || _fail "  and a JSON reader gets the name back exactly"
cp "$ETC/users.ini" "$T/users.ini.good"
printf '\n[user.%s]\nrole = officer\ntownships = \033[2J\033[31m宁远堡镇\n' "x$n" >>"$ETC/users.ini"
(cd "$T" && runuser -u $OFF1 -- script -qec "$BIN check-config" /dev/null >"$T/tty.out" 2>&1)
if grep -qP '\x1b\[2J|\x1b\[31m' "$T/tty.out"; then
	_fail "7. check-config echoes no escape from a configuration file"
else
	_ok "7. check-config echoes no escape from a configuration file"
fi
grep -q "31m宁远堡镇" "$T/tty.out" && _ok "  (it names the bad township, sanitised)" || _fail "  (it names the bad township, sanitised)"
cp "$T/users.ini.good" "$ETC/users.ini"
q "UPDATE records SET vals = json_set(vals, '$.name', '李红') WHERE uuid = '$R3'"
intact "7"

# --- 8. separation of duties ------------------------------------------------------

as $SUP1 "$BIN" review "$R3" approve
expect_status 3 "8. a supervisor may not approve a record it registered (exit 3)"
expect_err "不能审核自己登记或最后修改的记录" "  and is told why"
as $SUP1 "$BIN" edit "$R2" training_site=宁远堡镇文化站二楼
expect_status 0 "  a supervisor corrects an officer's record"
as $SUP1 "$BIN" review "$R2" return --comment "请核对"
expect_status 3 "8. and then may not return the record it last edited"
as $SUP2 "$BIN" review "$R3" approve
expect_status 0 "  another supervisor approves it"
expect_eq "$(q "SELECT group_concat(login || ':' || action, ' ') FROM audit WHERE uuid = '$R3'")" \
	"$SUP1:create $SUP2:approve" "  and the history has two people"
intact "8"

# --- 9. permission before comparison -----------------------------------------------

before=$(q "SELECT count(*) FROM audit")
as $OFF2 "$BIN" edit "$R1" phone=$PHONE1
right_status=$status right_err=$err right_out=$out
as $OFF2 "$BIN" edit "$R1" phone=13900000000
expect_eq "$right_status/$status" "3/3" "9. another officer's edit with the right phone and a wrong one: both refused"
expect_eq "$right_err|$right_out" "$err|$out" "  in the same words: the guess is never compared"
expect_eq "$(q "SELECT count(*) FROM audit")" "$before" "  and nothing is recorded as changed"
intact "9"

# --- beyond the issue ---------------------------------------------------------------

H=$(home $OFF1)
# an output or rejects path planted as a link to the database
runuser -u $SUP1 -- ln -s "$DB" "$H1/planted.csv"
as $SUP1 "$BIN" export --output "$H1/planted.csv"
expect_status 0 "beyond: an export onto a planted link to the database replaces the link"
[ -f "$H1/planted.csv" ] && [ ! -L "$H1/planted.csv" ] && _ok "  with a file of its own" || _fail "  with a file of its own"
printf '%s\r\n' 'name,id_number,phone,township,village,school,stage,staffing,years_teaching' \
	'坏行,123,13700137000,宁远堡镇,新华村,新华村小学,初中,在编,10' >"$H/bad.csv"
chown $OFF1 "$H/bad.csv"
runuser -u $OFF1 -- ln -s "$DB" "$H/bad.csv.rejects.csv"
as $OFF1 "$BIN" import rural_teacher "$H/bad.csv"
expect_status 1 "beyond: an import whose rejects file is a planted link to the database"
[ -f "$H/bad.csv.rejects.csv" ] && [ ! -L "$H/bad.csv.rejects.csv" ] && _ok "  writes the rejects beside it, replacing the link" ||
	_fail "  writes the rejects beside it, replacing the link"
# an import of the database itself, through a link
runuser -u $OFF1 -- ln -s "$DB" "$H/db.csv"
as $OFF1 "$BIN" import rural_teacher "$H/db.csv"
expect_status 2 "beyond: an import of a link to the database cannot read it (exit 2)"
expect_err "Permission denied" "  (read with the caller's rights)"
# a running session's descriptors: the process is not the caller's to inspect
runuser -u $OFF1 -- mkfifo "$H/wait"
(cd "$T" && timeout 30 runuser -u $OFF1 -- "$BIN" import rural_teacher "$H/wait" >/dev/null 2>&1) &
IMPORTER=$!
pid=
for i in $(seq 1 100); do
	pid=$(pgrep -u $OFF1 -f "import rural_teacher $H/wait" | head -1)
	[ -n "$pid" ] && ls -l /proc/$pid/fd 2>/dev/null | grep -q talentreg.db && break
	sleep 0.05
done
as $OFF1 ls /proc/$pid/fd
expect_status 2 "beyond: the login cannot list the open descriptors of its own running session"
as $OFF1 cat /proc/$pid/fd/3
if [ "$status" -ne 0 ] && ! printf '%s' "$out" | grep -q "SQLite format"; then
	_ok "  nor read the database through them"
else
	_fail "  nor read the database through them"
fi
expect_eq "$(grep '^Gid:' /proc/$pid/status | awk '{print $3}')" "$(id -g $OFF1)" \
	"  while it waits for its file, it holds no group but the login's own"
timeout 10 runuser -u $OFF1 -- sh -c "echo >'$H/wait'"
wait $IMPORTER
intact "beyond"
