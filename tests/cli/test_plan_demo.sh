#!/usr/bin/env bash
# Issue 14's table, row by row, on the demo data: each demand of the plan
# that the program could not answer before is answered by a command whose
# output is checked here, on `talentreg init --demo 300` (which now notes
# progress on the ledger, closes an item and tags people).
source "$(dirname "$0")/lib.sh"
setup
run init --demo 300
expect_status 0 "init --demo 300"
expect_out "工作台账示例进展 9 条，人员标记 6 个" "the demo notes ledger progress and tags people"

line() { printf '[x for x in d["%s"] if x["key"] == "%s"][0]["%s"]' "$1" "$2" "$3"; }
item() { printf '[x for x in d if x["id"] == "%s"][0]["%s"]' "$1" "$2"; }

# 1. people: 1000, the teams, 电商 20, 直播 10, 高素质农民 300, 种养大户 20, 科技特派员 10
run report --format json
for k in ecommerce live_streaming hq_farmers large_growers tech_commissioner; do
	expect_json "$(line targets "$k" total) > 0" True "report counts the people of target $k"
done
expect_json "$(line total total target)" 1000 "  against the district's 1000"

# 2. things: 3 stations, 1 park, 3 points, 10 problems, 1-3 studios, 3 teams, 5-year plans
run task list --format json
expect_json "$(item 4.1 progress)" "2 / 3 个" "task list: 4.1 two of three legal service stations"
expect_json "$(item 4.1 state)" in_progress "  in progress"
expect_json "$(item 5.1 progress)" "0 / 1 家" "task list: 5.1 the city-level park, not started"
expect_json "$(item 5.2 progress)" "1 / 3 个" "task list: 5.2 one of three demonstration points"
expect_json "$(item 5.3 progress)" "0 / 1 个" "task list: 5.3 the studios"
expect_json "$(item 6.1 progress)" "0 / 3 个" "task list: 6.1 the expert teams"
expect_json "$(item 6.4 progress)" "4 / 10 个" "task list: 6.4 four of ten technical problems solved"
expect_json "$(item 9.4 progress)" "0 / 4 项" "task list: 9.4 the five-year plans"
run task show 6.4
expect_out "与省农科院合作解决制种玉米倒伏" "task show 6.4 lists the notes with what was done"
expect_out "合作协议及技术报告" "  and the evidence"

# 3. every village: 一村一客, 一村一法律顾问, 驻村工作队全覆盖
run report --format json
for k in village_creators village_legal_advisers village_teams; do
	expect_json "$(line targets "$k" kind)" coverage "report: $k counts villages"
	expect_json "[len(c['missing']) for c in d['coverage'] if c['key'] == '$k'] != []" True \
		"  with the villages still missing, per township"
done
expect_json "$(line targets village_creators target)" 15 "  out of the 15 villages"
run report
expect_out "尚缺：" "the printed report names the missing villages"
run list --village 东湾村 --format json
expect_json 'len(d) > 0 and all(x["village"] == "东湾村" for x in d)' True "list --village lists a village's records"

# 4. 培树 5 青年创业主体, 2 返乡创业典型: tags
run tag list --format json
expect_json 'sorted(x["tag"] for x in d)' \
	"['优秀人才', '优秀人才', '返乡创业典型', '青年创业典型', '青年创业典型', '青年创业典型']" \
	"tag list: the demo's tags"
run report --format json
expect_json "$(line targets youth_models total)" 3 "report: 3 of the 5 youth models"
expect_json "$(line targets returnee_models total)" 1 "report: 1 of the 2 returnee models"

# 5. 家庭服务业从业人员 300, 交流干部 10, 农业经理人; 团组织书记/妇联主席
run forms
for c in domestic_service exchange_cadre agri_manager village_team_member; do
	expect_out "$c" "forms lists $c"
done
run report --format json
for c in domestic_service exchange_cadre agri_manager village_team_member; do
	expect_json "$(line categories "$c" total) > 0" True "  and the demo registers $c"
done
expect_json "$(line targets domestic_service target)" 300 "report: 家庭服务业从业人员 against 300"
expect_json "$(line targets exchange_cadres target)" 10 "report: 交流干部 against 10"
run forms --fields village_cadre
expect_out "村团组织书记|村妇联主席" "village cadres' posts include 团组织书记 and 妇联主席"

# 6. 党员 across the teams, with several conditions
run report --format json
expect_json "$(line targets party_members total) > 0" True "report: party members across every category"
expect_json "$(line targets youth_women_cadres kind)" people "report: 团组织书记、妇联主席 (a where on a multi-choice field)"

# 7. 销号管理, 完成时限和责任人
run task list --format json
expect_json "$(item 6.3 state)" closed "task list: the demo's 6.3 is closed (销号)"
expect_json "$(item 1.1 state)" done "  1.1 is done, waiting to be closed"
expect_json "$(item 6.4 unit)" "区科技局、区农业农村局" "  each item with its unit"
expect_json "$(item 6.4 deadline)" 2022-12-31 "  and deadline"
run task list --overdue --format json
expect_json "$(item 5.1 overdue)" yes "task list --overdue: the plan's 2022 items not done are overdue"
run --as officer_ny task close 1.1 --comment 已完成
expect_status 3 "an officer cannot close an item"
run report --format json
expect_json '[x["close_note"] for x in d["ledger"] if x["id"] == "6.3"][0]' \
	"科技活动周已按计划举办，资料齐全，同意销号" "report --format json: the closing comment"

# 8. the year-end report
run report --year 2026 --format json
expect_json 'd["as_of"]' 2026-12-31 "report --year 2026"
expect_json 'len(d["villages"])' 15 "  by village"
expect_json 'len(d["ledger"])' 32 "  the ledger included"
run --as officer_ny report --format json
expect_json "$(line total total target)" 600 "an officer's report compares with its township's share (600)"

# 9. 随机抽查, 督查
run --as supervisor sample draw --township 双湾镇 --size 8
expect_status 0 "sample draw: 8 records of 双湾镇 at random"
run --as supervisor activity --year 2026 --format json
expect_json '[r["entered"] for r in d if r["login"] == "root"][0]' 300 "activity: who entered what (root: 300)"
