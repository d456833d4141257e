# lib.sh - what the reliability tests share, on top of tests/cli/lib.sh
# (setup, run, the expect_* functions and their "ok -" / "not ok -" lines).
#
# Each test comes in two sizes: the long form (tests/reliability/*.sh, run by
# `make reliability`) and a short form (tests/cli/test_rel_*.sh, run by
# `make test`), which is the same script with smaller numbers. The numbers
# are variables with the long form's values as defaults; a short form sets
# them before sourcing its script.

REL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$REL_DIR/../cli/lib.sh"

# rel_id K: prints a valid resident ID number, different for every K from 0
# to 10 million: a 1966-1995 birth date (the age a rural teacher may have on
# TALENTREG_TODAY) and a sequence number, with the GB 11643 check character.
rel_id() {
	local k=$1 seq rest
	seq=$((k % 1000))
	rest=$((k / 1000))
	id_with_check "$(printf '620302%04d%02d%02d%03d' $((1966 + rest / 336 % 30)) \
		$((rest / 28 % 12 + 1)) $((rest % 28 + 1)) "$seq")"
}

# rel_uuid A B: a uuid made of two numbers (writer and sequence), so that a
# test can tell which writer made a record.
rel_uuid() {
	printf '%08x-0000-4000-8000-%012x\n' "$1" "$2"
}

# The arguments of a valid rural teacher record for person K (besides the ID).
rel_teacher() {
	REC=(name="测试$1" id_number="$(rel_id "$1")" phone=13800138000 township=宁远堡镇
		village=东湾村 school=东湾村小学 stage=小学 staffing=在编 years_teaching=2)
}

# sql DB SQL: sqlite3 with a busy timeout, for checks that run beside the
# program (never in a transaction of its own that the program could wait on).
sql() {
	sqlite3 -cmd '.timeout 10000' "$1" "$2"
}

# The rows of slow not in fast and of fast not in slow (each EXCEPT in its
# own subquery: compound SELECTs run left to right, so without them the
# first difference would be added back and taken away again).
REL_BOTH_WAYS="SELECT count(*) FROM (
  SELECT * FROM (SELECT * FROM slow EXCEPT SELECT * FROM fast)
  UNION ALL
  SELECT * FROM (SELECT * FROM fast EXCEPT SELECT * FROM slow))"

# Every live record once in each of its count groups and '*', by its status
# and '*' (the rows ST_PEOPLE_ADD in src/store_schema.c adds one to), as the
# start of a WITH that the recounts below finish.
REL_EACH="WITH live AS (
  SELECT r.category AS category, r.status AS status, r.person_key AS p,
         coalesce(r.township, '') AS town, r.vals AS vals
  FROM records r WHERE r.status <> 'withdrawn'),
keyed AS (
  SELECT g.grp AS team, status, CASE WHEN g.keyed IS NULL THEN p
   ELSE json_extract(vals, '\$.\"' || g.keyed || '\"') END AS p, town
  FROM live JOIN count_group g
   ON g.category = live.category AND (g.conds IS NULL OR NOT EXISTS (
    SELECT 1 FROM json_each(g.conds) c WHERE NOT EXISTS (
     SELECT 1 FROM json_each(c.value, '\$.v') v WHERE CASE
      WHEN json_extract(c.value, '\$.m') THEN instr('|' || json_extract(vals,
       '\$.\"' || json_extract(c.value, '\$.f') || '\"') || '|', '|' || v.value || '|') > 0
      ELSE json_extract(vals, '\$.\"' || json_extract(c.value, '\$.f') || '\"') IS v.value
     END)))),
tagged AS (
  SELECT team, status, p, town FROM keyed WHERE p IS NOT NULL AND p <> ''
  UNION ALL SELECT '*', status, p, town FROM live),
each AS (
  SELECT team, status, p, town FROM tagged
  UNION ALL SELECT team, '*', p, town FROM tagged),"

# The running counts of people (schemas 3, 5 and 7) counted again the slow
# way: every (count group, status, township) with '*' for everyone, every
# live status and all townships, with COUNT(DISTINCT person_key) over the
# live records. A count group is a team or a target of targets.ini, with its
# conditions (schema 8: count_group.conds, a JSON array of {f, v: [values],
# m: a multi-choice field}, all of which must hold; src/store_int.h); a
# keyed group (a coverage target) counts the values of its field instead of
# people. Rows of people_count whose count fell to 0
# may stay.
REL_RECOUNT="
$REL_EACH
slow AS (
  SELECT team, status, town, count(DISTINCT p) AS c FROM each GROUP BY 1, 2, 3
  UNION ALL
  SELECT team, status, '*', count(DISTINCT p) FROM each GROUP BY 1, 2),
fast AS (SELECT team, status, township, c FROM people_count WHERE c <> 0)
$REL_BOTH_WAYS"

# people holds, per keyed group (schema 12: a coverage target), status, key
# and township, how many live records; the other groups have no rows there.
REL_PEOPLE_RECOUNT="
$REL_EACH
slow AS (SELECT team, status, p, town, count(*) FROM each
  WHERE team IN (SELECT grp FROM count_group WHERE keyed IS NOT NULL) GROUP BY 1, 2, 3, 4),
fast AS (SELECT team, status, person_key, township, n FROM people WHERE n <> 0)
$REL_BOTH_WAYS"

# record_count holds the records of each (category, status, township).
REL_RECORDS_RECOUNT="
WITH slow AS (SELECT category, status, coalesce(township, ''), count(*) FROM records
  GROUP BY 1, 2, 3),
fast AS (SELECT category, status, township, n FROM record_count WHERE n <> 0)
$REL_BOTH_WAYS"

