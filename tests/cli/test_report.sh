#!/usr/bin/env bash
# The report: people counted once (by ID number) across categories, the team,
# category, target and township lines in json, csv and table, and a target
# with `where` counting only matching records.
source "$(dirname "$0")/lib.sh"
setup
run init >/dev/null

# P: one person registered four times (teacher and e-commerce trainee in
# 宁远堡镇, cooperative leader in 双湾镇, artisan in 宁远堡镇).
# Q: an e-commerce trainee who sells by live-streaming, in 双湾镇.
# R: an artisan in 宁远堡镇, whose ID is typed with a lower-case x the second time.
P=620302198506120028
Q=620302199003071230
R=62030219750808023X
add_ok() {
	run add "$@"
	[ "$status" -eq 0 ] || _fail "setting up: add $1 (${*:2})"
}
ARTISAN=(craft_category=传统手工艺 craft_name=金川刺绣 years_practice=10)
rec REC_TEACHER id_number=$P;                          add_ok rural_teacher "${REC[@]}"
rec REC_COOP id_number=$P name=王小梅;                  add_ok coop_leader "${REC[@]}"
rec REC_ECOM id_number=$P name=王小梅;                  add_ok ecommerce_trainee "${REC[@]}"
rec REC_ECOM id_number=$P name=王小梅 "${ARTISAN[@]}" -course -training_date -training_site -has_shop
add_ok artisan "${REC[@]}"
rec REC_ECOM id_number=$Q name=马小兰 township=双湾镇 village=南湾村 live_streaming=是 has_shop=是 shop_name=南湾小店
add_ok ecommerce_trainee "${REC[@]}"
U_Q=$out
rec REC_ECOM id_number=${R%X}x name=刘晓 "${ARTISAN[@]}" -course -training_date -training_site -has_shop
add_ok artisan "${REC[@]}"
expect_eq "$(count_records)" 6 "six registrations of three people are saved"

# --- json -----------------------------------------------------------------------

run report --format json
expect_status 0 "report --format json"
line() { printf '[x for x in d["%s"] if x["key"] == "%s"][0]["%s"]' "$1" "$2" "$3"; }
expect_json "$(line total total total)" 3 "the total counts 3 people, not 6 registrations"
expect_json "$(line total total target)" 1000 "  against the plan's target of 1000"
expect_json "$(line teams public_service total)" 1 "public_service counts the teacher once"
expect_json "$(line teams agri_production total)" 1 "agri_production counts the cooperative leader once"
expect_json "$(line teams rural_industry total)" 3 \
	"rural_industry counts 3 people: P (trainee and artisan) once, Q, and R"
expect_json "$(line teams governance total)" 0 "governance counts nobody"
expect_json "$(line teams agri_tech total)" 0 "agri_tech counts nobody"
expect_json "$(line teams rural_industry target)" 500 "rural_industry's target is 500"
expect_json "$(line categories rural_teacher total)" 1 "one rural_teacher"
expect_json "$(line categories coop_leader total)" 1 "one coop_leader"
expect_json "$(line categories ecommerce_trainee total)" 2 "two ecommerce_trainee"
expect_json "$(line categories artisan total)" 2 "two artisan"
expect_json "$(line categories grower total)" 0 "no grower"
expect_json "$(line targets ecommerce total)" 2 "the e-commerce target counts both trainees"
expect_json "$(line targets live_streaming total)" 1 "the live-streaming target (where live_streaming=是) counts only Q"
expect_json "$(line targets live_streaming target)" 10 "  against its target of 10"
expect_json "$(line targets hq_farmers total)" 0 "the high-quality farmers target counts nobody"
expect_json "$(line townships 宁远堡镇 total)" 2 "宁远堡镇 counts P and R"
expect_json "$(line townships 双湾镇 total)" 2 "双湾镇 counts P (cooperative) and Q"
expect_json "$(line total total submitted)" 3 "all 3 people are waiting for review"
expect_json "$(line total total approved)" 0 "  and none is approved"
expect_json '[t["key"] for t in d["teams"]]' \
	"['rural_industry', 'agri_production', 'public_service', 'governance', 'agri_tech']" \
	"the five teams, in the order of targets.ini"
expect_json 'len(d["categories"])' 15 "a line for each of the 15 categories"

# --- csv and table ----------------------------------------------------------------

run report --format csv
expect_status 0 "report --format csv"
expect_out "section,key,label,target,approved,submitted,total," "the csv has a header"
expect_out "total,total,五支人才队伍合计（按人计）,1000,0,3,3," "the total line: 3 people"
expect_out "team,rural_industry,农村二三产业发展人才,500,0,3,3," "the rural_industry line: 3 people"
expect_out "team,public_service,乡村公共服务人才,500,0,1,1," "the public_service line: 1 person"
expect_out "category,ecommerce_trainee,电商培训学员,,0,2,2," "the ecommerce_trainee line: 2"
expect_out "target,live_streaming,直播带货人员,10,0,1,1," "the live_streaming line: 1"
expect_out "township,双湾镇,双湾镇,400,0,2,2," "the 双湾镇 line: 2, against the township's target (targets.ini: 400)"
n=$(printf '%s\n' "$out" | grep -c '^category,')
expect_eq "$n" 15 "15 category lines"

run report
expect_status 0 "report (table)"
for h in 按队伍 按类别 专项目标 按乡镇 直播带货人员 农村二三产业发展人才; do
	expect_out "$h" "the table shows $h"
done

run report --format xml
expect_status 2 "report --format xml is a usage error"
run report extra
expect_status 2 "report with a stray argument is a usage error"

# --- status changes move the counts --------------------------------------------

# Approve Q (there is no review command yet: set it in the database).
sqlite3 "$DB" "UPDATE records SET status = 'approved' WHERE uuid = '$U_Q'"
run report --format json
expect_json "$(line targets live_streaming approved)" 1 "an approved live-streamer counts as approved"
expect_json "$(line targets live_streaming submitted)" 0 "  and no longer as waiting"
expect_json "$(line targets live_streaming total)" 1 "  the total is unchanged"
# Withdraw Q: a withdrawn record is not counted.
sqlite3 "$DB" "UPDATE records SET status = 'withdrawn' WHERE uuid = '$U_Q'"
run report --format json
expect_json "$(line targets live_streaming total)" 0 "a withdrawn record is not counted"
expect_json "$(line total total total)" 2 "  and the total drops to 2 people"

# Editing live_streaming moves a record in or out of the target.
U_P_ECOM=$(sqlite3 "$DB" "SELECT uuid FROM records WHERE category = 'ecommerce_trainee' AND person_key = '$P'")
run edit "$U_P_ECOM" live_streaming=是
expect_status 0 "P's trainee record is edited to live_streaming=是"
run report --format json
expect_json "$(line targets live_streaming total)" 1 "  and now the live-streaming target counts P"
