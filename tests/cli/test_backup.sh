#!/usr/bin/env bash
# Backup: a consistent copy through SQLite's backup API while 4 processes keep
# adding records; the copy passes PRAGMA integrity_check, is mode 0600 and
# audited; admins only.
source "$(dirname "$0")/lib.sh"
setup
run init --demo 1000 >/dev/null
mkdir "$WORK/backup"

run backup "$WORK/backup/first.db"
expect_status 0 "an admin backs up the database"
expect_out "完整性检查通过" "  the copy passed its integrity check"
expect_eq "$(stat -c %a "$WORK/backup/first.db")" 600 "  the copy is mode 0600"
expect_eq "$(ls "$WORK/backup")" first.db "  nothing else is left in the folder"
expect_eq "$(sqlite3 "$WORK/backup/first.db" 'PRAGMA integrity_check')" ok "  sqlite3 finds it sound"
expect_eq "$(sqlite3 "$WORK/backup/first.db" 'SELECT count(*) FROM records')" "$(count_records)" \
	"  with every record"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'backup' AND comment LIKE '%first.db'")" 1 \
	"  and the backup is in the audit"
run --db "$WORK/backup/first.db" list --limit 1
expect_status 0 "the copy opens as a database of its own"

# --- while 4 processes write --------------------------------------------------

# writer W: adds teachers (IDs of its own) until $WORK/stop exists; a failed
# add is noted in $WORK/failed.
writer() {
	local w=$1 i=0 id
	while [ ! -e "$WORK/stop" ]; do
		id=$(id_with_check "620302$((1970 + i % 30))$(printf %02d $((i / 30 % 12 + 1)))0${w}$(printf %03d $((i / 360)))")
		rec REC_TEACHER "id_number=$id" "phone=139${w}$(printf %07d "$i")"
		"$TR" add rural_teacher "${REC[@]}" >/dev/null 2>>"$WORK/failed.$w" || echo "$id" >>"$WORK/failed"
		i=$((i + 1))
	done
}
# count_now: the records now, waiting out the writers' locks (the sqlite3
# shell does not wait by itself).
count_now() {
	sqlite3 -cmd '.timeout 10000' "$DB" 'SELECT count(*) FROM records'
}
# wait_records N: waits (polling, at most 60 s) until there are N records.
wait_records() {
	local tries=0
	while [ "$(count_now)" -lt "$1" ] && [ $tries -lt 600 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
}

start=$(count_now)
for w in 1 2 3 4; do writer "$w" & done
wait_records $((start + 20))
run backup "$WORK/backup/busy.db"
backup_status=$status
during=$(count_now)
wait_records $((during + 20))
touch "$WORK/stop"
wait
status=$backup_status
expect_status 0 "a backup taken while 4 processes add records"
expect_eq "$(sqlite3 "$WORK/backup/busy.db" 'PRAGMA integrity_check')" ok \
	"  passes sqlite3's PRAGMA integrity_check"
n=$(sqlite3 "$WORK/backup/busy.db" 'SELECT count(*) FROM records')
[ "$n" -ge $((start + 20)) ] && [ "$n" -le "$during" ] && _ok "  holds the records of one moment ($n)" ||
	_fail "  holds the records of one moment ($n, not between $((start + 20)) and $during)"
expect_eq "$(sqlite3 "$WORK/backup/busy.db" 'SELECT count(*) FROM audit WHERE action = '"'create'"'')" "$n" \
	"  and exactly their audit rows"
[ "$(count_now)" -gt "$during" ] && _ok "  the writers went on while and after it ran" ||
	_fail "  the writers went on while and after it ran"
expect_eq "$(cat "$WORK/failed" 2>/dev/null | wc -l)" 0 "  no writer's add failed"
expect_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok "  the live database is sound too"

# --- refusals ---------------------------------------------------------------------

run --as supervisor backup "$WORK/backup/sup.db"
expect_status 3 "a supervisor may not back up (exit 3)"
run --as officer_ny backup "$WORK/backup/off.db"
expect_status 3 "an officer may not back up (exit 3)"
expect_eq "$(ls "$WORK/backup")" "$(printf 'busy.db\nfirst.db')" "  no file is written for them"
run backup "$DB"
expect_status 2 "a backup onto the live database itself is refused"
expect_eq "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok "  which stays sound"
run backup
expect_status 2 "backup without a file is a usage error"
run backup "$WORK/no/such/folder/b.db"
expect_status 4 "a folder that does not exist: exit 4"