# records_grams holds every 1- and 2-character piece of each record's name,
# and nothing else; village_grams holds the pieces of every village a record
# names (it may keep a village no record names any more: a search of it
# finds nothing). ST_NAME_GRAMS and ST_VILLAGE_GRAMS in src/store_schema.c.
REL_GRAMS_RECOUNT="
WITH RECURSIVE c(id, name, i) AS (
  SELECT id, name, 1 FROM records
  UNION ALL SELECT id, name, i + 1 FROM c WHERE i < length(name)),
slow AS (
  SELECT substr(name, i, 1), id FROM c
  UNION SELECT substr(name, i, 2), id FROM c WHERE i < length(name)),
fast AS (SELECT gram, id FROM records_grams)
$REL_BOTH_WAYS"
REL_VILLAGE_GRAMS_MISSING="
WITH RECURSIVE c(village, i) AS (
  SELECT DISTINCT village, 1 FROM records WHERE village IS NOT NULL AND village <> ''
  UNION ALL SELECT village, i + 1 FROM c WHERE i < length(village))
SELECT count(*) FROM (SELECT substr(village, i, 1) AS gram, village FROM c
  UNION SELECT substr(village, i, 2), village FROM c WHERE i < length(village)) s
 WHERE NOT EXISTS (SELECT 1 FROM village_grams v WHERE v.gram = s.gram AND v.village = s.village)"

# check_db DB WHAT: the database is whole: integrity_check and the search
# index's own check pass, every record is complete (vals is a JSON object
# holding the form's required fields, and its columns agree with it), each
# record has exactly one create row in the audit and no create row lacks its
# record, and the running counts of people and records and the index of
# short pieces agree with a recount.
check_db() {
	local db=$1 what=$2 got
	got=$(sql "$db" "PRAGMA integrity_check" 2>&1)
	expect_eq "$got" "ok" "$what: integrity_check is ok"
	got=$(sql "$db" "INSERT INTO records_fts(records_fts) VALUES ('integrity-check'); SELECT 'ok'" 2>&1)
	expect_eq "$got" "ok" "$what: the search index agrees with the records"
	got=$(sql "$db" "SELECT count(*) FROM records WHERE NOT json_valid(vals)
		OR json_type(vals) <> 'object'
		OR json_extract(vals, '\$.name') IS NOT name
		OR json_extract(vals, '\$.id_number') IS NOT person_key
		OR json_extract(vals, '\$.township') IS NOT township
		OR (category = 'rural_teacher' AND (
		    json_extract(vals, '\$.school') IS NULL OR json_extract(vals, '\$.stage') IS NULL
		 OR json_extract(vals, '\$.staffing') IS NULL
		 OR json_extract(vals, '\$.years_teaching') IS NULL
		 OR json_extract(vals, '\$.phone') IS NULL
		 OR json_extract(vals, '\$.gender') IS NULL
		 OR json_extract(vals, '\$.birth_date') IS NULL))" 2>&1)
	expect_eq "$got" "0" "$what: no half record (vals whole, columns agree)"
	got=$(sql "$db" "SELECT count(*) FROM records r WHERE (SELECT count(*) FROM audit a
		WHERE a.uuid = r.uuid AND a.action = 'create') <> 1" 2>&1)
	expect_eq "$got" "0" "$what: every record has exactly one create row in the audit"
	got=$(sql "$db" "SELECT count(*) FROM audit a WHERE a.action = 'create'
		AND NOT EXISTS (SELECT 1 FROM records r WHERE r.uuid = a.uuid)" 2>&1)
	expect_eq "$got" "0" "$what: no create row in the audit without its record"
	got=$(sql "$db" "$REL_RECOUNT" 2>&1)
	expect_eq "$got" "0" "$what: people_count agrees with COUNT(DISTINCT person_key)"
	got=$(sql "$db" "$REL_PEOPLE_RECOUNT" 2>&1)
	expect_eq "$got" "0" "$what: people agrees with a recount of the live records"
	got=$(sql "$db" "$REL_RECORDS_RECOUNT" 2>&1)
	expect_eq "$got" "0" "$what: record_count agrees with a count of the records"
	got=$(sql "$db" "$REL_GRAMS_RECOUNT" 2>&1)
	expect_eq "$got" "0" "$what: the index of 1-2 character pieces agrees with the records"
	got=$(sql "$db" "$REL_VILLAGE_GRAMS_MISSING" 2>&1)
	expect_eq "$got" "0" "$what: every village named has its pieces"
}

# expect_clean FILE... DESCRIPTION: no "database is locked", busy or
# SQLite-internal message in any of the files (stderr of the program).
expect_no_busy() {
	local desc=${*: -1} files=("${@:1:$#-1}") hits
	hits=$(cat "${files[@]}" 2>/dev/null | grep -aiE 'locked|busy|正忙' | head -5)
	if [ -z "$hits" ]; then _ok "$desc"; else
		status=1 out="" err=$hits
		_fail "$desc"
	fi
}

# cpu_ticks PID: utime + stime of PID from /proc (clock ticks); empty when gone.
cpu_ticks() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }	# the fields after the command name
	set -- $stat
	echo $((${12} + ${13}))
}

# proc_state PID: the one-letter state of PID (Z for a zombie), empty when gone.
proc_state() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	echo "${stat%% *}"
}

# gone PID: true when PID has exited (a zombie has: its parent, the tmux
# server, may be gone before it could reap it).
gone() {
	local s
	s=$(proc_state "$1") || return 0
	[ "$s" = Z ] || [ "$s" = X ]
}
