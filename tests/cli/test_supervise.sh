#!/usr/bin/env bash
# Supervision (issue 14; the plan's 定期督查、随机抽查): a random sample of a
# township's records drawn and kept, each sampled record checked with a
# note (and shown in its history); per-login activity over a period.
# Supervisors and admins only, within their townships.
source "$(dirname "$0")/lib.sh"
setup
run init --demo 60
expect_status 0 "a demo database of 60 records"

# --- drawing a sample -----------------------------------------------------------------------

run --as officer_ny sample draw --township 宁远堡镇
expect_status 3 "an officer cannot draw a sample"
run --as supervisor_ny sample draw --township 双湾镇
expect_status 3 "a township's supervisor cannot sample another township"
run --as supervisor_ny sample draw --township 无此镇
expect_status 2 "an unknown township is a usage error"
run --as supervisor_ny sample draw --township 宁远堡镇 --size 0
expect_status 2 "a size of 0 is a usage error"
in_town=$(sqlite3 "$DB" "SELECT count(*) FROM records WHERE township = '宁远堡镇' AND status <> 'withdrawn'")
run --as supervisor_ny sample draw --township 宁远堡镇 --size 5
expect_status 0 "a supervisor draws 5 records of 宁远堡镇"
expect_out "已抽取第 1 号抽查：宁远堡镇，5 条记录" "  sample no. 1, of 5 records"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sample_items WHERE sample = 1")" 5 "  kept: 5 records in the sample"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sample_items i JOIN records r ON r.uuid = i.uuid WHERE i.sample = 1 AND r.township = '宁远堡镇'")" 5 \
	"  all of 宁远堡镇"
expect_eq "$(sqlite3 "$DB" "SELECT count(DISTINCT uuid) FROM sample_items WHERE sample = 1")" 5 "  no record twice"
run --as supervisor_ny sample draw --township 宁远堡镇 --size 1000
expect_status 0 "a sample larger than the township takes every record"
expect_out "条记录" "  and says how many"
expect_eq "$(sqlite3 "$DB" "SELECT size FROM samples WHERE id = 2")" "$in_town" "  all $in_town of them"
run --as supervisor sample draw --township 双湾镇 --size 3 --category grower
expect_status 0 "a sample of one category"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sample_items i JOIN records r ON r.uuid = i.uuid WHERE i.sample = 3 AND r.category <> 'grower'")" 0 \
	"  holds only that category"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'sample'")" 3 "each draw is recorded"

# --- checking its records ------------------------------------------------------------------------

run --as supervisor_ny sample list --format json
expect_json '[s["id"] for s in d]' "[2, 1]" "a township's supervisor lists its township's samples, newest first"
run --as supervisor sample list --format json
expect_json 'len(d)' 3 "the district's supervisor lists all three"
run --as supervisor_ny sample show 3
expect_status 3 "a sample of another township is not shown"
run --as supervisor_ny sample show 1 --format json
expect_json 'len(d)' 5 "sample show lists its 5 records"
expect_json '{x["result"] for x in d}' "{''}" "  none checked yet"
U1=$(json_of 'd[0]["uuid"]')
U2=$(json_of 'd[1]["uuid"]')
run --as supervisor_ny sample check 1 "${U1:0:8}"
expect_status 2 "a check needs a note"
run --as officer_ny sample check 1 "${U1:0:8}" --note "电话核实无误"
expect_status 3 "an officer cannot record a check"
run --as supervisor_ny sample check 1 "${U1:0:8}" --note "电话核实，信息无误"
expect_status 0 "a supervisor records a check by the uuid's first 8 characters"
run --as supervisor_ny sample check 1 "$U2" --note "缺身份证复印件" --problem
expect_status 0 "and one with a problem"
run --as supervisor_ny sample check 1 00000000-0000-4000-8000-000000000000 --note 某
expect_status 3 "a record not in the sample is refused"
run --as supervisor_ny sample show 1 --format json
expect_json "[x['result'] for x in d if x['uuid'] == '$U1'][0]" ok "the first is checked, in order"
expect_json "[x['note'] for x in d if x['uuid'] == '$U2'][0]" "缺身份证复印件" "the second has its note"
run --as supervisor_ny sample list --format json
expect_json '[(s["checked"], s["problems"]) for s in d if s["id"] == 1][0]' "(2, 1)" \
	"the list counts 2 checked, 1 with a problem"
run --as supervisor_ny sample show 1
expect_out "已核查 2 条，有问题 1 条" "the printed sample says so too"
run history "$U2"
expect_out "第 1 号抽查：有问题。缺身份证复印件" "the check is in the record's history"

# --- activity over a period -----------------------------------------------------------------------

run --as officer_ny activity
expect_status 3 "an officer cannot see activity"
run --as supervisor activity --year 2026 --format json
expect_status 0 "activity --year 2026"
expect_json '[r["entered"] for r in d if r["login"] == "root"][0]' 60 "root entered the 60 demo records"
expect_json '[r["reviewed"] for r in d if r["login"] == "supervisor"][0]' 30 "the district's supervisor decided 30"
expect_json '[r["approved"] for r in d if r["login"] == "root"][0]' 30 "  and 30 of root's records were approved"
expect_json '[r["checked"] for r in d if r["login"] == "supervisor_ny"][0]' 2 "supervisor_ny made 2 spot checks"
run --as supervisor_ny activity --year 2026 --format json
expect_json '[r["entered"] for r in d if r["login"] == "root"][0] < 60' True \
	"a township's supervisor sees only its township's records"
run --as supervisor activity --from 2000-01-01 --to 2000-12-31 --format json
expect_json 'len(d)' 0 "nothing in a year long past"
run --as supervisor activity --from 2026-13-01
expect_status 2 "a bad day is a usage error"
run --as supervisor activity --year 2026
expect_out "工作量统计：2026-01-01 至 2026-12-31" "the table names the period"
