# lib.sh - what the command-line tests share. Each test file sources it,
# calls setup, runs the program with `run`, and checks with the expect_*
# functions, which print "ok - ..." or "not ok - ..." (tests/run counts them).
#
# Every test works on its own copy of config/ and forms/ and its own database
# in a temporary folder, with "today" fixed, so nothing depends on the clock
# or on another test.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TR=${TR:-$TOP/build/talentreg}
export TALENTREG_TODAY=2026-11-29
unset TALENTREG_DB TALENTREG_CONFIG

setup() {
	WORK=$(mktemp -d /tmp/talentreg-cli.XXXXXX)
	trap 'rm -rf "$WORK"' EXIT
	cp -r "$TOP/config" "$TOP/forms" "$WORK/"
	mkdir "$WORK/data"
	export TALENTREG_CONFIG="$WORK/config"
	DB="$WORK/data/talentreg.db"
}

# run ARGS...: runs talentreg; sets $out, $err and $status.
run() {
	out=$("$TR" "$@" 2>"$WORK/stderr")
	status=$?
	err=$(cat "$WORK/stderr")
}

_ok() { echo "ok - $1"; }
_fail() {
	echo "not ok - $1"
	echo "#   command status: $status"
	printf '#   stdout: %s\n' "$(printf '%s' "$out" | head -20)"
	printf '#   stderr: %s\n' "$(printf '%s' "$err" | head -20)"
}

# expect_status N DESCRIPTION
expect_status() {
	if [ "$status" -eq "$1" ]; then _ok "$2"; else _fail "$2 (expected status $1)"; fi
}
# expect_out TEXT DESCRIPTION: stdout contains TEXT
expect_out() {
	if printf '%s' "$out" | grep -qF -- "$1"; then _ok "$2"; else _fail "$2 (stdout lacks '$1')"; fi
}
# expect_err TEXT DESCRIPTION: stderr contains TEXT
expect_err() {
	if printf '%s' "$err" | grep -qF -- "$1"; then _ok "$2"; else _fail "$2 (stderr lacks '$1')"; fi
}
# expect_no_out REGEX DESCRIPTION: stdout has no match of the extended regex
expect_no_out() {
	if printf '%s' "$out" | grep -qE -- "$1"; then _fail "$2 (stdout matches '$1')"; else _ok "$2"; fi
}
# expect_eq ACTUAL EXPECTED DESCRIPTION
expect_eq() {
	if [ "$1" = "$2" ]; then _ok "$3"; else _fail "$3 (got '$1', expected '$2')"; fi
}

# The database's whole content, for "nothing changed" checks.
db_dump() {
	sqlite3 "$DB" .dump 2>/dev/null | md5sum
}

# A valid record of each core category, as key=value arguments.
TEACHER=(name=王小梅 id_number=11010519491231002X phone=13800138000 township=宁远堡镇
	school=宁远堡镇中心小学 stage=小学 staffing=在编 years_teaching=20)
