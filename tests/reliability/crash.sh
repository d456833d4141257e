#!/usr/bin/env bash
# crash.sh - sites lose power: WRITERS processes add records while the test
# kills one of them (the writer and the add it is running, SIGKILL) at random
# moments and starts it again, KILLS times. Afterwards every uuid whose add
# exited 0 is in the database exactly once, no record is half written, each
# has its create row in the audit, integrity_check is ok and the running
# counts of people agree with a recount. A killed writer tries its uuid
# again when it restarts, as a client does when it never got the answer: the
# retry must not duplicate.
#
# Half the kills come at a moment chosen blind (0-30 ms), half at a moment
# inside an add (when the writer's talentreg is running, 0-9 ms later).
#
# Then an import, one bulk transaction, is killed inside that transaction
# (see below) and must leave all its rows or none.
#
# Long form: 10 writers, 500 kills. Short form (tests/cli/test_rel_crash.sh):
# fewer kills.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WRITERS=${WRITERS:-10}
KILLS=${KILLS:-500}
SEED=${SEED:-$$}
RANDOM=$SEED
setup
export TR
run init
expect_status 0 "init the database for the crash test"
echo "# seed $SEED (SEED=$SEED repeats the choice of writers and moments)"

LOGS=$WORK/writers
mkdir -p "$LOGS"
declare -A pid
trap 'touch "$LOGS/stop"; for p in "${pid[@]}"; do kill -KILL -- -"$p" 2>/dev/null; done; rm -rf "$WORK"' EXIT

# Each writer runs in its own process group (job control), so that one kill
# takes the writer and the talentreg it is running together.
set -m
start() {
	bash "$REL_DIR/crash_writer.sh" "$1" "$LOGS" </dev/null &
	pid[$1]=$!
}
for ((w = 0; w < WRITERS; w++)); do start "$w"; done

# in_talentreg PID: the writer PID is running talentreg (read from /proc
# with builtins only: a pgrep would take longer than the moment it looks for).
in_talentreg() {
	local kids k comm
	kids=""
	read -r kids 2>/dev/null <"/proc/$1/task/$1/children"	# (no newline: status 1)
	for k in $kids; do
		read -r comm 2>/dev/null <"/proc/$k/comm" && [ "$comm" = talentreg ] && return 0
	done
	return 1
}

in_add=0
for ((k = 0; k < KILLS; k++)); do
	w=$((RANDOM % WRITERS))
	if ((k % 2)); then
		# a random moment: 0 to 30 ms, about two adds
		sleep "0.0$(printf '%02d' $((RANDOM % 30)))"
	else
		# a random moment inside an add: wait for the writer's talentreg,
		# then 0 to 9 ms more (an add takes about 15)
		for ((i = 0; i < 100; i++)); do
			in_talentreg "${pid[$w]}" && break
			sleep 0.001
		done
		sleep "0.00$((RANDOM % 10))"
	fi
	in_talentreg "${pid[$w]}" && in_add=$((in_add + 1))
	kill -KILL -- -"${pid[$w]}" 2>/dev/null
	wait "${pid[$w]}" 2>/dev/null
	start "$w"
done
touch "$LOGS/stop"
for p in "${pid[@]}"; do wait "$p" 2>/dev/null; done
set +m

