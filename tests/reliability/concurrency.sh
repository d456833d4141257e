#!/usr/bin/env bash
# concurrency.sh - many officers at once: WRITERS processes each add ADDS
# records with `talentreg add`, while BROWSERS processes keep reading
# (`list --search`, `list --limit 50`, `report`) until the writers are done.
# Afterwards all WRITERS x ADDS records are there, every command exited 0,
# and no "database is locked" or busy message reached anyone's stderr.
#
# Long form: 10 x 1,000 adds and 2 browsers. Short form
# (tests/cli/test_rel_concurrency.sh): 4 x 100 and 1 browser.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WRITERS=${WRITERS:-10}
ADDS=${ADDS:-1000}
BROWSERS=${BROWSERS:-2}
setup
run init
expect_status 0 "init for the concurrency test"
LOGS=$WORK/logs
mkdir -p "$LOGS"

# writer W: ADDS adds; each failure is logged with its status and stderr.
writer() {
	local w=$1 n rc
	for ((n = 0; n < ADDS; n++)); do
		rel_teacher $((w * 100000 + n))
		"$TR" add rural_teacher "${REC[@]}" >>"$LOGS/w$w.out" 2>"$LOGS/w$w.err.last"
		rc=$?
		cat "$LOGS/w$w.err.last" >>"$LOGS/w$w.err"
		[ $rc -eq 0 ] || echo "add $w/$n: status $rc" >>"$LOGS/fail"
	done
}
# browser B: lists, searches and reports until the writers are done.
browser() {
	local b=$1 i=0 rc q
	local searches=(测试1 测试 620302 东湾村 13800 宁远堡镇 测试12)
	while [ ! -e "$LOGS/done" ]; do
		q=${searches[i % ${#searches[@]}]}
		"$TR" list --search "$q" --limit 20 >/dev/null 2>>"$LOGS/b$b.err"
		rc=$?; [ $rc -eq 0 ] || echo "list --search $q: status $rc" >>"$LOGS/fail"
		"$TR" list --limit 50 >/dev/null 2>>"$LOGS/b$b.err"
		rc=$?; [ $rc -eq 0 ] || echo "list --limit 50: status $rc" >>"$LOGS/fail"
		"$TR" report >/dev/null 2>>"$LOGS/b$b.err"
		rc=$?; [ $rc -eq 0 ] || echo "report: status $rc" >>"$LOGS/fail"
		i=$((i + 1))
	done
	echo "$i" >"$LOGS/b$b.rounds"
}

start=$(date +%s)
for ((b = 0; b < BROWSERS; b++)); do browser "$b" & bpid[b]=$!; done
for ((w = 0; w < WRITERS; w++)); do writer "$w" & wpid[w]=$!; done
wait "${wpid[@]}"
touch "$LOGS/done"
wait "${bpid[@]}"
secs=$(($(date +%s) - start))
rounds=0
for f in "$LOGS"/b*.rounds; do [ -s "$f" ] && rounds=$((rounds + $(cat "$f"))); done
_ok "$((WRITERS * ADDS)) adds by $WRITERS writers in $secs s, beside $BROWSERS browsers (${rounds:-0} rounds of list, search and report)"

total=$((WRITERS * ADDS))
expect_eq "$(sql "$DB" "SELECT count(*) FROM records")" "$total" "all $total records are stored"
expect_eq "$(cat "$LOGS"/w*.out | sort -u | wc -l)" "$total" "each add printed its own uuid"
expect_eq "$(head -5 "$LOGS/fail" 2>/dev/null)" "" "every add, list and report exited 0"
expect_no_busy "$LOGS"/w*.err "$LOGS"/b*.err "no 'database is locked' or busy message reached anyone"
run list --format json --limit 100000
expect_eq "$(json_of 'len(d)')" "$total" "list --format json shows all $total"
check_db "$DB" "after the concurrent adds"
