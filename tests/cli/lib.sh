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
# _skip DESCRIPTION WHY: a test that cannot run here; tests/run counts it as
# skipped, never as passed.
_skip() { echo "ok - $1 # SKIP $2"; }
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
# A whole ID number and a whole mobile number, as extended regexes. The
# phone's digits must not touch a hex digit: a random uuid holds 11 digits
# in a row now and then ("…-115490193135"), which is not a phone.
FULL_ID_RE='[0-9]{17}[0-9X]'
FULL_PHONE_RE='(^|[^0-9a-fA-F])1[3-9][0-9]{9}($|[^0-9a-fA-F])'
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

# ---- helpers for test_setup/records/roles/report.sh ----

# Valid records of the three core categories (checked against forms/*.ini;
# the IDs pass the GB 11643 check). Ages are as of TALENTREG_TODAY.
REC_TEACHER=(name=王小梅 id_number=620302198506120028 phone=13800138000
	township=宁远堡镇 village=东湾村 school=东湾村小学 stage=小学 staffing=在编
	years_teaching=12)
REC_COOP=(name=李建国 id_number=620302199003071230 phone=13912345678
	township=双湾镇 village=南湾村 coop_name=南湾村蔬菜专业合作社
	coop_uscc=93620302MA7XXXXX1B member_count=12 position=理事长 founded_on=2015-03-05)
REC_ECOM=(name=张力 id_number=620302200001010018 phone=13700001111
	township=宁远堡镇 village=东湾村 course=农村电商运营实务班
	training_date=2026-05-10 training_site=宁远堡镇文化站 has_shop=否)

# rec BASE key=value...: sets the array REC to the key=value arguments of the
# array named BASE, with each given key replaced (or added when new); a bare
# "-key" removes that key.
rec() {
	local -n _base=$1
	shift
	REC=("${_base[@]}")
	local a i
	for a in "$@"; do
		local k=${a%%=*} drop=
		case $a in -*) k=${a#-}; drop=1 ;; esac
		local found=
		for i in "${!REC[@]}"; do
			if [ "${REC[$i]%%=*}" = "$k" ]; then
				found=1
				if [ -n "$drop" ]; then unset 'REC[i]'; else REC[$i]=$a; fi
			fi
		done
		[ -z "$found" ] && [ -z "$drop" ] && REC+=("$a")
	done
	REC=("${REC[@]}")
}

# id_with_check FIRST17: prints the resident ID with its GB 11643 check character.
id_with_check() {
	local s=$1 sum=0 i w=(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) c=10X98765432
	for ((i = 0; i < 17; i++)); do sum=$((sum + ${s:i:1} * w[i])); done
	printf '%s%s\n' "$s" "${c:sum%11:1}"
}

# fullwidth TEXT: prints TEXT with its ASCII digits as full-width digits (what
# a Chinese IME may type).
fullwidth() {
	printf '%s' "$1" | sed 's/0/０/g; s/1/１/g; s/2/２/g; s/3/３/g; s/4/４/g; s/5/５/g; s/6/６/g; s/7/７/g; s/8/８/g; s/9/９/g'
}

# json_of EXPR: evaluates the Python expression EXPR with d = the JSON on $out.
json_of() {
	printf '%s' "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1" 2>&1
}

# expect_json EXPR VALUE DESCRIPTION: EXPR (over d = the JSON on $out) prints VALUE.
expect_json() {
	local got
	got=$(json_of "$1")
	if [ "$got" = "$2" ]; then _ok "$3"; else _fail "$3 ($1 is '$got', expected '$2')"; fi
}

# expect_unchanged BEFORE DESCRIPTION: db_dump is still BEFORE.
expect_unchanged() {
	local now
	now=$(db_dump)
	if [ "$now" = "$1" ]; then _ok "$2"; else _fail "$2 (the database changed)"; fi
}

# expect_err_line TEXT DESCRIPTION: stderr has a line that is exactly TEXT.
expect_err_line() {
	if printf '%s\n' "$err" | grep -qxF -- "$1"; then _ok "$2"; else _fail "$2 (stderr lacks the line '$1')"; fi
}

# count_records [WHERE]: the number of rows in records, straight from SQLite.
count_records() {
	sqlite3 "$DB" "SELECT count(*) FROM records${1:+ WHERE $1}"
}

# stored UUID FIELD: the value of FIELD as stored in the database (IDs and
# phones are masked on every screen, so normalisation is checked here).
stored() {
	sqlite3 "$DB" "SELECT json_extract(vals, '\$.$2') FROM records WHERE uuid = '$1'"
}

# lookups: the whole-number lookups in the audit.
lookups() { sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'lookup'"; }
# lookups_counted: the whole-number lookups an officer's day limit counts:
# every one in the audit but those of people then registered by whoever
# looked them up (the tests act as every login from one real login).
lookups_counted() {
	sqlite3 "$DB" "SELECT count(*) FROM audit a WHERE a.action = 'lookup' AND NOT EXISTS
		(SELECT 1 FROM records r WHERE r.person_key = a.comment
		AND r.created_by = coalesce(a.as_user, a.login) AND r.created_at >= a.at)"
}