_ok "$KILLS kills, $in_add of them while talentreg was running"
sort -u "$LOGS"/*.ok >"$WORK/succeeded" 2>/dev/null
n_ok=$(wc -l <"$WORK/succeeded")
if [ "$n_ok" -gt 0 ]; then _ok "$n_ok adds exited 0 between the kills"; else
	_fail "no add exited 0 in $KILLS kills"
fi
if ls "$LOGS"/*.fail >/dev/null 2>&1; then
	status=1 out="" err=$(cat "$LOGS"/*.fail | head -20)
	_fail "an add that was not killed failed"
else
	_ok "no add that was not killed failed"
fi

# every add that exited 0 is there exactly once
sql "$DB" "SELECT uuid FROM records" | sort >"$WORK/stored"
missing=$(comm -23 "$WORK/succeeded" "$WORK/stored" | head -5)
expect_eq "$missing" "" "every uuid whose add exited 0 is in the database"
dups=$(sql "$DB" "SELECT uuid FROM records GROUP BY uuid HAVING count(*) > 1
	UNION ALL SELECT person_key FROM records GROUP BY category, person_key HAVING count(*) > 1" | head -5)
expect_eq "$dups" "" "no uuid and no person is stored twice"
# and the program itself lists them once each
run list --format json --limit 100000
listed=$(printf '%s' "$out" | python3 -c 'import json, sys; print("\n".join(sorted(r["uuid"] for r in json.load(sys.stdin))))' | sort)
expect_eq "$(printf '%s\n' "$listed" | sort | uniq -d | head -3)" "" "list --format json shows each record once"
expect_eq "$(comm -23 "$WORK/succeeded" <(printf '%s\n' "$listed") | head -3)" "" \
	"list --format json shows every add that exited 0"
# a uuid tried again after its writer was killed is stored once (checked
# above), also when the killed add had committed it already
retried=$(cat "$LOGS"/*.retried 2>/dev/null | wc -l)
committed=$(cat "$LOGS"/*.committed 2>/dev/null | wc -l)
_ok "$retried uuids tried again after a kill, $committed of them committed by the killed add: each stored once"
check_db "$DB" "after $KILLS kills"

# An import is one bulk add (src/store_stats.c): its transaction drops the
# insert triggers, adds the rows and counts them set-based. Killed at a
# random moment inside that transaction, it leaves all its rows or none,
# the triggers in place and every count and index whole; then the same file
# imports in full. The transaction is known to be writing when the WAL file
# grows a megabyte past its size before the import (it spills pages there
# long before its commit); the kill comes 0-300 ms later.
ROWS=20000
python3 "$TOP/bench/gen_csv.py" "$ROWS" "$WORK/import.csv"
TRIGGERS="'records_fts_ai','people_ai','record_count_ai','people_count_ai','records_grams_ai'"
wal_size() { stat -c %s "$DB-wal" 2>/dev/null || echo 0; }
before=$(sql "$DB" "SELECT count(*) FROM records")
for ((k = 0; k < 3; k++)); do
	base=$(wal_size)
	"$TR" import rural_teacher "$WORK/import.csv" >/dev/null 2>&1 &
	ipid=$!
	while kill -0 "$ipid" 2>/dev/null && [ "$(wal_size)" -lt $((base + 1048576)) ]; do
		sleep 0.005
	done
	ms=$((RANDOM % 300))
	sleep "0.$(printf '%03d' "$ms")"
	if kill -KILL "$ipid" 2>/dev/null; then when="$ms ms into its transaction"; else
		when="after it had ended"
	fi
	wait "$ipid" 2>/dev/null
	n=$(($(sql "$DB" "SELECT count(*) FROM records") - before))
	if [ "$n" = 0 ] || [ "$n" = "$ROWS" ]; then
		_ok "an import killed $when left all its rows or none ($n)"
	else
		_fail "an import killed $when left $n of its $ROWS rows"
	fi
	expect_eq "$(sql "$DB" "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'
		AND name IN ($TRIGGERS)")" 5 "  the insert triggers are all there"
	check_db "$DB" "  after a killed import"
	[ "$n" = "$ROWS" ] && break
done
if [ "$n" = 0 ]; then
	run import rural_teacher "$WORK/import.csv"
	expect_status 0 "the import runs in full after the kills"
fi
expect_eq "$(($(sql "$DB" "SELECT count(*) FROM records") - before))" "$ROWS" \
	"the imported rows are stored once"
check_db "$DB" "after the import"
run add rural_teacher name=最后一位 id_number=620302198506120028 phone=13800138000 \
	township=宁远堡镇 village=东湾村 school=东湾村小学 stage=小学 staffing=在编 years_teaching=2
expect_status 0 "the database takes a new record after the kills"
